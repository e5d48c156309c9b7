"""``litcheck download-data``: fetch the claim and NLI sets that ``train-verifier`` reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape


def download_data(
    sets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Sets to fetch: scifact, healthver, climate-fever, covidfact, scitab, "
            "sem-tab-facts, fever, snli, sick, or all (default)."
        ),
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Data folder (default LITCHECK_DATA_DIR).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Fetch and rewrite sets already there.")] = False,
    mirror: Annotated[
        str | None,
        typer.Option(
            help="Fetch from MIRROR/<host>/<path> instead of the official URLs (a local mirror)."
        ),
    ] = None,
) -> None:
    """Download the public claim and NLI sets the judge trains on into the data folder.

    Each set comes from its authors' release (pinned to a commit), is checked against the
    release's SHA-256 and written in the layout `litcheck train-verifier` reads; its licence is
    printed before it is fetched. A killed download resumes where it stopped (HTTP Range), and
    every file is written whole or not at all. Sets already there are left alone.
    PAWS-X and XNLI, for the experiments, come from `litcheck experiment download-data`.

    Example: [bold]litcheck download-data[/]

    Example: [bold]litcheck download-data scifact healthver[/]
    """
    from litcheck.cli_helpers import settings
    from litcheck.console import err_console
    from litcheck.verify.download import DataSet, download_datasets

    cfg = settings()

    def announce(ds: DataSet) -> None:
        err_console.print(
            f"{escape(ds.name)}: licence {escape(ds.licence)}; cite {escape(ds.cite)}.",
            highlight=False,
        )

    outcomes = download_datasets(
        sets or ["all"], cfg, data_dir=data, mirror=mirror, force=force, on_set=announce
    )
    for o in outcomes:
        if o.status == "present":
            err_console.print(
                f"{escape(o.name)}: already in {escape(str(o.folder))} (licence "
                f"{escape(o.licence)}); --force fetches it again.",
                highlight=False,
            )
        else:
            err_console.print(
                f"{escape(o.name)}: wrote {', '.join(o.files)} to {escape(str(o.folder))}.",
                highlight=False,
            )
