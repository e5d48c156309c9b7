"""Claims as ``Key: value`` records (plain text, Markdown, YAML) and reST directive tables."""

from __future__ import annotations

import pytest

from litcheck.errors import BadInputError
from litcheck.extract.report_table import parse_report

PLAIN_RECORDS = """Literature check: cross-lingual transfer
Reviewer: automated assistant

Claim 1: XLM-R significantly outperforms multilingual BERT on cross-lingual benchmarks.
Source: Conneau et al. (2019), arXiv:1911.02116
Verdict: Supported
Confidence: high

Claim 2: English is the best transfer language for zero-shot cross-lingual transfer.
Source: Turc et al. (2021), arXiv:2106.16171
Verdict: Refuted
Confidence: 0.7
Notes: the paper finds German and Russian
  are often more effective.

Best regards,
the assistant
"""


def test_plain_key_value_records_are_rows() -> None:
    report = parse_report(PLAIN_RECORDS)
    assert report.format == "records"
    assert [r.text for r in report.rows] == [
        "XLM-R significantly outperforms multilingual BERT on cross-lingual benchmarks.",
        "English is the best transfer language for zero-shot cross-lingual transfer.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert [r.raw_mark for r in report.rows] == ["Supported", "Refuted"]
    assert [r.cites for r in report.rows] == [["1911.02116"], ["2106.16171"]]
    assert report.rows[0].confidence_level == "high" and report.rows[1].confidence == 0.7
    assert report.rows[0].extra["#"] == "1" and report.rows[1].line == 9
    # An indented line continues the value above; "Reviewer:" before any claim is no row.
    assert (
        report.rows[1].extra["Notes"]
        == "the paper finds German and Russian are often more effective."
    )
    assert report.title == "Literature check: cross-lingual transfer"


MARKDOWN_RECORDS = """# Claim check

**Claim 1.** Monolingual representations transfer to new languages at the lexical level
(Artetxe et al., 2019).
*Verdict:* Supported

**Claim 2:** PAWS-X has adversarial paraphrase pairs in six languages (Yang et al., 2019).
**Verdict**: Partially supported

### Claim 3
Cross-lingual structure emerges even without shared vocabulary.

**Source:** Wu et al. (2019), arXiv:1911.01464
**Verdict:** Supported

## References

- Artetxe, M., Ruder, S. (2019). On the Cross-lingual Transferability of Monolingual
  Representations. arXiv:1910.11856
- Yang, Y., Zhang, Y. (2019). PAWS-X. arXiv:1908.11828
"""


def test_markdown_bold_keys_and_heading_records_are_rows() -> None:
    report = parse_report(MARKDOWN_RECORDS)
    assert report.format == "records"
    assert [r.text for r in report.rows] == [
        "Monolingual representations transfer to new languages at the lexical level "
        "(Artetxe et al., 2019).",
        "PAWS-X has adversarial paraphrase pairs in six languages (Yang et al., 2019).",
        "Cross-lingual structure emerges even without shared vocabulary.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "partial", "verified"]
    assert [r.extra["#"] for r in report.rows] == ["1", "2", "3"]
    assert report.rows[2].cites == ["1911.01464"]
    # The reference list is no record, though its entries hold colons.
    assert len(report.rows) == 3 and report.title == "Claim check"


YAML_RECORDS = """title: Cross-lingual transfer audit
claims:
  - id: C1
    claim: >-
      Multilingual BERT representations split into a language-specific
      and a language-neutral component.
    sources:
      - arXiv:1911.03310
      - "Libovický et al. 2019"
    verdict: supported
    confidence: 0.9
  - id: C2
    statement: "Zero-shot transfer works for distant, low-resource languages."
    sources: [arXiv:2005.00633]
    verdict: refuted
"""


def test_a_yaml_list_of_claims_is_read_without_a_yaml_library() -> None:
    report = parse_report(YAML_RECORDS)
    assert report.format == "records"
    assert report.title == "Cross-lingual transfer audit"
    assert [r.text for r in report.rows] == [
        "Multilingual BERT representations split into a language-specific and a "
        "language-neutral component.",
        "Zero-shot transfer works for distant, low-resource languages.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert [r.cites for r in report.rows] == [["1911.03310"], ["2005.00633"]]
    assert report.rows[0].extra["sources"] == "arXiv:1911.03310; Libovický et al. 2019"
    assert [r.extra["id"] for r in report.rows] == ["C1", "C2"]
    assert report.rows[0].confidence == 0.9 and report.rows[1].line == 12


def test_prose_with_a_stray_key_is_no_records_table() -> None:
    text = "Some notes on the draft.\n\nNote: nothing was checked.\nClaims:\n\nThanks.\n"
    with pytest.raises(BadInputError, match="no claims table"):
        parse_report(text)


def test_a_records_table_loses_to_a_real_table() -> None:
    text = (
        "Claim: an aside in the introduction.\nSource: none\n\n"
        "| Claim | Verdict |\n|---|---|\n| XNLI covers 15 languages. | Supported |\n"
    )
    report = parse_report(text)
    assert report.format == "markdown" and report.rows[0].text == "XNLI covers 15 languages."


RST_LIST_TABLE = """Cross-lingual transfer: claim check
===================================

.. list-table:: Claims checked against the cited papers
   :header-rows: 1
   :widths: 5 55 20 20

   * - #
     - Claim
     - Source
     - Verdict
   * - 1
     - XLM-R, trained on CommonCrawl data in one hundred languages,
       significantly outperforms multilingual BERT.
     - `Conneau et al. <https://arxiv.org/abs/1911.02116>`_
     - Supported
   * - 2
     - Multilingual BERT cannot transfer between scripts.
     - :cite:`pires2019` (arXiv:1906.01502)
     - **Refuted**

After the table.
"""


def test_rst_list_table_rows_and_wrapped_cells() -> None:
    report = parse_report(RST_LIST_TABLE)
    assert report.format == "rst"
    assert [r.text for r in report.rows] == [
        "XLM-R, trained on CommonCrawl data in one hundred languages, significantly "
        "outperforms multilingual BERT.",
        "Multilingual BERT cannot transfer between scripts.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert [r.cites for r in report.rows] == [["1911.02116"], ["1906.01502"]]
    assert report.rows[0].extra == {"#": "1", "Source": "Conneau et al."}
    assert report.rows[1].extra["Source"] == "pires2019 (arXiv:1906.01502)"
    assert [r.line for r in report.rows] == [12, 17]
    assert report.title == "Cross-lingual transfer: claim check"


RST_CSV_TABLE = """Claim audit
===========

.. csv-table:: Claims and verdicts
   :header: "Claim", "Source", "Verdict"

   "XNLI evaluates sentence understanding in 15 languages.", arXiv:1809.05053, Supported
   "STILTs hurts GLUE performance.", arXiv:1811.01088, Refuted
"""


def test_rst_csv_table_with_its_header_option() -> None:
    report = parse_report(RST_CSV_TABLE)
    assert report.format == "rst"
    assert [r.text for r in report.rows] == [
        "XNLI evaluates sentence understanding in 15 languages.",
        "STILTs hurts GLUE performance.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert [r.cites for r in report.rows] == [["1809.05053"], ["1811.01088"]]
    assert [r.line for r in report.rows] == [7, 8]
