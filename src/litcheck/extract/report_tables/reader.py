"""The entry point: every dialect's tables of a report, the claims table among them."""

from __future__ import annotations

from litcheck.errors import BadInputError
from litcheck.extract.report_tables.base import ParsedReport, ReportClaim, Source, Table
from litcheck.extract.report_tables.footnotes import footnote_definitions, with_footnotes
from litcheck.extract.report_tables.ids import find_arxiv_ids
from litcheck.extract.report_tables.layout import (
    Layout,
    claim_columns,
    find_layout,
    row_claim,
    title_above,
)
from litcheck.extract.report_tables.registry import DIALECTS, FALLBACK_DIALECTS


def parse_report(text: str, source: str = "<report>") -> ParsedReport:
    """Parse the claims table of a report, in any of the dialects the module reads.

    Markdown pipe tables, tab-separated blocks, CSV, box-drawing tables (rich, tabulate's
    fancy_grid and kin), reST / tabulate grid tables, fixed-width tables under a rule of dash
    groups, HTML ``<table>``, LaTeX ``tabular`` / ``tabularx`` / ``longtable``, and JSON or
    JSON Lines objects. Every table of every dialect is a candidate; the one whose header
    names a claim column (Claim, Statement, Finding, Original, ...) and a verdict column wins,
    ties going to the one that starts first. A row wrapped over several lines is one claim.

    Args:
        text: the report's text.
        source: where it came from (a path), used in error messages and kept in the result.

    Returns:
        The title, the claim rows in table order, and every arXiv id the file mentions.
        ``format`` names the dialect of the table read.

    Raises:
        BadInputError: when no table with a claim column is found (malformed tables of any
            dialect are skipped, never raised).

    Example:
        >>> report = parse_report(open("synthesis-report.txt").read())  # doctest: +SKIP
        >>> report.rows[0].mark, report.rows[0].confidence
        ('verified', 0.16)
    """
    src = Source.of(text)
    tables = [table for dialect in DIALECTS for table in dialect.read(src)]
    if not any(claim_columns(t) for t in tables):
        tables += [table for dialect in FALLBACK_DIALECTS for table in dialect.read(src)]
    best: tuple[Table, Layout] | None = None
    for table in sorted(tables, key=lambda t: t.header_line):
        layout = find_layout(table)
        if layout is None or not table.rows:
            continue
        if best is None or layout.score > best[1].score:
            best = (table, layout)
    if best is None:
        raise BadInputError(
            f"{source} has no claims table: expected a column named Claim (or Statement, "
            "Finding) in a Markdown, org-mode or AsciiDoc table, a tab-separated block, a CSV "
            "file, a box-drawing or grid table, a reST list-table or csv-table, a fixed-width "
            "table under a dashed rule, an HTML <table>, a LaTeX tabular, JSON objects, "
            "schema.org ClaimReview JSON-LD, 'Claim: ... / Verdict: ...' records (YAML too), "
            "or a numbered or bulleted list whose items cite a source or carry a verdict."
        )
    table, layout = best
    # After the layout is chosen, so that a Footnotes column changes no table's score.
    table = with_footnotes(table, footnote_definitions(src.lines))
    rows: list[ReportClaim] = []
    for position, (line, cells) in enumerate(table.rows):
        claim = row_claim(table, layout, len(rows) + 1, line, cells, position)
        if claim is not None:
            rows.append(claim)
    title = (
        table.title if table.title is not None else title_above(src.lines, table.header_line - 1)
    )
    return ParsedReport(
        title=title or None,
        rows=rows,
        references=find_arxiv_ids(src.text),
        format=table.format,
        source=source,
    )
