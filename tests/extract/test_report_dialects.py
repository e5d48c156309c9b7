"""The foreign-report parser on dialects other than Markdown / TSV / CSV.

Every fixture is a literal (the rich one pasted from rich's output, the tabulate ones laid out
character for character as tabulate prints them; tabulate is not a dependency) and holds the
same four claims as ``MARKDOWN``: a wrapped claim with a comma and an arXiv citation, ✓ / ×
and word marks (VERIFIED / FALSIFIED), numeric and worded confidences, and a ``|`` inside a
claim.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tests.conftest import run_cli

from litcheck.errors import BadInputError
from litcheck.extract.report_table import ParsedReport, parse_report

MARKDOWN = (
    "# Transfer audit\n"
    "\n"
    "| # | Claim | Verdict | Confidence | Source |\n"
    "|---|-------|---------|------------|--------|\n"
    "| 1 | Robust training improves accuracy by 2.1 points on PAWS-X, a clear gain over mBERT. "
    "| ✓ | 0.85 | arXiv:2104.08645 |\n"
    "| 2 | Accuracy drops by 0.5 points on XNLI. | × | 30% | |\n"
    "| 3 | The gap \\|Δ\\| between languages stays below 0.5 points. | VERIFIED | HIGH | |\n"
    "| 4 | Zero-shot transfer fails for Swahili. | FALSIFIED | LOW | |\n"
)

EXPECTED = [
    (
        "Robust training improves accuracy by 2.1 points on PAWS-X, a clear gain over mBERT.",
        "verified",
        0.85,
        None,
    ),
    ("Accuracy drops by 0.5 points on XNLI.", "refuted", 0.3, None),
    ("The gap |Δ| between languages stays below 0.5 points.", "verified", None, "HIGH"),
    ("Zero-shot transfer fails for Swahili.", "refuted", None, "LOW"),
]

# rich's default box (HEAVY_HEAD), no rule between rows: wrapped lines have empty # and Verdict.
BOX_RICH = """\
                                 Transfer audit
┏━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┓
┃ # ┃ Claim                        ┃ Verdict   ┃ Confidence ┃ Source           ┃
┡━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━┩
│ 1 │ Robust training improves     │ ✓         │ 0.85       │ arXiv:2104.08645 │
│   │ accuracy by 2.1 points on    │           │            │                  │
│   │ PAWS-X, a clear gain over    │           │            │                  │
│   │ mBERT.                       │           │            │                  │
│ 2 │ Accuracy drops by 0.5 points │ ×         │ 30%        │                  │
│   │ on XNLI.                     │           │            │                  │
│ 3 │ The gap |Δ| between          │ VERIFIED  │ HIGH       │                  │
│   │ languages stays below 0.5    │           │            │                  │
│   │ points.                      │           │            │                  │
│ 4 │ Zero-shot transfer fails for │ FALSIFIED │ LOW        │                  │
│   │ Swahili.                     │           │            │                  │
└───┴──────────────────────────────┴───────────┴────────────┴──────────────────┘
"""

# tabulate's fancy_grid: a rule between every row, so each block between rules is one row.
BOX_FANCY = """\
Transfer audit

╒═══╤═══════════════════════════╤═══════════╤════════════╤══════════════════╕
│ # │ Claim                     │ Verdict   │ Confidence │ Source           │
╞═══╪═══════════════════════════╪═══════════╪════════════╪══════════════════╡
│ 1 │ Robust training improves  │ ✓         │       0.85 │ arXiv:2104.08645 │
│   │ accuracy by 2.1 points on │           │            │                  │
│   │ PAWS-X, a clear gain over │           │            │                  │
│   │ mBERT.                    │           │            │                  │
├───┼───────────────────────────┼───────────┼────────────┼──────────────────┤
│ 2 │ Accuracy drops by 0.5     │ ×         │        30% │                  │
│   │ points on XNLI.           │           │            │                  │
├───┼───────────────────────────┼───────────┼────────────┼──────────────────┤
│ 3 │ The gap |Δ| between       │ VERIFIED  │       HIGH │                  │
│   │ languages stays below 0.5 │           │            │                  │
│   │ points.                   │           │            │                  │
├───┼───────────────────────────┼───────────┼────────────┼──────────────────┤
│ 4 │ Zero-shot transfer fails  │ FALSIFIED │        LOW │                  │
│   │ for Swahili.              │           │            │                  │
╘═══╧═══════════════════════════╧═══════════╧════════════╧══════════════════╛
"""

# tabulate's "grid" (= a reST grid table); the claim holds a "|" that is not a separator.
GRID = """\
Transfer audit

+---+---------------------------+-----------+------------+------------------+
| # | Claim                     | Verdict   | Confidence | Source           |
+===+===========================+===========+============+==================+
| 1 | Robust training improves  | ✓         |       0.85 | arXiv:2104.08645 |
|   | accuracy by 2.1 points on |           |            |                  |
|   | PAWS-X, a clear gain over |           |            |                  |
|   | mBERT.                    |           |            |                  |
+---+---------------------------+-----------+------------+------------------+
| 2 | Accuracy drops by 0.5     | ×         |        30% |                  |
|   | points on XNLI.           |           |            |                  |
+---+---------------------------+-----------+------------+------------------+
| 3 | The gap |Δ| between       | VERIFIED  |       HIGH |                  |
|   | languages stays below 0.5 |           |            |                  |
|   | points.                   |           |            |                  |
+---+---------------------------+-----------+------------+------------------+
| 4 | Zero-shot transfer fails  | FALSIFIED |        LOW |                  |
|   | for Swahili.              |           |            |                  |
+---+---------------------------+-----------+------------+------------------+
"""

# tabulate's "simple" with wrapped claims: columns come from the dash groups.
SIMPLE = """\
Transfer audit

  #  Claim                      Verdict      Confidence  Source
---  -------------------------  ---------  ------------  ----------------
  1  Robust training improves   ✓                  0.85  arXiv:2104.08645
     accuracy by 2.1 points on
     PAWS-X, a clear gain over
     mBERT.
  2  Accuracy drops by 0.5      ×                   30%
     points on XNLI.
  3  The gap |Δ| between        VERIFIED           HIGH
     languages stays below 0.5
     points.
  4  Zero-shot transfer fails   FALSIFIED           LOW
     for Swahili.

Notes follow the table.
"""

# A reST simple table: rules above and below, continuation lines have an empty first column.
REST = """\
Transfer audit
==============

=  =========================  =========  ==========  ================
#  Claim                      Verdict    Confidence  Source
=  =========================  =========  ==========  ================
1  Robust training improves   ✓          0.85        arXiv:2104.08645
   accuracy by 2.1 points on
   PAWS-X, a clear gain over
   mBERT.
2  Accuracy drops by 0.5      ×          30%
   points on XNLI.

3  The gap |Δ| between        VERIFIED   HIGH
   languages stays below 0.5
   points.
4  Zero-shot transfer fails   FALSIFIED  LOW
   for Swahili.
=  =========================  =========  ==========  ================
"""

HTML = """\
<!doctype html>
<html><head><title>Transfer audit</title>
<style>td { padding: 2px }</style></head>
<body>
<table>
<thead><tr><th>#</th><th>Claim</th><th>Verdict</th><th>Confidence</th><th>Source</th></tr></thead>
<tbody>
<tr><td>1</td><td>Robust training improves accuracy by 2.1 points
    on PAWS-X, a clear gain over <b>mBERT</b>.</td><td>&#10003;</td><td>0.85</td>
    <td><a href="https://arxiv.org/abs/2104.08645">paper</a></td></tr>
<tr><td>2</td><td>Accuracy drops by 0.5 points on XNLI.</td>
    <td>&times;</td><td>30%</td><td></td></tr>
<tr>
  <td>3</td>
  <td>The gap |&Delta;| between languages stays below 0.5 points.</td>
  <td>VERIFIED</td><td>HIGH</td><td></td>
</tr>
<tr><td>4<td>Zero-shot transfer fails for Swahili.<td>FALSIFIED<td>LOW<td>
</tbody>
</table>
</body></html>
"""

LATEX = r"""\documentclass{article}
\usepackage{booktabs,pifont,tabularx}
\newcommand{\cmark}{\ding{51}}
\title{Transfer audit}
\begin{document}
\maketitle
\begin{table}[t]
\centering
\caption{Claims checked}
\begin{tabularx}{\linewidth}{@{}r X c r l@{}}
\toprule
\# & \textbf{Claim} & \textbf{Verdict} & \textbf{Confidence} & Source \\
\midrule
1 & Robust training improves accuracy by 2.1 points on PAWS-X,
    a clear gain over \emph{mBERT}. & \cmark & 0.85 &
    \href{https://arxiv.org/abs/2104.08645}{paper} \\
2 & Accuracy drops by 0.5 points on XNLI. & $\times$ & 30\% & \\ % a note & with & ampersands
3 & The gap $|\Delta|$ between languages stays below 0.5 points. & VERIFIED & HIGH & \\
\hline
4 & Zero-shot transfer fails for Swahili. & \textsc{Falsified} & LOW & \\
\bottomrule
\end{tabularx}
\end{table}
\end{document}
"""

JSON_OBJECT = """\
{
  "title": "Transfer audit",
  "model": "some-agent",
  "claims": [
    {
      "id": 1,
      "claim":
        "Robust training improves accuracy by 2.1 points on PAWS-X, a clear gain over mBERT.",
      "verdict": "✓",
      "confidence": 0.85,
      "cites": ["2104.08645"]
    },
    {"id": 2, "claim": "Accuracy drops by 0.5 points on XNLI.", "verdict": "×",
     "confidence": "30%"},
    {
      "id": 3,
      "claim": "The gap |Δ| between languages stays below 0.5 points.",
      "verdict": "VERIFIED",
      "confidence": "HIGH",
      "evidence": {"paper": "Huang et al.", "section": "4 Results"}
    },
    {"id": 4, "claim": "Zero-shot transfer fails for Swahili.", "verdict": "FALSIFIED",
     "confidence": "LOW"}
  ]
}
"""

_JSONL_ROWS = [
    {"statement": EXPECTED[0][0], "status": "✓", "confidence": 0.85, "source": "arXiv:2104.08645"},
    {"statement": EXPECTED[1][0], "status": "×", "confidence": "30%"},
    {"statement": EXPECTED[2][0], "status": "VERIFIED", "confidence": "HIGH"},
    {"statement": EXPECTED[3][0], "status": "FALSIFIED", "confidence": "LOW"},
]
JSON_LINES = "\n" + "".join(json.dumps(r, ensure_ascii=False) + "\n\n" for r in _JSONL_ROWS)

# fixture -> (format, title, line of each row)
DIALECTS: dict[str, tuple[str, str, str | None, list[int]]] = {
    "markdown": (MARKDOWN, "markdown", "Transfer audit", [5, 6, 7, 8]),
    "box-rich": (BOX_RICH, "box", "Transfer audit", [5, 9, 11, 14]),
    "box-fancy": (BOX_FANCY, "box", "Transfer audit", [6, 11, 14, 18]),
    "grid": (GRID, "grid", "Transfer audit", [6, 11, 14, 18]),
    "simple": (SIMPLE, "simple", "Transfer audit", [5, 9, 11, 14]),
    "rest": (REST, "simple", "Transfer audit", [7, 11, 14, 17]),
    "html": (HTML, "html", "Transfer audit", [8, 11, 13, 18]),
    "latex": (LATEX, "latex", "Transfer audit", [14, 17, 18, 20]),
    "json": (JSON_OBJECT, "json", "Transfer audit", [5, 13, 15, 22]),
    "jsonl": (JSON_LINES, "json", None, [2, 4, 6, 8]),
}


def _rows(report: ParsedReport) -> list[tuple[str, str | None, float | None, str | None]]:
    return [(r.text, r.mark, r.confidence, r.confidence_label) for r in report.rows]


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_dialect_reads_every_claim(name: str) -> None:
    text, fmt, title, lines = DIALECTS[name]
    report = parse_report(text, f"report.{name}")
    assert report.format == fmt
    assert report.title == title
    assert _rows(report) == EXPECTED
    assert [r.line for r in report.rows] == lines
    assert [r.index for r in report.rows] == [1, 2, 3, 4]
    assert report.rows[0].cites == ["2104.08645"]
    assert report.references[0] == "2104.08645"
    raw_marks = [(r.raw_mark or "").upper() for r in report.rows]
    assert raw_marks == ["✓", "×", "VERIFIED", "FALSIFIED"]


@pytest.mark.parametrize("name", sorted(set(DIALECTS) - {"markdown"}))
def test_dialect_rows_equal_the_markdown_rows(name: str) -> None:
    markdown = parse_report(MARKDOWN)
    other = parse_report(DIALECTS[name][0])
    assert _rows(other) == _rows(markdown)
    assert [r.cites for r in other.rows] == [r.cites for r in markdown.rows]


def test_extra_cells_keep_the_id_and_the_source() -> None:
    for name in ("box-rich", "grid", "simple", "html", "latex"):
        report = parse_report(DIALECTS[name][0])
        assert report.rows[0].extra["#"] == "1", name
        assert report.rows[1].extra == {"#": "2", "Source": ""}, name
    assert parse_report(BOX_RICH).rows[0].extra["Source"] == "arXiv:2104.08645"
    assert parse_report(HTML).rows[0].extra["Source"] == "paper"
    report = parse_report(JSON_OBJECT)
    assert report.rows[0].extra["id"] == "1"
    assert json.loads(report.rows[2].extra["evidence"]) == {
        "paper": "Huang et al.",
        "section": "4 Results",
    }


def test_rich_minimal_and_ascii_boxes() -> None:
    minimal = """\
    ╷                       ╷
  # │ Claim                 │ Verdict
╶───┼───────────────────────┼──────────╴
  1 │ A holds on XNLI, and  │ ✅ VERIFIED
    │ on PAWS-X.            │
  2 │ B fails               │ ❌
    ╵                       ╵
"""
    report = parse_report(minimal)
    assert report.format == "box"
    assert [(r.text, r.mark, r.line) for r in report.rows] == [
        ("A holds on XNLI, and on PAWS-X.", "verified", 4),
        ("B fails", "refuted", 6),
    ]
    # rich's box.ASCII: "|---+---|" under the header; a wide ✅ shifts the bars after it.
    ascii_box = """\
+-------------------------------------+
| Claim                 | Verdict     |
|-----------------------+-------------|
| A holds on XNLI, and  | ✅ VERIFIED |
| on PAWS-X.            |             |
| B fails               | ❌          |
+-------------------------------------+
"""
    report = parse_report(ascii_box)
    assert report.format == "grid"
    assert [(r.text, r.mark) for r in report.rows] == [
        ("A holds on XNLI, and on PAWS-X.", "verified"),
        ("B fails", "refuted"),
    ]


def test_grid_in_a_markdown_report_beats_a_first_table_without_claims() -> None:
    text = f"# Audit\n\n| Language | Acc |\n|---|---|\n| de | 71.2 |\n\n```\n{GRID}```\n"
    report = parse_report(text)
    assert report.format == "grid" and report.title == "Audit"
    assert _rows(report) == EXPECTED


def test_psql_and_org_tables_read_as_grid() -> None:
    psql = """\
 claim                       | verdict  | confidence
-----------------------------+----------+------------
 A holds on XNLI, sometimes  | verified |       0.9
 B | C are both false        | refuted  |       0.2
(2 rows)
"""
    report = parse_report(psql)
    assert report.format == "grid"
    assert [(r.text, r.mark, r.confidence) for r in report.rows] == [
        ("A holds on XNLI, sometimes", "verified", 0.9),
        ("B | C are both false", "refuted", 0.2),
    ]
    org = "| Finding | Status |\n|---------+--------|\n| A holds | proven |\n"
    assert [(r.text, r.mark) for r in parse_report(org).rows] == [("A holds", "verified")]


def test_simple_table_overflow_and_closing_rule() -> None:
    # A hand-edited table: the first claim runs past its dashes into the Verdict column.
    text = """\
Claim                 Verdict    Confidence
--------------------  ---------  ----------
A holds on XNLI, mostly  VERIFIED   0.9
B fails               FALSIFIED  0.1
--------------------  ---------  ----------
Not a row
"""
    report = parse_report(text)
    assert report.format == "simple"
    assert [(r.text, r.mark, r.confidence) for r in report.rows] == [
        ("A holds on XNLI, mostly", "verified", 0.9),
        ("B fails", "refuted", 0.1),
    ]


def test_simple_table_with_text_far_past_its_column() -> None:
    # Typed by hand: claims run well past the dashes, but two or more spaces still separate
    # the cells, as many cells as the rule has columns.
    text = """Claim                                  Verified   Confidence
-------------------------------------  ---------  ----------
The transfer performance improves by 2.1 points on PAWS-X.   yes   0.81
Robust training remarkably improves generalized transfer.    no    0.40
"""
    report = parse_report(text)
    assert [(r.text, r.mark, r.confidence) for r in report.rows] == [
        ("The transfer performance improves by 2.1 points on PAWS-X.", "verified", 0.81),
        ("Robust training remarkably improves generalized transfer.", "refuted", 0.4),
    ]


def test_markdown_rules_and_thematic_breaks_are_no_simple_tables() -> None:
    text = "Claim one\n- - -\nClaim two\n---------\n"
    with pytest.raises(BadInputError):
        parse_report(text)


def test_html_in_markdown_takes_the_markdown_heading() -> None:
    text = (
        "# Audit of the transfer paper\n\nSome prose.\n\n<table>\n"
        "<tr><td>Finding</td><td>Status</td></tr>\n"
        "<tr><td>A &lt;b&gt; holds, on <em>XNLI</em></td><td>&#x2714;&#xFE0F;</td></tr>\n"
        '<tr><td colspan="2">Section B</td></tr>\n'
        "<tr><td>B fails | twice</td><td>&#x274C;</td></tr>\n"
        "</table>\n"
    )
    report = parse_report(text)
    assert report.format == "html" and report.title == "Audit of the transfer paper"
    assert [(r.text, r.mark, r.line) for r in report.rows] == [
        ("A <b> holds, on XNLI", "verified", 7),
        ("Section B", None, 8),
        ("B fails | twice", "refuted", 9),
    ]


def test_latex_longtable_drops_the_repeated_head_and_the_foot() -> None:
    text = r"""\begin{longtable}{p{6cm}cc}
\caption{Claims}\label{tab:claims}\\
\toprule
Claim & Status & Confidence \\ \midrule
\endfirsthead
\multicolumn{3}{c}{Claims (continued)} \\
Claim & Status & Confidence \\ \midrule
\endhead
\midrule \multicolumn{3}{r}{continued on the next page} \\
\endfoot
\bottomrule
\endlastfoot
M\"uller's bound holds for $n \geq 3$ & \checkmark & 95\% \\
A \& B fail, see~\cite{arXiv:2505.15090} & \ding{55} & 0.2 \\*[2pt]
\multirow{2}{*}{Two lines} & \textcolor{red}{\xmark} & \\
\end{longtable}
"""
    report = parse_report(text)
    assert report.format == "latex" and report.title == "Claims"
    assert [(r.text, r.mark, r.confidence, r.line) for r in report.rows] == [
        ("Müller's bound holds for n ≥ 3", "verified", 0.95, 13),
        ("A & B fail, see [arXiv:2505.15090]", "refuted", 0.2, 14),
        ("Two lines", "refuted", None, 15),
    ]
    assert report.rows[1].cites == ["2505.15090"]


def test_json_variants() -> None:
    array = json.dumps(
        [
            {"text": "A holds, mostly", "verified": True, "probability": 0.7},
            {"text": "B fails", "verified": False, "probability": 0.1, "note": None},
        ],
        indent=2,
    )
    report = parse_report(array, "claims.json")
    assert report.format == "json" and report.title is None
    assert [(r.text, r.mark, r.confidence, r.line) for r in report.rows] == [
        ("A holds, mostly", "verified", 0.7, 2),
        ("B fails", "refuted", 0.1, 7),
    ]
    assert report.rows[1].extra == {"note": ""}
    results = '{"results": [{"finding": "C holds", "outcome": "PASS"}], "n": 1}'
    assert [(r.text, r.mark) for r in parse_report(results).rows] == [("C holds", "verified")]
    single = '{"claim": "D holds", "verdict": "supported"}\n'
    assert [(r.text, r.mark) for r in parse_report(single).rows] == [("D holds", "verified")]
    # A "text" key names the claim only in JSON: elsewhere it is an ordinary column.
    with pytest.raises(BadInputError):
        parse_report("text,verdict\nA holds,verified\n")


GARBAGE: dict[str, list[str]] = {
    "box": [
        "┏━━━┳━━━━━━━┓\n┃ # ┃ Claim ┃\n",
        "┃ # ┃ Claim ┃\n┃ 1 ┃ A     ┃\n",
        "│\n├── CLAIMS.md\n│   ├── claim.py\n│\n└── README\n",
        "┏━┓\n┃ Claim\n┡━╇\n",
    ],
    "grid": [
        "+---+-------+\n| # | Claim |\n+===+",
        "+---+-------+\n| # | Claim |\n| 1 | A     |\n",
        "+--+\n|||\n+==+\n|||\n",
    ],
    "simple": [
        "Claim    Verdict\n-------  -------\n",
        "Claim    Verdict\n-------  -------",
        "=====  =====\nClaim  Verdict\n=====  =====\n",
        "Claim\n----- -\n",
    ],
    "html": [
        "<table><tr><th>Claim</th><th>Verdict",
        "<table><tr><th>Claim</th><th>Verdict</th></tr><tr><td>A holds",
        "<table><tr><th>Claim</th></tr></table>",
        "<table><<<tr><td colspan=9999999999>Claim</td><td colspan='²'>x</td></tr>>>",
        "<table>" * 500 + "<tr><td>claim",
    ],
    "latex": [
        "\\begin{tabular}{ll}\nClaim & Verdict \\\\\n\\textbf{A holds & ✓ \\\\\n\\end{tabular}\n",
        "\\begin{tabular}{ll}\nClaim & Verdict \\\\\nA holds & ✓ \\\\\n",
        "\\begin{tabular}{ll\nClaim & Verdict \\\\\nA holds & ✓ \\\\\n\\end{tabular}\n",
        "\\begin{tabular}{ll}\nClaim & Verdict \\\\\nA} holds & ✓ \\\\\n\\end{tabular}\n",
        "\\begin{tabular}{l}\\multicolumn{99999}{c}{Claim}\\\\ \\href{x\\end{tabular}",
        "\\begin{tabular}{ll}Claim & \\ding{51\\\\ A & \\",
    ],
    "json": [
        '[{"claim": "A holds", "verdict": "✓"},',
        '{"claims": [{"claim": "A holds", "verdict": "✓"}',
        '{"claim": "A holds", "verdict": "✓"}\n{"claim": "B fails"\n',
        '{"claim": "A holds"}\n[1, 2]\n',
        "[" * 100_000,
        '{"claims": {"claim": "nested one level too deep"}}',
        "[1, 2, 3]",
    ],
}


@pytest.mark.parametrize(
    "text", [t for texts in GARBAGE.values() for t in texts], ids=lambda t: repr(t[:24])
)
def test_garbage_is_bad_input(text: str) -> None:
    with pytest.raises(BadInputError, match=r"has no claims table: expected .* a LaTeX tabular"):
        parse_report(text, "bad.txt")


@pytest.mark.parametrize("name", sorted(DIALECTS))
def test_truncated_and_mutated_dialects_never_raise_anything_else(name: str) -> None:
    text = DIALECTS[name][0]
    rng = random.Random(name)
    samples = [text[:cut] for cut in range(0, len(text), max(len(text) // 60, 1))]
    for _ in range(60):
        chars = list(text)
        for _ in range(rng.randint(1, 6)):
            chars[rng.randrange(len(chars))] = rng.choice("{}[]<>|&\\\"'\n\t┃━+-=:%$")
        samples.append("".join(chars))
    for sample in samples:
        try:
            report = parse_report(sample, "mutated")
        except BadInputError as exc:
            assert "\n" not in str(exc)
        else:
            assert all(r.text for r in report.rows)


@pytest.mark.parametrize("name", ["html", "box-rich"])
def test_audit_reads_html_and_box_reports(name: str, tmp_path: Path, papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    text = DIALECTS[name][0]
    # A second reference that is not in the library: the audit names it as unresolved.
    text = text.replace("Transfer audit", "Transfer audit (see arXiv:2505.15090)", 1)
    report = tmp_path / f"report.{'html' if name == 'html' else 'txt'}"
    report.write_text(text, encoding="utf-8")
    res = run_cli("audit", str(report), "--fallback", "--format", "json")
    assert res.code == 0, res.stderr
    rows = res.json_lines()
    claims, summary = rows[:-1], rows[-1]
    assert [r["row"] for r in claims] == [1, 2, 3, 4]
    assert [r["claim"] for r in claims] == [e[0] for e in EXPECTED]
    assert all(r["verdict"] in {"SUPPORTED", "CONTRADICTED", "NOT_ENOUGH_INFO"} for r in claims)
    assert [r["report_mark"] for r in claims] == [e[1] for e in EXPECTED]
    statuses = {ref["raw"]: ref for ref in summary["references"]}  # type: ignore[union-attr]
    assert statuses["2104.08645"]["paper_id"]
    assert not statuses["2505.15090"]["paper_id"]
    res = run_cli("audit", str(report), "--fallback")
    assert res.code == 0, res.stderr
    assert all(f"| {i} |" in res.stdout for i in range(1, 5))
    assert "2505.15090" in res.stdout
