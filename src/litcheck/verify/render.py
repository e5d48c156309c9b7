"""Render verdicts and audits: JSON Lines, Markdown, HTML (verdicts) and ClaimReview JSON-LD.

An audit's HTML page is written by :func:`litcheck.report.audit_html.write_audit_html`, with
the same renderer as ``report --format html`` (a later stage, so it lives there).
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from typing import Any

from litcheck.models import Label, Verdict
from litcheck.verify.audit import AuditResult, AuditRow, ReferenceStatus, decided
from litcheck.verify.report_refs import arxiv_base


def verdict_json(v: Verdict) -> dict[str, Any]:
    """One verdict in the DESIGN.md shape, plus what a reader needs to weigh it.

    Returns:
        ``{"id", "claim", "verdict", "confidence", "evidence": [{"paper", "section", "text",
        "score", "passage", "start", "end", "role"}], "reason", "judge", "checked",
        "leaning", "leaning_confidence"}``; ``confidence`` is null for a claim that could not
        be checked; ``leaning`` is the verdict the judge leaned to when it was too weak to
        decide.
    """
    return {
        "id": v.id,
        "claim": v.claim,
        "verdict": v.verdict.value,
        "confidence": round(v.confidence, 4) if v.checked else None,
        "evidence": [
            {
                "paper": e.paper,
                "section": e.section,
                "text": e.text,
                "score": round(e.score, 4),
                "passage": e.passage_id,
                "start": e.start,
                "end": e.end,
                "role": e.role,
            }
            for e in v.evidence
        ],
        "reason": v.reason,
        "judge": v.judge,
        "checked": v.checked,
        "leaning": v.leaning.value if v.leaning else None,
        "leaning_confidence": v.leaning_confidence,
    }


def confidence_cell(v: Verdict) -> str:
    """The confidence as a reader sees it: blank when unchecked, the leaning when abstained."""
    if not v.checked:
        return "—"
    if v.leaning is not None and v.leaning_confidence is not None:
        return f"{v.confidence:.2f} (leans {v.leaning.value} {v.leaning_confidence:.2f})"
    return f"{v.confidence:.2f}"


def _md_cell(text: str | None, limit: int = 400) -> str:
    text = (text or "").replace("\n", " ").replace("|", "\\|").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(v: Verdict) -> str:
    if not v.evidence:
        return ""
    e = v.evidence[0]
    return f"“{e.text}” ({e.paper}, §{e.section or '?'})"


def verdicts_markdown(verdicts: list[Verdict], title: str = "Verification") -> str:
    """A Markdown table: claim, verdict, confidence, evidence quote with paper and section."""
    judge = verdicts[0].judge if verdicts else ""
    lines = [
        f"# {title}",
        "",
        f"Judge: {judge}",
        "",
        "| id | claim | verdict | confidence | evidence | reason |",
        "|---|---|---|---|---|---|",
    ]
    for v in verdicts:
        lines.append(
            f"| {_md_cell(v.id)} | {_md_cell(v.claim)} | {v.verdict.value} | "
            f"{confidence_cell(v)} | {_md_cell(_quote(v))} | {_md_cell(v.reason)} |"
        )
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}"
    ".SUPPORTED{color:#176f2c}.CONTRADICTED{color:#b00020}.NOT_ENOUGH_INFO{color:#666}"
    ".disagree{background:#fff3cd}"
)


def _html_page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title><style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}"
        "</body></html>\n"
    )


def verdicts_html(verdicts: list[Verdict], title: str = "Verification") -> str:
    """A self-contained HTML page with one table row per verdict."""
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(v.id)}</td><td>{e(v.claim)}</td><td class='{v.verdict.value}'>"
        f"{v.verdict.value}</td><td>{e(confidence_cell(v))}</td><td>{e(_quote(v))}</td>"
        f"<td>{e(v.reason or '')}</td></tr>"
        for v in verdicts
    )
    judge = e(verdicts[0].judge or "") if verdicts else ""
    return _html_page(
        title,
        f"<p>Judge: {judge}</p><table><tr><th>id</th><th>claim</th>"
        f"<th>verdict</th><th>confidence</th><th>evidence</th><th>reason</th></tr>"
        f"{rows}</table>",
    )


def render_verdicts(verdicts: list[Verdict], fmt: str) -> str:
    """Verdicts as ``json`` (one object per line), ``md`` or ``html``."""
    if fmt == "json":
        return "".join(json.dumps(verdict_json(v), ensure_ascii=False) + "\n" for v in verdicts)
    if fmt == "html":
        return verdicts_html(verdicts)
    return verdicts_markdown(verdicts)


#: Shown where a row was not checked, in place of a verdict's confidence.
NO_CONFIDENCE = "—"
#: What a reader must know about the "elsewhere in the library" results.
ELSEWHERE_RULE = (
    "Rows that could not be checked against the papers they cite were verified against the "
    "whole library instead. These verdicts are about other papers, not the one the report "
    "cites: they are never a disagreement with the report and never count towards --strict."
)
#: How rows are checked.
CHECK_RULE = (
    "Each row is verified against the papers it cites (its own Source cell, else the "
    "report's references) and only those; a row whose cited papers are not in the library is "
    "not checked and shows no confidence."
)


def _ref_json(ref: ReferenceStatus) -> dict[str, Any]:
    return {
        "raw": ref.raw,
        "paper_id": ref.paper_id,
        "status": ref.status,
        "kind": ref.kind,
        "number": ref.number,
        "available": ref.available,
        "fetch": ref.fetch,
        "title": ref.title,
    }


def paper_text(ref: ReferenceStatus) -> str:
    """A reference's library paper: its id and title, or "not available"."""
    if not ref.paper_id:
        return "not available"
    return f"{ref.paper_id} ({ref.title})" if ref.title else ref.paper_id


def row_confidence(row: AuditRow) -> float | None:
    """Our confidence for a row, ``None`` when the row was not checked against its papers."""
    return round(row.verdict.confidence, 4) if row.checked else None


def report_mark_text(row: AuditRow) -> str:
    """The report's mark as written, with its confidence when given apart ("✓ (0.16)")."""
    mark = row.raw_mark or "—"
    extras: list[str] = []
    if row.report_confidence is not None and f"{row.report_confidence:g}" not in mark:
        extras.append(f"{row.report_confidence:.2f}")
    label = row.report_confidence_label
    if label and label.lower() not in mark.lower():
        extras.append(label)
    return f"{mark} ({', '.join(extras)})" if extras else mark


def cited_text(row: AuditRow) -> str:
    """The papers a row rests on: available ones by id, then the missing ones."""
    have = [r.paper_id for r in row.cited if r.paper_id]
    parts = [
        *dict.fromkeys(p for p in have if p),
        *(f"{r.raw} (not available)" for r in row.missing),
    ]
    text = ", ".join(parts) or "none"
    return text if row.cites_own or not row.cited else f"report's references: {text}"


def agreement_text(row: AuditRow) -> str:
    """The agreement column: disagreement, agreement or why the row was not checked."""
    head = (row.disagreement or row.note or "agrees") if row.checked else row.status
    reason = row.verdict.reason
    if not reason:
        return head
    return reason if reason.startswith(head) else f"{head}; {reason}"


def parse_warning_text(row: AuditRow) -> str:
    """The table reader's warnings on the row, for its agreement / reason column.

    A row the reader could not read faithfully (an unescaped ``|`` that split a cell, a row
    with more or fewer cells than its header) was still checked as read: the note says so, so
    that a reader does not take the verdict for one on the claim as the report wrote it.

    Args:
        row: an audited row.

    Returns:
        ``"⚠ the row has 5 cells and its header 4: ..."`` (the warnings joined by
        ``"; "``), or ``""`` when the row was read cleanly.
    """
    if not row.parse_warnings:
        return ""
    return "⚠ " + "; ".join(row.parse_warnings)


def audit_json(result: AuditResult) -> list[dict[str, Any]]:
    """One JSON object per claim row, then one summary object (``"summary": true``).

    A row not checked against its cited papers has ``"confidence": null`` and its
    ``"status"`` says why; ``"elsewhere"`` holds the verdict against the rest of the library
    (``"counts_as_disagreement": false``) or null.
    """
    out: list[dict[str, Any]] = []
    for row in result.rows:
        obj = verdict_json(row.verdict)
        obj["confidence"] = row_confidence(row)
        # A NOT_ENOUGH_INFO "too weak to decide" keeps the verdict the judge leaned to.
        obj["leaning"] = row.verdict.leaning.value if row.verdict.leaning else None
        obj["leaning_confidence"] = row.verdict.leaning_confidence
        elsewhere = None
        if row.elsewhere is not None:
            elsewhere = verdict_json(row.elsewhere)
            elsewhere["counts_as_disagreement"] = False
        obj.update(
            {
                "row": row.index,
                "line": row.line,
                "status": row.status,
                "checked": row.checked,
                "cited": [_ref_json(r) for r in row.cited],
                "cites_own": row.cites_own,
                "report_mark": row.mark,
                "report_raw_mark": row.raw_mark,
                "report_confidence": row.report_confidence,
                "report_confidence_label": row.report_confidence_label,
                "disagreement": row.disagreement,
                "note": row.note,
                "elsewhere": elsewhere,
                "parse_warnings": row.parse_warnings,
            }
        )
        out.append(obj)
    out.append(
        {
            "summary": True,
            "source": result.source,
            "judge": result.judge,
            "claims": len(result.rows),
            "checked": len(result.rows) - result.unchecked,
            "disagreements": result.disagreements,
            "unchecked": result.unchecked,
            "cited_paper_not_available": result.not_available,
            "strict_failures": result.strict_failures,
            "elsewhere": sum(1 for r in result.rows if r.elsewhere is not None),
            "references": [_ref_json(r) for r in result.references],
            "fetch_commands": result.fetch_commands,
        }
    )
    return out


def audit_summary(result: AuditResult) -> str:
    """One sentence of counts: checked, disagreements, not checked, --strict failures."""
    checked = len(result.rows) - result.unchecked
    return (
        f"{len(result.rows)} claims: {checked} checked against their cited papers, "
        f"{result.disagreements} where the report's mark disagrees with ours; "
        f"{result.unchecked} not checked ({result.not_available} whose cited paper is not "
        f"available); {result.strict_failures} marked verified but not SUPPORTED (--strict)."
    )


def audit_markdown(result: AuditResult) -> str:
    """The audit as Markdown: references, claims checked against their cited papers, and the
    "elsewhere in the library" results in a section of their own.

    Args:
        result: the audit.

    Returns:
        Markdown text.
    """
    lines = [
        f"# Audit of {result.source}",
        "",
        f"Judge: {result.judge}",
        "",
        audit_summary(result),
        "",
        "## References",
        "",
        "| # | reference | paper | status |",
        "|---|---|---|---|",
    ]
    for ref in result.references:
        lines.append(
            f"| {_md_cell(ref.number or '')} | {_md_cell(ref.raw)} | "
            f"{_md_cell(paper_text(ref), 160)} | {_md_cell(ref.status)} |"
        )
    commands = result.fetch_commands
    if commands:
        lines += [
            "",
            "To check the rows that rest on the missing papers (needs the network), then rerun "
            "the audit: " + "; ".join(f"`{c}`" for c in commands) + ".",
        ]
    lines += [
        "",
        "## Claims",
        "",
        CHECK_RULE,
        "",
        "| # | claim | report | cited | ours | confidence | evidence | agreement / reason |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result.rows:
        v = row.verdict
        conf = row_confidence(row)
        # Cut apart from the reason, so that a long reason never hides the warning.
        warning = f" {_md_cell(parse_warning_text(row), 600)}" if row.parse_warnings else ""
        lines.append(
            f"| {row.index} | {_md_cell(v.claim)} | {_md_cell(report_mark_text(row))} | "
            f"{_md_cell(cited_text(row), 200)} | "
            f"{v.verdict.value if row.checked else 'not checked'} | "
            f"{NO_CONFIDENCE if conf is None else f'{conf:.2f}'} | "
            f"{_md_cell(_quote(v) if row.checked else '')} | "
            f"{_md_cell(agreement_text(row), 600)}{warning} |"
        )
    elsewhere = [r for r in result.rows if r.elsewhere is not None]
    if elsewhere:
        lines += [
            "",
            "## Elsewhere in the library (not the cited papers)",
            "",
            ELSEWHERE_RULE,
            "",
            "| # | claim | elsewhere in the library | confidence | evidence | reason |",
            "|---|---|---|---|---|---|",
        ]
        for row in elsewhere:
            e = row.elsewhere
            assert e is not None
            shown = decided(e)
            lines.append(
                f"| {row.index} | {_md_cell(e.claim)} | {e.verdict.value} | "
                f"{f'{e.confidence:.2f}' if shown else NO_CONFIDENCE} | {_md_cell(_quote(e))} | "
                f"{_md_cell(e.reason)} |"
            )
    return "\n".join(lines) + "\n"


#: The ClaimReview rating scale: 1 contradicted, 2 not enough information, 3 supported.
RATING = {Label.CONTRADICTED: 1, Label.NOT_ENOUGH_INFO: 2, Label.SUPPORTED: 3}


def _appearance(ref: ReferenceStatus) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ScholarlyArticle", "name": ref.title or ref.raw}
    key = ref.paper_id or ""
    base = arxiv_base(key) if key and not key.startswith("doi:") else None
    if base is None and ref.kind == "arxiv":
        base = arxiv_base(ref.raw)
    if base is not None:
        work["url"] = f"https://arxiv.org/abs/{base}"
        work["identifier"] = f"arXiv:{base}"
    elif key.startswith("doi:") or ref.kind == "doi":
        doi = key.removeprefix("doi:") if key.startswith("doi:") else ref.raw
        work["url"] = f"https://doi.org/{doi}"
        work["identifier"] = f"doi:{doi}"
    return work


def claimreview_jsonld(result: AuditResult, published: datetime | None = None) -> dict[str, Any]:
    """The audit as schema.org ``ClaimReview`` JSON-LD: one ClaimReview per row, in a graph.

    Each review carries ``claimReviewed`` (the claim), ``itemReviewed`` (a ``Claim`` whose
    ``appearance`` lists the papers the row cites, then the audited report), ``reviewRating``
    (``ratingValue`` on a 1-3 scale, ``worstRating`` 1 = CONTRADICTED, ``bestRating`` 3 =
    SUPPORTED, ``alternateName`` = our verdict, ``ratingExplanation`` = confidence and reason),
    ``author`` (litcheck and its judge) and the evidence quote as ``reviewBody``. A row that
    was not checked is rated NOT_ENOUGH_INFO and says why, with no confidence.

    Args:
        result: the audit.
        published: the review date (default: now, UTC).

    Returns:
        A JSON-LD document: ``{"@context": "https://schema.org", "@graph": [ClaimReview...]}``.
    """
    when = (published or datetime.now(UTC)).date().isoformat()
    author = {"@type": "Organization", "name": f"litcheck (judge: {result.judge})"}
    report = {"@type": "Report", "name": result.title or result.source, "identifier": result.source}
    titles = {r.paper_id: r.title for r in result.references if r.paper_id and r.title}
    graph: list[dict[str, Any]] = []
    for row in result.rows:
        v = row.verdict
        if row.checked:
            explanation = f"{v.verdict.value} with confidence {v.confidence:.2f}"
            if row.disagreement:
                explanation += f"; {row.disagreement}"
        else:
            explanation = f"not checked: {row.status}"
        if v.reason:
            explanation += f"; {v.reason}"
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "identifier": f"{result.source}#row{row.index}",
            "datePublished": when,
            "claimReviewed": v.claim,
            "itemReviewed": {
                "@type": "Claim",
                "appearance": [*(_appearance(r) for r in row.cited), report],
            },
            "author": author,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING[v.verdict],
                "bestRating": RATING[Label.SUPPORTED],
                "worstRating": RATING[Label.CONTRADICTED],
                "alternateName": v.verdict.value,
                "ratingExplanation": explanation,
            },
        }
        if row.checked and v.evidence:
            # A NOT_ENOUGH_INFO's sentence is the closest found, not a reason for a verdict.
            review["reviewBody"] = (
                _quote(v)
                if v.verdict is not Label.NOT_ENOUGH_INFO
                else f"Closest passage found (it does not decide the claim): {_quote(v)}"
            )
            # The papers the evidence was taken from, strongest first.
            review["citation"] = [
                _appearance(
                    ReferenceStatus(raw=paper, paper_id=paper, status="", title=titles.get(paper))
                )
                for paper in dict.fromkeys(e.paper for e in v.evidence)
            ]
        elif not row.checked:
            review["reviewBody"] = f"Not checked ({row.status}): {v.reason or ''}".rstrip(": ")
        graph.append(review)
    return {"@context": "https://schema.org", "@graph": graph}


def render_audit(result: AuditResult, fmt: str) -> str:
    """An audit as ``json`` (JSON Lines), ``md`` or ``claimreview`` / ``jsonld`` (JSON-LD).

    Raises:
        ValueError: for ``html``: that page is :func:`litcheck.report.audit_html.write_audit_html`.
    """
    if fmt == "json":
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in audit_json(result))
    if fmt in {"claimreview", "jsonld"}:
        return json.dumps(claimreview_jsonld(result), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        raise ValueError("write audit HTML with litcheck.report.audit_html.write_audit_html")
    return audit_markdown(result)
