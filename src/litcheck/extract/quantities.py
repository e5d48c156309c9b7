"""Read the figures a sentence states, with the slots they belong to.

"Robust training improves accuracy on PAWS-X by 2.1 points over mBERT" becomes
``Quantity(delta=2.1, unit='points', metric='accuracy', dataset='PAWS-X', baseline='mBERT')``.
The parser is rule-based and deterministic: numbers are found with regular expressions,
references (years, "Table 3", "Section 4.2", citations, list markers, names such as XLM-R or
GPT-4) are dropped, ranges ("79-86%", "between 1.00 and 1.25"), changes ("from 72.3 to
74.4"), uncertainties ("74.2 ± 0.3") and signed changes ("improves by", "drops by", "2.1
points higher than") are recognised, and each figure takes the metric, dataset, languages,
model and setting named nearest to it in the sentence (or in the table context given).

Units follow what is written: ``%`` for percentages, ``points`` for points / percentage points
/ "% absolute", ``x`` for ratios ("3x", "1.5 times"), ``absolute`` for a bare figure of a named
metric ("an F1 of 67.3"), and ``None`` for counts and other bare numbers.

A figure is a slot, and the parser fills each part of it the way the sentence states it:
"a 2.4% relative improvement on PAWS-X" is a relative change (``relative=True``) on PAWS-X, the
dataset named in its own clause; "within 1.1 points" bounds a difference (``bound='at most'``),
it is not an accuracy of 1.1; "outperforms mBERT by 2.1 points" is a delta against the baseline
mBERT; "from 72.3 to 74.4" has ``baseline_value=72.3``, ``value=74.4`` and ``delta=+2.1``;
"improves by 3-5%" is a range of changes with ``direction='increase'``.

Numbers a double cannot hold or compare ("1e999", a 400-digit string, a 5,000-digit exponent)
never raise: they are kept as text with ``numeric=False`` and the reason in ``note``, so that
every quantity serialises to standard JSON.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import pairwise

from litcheck.extract.vocab import Mention, find_mentions, words
from litcheck.models import Quantity

__all__ = ["NumberReading", "parse_quantities", "read_number"]

#: Significant digits beyond which a written number is text, not a figure: a double holds
#: about 17, and no measurement is reported to 20.
MAX_DIGITS = 20
#: Magnitude beyond which a number is text: sums and differences of two such numbers stay
#: finite, so no derived figure (a delta, a range) can overflow.
MAX_MAGNITUDE = 1e300
_MAX_EXPONENT = 300

_NUMBER = re.compile(
    r"(?<![\w.,/^_\\])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:[eE](?P<exp>[+\-−]?\d+))?"
    r"(?P<mult>[kKMB](?![\w]))?"
)
_MINUS = "\\-−–"
_REFERENCE_WORDS = frozenset(
    words(
        "table tab tabs tables figure fig figs figures section sec secs sections § eq eqs equation "
        "equations appendix theorem thm thms lemma corollary proposition prop definition def step "
        "chapter algorithm alg claim claims rq phase part line lines row rows column col version "
        "v stage layer rule exp experiment setting case task level round iteration no number "
        "footnote page pages pp. ch"
    )
)
_COUNT_NOUNS = frozenset(words("gb mb tb kb days hours minutes seconds years months weeks k m"))
_NON_COUNT_WORDS = frozenset(
    words(
        "on in for and to of with at than higher lower better worse more less over from across "
        "per vs vs. versus compared or when after before by under above below while which that "
        "the a an is are was were respectively on average relative absolute overall"
    )
)
_POSITIVE = re.compile(
    r"improv|gain|increas|boost|rais|\brise|\brose|outperform|surpass|exceed|better|higher|"
    r"\bhelp|benefit|\badd|\bup\b|climb|jump|grow|grew|advantage|margin|above"
)
_NEGATIVE = re.compile(
    r"drop|decreas|reduc|declin|degrad|\bfall|\bfell|\blos[et]|\bloses|\bloss|lower|hurt|worse|"
    r"shrink|shrank|\bcut|\bdown\b|harm|diminish|deteriorat|below|penalt|cost|\btrail|\blag|"
    r"behind|short\s+of"
)
_CHANGE_VERB = re.compile(
    r"(?:improv|increas|ris|rose|drop|decreas|fall|fell|grow|grew|go|went|jump|climb|declin|"
    r"reduc|rais|boost|chang|mov|shrink|shrank|lower|degrad|gain|los|outperform|surpass|exceed|"
    r"beat|hurt|help|benefit|widen|narrow|fluctuat|vary|varies|differ|trail|lag)\w*"
)
_QUALIFIER = (
    r"(?:about|around|roughly|nearly|almost|over|up to|more than|less than|only|just|an average "
    r"of|on average|a further|approximately|~|≈|at least|at most)"
)
_DELTA_PRE = re.compile(rf"\bby\s+(?:{_QUALIFIER}\s+)?[+]?$")
_DELTA_NOUN_OF = re.compile(
    r"(?:improvement|gain|increase|boost|drop|decrease|reduction|degradation|loss|decline|"
    r"deterioration|margin|difference|gap|change)s?\s+(?:\w+\s+)?of\s+"
    rf"(?:{_QUALIFIER}\s+)?[+]?$"
)
# "the gain for Urdu over XLM is 11.4%": a change named as the subject of the figure ("loss"
# is left out: "the loss is 0.35" is a training loss, not a drop).
_DELTA_NOUN_IS = re.compile(
    r"\b(?:improvement|gain|increase|boost|drop|decrease|reduction|degradation|decline|margin|"
    r"difference|gap)s?\b(?:\s+[\w'-]+){0,6}?\s+(?:is|was|are|were|amounts\s+to|reache[sd]|"
    rf"stands\s+at)\s+(?:{_QUALIFIER}\s+)?[+]?$"
)
# A change verb right before its figure: "improving 15.7% in XNLI accuracy", "gains 2 points".
_DELTA_VERB_DIRECT = re.compile(
    r"\b(?:gains?|gained|gaining|loses?|lost|losing|adds?|added|drops?|dropped|dropping|"
    r"improv(?:es|ed|ing)|increas(?:es|ed|ing)|boost(?:s|ed|ing)|rais(?:es|ed|ing)|"
    r"decreas(?:es|ed|ing)|reduc(?:es|ed|ing)|declin(?:es|ed|ing)|degrad(?:es|ed|ing))\s+"
    rf"(?:{_QUALIFIER}\s+)?[+]?$"
)
# A change named after its figure, possibly qualified: "(7.7% point absolute improvement)".
_POST_QUALIFIER = r"(?:(?:absolute|relative|average|overall|further|additional)\s+)?"
_POST_POSITIVE = re.compile(
    rf"^\s*{_POST_QUALIFIER}(?:higher|better|more\b|above|improvement|gain|increase|boost|up\b|"
    r"advantage)"
)
_POST_NEGATIVE = re.compile(
    rf"^\s*{_POST_QUALIFIER}(?:lower|worse|less\b|below|drop|decrease|decline|reduction|"
    r"degradation|down\b|loss)"
)
# The change noun a word or two after its figure, across the metric it changes: "15.7%
# accuracy gains", "a 2-point F1 drop". Only words that are not also verbs of the sentence
# ("80% accuracy increases with scale") and not metrics ("loss").
_POST_GAP = (
    r"^\s*(?:(?!(?:and|or|but|the|a|an|of|to|in|on|at|for|with|from|by|as|is|are|was|were|be|"
    r"its|their|this|that|these|those|while|whereas)\b)[a-z][\w-]*\s+){1,2}?"
)
_POST_POSITIVE_GAP = re.compile(rf"{_POST_GAP}(?:improvements?|gains?)\b")
_POST_NEGATIVE_GAP = re.compile(rf"{_POST_GAP}(?:drop|reductions?|degradations?)\b")
# "a 2.4% relative improvement", "12% relative to the baseline", "a relative gain of 4%".
_RELATIVE_AFTER = re.compile(r"^\s*(?:relative|relatively)\b")
_RELATIVE_BEFORE = re.compile(r"\brelative(?:ly)?\s+(?:[\w-]+\s+){0,3}$")
_AT_MOST = re.compile(
    r"(?:\bwithin|\bup\s+to|\bat\s+most|\bno\s+more\s+than|\bless\s+than|\bfewer\s+than|"
    r"\bunder|\bbelow|≤|<)\s*[+]?$"
)
_AT_LEAST = re.compile(
    r"(?:\bat\s+least|\bmore\s+than|\bover|\bno\s+less\s+than|\babove|\bexceeding|≥|>)\s*[+]?$"
)
_WITHIN = re.compile(r"\bwithin\s*[+]?$")
_UNIT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s?(?:%|percent)\s*(?:absolute\b|abs\.|points?\b|pts\b)", re.I), "points"),
    (re.compile(r"^\s?(?:percentage|%)[- ]points?\b", re.I), "points"),
    (re.compile(r"^\s?(?:%|percent\b)", re.I), "%"),
    (re.compile(r"^(?:\s?(?:points?|pts?\.?|pp\b|p\.p\.)|-points?\b)", re.I), "points"),
    (re.compile(r"^\s?absolute\b", re.I), "points"),
    (re.compile(r"^(?:\s?[x×](?![\w])|\s?times\b|-?fold\b)", re.I), "x"),
]
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:but|while|whereas)\b|\bbut\b|\bwhereas\b|\bwhile\b")
# A training language is not the figure's: "fine-tuned on PAWS English" (a dataset's name may
# stand between).
_LANG_EXCLUDE_BEFORE = re.compile(
    r"(?:\bfrom|(?:trained|fine-tuned|training|fine-tuning|pre-trained)\s+on(?:\s+the)?"
    r"(?:\s+[\w-]+)?)\s*$",
    re.I,
)
_LANG_EXCLUDE_AFTER = re.compile(
    r"^(?:(?:\s+[A-Z][\w-]*)?\s+(?:training|train|only|source|intermediate)\b|-only\b)"
)
_NON_LANGUAGE = re.compile(r"\bnon-[A-Z][a-z]+\b")
_BASELINE_CUE = re.compile(
    r"(?:\bthan|\bover|compared\s+(?:to|with)|\bvs\.?|versus|relative\s+to|against"
    r"|\boutperforms?|\boutperforming|\bbeats?|\bsurpass(?:es)?"
    r"|\b(?:improves?|improved|improvements?|gains?)\s+on)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:\()?$",
    re.I,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_METRIC_REACH = 12
# "... on NER": a figure followed, in its own clause, by "on/for <Name>" names its own benchmark;
# a dataset mentioned earlier across a comma or "and" then belongs to another figure.
_OWN_TARGET = re.compile(r"^[^,;]{0,40}?\b(?:on|for)\s+(?:the\s+)?([A-Z][\w-]*[A-Z0-9][\w-]*)")


@dataclass(frozen=True)
class NumberReading:
    """A written number read as a float, or the reason it cannot be.

    ``value`` is None (and ``note`` says why) when the number is out of range: too many
    digits, an exponent beyond ±300 or a magnitude beyond 1e300.
    """

    value: float | None
    decimals: int
    note: str | None = None


def read_number(mantissa: str, exponent: str | None = None, scale: float = 1.0) -> NumberReading:
    """Read a written number without ever raising on its size.

    ``float("1e999")`` is ``inf`` (not JSON), ``10.0 ** 999`` raises OverflowError and
    ``int()`` of a 5,000-digit exponent raises ValueError; this reads the digits first and
    keeps anything out of range as text.

    Args:
        mantissa: digits with an optional decimal point and thousands commas ("49,401", "2.1").
        exponent: the digits after ``e`` with an optional sign ("-5", "+999", "−3"), or None.
        scale: a multiplier written after the number (1e3 for "250k").

    Returns:
        The value and its decimal places (as written, shifted by the exponent), or a reading
        with ``value=None`` and a ``note``.

    Example:
        >>> read_number("2", "-5").value
        2e-05
        >>> read_number("1", "999").note
        'exponent 999 is out of range (beyond ±300): kept as text'
    """
    digits = mantissa.replace(",", "")
    if not re.fullmatch(r"\d*\.?\d*", digits) or not re.search(r"\d", digits):
        return NumberReading(None, 0, f"{_clip(mantissa)!r} is not a number: kept as text")
    significant = len(digits.replace(".", "").lstrip("0"))
    if significant > MAX_DIGITS:
        return NumberReading(
            None,
            0,
            f"a {significant}-digit number is longer than any measured figure "
            f"(at most {MAX_DIGITS} digits): kept as text",
        )
    decimals = len(digits.partition(".")[2])
    shift = 0
    if exponent:
        sign = "-" if exponent[:1] in "-−" else ""
        body = exponent.lstrip("+-−").lstrip("0") or "0"
        if not body.isdigit() or len(body) > 3 or int(body) > _MAX_EXPONENT:
            return NumberReading(
                None,
                0,
                f"exponent {sign}{_clip(body)} is out of range (beyond ±{_MAX_EXPONENT}): "
                "kept as text",
            )
        shift = int(sign + body)
    value = float(f"{digits}e{shift}") * scale
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return NumberReading(
            None, 0, f"{_clip(mantissa)}e{shift} is out of range (beyond 1e300): kept as text"
        )
    return NumberReading(value, max(0, decimals - shift))


def _clip(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 2 :]}"


@dataclass
class _Num:
    start: int
    end: int
    value: float
    decimals: int
    sign: str = ""
    note: str | None = None


@dataclass
class _Draft:
    start: int
    end: int
    anchor: int
    decimals: int
    value: float | None = None
    delta: float | None = None
    low: float | None = None
    high: float | None = None
    error: float | None = None
    unit: str | None = None
    count: bool = False
    languages: list[str] = field(default_factory=list)
    baseline_value: float | None = None
    relative: bool = False
    direction: str | None = None
    bound: str | None = None
    note: str | None = None


def _numbers(text: str) -> list[_Num]:
    out: list[_Num] = []
    for m in _NUMBER.finditer(text):
        start, end = m.span()
        if start >= 2 and text[start - 1] in "-–" and text[start - 2].isalpha():
            continue  # part of a name: GPT-4, COVID-19, XLM-17
        after = text[end : end + 2]
        # Glued letters make a name or an ordinal (2D, 4th, mT5 is caught by the lookbehind),
        # except ratio marks (3x), handled as units.
        if after[:1].isalpha() and not re.match(r"[x×](?![\w])", after):
            continue
        if (
            after[:1] == "-"
            and after[1:2].isalpha()
            and not re.match(r"-(?:points?|fold)\b", text[end : end + 8], re.I)
        ):
            continue  # a compound modifier: 12-layer, 0-shot, 16-bit
        if after[:1] == "/" and after[1:2].isdigit():
            continue  # a fraction or a score such as 47/48
        if after[:1] == "." and after[1:2].isdigit():
            continue  # section numbers: 3.4.1
        mult = m.group("mult")
        reading = read_number(
            m.group("num"),
            m.group("exp"),
            {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}[mult] if mult else 1.0,
        )
        value = reading.value if reading.value is not None else 0.0
        decimals = 0 if mult else reading.decimals
        sign = ""
        prefix = text[max(0, start - 4) : start]
        pm = re.search(r"(±|\+/-|\+-)\s?$", prefix)
        if pm:
            sign, start = "±", start - (len(prefix) - pm.start())
        else:
            pm = re.search(rf"([+{_MINUS}])\s?$", prefix)
            lead = text[: start - (len(prefix) - pm.start())] if pm else ""
            if pm and (not lead or lead[-1] in " \t\n([=:~≈"):
                sign = "+" if pm.group(1) == "+" else "-"
                start -= len(prefix) - pm.start()
        out.append(_Num(max(start, 0), m.end(), value, decimals, sign, reading.note))
    return out


def _is_reference(text: str, num: _Num) -> bool:
    if num.note is not None:
        return False  # out of range: kept (as text), whatever precedes it
    raw = text[num.start : num.end].lstrip("+-−–± ")
    before = text[: num.start]
    word = re.search(r"([A-Za-z§.]+)\.?\s*(?:\(|\[)?$", before)
    if word and word.group(1).lower().rstrip(".") in _REFERENCE_WORDS | {"§"}:
        return True
    if before.endswith("§") or before.rstrip().endswith("§"):
        return True
    unit_after = _unit(text, num.end)[0] is not None
    if _YEAR.match(raw) and not unit_after:
        return True
    # Bracketed citations [12] or [3, 14] and list markers "1)" / "(ii)".
    if re.search(r"\[[\d,\s–-]*$", before) and re.match(r"^[\d,\s–-]*\]", text[num.end :]):
        return True
    if (
        text[num.end : num.end + 1] == ")"
        and not re.search(r"\(\s*[+\-−]?$", before)
        and re.search(r"(?:^|[;:,]\s*|\s)$", before)
        and num.decimals == 0
        and num.value < 20
    ):
        return True
    # An inline enumeration: "the trade-offs between (1) positive transfer and (2) the ...".
    if (
        re.search(r"(?:^|\s)\(\s*$", before)
        and re.match(r"\)\s+[A-Za-z]", text[num.end :])
        and num.decimals == 0
        and num.value < 10
    ):
        return True
    # A heading such as "2 Related Work": a leading integer in a line with no full stop.
    return (
        not before.strip()
        and num.decimals == 0
        and not text.rstrip().endswith((".", "!", "?"))
        and re.match(r"^\s+[A-Z]", text[num.end :]) is not None
    )


def _unit(text: str, end: int) -> tuple[str | None, int]:
    tail = text[end : end + 24]
    for pattern, unit in _UNIT_PATTERNS:
        m = pattern.match(tail)
        if m:
            return unit, end + m.end()
    return None, end


def _clause_before(text: str, start: int) -> str:
    window = text[max(0, start - 90) : start].lower()
    breaks = list(_CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _polarity(clause: str) -> int:
    pos = [m.end() for m in _POSITIVE.finditer(clause)]
    neg = [m.end() for m in _NEGATIVE.finditer(clause)]
    if not pos and not neg:
        return 0
    return 1 if (max(pos) if pos else -1) > (max(neg) if neg else -1) else -1


def _is_count(text: str, end: int, unit: str | None) -> bool:
    if unit is not None:
        return False
    words = re.findall(r"[A-Za-z][\w-]*", text[end : end + 40])[:3]
    for word in words:
        lower = word.lower()
        if lower in _NON_COUNT_WORDS:
            return False
        if lower in _COUNT_NOUNS or (word.islower() and lower.endswith("s") and len(word) > 3):
            return True
        if not word.isupper() and not find_mentions(word):
            return False
    return False


def _change_sign(clause: str) -> int:
    """+1 / -1 when the clause before a figure states a change of it ("improves by", "a drop of",
    "gains"), 0 when it states none."""
    if (
        _DELTA_NOUN_OF.search(clause)
        or _DELTA_VERB_DIRECT.search(clause)
        or _DELTA_NOUN_IS.search(clause)
        or (_DELTA_PRE.search(clause) and _CHANGE_VERB.search(clause))
    ):
        return _polarity(clause) or 1
    return 0


def _bound(before: str) -> str | None:
    """'at most' / 'at least' when the words right before a figure bound it."""
    if _AT_MOST.search(before):
        return "at most"
    if _AT_LEAST.search(before):
        return "at least"
    return None


def _drafts(text: str, nums: list[_Num]) -> list[_Draft]:
    drafts: list[_Draft] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        b = nums[i + 1] if i + 1 < len(nums) else None
        if b is not None and b.note is not None:
            b = None  # an out-of-range number never pairs into a range or a ± figure
        gap = text[a.end : b.start] if b else ""
        before = text[: a.start].lower()
        if a.note is not None:
            unit, end = _unit(text, a.end)
            drafts.append(_Draft(a.start, end, a.start, 0, unit=unit, note=a.note))
            i += 1
            continue
        if a.sign == "±":
            unit, end = _unit(text, a.end)
            drafts.append(_Draft(a.start, end, a.start, a.decimals, error=a.value, unit=unit))
            i += 1
            continue
        if b is not None and b.sign == "±" and re.fullmatch(r"\s*\(?\s*", gap):
            unit, end = _unit(text, b.end)
            if unit is None:
                unit, _ = _unit(text, a.end)
            closing = re.match(r"\s*\)", text[end:])
            if closing and unit is None:
                unit, end2 = _unit(text, end + closing.end())
                end = end2 if unit else end
            val = -a.value if a.sign == "-" else a.value
            drafts.append(
                _Draft(a.start, end, a.start, a.decimals, value=val, error=b.value, unit=unit)
            )
            i += 2
            continue
        range_gap = (
            re.fullmatch(
                r"(?:\s?(?:%|points?|pp))?(?:\s*(?:–|—|--|to)\s*|-)\+?", gap.replace("+", "", 1)
            )
            if b
            else None
        )
        between = (
            b is not None
            and re.search(r"between\s*$", before) is not None
            and re.fullmatch(r"(?:\s?(?:%|points?))?\s+and\s+", gap) is not None
        )
        if b is not None and (range_gap or between) and b.sign != "±":
            unit, end = _unit(text, b.end)
            lo, hi = a.value, b.value
            if a.sign == "-":
                lo = -lo
            frm = re.search(r"from\s*$", before) is not None
            clause = _clause_before(text, a.start)
            change = frm and _CHANGE_VERB.search(clause.rsplit("from", 1)[0]) is not None
            draft = _Draft(a.start, end, a.start, max(a.decimals, b.decimals), unit=unit)
            if change:
                # "rises from 72.3 to 74.4": the baseline, the value reached, and the change.
                draft.value = hi
                draft.baseline_value = lo
                draft.delta = round(hi - lo, max(a.decimals, b.decimals))
                draft.low, draft.high = min(lo, hi), max(lo, hi)
                draft.anchor = b.start
            else:
                draft.low, draft.high = lo, hi
                # "improves by 3-5%", "reducing the error by 18-24%": a range of changes; the
                # ends stay as written and direction carries the sign.
                sign = 0 if frm else _change_sign(clause)
                if sign:
                    draft.direction = "increase" if sign > 0 else "decrease"
                    draft.relative = unit == "%" and _RELATIVE_AFTER.match(text[end:]) is not None
                draft.bound = _bound(text[max(0, a.start - 20) : a.start].lower())
            drafts.append(draft)
            i += 2
            continue
        unit, end = _unit(text, a.end)
        draft = _Draft(a.start, end, a.start, a.decimals, unit=unit)
        value = a.value
        if b is not None and b.sign == "±" and re.fullmatch(r"\s*\(\s*", text[end : b.start]):
            # "65.4% (±0.5)": the uncertainty belongs to the figure before it.
            draft.error = b.value
            closing = re.match(r"\s*\)", text[b.end :])
            draft.end = b.end + (closing.end() if closing else 0)
            i += 1
        clause = _clause_before(text, a.start)
        post = text[end : end + 40].lower()
        draft.count = _is_count(text, end, unit)
        draft.bound = _bound(text[max(0, a.start - 20) : a.start].lower())
        relative = unit != "points" and (
            _RELATIVE_AFTER.match(post) is not None or _RELATIVE_BEFORE.search(clause) is not None
        )
        sign = 0
        if a.sign == "+":
            sign = 1
        elif draft.bound == "at most" and _WITHIN.search(clause):
            # "within 1.1 points (of English)": a bound on a difference, in no direction.
            draft.delta, draft.direction = value, "none"
            drafts.append(draft)
            i += 1
            continue
        if not sign and not draft.count:
            sign = _change_sign(clause)
        if not sign:
            if _POST_POSITIVE.match(post) or _POST_POSITIVE_GAP.match(post):
                sign = 1
            elif (
                _POST_NEGATIVE.match(post)
                or _POST_NEGATIVE_GAP.match(post)
                or (a.sign == "-" and unit == "points")
            ):
                sign = -1
            elif relative:
                # "a relative 2.4%", "2.4% relative to mBERT": "relative" alone states a change.
                sign = _polarity(clause) or 1
        if sign:
            draft.delta = -value if (sign < 0 or a.sign == "-") else value
            draft.relative = relative
        else:
            draft.value = -value if a.sign == "-" else value
        drafts.append(draft)
        i += 1
    return drafts


_CONJUNCTION = re.compile(r",|;|\band\b|\bbut\b|\bwhile\b|\bwhereas\b|\bcompared\b")


def _distance(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Words between two spans, plus a penalty for each conjunction or comma crossed."""
    lo, hi = (a_end, b_start) if a_end <= b_start else (b_end, a_start)
    if hi <= lo:
        return 0
    gap = text[lo:hi]
    return len(gap.split()) + 10 * len(_CONJUNCTION.findall(gap))


def _share_across_lists(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """In "by 4.1 and 3.7 points", both figures are deltas in points."""
    for left, right in pairwise(drafts):
        # "by 15.7% for Swahili and 11.4% for Urdu", "improving 15.7% in XNLI accuracy for
        # Swahili and 11.4% for Urdu": up to two short slot phrases may sit between.
        gap = text[left.end : right.start]
        if left.note is not None or right.note is not None:
            continue
        if not re.fullmatch(
            r"\s*(?:(?:for|on|in)\s+[\w-]+(?:\s+[\w-]+)?\s*){0,2}(?:,|and|or|,\s*and)\s*", gap
        ):
            continue
        if left.unit is None and right.unit is not None:
            left.unit = right.unit
            left.count = False
        if left.delta is not None and right.value is not None and right.delta is None:
            sign = -1.0 if left.delta < 0 else 1.0
            right.delta, right.value = sign * right.value, None
            right.relative = right.relative or left.relative
    return drafts


def _nearest(
    text: str, mentions: list[Mention], d: _Draft, reach: int | None = None
) -> Mention | None:
    best: Mention | None = None
    best_distance = 0
    for m in mentions:
        distance = _distance(text, d.start, d.end, m.start, m.end)
        if reach is not None and distance > reach:
            continue
        if best is None or distance < best_distance:
            best, best_distance = m, distance
    return best


# "fine-tuned on MultiNLI", "intermediate training on MNLI": a dataset a model was trained on
# is not the one a figure is measured on, unless the sentence names no other.
_TRAINED_ON = re.compile(
    r"(?:\btrain(?:ed|ing)?|fine-?tun(?:ed|ing)|pre-?train(?:ed|ing)|intermediate(?:\s+task)?"
    r"(?:\s+(?:training|fine-?tuning))?)\s+(?:only\s+)?on\s+(?:the\s+)?$",
    re.I,
)


def _dataset_of(
    text: str, d: _Draft, datasets: list[Mention], mentions: list[Mention]
) -> Mention | None:
    """The benchmark a figure is measured on: the one its own clause names ("a 2.4% relative
    improvement on PAWS-X"), else the nearest one that is not training data."""
    own = _OWN_TARGET.match(text[d.end :])
    if own is not None:
        own_start = d.end + own.start(1)
        hit = next((m for m in datasets if m.start <= own_start < m.end), None)
        if hit is not None:
            return hit
        if not any(m.start <= own_start < m.end for m in mentions):
            # Its own target is an unlisted benchmark (NER, SQuAD 2.0 ...): don't borrow.
            return None
    evaluated = [
        m for m in datasets if not _TRAINED_ON.search(text[max(0, m.start - 60) : m.start])
    ]
    return _nearest(text, evaluated or datasets, d)


def _context_language(context: str, mentions: list[Mention]) -> str | None:
    """The language a context gives the figures of a sentence that names none: its first.

    A language the context sets aside, as the training or source language ("fine-tuned on
    English", "English intermediate-task training"), is passed over; a context that speaks of
    its targets as "non-English" gives none (its figures are for the other languages).
    """
    if _NON_LANGUAGE.search(context):
        return None
    for m in mentions:
        if (
            m.slot == "language"
            and not _LANG_EXCLUDE_BEFORE.search(context[: m.start])
            and not _LANG_EXCLUDE_AFTER.match(context[m.end :])
        ):
            return m.name
    return None


def parse_quantities(text: str, context: str | None = None) -> list[Quantity]:
    """The figures ``text`` states, each with its metric, dataset, languages and model.

    Args:
        text: one sentence (or a table row rendered as text).
        context: text whose names fill slots the sentence leaves empty, e.g. a table caption
            and header ("Zero-shot accuracy (%) on XNLI"); its numbers are ignored.

    Returns:
        Quantities in the order they appear; empty when the text states no figure.

    Example:
        >>> q = parse_quantities("Accuracy improves by 2.1 points on PAWS-X.")[0]
        >>> q.delta, q.unit, q.metric, q.dataset
        (2.1, 'points', 'accuracy', 'PAWS-X')
    """
    norm = text.replace("\\%", " %").replace("$", " ").replace("~", " ")
    nums = [n for n in _numbers(norm) if not _is_reference(norm, n)]
    if not nums:
        return []
    mentions = find_mentions(norm)
    # A number inside a model or dataset name ("LLaMA-2-7B", "ResNet-50") is part of the name.
    names = [(m.start, m.end) for m in mentions if m.slot in ("model", "dataset")]
    nums = [n for n in nums if not any(a <= n.start and n.end <= b for a, b in names)]
    if not nums:
        return []
    drafts = _share_across_lists(norm, _drafts(norm, nums))
    by_slot: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_slot.setdefault(mention.slot, []).append(mention)
    ctx = find_mentions(context, codes=True) if context else []
    ctx_first: dict[str, str] = {}
    for mention in ctx:
        if mention.slot != "language":
            ctx_first.setdefault(mention.slot, mention.name)
    ctx_language = _context_language(context, ctx) if context else None
    if ctx_language is not None:
        ctx_first["language"] = ctx_language
    if context and "(%)" in context:
        for d in drafts:
            d.unit = d.unit or "%"

    # A sentence that names languages itself, if only to set them aside ("fine-tuned on
    # English", "across the non-English languages"), takes none from its context.
    speaks_of_languages = bool(by_slot.get("language")) or _NON_LANGUAGE.search(norm) is not None
    # Each language goes to its nearest figure; "respectively" pairs them in order.
    languages = [
        m
        for m in by_slot.get("language", [])
        if not _LANG_EXCLUDE_BEFORE.search(norm[: m.start])
        and not _LANG_EXCLUDE_AFTER.match(norm[m.end :])
    ]
    if "respectively" in norm and len(languages) == len(drafts) > 1:
        for draft, lang in zip(drafts, languages, strict=True):
            draft.languages.append(lang.name)
    else:
        for lang in languages:
            target = min(
                drafts, key=lambda d: _distance(norm, d.start, d.end, lang.start, lang.end)
            )
            if lang.name not in target.languages:
                target.languages.append(lang.name)

    models = by_slot.get("model", [])
    baselines = [m for m in models if _BASELINE_CUE.search(norm[max(0, m.start - 30) : m.start])]
    # "multilingual BERT (mBERT)" names the baseline twice: neither mention is a subject.
    baseline_names = {m.name for m in baselines}
    subjects = [m for m in models if m.name not in baseline_names]
    out: list[Quantity] = []
    previous: tuple[_Draft, Mention | None] | None = None
    for d in drafts:
        metric = None if d.count else _nearest(norm, by_slot.get("metric", []), d, _METRIC_REACH)
        if (
            metric is None
            and not d.count
            and previous is not None
            and previous[1] is not None
            and _CONJUNCTION.search(norm[previous[0].end : d.start])
        ):
            # "73.5 on XNLI and 84.1 on PAWS-X": a listed figure keeps the metric before it.
            metric = previous[1]
        if not d.count:
            previous = (d, metric)
        dataset = _dataset_of(norm, d, by_slot.get("dataset", []), mentions)
        model = _nearest(norm, subjects, d)
        baseline = _nearest(norm, baselines, d)
        setting = _nearest(norm, by_slot.get("setting", []), d)
        method = _nearest(norm, by_slot.get("method", []), d)
        metric_name = metric.name if metric else (None if d.count else ctx_first.get("metric"))
        unit = d.unit
        if unit is None and metric_name is not None:
            unit = "absolute"
        langs = d.languages or (
            [ctx_first["language"]] if "language" in ctx_first and not speaks_of_languages else []
        )
        direction = d.direction or (
            "increase"
            if d.delta is not None and d.delta > 0
            else "decrease"
            if d.delta is not None and d.delta < 0
            else "none"
        )
        out.append(
            Quantity(
                value=d.value,
                delta=d.delta,
                low=d.low,
                high=d.high,
                error=d.error,
                baseline_value=d.baseline_value,
                relative=d.relative,
                direction=direction,
                bound=d.bound,
                numeric=d.note is None,
                note=d.note,
                unit=unit,
                precision=d.decimals,
                metric=metric_name,
                dataset=dataset.name if dataset else ctx_first.get("dataset"),
                languages=langs,
                model=model.name if model else ctx_first.get("model"),
                method=method.name if method else ctx_first.get("method"),
                baseline=baseline.name if baseline else None,
                setting=setting.name if setting else ctx_first.get("setting"),
                text=text[d.start : d.end].strip(),
            )
        )
    return out
