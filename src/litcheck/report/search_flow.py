"""How a report got its papers, PRISMA-style: a :class:`SearchFlow`, a table and an SVG diagram.

The flow records, in order: the queries sent to each source and the records each returned,
the sources that failed (and why), duplicates removed when records of one paper were merged,
papers screened out (off-topic by relevance score, no text, out of date range), full texts
read, and the papers that contributed claims to the report.

Build it with :func:`flow_from_search` (multi-source search, see
:class:`~litcheck.report.sources.MultiSourcePaperSource`) or
:func:`~litcheck.report.pipeline.flow_from_report` (any report, from its method and papers),
render it with :func:`search_flow_markdown` and :func:`search_flow_svg` (inline SVG,
no external assets).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from litcheck.retrieve.merge import MergedPaper
    from litcheck.retrieve.sources import MultiSearch

#: Why a paper was left out: off topic (no claim reached the relevance threshold), no text
#: (nothing to extract claims from), out of the ``--since`` date range, or ranked below the
#: ``--max-papers`` papers kept.
ScreenReason = Literal["off-topic", "no text", "out of date range", "over max papers"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FlowQuery(_Model):
    """One query sent to one source."""

    source: str
    query: str
    records: int = Field(ge=0)


class FlowFailure(_Model):
    """A source that failed, with the query it failed on and why."""

    source: str
    query: str
    reason: str


class ScreenedPaper(_Model):
    """A paper left out before claims were extracted or kept, and why."""

    paper: str
    title: str
    reason: ScreenReason
    detail: str


class SearchFlow(_Model):
    """The PRISMA-style record of a report's search (see the module docstring)."""

    queries: list[FlowQuery] = Field(default_factory=list)
    failures: list[FlowFailure] = Field(default_factory=list)
    records_per_source: dict[str, int] = Field(default_factory=dict)
    duplicates_removed: int = Field(default=0, ge=0)
    screened_out: list[ScreenedPaper] = Field(default_factory=list)
    full_texts_read: list[str] = Field(default_factory=list)
    contributed_claims: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def records_found(self) -> int:
        """Records returned by all sources together."""
        return sum(self.records_per_source.values())

    @property
    def unique_papers(self) -> int:
        """Papers after duplicates were removed."""
        return self.records_found - self.duplicates_removed

    @property
    def screened_counts(self) -> dict[str, int]:
        """Papers screened out per reason."""
        return dict(Counter(s.reason for s in self.screened_out))

    def counts(self) -> dict[str, object]:
        """The flow's numbers as a JSON-ready dict."""
        return {
            "queries_per_source": dict(Counter(q.source for q in self.queries)),
            "records_per_source": dict(self.records_per_source),
            "records_found": self.records_found,
            "duplicates_removed": self.duplicates_removed,
            "unique_papers": self.unique_papers,
            "screened_out": self.screened_counts,
            "full_texts_read": len(self.full_texts_read),
            "contributed_claims": len(self.contributed_claims),
            "source_failures": [f.model_dump() for f in self.failures],
        }


def flow_from_search(found: MultiSearch, merged: Sequence[MergedPaper]) -> SearchFlow:
    """The identification part of the flow: queries, records, failures, duplicates.

    Args:
        found: what :func:`~litcheck.retrieve.sources.search_sources` returned.
        merged: the merged papers of ``found.all_records()``.

    Returns:
        A flow with no screening yet (see :func:`screen_papers`).
    """
    total = sum(len(v) for v in found.records.values())
    return SearchFlow(
        queries=[
            FlowQuery(source=q.source, query=q.query, records=q.records) for q in found.queries
        ],
        failures=[
            FlowFailure(source=f.source, query=f.query, reason=f.reason) for f in found.failures
        ],
        records_per_source={k: len(v) for k, v in found.records.items()},
        duplicates_removed=total - len(merged),
        warnings=list(found.warnings),
    )


def screen_papers(
    merged: Sequence[MergedPaper], since: date | None
) -> tuple[list[MergedPaper], list[ScreenedPaper]]:
    """Drop papers out of the date range or without any text; keep the rest in order.

    Args:
        merged: merged papers, best first.
        since: the report's start date (a paper's year must not be before its year).

    Returns:
        (kept, screened out with reasons). A paper without a year is kept (noted nowhere as
        excluded: an unknown date is not out of range).
    """
    kept: list[MergedPaper] = []
    out: list[ScreenedPaper] = []
    for m in merged:
        year = m.published.year if m.published else m.year
        if since is not None and year is not None and year < since.year:
            out.append(
                ScreenedPaper(
                    paper=m.key,
                    title=m.title,
                    reason="out of date range",
                    detail=f"published {year}, before {since.isoformat()}",
                )
            )
        elif not m.abstract.strip() and not m.arxiv_id:
            out.append(
                ScreenedPaper(
                    paper=m.key,
                    title=m.title,
                    reason="no text",
                    detail="no abstract and no arXiv full text",
                )
            )
        else:
            kept.append(m)
    return kept, out


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def flow_stages(flow: SearchFlow) -> list[tuple[str, int, str]]:
    """The flow's stages in order, as (stage, count, detail) rows (the table of both writers).

    Args:
        flow: the flow.

    Returns:
        Queries sent, records found, source failures, duplicates removed, unique papers,
        screened out, full texts read, papers that contributed claims.
    """
    per_source = ", ".join(f"{k} {v}" for k, v in flow.records_per_source.items()) or "none"
    screened = ", ".join(f"{k} {v}" for k, v in flow.screened_counts.items()) or "none"
    queries = ", ".join(f"{k} {v}" for k, v in Counter(q.source for q in flow.queries).items())
    failures = "; ".join(f"{f.source}: {f.reason}" for f in flow.failures) or "none"
    return [
        ("queries sent", len(flow.queries), queries),
        ("records found", flow.records_found, per_source),
        ("source failures", len(flow.failures), failures),
        (
            "duplicates removed",
            flow.duplicates_removed,
            "records of one paper from several queries or sources, matched by DOI, arXiv id, "
            "title+year",
        ),
        ("unique papers", flow.unique_papers, ""),
        ("screened out", len(flow.screened_out), screened),
        ("full texts read", len(flow.full_texts_read), ""),
        ("papers that contributed claims", len(flow.contributed_claims), ""),
    ]


def search_flow_markdown(flow: SearchFlow, title: str = "Search flow") -> str:
    """The flow as Markdown: counts per stage, queries per source, failures, screened papers.

    Args:
        flow: the flow.
        title: section heading.

    Returns:
        Markdown text.
    """
    lines = [f"## {title}", "", "| stage | count | detail |", "|---|---|---|"]
    lines += [
        f"| {stage} | {count} | {_cell(detail)} |" if detail else f"| {stage} | {count} | |"
        for stage, count, detail in flow_stages(flow)
    ]
    if flow.queries:
        lines += ["", "| source | query | records |", "|---|---|---|"]
        lines += [f"| {q.source} | {_cell(q.query)} | {q.records} |" for q in flow.queries]
    if flow.screened_out:
        lines += ["", "| screened out | reason | detail |", "|---|---|---|"]
        lines += [
            f"| {_cell(s.paper)} {_cell(s.title)} | {s.reason} | {_cell(s.detail)} |"
            for s in flow.screened_out
        ]
    if flow.warnings:
        lines += ["", "Records skipped:", ""] + [f"- {_cell(w)}" for w in flow.warnings]
    return "\n".join(lines) + "\n"


def search_flow_svg(flow: SearchFlow) -> str:
    """The flow as an inline SVG diagram (boxes and arrows; no external fonts or images).

    Args:
        flow: the flow.

    Returns:
        An ``<svg>`` element as text, safe to embed in HTML (all text escaped).
    """
    per_source = ", ".join(f"{k}: {v}" for k, v in flow.records_per_source.items()) or "none"
    main = [
        ("Records found", f"{flow.records_found} ({per_source})"),
        ("After duplicates removed", f"{flow.unique_papers} ({flow.duplicates_removed} removed)"),
        ("Papers screened", f"{flow.unique_papers}"),
        ("Full texts read", f"{len(flow.full_texts_read)}"),
        ("Papers that contributed claims", f"{len(flow.contributed_claims)}"),
    ]
    side: dict[int, tuple[str, str]] = {}
    if flow.failures:
        side[0] = (
            "Source failures",
            "; ".join(f"{f.source}: {f.reason[:60]}" for f in flow.failures),
        )
    counts = flow.screened_counts
    side[2] = (
        f"Screened out: {len(flow.screened_out)}",
        ", ".join(f"{k} {v}" for k, v in counts.items()) or "none",
    )
    w, h, gap, x0, x1, side_w = 330, 54, 26, 10, 380, 330
    height = len(main) * (h + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {x1 + side_w + 10} '
        f'{height}" width="{x1 + side_w + 10}" height="{height}" font-family="sans-serif" '
        'font-size="12">',
        "<title>Search flow (PRISMA-style)</title>",
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#444"/></marker></defs>',
    ]

    def box(x: int, y: int, bw: int, head: str, body: str, fill: str) -> None:
        parts.append(
            f'<rect x="{x}" y="{y}" width="{bw}" height="{h}" rx="4" fill="{fill}" stroke="#444"/>'
        )
        parts.append(
            f'<text x="{x + 8}" y="{y + 20}" font-weight="bold">{html.escape(head)}</text>'
        )
        shown = body if len(body) <= 52 else body[:51] + "…"
        parts.append(f'<text x="{x + 8}" y="{y + 40}">{html.escape(shown)}</text>')

    for i, (head, body) in enumerate(main):
        y = 10 + i * (h + gap)
        box(x0, y, w, head, body, "#eef3fb")
        if i + 1 < len(main):
            parts.append(
                f'<line x1="{x0 + w // 2}" y1="{y + h}" x2="{x0 + w // 2}" y2="{y + h + gap - 2}" '
                'stroke="#444" marker-end="url(#arrow)"/>'
            )
        if i in side:
            head2, body2 = side[i]
            box(x1, y, side_w, head2, body2, "#fdf0e6")
            parts.append(
                f'<line x1="{x0 + w}" y1="{y + h // 2}" x2="{x1 - 2}" y2="{y + h // 2}" '
                'stroke="#444" marker-end="url(#arrow)"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
