"""reStructuredText ``list-table`` and ``csv-table`` directives (Sphinx and docutils reports).

A ``list-table`` is a bullet list of rows, each a list of cells::

    .. list-table:: Claims checked
       :header-rows: 1

       * - Claim
         - Verdict
       * - XLM-R outperforms mBERT on XNLI.
         - Supported

A cell runs over every line indented past its dash (paragraphs joined with spaces). A
``csv-table`` holds CSV lines under the directive, its header in the ``:header:`` option or in
its first ``:header-rows:`` (one when the option is missing). Several header rows are joined
cell by cell. Inline markup is reduced to text: ``text <url>`_`` keeps its URL for the row's
cites, roles (``:cite:`conneau2019```) keep their text. Tables loaded from a ``:file:`` or
``:url:`` are not read.
"""

from __future__ import annotations

import csv
import io
import re

from litcheck.extract.report_tables.base import Dialect, Source, Table

_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.\s+(?P<kind>list|csv)-table::\s*(?P<title>.*)$")
_OPTION = re.compile(r"^\s+:(?P<name>[\w-]+):\s*(?P<value>.*)$")
# "`text <https://...>`_" as Markdown's link, so the cell keeps the words and the row the URL.
_LINK = re.compile(r"`([^`<]+?)\s*<([^>`]+)>`__?")
_ROLE = re.compile(r":[\w-]+:`([^`]*)`")


def _inline(text: str) -> str:
    """A cell's reST inline markup as the Markdown the row reader cleans."""
    text = _LINK.sub(r"[\1](\2)", text)
    return _ROLE.sub(r"\1", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block(lines: list[str], start: int, indent: int) -> tuple[dict[str, str], int, int]:
    """The directive's options and the span of its body: (options, first, end) line indexes."""
    options: dict[str, str] = {}
    i = start
    while i < len(lines):
        option = _OPTION.match(lines[i])
        if option is None or _indent(lines[i]) <= indent:
            break
        options[option.group("name").lower()] = option.group("value").strip()
        i += 1
    first = i
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
        i += 1
    return options, first, i


def _list_rows(lines: list[str], first: int, end: int) -> list[tuple[int, list[str]]]:
    """The rows of a list-table body, each with the line (from 1) its ``*`` is on."""
    rows: list[tuple[int, list[str]]] = []
    cells: list[list[str]] = []
    cell_indent = -1
    for i in range(first, end):
        line = lines[i]
        stripped = line.strip()
        row = re.match(r"^(\s*)\*\s+-(?:\s+|$)", line)
        cell = re.match(r"^(\s*)-(?:\s+|$)", line)
        if row:
            cells = [[line[row.end() :].strip()]]
            rows.append((i + 1, []))
            # Later cells of the row start with a dash under this one.
            cell_indent = line.index("-", len(row.group(1)))
        elif cell and rows and _indent(line) == cell_indent:
            cells.append([line[cell.end() :].strip()])
        elif rows and cells and stripped and _indent(line) > cell_indent:
            cells[-1].append(stripped)
        else:
            continue  # a blank line, or text outside any row
        rows[-1] = (rows[-1][0], [_inline(" ".join(p for p in c if p)) for c in cells])
    return rows


def _csv_rows(
    lines: list[str], first: int, end: int, delimiter: str
) -> list[tuple[int, list[str]]]:
    """The rows of a csv-table body, each with the line (from 1) it starts on."""
    body = [line.strip() for line in lines[first:end]]
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=delimiter, skipinitialspace=True)
    rows: list[tuple[int, list[str]]] = []
    starts = 0
    try:
        for record in reader:
            if any(c.strip() for c in record):
                rows.append((first + starts + 1, [_inline(c.strip()) for c in record]))
            starts = reader.line_num
    except csv.Error:
        return []
    return rows


def _header_rows(options: dict[str, str]) -> int:
    value = options.get("header-rows", "")
    return min(int(value), 5) if value.isdigit() else 0


def read(source: Source) -> list[Table]:
    """Every reST list-table and csv-table of the source (see the module's docstring)."""
    lines = source.lines
    tables: list[Table] = []
    for number, line in enumerate(lines):
        found = _DIRECTIVE.match(line)
        if found is None:
            continue
        options, first, end = _block(lines, number + 1, _indent(line))
        if "file" in options or "url" in options:
            continue
        if found.group("kind") == "list":
            rows = _list_rows(lines, first, end)
        else:
            delimiter = options.get("delim", ",")
            delimiter = "\t" if delimiter == "tab" else (delimiter[:1] or ",")
            rows = _csv_rows(lines, first, end, delimiter)
        header_count = _header_rows(options)
        header: list[str] = []
        header_line = number + 1
        if found.group("kind") == "csv" and options.get("header"):
            header = [
                _inline(c.strip())
                for c in next(csv.reader([options["header"]], skipinitialspace=True), [])
            ]
        else:
            heads, rows = rows[: max(header_count, 1)], rows[max(header_count, 1) :]
            if heads:
                width = max(len(cells) for _, cells in heads)
                header = [
                    " ".join(c[k] for _, c in heads if k < len(c) and c[k]) for k in range(width)
                ]
                header_line = heads[0][0]
        if header and rows:
            # The directive's argument captions the table; the report's title is above it.
            tables.append(Table(header, header_line, rows, format="rst"))
    return tables


DIALECT = Dialect("rst", read)
