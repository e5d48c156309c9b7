"""Rows wrapped over several physical lines (box, grid and fixed-width tables), joined."""

from __future__ import annotations

from litcheck.extract.report_tables.base import Table
from litcheck.extract.report_tables.layout import find_layout


def join_cells(parts: list[list[str]]) -> list[str]:
    """One row from the physical lines of a wrapped row: each column's pieces, space-joined."""
    width = max((len(cells) for cells in parts), default=0)
    return [
        " ".join(p for p in (cells[i].strip() if i < len(cells) else "" for cells in parts) if p)
        for i in range(width)
    ]


def unwrap(table: Table, group_starts: set[int] | None = None) -> Table:
    """Join the physical lines of ``table.rows`` that continue a row into that row.

    ``group_starts`` holds the indices of lines right under a rule. With rules between rows
    (two groups or more) a rule always starts a row, and inside a group a line starts another
    only when every key cell (first/id, verdict) is filled; without them a line continues the
    row above when every key cell is empty, as rich and tabulate leave them on wrapped lines.
    """
    starts = group_starts or set()
    kept: list[tuple[bool, int, list[str]]] = []
    after_rule = False
    for i, (n, cells) in enumerate(table.rows):
        # A blank line (rich's vertical padding) may be the one right under the rule.
        after_rule = after_rule or i in starts
        if any(c.strip() for c in cells):
            kept.append((after_rule, n, cells))
            after_rule = False
    table.rows = [(n, cells) for _, n, cells in kept]
    layout = find_layout(table) if kept else None
    if layout is None:
        return table
    keys = {c for c in (layout.id_col, layout.mark) if c is not None}
    if layout.text != 0:
        keys.add(0)
    grouped = len(starts) >= 2
    merged: list[tuple[int, list[list[str]]]] = []
    for under_rule, n, cells in kept:
        filled = [k < len(cells) and bool(cells[k].strip()) for k in keys]
        if not merged or (grouped and under_rule):
            new_row = True
        elif grouped:
            new_row = bool(keys) and all(filled)
        else:
            new_row = not keys or any(filled)
        if new_row:
            merged.append((n, [cells]))
        else:
            merged[-1][1].append(cells)
    table.rows = [(n, join_cells(parts)) for n, parts in merged]
    return table
