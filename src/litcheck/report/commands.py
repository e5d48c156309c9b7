"""The `report` and `reverify` commands (heavy imports stay inside the command bodies)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.markup import escape

from litcheck.verify.judge_commands import JUDGE_HELP

if TYPE_CHECKING:
    from litcheck.library import Library
    from litcheck.report.components import PaperSource
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


CiteFormat = Literal["bibtex", "csl-json"]
_CITE_SUFFIX: dict[str, CiteFormat] = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csl-json"}


def _cite_format_for(
    fmt: str | None, cite_output: Path | None, output: Path | None
) -> CiteFormat | None:
    """The references' format, or ``None`` when none were asked for (see ``report --help``)."""
    from litcheck.errors import BadInputError

    if fmt is None and cite_output is None:
        return None
    if fmt is None:
        assert cite_output is not None
        found = _CITE_SUFFIX.get(cite_output.suffix.lower())
        if found is None:
            raise BadInputError(
                f"Cannot tell the citation format of {cite_output} from its suffix; pass "
                "--cite-format bibtex or --cite-format csl-json."
            )
        return found
    if fmt not in ("bibtex", "csl-json"):
        raise BadInputError(f"--cite-format {fmt!r} is not one of bibtex, csl-json.")
    if cite_output is None and output is None:
        raise BadInputError(
            "--cite-format without --cite-output prints the references to stdout, where the "
            "report already goes; write the report with -o FILE or the references with "
            "--cite-output FILE."
        )
    return fmt  # type: ignore[return-value]


def _check_outputs(*outputs: tuple[str, Path | None]) -> None:
    """Check every output path before any work (a bad -o fails at once, not after the run)."""
    from litcheck.console import check_output_path

    for option, path in outputs:
        if path is not None:
            check_output_path(path, option)


def _emit(text: str, output: Path | None) -> None:
    import sys

    from litcheck.console import atomic_write_text, err_console

    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
        err_console.print(f"Wrote {escape(str(output))}.")


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
        typer.Option(
            "--runs",
            help="Runs directory: add reported-vs-measured figures and measure the scorecard's "
            "reproducibility.",
        ),
    ] = None,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help="Sources, comma-separated: arxiv (default), openalex, s2 (Semantic Scholar); "
            "records of one paper are merged. Ignored with --library/--offline.",
        ),
    ] = "arxiv",
    cite_format: Annotated[
        str | None,
        typer.Option(
            "--cite-format",
            help="Also export the report's references: bibtex or csl-json. Written to "
            "--cite-output, else printed to stdout (only when the report goes to a file, -o).",
        ),
    ] = None,
    cite_output: Annotated[
        Path | None,
        typer.Option(
            "--cite-output",
            help="File for the references (written atomically); without --cite-format the "
            "format follows the suffix (.bib: bibtex, .json: csl-json).",
        ),
    ] = None,
    judge_ref: Annotated[str | None, typer.Option("--judge", help=JUDGE_HELP)] = None,
) -> None:
    """Write a synthesis report: search, add papers, extract, keep relevant claims, verify.

    A claim is stated in its own paper (shown with paper and section: grounding, not proof)
    and judged only by the report's other papers: corroborated when one of them supports it,
    contradicted when one contradicts it (each with the verifier's calibrated confidence of at
    least 0.5 and that paper's evidence quote), else single source (shown NOT_ENOUGH_INFO). A
    contradiction between papers is listed only when claims of two papers fill the same slot
    (metric, dataset, language, setting, model, baseline) with incompatible figures or opposite
    directions. Every report also shows its search flow (queries and records per source,
    duplicates, papers screened out and why, full texts read, source failures) and its
    scorecard (six measured dimensions, each with formula and inputs). With --offline (or
    LITCHECK_OFFLINE=1, or --library) the papers come from the library, not from arXiv.

    References: --cite-format bibtex|csl-json with --cite-output FILE writes them to FILE; with
    -o REPORT and no --cite-output they go to stdout; with the report itself on stdout,
    --cite-output is required (the two would mix).

    Example: [bold]litcheck report "How does robust training change zero-shot cross-lingual
    transfer?" --max-papers 20 --source arxiv,openalex -o report.html --cite-output refs.bib[/]
    """
    from litcheck.cli_helpers import open_lib, settings
    from litcheck.cli_helpers import parse_date as _parse_date
    from litcheck.console import err_console, warn
    from litcheck.errors import BadInputError
    from litcheck.report.components import (
        default_embedder,
        default_extractor,
        default_verifier,
    )
    from litcheck.report.pipeline import RELEVANCE_THRESHOLD, ReportOptions, build_report
    from litcheck.report.sources import ArxivSource, LibrarySource, MultiSourcePaperSource
    from litcheck.retrieve.sources import parse_source_names

    if not question.strip():
        raise BadInputError(
            'The question is empty; ask something, e.g. `litcheck report "How does robust '
            'training change zero-shot cross-lingual transfer?"`.'
        )
    _check_outputs(("-o", output), ("--cite-output", cite_output))
    out_format = _format_for(fmt, output)
    refs_format = _cite_format_for(cite_format, cite_output, output)
    names = parse_source_names(source)
    cfg = settings()
    if judge_ref:
        # --judge outranks LITCHECK_VERIFIER_MODEL, which the verifier reads from the settings.
        cfg = cfg.model_copy(update={"verifier_model": judge_ref})
    options = ReportOptions(
        max_papers=max_papers,
        since=_parse_date(since),
        max_claims=max_claims,
        relevance_threshold=RELEVANCE_THRESHOLD if min_relevance is None else min_relevance,
        runs=runs,
    )
    references: str | None = None
    with open_lib() as lib:
        with err_console.status("Loading the embedding model…"):
            embedder = default_embedder(cfg)
        paper_source: PaperSource
        if cfg.offline or from_library:
            if names != ["arxiv"]:
                warn(f"--source {source} is ignored: the papers come from the library.")
            paper_source = LibrarySource(lib, embedder)
        elif names == ["arxiv"]:
            paper_source = ArxivSource(cfg, lib)
        else:
            paper_source = MultiSourcePaperSource(cfg, lib, names)
        result = build_report(
            question,
            lib,
            paper_source,
            default_extractor(lib, cfg),
            embedder,
            default_verifier(lib, cfg, embedder),
            options,
        )
        if refs_format is not None:
            references = report_references(result, lib, refs_format)
    _emit(_render(result, out_format), output)
    if references is not None:
        _emit(references, cite_output)
    m = result.method
    err_console.print(
        f"{m.papers_found} papers, {m.claims_verified} claims verified, "
        f"{len(result.contradictions)} contradiction(s) "
        f"({sum(t.seconds for t in m.timings):.1f} s)."
    )


def report_references(result: Report, lib: Library, fmt: CiteFormat) -> str:
    """The references of a report (its papers table, in order) as BibTeX or CSL-JSON.

    Args:
        result: the report.
        lib: the library its papers are stored in (titles, authors, merged source metadata).
        fmt: ``bibtex`` or ``csl-json``.

    Returns:
        The text to write (see :func:`~litcheck.report.cite.render_references`).
    """
    from litcheck.report.cite import render_references

    ids = [p.arxiv_id for p in result.papers]
    papers = [lib.get_paper(pid, with_sections=False) for pid in ids]
    return render_references(papers, fmt, lib.paper_metas(ids))


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
    runs: Annotated[
        Path,
        typer.Option("--runs", help="Runs directory of one grid (e.g. reports/runs/cpu-grid)."),
    ],
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
    land to update the verdicts. Point --runs at one grid's runs: when it holds runs of
    different grids (configs that differ in more than method, subset and seed), their seeds
    would be pooled, so this is warned about on stderr and noted in the output.

    Example: [bold]litcheck reverify reports/robust-xlt-romance-vs-germanic.md --runs
    reports/runs/cpu-grid -o reverify.md[/]
    """
    from litcheck.console import err_console, warn
    from litcheck.report.reverify import reverify as run_reverify

    out_format = _format_for(fmt, output)
    _check_outputs(("-o", output))
    result = run_reverify(report_file, runs)
    for skipped in result.skipped_files:
        warn(f"skipped results file {skipped.path}: {skipped.reason}")
    if result.grid_warning:
        # One line however long (it names the settings that differ), so it greps as one.
        err_console.print(
            f"[yellow]warning:[/] {escape(result.grid_warning)}", highlight=False, soft_wrap=True
        )
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
