"""Counts and sizes as numbers: "trained on 100 languages", "270M parameters", "2.5TB of text".

The numeric checker (:mod:`litcheck.verify.numeric`) checks *result* figures: percentages,
scores, changes. A bare integer is not one of them (it may be a year, an id, a section), so the
setup figures papers state (how many languages, parameters, layers, claims; how much data) were
left to the text judge, and a cross-encoder reads "50 languages" and "one hundred languages" as
near-synonyms. Here a count is a number *followed by what it counts* ("100 languages", "40
typologically diverse languages", "1,409 expert-written claims") or by a size unit ("2.5TB",
"two terabytes"), with numbers written as digits, with a magnitude ("270M", "3.2 billion") or
in words ("one hundred", "twenty-four").

Two counts are of the same thing when they have the same head (the last word of what is
counted, singular): "12 languages" and "40 typologically diverse languages" count languages;
"12 language families" counts families. A claim's count is
**contradicted** when the evidence sentence is about what the claim is about, counts the same
thing, and no count of it there agrees ("50 languages" against "one hundred languages", "less
than one terabyte" against "more than two terabytes"). A count the evidence agrees with, or one
it does not mention, leaves the verdict to the judge: a count alone never makes a claim
SUPPORTED (the evidence may count the same thing for another model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from litcheck.verify.text import STOPWORDS, content_words, stems

__all__ = ["Count", "CountCheck", "check_counts", "parse_counts"]

Bound = Literal["at least", "at most", "about"]

_UNITS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
# Sizes of data and memory, in bytes: a count of bytes whatever its unit.
_BYTES = {
    "kb": 1e3,
    "mb": 1e6,
    "gb": 1e9,
    "tb": 1e12,
    "pb": 1e15,
    "kilobyte": 1e3,
    "megabyte": 1e6,
    "gigabyte": 1e9,
    "terabyte": 1e12,
    "petabyte": 1e15,
}

_SMALL = "|".join([*_UNITS, *_TENS, "one", "a"])
_WORD_NUMBER = (
    rf"(?:(?:{_SMALL})(?:\s+(?:{'|'.join(_SCALES)}))+"
    rf"|(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}|one))?"
    rf"|(?:{'|'.join(_UNITS)}|one))"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    rf"(?<![\w.,$€£%/'’-])(?:(?P<digits>{_DIGITS})(?:\s*(?P<scale>{'|'.join(_SCALES)})\b"
    r"|(?P<suffix>[kKmMbBtT])(?![a-zA-Z]))?"
    rf"|(?P<words>{_WORD_NUMBER}))(?=[kmgtp]b\b|(?![\w%-]|[.,]\d))",
    re.I,
)
_BYTES_UNIT = re.compile(
    r"\s*(?P<unit>[kmgtp]b|(?:kilo|mega|giga|tera|peta)bytes?)\b(?:\s+of\b)?",
    re.I,
)
_WORD_AFTER = re.compile(r"[A-Za-z][\w'-]*")
_BEFORE_AT_LEAST = re.compile(
    r"\b(?:more than|over|at least|above|exceeding|in excess of|upwards of|>|≥)\s*$", re.I
)
_BEFORE_AT_MOST = re.compile(
    r"\b(?:less than|fewer than|under|at most|up to|below|no more than|<|≤)\s*$", re.I
)
_BEFORE_ABOUT = re.compile(
    r"\b(?:about|around|roughly|nearly|almost|approximately|some|circa|~|≈)\s*$", re.I
)
# Words after a number that make it a label, a rank or a date, not a count of something.
_NOT_COUNTED = frozenset(
    [
        "times",
        "fold",
        "percent",
        "percentage",
        "points",
        "point",
        "pp",
        "year",
        "years",
        "ago",
        "am",
        "pm",
        "th",
        "st",
        "nd",
        "rd",
        "et",
        "per",
        "x",
        # Scores, which the numeric checker reads as result figures.
        "bleu",
        "f1",
        "em",
        "rouge",
        "rouge-l",
        "auc",
        "accuracy",
        "acc",
        "map",
        "wer",
        "cer",
        "perplexity",
        "ppl",
        "score",
        "scores",
        "exact",
    ]
)
_LABEL_BEFORE = re.compile(
    r"\b(?:section|sec|table|tab|figure|fig|eq|equation|appendix|chapter|step|layer|"
    r"version|v|top|rank|row|column|line|page|pp|p|no|number|id|item)\.?\s*$",
    re.I,
)
# Nouns that follow a number without being what it counts.
_WEAK_HEADS = frozenset(["of", "more", "most", "other", "such", "each", "all"])


@dataclass(frozen=True)
class Count:
    """A count or a size stated in a text: ``value`` of ``head`` (bytes for data sizes).

    ``head`` is the last word saying what is counted ("languages" in "40 typologically diverse
    languages"), singular. ``bound`` marks "more than" (``'at least'``), "up to" (``'at
    most'``) and "about".
    """

    value: float
    head: str
    text: str
    start: int
    end: int
    precision: float = 0.0
    bound: Bound | None = None

    def same_thing(self, other: Count) -> bool:
        """Whether ``other`` counts what this count counts: the same head noun ("40 typologically
        diverse languages" and "12 languages"; not "12 language families")."""
        return self.head == other.head


@dataclass(frozen=True)
class CountCheck:
    """How one count of the claim fared: ``status`` ``'stated'`` (a count of the same thing in
    a sentence about the same subject agrees), ``'contradicted'`` (such counts exist and none
    agrees) or ``'unmatched'``; ``reason`` says which evidence count decided."""

    claim_count: str
    status: Literal["stated", "contradicted", "unmatched"]
    reason: str
    evidence_text: str | None = None
    evidence_span: tuple[int, int] | None = None


def _noun(word: str) -> str:
    """A word without its plural ending and final e: "languages" and "language" both give
    "languag", "families" and "family" "family" (the verifier's stemmer leaves the singular of
    an -e word apart from its plural)."""
    word = word.lower().strip("'")
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


#: Words after a number that may say what it counts ("23,659 human translated PAWS evaluation
#: pairs"); the first plural among them is the head, else the last.
_MAX_COUNTED_WORDS = 5


def _plural(word: str) -> bool:
    """A plural noun's look: ends in -s (not -ss), and is no acronym ("PAWS", "GLUE")."""
    return (
        len(word) > 3 and word.endswith("s") and not word.endswith("ss") and not word[:-1].isupper()
    )


def _word_value(words: str) -> float | None:
    total, current = 0.0, 0.0
    seen = False
    for token in re.split(r"[\s-]+", words.lower()):
        if token in ("a", "one"):
            current += 1
        elif token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token in _SCALES:
            scale = _SCALES[token]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _bound(before: str) -> Bound | None:
    if _BEFORE_AT_LEAST.search(before):
        return "at least"
    if _BEFORE_AT_MOST.search(before):
        return "at most"
    if _BEFORE_ABOUT.search(before):
        return "about"
    return None


def parse_counts(text: str) -> list[Count]:
    """Counts and data sizes stated in ``text``, in text order.

    Args:
        text: a sentence or a claim.

    Returns:
        One :class:`Count` per number followed by what it counts or by a size unit. Years,
        figure and section numbers, percentages, multipliers ("3 times") and numbers without a
        counted noun are not counts.

    Example:
        >>> [(c.value, c.head) for c in parse_counts("We train on one hundred languages.")]
        [(100.0, 'languag')]
    """
    out: list[Count] = []
    for m in _NUMBER.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()]
        if _LABEL_BEFORE.search(before):
            continue
        if m.group("words"):
            value = _word_value(m.group("words"))
            precision = 0.0
        else:
            digits = m.group("digits").replace(",", "")
            value = float(digits)
            scale = 1.0
            if m.group("scale"):
                scale = _SCALES[m.group("scale").lower()]
            elif m.group("suffix"):
                scale = _SUFFIX[m.group("suffix").lower()]
            decimals = len(digits.split(".")[1]) if "." in digits else 0
            precision = 0.5 * 10.0**-decimals * scale if (decimals or scale > 1) else 0.0
            value *= scale
        if value is None:
            continue
        rest = text[m.end() :]
        size = _BYTES_UNIT.match(rest)
        if size:
            unit = size.group("unit").lower().rstrip("s")
            factor = _BYTES[unit]
            out.append(
                Count(
                    value * factor,
                    "byte",
                    text[m.start() : m.end() + size.end("unit")].strip(),
                    m.start(),
                    m.end() + size.end("unit"),
                    precision * factor,
                    _bound(before),
                )
            )
            continue
        if m.group("digits") and 1900 <= value <= 2100 and "." not in m.group("digits"):
            continue  # a year
        if m.group("words") and m.group("words").lower() in ("one", "a"):
            continue  # "one" counts only a size ("one terabyte"): "one of", "one model"
        words: list[tuple[str, int]] = []
        plural: str | None = None
        for w in _WORD_AFTER.finditer(rest):
            gap = rest[words[-1][1] if words else 0 : w.start()]
            if gap.strip() or len(words) == _MAX_COUNTED_WORDS:
                break  # punctuation (or anything but spaces) ends what is counted
            word = w.group().lower()
            if word in STOPWORDS or word in _WEAK_HEADS:
                break
            words.append((word, w.end()))
            if plural is None and _plural(w.group()):
                plural = word
        if not words or words[0][0] in _NOT_COUNTED or not content_words(words[0][0]):
            continue
        head = _noun(plural or words[-1][0])
        end = m.end() + words[-1][1]
        out.append(
            Count(
                value,
                head,
                text[m.start() : end],
                m.start(),
                end,
                precision,
                _bound(before),
            )
        )
    return out


def _interval(c: Count) -> tuple[float, float]:
    slack = c.precision
    if c.bound == "about":
        slack = max(slack, 0.1 * abs(c.value))
    if c.bound == "at least":
        return c.value - slack, float("inf")
    if c.bound == "at most":
        return 0.0, c.value + slack
    return c.value - slack, c.value + slack


def _agrees(claim: Count, ev: Count) -> bool | None:
    """True when ``ev`` states ``claim``'s count, False when it excludes it, None when it
    neither states nor excludes it ("more than two terabytes" against "2.5TB")."""
    lo_c, hi_c = _interval(claim)
    lo_e, hi_e = _interval(ev)
    if hi_c < lo_e - 1e-9 * abs(lo_e) or hi_e < lo_c - 1e-9 * abs(lo_c):
        # "About 100" is not contradicted by 105 (inside 10 %), but "about 50" is by 100.
        return False
    if lo_e >= lo_c - 1e-9 * abs(lo_c) and hi_e <= hi_c + 1e-9 * abs(hi_c):
        return True
    return None


_NAME = re.compile(r"(?<![\w-])[A-Za-z0-9][\w-]*[A-Za-z0-9]")


def _names(text: str) -> set[str]:
    """Model-like names: words with two capitals or letters and digits ("XLM-R", "mBERT",
    "GPT-3"), lower-cased."""
    out = set()
    for w in _NAME.findall(text):
        caps = sum(ch.isupper() for ch in w)
        if caps >= 2 or (caps and any(ch.isdigit() for ch in w)):
            out.add(w.lower())
    return out


def _related(name: str, names: set[str]) -> bool:
    """``name`` is one of ``names`` or a variant of one ("bert" in "mbert", "xlm-r")."""
    return any(name in other or other in name for other in names)


def _about_same(claim: str, sentence: str, count: Count, variants: bool = False) -> bool:
    """The sentence is about the claim's subject: at least half the claim's content stems
    outside its counts are in the sentence, and it does not name another model before the count
    where the claim names one it does not ("mBERT covers 104 languages" says nothing of XLM-R's
    count; "... on one hundred languages, using CommonCrawl data" may still be XLM-R's).

    With ``variants``, a name that holds or is held in one of the claim's ("BERT" for "mBERT")
    is not another model: an agreeing count may come from such a sentence ("a new release of
    BERT ... pretrained on 104 languages"), a contradicting one never does."""
    claim_names = _names(claim)
    subject_names = _names(sentence[: count.start])
    others = {n for n in subject_names - claim_names if not (variants and _related(n, claim_names))}
    if claim_names - _names(sentence) and others:
        return False

    def strip(text: str, counts: list[Count]) -> str:
        for k in sorted(counts, key=lambda k: -k.start):
            text = text[: k.start] + " " + text[k.end :]
        return text

    topic = stems(strip(claim, parse_counts(claim)))
    if not topic:
        return True
    words = stems(sentence)
    shared = sum(1 for t in topic if t in words)
    return shared / len(topic) >= 0.5


def check_counts(claim: str, evidence: list[str]) -> list[CountCheck]:
    """Check each count of ``claim`` against the counts of the evidence sentences.

    Args:
        claim: the claim text.
        evidence: evidence sentences, best first.

    Returns:
        One :class:`CountCheck` per count of the claim; empty when the claim states none.

    Example:
        >>> ev = ["We train a masked language model on one hundred languages."]
        >>> check_counts("XLM-R is trained on 50 languages.", ev)[0].status
        'contradicted'
    """
    checks: list[CountCheck] = []
    parsed = [(text, parse_counts(text)) for text in evidence]
    for c in parse_counts(claim):
        stated: CountCheck | None = None
        against: CountCheck | None = None
        for text, counts in parsed:
            for e in counts:
                if not c.same_thing(e) or not _about_same(claim, text, e, variants=True):
                    continue
                verdict = _agrees(c, e)
                if verdict is not True and not _about_same(claim, text, e):
                    continue
                if verdict is True:
                    stated = stated or CountCheck(
                        c.text,
                        "stated",
                        f"“{c.text}” is stated by “{e.text}” in “{_clip(text, e)}”",
                        text,
                        (e.start, e.end),
                    )
                elif verdict is False and against is None:
                    against = CountCheck(
                        c.text,
                        "contradicted",
                        f"the claim counts “{c.text}” but the evidence counts “{e.text}” in "
                        f"“{_clip(text, e)}”",
                        text,
                        (e.start, e.end),
                    )
        if stated is not None:
            checks.append(stated)
        elif against is not None:
            checks.append(against)
        else:
            checks.append(CountCheck(c.text, "unmatched", f"no evidence counts “{c.text}”"))
    return checks


def _clip(text: str, count: Count, reach: int = 50) -> str:
    lo = max(0, count.start - reach)
    hi = min(len(text), count.end + reach)
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")
