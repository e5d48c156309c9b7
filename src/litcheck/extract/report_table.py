"""Read the claims table of a report written by someone else (``litcheck audit``'s input).

Reports that check claims one by one print them as a table, in many dialects: Markdown pipe
tables with differing columns (``Claim | Verified | Confidence``, ``# | Claim | Status | Key
evidence``, verdicts in the column headers, a verdict and a confidence in one cell), a
tab-separated block in a plain-text report, a CSV file, a box-drawing table as printed by rich
or tabulate (``┏━━┳━━┓``, ``╒══╤══╕``), a reStructuredText / tabulate grid table (``+----+``,
also psql and org-mode tables), a fixed-width table under a rule of dash groups (tabulate
``simple``, reST simple tables), an HTML ``<table>``, a LaTeX ``tabular`` / ``tabularx`` /
``longtable``, or JSON (an array of objects, an object holding one, or JSON Lines).
:func:`parse_report` finds the table that holds claims (by its header: claim / statement /
finding), reads each row into a :class:`ReportClaim` with a normalised verdict mark and
confidence, and collects the arXiv ids the whole file mentions so that the claims can be
re-verified against those papers.

Rows wrapped over several lines (box, grid and fixed-width tables) are joined into one claim,
each cell's pieces with single spaces: under a rule between every row each block between rules
is one row; without one, a line whose first (or id) cell and verdict cell are both empty
continues the row above, as rich and tabulate print wrapped cells.

Limits of the readers, each chosen so that a table it cannot read is skipped rather than misread:

- Wrapped cells: a word the printer folded in the middle (``cross-lingu`` / ``al``) keeps a
  space. Without rules between rows, a row that really has neither an id nor a verdict is read
  as part of the one above, and a table whose first column is the claim and that has neither
  an id nor a verdict column is read one line per row. Within a block between rules, a line
  with both its id and its verdict filled starts another row (rich's sections).
- Box and grid tables: cells spanning several columns or rows (reST) are not read faithfully;
  tables without vertical separators (rich ``box.SIMPLE``, one unbroken rule) are not read.
- Fixed-width tables need a rule of dash (or ``=``) groups with at least one group of three;
  tables without one (tabulate ``plain``, pandas ``to_string``) are not read, because claims
  hold spaces and columns cannot be told apart reliably. Text may run past the last column;
  text that runs over an inner column boundary is re-split at the run of two spaces nearest
  the boundary, and cut at the rule's boundaries when there is none; over a gap of one space,
  overflowing text that happens to have a space in the gap goes unnoticed. Only a reST table
  (a rule above the header too) may have a header of several lines.
- HTML: ``colspan`` is honoured, ``rowspan`` is not; at the end of a truncated file the row
  being read is dropped, complete rows are kept.
- LaTeX: a table without its ``\\end{...}`` or with unbalanced braces is skipped; common
  macros are reduced to their text, unknown ones without argument to their name (``\\ours``
  -> ``ours``), Greek letters to the letter.
- JSON: the list of objects is the top-level array, or the first list of objects under a
  top-level key (``claims``, ``rows``, ``results``, ... preferred), not one nested deeper; a
  single object is one row when a claim-named key holds a string. Without a claim-named key,
  ``text`` / ``sentence`` / ``content`` / ``description`` / ``summary`` names the claim (in
  JSON only). Line numbers are those of each object's first character, counting ``\\n``; a
  JSON Lines file in which any non-blank line is not an object is not read as JSON.
"""

from __future__ import annotations

import bisect
import csv
import functools
import html
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from litcheck.errors import BadInputError, LitcheckError
from litcheck.models import Quantity

Mark = Literal["verified", "refuted", "partial", "blocked", "unknown"]

__all__ = ["Mark", "ParsedReport", "ReportClaim", "find_arxiv_ids", "parse_mark", "parse_report"]


class ReportClaim(BaseModel):
    """One row of a report's claims table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int = Field(ge=1, description="Position of the row in the claims table, from 1.")
    text: str = Field(description="The claim, cleaned of Markdown, HTML entities and numbering.")
    mark: Mark | None = Field(
        default=None, description="The report's verdict, normalised; None when it gives none."
    )
    raw_mark: str | None = Field(default=None, description="The verdict as the report wrote it.")
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Numeric confidence in [0, 1] (99% -> 0.99)."
    )
    confidence_label: str | None = Field(
        default=None, description="A worded confidence as written: HIGH, MEDIUM, LOW, ..."
    )
    cites: list[str] = Field(default_factory=list, description="arXiv ids named in the row.")
    extra: dict[str, str] = Field(
        default_factory=dict, description="The row's other cells, keyed by column header."
    )
    line: int = Field(ge=1, description="Line number of the row in the file, from 1.")
    quantities: list[Quantity] = Field(
        default_factory=list, description="Figures the claim states (see extract.quantities)."
    )


class ParsedReport(BaseModel):
    """A report's claims table and the arXiv ids the report mentions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = Field(default=None, description="The report's title (first heading).")
    rows: list[ReportClaim] = Field(default_factory=list)
    references: list[str] = Field(
        default_factory=list,
        description="arXiv ids found anywhere in the file, in order, versions kept when given.",
    )
    format: str = Field(
        description="Dialect of the claims table: markdown, tsv, csv, box (box-drawing), grid "
        "(reST / tabulate grid, psql, org-mode), simple (fixed-width under a dashed rule), html, "
        "latex or json (JSON and JSON Lines)."
    )
    source: str = Field(default="<report>", description="Where the report was read from.")


# -- arXiv ids ----------------------------------------------------------------------------

_ID_URL = re.compile(
    r"(?:https?://)?(?:www\.|export\.|ar5iv\.labs\.|ar5iv\.)?arxiv\.org/"
    r"(?:abs|pdf|html|format|ps)/[A-Za-z0-9.\-/]+",
    re.IGNORECASE,
)
_ID_PREFIXED = re.compile(
    r"arxiv\s*:\s*`?((?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z-]+)?/\d{7})(?:v\d+)?)",
    re.IGNORECASE,
)
# A bare new-style id: not part of a longer number (2104.086451) or a decimal (1.2104.08645).
_ID_BARE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5}(?:v\d+)?)(?![\d])")


def _normalise_id(raw: str) -> tuple[str, int | None] | None:
    try:
        from litcheck.retrieve.ids import parse_arxiv_id
    except ImportError:  # pragma: no cover - the retrieve stage ships with the package
        return None
    candidate = raw.rstrip(".,;:)>]}'\"`")
    try:
        parsed = parse_arxiv_id(candidate)
    except LitcheckError:
        return None
    return parsed.base, parsed.version


def find_arxiv_ids(text: str) -> list[str]:
    """Every arXiv id mentioned in ``text``, in order of first mention, without duplicates.

    Reads abs/pdf/html/ar5iv URLs, ``arXiv:`` ids and bare new-style ids (``2104.08645v2``,
    also inside file names such as ``gpqa_2311.12022v1.pdf``). An id seen both with and without
    version keeps the version.

    Args:
        text: any text.

    Returns:
        Ids such as ``['2104.08645v2', '2505.15090']``.

    Example:
        >>> find_arxiv_ids("see <http://arxiv.org/abs/2104.08645v2> and arXiv:2505.15090")
        ['2104.08645v2', '2505.15090']
    """
    found: list[tuple[int, str, int | None]] = []
    taken: list[tuple[int, int]] = []
    for pattern, group in ((_ID_URL, 0), (_ID_PREFIXED, 1), (_ID_BARE, 1)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start < e for s, e in taken):
                continue
            parsed = _normalise_id(match.group(group))
            if parsed is None:
                continue
            taken.append((start, end))
            found.append((start, parsed[0], parsed[1]))
    found.sort()
    order: dict[str, int | None] = {}
    for _, base, version in found:
        if base not in order or (order[base] is None and version is not None):
            order[base] = version
    return [f"{base}v{v}" if v is not None else base for base, v in order.items()]


# -- cells ---------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_NUMBERING = re.compile(r"^\s*(?:#?\d{1,3})\s*(?:·|\.|\)|:|–|—|-)\s+(?=\S)")
_SPACES = re.compile(r"\s+")


def clean_cell(cell: str) -> str:
    """Plain text of a table cell: no Markdown emphasis, links, code ticks, tags or entities."""
    text = cell.replace("\\|", "|")
    text = _LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _CODE.sub(r"\1", text)
    # Emphasis can nest (***x***): strip until stable, a few rounds at most.
    for _ in range(3):
        new = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
        if new == text:
            break
        text = new
    text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def _claim_text(cell: str) -> str:
    return _NUMBERING.sub("", clean_cell(cell)).strip()


# -- marks and confidences -----------------------------------------------------------------

# Order matters only for overlapping phrases: longer, negated forms come first.
_MARK_PATTERNS: list[tuple[re.Pattern[str], Mark]] = [
    (
        re.compile(r"not\s+cpu[- ]falsifiable|not\s+falsifiable|untestable|not\s+testable", re.I),
        "blocked",
    ),
    (
        re.compile(r"\bnot\s+(?:verified|supported|proven)\b|\bunverified\b|\bunsupported\b", re.I),
        "unknown",
    ),
    (re.compile(r"\bpartial(?:ly)?\b|⚠️?|\bmixed\b", re.I), "partial"),
    (re.compile(r"\bblocked\b|\bcannot be (?:tested|checked)\b", re.I), "blocked"),
    (
        re.compile(
            r"\bfalsified\b|\brefuted\b|\bcontradicted\b|\bdisproven\b|\bfalse\b|\bfailed\b|\bfail\b"
            r"|\bnot\s+(?:correct|accurate|valid|true)\b|\bdoes\s+not\s+hold\b|\bincorrect\b"
            r"|\binaccurate\b|\bwrong\b|\binvalid\b|\berroneous\b|\bdisputed\b|[×✗✘❌✕]",
            re.I,
        ),
        "refuted",
    ),
    (
        re.compile(
            r"\bverified\b|\bsupported\b|\bproven\b|\bproved\b|\bconfirmed\b|\btrue\b|\bholds\b"
            r"|\bpass(?:ed)?\b|\bcorrect\b|\baccurate\b|\bvalid\b|[✓✔✅☑]",
            re.I,
        ),
        "verified",
    ),
]
_BARE_ANSWERS: dict[str, Mark] = {
    "yes": "verified",
    "y": "verified",
    "no": "refuted",
    "n": "refuted",
}
_LABEL = re.compile(
    r"\b((?:very\s+)?(?:high|medium|moderate|low))\b(?:\s+confidence)?", re.IGNORECASE
)
_PERCENT = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)\s*%")
_DECIMAL = re.compile(r"(?<![\w.])(0?\.\d+|[01](?:\.0+)?)(?![\w.%])")


def parse_mark(raw: str) -> Mark | None:
    """Normalise a verdict cell (✓, ❌, ``**FALSIFIED AS STATED**``, ``PARTIAL / BLOCKED`` ...).

    Args:
        raw: the cell as written.

    Returns:
        ``None`` for an empty cell; otherwise ``verified``, ``refuted``, ``partial``,
        ``blocked``, or ``unknown`` when no verdict word is recognised. A cell with both a
        verifying and a refuting word (``VERIFIED / FALSIFIED BY SCOPE``) is ``partial``.

    Example:
        >>> parse_mark("Candidate VERIFIED, HIGH")
        'verified'
    """
    text = clean_cell(raw)
    if not text:
        return None
    # A bare yes/no answers the column's question ("Verified?"); inside prose they mean nothing.
    bare = _BARE_ANSWERS.get(text.strip(" .!").lower())
    if bare is not None:
        return bare
    hits: list[tuple[int, Mark]] = []
    taken: list[tuple[int, int]] = []
    for pattern, mark in _MARK_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            hits.append((match.start(), mark))
    marks = [m for _, m in sorted(hits)]
    distinct = list(dict.fromkeys(marks))
    if not distinct:
        return "unknown"
    if len(distinct) == 1:
        return distinct[0]
    if "partial" in distinct or {"verified", "refuted"} <= set(distinct):
        return "partial"
    return distinct[0]


def _parse_confidence(raw: str) -> tuple[float | None, str | None]:
    text = clean_cell(raw)
    label = _LABEL.search(text)
    percent = _PERCENT.search(text)
    value: float | None = None
    if percent is not None:
        number = float(percent.group(1))
        value = number / 100.0 if number <= 100 else None
    else:
        decimal = _DECIMAL.search(text)
        if decimal is not None:
            value = float(decimal.group(1))
    return value, (_SPACES.sub(" ", label.group(1)).upper() if label else None)


# -- tables --------------------------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    format: str = "markdown"
    # The dialect's own idea of the title (HTML <title>, LaTeX \title, a JSON "title" key);
    # "" when the file has none, None to take it from the lines above the table.
    title: str | None = None
    # JSON keys such as "text" name the claim without a claim word; only JSON uses this, so that
    # a "Text" column elsewhere does not turn an ordinary table into a claims table.
    text_hint: int | None = None


_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def _md_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.strip() for c in _MD_SPLIT.split(body)]


def _markdown_tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and "|" in lines[i + 1] and _MD_SEPARATOR.match(lines[i + 1]):
            table = _Table(header=_md_cells(lines[i]), header_line=i + 1, format="markdown")
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


def _tsv_tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    i = 0
    while i < len(lines):
        # A tab after some text, not only tabs of indentation (LaTeX, HTML, JSON sources).
        if "\t" in lines[i].lstrip() and lines[i].strip():
            table = _Table(
                header=[c.strip() for c in lines[i].split("\t")], header_line=i + 1, format="tsv"
            )
            j = i + 1
            while j < len(lines) and lines[j].strip() and "\t" in lines[j]:
                table.rows.append((j + 1, [c.strip() for c in lines[j].split("\t")]))
                j += 1
            tables.append(table)
            i = j
        else:
            i += 1
    return tables


def _csv_header(cells: list[str]) -> bool:
    """A CSV header: a few short labels, one naming a claim column (not a line of prose)."""
    return (
        len(cells) >= 2
        and all(0 < len(c) <= 40 for c in cells)
        and not cells[0].startswith(("-", "*", "#", ">"))
        and bool(_text_columns(cells))
    )


def _csv_tables(text: str) -> list[_Table]:
    tables: list[_Table] = []
    for delimiter in (",", ";"):
        if delimiter not in text:
            continue
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        table: _Table | None = None
        try:
            for record in reader:
                line = reader.line_num
                cells = [c.strip() for c in record]
                if table is None:
                    if _csv_header(cells):
                        table = _Table(cells, line, format="csv")
                    continue
                while cells and not cells[-1] and len(cells) > len(table.header):
                    cells.pop()
                # A CSV table is rectangular; a line of prose with commas in it ends it.
                if not any(cells) or len(cells) != len(table.header):
                    if table.rows:
                        break
                    table = None
                    continue
                table.rows.append((line, cells))
        except csv.Error:
            continue
        if table is not None and table.rows:
            tables.append(table)
    return tables


# -- wrapped rows --------------------------------------------------------------------------


def _join_cells(parts: list[list[str]]) -> list[str]:
    """One row from the physical lines of a wrapped row: each column's pieces, space-joined."""
    width = max((len(cells) for cells in parts), default=0)
    return [
        " ".join(p for p in (cells[i].strip() if i < len(cells) else "" for cells in parts) if p)
        for i in range(width)
    ]


def _unwrap(table: _Table, group_starts: set[int] | None = None) -> _Table:
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
    layout = _layout(table) if kept else None
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
    table.rows = [(n, _join_cells(parts)) for n, parts in merged]
    return table


# -- box-drawing tables (rich, tabulate fancy_grid / rounded_grid / heavy_grid ...) ---------

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


def _ruled_blocks(lines: list[str], kind: Callable[[str], str | None]) -> list[list[int]]:
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


def _ruled_table(
    lines: list[str],
    block: list[int],
    kind: Callable[[str], str | None],
    cells_of: Callable[[str], list[str]],
    fmt: str,
) -> _Table | None:
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
    table = _Table(
        header=_join_cells([cells_of(lines[k]) for k in header_group]),
        header_line=header_group[0] + 1,
        format=fmt,
    )
    starts: set[int] = set()
    for group in body:
        starts.add(len(table.rows))
        table.rows.extend((k + 1, cells_of(lines[k])) for k in group)
    return _unwrap(table, starts)


def _box_tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    for block in _ruled_blocks(lines, _box_kind):
        rows = [lines[k].strip() for k in block if _box_kind(lines[k]) == "row"]
        left = all(r[:1] in _BOX_VERTICAL for r in rows)
        right = all(r[-1:] in _BOX_VERTICAL for r in rows)
        cells_of = functools.partial(_box_cells, left=left, right=right)
        table = _ruled_table(lines, block, _box_kind, cells_of, "box")
        if table is not None:
            tables.append(table)
    return tables


# -- display columns -----------------------------------------------------------------------


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


def _metrics(line: str) -> list[list[str]]:
    """Ways to index the line's columns: as a terminal shows it, then one per character.

    Printers that measure with wcwidth (tabulate, rich, an editor) align by the first; those
    that measure with len() by the second. Callers take the first under which the separators
    fall where the rule puts them.
    """
    shown = _display_columns(line)
    plain = list(line)
    return [shown, plain] if shown != plain else [plain]


# -- grid tables (reST / tabulate grid, rich box.ASCII, psql, org-mode) ----------------------

_GRID_RULE_CHARS = frozenset("+-=:|")


def _grid_kind(line: str) -> Literal["rule", "row"] | None:
    stripped = line.strip()
    if not stripped:
        return None
    if (
        set(stripped) <= _GRID_RULE_CHARS
        and "+" in stripped
        and ("-" in stripped or "=" in stripped)
    ):
        return "rule"
    return "row" if "|" in stripped else None


def _grid_cells(line: str, junctions: list[int], left: bool, right: bool) -> list[str]:
    for cols in _metrics(line):
        if all(j < len(cols) and cols[j] == "|" for j in junctions):
            cuts = ([] if left else [-1]) + junctions + ([] if right else [len(cols)])
            return ["".join(cols[a + 1 : b]).strip() for a, b in itertools.pairwise(cuts)]
    # The separators are not where the rule puts them (a hand-edited line): split on the bars.
    body = line.strip()
    if left and body.startswith("|"):
        body = body[1:]
    if right and body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


def _grid_tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
    for block in _ruled_blocks(lines, _grid_kind):
        rules = [lines[k] for k in block if _grid_kind(lines[k]) == "rule"]
        # The rule with most junctions: rich's box.ASCII draws none in its top border.
        rule = max(rules, key=lambda r: sum(ch in "+|" for ch in r))
        junctions = [i for i, ch in enumerate(rule) if ch in "+|"]
        body = rule.strip()
        left, right = body[0] in "+|", body[-1] in "+|"
        cells_of = functools.partial(_grid_cells, junctions=junctions, left=left, right=right)
        table = _ruled_table(lines, block, _grid_kind, cells_of, "grid")
        if table is not None:
            tables.append(table)
    return tables


# -- fixed-width tables under a rule of dash groups (tabulate simple, reST simple) ----------

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
    for cols in _metrics(line):
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


def _simple_tables(lines: list[str]) -> list[_Table]:
    tables: list[_Table] = []
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
        table = _Table(
            header=_join_cells([_fixed_cells(lines[k], spans) for k in header_lines]),
            header_line=header_lines[0] + 1,
            format="simple",
        )
        table.rows = [
            (k + 1, _fixed_cells(lines[k], spans)) for k in range(i + 1, end) if lines[k].strip()
        ]
        tables.append(_unwrap(table))
        i = end + 1
    return tables


# -- HTML ----------------------------------------------------------------------------------


@dataclass
class _HTMLTable:
    start_line: int
    title: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    row: list[str] | None = None
    row_line: int = 0
    cell: list[str] | None = None
    span: int = 1
    links: list[str] = field(default_factory=list)


class _HTMLTableReader(HTMLParser):
    """Collects every ``<table>``'s rows as cell texts (tags dropped, entities decoded)."""

    _HEADINGS = ("title", "h1", "h2", "h3", "h4", "h5", "h6")
    _BREAKS = ("br", "p", "div", "li", "ul", "ol", "hr")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_HTMLTable] = []
        self.title = ""
        self._open: list[_HTMLTable] = []
        self._heading: list[str] | None = None
        self._skip = 0

    def _end_cell(self, table: _HTMLTable) -> None:
        if table.cell is not None and table.row is not None:
            # Escaped again so that clean_cell's unescaping leaves "&lt;b&gt;" as "<b>" text.
            text = html.escape("".join(table.cell), quote=False)
            table.row += [text] + [""] * (table.span - 1)
        table.cell = None
        table.links.clear()

    def _end_row(self, table: _HTMLTable) -> None:
        self._end_cell(table)
        if table.row:
            table.rows.append((table.row_line, table.row))
        table.row = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
            return
        if tag == "table":
            self._open.append(_HTMLTable(self.getpos()[0], self.title))
            return
        if not self._open:
            if tag in self._HEADINGS and not self.title:
                self._heading = []
            return
        table = self._open[-1]
        if tag == "tr":
            self._end_row(table)
            table.row, table.row_line = [], self.getpos()[0]
        elif tag in ("td", "th"):
            self._end_cell(table)
            if table.row is None:
                table.row, table.row_line = [], self.getpos()[0]
            span = next((v for k, v in attrs if k == "colspan"), None) or "1"
            table.span = min(max(int(span), 1), 50) if re.fullmatch(r"\s*\d{1,4}\s*", span) else 1
            table.cell = []
        elif table.cell is None:
            return
        elif tag in self._BREAKS:
            table.cell.append(" ")
        elif tag == "a":
            # Markdown's link form keeps the URL for the row's cites while the cell's text
            # shows only the words (clean_cell drops the URL).
            href = next((v for k, v in attrs if k == "href"), None) or ""
            table.links.append(href if re.match(r"https?://[^\s()\[\]]+$", href) else "")
            if table.links[-1]:
                table.cell.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(self._skip - 1, 0)
        elif tag in self._HEADINGS and self._heading is not None:
            self.title = _SPACES.sub(" ", "".join(self._heading)).strip()
            self._heading = None
        elif not self._open:
            return
        elif tag == "table":
            table = self._open.pop()
            self._end_row(table)
            self.tables.append(table)
        elif tag == "tr":
            self._end_row(self._open[-1])
        elif tag in ("td", "th"):
            self._end_cell(self._open[-1])
        elif tag == "a" and self._open[-1].links:
            href = self._open[-1].links.pop()
            if href and self._open[-1].cell is not None:
                self._open[-1].cell.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._open and self._open[-1].cell is not None:
            self._open[-1].cell.append(data)
        elif self._heading is not None:
            self._heading.append(data)

    def close(self) -> None:
        super().close()
        # A truncated file: keep the tables' complete rows, drop the row it stopped in.
        while self._open:
            table = self._open.pop()
            table.row = None
            self.tables.append(table)


def _html_tables(lines: list[str]) -> list[_Table]:
    text = "\n".join(lines)
    if "<table" not in text.lower():
        return []
    reader = _HTMLTableReader()
    try:
        reader.feed(text)
        reader.close()
    except (ValueError, AssertionError, IndexError):
        # html.parser is lenient, but older versions raise on some broken markup.
        return []
    tables: list[_Table] = []
    for found in sorted(reader.tables, key=lambda t: t.start_line):
        if len(found.rows) < 2:
            continue
        (line, header), *rows = found.rows
        tables.append(_Table(header, line, rows, format="html", title=found.title or None))
    return tables


# -- LaTeX ---------------------------------------------------------------------------------

_LATEX_BEGIN = re.compile(r"\\begin\{(tabular\*?|tabularx|tabulary|xltabular|longtable\*?)\}")
_LATEX_WIDTH_ENVS = ("tabular*", "tabularx", "tabulary", "xltabular")
_LATEX_NAME = re.compile(r"\\([A-Za-z]+)\*?|\\(.)", re.DOTALL)
_LATEX_COMMENT = re.compile(r"(?<!\\)(?:\\\\)*(%[^\n]*)")
_LATEX_LONGTABLE = re.compile(r"\\end(firsthead|head|foot|lastfoot)(?![A-Za-z])")
_LATEX_LEAD = re.compile(
    r"(?:\s+|\\(?:toprule|midrule|bottomrule|hline|addlinespace|hdashline)(?![A-Za-z])"
    r"(?:\[[^\]\n]*\])?|\\(?:cline|cmidrule)(?:\([^)\n]*\))?\{[^}\n]*\})*"
)
_LATEX_SYMBOLS = {
    **dict.fromkeys(("checkmark", "cmark"), "✓"),
    **dict.fromkeys(("xmark", "times"), "×"),
    **dict.fromkeys(("textbar", "vert", "mid"), "|"),
    **dict.fromkeys(("leq", "le"), "≤"),
    **dict.fromkeys(("geq", "ge"), "≥"),
    **dict.fromkeys(("neq", "ne"), "≠"),
    **dict.fromkeys(("to", "rightarrow"), "→"),
    **dict.fromkeys(("ldots", "dots", "cdots"), "…"),
    **dict.fromkeys(("textdegree", "degree"), "°"),
    **dict.fromkeys(("newline", "linebreak", "quad", "qquad"), " "),
    "approx": "≈",
    "pm": "±",
    "sim": "~",
    "cdot": "·",
    "leftarrow": "←",
    "infty": "∞",
    "percent": "%",
    "textasciitilde": "~",
    "textless": "<",
    "textgreater": ">",
    "textemdash": "—",
    "textendash": "–",
    "dag": "†",
    "ddag": "‡",
    "ell": "ℓ",
}
_LATEX_DINGS = {"51": "✓", "52": "✓", "55": "×", "56": "×"}
# Rules, spacing, colour and font switches: dropped, with their brace arguments (how many).
_LATEX_SWITCHES = (
    "toprule midrule bottomrule hline hdashline addlinespace endhead endfirsthead endfoot",
    "endlastfoot centering raggedright raggedleft arraybackslash hfill noindent par relax strut",
    "tiny scriptsize footnotesize small normalsize large Large protect displaystyle left right",
    "bfseries itshape ttfamily rmfamily sffamily scshape upshape mdseries bf it tt rm sf sc em",
    "footnotemark",
)
_LATEX_DROP = {
    **dict.fromkeys((w for group in _LATEX_SWITCHES for w in group.split()), 0),
    **dict.fromkeys(
        ("cline", "cmidrule", "label", "caption", "vspace", "hspace", "hhline", "color"), 1
    ),
    **dict.fromkeys(("rowcolor", "cellcolor", "arrayrulecolor"), 1),
    "specialrule": 3,
}
_LATEX_SECOND_ARG = ("textcolor", "colorbox")
_LATEX_CITES = ("cite", "citep", "citet", "citealp", "ref", "eqref", "autoref", "cref", "Cref")
_LATEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
    "r": "\u030a",
    "k": "\u0328",
}


def _latex_group(src: str, i: int, open_: str = "{", close: str = "}") -> tuple[str, int] | None:
    """The text of the group opening at ``src[i]`` (spaces skipped) and the index after it."""
    while i < len(src) and src[i] in " \t\n":
        i += 1
    if i >= len(src) or src[i] != open_:
        return None
    depth = 0
    j = i
    while j < len(src):
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return src[i + 1 : j], j + 1
        j += 1
    return None


def _latex_options(src: str, i: int, parens: bool = False) -> int:
    """Skip ``[..]`` optional arguments, and ``(..)`` ones (cmidrule's trim ``(lr)``)."""
    while True:
        group = _latex_group(src, i, "[", "]")
        if group is None and parens:
            group = _latex_group(src, i, "(", ")")
        if group is None:
            return i
        i = group[1]


def _latex_plain(src: str) -> str:
    """Text of a LaTeX cell: macros reduced to their text, symbols mapped, braces dropped."""
    out: list[str] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch != "\\":
            if ch == "~":
                out.append(" ")
            elif ch not in "{}$":
                out.append(ch)
            i += 1
            continue
        match = _LATEX_NAME.match(src, i)
        if match is None:  # a lone backslash at the end
            break
        i = match.end()
        name = match.group(1)
        if name is None:
            char = match.group(2)
            if char in _LATEX_ACCENTS:
                i = _latex_accent(src, i, char, out)
            elif char in "\\,;: \n\t":
                out.append(" ")
            elif char not in "!-/":
                out.append(char)  # \% \& \_ \# \$ \{ \}
            continue
        if name in _LATEX_ACCENTS and len(name) == 1:
            i = _latex_accent(src, i, name, out)
        elif name in _LATEX_SYMBOLS:
            out.append(_LATEX_SYMBOLS[name])
        elif name == "ding":
            arg = _latex_group(src, i)
            if arg is not None:
                out.append(_LATEX_DINGS.get(arg[0].strip(), ""))
                i = arg[1]
        elif name in _LATEX_DROP:
            i = _latex_options(src, i, parens=name == "cmidrule")
            for _ in range(_LATEX_DROP[name]):
                arg = _latex_group(src, _latex_options(src, i))
                if arg is None:
                    break
                i = arg[1]
        elif name == "href":
            url = _latex_group(src, i)
            label = _latex_group(src, url[1]) if url is not None else None
            if url is not None and label is not None:
                # Markdown's form, so that the cell's text keeps only the words while the
                # row's cites still see the URL.
                out.append(f"[{_latex_plain(label[0])}]({url[0].strip()})")
                i = label[1]
        elif name == "url":
            arg = _latex_group(src, i)
            if arg is not None:
                out.append(f"<{arg[0].strip()}>")
                i = arg[1]
        elif name in _LATEX_CITES:
            arg = _latex_group(src, _latex_options(src, i))
            if arg is not None:
                out.append(f"[{arg[0].strip()}]")
                i = arg[1]
        elif name in _LATEX_SECOND_ARG:
            first = _latex_group(src, _latex_options(src, i))
            if first is not None:
                i = first[1]
        elif name in ("multicolumn", "multirow"):
            # \multicolumn{n}{spec}{text}, \multirow[pos]{n}{width}{text}: keep the text.
            for _ in range(2):
                arg = _latex_group(src, _latex_options(src, i))
                if arg is None:
                    break
                i = arg[1]
        else:
            opens = src[i : i + 1] in ("{", "[")
            arg = _latex_group(src, _latex_options(src, i)) if opens else None
            if arg is not None:
                out.append(_latex_plain(arg[0]))
                i = arg[1]
            else:
                out.append(_greek(name))
    text = "".join(out).replace("---", "—").replace("--", "–")
    return text.replace("``", "“").replace("''", "”")


def _latex_accent(src: str, i: int, accent: str, out: list[str]) -> int:
    arg = _latex_group(src, i)
    if arg is not None:
        base, i = arg[0].strip(), arg[1]
    else:
        while i < len(src) and src[i] == " ":
            i += 1
        base, i = src[i : i + 1], i + 1
    if len(base) == 1 and base.isalpha():
        out.append(unicodedata.normalize("NFC", base + _LATEX_ACCENTS[accent]))
    else:
        out.append(base)
    return i


def _greek(name: str) -> str:
    """\\alpha -> α, \\Delta -> Δ; an unknown macro keeps its name (\\ours -> ours)."""
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return name


def _latex_split(body: str) -> list[tuple[int, list[tuple[int, str]]]] | None:
    """Rows (start offset, cells with their offsets) of a tabular body; None if unbalanced."""
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    cells: list[tuple[int, str]] = []
    row_start = cell_start = 0
    depth = 0
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            row_break = body.startswith("\\\\", i)
            if not row_break and body.startswith("\\tabularnewline", i):
                row_break = True
            if row_break and depth == 0:
                cells.append((cell_start, body[cell_start:i]))
                rows.append((row_start, cells))
                i += 2 if body.startswith("\\\\", i) else len("\\tabularnewline")
                if body[i : i + 1] == "*":
                    i += 1
                spacing = _latex_group(body, i, "[", "]")
                if spacing is not None:
                    i = spacing[1]
                cells, row_start, cell_start = [], i, i
                continue
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "&" and depth == 0:
            cells.append((cell_start, body[cell_start:i]))
            cell_start = i + 1
        i += 1
    if depth != 0:
        return None
    cells.append((cell_start, body[cell_start:]))
    rows.append((row_start, cells))
    return rows


def _blank(text: str, start: int, end: int) -> str:
    """Spaces over ``text[start:end]``, newlines kept, so that offsets still give lines."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _latex_body(text: str, start: int, end: int) -> str:
    """The tabular's body with comments and longtable's repeated heads and feet blanked."""
    body = _LATEX_COMMENT.sub(
        lambda m: m.group(0)[: m.start(1) - m.start()] + " " * len(m.group(1)), text[start:end]
    )
    marks = list(_LATEX_LONGTABLE.finditer(body))
    if marks:
        has_first = any(m.group(1) == "firsthead" for m in marks)
        keep = "firsthead" if has_first else "head"
        segment_start = 0
        for mark in marks:
            if mark.group(1) != keep:
                body = _blank(body, segment_start, mark.start())
            body = _blank(body, mark.start(), mark.end())
            segment_start = mark.end()
    return body


def _latex_title(text: str, before: int) -> str | None:
    """\\title, else the first section before the table, else the table's caption.

    None when there is none and the file is not a LaTeX document (a tabular pasted into a
    Markdown report takes the report's heading).
    """
    searches = (
        re.search(r"\\title\s*(?=\{)", text),
        re.search(r"\\(?:sub)*section\*?\s*(?=\{)", text[:before]),
        re.search(r"\\caption\s*(?=\{)", text[before:]),
    )
    for match, shift in zip(searches, (0, 0, before), strict=True):
        group = _latex_group(text, match.end() + shift) if match else None
        if group is not None:
            return _SPACES.sub(" ", _latex_plain(group[0])).strip()
    return "" if "\\documentclass" in text or "\\begin{document}" in text else None


def _latex_tables(text: str) -> list[_Table]:
    if "\\begin{" not in text:
        return []
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    tables: list[_Table] = []
    for begin in _LATEX_BEGIN.finditer(text):
        env = begin.group(1)
        i = _latex_options(text, begin.end())
        ok = True
        for _ in range(2 if env in _LATEX_WIDTH_ENVS else 1):
            arg = _latex_group(text, _latex_options(text, i))
            if arg is None:
                ok = False
                break
            i = arg[1]
        end = _latex_end(text, env, i)
        if not ok or end is None:
            continue
        split = _latex_split(_latex_body(text, i, end))
        try:
            rows = _latex_rows(split or [], i, starts)
        except RecursionError:  # macros nested thousands deep: not a table to read
            continue
        if len(rows) < 2:
            continue
        (line, header), *body_rows = rows
        tables.append(
            _Table(header, line, body_rows, format="latex", title=_latex_title(text, begin.start()))
        )
    return tables


def _latex_rows(
    split: list[tuple[int, list[tuple[int, str]]]], body_start: int, line_starts: list[int]
) -> list[tuple[int, list[str]]]:
    """Plain cells of each non-empty row, with the line where its first cell's text starts."""
    rows: list[tuple[int, list[str]]] = []
    for _, cells in split:
        plain: list[str] = []
        for _, raw in cells:
            span = re.match(r"\s*\\multicolumn\s*\{\s*(\d+)\s*\}", raw)
            plain.append(_SPACES.sub(" ", _latex_plain(raw)).strip())
            plain += [""] * (min(int(span.group(1)), 50) - 1 if span else 0)
        if not any(plain):
            continue
        lead = _LATEX_LEAD.match(cells[0][1])
        offset = body_start + cells[0][0] + (lead.end() if lead else 0)
        rows.append((bisect.bisect_right(line_starts, offset), plain))
    return rows


def _latex_end(text: str, env: str, i: int) -> int | None:
    """Where the environment opened before ``i`` ends (nested ones of the same name skipped)."""
    pattern = re.compile(r"\\(begin|end)\{" + re.escape(env) + r"\}")
    depth = 1
    for match in pattern.finditer(text, i):
        depth += 1 if match.group(1) == "begin" else -1
        if depth == 0:
            return match.start()
    return None


# -- JSON ----------------------------------------------------------------------------------

_JSON_LIST_KEYS = (
    "claims",
    "rows",
    "results",
    "findings",
    "statements",
    "items",
    "data",
    "records",
    "entries",
)
_JSON_TEXT_KEYS = ("text", "claim_text", "sentence", "content", "description", "summary")
_JSON_WS = " \t\r\n"


def _json_skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _JSON_WS:
        i += 1
    return i


def _json_items(text: str, i: int) -> list[tuple[int, Any]]:
    """Elements of the JSON array opening at ``text[i]``, each with its start offset."""
    decoder = json.JSONDecoder()
    items: list[tuple[int, Any]] = []
    i = _json_skip(text, i + 1)
    while i < len(text) and text[i] != "]":
        value, end = decoder.raw_decode(text, i)
        items.append((i, value))
        i = _json_skip(text, end)
        if text[i : i + 1] == ",":
            i = _json_skip(text, i + 1)
    return items


def _json_members(text: str, i: int) -> dict[str, int]:
    """Start offsets of the values of the JSON object opening at ``text[i]``, by key."""
    decoder = json.JSONDecoder()
    offsets: dict[str, int] = {}
    i = _json_skip(text, i + 1)
    while i < len(text) and text[i] != "}":
        key, end = decoder.raw_decode(text, i)
        i = _json_skip(text, _json_skip(text, end) + 1)  # past the colon
        _, end = decoder.raw_decode(text, i)
        offsets.setdefault(str(key), i)
        i = _json_skip(text, end)
        if text[i : i + 1] == ",":
            i = _json_skip(text, i + 1)
    return offsets


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _json_records(text: str) -> tuple[list[tuple[int, dict[str, Any]]], str] | None:
    """The objects that form the table, with their offsets, and a title; None if not JSON."""
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        return None
    start = len(text) - len(stripped)
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
        records: list[tuple[int, dict[str, Any]]] = []
        offset = 0
        # JSON Lines are "\n"-separated; splitlines() would also cut at U+2028 inside a string.
        for line in text.split("\n"):
            if line.strip():
                value = json.loads(line)
                if not isinstance(value, dict):
                    return None
                records.append((offset + len(line) - len(line.lstrip()), value))
            offset += len(line) + 1
        return records, ""
    if isinstance(whole, list):
        items = _json_items(text, start)
        return [(o, v) for o, v in items if isinstance(v, dict)], ""
    if not isinstance(whole, dict):
        return None
    title = whole.get("title") if isinstance(whole.get("title"), str) else ""
    lists = [
        k for k, v in whole.items() if isinstance(v, list) and any(isinstance(x, dict) for x in v)
    ]
    key = next((k for k in _JSON_LIST_KEYS if k in lists), lists[0] if lists else None)
    if key is None:
        # A single object is one row (as a JSON Lines file of one line), if it states a claim.
        named = [k for k, v in whole.items() if isinstance(v, str) and _text_columns([k])]
        return ([(start, whole)] if named else []), str(title)
    items = _json_items(text, _json_members(text, start)[key])
    return [(o, v) for o, v in items if isinstance(v, dict)], str(title)


def _json_tables(text: str) -> list[_Table]:
    try:
        found = _json_records(text)
    except (ValueError, RecursionError, KeyError, IndexError):
        # Invalid JSON that only looks like JSON: the other readers may still find a table.
        return []
    if not found or not found[0]:
        return []
    records, title = found
    header: list[str] = list(dict.fromkeys(k for _, r in records for k in r))
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    rows = [
        (bisect.bisect_right(starts, offset), [_json_cell(r.get(k)) for k in header])
        for offset, r in records
    ]
    hint = None
    if not _text_columns(header):
        hint = next((i for i, k in enumerate(header) if k.strip().lower() in _JSON_TEXT_KEYS), None)
    return [_Table(header, rows[0][0], rows, format="json", title=title, text_hint=hint)]


# -- columns -------------------------------------------------------------------------------

_TEXT_KEYS = ("claim", "statement", "finding", "hypothesis", "assertion", "original")
_MARK_KEYS = ("verdict", "status", "verified", "assessment", "adjudication", "outcome", "result")
_CONF_KEYS = ("confidence", "probability", "certainty", "credence")
_ID_LIKE = re.compile(r"^(?:#?\d{1,3}|[A-Za-z]{1,2}-?\d{1,3}[a-z]?)$")


def _header_key(cell: str) -> str:
    return clean_cell(cell).lower()


def _has_word(header: str, keys: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{k}", header) for k in keys)


def _text_columns(header: list[str]) -> list[int]:
    return [i for i, h in enumerate(header) if _has_word(_header_key(h), _TEXT_KEYS)]


def _claim_columns(table: _Table) -> list[int]:
    if (found := _text_columns(table.header)) or table.text_hint is None:
        return found
    return [table.text_hint]


def _column(rows: list[tuple[int, list[str]]], index: int) -> list[str]:
    return [clean_cell(cells[index]) for _, cells in rows if index < len(cells)]


def _id_like(values: list[str]) -> bool:
    filled = [v for v in values if v]
    return bool(filled) and all(_ID_LIKE.match(v) for v in filled)


@dataclass
class _Layout:
    text: int
    id_col: int | None
    mark: int | None
    confidence: int | None
    header_mark: str | None
    score: int


def _layout(table: _Table) -> _Layout | None:
    """Which column holds the claim, the verdict and the confidence; None if no claim column."""
    header = [_header_key(h) for h in table.header]
    candidates = _claim_columns(table)
    if not candidates:
        return None
    # A "Claim" column that only holds ids (1, C8) names the claim; its text is elsewhere
    # ("Paper statement", "Finding").
    wordy = [i for i in candidates if not _id_like(_column(table.rows, i))]
    id_cols = [i for i in candidates if i not in wordy]

    def rank(i: int) -> tuple[int, int]:
        keys = (n for n, k in enumerate(_TEXT_KEYS) if re.search(rf"\b{k}", header[i]))
        return next(keys, len(_TEXT_KEYS)), i

    text = min(wordy, key=rank) if wordy else min(candidates, key=rank)
    id_col = min(id_cols) if wordy and id_cols else None
    header_mark = None
    if parse_mark(table.header[text]) not in (None, "unknown"):
        header_mark = _verdict_words(table.header[text])
    used = {text} | ({id_col} if id_col is not None else set())
    confidence = next(
        (i for i, h in enumerate(header) if i not in used and _has_word(h, _CONF_KEYS)), None
    )
    if confidence is not None:
        used.add(confidence)
    mark = None
    for key in _MARK_KEYS:
        mark = next((i for i, h in enumerate(header) if i not in used and key in h), None)
        if mark is not None:
            break
    if mark is None:
        # No header says "status": take a column whose cells are mostly verdict words.
        for i in range(len(header)):
            values = [v for v in _column(table.rows, i) if v] if i not in used else []
            if (
                values
                and sum(parse_mark(v) not in (None, "unknown") for v in values) * 2 > len(values)
                and all(len(v) <= 40 for v in values)
            ):
                mark = i
                break
    score = 10 + (4 if mark is not None or header_mark else 0) + (2 if wordy else 0)
    score += 1 if header[text] == "claim" else 0
    return _Layout(text, id_col, mark, confidence, header_mark, score)


def _verdict_words(header_cell: str) -> str:
    """The verdict part of a header such as 'Original (FALSIFIED) — the words that fail'."""
    text = clean_cell(header_cell)
    inner = re.search(r"\(([^)]*)\)", text)
    if inner and parse_mark(inner.group(1)) not in (None, "unknown"):
        return inner.group(1).strip()
    return text


def _title(lines: list[str], before: int) -> str | None:
    for line in lines[:before]:
        heading = re.match(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$", line)
        if heading:
            return clean_cell(heading.group(1)) or None
    for line in lines[:before]:
        stripped = line.strip()
        if stripped and not stripped.startswith(("<!--", "---", "|", "![", "{")):
            # A table's top border (┏━━┓, +---+, ===) or a bare tag is no title.
            cleaned = clean_cell(stripped)[:300]
            if any(ch.isalnum() for ch in cleaned):
                return cleaned
    return None


def _row_claim(
    table: _Table, layout: _Layout, index: int, line: int, cells: list[str]
) -> ReportClaim | None:
    width = len(table.header)
    cells = cells + [""] * (width - len(cells))
    text = _claim_text(cells[layout.text])
    if layout.id_col is None and _ID_LIKE.match(text) and text.isdigit():
        text = f"{clean_cell(table.header[layout.text])} {text}"
    if not text:
        # A merged cell or a spacer row: nothing to check.
        return None
    raw_mark: str | None = None
    mark: Mark | None = None
    if layout.mark is not None and clean_cell(cells[layout.mark]):
        raw_mark = clean_cell(cells[layout.mark])
        mark = parse_mark(cells[layout.mark])
    elif layout.header_mark:
        raw_mark = layout.header_mark
        mark = parse_mark(layout.header_mark)
    confidence: float | None = None
    label: str | None = None
    if layout.confidence is not None:
        confidence, label = _parse_confidence(cells[layout.confidence])
    elif raw_mark is not None and "," in raw_mark:
        # "Candidate VERIFIED, HIGH": the confidence rides in the verdict cell.
        confidence, label = _parse_confidence(raw_mark.split(",", 1)[1])
    extra: dict[str, str] = {}
    skip = {layout.text, layout.mark, layout.confidence}
    for i, cell in enumerate(cells):
        if i in skip:
            continue
        key = clean_cell(table.header[i]) if i < width else f"column {i + 1}"
        key = key or ("#" if i == 0 else f"column {i + 1}")
        if key in extra:
            key = f"{key} ({i + 1})"
        extra[key] = clean_cell(cell)
    return ReportClaim(
        index=index,
        text=text,
        mark=mark,
        raw_mark=raw_mark,
        confidence=confidence,
        confidence_label=label,
        cites=find_arxiv_ids(" ".join(cells)),
        extra=extra,
        line=line,
        quantities=_quantities(text),
    )


def _quantities(text: str) -> list[Quantity]:
    try:
        from litcheck.extract.quantities import parse_quantities
    except ImportError:  # the quantity parser lands in a later step of this stage
        return []
    found: list[Quantity] = list(parse_quantities(text))
    return found


def parse_report(text: str, source: str = "<report>") -> ParsedReport:
    """Parse the claims table of a report, in any of the dialects the module reads.

    Markdown pipe tables, tab-separated blocks, CSV, box-drawing tables (rich, tabulate's
    fancy_grid and kin), reST / tabulate grid tables, fixed-width tables under a rule of dash
    groups, HTML ``<table>``, LaTeX ``tabular`` / ``tabularx`` / ``longtable``, and JSON or
    JSON Lines objects. Every table of every dialect is a candidate; the one whose header
    names a claim column (Claim, Statement, Finding, Original, ...) and a verdict column wins,
    ties going to the one that starts first. A row wrapped over several lines is one claim.

    Args:
        text: the report's text.
        source: where it came from (a path), used in error messages and kept in the result.

    Returns:
        The title, the claim rows in table order, and every arXiv id the file mentions.
        ``format`` names the dialect of the table read.

    Raises:
        BadInputError: when no table with a claim column is found (malformed tables of any
            dialect are skipped, never raised).

    Example:
        >>> report = parse_report(open("synthesis-report.txt").read())  # doctest: +SKIP
        >>> report.rows[0].mark, report.rows[0].confidence
        ('verified', 0.16)
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    # Tables starting on the same line tie in this order: a tab-indented HTML, LaTeX or JSON
    # source also looks like a tab-separated block.
    tables = (
        _markdown_tables(lines)
        + _box_tables(lines)
        + _grid_tables(lines)
        + _simple_tables(lines)
        + _html_tables(lines)
        + _latex_tables("\n".join(lines))
        + _json_tables(text)
        + _tsv_tables(lines)
    )
    if not any(_claim_columns(t) for t in tables):
        tables += _csv_tables(text)
    best: tuple[_Table, _Layout] | None = None
    for table in sorted(tables, key=lambda t: t.header_line):
        layout = _layout(table)
        if layout is None or not table.rows:
            continue
        if best is None or layout.score > best[1].score:
            best = (table, layout)
    if best is None:
        raise BadInputError(
            f"{source} has no claims table: expected a column named Claim (or Statement, "
            "Finding) in a Markdown pipe table, a tab-separated block, a CSV file, a box-drawing "
            "or grid table, a fixed-width table under a dashed rule, an HTML <table>, a LaTeX "
            "tabular or JSON objects."
        )
    table, layout = best
    rows: list[ReportClaim] = []
    for line, cells in table.rows:
        claim = _row_claim(table, layout, len(rows) + 1, line, cells)
        if claim is not None:
            rows.append(claim)
    title = table.title if table.title is not None else _title(lines, table.header_line - 1)
    return ParsedReport(
        title=title or None,
        rows=rows,
        references=find_arxiv_ids(text),
        format=table.format,
        source=source,
    )
