"""The `report` and `reverify` commands (heavy imports stay inside the command bodies)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from litcheck.report.models import Report

Format = Literal["md", "html", "json"]
_SUFFIX_FORMAT: dict[str, Format] = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


def _format_for(fmt: str | None, output: Path | None) -> Format:
    from litcheck.errors import BadInputError

    if fmt is None:
        return _SUFFIX_FORMAT.get(output.suffix.lower(), "md") if output else "md"
    if fmt not in ("md", "html", "json"):
        raise BadInputError(f"--format {fmt!r} is not one of md, html, json.")
    return fmt  # type: ignore[return-value]


def _emit(text: str, output: Path | None) -> None:
    import sys

    from litcheck.console import atomic_write_text, err_console

    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
        err_console.print(f"Wrote {output}.")


def report(
    question: Annotated[str, typer.Argument(help="The research question, in plain words.")],
    max_papers: Annotated[int, typer.Option("--max-papers", min=1, max=200, help="Papers.")] = 10,
    since: Annotated[
        str | None, typer.Option(help="Only papers submitted on/after YYYY-MM-DD.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="md (default), html or json; else from -o's suffix."),
    ] = None,
    from_library: Annotated[
        bool,
        typer.Option(
            "--library",
            help="Use papers already in the library (no network); implied by --offline.",
        ),
    ] = False,
    max_claims: Annotated[
        int, typer.Option("--max-claims", min=1, help="Most claims to verify (most relevant).")
    ] = 60,
    min_relevance: Annotated[
        float | None,
        typer.Option("--min-relevance", help="Relevance threshold of a kept claim (0.30)."),
    ] = None,
    runs: Annotated[
        Path | None,
        typer.Option("--runs", help="Runs directory: add reported-vs-measured figures."),
    ] = None,
) -> None:
    """Write a synthesis report: search, add papers, extract, keep relevant claims, verify.

    Every claim carries its verdict, the verifier's calibrated confidence, its evidence quote
    (paper and section) and the other papers that agree or disagree. With --offline (or
    LITCHECK_OFFLINE=1, or --library) the papers come from the library, not from arXiv.

    Example: [bold]litcheck report "How does robust training change zero-shot cross-lingual
    transfer?" --max-papers 20 -o report.html[/]
    """
    from litcheck.cli import _parse_date, open_lib, settings
    from litcheck.console import err_console
    from litcheck.errors import BadInputError
    from litcheck.report.components import (
        default_embedder,
        default_extractor,
        default_verifier,
    )
    from litcheck.report.pipeline import RELEVANCE_THRESHOLD, ReportOptions, build_report
    from litcheck.report.sources import ArxivSource, LibrarySource

    if not question.strip():
        raise BadInputError(
            'The question is empty; ask something, e.g. `litcheck report "How does robust '
            'training change zero-shot cross-lingual transfer?"`.'
        )
    out_format = _format_for(fmt, output)
    cfg = settings()
    options = ReportOptions(
        max_papers=max_papers,
        since=_parse_date(since),
        max_claims=max_claims,
        relevance_threshold=RELEVANCE_THRESHOLD if min_relevance is None else min_relevance,
    )
    with open_lib() as lib:
        with err_console.status("Loading the embedding model…"):
            embedder = default_embedder(cfg)
        source = (
            LibrarySource(lib, embedder) if cfg.offline or from_library else ArxivSource(cfg, lib)
        )
        result = build_report(
            question,
            lib,
            source,
            default_extractor(lib, cfg),
            embedder,
            default_verifier(lib, cfg, embedder),
            options,
        )
    if runs is not None:
        result = _with_measured(result, runs)
    _emit(_render(result, out_format), output)
    m = result.method
    err_console.print(
        f"{m.papers_found} papers, {m.claims_verified} claims verified, "
        f"{len(result.contradictions)} contradiction(s) "
        f"({sum(t.seconds for t in m.timings):.1f} s)."
    )


def _with_measured(result: Report, runs: Path) -> Report:
    from litcheck.report.reverify import Unit, reverify_units
    from litcheck.report.runs import load_runs

    index = load_runs(runs)
    units = [Unit(c.claim, None, c.source or "") for c in result.claims]
    return result.model_copy(update={"measured": reverify_units(units, index)})


def _render(result: object, fmt: Format) -> str:
    from litcheck.report.html import write_html, write_reverify_html
    from litcheck.report.markdown import write_json, write_markdown, write_reverify_markdown
    from litcheck.report.models import Report, ReverifyReport

    if isinstance(result, Report):
        return {"md": write_markdown, "html": write_html, "json": write_json}[fmt](result)
    assert isinstance(result, ReverifyReport)
    renderers = {"md": write_reverify_markdown, "html": write_reverify_html, "json": write_json}
    return renderers[fmt](result)


def reverify(
    report_file: Annotated[
        Path, typer.Argument(help="A report: ours (JSON/Markdown) or a foreign one.")
    ],
    runs: Annotated[Path, typer.Option("--runs", help="Runs directory (e.g. reports/runs/).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="md (default), html or json; else from -o's suffix."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any figure is REFUTED.")] = False,
) -> None:
    """Check every figure of a report against the runs: CONFIRMED, REFUTED or UNMATCHED.

    Reported figures (74.4%, 0.744, +2.1 points) are set beside the runs' mean over seeds and
    its 95% t-interval. Corrupted results files are named and skipped. Rerun after new runs
    land to update the verdicts.

    Example: [bold]litcheck reverify reports/romance-vs-germanic.md --runs reports/runs
    -o reports/reverify-romance-vs-germanic.md[/]
    """
    from litcheck.console import err_console, warn
    from litcheck.report.reverify import reverify as run_reverify

    out_format = _format_for(fmt, output)
    result = run_reverify(report_file, runs)
    for skipped in result.skipped_files:
        warn(f"skipped results file {skipped.path}: {skipped.reason}")
    if not result.figures:
        warn(f"{report_file} states no figure the runs could check.")
    _emit(_render(result, out_format), output)
    c = result.counts
    err_console.print(
        f"{c['CONFIRMED']} confirmed, {c['REFUTED']} refuted, {c['UNMATCHED']} unmatched "
        f"({len(result.results_files)} results file(s))."
    )
    if strict and c["REFUTED"]:
        from litcheck.errors import LitcheckError

        class ChecksFailed(LitcheckError):
            """A check failed (exit 1, per DESIGN.md), not a user error."""

            exit_code = 1

        raise ChecksFailed(f"{c['REFUTED']} figure(s) REFUTED by the runs (--strict).")


def register(app: typer.Typer) -> None:
    """Add `report` and `reverify` to the CLI."""
    app.command("report")(report)
    app.command("reverify")(reverify)
