"""A report's verdict marks (✓, ``FALSIFIED``, ``PARTIAL / BLOCKED``) and confidences."""

from __future__ import annotations

import re

from litcheck.extract.report_tables.base import ConfidenceLevel, Mark
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
    (
        re.compile(
            r"\bpartial(?:ly)?\b|⚠️?|\bmixed\b"
            # Fact-checkers' ratings (ClaimReview alternateName) between true and false.
            r"|\bhalf[\s-]+(?:true|right|correct)\b|\bmixture\b|\bmisleading\b"
            r"|\bpartiel(?:le)?(?:ment)?\b|\bteilweise\b|\bparcial(?:mente)?\b|\bparziale\b"
            r"|\b(?:lacks|missing|needs)\s+context\b|\bexaggerat(?:ed|es|ion)\b",
            re.I,
        ),
        "partial",
    ),
    (re.compile(r"\bblocked\b|\bcannot be (?:tested|checked)\b", re.I), "blocked"),
    (
        re.compile(
            r"\bfalsified\b|\brefuted\b|\bcontradicted\b|\bdisproven\b|\bfalse\b|\bfailed\b|\bfail\b"
            r"|\bnot\s+(?:correct|accurate|valid|true)\b|\bdoes\s+not\s+hold\b|\bincorrect\b"
            r"|\binaccurate\b|\bwrong\b|\binvalid\b|\berroneous\b|\bdisputed\b|[×✗✘❌✕]"
            r"|\bpants\s+on\s+fire\b|\bfabricated\b|\bbaseless\b"
            # French, German, Spanish / Portuguese, Italian.
            r"|\bréfutée?s?\b|\bcontredite?s?\b|\bfaux\b|\bfausses?\b|\bwiderlegt\b|\bfalsch\b"
            r"|\brefutad[oa]s?\b|\bfals[oa]s?\b|\bconfutat[oa]\b",
            re.I,
        ),
        "refuted",
    ),
    (
        re.compile(
            r"\bverified\b|\bsupported\b|\bproven\b|\bproved\b|\bconfirmed\b|\btrue\b|\bholds\b"
            r"|\bpass(?:ed)?\b|\bcorrect\b|\baccurate\b|\bvalid\b|[✓✔✅☑]"
            r"|\bconfirmée?s?\b|\bvérifiée?s?\b|\bvraie?s?\b|\bbestätigt\b|\bverifiziert\b"
            r"|\bzutreffend\b|\bconfirmad[oa]s?\b|\bverificad[oa]s?\b|\bverdader[oa]s?\b"
            r"|\bconfermat[oa]\b|\bverificat[oa]\b",
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
_LEVEL_WORDS = (
    r"(?:very\s+)?(?:high|medium|moderate|low)|strong(?:ly)?|weak(?:ly)?|tentative(?:ly)?"
)
_LABEL = re.compile(rf"\b({_LEVEL_WORDS})\b(?:\s+confidence)?", re.IGNORECASE)
_LEVELS: dict[str, ConfidenceLevel] = {
    "high": "high",
    "strong": "high",
    "medium": "medium",
    "moderate": "medium",
    "low": "low",
    "weak": "low",
    "tentative": "low",
}
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


_DECIMAL_COMMA = re.compile(r"^(\d{1,3}),(\d+)(\s*%)?$")


def parse_confidence(raw: str) -> tuple[float | None, str | None]:
    text = clean_cell(raw)
    # A decimal comma, as European spreadsheets write it ("0,9", "85,5 %"), is a decimal point.
    text = _DECIMAL_COMMA.sub(lambda m: f"{m.group(1)}.{m.group(2)}{m.group(3) or ''}", text)
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


def confidence_level(label: str | None) -> ConfidenceLevel | None:
    """A worded confidence as a level: ``VERY HIGH`` / ``STRONG`` -> high, ``MODERATE`` ->
    medium, ``WEAK`` / ``TENTATIVE`` -> low; None for None or an unknown word."""
    if not label:
        return None
    word = label.lower().split()[-1]
    return _LEVELS.get(re.sub(r"ly$", "", word))


# A confidence written beside a verdict: a level ("low confidence", "confidence: high", "weak",
# "strongly") or a number ("0.16", "90%", "p=0.8", "conf. 0.9"), or a level and a number.
_CONF_LEVEL = (
    rf"(?:(?:{_LEVEL_WORDS})(?:[\s-]+(?:confidence|certainty|evidence))?"
    rf"|(?:confidence|conf\.?|certainty)\s*[:=]?\s*(?:{_LEVEL_WORDS}))"
)
_CONF_NUMBER = (
    r"(?:(?:confidence|conf\.?|certainty|prob(?:ability)?|score)\s*[:=]?\s*)?"
    r"(?:\d{1,3}(?:\.\d+)?\s*%|0?\.\d+|1\.0+)"
)
_CONF_ONE = rf"(?:{_CONF_LEVEL}|{_CONF_NUMBER})"
_CONF = rf"{_CONF_ONE}(?:\s*[,/(]\s*{_CONF_ONE}\s*\)?)?"
_SYMBOL_END = "(?<=[✓✔✅☑×✗✘❌✕])"
# The forms, tried in order: "VERIFIED, HIGH" / "Refuted - low confidence" / "VERIFIED / 0.9";
# "Supported (weak)" / "× (0.9)"; "✓ 0.16" / "✓0.16"; and the confidence first: "HIGH: refuted",
# "Strongly supported".
# Each with the most words its verdict part may have: a confidence after a sentence ("holds
# below 0.5") is part of the sentence.
_COMPOSITE: list[tuple[re.Pattern[str], int]] = [
    (
        re.compile(
            rf"^(?P<v>.*?\S)\s*(?:[,;=]|\s[-–—:|/]|[-–—:](?=\s))\s*(?P<c>{_CONF})\s*\.?$", re.I
        ),
        6,
    ),
    (re.compile(rf"^(?P<v>.*?\S)\s*[(\[]\s*(?P<c>{_CONF})\s*[)\]]\s*\.?$", re.I), 6),
    (re.compile(rf"^(?P<v>.*?\S)(?:\s+|{_SYMBOL_END})(?P<c>{_CONF})\s*\.?$", re.I), 3),
    (
        re.compile(
            rf"^[(\[]?\s*(?P<c>{_CONF})\s*[)\]]?\s*(?:[,;:]|\s[-–—|/])?\s+(?P<v>\S.*)$", re.I
        ),
        3,
    ),
]


def split_mark(cell: str) -> tuple[str, str | None]:
    """Split a verdict cell into the verdict and the confidence written with it.

    Args:
        cell: a verdict cell as written (``VERIFIED, HIGH``, ``✓ 0.16``, ``Supported (weak)``,
            ``× (0.9)``, ``Refuted - low confidence``, ``HIGH: refuted``).

    Returns:
        The verdict part and the confidence part, both cleaned (``('VERIFIED', 'HIGH')``);
        ``(cell, None)`` when the cell holds no confidence, or when what looks like one is
        not beside a recognised verdict (``Not assessed (low priority)``).

    Example:
        >>> split_mark("Refuted - low confidence")
        ('Refuted', 'low confidence')
    """
    text = clean_cell(cell)
    for pattern, most_words in _COMPOSITE:
        match = pattern.match(text)
        if match is None:
            continue
        verdict, conf = match.group("v").strip(), match.group("c").strip()
        if len(verdict.split()) > most_words:
            continue
        if parse_mark(verdict) not in (None, "unknown") and parse_mark(conf) == "unknown":
            return verdict, conf
    return text, None
