"""Terminal plumbing shared by the commands: stderr console, progress bars, JSON output.

Machine-readable output goes to stdout; progress, tables meant for people and warnings go to
stderr, so ``litcheck ... --json | jq`` always works.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

err_console = Console(stderr=True)
out_console = Console(soft_wrap=True)


def progress(transient: bool = False) -> Progress:
    """A rich progress bar on stderr (hidden when stderr is not a terminal and quiet is asked)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=transient,
        disable=os.environ.get("LITCHECK_NO_PROGRESS") == "1",
    )


def warn(message: str) -> None:
    """Print a one-line warning on stderr."""
    err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False)


def print_json_line(obj: Any) -> None:
    """Write one JSON object as a line on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a result file is as readable as any other
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def usage_error_code(exc: BaseException) -> int | None:
    """Print a command-line usage error (unknown option or command, bad value) as one line.

    Typer before 0.2x raised click's exceptions; later releases raise those of the copy of
    click that typer vendors. Both carry ``format_message()``, ``exit_code`` and, for usage
    errors, the context that names the command.

    Args:
        exc: an exception raised while parsing or running a command.

    Returns:
        The exit code to use (2 for usage errors), or None when ``exc`` is not a click error.
    """
    classes: list[type[BaseException]] = []
    try:
        import click

        classes.append(click.ClickException)
    except ImportError:
        pass
    try:
        from typer._click.exceptions import ClickException as VendoredClickException

        classes.append(VendoredClickException)
    except ImportError:
        pass
    if not classes or not isinstance(exc, tuple(classes)):
        return None
    message = str(exc.format_message()).strip()  # type: ignore[attr-defined]
    if type(exc).__name__ == "NoArgsIsHelpError":
        if message:  # plain click: the help is the message; rich typer has printed it already
            print(message, file=sys.stderr)
        return int(getattr(exc, "exit_code", 2))
    message = " ".join(message.split())
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    err_console.print(f"[red]error:[/] {escape(message + hint)}", highlight=False, soft_wrap=True)
    return int(getattr(exc, "exit_code", 2))
