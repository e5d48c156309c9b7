"""Where the later stages' commands join the CLI.

Each stage keeps its command functions in ``<stage>/commands.py`` with a
``register(app: typer.Typer) -> None``; heavy libraries (torch, sentence-transformers, faiss)
are imported inside the command bodies so that ``litcheck --help`` stays fast.
"""

from __future__ import annotations

import importlib
import importlib.util

import typer

STAGE_COMMANDS = (
    "litcheck.extract.commands",
    "litcheck.verify.commands",
    "litcheck.report.commands",
    "litcheck.experiments.commands",
)


def register(app: typer.Typer) -> None:
    """Add every stage's commands to ``app``."""
    for name in STAGE_COMMANDS:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(app)
