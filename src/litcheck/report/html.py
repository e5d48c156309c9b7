"""Self-contained HTML for synthesis and reverify reports.

One file, no external assets (styles, script and SVG plots inline), so it works offline and can
be mailed around. Tables are sortable (click a header; click again to reverse) and filterable
(free text and a verdict/outcome menu); evidence opens on click (``<details>``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from litcheck.models import Label
from litcheck.report.markdown import (
    CITATION_RULE,
    CONTRADICTION_RULE,
    SCORED_VERDICT_RULE,
    confidence_text,
    evidence_text,
    paper_date,
    reference_text,
    short_authors,
    standing_counts,
    standing_text,
    verdict_counts,
)
from litcheck.report.models import MeasuredFigure, Report, ReverifyReport
from litcheck.report.plots import bar_chart, histogram, reported_vs_measured
from litcheck.report.scorecard import Scorecard
from litcheck.report.search_flow import SearchFlow, flow_stages, search_flow_svg
from litcheck.verify.citations import CitationCheck

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1rem auto;
max-width:1200px;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th[data-sort]{cursor:pointer;background:#f4f4f4;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
tr.v-SUPPORTED td.verdict,tr.v-CONFIRMED td.verdict{background:#e8f5e9;color:#1b5e20}
tr.v-CONTRADICTED td.verdict,tr.v-REFUTED td.verdict{background:#ffebee;color:#b71c1c}
tr.v-NOT_ENOUGH_INFO td.verdict,tr.v-UNMATCHED td.verdict{background:#f5f5f5;color:#555}
.controls{display:flex;gap:1rem;align-items:center;margin:.5rem 0}
.controls input{flex:1;padding:.3rem}.plots{display:flex;flex-wrap:wrap;gap:2rem}
.plot text{font-size:11px}.plot .plot-title{font-size:13px;font-weight:600}
details summary{cursor:pointer}.muted{color:#666}.num{text-align:right;white-space:nowrap}
code{background:#f4f4f4;padding:0 .2rem}
header h1{margin:.2rem 0 .3rem}header p{margin:.2rem 0}
nav.toc{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ddd;
padding:.35rem 0;margin-bottom:.5rem;font-size:.9rem}
nav.toc a{margin-right:1rem;text-decoration:none;color:#1a4f8b;white-space:nowrap}
section.lead h2{margin-top:1rem}p.summary{margin:.4rem 0}
.standing{white-space:nowrap}
"""

SCRIPT = """
(function(){
  function cellValue(row, idx, kind){
    var c = row.cells[idx]; var v = c.getAttribute('data-value');
    if (v === null) v = c.textContent.trim();
    if (kind === 'num'){ var x = parseFloat(v); return isNaN(x) ? -Infinity : x; }
    return v.toLowerCase();
  }
  function sortBy(table, th){
    var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = th.getAttribute('data-sort');
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(th.parentNode.children, function(h){
      h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function(a, b){
      var x = cellValue(a, idx, kind), y = cellValue(b, idx, kind);
      var r = x < y ? -1 : x > y ? 1 : 0;
      if (r === 0) r = parseInt(a.getAttribute('data-index')) -
                       parseInt(b.getAttribute('data-index'));
      else if (!asc) r = -r;
      return r;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  }
  function applyFilter(table){
    var id = table.id;
    var text = (document.getElementById(id + '-filter') || {value: ''}).value.toLowerCase();
    var pick = (document.getElementById(id + '-verdict') || {value: ''}).value;
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function(r){
      var ok = (!pick || r.getAttribute('data-verdict') === pick) &&
               (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok; if (ok) shown++;
    });
    var out = document.getElementById(id + '-shown');
    if (out) out.textContent = shown + ' of ' + table.tBodies[0].rows.length + ' shown';
  }
  window.litcheckTables = {sortBy: sortBy, applyFilter: applyFilter};
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function(table){
    Array.prototype.forEach.call(table.querySelectorAll('th[data-sort]'), function(th){
      th.addEventListener('click', function(){ sortBy(table, th); });
    });
    ['-filter', '-verdict'].forEach(function(suffix){
      var el = document.getElementById(table.id + suffix);
      if (el) { el.addEventListener('input', function(){ applyFilter(table); });
                el.addEventListener('change', function(){ applyFilter(table); }); }
    });
    applyFilter(table);
  });
})();
"""


def _page(title: str, body: list[str], data: str) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{STYLE}</style></head><body>",
            *body,
            # The report's data, for scripts that want it (never executed).
            f'<script type="application/json" id="report-data">{data}</script>',
            f"<script>{SCRIPT}</script>",
            "</body></html>",
            "",
        ]
    )


def _controls(table_id: str, options: Sequence[str], what: str) -> str:
    opts = "".join(f'<option value="{o}">{o}</option>' for o in options)
    return (
        f'<div class="controls"><input id="{table_id}-filter" type="search" '
        f'placeholder="Filter {what}…" aria-label="Filter {what}">'
        f'<select id="{table_id}-verdict" aria-label="Verdict"><option value="">all</option>'
        f'{opts}</select><span id="{table_id}-shown" class="muted"></span></div>'
    )


def _json_for_script(text: str) -> str:
    return text.replace("</", "<\\/")


#: The contents bar: (anchor, label) of each section, in page order.
SECTIONS = [
    ("sec-summary", "Summary"),
    ("sec-claims", "Claims"),
    ("sec-contradictions", "Contradictions"),
    ("sec-papers", "Papers"),
    ("sec-method", "Method"),
    ("sec-flow", "Search flow"),
    ("sec-scorecard", "Scorecard"),
    ("sec-limitations", "Limitations"),
    ("sec-references", "References"),
]


def _nav(present: set[str]) -> str:
    links = "".join(f'<a href="#{a}">{label}</a>' for a, label in SECTIONS if a in present)
    return f'<nav class="toc" aria-label="Contents">{links}</nav>'


def _claims_table(report: Report) -> list[str]:
    out = [_controls("claims", [label.value for label in Label], "claims")]
    out.append(
        '<table id="claims" class="sortable"><thead><tr>'
        '<th data-sort="num">#</th><th data-sort="text">Claim</th>'
        '<th data-sort="text">Stated in</th><th data-sort="text">Verdict</th>'
        '<th data-sort="num">Confidence</th><th data-sort="num">Relevance</th>'
        "<th>Evidence (another paper)</th></tr></thead><tbody>"
    )
    for i, r in enumerate(report.claims, 1):
        conf = "" if r.confidence is None else f"{r.confidence:.4f}"
        decisive = r.standing != "single source"
        if r.evidence and decisive:
            items = "".join(f"<li>{escape(evidence_text(e, 600))}</li>" for e in r.evidence)
            summary = escape(evidence_text(r.evidence[0], 90))
            evidence = f"<details><summary>{summary}</summary><ul>{items}</ul></details>"
        else:
            evidence = '<span class="muted">none from another paper</span>'
        note = f'<div class="muted">{escape(r.note)}</div>' if r.note else ""
        stated = r.grounding.label() if r.grounding else (r.source or "")
        out.append(
            f'<tr class="v-{r.verdict.value}" data-index="{i}" '
            f'data-verdict="{r.verdict.value}" data-confidence="{conf}" '
            f'data-standing="{escape(r.standing)}">'
            f'<td class="num">{i}</td><td>{escape(r.claim)}{note}</td>'
            f"<td>{escape(stated)}</td>"
            f'<td class="verdict"><span class="standing">{escape(standing_text(r))}</span>'
            f'<div class="muted">{r.verdict.value}</div></td>'
            f'<td class="num" data-value="{conf}">{confidence_text(r.confidence)}</td>'
            f'<td class="num">{r.relevance:.2f}</td><td>{evidence}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _contradictions(report: Report) -> list[str]:
    if not report.contradictions:
        return [
            "<p>No two claims of different papers fill the same slot (metric, dataset, "
            "language, setting) with incompatible figures.</p>"
        ]
    out = ['<ul class="contradictions">']
    for c in report.contradictions:
        sides = ""
        for side in (c.first, c.second):
            num = f"claim {side.row}, " if side.row is not None else ""
            where = side.paper + (f" §{side.section}" if side.section else "")
            sides += (
                f"<li>{escape(num + where)} (<code>{escape(side.figure)}</code>): "
                f"“{escape(side.quote)}”</li>"
            )
        out.append(
            f"<li><strong>{escape(c.slot)}</strong> ({c.kind}): {escape(c.reason)}."
            f"<ul>{sides}</ul></li>"
        )
    out.append("</ul>")
    return out


def write_html(report: Report) -> str:
    """Render a synthesis report as one self-contained HTML page.

    The summary and the top of the claims table come first (within the first screen), under a
    contents bar that stays at the top; papers, method, search flow, scorecard, limitations and
    references follow.

    Args:
        report: the report.

    Returns:
        The HTML text (deterministic for a given report).
    """
    m = report.method
    counts = verdict_counts(report.claims)
    present = {a for a, _ in SECTIONS}
    if report.search_flow is None:
        present.discard("sec-flow")
    if report.scorecard is None:
        present.discard("sec-scorecard")
    body = [
        "<header>",
        f"<h1>{escape(report.question)}</h1>",
        f'<p class="muted">Synthesis report generated '
        f"{escape(report.generated_at.isoformat())} by litcheck "
        f"{escape(m.litcheck_version)}.</p>",
        _nav(present),
        "</header>",
        '<section class="lead">',
        '<h2 id="sec-summary">Summary</h2>',
    ]
    if report.papers:
        body.append(f'<p class="summary">{escape(" ".join(report.summary))}</p>')
    else:
        body.append("<p>No papers were found for this question; nothing could be checked.</p>")
    body.append('<h2 id="sec-claims">Claims</h2>')
    if report.claims:
        body.append(
            '<p class="muted">Each claim is grounded in the paper that states it and judged '
            "only by the other papers of this report.</p>"
        )
        body += _claims_table(report)
    else:
        body.append("<p>No relevant claims.</p>")
    body.append("</section>")
    body.append('<h2 id="sec-contradictions">Contradictions between papers</h2>')
    body += _contradictions(report)

    body.append('<h2 id="sec-papers">Papers</h2>')
    if report.papers:
        body.append(
            '<table id="papers" class="sortable"><thead><tr><th data-sort="num">#</th>'
            '<th data-sort="text">arXiv</th><th data-sort="text">Title</th>'
            '<th data-sort="text">Authors</th><th data-sort="text">Date</th>'
            '<th data-sort="text">Full text</th>'
            '<th data-sort="num">Claims kept</th></tr></thead><tbody>'
        )
        for i, p in enumerate(report.papers, 1):
            when, exact = paper_date(p)
            date_cell = (
                escape(when)
                if exact or not when
                else f'<span title="the submission month its arXiv id encodes">'
                f"{escape(when)} (id)</span>"
            )
            body.append(
                f'<tr data-index="{i}"><td class="num">{i}</td>'
                f'<td><a href="{escape(p.url)}">{escape(p.arxiv_id)}</a></td>'
                f'<td>{escape(p.title)}</td><td class="authors">'
                f"{escape(short_authors(p.authors))}</td>"
                f'<td class="date" data-value="{escape(when)}">{date_cell}</td>'
                f"<td>{escape(p.full_text_source or 'abstract only')}</td>"
                f'<td class="num" data-value="{p.claims_kept}">{p.claims_kept} / '
                f"{p.claims_extracted}</td></tr>"
            )
        body.append("</tbody></table>")
    else:
        body.append("<p>None.</p>")

    body.append('<h2 id="sec-method">Method</h2><ul>')
    source = "arXiv search" if m.source == "arxiv" else "the local library (offline)"
    body.append(
        f"<li>Papers from {source}; at most {m.max_papers}"
        + (f", submitted on or after {escape(m.since)}" if m.since else "")
        + ".</li>"
    )
    body.append(
        "<li>Queries: "
        + ("; ".join(f"<code>{escape(q)}</code>" for q in m.queries) or "(none)")
        + "</li>"
    )
    standing = standing_counts(report.claims)
    body.append(
        f"<li>Counts: {m.papers_found} papers ({m.papers_with_full_text} with full text), "
        f"{m.claims_extracted} claims extracted, {m.claims_relevant} relevant, "
        f"{m.claims_verified} verified: {standing['corroborated']} corroborated, "
        f"{standing['contradicted']} contradicted by another paper, "
        f"{standing['single source']} single source; {len(report.contradictions)} "
        "contradiction(s) between papers.</li>"
    )
    body.append(
        f"<li>Relevance: {escape(m.relevance_rule)}; threshold {m.relevance_threshold}.</li>"
    )
    body.append(f"<li>Verdict: {escape(m.verdict_rule)}.</li>")
    body.append(f"<li>Contradictions between papers: {escape(CONTRADICTION_RULE)}.</li>")
    body.append(f"<li>Embedding model: {escape(m.embedding_model)}</li>")
    body.append(f"<li>Extractor: {escape(m.extractor)}</li>")
    body.append(f"<li>Verifier: {escape(m.verifier)}</li>")
    if m.timings:
        body.append(
            "<li>Time per stage: "
            + ", ".join(f"{escape(t.stage)} {t.seconds:.2f} s" for t in m.timings)
            + f"; total {sum(t.seconds for t in m.timings):.2f} s.</li>"
        )
    body.append("</ul>")
    confidences = [r.confidence for r in report.claims if r.confidence is not None]
    plots = [
        bar_chart([(label.value, counts[label]) for label in Label], "Verdicts"),
        histogram(confidences, "Confidence of the verdicts shown"),
    ]
    if report.measured:
        plots.append(reported_vs_measured(report.measured))
    body.append('<div class="plots">' + "".join(plots) + "</div>")
    if report.search_flow is not None:
        flow = _search_flow(report.search_flow)
        flow[0] = '<h2 id="sec-flow">Search flow</h2>'
        body += flow
    if report.measured:
        body.append("<h2>Reported vs measured</h2>")
        body += _figures_table(report.measured)
    if report.scorecard is not None:
        card = _scorecard(report.scorecard, report.flagged_citations)
        card[0] = '<h2 id="sec-scorecard">Scorecard</h2>'
        body += card
    body.append('<h2 id="sec-limitations">Limitations</h2><ul>')
    body += [f"<li>{escape(line)}</li>" for line in report.limitations]
    body.append('</ul><h2 id="sec-references">References</h2><ol>')
    for p in report.papers:
        body.append(
            f"<li>{escape(reference_text(p).rsplit(' <', 1)[0])} "
            f'<a href="{escape(p.url)}">{escape(p.url)}</a></li>'
        )
    body.append("</ol>")
    return _page(report.question, body, _json_for_script(report.model_dump_json()))


def _search_flow(flow: SearchFlow) -> list[str]:
    """The search flow: diagram (inline SVG), stage table, queries, screened-out papers."""
    out = ["<h2>Search flow</h2>", f'<div class="flow">{search_flow_svg(flow)}</div>']
    out.append(
        '<table id="search-flow"><thead><tr><th>Stage</th><th>Count</th><th>Detail</th></tr>'
        "</thead><tbody>"
    )
    out += [
        f'<tr><td>{escape(stage)}</td><td class="num">{count}</td><td>{escape(detail)}</td></tr>'
        for stage, count, detail in flow_stages(flow)
    ]
    out.append("</tbody></table>")
    if flow.queries:
        out.append(
            "<details><summary>Queries per source</summary><table><thead><tr><th>Source</th>"
            "<th>Query</th><th>Records</th></tr></thead><tbody>"
        )
        out += [
            f"<tr><td>{escape(q.source)}</td><td><code>{escape(q.query)}</code></td>"
            f'<td class="num">{q.records}</td></tr>'
            for q in flow.queries
        ]
        out.append("</tbody></table></details>")
    if flow.screened_out:
        out.append(
            "<details><summary>Papers screened out</summary><table><thead><tr><th>Paper</th>"
            "<th>Reason</th><th>Detail</th></tr></thead><tbody>"
        )
        out += [
            f"<tr><td>{escape(p.paper)} {escape(p.title)}</td><td>{escape(p.reason)}</td>"
            f"<td>{escape(p.detail)}</td></tr>"
            for p in flow.screened_out
        ]
        out.append("</tbody></table></details>")
    if flow.warnings:
        out.append("<p>Records skipped:</p><ul>")
        out += [f"<li>{escape(w)}</li>" for w in flow.warnings]
        out.append("</ul>")
    return out


def _input_value(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _scorecard(card: Scorecard, flagged: Sequence[CitationCheck]) -> list[str]:
    """The scorecard table (score, share, formula, inputs per dimension) and flagged citations."""
    out = [
        "<h2>Scorecard</h2>",
        f"<p>{card.claims} claims. Each dimension is a measured share (x/10 = 10 × share); no "
        "overall score is computed.</p>",
        '<table id="scorecard"><thead><tr><th>Dimension</th><th>Score /10</th><th>Share</th>'
        "<th>Formula</th><th>Inputs</th></tr></thead><tbody>",
    ]
    for d in card.dimensions:
        score = "—" if d.score is None else f"{d.score:g}"
        share = (
            f"{d.numerator}/{d.denominator}" if d.value is not None else (d.note or "not measured")
        )
        inputs = ", ".join(f"{k.replace('_', ' ')} {_input_value(v)}" for k, v in d.inputs.items())
        out.append(
            f'<tr><td>{escape(d.name)}</td><td class="num">{score}</td><td>{escape(share)}</td>'
            f"<td>{escape(d.formula)}</td><td>{escape(inputs)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(f'<p class="muted">{escape(SCORED_VERDICT_RULE)} {escape(CITATION_RULE)}</p>')
    if flagged:
        out.append("<p>Flagged citations (cannot bear on their claim):</p><ul>")
        out += [
            f"<li><strong>{escape(c.paper)}</strong>"
            + (f" ({escape(c.title)})" if c.title else "")
            + f" for “{escape(c.claim)}”: {escape(c.reason)}</li>"
            for c in flagged
        ]
        out.append("</ul>")
    else:
        out.append("<p>No citation was flagged.</p>")
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _figures_table(figures: Sequence[MeasuredFigure]) -> list[str]:
    out = [_controls("figures", ["CONFIRMED", "REFUTED", "UNMATCHED"], "figures")]
    out.append(
        '<table id="figures" class="sortable"><thead><tr><th data-sort="num">#</th>'
        '<th data-sort="text">Claim</th><th data-sort="text">Figure</th>'
        '<th data-sort="text">Slot</th><th data-sort="num">Reported %</th>'
        '<th data-sort="num">Measured %</th><th data-sort="text">Outcome</th></tr></thead><tbody>'
    )
    for i, f in enumerate(figures, 1):
        slot = f.slot.label() if f.slot else "—"
        if f.baseline is not None:
            slot += " − " + f.baseline.label()
        if f.measured is not None:
            meas = (
                f"{_pct(f.measured.mean)} [{_pct(f.measured.low)}, {_pct(f.measured.high)}] "
                f"n={f.measured.n}"
            )
            mval = f"{f.measured.mean:.6f}"
        else:
            meas, mval = "—", ""
        out.append(
            f'<tr class="v-{f.outcome}" data-index="{i}" data-verdict="{f.outcome}">'
            f'<td class="num">{i}</td><td>{escape(f.claim)}'
            + (f' <span class="muted">(line {f.line})</span>' if f.line else "")
            + f"</td><td>{escape(f.figure)}</td><td>{escape(slot)}</td>"
            f'<td class="num" data-value="{f.reported:.6f}">{_pct(f.reported)}</td>'
            f'<td class="num" data-value="{mval}">{meas}</td>'
            f'<td class="verdict"><details><summary>{f.outcome}</summary>'
            f"{escape(f.reason)}</details></td></tr>"
        )
    out.append("</tbody></table>")
    return out


def write_reverify_html(rep: ReverifyReport) -> str:
    """Render a reverify report as one self-contained HTML page (table, plots, notes)."""
    c = rep.counts
    body = [f"<h1>Reverify: {escape(rep.report)}</h1>"]
    body.append(
        f'<p class="muted">Generated {escape(rep.generated_at.isoformat())}: figures of '
        f"<code>{escape(rep.report)}</code> ({rep.report_kind}) checked against "
        f"<code>{escape(rep.runs)}</code>.</p>"
    )
    body.append(
        f"<p>{len(rep.figures)} figure(s) in {rep.claims_read} claim(s): "
        f"{c.get('CONFIRMED', 0)} confirmed, {c.get('REFUTED', 0)} refuted, "
        f"{c.get('UNMATCHED', 0)} unmatched; {len(rep.results_files)} results file(s), "
        f"{rep.slots_measured} measured slot(s).</p>"
    )
    if rep.grid_warning:
        body.append(f"<p><strong>Warning:</strong> {escape(rep.grid_warning)}</p>")
    body.append(
        '<div class="plots">'
        + bar_chart([(k, c.get(k, 0)) for k in ("CONFIRMED", "REFUTED", "UNMATCHED")], "Outcomes")
        + reported_vs_measured(rep.figures)
        + "</div>"
    )
    body.append("<h2>Figures</h2>")
    if rep.figures:
        body += _figures_table(rep.figures)
    else:
        body.append("<p>The report states no figure that could be checked against runs.</p>")
    if rep.skipped_files or rep.notes:
        body.append("<h2>Notes</h2><ul>")
        body += [
            f"<li>Skipped results file <code>{escape(s.path)}</code>: {escape(s.reason)}</li>"
            for s in rep.skipped_files
        ]
        body += [f"<li>{escape(n)}</li>" for n in rep.notes]
        body.append("</ul>")
    body.append("<h2>Runs read</h2><ul>")
    body += [f"<li><code>{escape(f)}</code></li>" for f in rep.results_files]
    body.append("</ul>")
    data = json.dumps(json.loads(rep.model_dump_json()), ensure_ascii=False)
    return _page(f"Reverify: {rep.report}", body, _json_for_script(data))
