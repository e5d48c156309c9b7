# ruff: noqa: E501  (the org fixture is as wide as Emacs aligns it)
"""Org-mode and AsciiDoc claims tables, read like every other dialect.

Each fixture holds the four claims of ``tests/extract/test_report_dialects.py``'s MARKDOWN
(a claim with a comma and an arXiv citation, ✓ / × and word marks, numeric and worded
confidences, a ``|`` inside a claim), written as Emacs org-mode and Asciidoctor write them.
"""

from __future__ import annotations

import pytest
from tests.extract.test_report_dialects import EXPECTED, MARKDOWN

from litcheck.errors import BadInputError
from litcheck.extract.report_table import parse_report

# As Emacs aligns it (C-c C-c), under a file title and with a caption, a #+TBLFM line after.
ORG = """\
#+TITLE: Transfer audit
#+AUTHOR: Review bot

* Claims checked

#+CAPTION: Claims of the synthesis report
#+NAME: tab:claims
|---+--------------------------------------------------------------------------------------+-----------+------------+-------------------------------------|
| # | Claim                                                                                | Verdict   | Confidence | Source                              |
|---+--------------------------------------------------------------------------------------+-----------+------------+-------------------------------------|
|   | <60>                                                                                 |           |            |                                     |
| 1 | Robust training improves accuracy by 2.1 points on PAWS-X, a clear gain over mBERT. | ✓         |       0.85 | [[https://arxiv.org/abs/2104.08645][arXiv:2104.08645]] |
| 2 | Accuracy drops by 0.5 points on /XNLI/.                                              | ×         |        30% |                                     |
|---+--------------------------------------------------------------------------------------+-----------+------------+-------------------------------------|
| 3 | The gap \\vert{}Δ\\vert{} between languages stays below 0.5 points.                    | *VERIFIED* | HIGH       |                                     |
| 4 | Zero-shot transfer fails for Swahili.                                                | FALSIFIED | LOW        |                                     |
|---+--------------------------------------------------------------------------------------+-----------+------------+-------------------------------------|
#+TBLFM: $1=@#-1
"""

# Asciidoctor: block title and attributes, the header row on one line, then one cell a line
# for the first row and one row a line after; a pipe in a claim escaped.
ASCIIDOC = """\
= Transfer audit
Review Bot <review@example.org>

== Claims checked

.Claims of the synthesis report
[cols="1,6,1,1,2",options="header"]
|===
|# |Claim |Verdict |Confidence |Source

|1
|Robust training improves accuracy by 2.1 points on PAWS-X,
a clear gain over mBERT.
|✓
|0.85
|https://arxiv.org/abs/2104.08645[arXiv:2104.08645]

|2 |Accuracy drops by 0.5 points on _XNLI_. |× |30% |
|3 |The gap \\|Δ\\| between languages stays below 0.5 points. |*VERIFIED* |HIGH |
|4 |Zero-shot transfer fails for Swahili. |FALSIFIED |LOW |
|===
"""


def _rows(text: str) -> list[tuple[str, str | None, float | None, str | None]]:
    return [(r.text, r.mark, r.confidence, r.confidence_label) for r in parse_report(text).rows]


@pytest.mark.parametrize(
    ("text", "fmt", "title", "lines"),
    [
        (ORG, "org", "Transfer audit", [12, 13, 15, 16]),
        (ASCIIDOC, "asciidoc", "Claims of the synthesis report", [11, 18, 19, 20]),
    ],
    ids=["org", "asciidoc"],
)
def test_dialect_reads_every_claim(text: str, fmt: str, title: str, lines: list[int]) -> None:
    report = parse_report(text, f"report.{fmt}")
    assert report.format == fmt
    assert report.title == title
    assert _rows(text) == EXPECTED == _rows(MARKDOWN)
    assert [r.line for r in report.rows] == lines
    assert report.rows[0].cites == ["2104.08645"]
    assert report.rows[0].extra["Source"] == "arXiv:2104.08645"
    assert [r.raw_mark for r in report.rows] == ["✓", "×", "VERIFIED", "FALSIFIED"]
    assert report.references == ["2104.08645"]


def test_org_table_of_tabulate_orgtbl_without_title() -> None:
    # tabulate(..., tablefmt="orgtbl"): no rules above or below, a rule under the header.
    text = (
        "| claim                         | verdict   |   confidence |\n"
        "|-------------------------------+-----------+--------------|\n"
        "| RS-DA helps on XNLI           | supported |         0.62 |\n"
        "| AT hurts clean accuracy       | refuted   |         0.4  |\n"
    )
    report = parse_report(text)
    assert report.format == "org" and report.title is None
    assert _rows(text) == [
        ("RS-DA helps on XNLI", "verified", 0.62, None),
        ("AT hurts clean accuracy", "refuted", 0.4, None),
    ]


def test_org_special_rows_and_heading_title() -> None:
    text = (
        "* Audit of the robustness claims\n"
        "|   | claim                | status   |\n"
        "|---+----------------------+----------|\n"
        "| / | <                    | <        |\n"
        "| ! | name                 | st       |\n"
        "| # | Plain wins on PAWS-X | ✗        |\n"
        "| # | RS-RP wins on XNLI   | ✓        |\n"
    )
    report = parse_report(text)
    assert report.title == "Audit of the robustness claims"
    assert [(r.text, r.mark) for r in report.rows] == [
        ("Plain wins on PAWS-X", "refuted"),
        ("RS-RP wins on XNLI", "verified"),
    ]


def test_markdown_table_is_not_read_as_org() -> None:
    report = parse_report("| Claim | Verdict |\n|---|---|\n| A holds | ✓ |\n")
    assert report.format == "markdown"


def test_reST_grid_stays_grid() -> None:
    text = (
        "+---------+--------+\n| Claim   | Status |\n+=========+========+\n"
        "| A holds | ✓      |\n+---------+--------+\n"
    )
    assert parse_report(text).format == "grid"


def test_asciidoc_implicit_header_spans_and_repeats() -> None:
    text = """\
[cols="3*"]
|===
|Claim |Verdict |Confidence

2+|Robust training helps on XNLI (merged across two columns) |0.7
.2+|Zero-shot transfer fails for Urdu |refuted |LOW
|refuted |0.2
3*|PAWS-X
|===
"""
    report = parse_report(text)
    assert report.format == "asciidoc" and report.title is None  # attributes are no title
    got = [(r.text, r.mark, r.confidence, r.confidence_label) for r in report.rows]
    assert got == [
        ("Robust training helps on XNLI (merged across two columns)", None, 0.7, None),
        ("Zero-shot transfer fails for Urdu", "refuted", None, "LOW"),
        ("PAWS-X", "unknown", None, None),
    ]
    # The rowspan leaves the claim cell of the third row empty: that row is no claim.
    assert len(report.rows) == 3


def test_asciidoc_without_header_or_unclosed_is_not_a_claims_table() -> None:
    no_header = "|===\n|Claim |Verdict\n|A holds |✓\n|===\n"
    with pytest.raises(BadInputError):
        parse_report(no_header)
    with pytest.raises(BadInputError):
        parse_report("[%header]\n|===\n|Claim |Verdict\n|A holds |✓\n")
    header = parse_report("[%header]\n|===\n|Claim |Verdict\n|A holds |✓\n|===\n")
    assert [(r.text, r.mark) for r in header.rows] == [("A holds", "verified")]


def test_asciidoc_custom_separator_and_links() -> None:
    text = (
        '[separator=¦,options="header"]\n|===\n¦Claim ¦Verdict\n'
        "¦Accuracy \\| robustness trade-off on <<tab2,Table 2>>, see "
        "link:https://arxiv.org/pdf/2104.08645v2[the paper] ¦✓ 0.9\n|===\n"
    )
    (row,) = parse_report(text).rows
    assert row.text == "Accuracy | robustness trade-off on Table 2, see the paper"
    assert (row.mark, row.confidence, row.cites) == ("verified", 0.9, ["2104.08645v2"])
