"""The audit's Markdown table shows the table reader's warnings on a row beside its reason."""

from __future__ import annotations

from litcheck.extract.report_table import parse_report
from litcheck.models import Label, Verdict
from litcheck.verify.audit import AuditResult, AuditRow
from litcheck.verify.render import audit_markdown, parse_warning_text

HEADER = "| # | Claim | Verdict | Confidence |\n|---|-------|---------|------------|\n"


def split_row_warnings() -> list[str]:
    """The warnings the Markdown reader gives a row cut in two by an unescaped '|'."""
    (row, _) = parse_report(
        HEADER
        + "| 1 | Transfer holds for de | fr pairs on PAWS-X. | ✓ | 0.7 |\n"
        + "| 2 | Accuracy drops on XNLI. | × | 0.3 |\n"
    ).rows
    assert row.warnings
    return list(row.warnings)


def audit_result(warnings: list[str], reason: str = "the passage states 2.1 points") -> AuditResult:
    """Two checked rows, the first with ``warnings``, the second read cleanly."""
    rows = [
        AuditRow(
            index=i,
            line=2 + i,
            mark="verified",
            raw_mark="✓",
            report_confidence=0.7,
            verdict=Verdict(
                id=f"r{i}", claim=claim, verdict=Label.SUPPORTED, confidence=0.81, reason=reason
            ),
            disagreement=None,
            parse_warnings=w,
        )
        for i, claim, w in [
            (1, "Transfer holds for de", warnings),
            (2, "Accuracy drops on XNLI.", []),
        ]
    ]
    return AuditResult(source="report.md", judge="fallback", rows=rows)


def _claim_rows(md: str) -> dict[str, str]:
    table = md.split("## Claims")[1]
    return {
        line.split("|")[1].strip(): line
        for line in table.splitlines()
        if line[:3] in {"| 1", "| 2"}
    }


def test_markdown_row_shows_its_parse_warning_in_the_reason_column() -> None:
    warnings = split_row_warnings()
    assert "5 cells and its header 4" in warnings[0]
    md = audit_markdown(audit_result(warnings))
    rows = _claim_rows(md)
    cells = [c.strip() for c in rows["1"].strip().strip("|").split(" | ")]
    assert len(cells) == 8  # the warning stays inside the last column
    assert cells[-1].startswith("agrees; the passage states 2.1 points ⚠ the row has 5 cells")
    assert "⚠" not in rows["2"]


def test_a_long_reason_never_hides_the_warning() -> None:
    md = audit_markdown(audit_result(split_row_warnings(), reason="x " * 1000))
    assert "⚠ the row has 5 cells and its header 4" in _claim_rows(md)["1"]


def test_parse_warning_text() -> None:
    result = audit_result(["first", "second"])
    assert parse_warning_text(result.rows[0]) == "⚠ first; second"
    assert parse_warning_text(result.rows[1]) == ""
