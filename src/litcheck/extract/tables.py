"""Claims from results tables: one claim per data row, one quantity per numeric cell.

Table passages hold one row per line with cells separated by ``|`` (header row first, a
caption possibly above). A figure in a table means nothing without its labels, so each numeric
cell is parsed with its column header, the row's label cells and the caption as context
("XLM-R | 88.7" under "de" in "Zero-shot accuracy (%) on XNLI" is 88.7 % accuracy on XNLI for
German), and the claim's ``context`` names the row and the columns.

Merged cells arrive as empty cells (a vertically merged label) or as a row with a single
cell (a group label spanning the table): the first is filled from the row above, the second
becomes part of the label of the rows below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.extract.quantities import parse_quantities
from litcheck.models import Quantity

__all__ = ["TableRow", "table_rows"]

_NUMERIC_CELL = re.compile(
    r"^\s*[(\[]?[+\-−–±]?\s*\d[\d.,]*\s*(?:%|pp|pts?|points?|x|×)?\s*"
    r"(?:(?:±|\+/-)\s*\d[\d.,]*\s*%?)?[)\]]?\s*[*†‡]*\s*$"
)
_LANGUAGE_HEADER = re.compile(r"\blang(?:uage)?s?\b|^target$|^tgt$", re.IGNORECASE)


@dataclass(frozen=True)
class TableRow:
    """A data row of a table passage, with what the extractor needs to make a claim of it."""

    text: str
    start: int
    end: int
    context: str
    quantities: list[Quantity]


def _cells(line: str, outer: bool) -> list[str]:
    """Cells of a row; ``outer`` when rows are written "| a | b |" (Markdown style)."""
    body = line.strip()
    if outer:
        body = body[1:] if body.startswith("|") else body
        body = body[:-1] if body.endswith("|") else body
    return [c.strip() for c in body.split("|")]


def _is_separator(line: str) -> bool:
    return re.fullmatch(r"[\s|:\-=+]*", line) is not None


def table_rows(text: str) -> list[TableRow]:
    """Read the data rows of a table passage.

    Args:
        text: the passage text: optional caption lines, then a header row, then data rows,
            cells separated by ``|``.

    Returns:
        One :class:`TableRow` per data row that has at least one label or figure, with spans
        into ``text``; rows without any figure are kept (they may still be claims).
    """
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        lines.append((pos, pos + len(line), line))
        pos += len(raw)
    table_start = next((i for i, (_, _, ln) in enumerate(lines) if "|" in ln), None)
    if table_start is None:
        return []
    caption = " ".join(ln.strip() for _, _, ln in lines[:table_start] if ln.strip())
    outer = lines[table_start][2].strip().startswith("|")
    header = _cells(lines[table_start][2], outer)
    if all(_NUMERIC_CELL.match(c) or not c for c in header):
        header, body = [""] * len(header), lines[table_start:]
    else:
        body = lines[table_start + 1 :]
    rows: list[TableRow] = []
    group = ""
    previous: list[str] = []
    for start, end, line in body:
        if not line.strip() or _is_separator(line):
            continue
        if "|" not in line:
            caption = f"{caption} {line.strip()}".strip()  # a note below the table
            continue
        cells = _cells(line, outer)
        filled = [c for c in cells if c]
        if len(filled) == 1 and not _NUMERIC_CELL.match(filled[0]):
            group = filled[0]  # a spanning group label ("Zero-shot") for the rows below
            continue
        # A vertically merged label arrives empty: take it from the row above.
        cells = [
            c or (previous[i] if i < len(previous) and not _NUMERIC_CELL.match(previous[i]) else "")
            if not _NUMERIC_CELL.match(c or "0")
            else c
            for i, c in enumerate(cells)
        ]
        previous = cells
        heads = header + [""] * (len(cells) - len(header))
        labels = [(heads[i], c) for i, c in enumerate(cells) if c and not _NUMERIC_CELL.match(c)]
        # Language columns first, so that a cell "es" wins over a group name in another label.
        labels.sort(key=lambda hc: 0 if _LANGUAGE_HEADER.search(hc[0]) else 1)
        label_text = " ".join(c for _, c in labels)
        if group:
            label_text = f"{label_text} {group}".strip()
        quantities: list[Quantity] = []
        for i, cell in enumerate(cells):
            if not cell or not _NUMERIC_CELL.match(cell):
                continue
            context = f"{heads[i]} ; {label_text} ; {caption}"
            for q in parse_quantities(cell, context=context):
                quantities.append(q.model_copy(update={"text": f"{heads[i] or 'value'}: {cell}"}))
        row_text = line.strip()
        columns = ", ".join(h for h in header if h)
        context = f"row: {label_text or '?'}; columns: {columns or '?'}"
        if caption:
            context = f"{caption} | {context}"
        rows.append(TableRow(row_text, start + line.find(row_text), end, context, quantities))
    return rows
