"""Box-drawing tables (rich, tabulate fancy_grid / rounded_grid / heavy_grid ...)."""

from __future__ import annotations

import functools
import re
from typing import Literal

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.ruled import ruled_blocks, ruled_table

_BOX_CHARS = frozenset(chr(c) for c in range(0x2500, 0x2580))
_BOX_VERTICAL = "│┃║╎╏┆┇┊┋"
_BOX_SPLIT = re.compile(f"[{_BOX_VERTICAL}]")


def _box_kind(line: str) -> Literal["rule", "row"] | None:
    stripped = line.strip()
    if not stripped:
        return None
    drawn = [ch for ch in stripped if not ch.isspace()]
    if all(ch in _BOX_CHARS for ch in drawn):
        return "rule" if any(ch not in _BOX_VERTICAL for ch in drawn) else "row"
    # A row holds text between verticals and no other box character: a directory tree
    # ("│   ├── CLAIMS.md") is not a table row.
    if any(ch in _BOX_VERTICAL for ch in drawn) and not any(
        ch in _BOX_CHARS and ch not in _BOX_VERTICAL for ch in drawn
    ):
        return "row"
    return None


def _box_cells(line: str, left: bool, right: bool) -> list[str]:
    # Split on the characters, not on their positions: a wide character (✅) shifts the
    # positions of the separators after it by one.
    body = line.strip()
    if left and body[:1] in _BOX_VERTICAL:
        body = body[1:]
    if right and body and body[-1] in _BOX_VERTICAL:
        body = body[:-1]
    return [c.strip() for c in _BOX_SPLIT.split(body)]


def _box_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    for block in ruled_blocks(lines, _box_kind):
        rows = [lines[k].strip() for k in block if _box_kind(lines[k]) == "row"]
        left = all(r[:1] in _BOX_VERTICAL for r in rows)
        right = all(r[-1:] in _BOX_VERTICAL for r in rows)
        cells_of = functools.partial(_box_cells, left=left, right=right)
        table = ruled_table(lines, block, _box_kind, cells_of, "box")
        if table is not None:
            tables.append(table)
    return tables


def read(source: Source) -> list[Table]:
    """Every box table of the source (see the module's docstring)."""
    return _box_tables(source.lines)


DIALECT = Dialect("box", read)
