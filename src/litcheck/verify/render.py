"""Render verdicts and audits as JSON Lines, Markdown or HTML (self-contained, escaped)."""

from __future__ import annotations

import html
import json
from typing import Any

from litcheck.models import Verdict
from litcheck.verify.audit import AuditResult, AuditRow


def verdict_json(v: Verdict) -> dict[str, Any]:
    """One verdict in the DESIGN.md shape (plus ``reason`` and ``judge``).

    Returns:
        ``{"id", "claim", "verdict", "confidence", "evidence": [{"paper", "section", "text",
        "score"}], "reason", "judge"}``.
    """
    return {
        "id": v.id,
        "claim": v.claim,
        "verdict": v.verdict.value,
        "confidence": round(v.confidence, 4),
        "evidence": [
            {"paper": e.paper, "section": e.section, "text": e.text, "score": round(e.score, 4)}
            for e in v.evidence
        ],
        "reason": v.reason,
        "judge": v.judge,
    }


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
            f"{v.confidence:.2f} | {_md_cell(_quote(v))} | {_md_cell(v.reason)} |"
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
        f"{v.verdict.value}</td><td>{v.confidence:.2f}</td><td>{e(_quote(v))}</td>"
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


def audit_json(result: AuditResult) -> list[dict[str, Any]]:
    """One JSON object per claim row, then one summary object (``"summary": true``)."""
    out: list[dict[str, Any]] = []
    for row in result.rows:
        obj = verdict_json(row.verdict)
        obj.update(
            {
                "row": row.index,
                "report_mark": row.mark,
                "report_raw_mark": row.raw_mark,
                "report_confidence": row.report_confidence,
                "disagreement": row.disagreement,
                "checked": row.checked,
            }
        )
        out.append(obj)
    out.append(
        {
            "summary": True,
            "source": result.source,
            "judge": result.judge,
            "claims": len(result.rows),
            "disagreements": result.disagreements,
            "unchecked": result.unchecked,
            "strict_failures": result.strict_failures,
            "references": [r.__dict__ for r in result.references],
        }
    )
    return out


def audit_markdown(result: AuditResult) -> str:
    """The audit as Markdown: references, then one row per claim with agreement."""
    lines = [
        f"# Audit of {result.source}",
        "",
        f"Judge: {result.judge}",
        "",
        f"{len(result.rows)} claims; {result.disagreements} where the report's mark "
        f"disagrees with ours; {result.unchecked} that could not be checked (no evidence "
        f"available); {result.strict_failures} marked verified but not SUPPORTED.",
        "",
        "## References",
        "",
        "| reference | status |",
        "|---|---|",
    ]
    for ref in result.references:
        lines.append(f"| {_md_cell(ref.raw)} | {_md_cell(ref.status)} |")
    missing = [r.raw for r in result.references if r.paper_id is None and _is_arxiv(r.raw)]
    if missing:
        lines += [
            "",
            f"To check the claims against them: `litcheck add {' '.join(missing)}` "
            "(needs the network), or `litcheck library import FILE`, then rerun the audit.",
        ]
    lines += [
        "",
        "## Claims",
        "",
        "| # | claim | report | ours | confidence | evidence | agreement / reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result.rows:
        v = row.verdict
        mark = row.raw_mark or "—"
        if row.report_confidence is not None:
            mark += f" ({row.report_confidence:.2f})"
        note = _agreement(row)
        lines.append(
            f"| {row.index} | {_md_cell(v.claim)} | {_md_cell(mark)} | "
            f"{v.verdict.value} | {v.confidence:.2f} | {_md_cell(_quote(v))} | "
            f"{_md_cell(note, 600)} |"
        )
    return "\n".join(lines) + "\n"


def _agreement(row: AuditRow) -> str:
    note = row.disagreement or ("agrees" if row.checked else "not checked")
    return f"{note}; {row.verdict.reason}" if row.verdict.reason else note


def audit_html(result: AuditResult) -> str:
    """The audit as a self-contained HTML page."""
    e = html.escape
    refs = "".join(f"<li>{e(r.raw)}: {e(r.status)}</li>" for r in result.references)
    rows = "".join(
        f"<tr class='{'disagree' if row.disagreement else ''}'><td>{row.index}</td>"
        f"<td>{e(row.verdict.claim)}</td><td>{e(row.raw_mark or '—')}</td>"
        f"<td class='{row.verdict.verdict.value}'>{row.verdict.verdict.value}</td>"
        f"<td>{row.verdict.confidence:.2f}</td><td>{e(_quote(row.verdict))}</td>"
        f"<td>{e(_agreement(row))}</td></tr>"
        for row in result.rows
    )
    return _html_page(
        f"Audit of {result.source}",
        f"<p>Judge: {e(result.judge)}</p><p>{len(result.rows)} claims, {result.disagreements} "
        f"disagreements, {result.strict_failures} marked verified but not SUPPORTED.</p>"
        f"<h2>References</h2><ul>{refs}</ul><h2>Claims</h2><table><tr><th>#</th><th>claim</th>"
        f"<th>report</th><th>ours</th><th>confidence</th><th>evidence</th><th>agreement</th></tr>"
        f"{rows}</table>",
    )


def render_audit(result: AuditResult, fmt: str) -> str:
    """An audit as ``json`` (JSON Lines), ``md`` or ``html``."""
    if fmt == "json":
        return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in audit_json(result))
    if fmt == "html":
        return audit_html(result)
    return audit_markdown(result)


def _is_arxiv(raw: str) -> bool:
    from litcheck.errors import BadInputError
    from litcheck.retrieve.ids import parse_arxiv_id

    try:
        parse_arxiv_id(raw)
    except BadInputError:
        return False
    return True
