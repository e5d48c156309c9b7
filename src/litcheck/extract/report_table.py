"""Read the claims table of a report written by someone else (``litcheck audit``'s input).

Reports that check claims one by one print them as a table, in many dialects: Markdown pipe
tables with differing columns (``Claim | Verified | Confidence``, ``# | Claim | Status | Key
evidence``, verdicts in the column headers, a verdict and a confidence in one cell), or a
tab-separated block in a plain-text report, or a CSV file. :func:`parse_report` finds the
table that holds claims (by its header: claim / statement / finding), reads each row into a
:class:`ReportClaim` with a normalised verdict mark and confidence, and collects the arXiv ids
the whole file mentions so that the claims can be re-verified against those papers.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from typing import Literal

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
    format: str = Field(description="Dialect of the claims table: markdown, tsv or csv.")
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
            r"|[×✗✘❌✕]",
            re.I,
        ),
        "refuted",
    ),
    (
        re.compile(
            r"\bverified\b|\bsupported\b|\bproven\b|\bproved\b|\bconfirmed\b|\btrue\b|\bholds\b"
            r"|\bpass(?:ed)?\b|[✓✔✅☑]",
            re.I,
        ),
        "verified",
    ),
]
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
        if "\t" in lines[i] and lines[i].strip():
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
    candidates = _text_columns(table.header)
    if not candidates:
        return None
    # A "Claim" column that only holds ids (1, C8) names the claim; its text is elsewhere
    # ("Paper statement", "Finding").
    wordy = [i for i in candidates if not _id_like(_column(table.rows, i))]
    id_cols = [i for i in candidates if i not in wordy]

    def rank(i: int) -> tuple[int, int]:
        key = next(n for n, k in enumerate(_TEXT_KEYS) if re.search(rf"\b{k}", header[i]))
        return key, i

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
            return clean_cell(stripped)[:300] or None
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
    """Parse the claims table of a report (Markdown pipe table, tab-separated or CSV).

    When a file holds several tables, the one whose header names a claim column (Claim,
    Statement, Finding, Original, ...) and a verdict column wins; ties go to the first.

    Args:
        text: the report's text.
        source: where it came from (a path), used in error messages and kept in the result.

    Returns:
        The title, the claim rows in table order, and every arXiv id the file mentions.

    Raises:
        BadInputError: when no table with a claim column is found.

    Example:
        >>> report = parse_report(open("synthesis-report.txt").read())  # doctest: +SKIP
        >>> report.rows[0].mark, report.rows[0].confidence
        ('verified', 0.16)
    """
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    tables = _markdown_tables(lines) + _tsv_tables(lines)
    if not any(_text_columns(t.header) for t in tables):
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
            "Finding) in a Markdown pipe table, a tab-separated block or a CSV file."
        )
    table, layout = best
    rows: list[ReportClaim] = []
    for line, cells in table.rows:
        claim = _row_claim(table, layout, len(rows) + 1, line, cells)
        if claim is not None:
            rows.append(claim)
    return ParsedReport(
        title=_title(lines, table.header_line - 1),
        rows=rows,
        references=find_arxiv_ids(text),
        format=table.format,
        source=source,
    )
