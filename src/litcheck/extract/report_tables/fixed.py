"""Fixed-width tables under a rule of dash groups (tabulate simple, reST simple)."""

from __future__ import annotations

import itertools
import re

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.ruled import display_metrics
from litcheck.extract.report_tables.wrapped import join_cells, unwrap

_SIMPLE_RULE = re.compile(r"^[ \t]*[-=]+(?:[ \t]+[-=]+)+[ \t]*$")
_DASHES = re.compile(r"[-=]+")
_TWO_SPACES = re.compile(r" {2,}")


def _simple_rule(line: str) -> list[tuple[int, int]] | None:
    if "\t" in line or not _SIMPLE_RULE.match(line):
        return None
    spans = [m.span() for m in _DASHES.finditer(line)]
    # "- - -" is a Markdown thematic break, not a rule over columns.
    return spans if max(e - s for s, e in spans) >= 3 else None


def _cut_columns(cols: list[str], spans: list[tuple[int, int]]) -> tuple[list[str], bool]:
    """Cut a line at the rule's column starts; also whether every gap under the rule is blank.

    When text covers a gap it ran over a column boundary: the cut moves to the end of the run of
    two spaces nearest the boundary, if one lies between the previous column and the next one.
    """
    clean = True
    cuts = [0]
    for k in range(1, len(spans)):
        prev_start, prev_end = spans[k - 1]
        start = spans[k][0]
        cut = start
        if "".join(cols[prev_end:start]).strip():
            clean = False
            limit = spans[k + 1][0] if k + 1 < len(spans) else len(cols)
            # One character per column, so that match offsets are column indices.
            text = "".join(" " if c == " " else "x" for c in cols[:limit])
            ends = [
                m.end()
                for m in _TWO_SPACES.finditer(text, prev_start + 1)
                if m.end() < limit and m.end() > cuts[-1]
            ]
            if ends:
                cut = min(ends, key=lambda e: (abs(e - start), -e))
        cuts.append(max(cut, cuts[-1]))
    cuts.append(max(len(cols), cuts[-1]))
    cells = ["".join(cols[a:b]).strip() for a, b in itertools.pairwise(cuts)]
    return cells, clean


def _fixed_cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    first: list[str] | None = None
    for cols in display_metrics(line):
        cells, clean = _cut_columns(cols, spans)
        if clean:
            return cells
        first = first or cells
    # A hand-aligned table whose text overran its column by more than the gap: when runs of
    # two or more spaces cut the line into exactly as many cells as the rule has columns,
    # those runs are the real boundaries.
    parts = [p.strip() for p in _TWO_SPACES.split(line.strip())]
    if len(parts) == len(spans) and all(parts):
        return parts
    return first or []


def _simple_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 1
    while i < len(lines):
        spans = _simple_rule(lines[i])
        if spans is None or not lines[i - 1].strip() or _simple_rule(lines[i - 1]):
            i += 1
            continue
        # reST puts a rule above the header too, and then allows a header of several lines.
        top = i - 1
        while top > 0 and lines[top - 1].strip() and not _simple_rule(lines[top - 1]):
            top -= 1
        rest = top > 0 and _simple_rule(lines[top - 1]) is not None
        header_lines = list(range(top, i)) if rest else [i - 1]
        end = i + 1
        if rest:
            # A reST table ends at its closing rule; blank lines inside it separate rows.
            while end < len(lines) and not _simple_rule(lines[end]):
                end += 1
            if end == len(lines):
                end = i + 1
                while end < len(lines) and lines[end].strip():
                    end += 1
        else:
            while end < len(lines) and lines[end].strip() and not _simple_rule(lines[end]):
                end += 1
        table = Table(
            header=join_cells([_fixed_cells(lines[k], spans) for k in header_lines]),
            header_line=header_lines[0] + 1,
            format="simple",
        )
        table.rows = [
            (k + 1, _fixed_cells(lines[k], spans)) for k in range(i + 1, end) if lines[k].strip()
        ]
        tables.append(unwrap(table))
        i = end + 1
    return tables


def read(source: Source) -> list[Table]:
    """Every simple table of the source (see the module's docstring)."""
    return _simple_tables(source.lines)


DIALECT = Dialect("simple", read)
