"""How ``--help`` shows flags: no value type for a flag, and a flag's default as on/off.

Typer (0.2x) prints ``<bool>`` in the type column of every flag (``--json``, ``--help``), which
reads as if the flag took a value, and shows the default of an on/off pair by the name of the
option that is in effect (``[default: no-fallback]``), which reads as a value named
"no-fallback". :func:`tidy_help` changes both, for every command of the process, typer's own
``--help`` and ``--install-completion`` included (which no option declaration can reach):

    --fallback / --no-fallback   Same as --judge fallback. [default: off]

It patches two methods of typer's option class, because typer offers no setting for either;
``tests/test_cli_help.py`` walks every command's help, so a typer release that renames them
fails there instead of bringing ``<bool>`` back unnoticed.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_PATCHED = "_litcheck_tidy_help"


def tidy_help() -> None:
    """Make every flag's help read as a switch (idempotent; call before rendering help).

    A flag (an option that takes no value) gets no type in the help's type column; the default
    of an on/off pair (``--strict / --no-strict``) is shown as ``on`` or ``off``. Options that
    take values are unchanged (``<path>``, ``<int>``, ``[default: md]``).
    """
    if getattr(TyperOption, _PATCHED, False):
        return
    type_column = TyperOption.display_type_rich
    default_string = TyperOption._get_default_string

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        # A flag takes no value, so there is no value type to show.
        if self.is_flag and not self.count:
            return None
        return type_column(self, ctx)

    def get_default_string(
        self: TyperOption, *, ctx: Any, show_default_is_str: bool, default_value: Any
    ) -> str:
        # An on/off pair's default is a state: "off", not the name of the opposite option.
        if (
            self.is_bool_flag
            and self.secondary_opts
            and not show_default_is_str
            and isinstance(default_value, bool)
        ):
            return "on" if default_value else "off"
        return default_string(
            self, ctx=ctx, show_default_is_str=show_default_is_str, default_value=default_value
        )

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
    TyperOption._get_default_string = get_default_string  # type: ignore[method-assign]
    setattr(TyperOption, _PATCHED, True)
