"""What every command needs from the invocation: the settings in effect and the library.

This module sits below ``cli.py`` and every stage's ``commands.py``: the root callback in
``cli.py`` records the global flags here, and the stage commands read them back through
:func:`settings` and :func:`open_lib`, so no stage module imports ``cli.py`` (which imports
them to register their commands).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litcheck.errors import BadInputError
from litcheck.library import Library
from litcheck.settings import Settings, load_settings

# The global flags of this invocation (``--home``, ``--offline``); None means "not given".
_overrides: dict[str, Any] = {}


def set_overrides(**values: Any) -> None:
    """Record the global flags of this invocation (called by the root callback).

    Args:
        **values: setting name -> value given on the command line (None when not given).
    """
    _overrides.clear()
    _overrides.update(values)


def settings() -> Settings:
    """The settings in effect for this invocation (flags > env > TOML > defaults).

    Returns:
        A fresh :class:`~litcheck.settings.Settings`.
    """
    return load_settings(**_overrides)


def open_lib() -> Library:
    """Open the library named by the settings.

    Returns:
        The open :class:`~litcheck.library.Library` (use it as a context manager).
    """
    return Library.open(settings().library_path)


def parse_date(value: str | None, option: str = "--since") -> date | None:
    """Read a YYYY-MM-DD command-line value.

    Args:
        value: the text given, or None when the option was not given.
        option: the option's name, for the error message.

    Returns:
        The date, or None for None.

    Raises:
        BadInputError: the text is not a YYYY-MM-DD date.
    """
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise BadInputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD.") from None


__all__ = ["open_lib", "parse_date", "set_overrides", "settings"]
