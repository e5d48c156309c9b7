"""Markdown pipe tables: a header, a ``|---|---|`` separator, then ``| a | b |`` rows."""

from __future__ import annotations

import itertools
import re

from litcheck.extract.report_tables.base import Dialect, Source, Table

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def _md_pieces(line: str) -> list[str]:
    """The row's cells as written (unstripped), split at every unescaped ``|``."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return _MD_SPLIT.split(body)


def _md_cells(line: str) -> list[str]:
    return [c.strip() for c in _md_pieces(line)]


def _md_row(line: str, width: int) -> tuple[list[str], list[str]]:
    """A body row's cells for a header of ``width`` cells, and what was wrong with it.

    A row with more cells than its header most often holds a pipe inside a cell's text that was
    not escaped: ``a || b`` splits one cell into three. When treating every interior ``||`` as
    text gives exactly the header's count, that is how the row is read; otherwise the row is
    read as split, and the warning says its cells past the header's are not the claim's.
    """
    pieces = _md_pieces(line)
    if len(pieces) == width:
        return [c.strip() for c in pieces], []
    if len(pieces) < width:
        return [c.strip() for c in pieces], [
            f"the row has {len(pieces)} cells and its header {width}: the missing cells are read "
            "as empty"
        ]
    empties = [i for i in range(1, len(pieces) - 1) if pieces[i] == ""]
    separate = all(b - a > 1 for a, b in itertools.pairwise(empties))
    if empties and separate and len(pieces) - 2 * len(empties) == width:
        merged: list[str] = []
        i = 0
        while i < len(pieces):
            cell = pieces[i]
            # "a ||x|| b": consecutive '||' glue one cell together.
            while i + 1 in empties:
                cell += "||" + pieces[i + 2]
                i += 2
            merged.append(cell)
            i += 1
        return [c.strip() for c in merged], [
            "an unescaped '||' inside a cell was read as text (write \\| for a pipe inside a cell)"
        ]
    return [c.strip() for c in pieces], [
        f"the row has {len(pieces)} cells and its header {width}: an unescaped '|' splits a "
        "cell, so the claim may be cut short and cells past the header's are not read "
        "(write \\| for a pipe inside a cell)"
    ]


def _markdown_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and "|" in lines[i + 1] and _MD_SEPARATOR.match(lines[i + 1]):
            table = Table(header=_md_cells(lines[i]), header_line=i + 1, format="markdown")
            j = i + 2
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                if not _MD_SEPARATOR.match(lines[j]):
                    cells, warnings = _md_row(lines[j], len(table.header))
                    if warnings:
                        table.row_warnings[len(table.rows)] = warnings
                    table.rows.append((j + 1, cells))
                j += 1
            tables.append(table)
            i = j
        else:
            i += 1
    return tables


def read(source: Source) -> list[Table]:
    """Every markdown table of the source (see the module's docstring)."""
    return _markdown_tables(source.lines)


DIALECT = Dialect("markdown", read)
