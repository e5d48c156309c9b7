"""A report's verdict marks (✓, ``FALSIFIED``, ``PARTIAL / BLOCKED``) and confidences."""

from __future__ import annotations

import re

from litcheck.extract.report_tables.base import Mark
from litcheck.extract.report_tables.cells import SPACES, clean_cell

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


def parse_confidence(raw: str) -> tuple[float | None, str | None]:
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
    return value, (SPACES.sub(" ", label.group(1)).upper() if label else None)
