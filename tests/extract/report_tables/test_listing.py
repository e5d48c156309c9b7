"""Claims written as a numbered or bulleted list are read as a claims table."""

from __future__ import annotations

import pytest

from litcheck.errors import BadInputError
from litcheck.extract.report_table import parse_report

LIST_REPORT = """# Key findings

1. XLM-R outperforms mBERT on XNLI by 14.6% average accuracy [1]. ✅
2. Robust training improves transfer by 3.5 points on PAWS-X [2, 3]. ❌
3. mBERT covers 50 languages (arXiv:1911.02116) — Partially supported
- Randomized smoothing helps most on PAWS-X [2] (Verified)

## References
1. Conneau et al. (2020). Cross-lingual Representation Learning at Scale. arXiv:1911.02116.
2. Huang et al. (2021). Improving Zero-Shot Cross-Lingual Transfer. arXiv:2104.08645 [1].
"""


def test_list_items_are_rows_with_their_markers_and_marks() -> None:
    report = parse_report(LIST_REPORT)
    assert report.format == "list"
    assert [r.text for r in report.rows] == [
        "XLM-R outperforms mBERT on XNLI by 14.6% average accuracy.",
        "Robust training improves transfer by 3.5 points on PAWS-X.",
        "mBERT covers 50 languages",
        "Randomized smoothing helps most on PAWS-X",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted", "partial", "verified"]
    assert report.rows[0].extra.get("Source") == "[1]"
    assert report.rows[2].cites == ["1911.02116"]
    assert report.rows[0].line == 3 and report.title == "Key findings"
    # The references are not claims, though they are a numbered list with a marker.
    assert not any("Conneau" in r.text for r in report.rows)


def test_a_table_with_a_claim_column_wins_over_a_list() -> None:
    text = LIST_REPORT + (
        "\n| Claim | Status |\n|---|---|\n| XLM-R covers one hundred languages. | ✅ |\n"
    )
    report = parse_report(text)
    assert report.format == "markdown"
    assert [r.text for r in report.rows] == ["XLM-R covers one hundred languages."]


@pytest.mark.parametrize(
    "text",
    [
        # A plain summary: no item cites or judges anything.
        "# Summary\n\n- Multilingual encoders transfer across languages well.\n"
        "- Robust training is a promising direction for future work.\n",
        # Labels, not claims.
        "# Contents\n\n1. Results [1]\n2. Methods ✅\n",
    ],
)
def test_a_list_that_neither_cites_nor_judges_is_no_claims_table(text: str) -> None:
    with pytest.raises(BadInputError, match="no claims table"):
        parse_report(text)


def test_a_verdict_may_lead_the_item_when_set_apart() -> None:
    text = (
        "# Findings\n\n"
        "- ✅ **Supported**: XLM-R outperforms mBERT on XNLI [1].\n"
        "- [Partially supported] mBERT covers 50 languages [1]\n"
        "- **Refuted** — Robust training hurts transfer on PAWS-X [2]\n"
        "- Supported by two trials, aspirin lowers the risk of stroke [3].\n"
    )
    rows = parse_report(text).rows
    assert [r.mark for r in rows] == ["verified", "partial", "refuted", None]
    assert rows[0].text == "XLM-R outperforms mBERT on XNLI."
    # Not set apart: the word is the claim's own.
    assert rows[3].text == "Supported by two trials, aspirin lowers the risk of stroke."
