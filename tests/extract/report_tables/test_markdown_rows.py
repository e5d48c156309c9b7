"""Markdown rows whose cell count differs from the header's are flagged, not cut short."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

from litcheck.extract.report_table import parse_report

HEADER = "# Audit\n\n| # | Claim | Verdict | Confidence |\n|---|-------|---------|------------|\n"


def test_unescaped_double_pipe_inside_a_claim_is_read_as_text_and_flagged() -> None:
    report = parse_report(
        HEADER + "| 1 | The norm ||x|| of the update stays below 0.5 on XNLI. | ✓ | 0.8 |\n"
    )
    (row,) = report.rows
    assert row.text == "The norm ||x|| of the update stays below 0.5 on XNLI."
    assert (row.mark, row.confidence) == ("verified", 0.8)
    assert len(row.warnings) == 1 and "'||'" in row.warnings[0]


def test_double_pipe_as_an_empty_cell_is_an_ordinary_row() -> None:
    (row,) = parse_report(HEADER + "| 1 | Accuracy rises on XNLI. || 0.4 |\n").rows
    assert (row.text, row.mark, row.confidence, row.warnings) == (
        "Accuracy rises on XNLI.",
        None,
        0.4,
        [],
    )


def test_escaped_pipe_stays_text_without_warning() -> None:
    (row,) = parse_report(HEADER + "| 1 | The gap \\|Δ\\| stays below 0.5. | ✓ | HIGH |\n").rows
    assert row.text == "The gap |Δ| stays below 0.5."
    assert row.warnings == []


def test_a_single_unescaped_pipe_is_flagged_not_silently_truncated() -> None:
    rows = parse_report(
        HEADER
        + "| 1 | Transfer holds for de | fr pairs on PAWS-X. | ✓ | 0.7 |\n"
        + "| 2 | Accuracy drops on XNLI. | × | 0.3 |\n"
    ).rows
    assert rows[0].text == "Transfer holds for de"  # read as split, but it says so
    assert rows[0].warnings and "5 cells and its header 4" in rows[0].warnings[0]
    assert rows[0].extra["column 5"] == "0.7"  # nothing past the header is lost
    assert rows[1].warnings == []


def test_a_short_row_is_flagged() -> None:
    (row,) = parse_report(HEADER + "| 1 | Accuracy rises on XNLI. | ✓ |\n").rows
    assert row.mark == "verified"
    assert row.warnings == [
        "the row has 3 cells and its header 4: the missing cells are read as empty"
    ]


def test_two_double_pipes_with_one_too_many_cells_are_not_guessed() -> None:
    # Seven pieces; reading both '||' as text leaves three cells, not four: flagged, not guessed.
    (row,) = parse_report(HEADER + "| 1 | a || b || c | ✓ |\n").rows
    assert row.warnings and "cells and its header 4" in row.warnings[0]


def test_audit_json_shows_the_row_warnings(tmp_path: Path, papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    report = tmp_path / "report.md"
    report.write_text(
        HEADER
        + "| 1 | Robust training ||really|| helps PAWS-X accuracy (arXiv:2104.08645). | ✓ | 0.8 |\n"
        + "| 2 | Robust training improves XNLI accuracy (arXiv:2104.08645). | ✓ | 0.7 |\n",
        encoding="utf-8",
    )
    res = run_cli("audit", str(report), "--fallback", "--format", "json")
    assert res.code == 0, res.stderr
    rows = [r for r in res.json_lines() if not r.get("summary")]
    assert "||really||" in str(rows[0]["claim"])
    assert rows[0]["parse_warnings"] and "'||'" in str(rows[0]["parse_warnings"])
    assert rows[1]["parse_warnings"] == []
