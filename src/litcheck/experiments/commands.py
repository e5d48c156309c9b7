"""Mount the experiment commands (`litcheck experiment ...`) on the top-level CLI."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `experiment` sub-command group to ``app``."""
    from litcheck.experiments.cli import app as experiment_app

    app.add_typer(experiment_app, name="experiment")
