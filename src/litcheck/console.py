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

from rich.console import Console, ConsoleDimensions
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

#: Width given to stdout when it is a file or a pipe: rich would otherwise guess 80 columns
#: and cut every table row sent to ``> file`` or ``| grep`` there.
PIPE_WIDTH = 1000


class StdoutConsole(Console):
    """A console for stdout whose tables are never cut at 80 columns when stdout is no terminal.

    On a terminal (or with ``COLUMNS`` set, or an explicit ``width``) it sizes as rich does.
    """

    def _size(self) -> ConsoleDimensions:
        dims = Console.size.fget(self)  # type: ignore[attr-defined]
        assert isinstance(dims, ConsoleDimensions)
        if self._width is None and not self.is_terminal and "COLUMNS" not in self._environ:
            return ConsoleDimensions(PIPE_WIDTH, dims.height)
        return dims

    size = property(_size, Console.size.fset)  # type: ignore[attr-defined]


err_console = Console(stderr=True)
out_console: Console = StdoutConsole(soft_wrap=True)


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


def check_output_path(path: Path, option: str = "-o") -> Path:
    """Check, before any work starts, that ``path`` can be written as an output file.

    A symlink at ``path`` is fine: :func:`atomic_write_text` replaces the link itself and never
    writes through it. A path whose directories do not exist yet is fine when they can be made.

    Args:
        path: the output file the user named.
        option: the option that named it, for the message.

    Returns:
        ``path``, unchanged.

    Raises:
        BadInputError: ``path`` is empty, a directory, an existing non-regular file (a device,
            a pipe), or in a place where no file can be created; the message says which.
    """
    from litcheck.errors import BadInputError

    name = str(path)
    if name in ("", "."):  # typer turns -o "" into Path(".")
        raise BadInputError(f"{option} needs a file name, e.g. {option} report.md.")
    if path.is_dir():  # follows symlinks: a link to a directory is no file either
        raise BadInputError(
            f"{option} {name} is a directory; name a file, e.g. {option} {path / 'report.md'}."
        )
    if path.exists() and not path.is_file():
        raise BadInputError(
            f"{option} {name} exists and is not a regular file (a device or a pipe); name a "
            "file, or leave -o out to write to stdout."
        )
    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise BadInputError(f"Cannot write {option} {name}: {ancestor} is not a directory.")
    # Permission bits do not tell (root passes them, /proc refuses anyone): try it.
    try:
        fd, probe = tempfile.mkstemp(dir=ancestor, prefix=".litcheck-probe-")
    except OSError as exc:
        raise BadInputError(
            f"Cannot write {option} {name}: no file can be created in {ancestor} "
            f"({exc.strerror or exc}); choose another path."
        ) from None
    os.close(fd)
    os.unlink(probe)
    return path


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written).

    A symlink at ``path`` is replaced, not followed, so a link can never redirect the write
    onto another file; a device or pipe at ``path`` is refused rather than replaced.

    Raises:
        BadInputError: ``path`` is a directory, a device or a pipe.
    """
    from litcheck.errors import BadInputError

    if path.is_dir() or (path.exists() and not path.is_file()):
        raise BadInputError(f"Cannot write {path}: it is not a regular file; name a file.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise BadInputError(
            f"Cannot write {path} ({exc.strerror or exc}); choose another path."
        ) from None
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
