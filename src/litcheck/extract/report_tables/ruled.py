"""What box-drawing and grid tables share: blocks of rows between rules, display columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from litcheck.extract.report_tables.base import Table
from litcheck.extract.report_tables.wrapped import join_cells, unwrap


def ruled_blocks(lines: list[str], kind: Callable[[str], str | None]) -> list[list[int]]:
    """Runs of consecutive lines that ``kind`` calls rule or row, with a rule between rows."""
    blocks: list[list[int]] = []
    i = 0
    while i < len(lines):
        if kind(lines[i]) is None:
            i += 1
            continue
        j = i
        while j < len(lines) and kind(lines[j]) is not None:
            j += 1
        block = list(range(i, j))
        kinds = [kind(lines[k]) for k in block]
        first_row = kinds.index("row") if "row" in kinds else -1
        if first_row >= 0 and "rule" in kinds[first_row:] and kinds.count("row") >= 2:
            blocks.append(block)
        i = j
    return blocks


def ruled_table(
    lines: list[str],
    block: list[int],
    kind: Callable[[str], str | None],
    cells_of: Callable[[str], list[str]],
    fmt: str,
) -> Table | None:
    groups: list[list[int]] = []
    current: list[int] = []
    for k in block:
        if kind(lines[k]) == "rule":
            if current:
                groups.append(current)
            current = []
        else:
            current.append(k)
    if current:
        groups.append(current)
    if len(groups) < 2:
        return None
    header_group, body = groups[0], groups[1:]
    table = Table(
        header=join_cells([cells_of(lines[k]) for k in header_group]),
        header_line=header_group[0] + 1,
        format=fmt,
    )
    starts: set[int] = set()
    for group in body:
        starts.add(len(table.rows))
        table.rows.extend((k + 1, cells_of(lines[k])) for k in group)
    return unwrap(table, starts)


def _display_columns(line: str) -> list[str]:
    """The line as terminal columns: a wide character (✅) fills two, a combining one none."""
    cols: list[str] = []
    for ch in line:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") and cols:
            cols[-1] += ch
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            cols += [ch, ""]
        else:
            cols.append(ch)
    return cols


def display_metrics(line: str) -> list[list[str]]:
    """Ways to index the line's columns: as a terminal shows it, then one per character.

    Printers that measure with wcwidth (tabulate, rich, an editor) align by the first; those
    that measure with len() by the second. Callers take the first under which the separators
    fall where the rule puts them.
    """
    shown = _display_columns(line)
    plain = list(line)
    return [shown, plain] if shown != plain else [plain]
