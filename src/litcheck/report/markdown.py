"""Markdown and JSON writers for synthesis reports and reverify reports.

The Markdown starts with a marker comment (``<!-- litcheck-report 1 -->``) so that ``reverify``
recognises our own reports and reads their claims table without guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from litcheck.models import Evidence, Label
from litcheck.report.models import (
    MeasuredFigure,
    Report,
    ReportClaim,
    ReportPaper,
    ReverifyReport,
)
from litcheck.report.scorecard import scorecard_markdown
from litcheck.report.search_flow import search_flow_markdown

REPORT_MARKER = "<!-- litcheck-report 1 -->"
REVERIFY_MARKER = "<!-- litcheck-reverify 1 -->"

SYMBOL = {Label.SUPPORTED: "✓", Label.CONTRADICTED: "✗", Label.NOT_ENOUGH_INFO: "?"}
WORD = {
    Label.SUPPORTED: "SUPPORTED",
    Label.CONTRADICTED: "CONTRADICTED",
    Label.NOT_ENOUGH_INFO: "NOT_ENOUGH_INFO",
}


def cell(text: str | None) -> str:
    """Text safe inside a Markdown table cell (pipes escaped, one line)."""
    if not text:
        return ""
    return " ".join(text.split()).replace("|", "\\|")


def confidence_text(value: float | None) -> str:
    """A confidence as printed: two decimals, or an em dash when there is none."""
    return "—" if value is None else f"{value:.2f}"


def evidence_text(ev: Evidence, limit: int = 240) -> str:
    """A quote with its paper and section: “…” — 2104.08645 §4 Results."""
    quote = " ".join(ev.text.split())
    if len(quote) > limit:
        quote = quote[: limit - 1].rstrip() + "…"
    where = ev.paper + (f" §{ev.section}" if ev.section else "")
    return f"“{quote}” — {where}"


def verdict_counts(rows: Sequence[ReportClaim]) -> dict[Label, int]:
    """How many rows have each verdict (every label present, zeros included)."""
    counts = Counter(r.verdict for r in rows)
    return {label: counts.get(label, 0) for label in Label}


def standing_counts(rows: Sequence[ReportClaim]) -> dict[str, int]:
    """How many rows are corroborated, contradicted, single source (zeros included)."""
    counts = Counter(r.standing for r in rows)
    return {k: counts.get(k, 0) for k in ("corroborated", "contradicted", "single source")}


def author_list(authors: Sequence[str], limit: int = 3) -> str:
    """Authors as a reference prints them: 'A', 'A and B', 'A, B and C', 'A, B, C et al.'.

    Args:
        authors: full names, in order.
        limit: most names printed; longer lists end in "et al." (one period).

    Returns:
        The list; empty when there are no authors.
    """
    names = [" ".join(a.split()) for a in authors if a and a.strip()]
    if not names:
        return ""
    if len(names) > limit:
        return ", ".join(names[:limit]) + " et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_authors(authors: Sequence[str]) -> str:
    """Authors as a table cell: 'Huang et al.' (three or more), 'Wu and Dredze', 'Pires'."""
    names = [" ".join(a.split()) for a in authors if a and a.strip()]
    if len(names) >= 3:
        return f"{names[0]} et al."
    return " and ".join(names)


def paper_date(paper: ReportPaper) -> tuple[str, bool]:
    """The date shown for a paper: its submission date, else the month its arXiv id encodes.

    Returns:
        (date text, whether it is the exact submission date).
    """
    if paper.published:
        return paper.published, True
    m = re.match(r"^(\d{2})(\d{2})\.\d{4,5}$", paper.arxiv_id)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"20{m.group(1)}-{m.group(2)}", False
    return "", False


def _join_sentence(*parts: str) -> str:
    """Parts joined as '. '-separated sentences, never doubling a final period."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not out.endswith((".", "?", "!")):
            out += "."
        out += (" " if out else "") + part
    return out if out.endswith((".", "?", "!", ">")) else out + "."


def reference_text(paper: ReportPaper) -> str:
    """One reference: 'A, B and C (2021). Title. arXiv:2104.08645v2. <url>'."""
    year = f" ({paper.published[:4]})" if paper.published else ""
    who = author_list(paper.authors, limit=6)
    ver = f"v{paper.version}" if paper.version else ""
    head = f"{who}{year}" if who else (year.strip(" ()") if year else "")
    return _join_sentence(head, paper.title, f"arXiv:{paper.arxiv_id}{ver}") + f" <{paper.url}>"


def standing_text(row: ReportClaim) -> str:
    """The verdict cell: '✓ corroborated by Q', '✗ contradicted by Q' or '? single source'."""
    if row.standing == "corroborated":
        return f"✓ corroborated by {', '.join(row.corroborated_by)}"
    if row.standing == "contradicted":
        return f"✗ contradicted by {', '.join(row.contradicted_by)}"
    return "? single source"


def write_markdown(report: Report) -> str:
    """Render a synthesis report as Markdown.

    Summary and claims come first; counts are in the method section.

    Args:
        report: the report.

    Returns:
        The Markdown text (deterministic for a given report).
    """
    m = report.method
    out: list[str] = [REPORT_MARKER, f"# {report.question}", ""]
    out.append(
        f"_Synthesis report generated {report.generated_at.isoformat()} by litcheck "
        f"{m.litcheck_version}._"
    )
    out.append("")
    out.append("## Summary")
    out.append("")
    if not report.papers:
        out.append("No papers were found for this question; nothing could be checked.")
    else:
        out.append(" ".join(report.summary))
    out.append("")
    out += ["## Claims", ""]
    if report.claims:
        out.append(
            "Each claim is grounded in the paper that states it and judged only by the other "
            "papers of this report."
        )
        out.append("")
        out.append("| # | Claim | Stated in | Verdict | Confidence | Evidence (another paper) |")
        out.append("|---|---|---|---|---|---|")
        for i, r in enumerate(report.claims, 1):
            decisive = r.standing != "single source"
            ev = evidence_text(r.evidence[0]) if r.evidence and decisive else ""
            stated = (r.source or "") + (f" §{r.section}" if r.section else "")
            verdict = f"{standing_text(r)} ({WORD[r.verdict]})"
            out.append(
                f"| {i} | {cell(r.claim)} | {cell(stated)} | {cell(verdict)} | "
                f"{confidence_text(r.confidence)} | {cell(ev)} |"
            )
        notes = [(i, r.note) for i, r in enumerate(report.claims, 1) if r.note]
        if notes:
            out.append("")
            out.append("Notes: " + " ".join(f"({i}) {cell(n)}." for i, n in notes))
    else:
        out.append("No relevant claims.")
    out.append("")
    out += ["## Contradictions between papers", ""]
    if report.contradictions:
        for c in report.contradictions:
            out.append(f"- **{cell(c.slot)}** ({c.kind}): {cell(c.reason)}.")
            for side in (c.first, c.second):
                num = f"claim {side.row}, " if side.row is not None else ""
                where = side.paper + (f" §{side.section}" if side.section else "")
                out.append(f"  - {num}{where} ({cell(side.figure)}): “{cell(side.quote)}”")
    else:
        out.append(
            "No two claims of different papers fill the same slot (metric, dataset, language, "
            "setting) with incompatible figures."
        )
    out.append("")
    out += ["## Method", ""]
    source = "arXiv search" if m.source == "arxiv" else "the local library (offline)"
    out.append(
        f"- Papers from: {source}; at most {m.max_papers}"
        + (f", submitted on or after {m.since}" if m.since else "")
        + "."
    )
    out.append("- Queries: " + ("; ".join(f"`{q}`" for q in m.queries) or "(none)"))
    standing = standing_counts(report.claims)
    out.append(
        f"- Counts: {m.papers_found} papers, {m.papers_with_full_text} with full text; "
        f"{m.claims_extracted} claims extracted, {m.claims_relevant} relevant, "
        f"{m.claims_verified} verified: {standing['corroborated']} corroborated, "
        f"{standing['contradicted']} contradicted by another paper, "
        f"{standing['single source']} single source; "
        f"{len(report.contradictions)} contradiction(s) between papers."
    )
    out.append(f"- Relevance: {m.relevance_rule}; threshold {m.relevance_threshold}.")
    out.append(f"- Verdict: {m.verdict_rule}.")
    out.append(f"- Contradictions between papers: {CONTRADICTION_RULE}.")
    out.append(f"- Embedding model: {m.embedding_model}")
    out.append(f"- Extractor: {m.extractor}")
    out.append(f"- Verifier: {m.verifier}")
    if m.timings:
        total = sum(t.seconds for t in m.timings)
        out.append(
            "- Time per stage: "
            + ", ".join(f"{t.stage} {t.seconds:.2f} s ({t.items})" for t in m.timings)
            + f"; total {total:.2f} s."
        )
    out.append("")
    if report.search_flow is not None:
        out.append(search_flow_markdown(report.search_flow))
    out += ["## Papers", ""]
    if report.papers:
        out.append("| # | arXiv | Title | Authors | Date | Full text | Claims kept / extracted |")
        out.append("|---|---|---|---|---|---|---|")
        for i, p in enumerate(report.papers, 1):
            when, exact = paper_date(p)
            mark = "" if exact or not when else " (id)"
            out.append(
                f"| {i} | [{p.arxiv_id}]({p.url}) | {cell(p.title)} | "
                f"{cell(short_authors(p.authors))} | {when}{mark} | "
                f"{p.full_text_source or 'abstract only'} | "
                f"{p.claims_kept} / {p.claims_extracted} |"
            )
        if any(not p.published for p in report.papers):
            out.append("")
            out.append(
                "A date marked (id) is the submission month the arXiv id encodes; no exact "
                "date was recorded for that paper."
            )
    else:
        out.append("None.")
    out.append("")
    if report.measured:
        out += ["## Reported vs measured", ""]
        out += _figures_table(report.measured)
        out.append("")
    if report.scorecard is not None:
        out.append(scorecard_markdown(report.scorecard))
        out += scorecard_notes(report)
    out += ["## Limitations", ""]
    out += [f"- {line}" for line in report.limitations]
    out.append("")
    out += ["## References", ""]
    if report.papers:
        for i, p in enumerate(report.papers, 1):
            out.append(f"{i}. {reference_text(p)}")
    else:
        out.append("None.")
    out.append("")
    return "\n".join(out)


CONTRADICTION_RULE = (
    "listed only when two claims of different papers fill the same slot (metric, dataset, "
    "language, setting, model or method, baseline, read from their figures) with values that "
    "differ by more than rounding allows or changes that go opposite ways, with both quotes"
)
CITATION_RULE = (
    "A row cites its source paper, the papers it shows as corroborating or contradicting it, and "
    "any arXiv "
    "id its claim names; each citation is checked for topic similarity to the claim and for "
    "evidence used from it (`litcheck.verify.citations`)."
)
SCORED_VERDICT_RULE = (
    "Each row is scored on the other papers' answer (never its own paper's): its label, "
    "calibrated confidence and evidence; a single-source row, or an answer below 0.5, counts "
    "as not enough information, so only independent corroboration counts."
)


def scorecard_notes(report: Report) -> list[str]:
    """The lines under the scorecard table: what was scored, and the flagged citations."""
    out = [f"{SCORED_VERDICT_RULE} {CITATION_RULE}", ""]
    if report.flagged_citations:
        out += ["Flagged citations (cannot bear on their claim):", ""]
        for c in report.flagged_citations:
            title = f" ({cell(c.title)})" if c.title else ""
            out.append(f"- {c.paper}{title} for “{cell(c.claim)}”: {cell(c.reason)}")
    else:
        out.append("No citation was flagged.")
    out.append("")
    return out


def write_json(report: Report | ReverifyReport) -> str:
    """Render a report (synthesis or reverify) as indented JSON matching its schema."""
    return report.model_dump_json(indent=2) + "\n"


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.1f}"


def _figures_table(figures: Sequence[MeasuredFigure]) -> list[str]:
    out = [
        "| # | Line | Claim | Figure | Slot | Reported | Measured (mean [95% CI], n) | Outcome |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, f in enumerate(figures, 1):
        slot = f.slot.label() if f.slot else ""
        if f.baseline is not None:
            slot += f" − {f.baseline.label()}"
        meas = ""
        if f.measured is not None:
            meas = (
                f"{_pct(f.measured.mean)} [{_pct(f.measured.low)}, {_pct(f.measured.high)}], "
                f"n={f.measured.n}"
            )
        outcome = f"**{f.outcome}**: {cell(f.reason)}"
        out.append(
            f"| {i} | {f.line or ''} | {cell(f.claim)} | {cell(f.figure)} | {cell(slot)} | "
            f"{_pct(f.reported)} | {meas} | {outcome} |"
        )
    return out


def write_reverify_markdown(rep: ReverifyReport) -> str:
    """Render a reverify report as Markdown (figures in percent, as papers print them)."""
    out = [REVERIFY_MARKER, f"# Reverify: {rep.report}", ""]
    out.append(
        f"_Generated {rep.generated_at.isoformat()}: figures of `{rep.report}` "
        f"({rep.report_kind}) checked against the runs in `{rep.runs}`._"
    )
    out.append("")
    out += ["## Summary", ""]
    c = rep.counts
    out.append(
        f"{len(rep.figures)} figure(s) in {rep.claims_read} claim(s): "
        f"{c.get('CONFIRMED', 0)} confirmed, {c.get('REFUTED', 0)} refuted, "
        f"{c.get('UNMATCHED', 0)} unmatched. Runs: {len(rep.results_files)} results file(s), "
        f"{rep.slots_measured} measured slot(s)."
    )
    if rep.grid_warning:
        # Beside the counts, as it is what they cannot be trusted without.
        out += ["", f"**Warning:** {rep.grid_warning}"]
    out.append("")
    out += ["## Method", ""]
    out.append(
        "- Each figure is read as a fraction (74.4% → 0.744; a delta in points → /100) and set "
        "beside the runs' mean over seeds with its 95% Student-t confidence interval "
        "(paired over common seeds for a difference of two slots, else Welch). A mean "
        "pooled over methods or subsets takes every run of the pooled cells; a difference "
        "pooled over them takes the runs paired on everything but the compared setting "
        "(same cell, same seed), Student-t over the paired differences."
    )
    out.append(
        "- CONFIRMED: the reported value lies inside the interval widened by half a unit of "
        "its last written digit; for a delta, its sign agrees with the measured difference "
        "and its size lies inside that difference's interval. REFUTED otherwise. "
        "UNMATCHED: no run measured the slot the claim names (the reason says why), or the "
        "claim is about an encoder (mBERT, XLM-R, ...) other than the one the runs' manifests "
        "name."
    )
    out.append(
        "- Slot defaults when a claim does not say: metric accuracy, method plain, "
        "intermediate none, language zero_shot when the claim speaks of transfer, else all."
    )
    out.append("")
    out += ["## Figures", ""]
    if rep.figures:
        out += _figures_table(rep.figures)
    else:
        out.append("The report states no figure that could be checked against runs.")
    out.append("")
    if rep.skipped_files or rep.notes:
        out += ["## Notes", ""]
        for s in rep.skipped_files:
            out.append(f"- Skipped results file `{s.path}`: {s.reason}")
        out += [f"- {n}" for n in rep.notes]
        out.append("")
    out += ["## Runs read", ""]
    out += [f"- `{f}`" for f in rep.results_files] or ["None."]
    out.append("")
    return "\n".join(out)
