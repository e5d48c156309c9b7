"""The foreign-report parser: the 9 example reports (when ../shared is present) and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcheck.errors import BadInputError
from litcheck.extract.report_table import find_arxiv_ids, parse_mark, parse_report

SHARED = Path(__file__).resolve().parents[3] / "shared" / "examples"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/examples is absent")


def _read(name: str) -> str:
    return (SHARED / name).read_text(encoding="utf-8")


@needs_shared
def test_synthesis_report_has_eleven_marked_claims() -> None:
    report = parse_report(_read("synthesis-report.txt"), "synthesis-report.txt")
    assert report.format == "tsv"
    assert report.title == "Cross-Lingual Transfer Robustness Across High-Resource Language Subsets"
    assert len(report.rows) == 11
    assert report.references == ["2508.11281v3", "2104.08645v2", "2505.15090v1"]
    first = report.rows[0]
    assert first.text == "The cross-lingual transfer performance improves by 2.1 points on PAWS-X."
    assert (first.mark, first.raw_mark, first.confidence) == ("verified", "✓", 0.16)
    assert [r.mark for r in report.rows].count("refuted") == 2
    assert all(r.confidence is not None for r in report.rows)
    assert report.rows[1].mark == "refuted" and report.rows[1].raw_mark == "×"
    assert [r.index for r in report.rows] == list(range(1, 12))


@needs_shared
def test_synthesis_claims_carry_quantities() -> None:
    pytest.importorskip("litcheck.extract.quantities")
    report = parse_report(_read("synthesis-report.txt"))
    q = report.rows[0].quantities
    assert len(q) == 1
    assert (q[0].delta, q[0].unit, q[0].dataset) == (2.1, "points", "PAWS-X")
    q2 = report.rows[1].quantities
    assert (q2[0].delta, q2[0].unit, q2[0].dataset) == (1.6, "points", "XNLI")


# file -> (rows, references, marks in order, first claim text)
EXPECTED: dict[str, tuple[int, list[str], list[str | None], str]] = {
    "hyperbolic-semnet-validation.txt": (
        7,
        [],
        ["verified"] * 4 + ["refuted", "partial", "partial"],
        "Association κ < 0",
    ),
    "icml26-care-llm-eval-exec-summary.txt": (
        6,
        ["2603.00039"],
        ["partial", "partial", "refuted", "partial", "refuted", "refuted"],
        "Claim 1",
    ),
    "icml26-llm-aggregation-report.txt": (
        6,
        [],
        ["verified"] * 3 + ["blocked"] + ["verified"] * 2,
        "OW is Bayes-optimal",
    ),
    "icml26-model-collapse-claims-index.txt": (
        6,
        ["2602.16601"],
        ["verified"] * 4 + ["refuted", "blocked"],
        "C1 / Proposition 3.1",
    ),
    "icml26-quantum-regression-repaired-claims.txt": (
        6,
        [
            "2509.24757",
            "2207.11014",
            "2311.03215",
            "2311.18145",
            "1207.6365",
            "2110.13086",
            "2312.14141",
        ],
        ["refuted"] * 6,
        "Theorem 10 for every eps > 0 — sampler called out of domain, loop crosses the runtime "
        "envelope below eps = sqrt(n/m)",
    ),
    "icml26-grokking-readme.txt": (
        5,
        ["2601.19791"],
        ["verified"] * 5,
        "Three-stage grokking (Thm 4.1)",
    ),
    "icml26-replay-generation-report.txt": (
        6,
        [],
        ["verified"] * 6,
        "Uniform generation is equivalent with and without replay, at identical complexity",
    ),
    "hle-gpqa-error-claims-readme.txt": (
        3,
        ["2311.12022v1", "2501.14249v9"],
        ["verified"] * 3,
        "Wrong answer key: rec7qmSnbud4FHSqL (silicon ratio)",
    ),
}


@needs_shared
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_reports(name: str) -> None:
    n_rows, refs, marks, first_text = EXPECTED[name]
    report = parse_report(_read(f"reports/{name}"), name)
    assert report.format == "markdown"
    assert len(report.rows) == n_rows
    assert report.references == refs
    assert [r.mark for r in report.rows] == marks
    assert report.rows[0].text == first_text
    assert report.title
    for row in report.rows:
        assert "**" not in row.text and "&#" not in row.text and "`" not in row.text


@needs_shared
def test_example_specifics() -> None:
    hyper = parse_report(_read("reports/hyperbolic-semnet-validation.txt"))
    assert [r.confidence for r in hyper.rows] == [0.99, 0.99, 1.0, 1.0, 0.0, 0.75, 0.8]
    agg = parse_report(_read("reports/icml26-llm-aggregation-report.txt"))
    assert [r.confidence_label for r in agg.rows] == ["HIGH"] * 3 + ["LOW"] + ["HIGH"] * 2
    assert agg.rows[0].extra["Possible points"] == "2"
    replay = parse_report(_read("reports/icml26-replay-generation-report.txt"))
    assert replay.rows[2].confidence_label == "MEDIUM"
    # The composite mark is the report's verdict and its confidence, not one value.
    assert replay.rows[0].raw_mark == "Candidate VERIFIED"
    assert (replay.rows[0].raw_confidence, replay.rows[0].confidence_level) == ("HIGH", "high")
    assert replay.rows[0].extra["Claim"] == "1"
    quantum = parse_report(_read("reports/icml26-quantum-regression-repaired-claims.txt"))
    assert quantum.rows[0].raw_mark == "FALSIFIED"
    assert quantum.rows[0].extra["Repaired (PROVEN) — the fix"].startswith("R1:")
    care = parse_report(_read("reports/icml26-care-llm-eval-exec-summary.txt"))
    assert care.rows[2].raw_mark == "FALSIFIED AS STATED"


def test_markdown_fixture_with_two_tables_and_cites() -> None:
    text = """# My audit

| Language | Acc |
|---|---|
| de | 71.2 |

| # | Claim | Verdict | Confidence | Source |
|:-:|-------|:-------:|-----------:|--------|
| 1 | **XLM-R** improves by 2.1 points on PAWS-X &amp; more | ✔ | 85% | {link} |
| 2 | Accuracy drops by 0.5 points on XNLI | ✗ | 0.3 | arXiv:2505.15090 |
| 3 | Something else | inconclusive | LOW | |
| 4 | | ✔ | | |
| 5 | Short row | ✔ |
"""
    text = text.replace("{link}", "[paper](https://arxiv.org/pdf/2104.08645v2.pdf)")
    report = parse_report(text, "audit.md")
    assert report.title == "My audit"
    assert [r.text for r in report.rows] == [
        "XLM-R improves by 2.1 points on PAWS-X & more",
        "Accuracy drops by 0.5 points on XNLI",
        "Something else",
        "Short row",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted", "unknown", "verified"]
    assert report.rows[2].raw_mark == "inconclusive"
    assert [r.confidence for r in report.rows] == [0.85, 0.3, None, None]
    assert report.rows[2].confidence_label == "LOW"
    assert report.rows[0].cites == ["2104.08645v2"]
    assert report.rows[1].cites == ["2505.15090"]
    assert report.rows[0].line == 9
    assert report.references == ["2104.08645v2", "2505.15090"]


def test_csv_and_tsv_fixtures() -> None:
    csv_text = (
        "statement,verdict,confidence\n"
        '"Robust training helps, a lot, on XNLI",VERIFIED,0.9\n'
        "mBERT is multilingual,FALSIFIED,0.2\n"
    )
    report = parse_report(csv_text, "claims.csv")
    assert report.format == "csv"
    assert [r.text for r in report.rows] == [
        "Robust training helps, a lot, on XNLI",
        "mBERT is multilingual",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert report.rows[1].line == 3
    tsv = "Title line\n\nFinding\tStatus\n1. A holds\tproven\nB fails\tBLOCKED\n"
    report = parse_report(tsv)
    assert report.format == "tsv"
    assert [(r.text, r.mark) for r in report.rows] == [
        ("A holds", "verified"),
        ("B fails", "blocked"),
    ]
    assert report.title == "Title line"


def test_no_claims_table_is_bad_input() -> None:
    with pytest.raises(BadInputError, match="has no claims table: expected a column named Claim"):
        parse_report("| a | b |\n|---|---|\n| 1 | 2 |\n", "x.md")
    with pytest.raises(BadInputError, match=r"x\.txt has no claims table"):
        parse_report("\x00\x01 binary \xff", "x.txt")
    with pytest.raises(BadInputError):
        parse_report("")


@pytest.mark.parametrize(
    ("raw", "mark"),
    [
        ("✓", "verified"),
        ("✔", "verified"),
        ("✅", "verified"),
        ("**VERIFIED**", "verified"),
        ("Supported", "verified"),
        ("proven", "verified"),
        ("×", "refuted"),
        ("✗", "refuted"),
        ("❌", "refuted"),
        ("FALSIFIED", "refuted"),
        ("refuted", "refuted"),
        ("⚠️", "partial"),
        ("PARTIAL", "partial"),
        ("BLOCKED", "blocked"),
        ("not CPU-falsifiable", "blocked"),
        ("VERIFIED / FALSIFIED BY SCOPE", "partial"),
        ("READY / VERIFIED", "verified"),
        ("COMPLETE / BLOCKED", "blocked"),
        ("maybe", "unknown"),
        ("not verified", "unknown"),
        ("yes", "verified"),
        ("No.", "refuted"),
        ("Y", "verified"),
        ("correct", "verified"),
        ("incorrect", "refuted"),
        ("not correct", "refuted"),
        ("Inaccurate", "refuted"),
        ("wrong figure", "refuted"),
        ("disputed", "refuted"),
        ("no evidence found", "unknown"),
        ("", None),
    ],
)
def test_parse_mark(raw: str, mark: str | None) -> None:
    assert parse_mark(raw) == mark


def test_find_arxiv_ids_forms() -> None:
    text = (
        "see https://ar5iv.labs.arxiv.org/html/2509.24757 and <http://arxiv.org/abs/2104.08645v2>,"
        " arXiv:hep-th/9901001, files gpqa_2311.12022v1.txt; not 634.96 or 1234.5678 (month 34)"
        " and again 2104.08645"
    )
    assert find_arxiv_ids(text) == ["2509.24757", "2104.08645v2", "hep-th/9901001", "2311.12022v1"]


def test_prose_with_commas_is_not_a_csv_claims_table() -> None:
    text = (
        "# Results\n\n"
        "- Zero-shot accuracy in every language; groups: romance = es, fr; the finding, so far, "
        "is provisional.\n"
        "- An intermediate stage trains on that language, so its group is not zero-shot, "
        "as expected.\n"
    )
    with pytest.raises(BadInputError, match="no claims table"):
        parse_report(text, "prose.md")


def test_csv_claims_table_still_parses() -> None:
    text = "claim,verdict,confidence\nAccuracy is 74.4 on XNLI,verified,0.9\nIt helps,refuted,0.3\n"
    report = parse_report(text, "t.csv")
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert report.format == "csv"
