"""The `litcheck` command line: parses flags, calls one stage function, renders with rich.

User errors (:class:`~litcheck.errors.LitcheckError`) become one line on stderr and exit 2;
checks that fail (``audit --strict``) exit 1.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from litcheck import __version__
from litcheck.cli_help import tidy_help
from litcheck.cli_helpers import open_lib, set_overrides, settings
from litcheck.cli_helpers import parse_date as _parse_date
from litcheck.console import (
    check_output_path,
    err_console,
    out_console,
    print_json_line,
    progress,
    usage_error_code,
    warn,
)
from litcheck.errors import BadInputError, LibraryError, LitcheckError
from litcheck.models import Paper

tidy_help()  # flags show no <bool>; on/off defaults read as on/off, not 'no-fallback'
app = typer.Typer(
    name="litcheck",
    help="Make the scientific literature checkable: retrieve, extract, verify, rerun, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
library_app = typer.Typer(
    help="Look inside the library: list, show, import, export, check.\n\n"
    "Example: [bold]litcheck library list[/]\n\n"
    "Example: [bold]litcheck library export -o backup.jsonl[/]",
    no_args_is_help=True,
)
app.add_typer(library_app, name="library")


def _version(value: bool) -> None:
    if value:
        print(f"litcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    home: Annotated[
        Path | None, typer.Option(help="Library and cache directory (env LITCHECK_HOME).")
    ] = None,
    offline: Annotated[
        bool | None,
        typer.Option("--offline/--online", help="Never touch the network (env LITCHECK_OFFLINE)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    set_overrides(home=home, offline=offline)


def _paper_row(paper: Paper) -> dict[str, Any]:
    return {
        "arxiv_id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": paper.authors,
        "published": paper.published.date().isoformat() if paper.published else None,
        "categories": paper.categories,
        "full_text_source": paper.full_text_source,
    }


def _papers_table(papers: list[Paper], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("arXiv id", style="cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("first author")
    table.add_column("date", no_wrap=True)
    table.add_column("text", no_wrap=True)
    for p in papers:
        table.add_row(
            p.versioned_id,
            p.title,
            p.authors[0] if p.authors else "",
            p.published.date().isoformat() if p.published else "",
            p.full_text_source or "abstract",
        )
    return table


_SOURCE_HELP = "Sources, comma-separated: arxiv (default), openalex, s2 (Semantic Scholar)."


def _merged_row(merged: Any, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "arxiv_id": merged.arxiv_id,
        "doi": merged.doi,
        "title": merged.title,
        "authors": merged.authors,
        "year": merged.year,
        "venue": merged.venue,
        "citation_count": merged.citation_count,
        "sources": merged.sources,
        "conflicts": [c.field for c in merged.conflicts],
    }


def _merged_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    table.add_column("key", style="cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("first author")
    table.add_column("year", no_wrap=True)
    table.add_column("venue")
    table.add_column("cited", justify="right")
    table.add_column("sources", no_wrap=True)
    for r in rows:
        table.add_row(
            r["key"],
            r["title"],
            r["authors"][0] if r["authors"] else "",
            str(r["year"] or ""),
            r["venue"] or "",
            "" if r["citation_count"] is None else str(r["citation_count"]),
            ",".join(r["sources"]),
        )
    return table


def _search_sources(
    query: str,
    names: list[Any],
    max_results: int,
    category: str | None,
    since: date | None,
    as_json: bool,
) -> None:
    """``litcheck search --source ...`` over several sources: search, merge, store."""
    from litcheck.errors import RetrievalError
    from litcheck.retrieve.merge import merge_records, store_merged
    from litcheck.retrieve.sources import MultiSearch, open_sources, search_sources

    cfg = settings()
    text = " ".join(query.split())
    if not text:
        raise BadInputError("Empty search query; give words to search for, e.g. 'zero-shot'.")
    if category is not None:
        warn("--category applies to arXiv only; OpenAlex and Semantic Scholar ignore it.")
    sources = open_sources(names, cfg)
    found = MultiSearch()
    try:
        with err_console.status(f"Searching {', '.join(names)}…"):
            for src in sources:
                q = (
                    f"({text}) AND cat:{category.strip()}"
                    if category and src.name == "arxiv"
                    else text
                )
                one = search_sources([src], [q], max_results, since)
                found.records.update(one.records)
                found.queries += one.queries
                found.failures += one.failures
                found.warnings += one.warnings
    finally:
        for src in sources:
            src.close()
    for failure in found.failures:
        warn(f"{failure.source} failed: {failure.reason}")
    for warning in found.warnings:
        warn(warning)
    if len(found.failures) == len(names):
        raise RetrievalError(
            "Every source failed ("
            + "; ".join(f"{f.source}: {f.reason}" for f in found.failures)
            + "); try again later or with other sources."
        )
    merged = merge_records(found.all_records())
    with open_lib() as lib:
        stored = store_merged(lib, merged)
    rows = [_merged_row(m, key) for m, (key, _) in zip(merged, stored, strict=True)]
    if as_json:
        for row in rows:
            print_json_line(row)
    else:
        total = sum(len(v) for v in found.records.values())
        out_console.print(_merged_table(rows, f"{len(rows)} papers for {query!r}"))
        per_source = ", ".join(f"{k} {len(v)}" for k, v in found.records.items())
        err_console.print(
            f"{total} records ({per_source}), {total - len(rows)} duplicates merged; "
            f"{sum(1 for _, new in stored if new)} new paper(s) stored in {cfg.library_path}"
        )


def _id_kind_known(raw: str) -> bool:
    from litcheck.retrieve.sources import normalise_arxiv, normalise_doi

    text = raw.strip()
    return bool(
        normalise_arxiv(text)
        or normalise_doi(text)
        or re.fullmatch(r"(https://openalex\.org/)?W\d+", text, flags=re.I)
        or re.fullmatch(r"[0-9a-f]{40}|CorpusId:\d+", text, flags=re.I)
    )


def _add_from_sources(
    ids: list[str], names: list[Any], full_text: bool, force: bool, as_json: bool
) -> None:
    """``litcheck add --source ...``: arXiv ids with full text, others' metadata merged in."""
    from litcheck.errors import LitcheckError, NotFoundError
    from litcheck.retrieve.merge import merge_records, store_merged
    from litcheck.retrieve.pipeline import fetch_papers
    from litcheck.retrieve.sources import normalise_arxiv, normalise_doi, open_source
    from litcheck.retrieve.sources.arxiv import record_from_paper
    from litcheck.retrieve.sources.base import SourceRecord

    bad = [i for i in ids if not _id_kind_known(i)]
    if bad:  # every id checked before any request
        raise BadInputError(
            f"{', '.join(bad)}: not an arXiv id, DOI, OpenAlex id (W...) or S2 id; check the id."
        )
    cfg = settings()
    records: list[SourceRecord] = []
    failures: list[str] = []
    with open_lib() as lib:
        arxiv_ids = list(dict.fromkeys(a for a in (normalise_arxiv(i) for i in ids) if a))
        if "arxiv" in names and arxiv_ids:
            todo = [a for a in arxiv_ids if force or not lib.has_paper(a, full_text=full_text)]
            try:
                for paper in fetch_papers(todo, cfg, full_text=full_text):
                    lib.add_paper(paper)
                    records.append(record_from_paper(paper))
            except LitcheckError as exc:
                failures.append(f"arxiv: {exc}")
            records.extend(
                record_from_paper(lib.get_paper(a, with_sections=False))
                for a in arxiv_ids
                if a not in todo and lib.has_paper(a)
            )
        for name in names:
            if name == "arxiv":
                continue
            client = open_source(name, cfg)
            try:
                records.extend(client.fetch(ids))
                failures.extend(f"{name}: {w}" for w in client.warnings)
            except LitcheckError as exc:
                failures.append(f"{name}: {exc}")
            finally:
                client.close()
        merged = merge_records(records)
        stored = store_merged(lib, merged)
        shown = [lib.get_paper(key, with_sections=False) for key, _ in stored]
    for failure in failures:
        warn(failure)
    rows = [_merged_row(m, key) for m, (key, _) in zip(merged, stored, strict=True)]
    if as_json:
        for row, paper in zip(rows, shown, strict=True):
            print_json_line({**_paper_row(paper), **row})
    else:
        for row, paper in zip(rows, shown, strict=True):
            src = paper.full_text_source or "abstract only"
            venue = f", {row['venue']}" if row["venue"] else ""
            err_console.print(
                f"[green]✓[/] {row['key']} {paper.title} [dim]({src}{venue}; "
                f"{'+'.join(row['sources'])})[/]"
            )
    found_ids = {
        x for m in merged for x in (m.arxiv_id, m.doi, m.openalex_id, m.s2_id) if x is not None
    }
    missing = [
        i
        for i in ids
        if not ({normalise_arxiv(i), normalise_doi(i), i.strip().rsplit("/", 1)[-1]} & found_ids)
    ]
    if missing:
        raise NotFoundError(
            f"No source ({', '.join(names)}) had {', '.join(missing)}; check the id(s)"
            + (f" ({'; '.join(failures)})" if failures else "")
            + "."
        )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search terms, arXiv query syntax allowed.")],
    max_results: Annotated[int, typer.Option("--max", min=1, max=2000, help="Results.")] = 10,
    category: Annotated[str | None, typer.Option(help="arXiv category, e.g. cs.CL.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only papers submitted on/after YYYY-MM-DD.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
    source: Annotated[str, typer.Option("--source", help=_SOURCE_HELP)] = "arxiv",
) -> None:
    """Search arXiv (or OpenAlex, Semantic Scholar) and store the results' metadata.

    With several sources, records of one paper are merged (DOI, arXiv id, title + year) and
    venue, year and citation count are kept; a source that fails is named and the others go on.

    Example: [bold]litcheck search "robust cross-lingual transfer" --max 20 --category cs.CL[/]
    Example: [bold]litcheck search "robust cross-lingual transfer" --source arxiv,openalex,s2[/]
    """
    from litcheck.retrieve.arxiv_client import ArxivClient
    from litcheck.retrieve.sources import parse_source_names

    cfg = settings()
    since_date = _parse_date(since)
    names = parse_source_names(source)
    if names != ["arxiv"]:
        _search_sources(query, names, max_results, category, since_date, as_json)
        return
    with ArxivClient(cfg) as client, err_console.status("Searching arXiv…"):
        papers = client.search(query, max_results=max_results, category=category, since=since_date)
    with open_lib() as lib:
        # Metadata only: never overwrite a stored full text with an abstract-only record.
        new = [p for p in papers if not lib.has_paper(p.arxiv_id)]
        for p in new:
            lib.add_paper(p)
    if as_json:
        for p in papers:
            print_json_line(_paper_row(p))
    else:
        out_console.print(_papers_table(papers, f"{len(papers)} results for {query!r}"))
        err_console.print(f"{len(new)} new paper(s) stored in {escape(str(cfg.library_path))}")


@app.command()
def add(
    ids: Annotated[
        list[str], typer.Argument(help="arXiv ids or URLs (2104.08645v2, hep-th/9901001).")
    ],
    full_text: Annotated[
        bool, typer.Option("--full-text/--metadata-only", help="Fetch HTML/ar5iv/PDF full text.")
    ] = True,
    force: Annotated[bool, typer.Option(help="Refetch papers already stored.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
    source: Annotated[str, typer.Option("--source", help=_SOURCE_HELP)] = "arxiv",
) -> None:
    """Fetch papers by id (metadata and full text) into the library.

    A stored paper is not fetched again (no network call) unless --force is given. Each paper
    is written in one transaction: kill the command at any moment and rerun it. With
    --source openalex/s2, ids may also be DOIs (10.x/y), OpenAlex ids (W...) or S2 ids; their
    venue, year and citation count are stored beside the paper (papers without an arXiv id are
    stored abstract-only under the key doi:<doi>).

    Example: [bold]litcheck add 2104.08645 https://arxiv.org/abs/2004.14327v2[/]
    Example: [bold]litcheck add 2104.08645 10.18653/v1/2020.acl-main.747 --source arxiv,s2[/]
    """
    from litcheck.retrieve.ids import parse_arxiv_id
    from litcheck.retrieve.pipeline import fetch_papers
    from litcheck.retrieve.sources import parse_source_names

    names = parse_source_names(source)
    if names != ["arxiv"]:
        _add_from_sources(ids, names, full_text, force, as_json)
        return
    parsed = [parse_arxiv_id(i) for i in ids]  # every id checked before any request
    cfg = settings()
    stored: list[Paper] = []
    with open_lib() as lib:
        todo = [
            a
            for a in parsed
            if force or not lib.has_paper(a.base, full_text=full_text and cfg.full_text)
        ]
        skipped = [a for a in parsed if a not in todo]
        with progress() as bar:
            task = bar.add_task("Adding papers", total=len(parsed))
            bar.advance(task, len(skipped))
            for paper in fetch_papers([a.versioned for a in todo], cfg, full_text=full_text):
                lib.add_paper(paper)
                stored.append(paper)
                bar.advance(task)
        for a in skipped:
            stored.append(lib.get_paper(a.base, with_sections=False))
    if as_json:
        for p in stored:
            print_json_line(_paper_row(p))
    else:
        for p in stored:
            src = p.full_text_source or "abstract only"
            err_console.print(f"[green]✓[/] {p.versioned_id} {p.title} [dim]({src})[/]")
        if skipped:
            err_console.print(f"{len(skipped)} already in the library (no network call).")


@library_app.command("list")
def library_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """List the stored papers.

    Example: [bold]litcheck library list --json | jq .arxiv_id[/]
    """
    with open_lib() as lib:
        papers = lib.papers()
    if as_json:
        for p in papers:
            print_json_line(_paper_row(p))
    else:
        out_console.print(_papers_table(papers, f"{len(papers)} papers in the library"))


@library_app.command("show")
def library_show(
    arxiv_id: Annotated[
        str, typer.Argument(help="Id of a stored paper: an arXiv id (any form) or a library id.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    passages: Annotated[bool, typer.Option(help="Print every passage.")] = False,
) -> None:
    """Show one paper: metadata, sections and passages.

    Example: [bold]litcheck library show 2104.08645 --passages[/]
    """
    from litcheck.retrieve.ids import parse_arxiv_id

    with open_lib() as lib:
        # Imported papers without an arXiv id are stored under their own key (doi:..., ids
        # from a JSONL import); those are looked up as written.
        base = arxiv_id.strip() if lib.has_paper(arxiv_id.strip()) else None
        if base is None:
            base = parse_arxiv_id(arxiv_id).base
        paper = lib.get_paper(base)
        stored = lib.passages([base])
    if as_json:
        data = paper.model_dump(mode="json")
        data["passages"] = [p.model_dump(mode="json") for p in stored]
        print(json.dumps(data, ensure_ascii=False))
        return
    out_console.print(f"[bold]{paper.title}[/]  [cyan]{paper.versioned_id}[/]  {paper.url}")
    out_console.print(", ".join(paper.authors), highlight=False)
    facts = [f"categories: {', '.join(paper.categories)}"] if paper.categories else []
    if paper.published:  # an imported paper may have no date: say nothing rather than "?"
        facts.append(f"published: {paper.published.date()}")
    facts.append(f"full text: {paper.full_text_source or 'none (abstract only)'}")
    out_console.print("   ".join(facts), highlight=False)
    table = Table(title=f"{len(paper.sections)} sections, {len(stored)} passages")
    table.add_column("#", no_wrap=True)
    table.add_column("section")
    table.add_column("passages", justify="right")
    table.add_column("chars", justify="right")
    counts: dict[str, int] = {}
    for p in stored:
        counts[p.section_title] = counts.get(p.section_title, 0) + 1
    if paper.abstract:
        table.add_row("", "Abstract", str(counts.get("Abstract", 0)), str(len(paper.abstract)))
    for s in paper.sections:
        table.add_row(s.number or "", s.title, str(counts.get(s.title, 0)), str(len(s.text)))
    out_console.print(table)
    if passages:
        for p in stored:
            out_console.print(f"[cyan]{p.id}[/] [dim]{p.kind} §{p.section_title}[/]")
            out_console.print(p.text, highlight=False)


@library_app.command("import")
def library_import(
    file: Annotated[Path, typer.Argument(help="JSONL of papers, or a saved arXiv Atom feed.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """Import papers from a file, without network.

    JSONL: one paper per line, {"arxiv_id", "title", "authors", "abstract",
    "sections": [{"title", "text"}]}; or an Atom feed saved from arXiv's API. The whole file is
    validated first and written in one transaction. A line that is not a paper record stops
    the import before anything is written; a record with a bad value (a malformed arXiv id, a
    version out of range, an unreadable date) is named and skipped, the others are imported,
    and the command exits 2.

    Example: [bold]litcheck library import data/examples/papers.jsonl[/]
    """
    from litcheck.library.importer import read_papers_file

    skipped: list[str] = []
    papers = read_papers_file(file, on_bad_record=lambda exc: skipped.append(str(exc)))
    for reason in skipped:
        warn(f"skipped: {reason}")
    with open_lib() as lib:
        with progress(transient=True) as bar:
            task = bar.add_task("Cutting passages", total=len(papers))
            items = []
            from litcheck.library import make_passages

            for p in papers:
                items.append((p, make_passages(p)))
                bar.advance(task)
        lib.add_papers(items)
    if as_json:
        for p in papers:
            print_json_line(_paper_row(p))
    else:
        n_pass = sum(len(ps) for _, ps in items)
        err_console.print(
            f"Imported {len(papers)} paper(s), {n_pass} passages, from {escape(str(file))}."
        )
    if skipped:
        raise BadInputError(
            f"{len(skipped)} record(s) of {file} were not imported (named above); fix them and "
            "import the file again (papers already imported are replaced, not duplicated)."
        )


@library_app.command("export")
def library_export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout).")
    ] = None,
) -> None:
    """Export every paper (metadata and sections) as JSONL that `library import` reads back.

    The library is only read, never written, so this also saves what can still be read from a
    damaged library (each paper that cannot be read is named and left out).

    Example: [bold]litcheck library export -o backup.jsonl[/]
    """
    from litcheck.console import atomic_write_text
    from litcheck.library import Library
    from litcheck.library.importer import paper_to_record

    if output is not None:
        check_output_path(output)
    path = settings().library_path
    lost: list[str] = []
    with Library.open(path, read_only=path.exists()) as lib:
        papers = lib.readable_papers(lambda pid, why: lost.append(f"{pid} ({why})"))
    for item in lost:
        warn(f"cannot read paper {item}: left out of the export")
    lines = [json.dumps(paper_to_record(p), ensure_ascii=False) for p in papers]
    text = "".join(line + "\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
        err_console.print(f"Exported {len(lines)} paper(s) to {escape(str(output))}.")
    if lost:
        raise LibraryError(
            f"{len(lost)} paper(s) could not be read and are not in the export (named above); "
            "re-add them with `litcheck add` once the export is imported into a new library."
        )


@library_app.command("check")
def library_check(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """Check the library file with SQLite's integrity check (read only).

    Exits 0 when the file is sound and 1 when it is damaged, naming the damage; to recover,
    export what can still be read (`litcheck library export -o papers.jsonl`), move the damaged
    file aside and import the export into a new library, or restore a backup.

    Example: [bold]litcheck library check[/]
    """
    from litcheck.library import Library

    path = settings().library_path
    papers: int | None = None
    try:
        with Library.open(path, read_only=True) as lib:
            problems = lib.integrity_problems()
            if not problems:
                papers = lib.count("papers")
    except LibraryError as exc:
        if not path.is_file():
            raise
        problems = [str(exc)]
    if as_json:
        print_json_line({"library": str(path), "ok": not problems, "problems": problems})
    elif problems:
        err_console.print(
            f"[red]damaged:[/] {escape(str(path))} fails SQLite's integrity check:",
            highlight=False,
        )
        for problem in problems:
            err_console.print(f"  {escape(problem)}", highlight=False, soft_wrap=True)
        err_console.print(
            "Recover: `litcheck library export -o papers.jsonl` saves what can be read; move "
            "the damaged file aside, then `litcheck library import papers.jsonl` (or restore a "
            "backup).",
            highlight=False,
            soft_wrap=True,
        )
    else:
        err_console.print(
            f"[green]ok:[/] {escape(str(path))} passes SQLite's integrity check ({papers} papers).",
            highlight=False,
        )
    if problems:
        raise typer.Exit(1)


def _mount_optional_commands() -> None:
    """Register the commands of later stages (each module keeps heavy imports lazy)."""
    from litcheck import commands
    from litcheck.verify import index_commands

    commands.register(app)
    index_commands.register(library_app)


_mount_optional_commands()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        # Without standalone mode click returns a command's typer.Exit code instead of exiting.
        code = app(args=argv, standalone_mode=False, prog_name="litcheck")
    except LitcheckError as exc:
        err_console.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("[red]aborted[/]")
        return 130
    except KeyboardInterrupt:
        err_console.print("[red]interrupted[/]: rerun the command to resume.")
        return 130
    except Exception as exc:  # usage errors: unknown option or command, bad value
        code = usage_error_code(exc)
        if code is None:
            raise
        return code
    return code if isinstance(code, int) else 0


def run() -> None:
    """Console-script wrapper around :func:`main`."""
    sys.exit(main())


if __name__ == "__main__":
    run()
