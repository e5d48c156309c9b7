"""Where the later stages' commands join the CLI.

Each stage keeps its command functions in ``<stage>/commands.py`` with a
``register(app: typer.Typer) -> None``; heavy libraries (torch, sentence-transformers, faiss)
are imported inside the command bodies so that ``litcheck --help`` stays fast.
"""

from __future__ import annotations

import typer

from litcheck.experiments import commands as experiment_commands
from litcheck.extract import commands as extract_commands
from litcheck.report import commands as report_commands
from litcheck.verify import commands as verify_commands


def register(app: typer.Typer) -> None:
    """Add every stage's commands to ``app``, in pipeline order."""
    for stage in (extract_commands, verify_commands, report_commands, experiment_commands):
        stage.register(app)
