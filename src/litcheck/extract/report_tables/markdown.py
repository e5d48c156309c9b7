"""Markdown pipe tables: a header, a ``|---|---|`` separator, then ``| a | b |`` rows."""

from __future__ import annotations

import re

from litcheck.extract.report_tables.base import Dialect, Source, Table

_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def _md_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in _MD_SPLIT.split(body)]


def _markdown_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and "|" in lines[i + 1] and _MD_SEPARATOR.match(lines[i + 1]):
            table = Table(header=_md_cells(lines[i]), header_line=i + 1, format="markdown")
            j = i + 2
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                if not _MD_SEPARATOR.match(lines[j]):
                    table.rows.append((j + 1, _md_cells(lines[j])))
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
