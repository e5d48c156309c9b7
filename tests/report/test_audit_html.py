"""``audit --format html``: a row the table reader could not read faithfully says so."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.verify.test_render import audit_result, split_row_warnings

from litcheck.report.audit_html import write_audit_html


class _ClaimCells(HTMLParser):
    """Text of each cell of the claims table, and the text of its parse-warning block."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.warnings: dict[int, str] = {}
        self._in_claims = False
        self._in_warning = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._in_claims = a.get("id") == "claims"
        elif self._in_claims and tag == "tr" and a.get("data-index"):
            self.rows.append([])
        elif self._in_claims and tag == "td" and self.rows:
            self.rows[-1].append("")
        elif tag == "div" and a.get("class") == "parse-warning":
            self._in_warning = True
            self.warnings[len(self.rows)] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_claims = False
        elif tag == "div":
            self._in_warning = False

    def handle_data(self, data: str) -> None:
        if self._in_claims and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        if self._in_warning:
            self.warnings[len(self.rows)] += data


def test_html_row_shows_its_parse_warning_beside_the_reason() -> None:
    page = write_audit_html(audit_result(split_row_warnings()))
    cells = _ClaimCells()
    cells.feed(page)
    assert len(cells.rows) == 2
    assert cells.rows[0][-1].startswith("agrees; the passage states 2.1 points⚠ the row has 5")
    assert set(cells.warnings) == {1}  # only the first row, in its agreement / reason cell
    assert cells.warnings[1].startswith("⚠ the row has 5 cells and its header 4")
    assert "⚠" not in cells.rows[1][-1]
    assert ".parse-warning{" in page


def test_html_parse_warning_is_escaped() -> None:
    page = write_audit_html(audit_result(["a cell held <script>alert(1)</script>"]))
    # Nowhere unescaped: the table escapes it, the JSON block escapes "</".
    assert "<script>alert(1)</script>" not in page
    assert "⚠ a cell held &lt;script&gt;alert(1)&lt;/script&gt;" in page
