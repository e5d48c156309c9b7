"""AsciiDoc tables: a block between ``|===`` lines (Asciidoctor's table syntax).

Each cell starts at a ``|`` (``\\|`` is a pipe in the text) and runs until the next one, over
line ends, so a row may be written on one line or one cell a line. The number of columns comes
from the ``cols`` attribute (``[cols="1,4,1"]``, ``[cols="3*"]``), else from the cells of the
first line. The first line is the header when ``options="header"`` (or ``%header``) says so, or
when a blank line follows it (AsciiDoc's implicit header), unless ``%noheader`` says otherwise.
Cell specifiers are honoured: ``2+|`` spans two columns, ``.2+|`` two rows (the spanned cells
are read as empty), ``3*|`` repeats a cell; alignment and style letters (``^``, ``.<``, ``a``,
``s``) are dropped. A ``separator`` attribute (``[separator=¦]``) replaces ``|``. Inline markup
is reduced to its text (``*bold*``, ``_emphasis_``, ``+passthrough+``, ``#mark#``), and links
(``https://...[text]``, ``link:...[text]``, ``<<ref,text>>``) keep their text for the cell and
their URL for the row's cites. The title is the table's block title (``.Results``), else the
document title (``= Title``), else the section (``== ...``) above the table. CSV and DSV
tables (``,===``, ``:===``) and nested tables (``!===``) are not read as tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.cells import clean_cell

_DELIMITER = re.compile(r"^\|={3,}\s*$")
_ATTRIBUTES = re.compile(r"^\[(.*)\]\s*$")
_BLOCK_TITLE = re.compile(r"^\.([^.\s].*?)\s*$")
_DOC_TITLE = re.compile(r"^=\s+(.+?)\s*$")
_SECTION = re.compile(r"^={2,6}\s+(.+?)\s*$")
# A cell specifier right before the separator: [factor*][colspan][.rowspan]+ [align] [style].
_SPEC = re.compile(
    r"(?:(?P<factor>\d+)\*)?(?:(?P<col>\d+)?(?:\.(?P<row>\d+))?\+)?"
    r"(?:[<^>])?(?:\.[<^>])?(?P<style>[adehlmsv])?$"
)
_URL_LINK = re.compile(r"(?:link:)?((?:https?|ftp)://[^\s\[\]]+)\[([^\]]*)\]")
_XREF = re.compile(r"<<([^,>]+)(?:,\s*([^>]*))?>>")
_CONSTRAINED = re.compile(r"(?<![\w\\])([_#+])(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MAX_SPAN = 50


@dataclass
class _Cell:
    text: str
    line: int
    colspan: int = 1
    rowspan: int = 1


def _attributes(line: str) -> dict[str, str]:
    """``[cols="1,4", options="header"]`` and ``[%header,cols=3*]`` as a dict."""
    match = _ATTRIBUTES.match(line.strip())
    if match is None:
        return {}
    found: dict[str, str] = {}
    for part in re.findall(r'(?:[^,"]|"[^"]*")+', match.group(1)):
        part = part.strip()
        if "=" in part:
            key, value = part.split("=", 1)
            found[key.strip().lower()] = value.strip().strip('"').strip("'")
        elif part.startswith("%"):
            for option in part[1:].split("%"):
                found.setdefault("options", "")
                found["options"] += f",{option}"
    return found


def _column_count(cols: str) -> int | None:
    """Columns named by a ``cols`` value: ``3``, ``1,4,1``, ``2*``, ``1,3*2``, ``"<,^,>"``."""
    cols = cols.strip()
    if not cols:
        return None
    if re.fullmatch(r"\d{1,3}", cols):
        return int(cols) or None
    total = 0
    for spec in re.split(r"[,;]", cols):
        factor = re.match(r"\s*(\d{1,3})\*", spec)
        total += int(factor.group(1)) if factor else 1
    return total if 0 < total <= _MAX_SPAN * 4 else None


def adoc_plain(text: str) -> str:
    """Text of an AsciiDoc cell: links as Markdown links, inline markup reduced to text."""
    text = _URL_LINK.sub(
        lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else f"<{m.group(1)}>", text
    )
    text = _XREF.sub(lambda m: m.group(2) or m.group(1), text)
    for _ in range(3):
        new = _CONSTRAINED.sub(r"\2", text)
        if new == text:
            break
        text = new
    return text


def _cells(content: list[tuple[int, str]], separator: str) -> list[_Cell]:
    """The cells of a table's content lines, in order, with specifiers applied."""
    split = re.compile(rf"(?<!\\){re.escape(separator)}")
    cells: list[_Cell] = []
    current: _Cell | None = None
    factor = 1
    for number, line in content:
        pieces = split.split(line)
        # What stands before a separator is the end of the cell before, then its specifier.
        for k, piece in enumerate(pieces):
            if k == len(pieces) - 1:
                if current is not None and piece.strip():
                    current.text += " " + piece.strip()
                continue
            spec_text = re.search(r"(?:^|\s)(\S*)$", piece)
            spec_raw = spec_text.group(1) if spec_text else ""
            spec = _SPEC.match(spec_raw) if spec_raw else None
            before = piece[: len(piece) - len(spec_raw)] if spec is not None else piece
            if current is not None and before.strip():
                current.text += " " + before.strip()
            elif current is None and before.strip():
                continue  # text before the first separator: not a cell (Asciidoctor warns)
            if current is not None:
                cells.extend(_copies(current, factor))
            colspan = min(int(spec.group("col") or 1), _MAX_SPAN) if spec is not None else 1
            rowspan = min(int(spec.group("row") or 1), _MAX_SPAN) if spec is not None else 1
            factor = min(int(spec.group("factor") or 1), _MAX_SPAN) if spec is not None else 1
            current = _Cell("", number, max(colspan, 1), max(rowspan, 1))
    if current is not None:
        cells.extend(_copies(current, factor))
    return cells


def _copies(cell: _Cell, factor: int) -> list[_Cell]:
    """``3*|x``: the cell repeated in as many columns."""
    return [_Cell(cell.text, cell.line, cell.colspan, cell.rowspan) for _ in range(factor)]


def _rows(cells: list[_Cell], width: int) -> list[tuple[int, list[str]]]:
    """Cells laid out ``width`` columns a row; spanned columns and rows filled with ''."""
    rows: list[tuple[int, list[str]]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    row: list[str] = []
    line = 0

    def skip_covered() -> None:
        while len(row) < width and pending.get(len(row), 0) > 0:
            pending[len(row)] -= 1
            row.append("")

    for cell in cells:
        skip_covered()
        if not row:
            line = cell.line
        start = len(row)
        row.append(cell.text.strip())
        row.extend([""] * min(cell.colspan - 1, width - start - 1))
        if cell.rowspan > 1:
            for col in range(start, min(start + cell.colspan, width)):
                pending[col] = cell.rowspan - 1
        skip_covered()
        if len(row) >= width:
            rows.append((line, row[:width]))
            row = []
    if row:
        rows.append((line, row + [""] * (width - len(row))))
    return rows


def _title(lines: list[str], start: int) -> str:
    k = start - 1
    while k >= 0 and (_ATTRIBUTES.match(lines[k].strip()) or _BLOCK_TITLE.match(lines[k])):
        if match := _BLOCK_TITLE.match(lines[k]):
            return clean_cell(adoc_plain(match.group(1)))
        k -= 1
    for line in lines:
        if match := _DOC_TITLE.match(line):
            return clean_cell(adoc_plain(match.group(1)))
    for line in reversed(lines[:start]):
        if match := _SECTION.match(line):
            return clean_cell(adoc_plain(match.group(1)))
    return ""  # the lines above are attributes and text, not a title


def _block_attributes(lines: list[str], start: int) -> dict[str, str]:
    k = start - 1
    found: dict[str, str] = {}
    while k >= 0 and (_ATTRIBUTES.match(lines[k].strip()) or _BLOCK_TITLE.match(lines[k])):
        found = {**_attributes(lines[k]), **found}
        k -= 1
    return found


def _asciidoc_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not _DELIMITER.match(lines[i]):
            i += 1
            continue
        end = next((k for k in range(i + 1, len(lines)) if _DELIMITER.match(lines[k])), None)
        if end is None:
            break  # an unclosed table: not read
        start = i
        attrs = _block_attributes(lines, start)
        separator = attrs.get("separator", "|")[:1] or "|"
        content = [(k + 1, lines[k]) for k in range(i + 1, end)]
        options = {o.strip().lower() for o in attrs.get("options", "").split(",")}
        first = next(((n, line) for n, line in content if line.strip()), None)
        i = end + 1
        if first is None:
            continue
        width = _column_count(attrs.get("cols", "")) or sum(
            max(c.colspan, 1) for c in _cells([first], separator)
        )
        if width < 1:
            continue
        cells = _cells(content, separator)
        for cell in cells:
            cell.text = adoc_plain(cell.text)
        rows = _rows(cells, width)
        if not rows:
            continue
        # Implicit header: the first line holds exactly one row and a blank line follows it.
        first_line, first_cells = first[0], _cells([first], separator)
        blank_after = first_line < len(lines) and not lines[first_line].strip()
        whole_row = sum(c.colspan for c in first_cells) == width
        header = "header" in options or ("noheader" not in options and blank_after and whole_row)
        if not header:
            continue  # no header row: no column names to find the claim by
        (header_line, header_cells), *body = rows
        tables.append(
            Table(
                header=[clean_cell(c) for c in header_cells],
                header_line=header_line,
                rows=body,
                format="asciidoc",
                title=_title(lines, start),
            )
        )
    return tables


def read(source: Source) -> list[Table]:
    """Every AsciiDoc table of the source (see the module's docstring)."""
    return _asciidoc_tables(source.lines)


DIALECT = Dialect("asciidoc", read)
