"""HTML ``<table>`` elements (``colspan`` and ``rowspan`` honoured), with the page's title.

A cell spanning several rows (one paper cell beside its claims, one verdict for two claims) is
read into each row it spans, as the table shows it, so every claim keeps its source and verdict.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.cells import SPACES


@dataclass
class _HTMLTable:
    start_line: int
    title: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    row: list[str] | None = None
    row_line: int = 0
    cell: list[str] | None = None
    span: int = 1
    rowspan: int = 1
    links: list[str] = field(default_factory=list)
    # Cells of rows above that span down into the next rows: column -> (text, rows left).
    carried: dict[int, tuple[str, int]] = field(default_factory=dict)


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    """A ``colspan`` / ``rowspan`` attribute, 1 when absent or not a number (at most 50)."""
    span = next((v for k, v in attrs if k == name), None) or "1"
    return min(max(int(span), 1), 50) if re.fullmatch(r"\s*\d{1,4}\s*", span) else 1


class _HTMLTableReader(HTMLParser):
    """Collects every ``<table>``'s rows as cell texts (tags dropped, entities decoded)."""

    _HEADINGS = ("title", "h1", "h2", "h3", "h4", "h5", "h6")
    _BREAKS = ("br", "p", "div", "li", "ul", "ol", "hr")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_HTMLTable] = []
        self.title = ""
        self._open: list[_HTMLTable] = []
        self._heading: list[str] | None = None
        self._skip = 0

    @staticmethod
    def _fill_carried(table: _HTMLTable, to_end: bool = False) -> None:
        """Put the cells that span down from rows above into the row, up to the next free
        column (to the row's end with ``to_end``)."""
        if table.row is None:
            return
        while table.carried:
            column = len(table.row)
            if column not in table.carried:
                if not to_end or column > max(table.carried):
                    return
                table.row.append("")
                continue
            text, left = table.carried.pop(column)
            table.row.append(text)
            if left > 1:
                table.carried[column] = (text, left - 1)

    def _end_cell(self, table: _HTMLTable) -> None:
        if table.cell is not None and table.row is not None:
            # Escaped again so that clean_cell's unescaping leaves "&lt;b&gt;" as "<b>" text.
            text = html.escape("".join(table.cell), quote=False)
            first = len(table.row)
            if table.rowspan > 1:
                for column in range(first, first + table.span):
                    table.carried[column] = (text if column == first else "", table.rowspan - 1)
            table.row += [text] + [""] * (table.span - 1)
        table.cell = None
        table.links.clear()

    def _end_row(self, table: _HTMLTable) -> None:
        self._end_cell(table)
        if table.row is not None and table.carried:
            # Only a row that was opened takes the carried cells; those left run out with it.
            self._fill_carried(table, to_end=True)
        if table.row:
            table.rows.append((table.row_line, table.row))
        table.row = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
            return
        if tag == "table":
            self._open.append(_HTMLTable(self.getpos()[0], self.title))
            return
        if not self._open:
            if tag in self._HEADINGS and not self.title:
                self._heading = []
            return
        table = self._open[-1]
        if tag == "tr":
            self._end_row(table)
            table.row, table.row_line = [], self.getpos()[0]
        elif tag in ("td", "th"):
            self._end_cell(table)
            if table.row is None:
                table.row, table.row_line = [], self.getpos()[0]
            table.span = _span(attrs, "colspan")
            table.rowspan = _span(attrs, "rowspan")
            self._fill_carried(table)
            table.cell = []
        elif table.cell is None:
            return
        elif tag in self._BREAKS:
            table.cell.append(" ")
        elif tag == "a":
            # Markdown's link form keeps the URL for the row's cites while the cell's text
            # shows only the words (clean_cell drops the URL).
            href = next((v for k, v in attrs if k == "href"), None) or ""
            table.links.append(href if re.match(r"https?://[^\s()\[\]]+$", href) else "")
            if table.links[-1]:
                table.cell.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(self._skip - 1, 0)
        elif tag in self._HEADINGS and self._heading is not None:
            self.title = SPACES.sub(" ", "".join(self._heading)).strip()
            self._heading = None
        elif not self._open:
            return
        elif tag == "table":
            table = self._open.pop()
            self._end_row(table)
            self.tables.append(table)
        elif tag == "tr":
            self._end_row(self._open[-1])
        elif tag in ("td", "th"):
            self._end_cell(self._open[-1])
        elif tag == "a" and self._open[-1].links:
            href = self._open[-1].links.pop()
            if href and self._open[-1].cell is not None:
                self._open[-1].cell.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._open and self._open[-1].cell is not None:
            self._open[-1].cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)

    def close(self) -> None:
        super().close()
        # A truncated file: keep the tables' complete rows, drop the row it stopped in.
        while self._open:
            table = self._open.pop()
            table.row = None
            self.tables.append(table)


def _html_tables(lines: list[str]) -> list[Table]:
    text = "\n".join(lines)
    if "<table" not in text.lower():
        return []
    reader = _HTMLTableReader()
    try:
        reader.feed(text)
        reader.close()
    except (ValueError, AssertionError, IndexError):
        # html.parser is lenient, but older versions raise on some broken markup.
        return []
    tables: list[Table] = []
    for found in sorted(reader.tables, key=lambda t: t.start_line):
        if len(found.rows) < 2:
            continue
        (line, header), *rows = found.rows
        tables.append(Table(header, line, rows, format="html", title=found.title or None))
    return tables


def read(source: Source) -> list[Table]:
    """Every html table of the source (see the module's docstring)."""
    return _html_tables(source.lines)


DIALECT = Dialect("html", read)
