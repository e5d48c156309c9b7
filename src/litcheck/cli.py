"""The `litcheck` command line: parses flags, calls one stage function, renders with rich.

User errors (:class:`~litcheck.errors.LitcheckError`) become one line on stderr and exit 2;
checks that fail (``audit --strict``) exit 1.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from litcheck import __version__
from litcheck.console import err_console, out_console, print_json_line, progress
from litcheck.errors import BadInputError, LitcheckError
from litcheck.library import Library
from litcheck.models import Paper
from litcheck.settings import Settings, load_settings

app = typer.Typer(
    name="litcheck",
    help="Make the scientific literature checkable: retrieve, extract, verify, rerun, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
library_app = typer.Typer(
    help="Look inside the library: list, show, import, export.", no_args_is_help=True
)
app.add_typer(library_app, name="library")

_overrides: dict[str, Any] = {}


def settings() -> Settings:
    """The settings in effect for this invocation (flags > env > TOML > defaults)."""
    return load_settings(**_overrides)


def open_lib() -> Library:
    """Open the library named by the settings."""
    return Library.open(settings().library_path)


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
    _overrides.clear()
    _overrides.update({"home": home, "offline": offline})


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise BadInputError(f"--since {value!r} is not a date; write it as YYYY-MM-DD.") from None


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


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Search terms, arXiv query syntax allowed.")],
    max_results: Annotated[int, typer.Option("--max", min=1, max=2000, help="Results.")] = 10,
    category: Annotated[str | None, typer.Option(help="arXiv category, e.g. cs.CL.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only papers submitted on/after YYYY-MM-DD.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """Search arXiv and store the results' metadata in the library.

    Example: [bold]litcheck search "robust cross-lingual transfer" --max 20 --category cs.CL[/]
    """
    from litcheck.retrieve.arxiv_client import ArxivClient

    cfg = settings()
    since_date = _parse_date(since)
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
        err_console.print(f"{len(new)} new paper(s) stored in {cfg.library_path}")


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
) -> None:
    """Fetch papers by id (metadata and full text) into the library.

    A stored paper is not fetched again (no network call) unless --force is given. Each paper
    is written in one transaction: kill the command at any moment and rerun it.

    Example: [bold]litcheck add 2104.08645 https://arxiv.org/abs/2004.14327v2[/]
    """
    from litcheck.retrieve.ids import parse_arxiv_id
    from litcheck.retrieve.pipeline import fetch_papers

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
    arxiv_id: Annotated[str, typer.Argument(help="arXiv id of a stored paper.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    passages: Annotated[bool, typer.Option(help="Print every passage.")] = False,
) -> None:
    """Show one paper: metadata, sections and passages.

    Example: [bold]litcheck library show 2104.08645 --passages[/]
    """
    from litcheck.retrieve.ids import parse_arxiv_id

    base = parse_arxiv_id(arxiv_id).base
    with open_lib() as lib:
        paper = lib.get_paper(base)
        stored = lib.passages([base])
    if as_json:
        data = paper.model_dump(mode="json")
        data["passages"] = [p.model_dump(mode="json") for p in stored]
        print(json.dumps(data, ensure_ascii=False))
        return
    out_console.print(f"[bold]{paper.title}[/]  [cyan]{paper.versioned_id}[/]  {paper.url}")
    out_console.print(", ".join(paper.authors), highlight=False)
    out_console.print(
        f"categories: {', '.join(paper.categories)}   published: "
        f"{paper.published.date() if paper.published else '?'}   full text: "
        f"{paper.full_text_source or 'none (abstract only)'}"
    )
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
    validated first and written in one transaction.

    Example: [bold]litcheck library import papers.jsonl[/]
    """
    from litcheck.library.importer import read_papers_file

    papers = read_papers_file(file)
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
        err_console.print(f"Imported {len(papers)} paper(s), {n_pass} passages, from {file}.")


@library_app.command("export")
def library_export(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout).")
    ] = None,
) -> None:
    """Export every paper (metadata and sections) as JSONL that `library import` reads back.

    Example: [bold]litcheck library export -o backup.jsonl[/]
    """
    from litcheck.console import atomic_write_text
    from litcheck.library.importer import paper_to_record

    with open_lib() as lib:
        lines = [json.dumps(paper_to_record(p), ensure_ascii=False) for p in lib.papers(True)]
    text = "".join(line + "\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)
        err_console.print(f"Exported {len(lines)} paper(s) to {output}.")


def _mount_optional_commands() -> None:
    """Register the commands of later stages (each module keeps heavy imports lazy)."""
    from litcheck import commands

    commands.register(app)


_mount_optional_commands()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        app(args=argv, standalone_mode=False)
    except LitcheckError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err_console.print("[red]aborted[/]")
        return 130
    except KeyboardInterrupt:
        err_console.print("[red]interrupted[/]: rerun the command to resume.")
        return 130
    except Exception as exc:  # click's usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show(file=sys.stderr)
            return 2
        raise
    return 0


def run() -> None:
    """Console-script wrapper around :func:`main`."""
    sys.exit(main())


if __name__ == "__main__":
    run()
