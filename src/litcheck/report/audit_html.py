"""``audit --format html``: the audit as one self-contained page, by the report's renderer.

The page is built from the same parts as ``report --format html`` (:mod:`litcheck.report.html`:
page shell, styles, sortable and filterable tables, the scorecard table), so an audit reads
like a report: summary, references, the claims checked against their cited papers, the
"elsewhere in the library" results in a section of their own, then the scorecard and the
flagged citations. Every table is an HTML table; nothing is pasted as Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from litcheck.models import Verdict
from litcheck.report.html import _controls, _json_for_script, _page, _scorecard
from litcheck.report.markdown import SYMBOL, confidence_text, evidence_text
from litcheck.report.scorecard import AuditCard
from litcheck.verify.audit import AuditResult, AuditRow, decided
from litcheck.verify.citations import CitationCheck, flagged_citations
from litcheck.verify.render import (
    CHECK_RULE,
    ELSEWHERE_RULE,
    agreement_text,
    audit_json,
    audit_summary,
    cited_text,
    paper_text,
    parse_warning_text,
    report_mark_text,
    row_confidence,
)

__all__ = ["write_audit_html"]

#: The filter menu of the claims table: our verdicts and the two ways a row is not checked.
ROW_STATES = [
    "SUPPORTED",
    "CONTRADICTED",
    "NOT_ENOUGH_INFO",
    "cited paper not available",
    "no cited paper",
    "not checked",
]


#: Beside the report's styles: a disagreement stands out, an unchecked row is greyed, a
#: row the table reader could not read faithfully carries a visible warning.
AUDIT_STYLE = (
    "tr.disagree td{background:#fff3cd}tr.unchecked td{color:#666}"
    ".parse-warning{color:#8a5a00;margin-top:.3em}"
)


def _evidence(v: Verdict) -> str:
    if not v.evidence:
        return '<span class="muted">none</span>'
    items = "".join(f"<li>{escape(evidence_text(e, 600))}</li>" for e in v.evidence)
    summary = escape(evidence_text(v.evidence[0], 90))
    return f"<details><summary>{summary}</summary><ul>{items}</ul></details>"


def _claims_table(rows: Sequence[AuditRow]) -> list[str]:
    out = [
        f'<p class="muted">{escape(CHECK_RULE)}</p>',
        _controls("claims", ROW_STATES, "claims"),
        '<table id="claims" class="sortable"><thead><tr><th data-sort="num">#</th>'
        '<th data-sort="text">Claim</th><th data-sort="text">Report</th>'
        '<th data-sort="text">Cited</th><th data-sort="text">Ours</th>'
        '<th data-sort="num">Confidence</th><th>Evidence</th>'
        '<th data-sort="text">Agreement / reason</th></tr></thead><tbody>',
    ]
    for row in rows:
        v = row.verdict
        conf = row_confidence(row)
        state = v.verdict.value if row.checked else row.status
        css = f"v-{v.verdict.value}" if row.checked else "v-NOT_ENOUGH_INFO unchecked"
        if row.disagreement:
            css += " disagree"
        ours = f"{SYMBOL[v.verdict]} {v.verdict.value}" if row.checked else "not checked"
        out.append(
            f'<tr class="{css}" data-index="{row.index}" data-verdict="{escape(state)}">'
            f'<td class="num">{row.index}</td><td>{escape(v.claim)}'
            f' <span class="muted">(line {row.line})</span></td>'
            f"<td>{escape(report_mark_text(row))}</td><td>{escape(cited_text(row))}</td>"
            f'<td class="verdict">{escape(ours)}</td>'
            f'<td class="num" data-value="{"" if conf is None else f"{conf:.4f}"}">'
            f"{confidence_text(conf)}</td>"
            f"<td>{_evidence(v) if row.checked else ''}</td>"
            f"<td>{escape(agreement_text(row))}{_parse_warning(row)}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _parse_warning(row: AuditRow) -> str:
    text = parse_warning_text(row)
    return f'<div class="parse-warning">{escape(text)}</div>' if text else ""


def _elsewhere_table(rows: Sequence[AuditRow]) -> list[str]:
    out = [
        f"<p>{escape(ELSEWHERE_RULE)}</p>",
        '<table id="elsewhere" class="sortable"><thead><tr><th data-sort="num">#</th>'
        '<th data-sort="text">Claim</th><th data-sort="text">Elsewhere in the library</th>'
        '<th data-sort="num">Confidence</th><th>Evidence</th><th>Reason</th></tr></thead><tbody>',
    ]
    for row in rows:
        e = row.elsewhere
        if e is None:
            continue
        conf = e.confidence if decided(e) else None
        out.append(
            f'<tr class="v-{e.verdict.value}" data-index="{row.index}" '
            f'data-verdict="{e.verdict.value}"><td class="num">{row.index}</td>'
            f"<td>{escape(e.claim)}</td>"
            f'<td class="verdict">{SYMBOL[e.verdict]} {e.verdict.value}</td>'
            f'<td class="num">{confidence_text(conf)}</td><td>{_evidence(e)}</td>'
            f"<td>{escape(e.reason or '')}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _references(result: AuditResult) -> list[str]:
    out = [
        '<table id="references"><thead><tr><th>#</th><th>Reference</th><th>Paper</th>'
        "<th>Status</th><th>To fetch it</th></tr></thead><tbody>"
    ]
    for ref in result.references:
        fetch = f"<code>{escape(ref.fetch)}</code>" if ref.fetch and not ref.available else ""
        out.append(
            f"<tr><td>{escape(ref.number or '')}</td><td>{escape(ref.raw)}</td>"
            f"<td>{escape(paper_text(ref))}</td><td>{escape(ref.status)}</td>"
            f"<td>{fetch}</td></tr>"
        )
    out.append("</tbody></table>")
    commands = result.fetch_commands
    if commands:
        out.append(
            "<p>To check the rows that rest on the missing papers (needs the network), then "
            "rerun the audit: " + "; ".join(f"<code>{escape(c)}</code>" for c in commands) + ".</p>"
        )
    return out


def _citations(checks: Sequence[Sequence[CitationCheck]]) -> list[str]:
    flat = [c for per in checks for c in per]
    if not flat:
        return ["<h2>Citations</h2>", "<p>No claim cites a paper.</p>"]
    out = [
        "<h2>Citations</h2>",
        '<table id="citations"><thead><tr><th>Claim</th><th>Cited paper</th>'
        "<th>Status</th><th>Similarity</th><th>Reason</th></tr></thead><tbody>",
    ]
    for c in flat:
        sim = "" if c.similarity is None else f"{c.similarity:.2f}"
        paper = f"{c.paper} ({c.title})" if c.title else c.paper
        out.append(
            f"<tr><td>{escape(c.claim)}</td><td>{escape(paper)}</td><td>{escape(c.status)}</td>"
            f'<td class="num">{sim}</td><td>{escape(c.reason)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def write_audit_html(result: AuditResult, card: AuditCard | None = None) -> str:
    """Render an audit as one self-contained HTML page (the report's renderer and styles).

    Args:
        result: what :func:`~litcheck.verify.audit.audit_report` returned.
        card: its scorecard and citation checks
            (:func:`~litcheck.report.scorecard.audit_scorecard`), shown after the claims.

    Returns:
        The HTML text; the audit's JSON rows ride along in a ``<script
        type="application/json" id="report-data">`` block, as in a report.

    Example:
        >>> card = audit_scorecard(result, lib, path.read_text(), index.embedder)
        >>> Path("audit.html").write_text(write_audit_html(result, card))
    """
    title = f"Audit of {result.source}"
    body = [f"<style>{AUDIT_STYLE}</style>", f"<h1>{escape(title)}</h1>"]
    if result.title:
        body.append(f'<p class="muted">Report: {escape(result.title)}</p>')
    body += [
        f'<p class="muted">Judge: {escape(result.judge)}</p>',
        "<h2>Summary</h2>",
        f"<p>{escape(audit_summary(result))}</p>",
        "<h2>Claims</h2>",
        *_claims_table(result.rows),
    ]
    if any(r.elsewhere is not None for r in result.rows):
        body.append("<h2>Elsewhere in the library (not the cited papers)</h2>")
        body += _elsewhere_table(result.rows)
    body.append("<h2>References</h2>")
    body += _references(result)
    if card is not None:
        body += _scorecard(card.scorecard, flagged_citations(card.citation_checks))
        body += _citations(card.citation_checks)
    data = json.dumps(audit_json(result), ensure_ascii=False)
    return _page(title, body, _json_for_script(data))
