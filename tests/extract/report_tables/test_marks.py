"""Composite verdict cells: the report's verdict and its confidence, never one value."""

from __future__ import annotations

import pytest

from litcheck.extract.report_table import parse_report
from litcheck.extract.report_tables.marks import confidence_level, split_mark

# cell -> (verdict part, confidence part), as audited reports write them.
COMPOSITE = {
    "VERIFIED, HIGH": ("VERIFIED", "HIGH"),
    "Candidate VERIFIED, MEDIUM": ("Candidate VERIFIED", "MEDIUM"),
    "✓ 0.16": ("✓", "0.16"),
    "✓0.16": ("✓", "0.16"),
    "✅ 92%": ("✅", "92%"),
    "Supported (weak)": ("Supported", "weak"),
    "SUPPORTED (strong evidence)": ("SUPPORTED", "strong evidence"),
    "× (0.9)": ("×", "0.9"),
    "❌ [0.35]": ("❌", "0.35"),
    "Refuted - low confidence": ("Refuted", "low confidence"),
    "FALSIFIED — conf. 0.35": ("FALSIFIED", "conf. 0.35"),
    "Contradicted: moderate confidence": ("Contradicted", "moderate confidence"),
    "VERIFIED / HIGH": ("VERIFIED", "HIGH"),
    "VERIFIED; confidence: high": ("VERIFIED", "confidence: high"),
    "× = 30%": ("×", "30%"),
    "PARTIAL (medium)": ("PARTIAL", "medium"),
    "Partially supported, LOW": ("Partially supported", "LOW"),
    "supported (very high confidence)": ("supported", "very high confidence"),
    "VERIFIED, HIGH (0.9)": ("VERIFIED", "HIGH (0.9)"),
    "HIGH: refuted": ("refuted", "HIGH"),
    "0.8 ✓": ("✓", "0.8"),
    "Strongly supported": ("supported", "Strongly"),
    "Weakly supported": ("supported", "Weakly"),
    "**VERIFIED**, *high*": ("VERIFIED", "high"),
}

# Cells that are one value: no confidence to split off.
SINGLE = [
    "VERIFIED",
    "✓",
    "FALSIFIED AS STATED",
    "PARTIAL / BLOCKED",
    "Not assessed (low priority)",
    "Verified (3 seeds)",
    "verified (p=0.03)",
    "VERIFIED languages stays below 0.5",
    "low",
    "0.9",
    "Not CPU-falsifiable",
    "Holds on XNLI, not on PAWS-X",
]


@pytest.mark.parametrize("cell", sorted(COMPOSITE))
def test_composite_cell_splits(cell: str) -> None:
    assert split_mark(cell) == COMPOSITE[cell]


@pytest.mark.parametrize("cell", SINGLE)
def test_single_value_cell_does_not_split(cell: str) -> None:
    verdict, confidence = split_mark(cell)
    assert confidence is None
    assert verdict == cell.replace("**", "")


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("HIGH", "high"),
        ("VERY HIGH", "high"),
        ("STRONG", "high"),
        ("STRONGLY", "high"),
        ("MODERATE", "medium"),
        ("MEDIUM", "medium"),
        ("LOW", "low"),
        ("VERY LOW", "low"),
        ("WEAK", "low"),
        ("TENTATIVE", "low"),
        (None, None),
        ("SOMEWHAT", None),
    ],
)
def test_confidence_levels(label: str | None, level: str | None) -> None:
    assert confidence_level(label) == level


def _table(cells: list[str], confidence_column: bool = False) -> str:
    head = "| # | Claim | Verdict |" + (" Confidence |" if confidence_column else "")
    sep = "|---|---|---|" + ("---|" if confidence_column else "")
    rows = [
        f"| {i} | Claim number {i} holds on XNLI. | {c} |" + (" |" if confidence_column else "")
        for i, c in enumerate(cells, 1)
    ]
    return "\n".join(["# Audit", "", head, sep, *rows]) + "\n"


def test_rows_carry_verdict_and_confidence_apart() -> None:
    cells = [
        "VERIFIED, HIGH",
        "✓ 0.16",
        "Supported (weak)",
        "× (0.9)",
        "Refuted - low confidence",
        "✓",
        "FALSIFIED AS STATED",
    ]
    rows = parse_report(_table(cells)).rows
    got = [
        (r.mark, r.raw_mark, r.confidence, r.confidence_label, r.confidence_level, r.raw_confidence)
        for r in rows
    ]
    assert got == [
        ("verified", "VERIFIED", None, "HIGH", "high", "HIGH"),
        ("verified", "✓", 0.16, None, None, "0.16"),
        ("verified", "Supported", None, "WEAK", "low", "weak"),
        ("refuted", "×", 0.9, None, None, "0.9"),
        ("refuted", "Refuted", None, "LOW", "low", "low confidence"),
        ("verified", "✓", None, None, None, None),
        ("refuted", "FALSIFIED AS STATED", None, None, None, None),
    ]


def test_an_empty_confidence_column_takes_the_verdict_cells_confidence() -> None:
    rows = parse_report(_table(["✓ 0.7", "× (LOW)"], confidence_column=True)).rows
    assert [(r.mark, r.raw_mark, r.confidence, r.confidence_level) for r in rows] == [
        ("verified", "✓", 0.7, None),
        ("refuted", "×", None, "low"),
    ]


def test_a_filled_confidence_column_wins_over_the_verdict_cell() -> None:
    text = (
        "| Claim | Verdict | Confidence |\n|---|---|---|\n"
        "| Accuracy rises by 2.1 points on PAWS-X. | ✓ (0.19) | 0.25 |\n"
    )
    (row,) = parse_report(text).rows
    assert (row.mark, row.raw_mark, row.confidence, row.raw_confidence) == (
        "verified",
        "✓",
        0.25,
        "0.25",
    )


@pytest.mark.parametrize(
    ("rating", "mark"),
    [
        ("Half True", "partial"),
        ("Mostly True", "verified"),
        ("Mostly False", "refuted"),
        ("Pants on Fire!", "refuted"),
        ("Mixture", "partial"),
        ("Misleading", "partial"),
        ("Missing context", "partial"),
        ("Unproven", "unknown"),
    ],
)
def test_fact_checkers_ratings(rating: str, mark: str) -> None:
    from litcheck.extract.report_table import parse_mark

    assert parse_mark(rating) == mark
