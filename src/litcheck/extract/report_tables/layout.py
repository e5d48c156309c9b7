"""Which columns hold the claim, the verdict and the confidence; one row -> ReportClaim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.extract.report_tables.base import Mark, ReportClaim, Table
from litcheck.extract.report_tables.cells import claim_text, clean_cell
from litcheck.extract.report_tables.ids import find_arxiv_ids
from litcheck.extract.report_tables.marks import (
    confidence_level,
    parse_confidence,
    parse_mark,
    split_mark,
)
from litcheck.models import Quantity

# The English words first (their order ranks claim columns), then those of reports written in
# French, German, Spanish, Italian or Portuguese ("Affirmation | Source | Verdict").
_TEXT_KEYS = (
    "claim",
    "statement",
    "finding",
    "hypothesis",
    "assertion",
    "original",
    "affirmation",
    "énoncé",
    "behauptung",
    "aussage",
    "afirmación",
    "afirmacion",
    "afirmação",
    "afirmacao",
    "affermazione",
)
_MARK_KEYS = (
    "verdict",
    "status",
    "verified",
    "assessment",
    "adjudication",
    "outcome",
    "result",
    "verdetto",
    "veredicto",
    "veredito",
    "urteil",
    "bewertung",
    "statut",
    "évaluation",
    "evaluación",
    "avaliação",
    "estado",
)
_CONF_KEYS = (
    "confidence",
    "probability",
    "certainty",
    "credence",
    "confiance",
    "konfidenz",
    "sicherheit",
    "confianza",
    "confiança",
    "fiducia",
)
_ID_LIKE = re.compile(r"^(?:#?\d{1,3}|[A-Za-z]{1,2}-?\d{1,3}[a-z]?)$")


def _header_key(cell: str) -> str:
    return clean_cell(cell).lower()


def _has_word(header: str, keys: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{k}", header) for k in keys)


def text_columns(header: list[str]) -> list[int]:
    return [i for i, h in enumerate(header) if _has_word(_header_key(h), _TEXT_KEYS)]


def claim_columns(table: Table) -> list[int]:
    if (found := text_columns(table.header)) or table.text_hint is None:
        return found
    return [table.text_hint]


def _column(rows: list[tuple[int, list[str]]], index: int) -> list[str]:
    return [clean_cell(cells[index]) for _, cells in rows if index < len(cells)]


def _id_like(values: list[str]) -> bool:
    filled = [v for v in values if v]
    return bool(filled) and all(_ID_LIKE.match(v) for v in filled)


@dataclass
class Layout:
    text: int
    id_col: int | None
    mark: int | None
    confidence: int | None
    header_mark: str | None
    score: int


def find_layout(table: Table) -> Layout | None:
    """Which column holds the claim, the verdict and the confidence; None if no claim column."""
    header = [_header_key(h) for h in table.header]
    candidates = claim_columns(table)
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
    return Layout(text, id_col, mark, confidence, header_mark, score)


def _verdict_words(header_cell: str) -> str:
    """The verdict part of a header such as 'Original (FALSIFIED) — the words that fail'."""
    text = clean_cell(header_cell)
    inner = re.search(r"\(([^)]*)\)", text)
    if inner and parse_mark(inner.group(1)) not in (None, "unknown"):
        return inner.group(1).strip()
    return text


def title_above(lines: list[str], before: int) -> str | None:
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


def row_claim(
    table: Table, layout: Layout, index: int, line: int, cells: list[str], position: int = -1
) -> ReportClaim | None:
    """Row ``position`` of ``table`` (its ``line`` and ``cells``) as claim number ``index``."""
    width = len(table.header)
    cells = cells + [""] * (width - len(cells))
    text = claim_text(cells[layout.text])
    if layout.id_col is None and _ID_LIKE.match(text) and text.isdigit():
        text = f"{clean_cell(table.header[layout.text])} {text}"
    if not text:
        # A merged cell or a spacer row: nothing to check.
        return None
    raw_mark: str | None = None
    mark: Mark | None = None
    # A confidence written in the verdict cell ("VERIFIED, HIGH", "✓ 0.16", "× (0.9)") is the
    # report's confidence, not part of its verdict.
    written_confidence: str | None = None
    if layout.mark is not None and clean_cell(cells[layout.mark]):
        raw_mark, written_confidence = split_mark(cells[layout.mark])
        mark = parse_mark(raw_mark if written_confidence else cells[layout.mark])
    elif layout.header_mark:
        raw_mark = layout.header_mark
        mark = parse_mark(layout.header_mark)
    confidence: float | None = None
    label: str | None = None
    raw_confidence: str | None = None
    if layout.confidence is not None:
        confidence, label = parse_confidence(cells[layout.confidence])
        raw_confidence = clean_cell(cells[layout.confidence]) or None
    if written_confidence is not None and raw_confidence is None:
        confidence, label = parse_confidence(written_confidence)
        raw_confidence = written_confidence
    elif layout.confidence is None and raw_mark is not None and "," in raw_mark:
        # "VERIFIED, high on XNLI only": a level after a comma that is not the whole rest.
        confidence, label = parse_confidence(raw_mark.split(",", 1)[1])
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
        raw_confidence=raw_confidence,
        confidence_level=confidence_level(label),
        warnings=list(table.row_warnings.get(position, [])),
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
