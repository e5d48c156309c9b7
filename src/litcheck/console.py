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
    err_console.print(f"[yellow]warning:[/] {message}", highlight=False)


def print_json_line(obj: Any) -> None:
    """Write one JSON object as a line on stdout."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
