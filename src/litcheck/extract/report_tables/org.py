"""Org-mode tables: ``| a | b |`` rows under a ``|---+---|`` rule (Emacs org, tabulate orgtbl).

Rows above the first rule are the header (several header lines are joined per column); below
it every line is one row (org has no wrapped cells) and further rules only separate groups.
Rows org uses for its own purposes are skipped: column widths and alignment (``| <l> | <30> |``),
column groups (first cell ``/``) and spreadsheet names and parameters (first cell ``!``, ``^``,
``_`` or ``$``). A ``|`` inside a cell is written ``\\vert`` in org; links ``[[url][text]]`` keep
their URL for the row's cites and their text for the cell, and ``*bold*``, ``/italic/``,
``=verbatim=``, ``~code~`` and ``_underline_`` are reduced to their text. The title is the
file's ``#+TITLE:``, else the table's ``#+CAPTION:``, else the heading (``* Results``) above it.
"""

from __future__ import annotations

import re

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.cells import clean_cell
from litcheck.extract.report_tables.wrapped import join_cells

_ORG_LINE = re.compile(r"^\s*\|")
# An org hline: "|---+---|" or, for one column, "|-----|"; Markdown's "|---|---|" is not one.
_ORG_RULE = re.compile(r"^\s*\|-[-+]*\|?\s*$")
_GRID_BORDER = re.compile(r"^\s*\+[-=+:]+\+?\s*$")
_MD_LIKE_RULE = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")
_COOKIE = re.compile(r"^<[lcr]?\d*>$")
_SPECIAL_FIRST = frozenset("/!^_$")
_LINK = re.compile(r"\[\[([^\]\n]+)\](?:\[([^\]\n]*)\])?\]")
# Org emphasis: a marker after whitespace or an opening bracket, text not starting or ending
# with a space, the same marker before whitespace or punctuation.
_EMPHASIS = re.compile(r"(?<![^\s\-('\"{])([*/=~_])(?=\S)(.+?)(?<=\S)\1(?![^\s\-.,;:!?')}\"])")
_TITLE = re.compile(r"^\s*#\+title:\s*(.+?)\s*$", re.IGNORECASE)
_CAPTION = re.compile(r"^\s*#\+caption:\s*(.+?)\s*$", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*#\+\w+")
_HEADING = re.compile(r"^\*+\s+(?:(?:TODO|DONE)\s+)?(.+?)(?:\s+:[\w@#%:]+:)?\s*$")


def _link(match: re.Match[str]) -> str:
    target, text = match.group(1).strip(), (match.group(2) or "").strip()
    if re.match(r"https?://", target):
        # Markdown's form: clean_cell keeps the words, the row's cites still see the URL.
        return f"[{text}]({target})" if text else f"<{target}>"
    return text or target


def org_plain(cell: str) -> str:
    """Text of an org cell: links, emphasis and ``\\vert`` reduced to plain text."""
    text = _LINK.sub(_link, cell)
    for _ in range(3):  # nested emphasis (*/x/*)
        new = _EMPHASIS.sub(r"\2", text)
        if new == text:
            break
        text = new
    # Escaped so that clean_cell, which unescapes "\|", leaves a pipe.
    return re.sub(r"\\vert(?:\{\})?", r"\\|", text)


def _cells(line: str) -> list[str]:
    body = line.strip()[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [org_plain(c.strip()) for c in body.split("|")]


def _skipped(cells: list[str]) -> bool:
    """A row org keeps for itself: widths and alignment, column groups, names, parameters."""
    filled = [c for c in cells if c]
    if filled and all(_COOKIE.match(c) for c in filled):
        return True
    return bool(cells) and cells[0] in _SPECIAL_FIRST


def _title(lines: list[str], top: int) -> str | None:
    for line in lines:
        if match := _TITLE.match(line):
            return clean_cell(org_plain(match.group(1)))
    k = top - 1
    while k >= 0 and _DIRECTIVE.match(lines[k]):
        if match := _CAPTION.match(lines[k]):
            return clean_cell(org_plain(match.group(1)))
        k -= 1
    for line in lines[:top]:
        if match := _HEADING.match(line):
            return clean_cell(org_plain(match.group(1)))
    # An org file's directives ("#+AUTHOR: ...") are no title; elsewhere the generic one.
    return "" if any(_DIRECTIVE.match(line) for line in lines) else None


def _org_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not _ORG_LINE.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and _ORG_LINE.match(lines[j]):
            j += 1
        block = list(range(i, j))
        i = j
        rules = {k for k in block if _ORG_RULE.match(lines[k])}
        rows = [k for k in block if k not in rules]
        if not rows or any(_MD_LIKE_RULE.match(lines[k]) for k in rows):
            continue
        # Under a "+-----+" border it is a grid table (rich's box.ASCII), not org.
        edges = [lines[k] for k in (block[0] - 1, block[-1] + 1) if 0 <= k < len(lines)]
        if any(_GRID_BORDER.match(edge) for edge in edges):
            continue
        # The header is every row above the first rule under a row (a top border is no rule).
        under = min((r for r in rules if r > rows[0]), default=None)
        if under is None:
            continue
        header_lines = [k for k in rows if k < under]
        body = [k for k in rows if k > under]
        cells = {k: _cells(lines[k]) for k in header_lines + body}
        kept_header = [k for k in header_lines if not _skipped(cells[k])]
        if not kept_header:
            continue
        table = Table(
            header=join_cells([cells[k] for k in kept_header]),
            header_line=kept_header[0] + 1,
            format="org",
            title=_title(lines, block[0]),
        )
        table.rows = [(k + 1, cells[k]) for k in body if not _skipped(cells[k]) and any(cells[k])]
        tables.append(table)
    return tables


def is_org_rule(line: str) -> bool:
    """Whether ``line`` is an org hline (``|---+---|``): the grid reader leaves those to org."""
    return bool(_ORG_RULE.match(line))


def read(source: Source) -> list[Table]:
    """Every org-mode table of the source (see the module's docstring)."""
    return _org_tables(source.lines)


DIALECT = Dialect("org", read)
