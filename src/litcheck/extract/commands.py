"""CLI of the extract stage: ``litcheck extract`` and ``litcheck claims list|show``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from litcheck.console import err_console, out_console, print_json_line, progress, warn
from litcheck.errors import BadInputError
from litcheck.models import Claim, ClaimKind, Quantity

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["register"]

claims_app = typer.Typer(
    help="Look at extracted claims: list, show.\n\n"
    "Example: [bold]litcheck claims list --paper 1911.02116[/]\n\n"
    "Example: [bold]litcheck claims show c_d6d039af1389599d[/]",
    no_args_is_help=True,
)


def _fmt(x: float) -> str:
    return f"{x:g}"


def quantity_label(q: Quantity) -> str:
    """A short human-readable rendering of a quantity, e.g. '+2.1 points accuracy PAWS-X'."""
    unit = {"%": "%", "points": " points", "x": "x"}.get(q.unit or "", "")
    if not q.numeric:
        # Out of range (1e999, a 400-digit number): shown as written, never as a figure.
        text = q.text if len(q.text) <= 24 else f"{q.text[:12]}…{q.text[-12:]}"
        figure = f"{text} (kept as text)"
    elif q.delta is not None and q.value is None:
        figure = f"{q.delta:+g}{unit}"
    elif q.value is not None:
        figure = _fmt(q.value) + unit + (f" ({q.delta:+g})" if q.delta is not None else "")
    elif q.low is not None:
        figure = f"{_fmt(q.low)}–{_fmt(q.high or q.low)}{unit}"
    else:
        figure = f"±{_fmt(q.error or 0)}{unit}"
    if q.error is not None and (q.value is not None or q.delta is not None):
        figure += f" ±{_fmt(q.error)}"
    slots = [q.metric, q.dataset, "/".join(q.languages) or None, q.model]
    if q.baseline:
        slots.append(f"vs {q.baseline}")
    return " ".join([figure, *(s for s in slots if s)])


def _claims_table(claims: list[Claim], title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("paper", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("claim")
    table.add_column("quantities")
    for c in claims:
        text = c.text if len(c.text) <= 160 else c.text[:157] + "…"
        flags = (" [dim](hedged)[/]" if c.hedging else "") + (
            " [dim](neg)[/]" if c.polarity == "negative" else ""
        )
        table.add_row(
            c.id,
            c.paper_id or "",
            c.kind.value,
            text + flags,
            "; ".join(quantity_label(q) for q in c.quantities),
        )
    return table


def extract(
    ids: Annotated[
        list[str] | None, typer.Argument(help="arXiv ids of stored papers (e.g. 2104.08645).")
    ] = None,
    all_papers: Annotated[bool, typer.Option("--all", help="Every paper in the library.")] = False,
    extractor: Annotated[
        str, typer.Option("--extractor", help="offline (default, rule-based) or llm.")
    ] = "offline",
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON Lines of claims on stdout.")
    ] = False,
) -> None:
    """Extract claims from stored papers and store them in the library.

    Idempotent: a rerun stores the same claims again (same ids); a new extractor version
    replaces its own earlier claims for the paper in one transaction, so nothing is ever
    half-written. Problems (a paper with no passages, garbage, another language) are warnings
    that name the paper.

    Example: [bold]litcheck extract 2104.08645 --json | jq .text[/]
    """
    from litcheck.cli_helpers import open_lib, settings
    from litcheck.retrieve.ids import parse_arxiv_id

    if extractor not in ("offline", "llm"):
        raise BadInputError(f"--extractor {extractor!r} is unknown; use offline or llm.")
    if not ids and not all_papers:
        raise BadInputError("Name the papers to extract from (arXiv ids), or pass --all.")
    wanted = [parse_arxiv_id(i).base for i in ids or []]
    kind: Literal["offline", "llm"] = "offline" if extractor == "offline" else "llm"
    llm = None
    if kind == "llm":
        from litcheck.extract.llm import LLMExtractor

        llm = LLMExtractor(settings())
    from litcheck.extract.offline import EXTRACTOR, extract_claims

    name = llm.name if llm is not None else EXTRACTOR
    results: list[tuple[str, list[Claim]]] = []
    try:
        with open_lib() as lib:
            paper_ids = wanted or lib.paper_ids()
            papers = [lib.get_paper(pid, with_sections=False) for pid in paper_ids]
            with progress(transient=True) as bar:
                task = bar.add_task("Extracting claims", total=len(papers))
                for paper in papers:
                    passages = lib.passages([paper.arxiv_id])
                    if llm is not None:
                        claims = llm.extract_claims(paper, passages, on_warning=warn)
                    else:
                        claims = extract_claims(paper, passages, on_warning=warn)
                    if passages:
                        lib.replace_claims(paper.arxiv_id, name, claims)
                    results.append((paper.arxiv_id, claims))
                    bar.advance(task)
    finally:
        if llm is not None:
            llm.close()
    if as_json:
        for _, claims in results:
            for c in claims:
                print_json_line(c.model_dump(mode="json"))
        return
    from rich.table import Table

    table = Table(title=f"Claims extracted with {name}")
    table.add_column("paper", style="cyan", no_wrap=True)
    table.add_column("claims", justify="right")
    table.add_column("with quantities", justify="right")
    for k in ClaimKind:
        table.add_column(k.value, justify="right")
    for pid, claims in results:
        table.add_row(
            pid,
            str(len(claims)),
            str(sum(bool(c.quantities) for c in claims)),
            *(str(sum(c.kind == k for c in claims)) for k in ClaimKind),
        )
    out_console.print(table)
    err_console.print(
        f"{sum(len(c) for _, c in results)} claim(s) from {len(results)} paper(s) stored; "
        "see `litcheck claims list`."
    )


@claims_app.command("list")
def claims_list(
    paper: Annotated[str | None, typer.Option(help="Only this paper (arXiv id).")] = None,
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: " + ", ".join(k.value for k in ClaimKind))
    ] = None,
    metric: Annotated[str | None, typer.Option(help="Only claims stating this metric.")] = None,
    extractor: Annotated[
        str | None, typer.Option(help="Only this extractor family (offline, llm).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines on stdout.")] = False,
) -> None:
    """List stored claims, filtered by paper, kind, metric or extractor.

    Example: [bold]litcheck claims list --paper 1911.02116 --kind comparison --metric accuracy[/]
    """
    from litcheck.cli_helpers import open_lib
    from litcheck.retrieve.ids import parse_arxiv_id

    if kind is not None and kind not in {k.value for k in ClaimKind}:
        raise BadInputError(
            f"--kind {kind!r} is unknown; use one of {', '.join(k.value for k in ClaimKind)}."
        )
    paper_id = parse_arxiv_id(paper).base if paper else None
    with open_lib() as lib:
        claims = lib.claims(paper_id=paper_id, kind=kind, metric=metric, extractor=extractor)
    if as_json:
        for c in claims:
            print_json_line(c.model_dump(mode="json"))
        return
    out_console.print(_claims_table(claims, f"{len(claims)} claim(s)"))


@claims_app.command("show")
def claims_show(
    claim_id: Annotated[str, typer.Argument(help="A claim id from `litcheck claims list`.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> None:
    """Show one claim with its provenance and quantities.

    Example: [bold]litcheck claims show c_d6d039af1389599d --json[/]
    """
    from litcheck.cli_helpers import open_lib

    with open_lib() as lib:
        claim = lib.get_claim(claim_id)
    if as_json:
        print(json.dumps(claim.model_dump(mode="json"), ensure_ascii=False))
        return
    out_console.print(f"[bold]{claim.text}[/]", highlight=False)
    out_console.print(
        f"[cyan]{claim.id}[/]  paper {claim.paper_id}"
        f"{'v' + str(claim.paper_version) if claim.paper_version else ''}  §{claim.section}  "
        f"passage {claim.passage_id}  span {claim.span}",
        highlight=False,
    )
    out_console.print(
        f"kind: {claim.kind.value}   polarity: {claim.polarity}   hedging: "
        f"{', '.join(claim.hedging) or 'none'}   extractor: {claim.extractor}",
        highlight=False,
    )
    if claim.context:
        out_console.print(f"context: {claim.context}", highlight=False)
    for q in claim.quantities:
        out_console.print(f"  • {quantity_label(q)}   [dim]({q.text})[/]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``extract`` and ``claims`` to the litcheck CLI."""
    app.command("extract")(extract)
    app.add_typer(claims_app, name="claims")
