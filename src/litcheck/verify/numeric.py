"""Numbers as numbers: check a claim's figures against the figures evidence states.

A figure is a slot: its value (or range, or bound), unit, whether it is a change and whether
that change is absolute or relative, its direction, and the metric, dataset, language, setting
and baseline it is a figure of. Each result figure of a claim (a value with a decimal point, a
percentage, points, a ratio, or a change such as "improves by 2.1 points") is:

- **stated** when evidence states the same figure for the same slot, within the tolerance its
  precision implies (a range containing an evidence figure, a bound the evidence figure obeys);
- **computed** when it follows from figures the evidence states for that slot: a delta from two
  values of one sentence or table column, a relative change from two values;
- **contradicted** when evidence states another figure in the same slot: same dataset, metric,
  language and setting, every part the claim names also named by the evidence;
- **unmatched** otherwise: the reason says which part of the slot found no match ("no evidence
  figure for accuracy on XNLI for Urdu (+11.4%); the nearest, +15.7% in “…”, is for Swahili,
  not Urdu").

The claim is SUPPORTED when every figure is stated or computed, CONTRADICTED when one is
contradicted, and otherwise the checker **abstains**: it never makes a verdict CONTRADICTED for
want of a figure. An abstention still forbids SUPPORTED (a claim about a figure no evidence
states is not supported, however similar the words: a cross-encoder reads "2.1" and "1.6" as
near-synonyms), so without the text judge's label it answers NOT_ENOUGH_INFO, and with it
(``check_numbers(..., text_label=...)``) it lets a CONTRADICTED or NOT_ENOUGH_INFO stand.
:func:`apply_numeric` turns the text judge's label and the result into the verdict and the
reason to show.

Figures come from the extractor's quantity parser (``litcheck.extract.quantities``), so a
figure's slot is read the same way in claims and in evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from litcheck.extract.quantities import read_number
from litcheck.extract.vocab import LANGUAGE_NAMES, names_in
from litcheck.models import Label, Quantity
from litcheck.verify.counts import check_counts
from litcheck.verify.text import content_words

__all__ = [
    "CONTRADICT_CONFIDENCE",
    "SUPPORT_CONFIDENCE",
    "Figure",
    "FigureCheck",
    "NumericResult",
    "apply_numeric",
    "check_numbers",
    "parse_figures",
]

#: Confidence the checker gives its own decisions (fixed by design, reported in benchmarks).
SUPPORT_CONFIDENCE = 0.9
CONTRADICT_CONFIDENCE = 0.85

DATASETS = (
    "PAWS-X",
    "XNLI",
    "MLQA",
    "XQuAD",
    "TyDiQA",
    "TyDi QA",
    "SQuAD",
    "GLUE",
    "SuperGLUE",
    "XTREME-R",
    "XTREME",
    "XGLUE",
    "WikiANN",
    "PAN-X",
    "UDPOS",
    "POS",
    "NER",
    "BUCC",
    "Tatoeba",
    "MNLI",
    "MultiNLI",
    "SNLI",
    "SST-2",
    "CoNLL",
    "ImageNet",
    "CIFAR-10",
    "CIFAR-100",
    "WMT",
    "MT-Bench",
    "MMLU",
    "GSM8K",
    "HellaSwag",
)
METRICS = (
    "accuracy",
    "acc",
    "F1",
    "EM",
    "exact match",
    "BLEU",
    "ROUGE",
    "AUC",
    "precision",
    "recall",
    "perplexity",
    "error rate",
    "WER",
    "mAP",
    "top-1",
    "top-5",
)
_DATASET_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(d) for d in sorted(DATASETS, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)
_METRIC_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(m) for m in sorted(METRICS, key=len, reverse=True))
    + r")(?![\w-])",
    re.I,
)
_LANGUAGE_BY_CODE: dict[str, str] = {}
for _name, _code in LANGUAGE_NAMES.items():
    _LANGUAGE_BY_CODE.setdefault(_code, _name)

Status = Literal["stated", "computed", "contradicted", "unmatched", "not numeric"]


@dataclass(frozen=True)
class Figure:
    """A number stated in a text, with the slot it is a number of.

    A range ("3-5%") is ``value``..``high``; a change's range is signed (a decrease of 18-24%
    is -24..-18). ``bound`` marks "within 1.1 points" (``'at most'``, on a difference) and
    "more than 9 BLEU" (``'at least'``).
    """

    value: float
    is_delta: bool
    unit: str | None
    precision: int
    start: int
    dataset: str | None = None
    metric: str | None = None
    languages: tuple[str, ...] = ()
    end: int | None = None
    setting: str | None = None
    baseline: str | None = None
    relative: bool = False
    bound: str | None = None
    high: float | None = None
    text: str = ""
    model: str | None = None

    @property
    def tolerance(self) -> float:
        """Half a unit of the last stated digit: 2.1 covers [2.05, 2.15]."""
        return 0.5 * 10.0 ** -min(self.precision, 300)

    @property
    def span(self) -> tuple[int, int]:
        """Character span of the figure in the text it was read from."""
        return self.start, self.end if self.end is not None else self.start + len(self.text)


@dataclass(frozen=True)
class FigureCheck:
    """How one figure of the claim fared against the evidence.

    ``evidence_span`` is the character span of the matched (or nearest) evidence figure in
    ``evidence_text``; for a figure computed from two values it spans both.
    """

    claim_figure: str
    slot: str
    status: Status
    reason: str
    evidence_value: float | None = None
    evidence_figure: str | None = None
    evidence_text: str | None = None
    evidence_span: tuple[int, int] | None = None


@dataclass
class NumericResult:
    """The checker's decision on one claim.

    ``label`` is None when the checker leaves the verdict to the text judge: the claim states no
    result figure, or the checker abstained and the text judge's label (given) may stand.
    ``abstained`` is True when the claim states figures but not all of them found a match and
    none was contradicted; ``reason`` then says which part of each slot found no match.
    """

    label: Label | None
    reason: str
    supporting: list[str] = field(default_factory=list)
    contradicting: list[str] = field(default_factory=list)
    abstained: bool = False
    checks: list[FigureCheck] = field(default_factory=list)


def parse_figures(text: str, context: str | None = None) -> list[Figure]:
    """Result figures stated in ``text`` (years, section/table numbers and bare counts skipped).

    Figures come from the extractor's quantity parser
    (:func:`litcheck.extract.quantities.parse_quantities`, measured on a gold set in
    ``reports/benchmarks/extract.md``), so the checker and the extractor agree on which
    figure belongs to which dataset, metric and language.

    Args:
        text: a sentence, a table row or a claim.
        context: surrounding text (a table's caption and header, the passage); names it holds
            fill slots the figure's own text leaves empty.

    Returns:
        Figures in text order; a stated change ("improves by 2.1 points") is a signed delta,
        and "from 72.3 to 74.4" gives both values and the +2.1 delta. Numbers out of range
        (``numeric=False`` quantities) are not figures.
    """
    return _read(text, context)[0]


def _read(text: str, context: str | None = None) -> tuple[list[Figure], list[str]]:
    """Figures of ``text``, and one line per number kept as text (out of range)."""
    from litcheck.extract.quantities import parse_quantities

    if " | " in text and context:
        cells = _table_cells(text, context)
        if cells is not None:
            return cells, []
    out: list[Figure] = []
    notes: list[str] = []
    cursor = 0
    for q in parse_quantities(text, context):
        if not q.numeric:
            notes.append(f"{_clip(q.text)} is not checked as a number ({q.note})")
            continue
        unit = None if q.unit == "absolute" else q.unit
        bare = q.value is not None and q.delta is None and unit is None and q.metric is None
        if bare and q.low is None and q.precision == 0:
            # Bare integers are counts, years, ids, bounded or not ("over 40 languages" is
            # a count, as "40 languages" is): counts.py checks counts.
            continue
        if bare and q.bound is None and q.low is not None:
            continue  # Unlabelled ranges are counts too.
        is_range = q.low is not None and q.high is not None and q.value is None and q.delta is None
        if is_range and unit is None and q.metric is None and q.direction == "none":
            continue  # "between 3 and 5" with nothing to say of what: a count
        found = text.find(q.text, cursor) if q.text else -1
        start = found if found >= 0 else cursor
        cursor = max(cursor, start)
        out.extend(_figures_of(q, unit, start))
    return out, notes


def _figures_of(q: Quantity, unit: str | None, start: int) -> list[Figure]:
    def fig(value: float, is_delta: bool, **kw: object) -> Figure:
        base: dict[str, object] = {
            "dataset": q.dataset,
            "metric": q.metric,
            "languages": tuple(q.languages),
            "end": start + len(q.text),
            "setting": q.setting,
            "baseline": q.baseline,
            "text": q.text,
            "model": q.model,
        }
        base.update(kw)
        return Figure(value, is_delta, unit, q.precision, start, **base)  # type: ignore[arg-type]

    if q.low is not None and q.high is not None and q.value is None and q.delta is None:
        change = q.direction != "none" or unit == "points"
        low, high = (-q.high, -q.low) if q.direction == "decrease" else (q.low, q.high)
        return [fig(low, change, high=high, relative=q.relative, bound=q.bound)]
    out: list[Figure] = []
    if q.value is not None and q.delta is not None:
        # "from 72.3 to 74.4": the baseline value, the value reached and the change.
        base_value = q.baseline_value
        if base_value is None and q.low is not None and q.high is not None:
            base_value = q.low if q.delta >= 0 else q.high
        if base_value is not None:
            out.append(fig(base_value, False))
        out.append(fig(q.value, False))
        out.append(fig(q.delta, True, relative=q.relative))
    elif q.value is not None:
        out.append(fig(q.value, unit == "points", bound=q.bound))
    elif q.delta is not None:
        out.append(fig(q.delta, True, relative=q.relative, bound=q.bound))
    return out


def _table_cells(row: str, context: str) -> list[Figure] | None:
    """Figures of a table row, each cell read with its own column header.

    A row such as ``RS-DA | 94.4 | 87.6`` under ``Model | en | de`` states 87.6 for German:
    the caption and header give the dataset and metric, the column the language.
    """
    cells = [c.strip() for c in row.split("|")]
    lines = [ln for ln in context.splitlines() if ln.strip()]
    header = next(
        (
            [c.strip() for c in ln.split("|")]
            for ln in lines
            if " | " in ln and len(ln.split("|")) == len(cells) and ln.strip() != row.strip()
        ),
        None,
    )
    if header is None:
        return None
    caption = " ".join(ln for ln in lines if " | " not in ln)
    row_label = " ".join(c for c in cells if c and _cell_value(c) is None)
    out: list[Figure] = []
    offset = 0
    for cell, column in zip(cells, header, strict=True):
        start = row.find(cell, offset) if cell else offset
        offset = max(offset, start)
        if _cell_value(cell) is None:
            continue
        for fig in parse_figures(cell, f"{caption} {column} {row_label}"):
            out.append(replace(fig, start=start, end=start + len(cell), text=cell))
    return out


# -- comparing one claim figure with one evidence figure -------------------------------------

# Which mismatch names the nearest miss: the evidence figure that differs from the claim's slot
# in its language only is nearer than one for another dataset.
_CONFLICT_RANK = {
    "language": 0,
    "baseline": 1,
    "model": 1,
    "setting": 1,
    "kind": 2,
    "metric": 3,
    "topic": 4,
    "dataset": 5,
}


def _norm(name: str) -> str:
    return name.replace(" ", "").lower()


def _langs(codes: Sequence[str]) -> str:
    return " and ".join(_LANGUAGE_BY_CODE.get(c, c) for c in codes)


def _conflicts(
    c: Figure, e: Figure, claim_text: str, ev_text: str, strict: bool
) -> list[tuple[str, str]]:
    """(part, phrase) for each part of ``c``'s slot that ``e`` does not fill; empty when it fills
    them all.

    ``strict`` asks whether ``e`` is in *the same* slot (to contradict): each part the claim
    names must then be named alike by the evidence, and a claim about no language in particular
    (an average) is not contradicted by a figure for one language.
    """
    out: list[tuple[str, str]] = []
    if c.dataset:
        if not e.dataset:
            out.append(("dataset", "names no dataset"))
        elif _norm(c.dataset) != _norm(e.dataset):
            out.append(("dataset", f"is for {e.dataset}, not {c.dataset}"))
    if c.metric and e.metric and c.metric[:3].lower() != e.metric[:3].lower():
        out.append(("metric", f"is {e.metric}, not {c.metric}"))
    cl, el = set(c.languages), set(e.languages)
    if cl and el and not cl & el:
        out.append(("language", f"is for {_langs(e.languages)}, not {_langs(c.languages)}"))
    elif strict and not cl & el and (cl or el):
        if cl:
            out.append(("language", f"names no language, not {_langs(c.languages)}"))
        else:
            out.append(("language", f"is for {_langs(e.languages)} only"))
    if c.setting and e.setting and c.setting != e.setting:
        out.append(("setting", f"is {e.setting}, not {c.setting}"))
    if (
        c.model
        and e.model
        and _norm(c.model) != _norm(e.model)
        and e.model in names_in(ev_text, _MODEL)
        and c.model in names_in(claim_text, _MODEL)
    ):
        # "mBERT's F1 is 10 points lower" is no figure of XLM-R's "+13% F1 over mBERT". Only
        # models the two texts name themselves count, not one a passage lends its sentence.
        out.append(("model", f"is for {e.model}, not {c.model}"))
    if (
        c.is_delta
        and e.is_delta
        and e.baseline
        and not c.baseline
        and _COMPARED_WITH.search(claim_text)
    ):
        # "trails human performance by 20 points" compares with something the vocabulary does
        # not name: no figure of a comparison with XLM-R is one of it.
        out.append(("baseline", f"is over {e.baseline}, not what the claim compares with"))
    if c.is_delta and c.baseline and e.baseline and _norm(c.baseline) != _norm(e.baseline):
        # "+16% over mBERT" is not stated by "15.7% over previous XLM models".
        out.append(("baseline", f"is over {e.baseline}, not {c.baseline}"))
    if c.is_delta != e.is_delta:
        out.append(
            ("kind", "is a change, not a value" if e.is_delta else "is a value, not a change")
        )
    elif c.is_delta and c.relative and e.unit == "points":
        out.append(("kind", "is an absolute change (points), not a relative one"))
    elif c.is_delta and e.relative and c.unit == "points":
        out.append(("kind", "is a relative change, not an absolute one (points)"))
    if c.unit == "x" and e.unit not in ("x", None):
        out.append(("kind", "is not a ratio"))
    if c.dataset:
        return out
    if c.metric:
        return out if e.metric is not None else [*out, ("metric", "names no metric")]
    # No slot named: the sentence must be about the same thing as the claim.
    cw = set(content_words(_strip_numbers(claim_text)))
    ew = set(content_words(_strip_numbers(ev_text)))
    if not (cw and len(cw & ew) / len(cw) >= 0.5):
        out.append(("topic", "is about something else"))
    return out


_MODEL = frozenset(["model"])
_COMPARED_WITH = re.compile(
    r"\b(?:than|over|trails?|trailing|lags?|lagging|behind|below|above|compared|relative\s+to"
    r"|versus|vs)\b",
    re.I,
)


def _conflict(
    c: Figure, e: Figure, claim_text: str, ev_text: str, strict: bool
) -> tuple[str, str] | None:
    """The first part of ``c``'s slot that ``e`` does not fill, else None."""
    found = _conflicts(c, e, claim_text, ev_text, strict)
    return found[0] if found else None


def _about_same(claim: str, text: str) -> bool:
    """The evidence shares a content word with the claim beyond dataset and metric names."""

    def strip(t: str) -> str:
        return _METRIC_RE.sub(" ", _DATASET_RE.sub(" ", _strip_numbers(t)))

    words = set(content_words(strip(claim)))
    # A claim that is nothing but slot and figure ("Accuracy is 74.4% on XNLI") has no topic
    # beyond its slot; the slot match alone decides.
    return not words or bool(words & set(content_words(strip(text))))


def _strip_numbers(text: str) -> str:
    return re.sub(r"\d+(?:\.\d+)?", " ", text)


def _tol(c: Figure, e: Figure) -> float:
    # One figure within the other's rounding: 74.38 states 74.4, but 7% does not state 8%
    # (the sum of both half-units, 1.0, would let any neighbouring integer through).
    return max(c.tolerance, e.tolerance) + 1e-9


def _equal(c: Figure, value: float, e: Figure) -> bool:
    """``value`` (of ``e``) states ``c``'s figure: same size, and the same sign for changes."""
    tol = _tol(c, e)
    # A percentage and a fraction state the same figure: 74.4% == 0.744.
    candidates = [value, value * 100] if c.unit == "%" and abs(value) <= 1 else [value]
    return any(
        abs(abs(c.value) - abs(v)) <= tol and (c.value >= 0) == (v >= 0 or not c.is_delta)
        for v in candidates
    )


def _compare(c: Figure, e: Figure) -> tuple[Literal["stated", "contradicted", "open"], str]:
    """Whether ``e`` (already in ``c``'s slot) states ``c``, states another figure, or neither.

    The phrase says how, e.g. "lies in the range 3-5%" or "is a decrease, not an increase".
    """
    tol = _tol(c, e)
    if c.bound is None and c.high is None and e.bound is None and e.high is None:
        if _equal(c, e.value, e):
            return "stated", "states it"
        if c.is_delta and (c.value > 0) != (e.value > 0) and c.value != 0 and e.value != 0:
            return "contradicted", f"is {_direction(e.value)}, not {_direction(c.value)}"
        return "contradicted", "states another figure"
    lo_c, hi_c = _interval(c)
    lo_e, hi_e = _interval(e)
    if c.bound is None and e.bound is None:
        if c.high is not None and e.high is None:
            if lo_c - tol <= e.value <= hi_c + tol:
                return "stated", f"lies in the claim's range {_show(c)}"
            return "contradicted", f"lies outside the claim's range {_show(c)}"
        if c.high is None:
            if lo_e - tol <= c.value <= hi_e + tol:
                return "open", f"is a range that contains {_show(c)} but does not state it"
            return "contradicted", f"is a range that excludes {_show(c)}"
        if abs(lo_c - lo_e) <= tol and abs(hi_c - hi_e) <= tol:
            return "stated", "states the same range"
        if lo_c - tol <= lo_e and hi_e <= hi_c + tol:
            return "stated", f"lies in the claim's range {_show(c)}"
        if hi_e < lo_c - tol or lo_e > hi_c + tol:
            return "contradicted", "is a range disjoint from the claim's"
        return "open", "is an overlapping range"
    # Bounds compare sizes: "within 1.1 points" is |difference| <= 1.1.
    if c.bound == "at most" or c.bound == "at least":
        at_most = c.bound == "at most"
        bound = abs(c.value)
        sizes = sorted((abs(lo_e), abs(hi_e)))
        if c.is_delta and c.bound == "at least" and e.value * c.value < 0:
            return "contradicted", f"is {_direction(e.value)}, not {_direction(c.value)}"
        if e.bound is None:
            if (sizes[1] <= bound + tol) if at_most else (sizes[0] >= bound - tol):
                return "stated", f"is {c.bound} {_show(c, bound=False)}"
            if (sizes[0] > bound + tol) if at_most else (sizes[1] < bound - tol):
                return "contradicted", f"is not {c.bound} {_show(c, bound=False)}"
            return "open", "is a range across the claim's bound"
        if e.bound == c.bound:
            tighter = abs(e.value) <= bound + tol if at_most else abs(e.value) >= bound - tol
            if tighter:
                return "stated", f"bounds it at least as tightly ({_show(e)})"
            return "open", f"is a looser bound ({_show(e)})"
        # Opposite bounds: "at most 1.1" against "at least 2": incompatible when disjoint.
        if (abs(e.value) > bound + tol) if at_most else (abs(e.value) < bound - tol):
            return "contradicted", f"bounds it the other way ({_show(e)})"
        return "open", f"bounds it the other way ({_show(e)})"
    # The claim states a figure, the evidence a bound on it.
    size = abs(c.value)
    if e.bound == "at most":
        if size > abs(e.value) + tol:
            return "contradicted", f"says it is at most {_show(e, bound=False)}"
        return "open", f"only says it is at most {_show(e, bound=False)}"
    if size < abs(e.value) - tol:
        return "contradicted", f"says it is at least {_show(e, bound=False)}"
    return "open", f"only says it is at least {_show(e, bound=False)}"


def _interval(f: Figure) -> tuple[float, float]:
    return (f.value, f.high) if f.high is not None else (f.value, f.value)


def _direction(value: float) -> str:
    return "an increase" if value > 0 else "a decrease"


# -- the check -------------------------------------------------------------------------------


@dataclass
class _Candidate:
    """The nearest miss: the evidence figure whose slot differs from the claim's the least."""

    figure: Figure
    text: str
    phrase: str
    key: tuple[int, int, int]


def _candidate(c: Figure, e: Figure, text: str, conflicts: list[tuple[str, str]]) -> _Candidate:
    same_size = abs(abs(c.value) - abs(e.value)) <= _tol(c, e)
    key = (len(conflicts), 0 if same_size else 1, min(_CONFLICT_RANK[p] for p, _ in conflicts))
    phrase = " and ".join(dict.fromkeys(ph for _, ph in conflicts))
    return _Candidate(e, text, phrase, key)


def check_numbers(
    claim: str,
    evidence: Sequence[str | tuple[str, str]],
    text_label: Label | None = None,
) -> NumericResult:
    """Decide a claim by its figures alone.

    Args:
        claim: the claim text.
        evidence: evidence sentences (or table rows), best first; a ``(text, context)`` pair
            gives the passage the sentence sits in (a table caption names the dataset).
        text_label: the text judge's label, when known. When the checker abstains (a figure
            found no match and none was contradicted) it returns ``label=None`` (the judge's
            CONTRADICTED or NOT_ENOUGH_INFO stands) unless the judge said SUPPORTED, which a
            figure no evidence states cannot be: then NOT_ENOUGH_INFO. Without it (None) an
            abstention answers NOT_ENOUGH_INFO.

    Returns:
        A :class:`NumericResult`; ``label`` is None when the claim states no result figure (the
        text judge decides alone). ``checks`` has one :class:`FigureCheck` per claim figure:
        the evidence figure it was matched with (value, sentence, span) or the part of its slot
        that found no match, then one (slot ``"count"``) per count of the claim the evidence
        contradicts (:mod:`litcheck.verify.counts`).

    Example:
        >>> ev = ["XLM-R performs particularly well on low-resource languages, improving 15.7% "
        ...       "in XNLI accuracy for Swahili and 11.4% for Urdu over previous XLM models."]
        >>> check_numbers("XLM-R improves XNLI accuracy by 11.4% for Urdu.", ev).label.value
        'SUPPORTED'
    """
    figures, notes = _read(claim)
    texts = [item if isinstance(item, str) else item[0] for item in evidence]
    counted = [
        FigureCheck(
            k.claim_count,
            "count",
            "contradicted",
            k.reason,
            None,
            None,
            k.evidence_text,
            k.evidence_span,
        )
        for k in check_counts(claim, texts)
        if k.status == "contradicted"
    ]
    if not figures:
        if counted:
            return NumericResult(
                Label.CONTRADICTED,
                "; ".join(c.reason for c in counted[:3]),
                contradicting=[c.evidence_text for c in counted if c.evidence_text],
                checks=counted,
            )
        if notes:
            return NumericResult(None, "; ".join(notes[:3]))
        return NumericResult(None, "the claim states no result figure")
    parsed: list[tuple[str, list[Figure]]] = []
    for item in evidence:
        text, context = (item, None) if isinstance(item, str) else item
        parsed.append((text, parse_figures(text, context)))
    # A count the evidence contradicts ("50 languages" against "one hundred") decides like a
    # contradicted figure; a count it agrees with never makes the claim SUPPORTED.
    checks = [_check_figure(fig, claim, parsed, evidence) for fig in figures] + counted
    supporting = [c.evidence_text for c in checks if c.status in ("stated", "computed")]
    contradicting = [c.evidence_text for c in checks if c.status == "contradicted"]
    clashes = [c for c in checks if c.status == "contradicted"]
    if clashes:
        return NumericResult(
            Label.CONTRADICTED,
            "; ".join(c.reason for c in clashes[:3]),
            contradicting=[t for t in contradicting if t],
            checks=checks,
        )
    if all(c.status in ("stated", "computed") for c in checks):
        stray = _stray_numbers(claim, figures, [t for t in supporting if t])
        if stray or text_label is Label.CONTRADICTED:
            # The figures agree, and something else may not: a number the checker does not
            # read ("as of June 1728") that no supporting sentence has, or a change of words
            # the text judge reads as a contradiction ("high-resource" for "low-resource").
            why = (
                f"the claim's {', '.join(stray)} is in no supporting sentence"
                if stray
                else "the text judge reads the rest of the claim as contradicted"
            )
            return NumericResult(
                None,
                "every figure of the claim is stated in the evidence, but " + why,
                supporting=[t for t in supporting if t],
                checks=checks,
            )
        return NumericResult(
            Label.SUPPORTED,
            "every figure of the claim is stated (or computable) in the evidence: "
            + "; ".join(c.reason for c in checks[:4]),
            supporting=[t for t in supporting if t],
            checks=checks,
        )
    unmatched = [c for c in checks if c.status == "unmatched"]
    matched = [c for c in checks if c.status in ("stated", "computed")]
    reason = "; ".join(c.reason for c in unmatched[:3])
    if matched:
        reason += "; " + "; ".join(c.reason for c in matched[:2])
    label = Label.NOT_ENOUGH_INFO if text_label is None or text_label is Label.SUPPORTED else None
    return NumericResult(label, reason, abstained=True, checks=checks)


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _stray_numbers(claim: str, figures: Sequence[Figure], supporting: Sequence[str]) -> list[str]:
    """Numbers of the claim outside its checked figures that no supporting sentence has."""
    spans = [f.span for f in figures]
    said = {m.group().replace(",", "") for t in supporting for m in _DIGITS.finditer(t)}
    out = []
    for m in _DIGITS.finditer(claim):
        if any(a <= m.start() < b for a, b in spans):
            continue
        if m.group().replace(",", "") not in said:
            out.append(m.group())
    return out


def _check_figure(
    fig: Figure,
    claim: str,
    parsed: list[tuple[str, list[Figure]]],
    evidence: Sequence[str | tuple[str, str]],
) -> FigureCheck:
    slot = _slot(fig)
    shown = _show(fig)
    clash: tuple[Figure, str, str] | None = None
    nearest: _Candidate | None = None
    open_: tuple[Figure, str, str] | None = None
    for text, ev_figs in parsed:
        for ev in ev_figs:
            conflicts = _conflicts(fig, ev, claim, text, strict=False)
            if conflicts:
                miss = _candidate(fig, ev, text, conflicts)
                if nearest is None or miss.key < nearest.key:
                    nearest = miss
                continue
            outcome, how = _compare(fig, ev)
            if outcome == "stated" and (narrower := _conflicts(fig, ev, claim, text, strict=True)):
                # The same figure for one language does not state a claim about none (an
                # average), nor the reverse: it is a near miss, and a figure of the claim's
                # own slot may still contradict it.
                miss = _candidate(fig, ev, text, narrower)
                if nearest is None or miss.key < nearest.key:
                    nearest = miss
                continue
            if outcome == "stated":
                return FigureCheck(
                    shown,
                    slot,
                    "stated",
                    f"{shown} ({slot}) matches {_show(ev)}: the evidence {how} in "
                    f"{_quote(text, ev.span)}",
                    ev.value,
                    _show(ev),
                    text,
                    ev.span,
                )
            if outcome == "contradicted":
                same_slot = _conflicts(fig, ev, claim, text, strict=True)
                if not same_slot and not _about_same(claim, text):
                    same_slot = [("topic", "is about something else")]
                if not same_slot:
                    clash = clash or (ev, text, how)
                else:
                    miss = _candidate(fig, ev, text, same_slot)
                    if nearest is None or miss.key < nearest.key:
                        nearest = miss
            elif open_ is None:
                open_ = (ev, text, how)
        if fig.is_delta and fig.high is None and fig.bound is None:
            computed = _computed_from_values(fig, claim, text, parsed_figs=ev_figs)
            if computed is not None:
                return computed
    if fig.is_delta and fig.high is None and fig.bound is None and not fig.relative:
        rows = _delta_from_columns(fig, evidence)
        if rows is not None:
            return FigureCheck(
                shown,
                slot,
                "computed",
                f"{shown} ({slot}) is the difference of two cells of one table column: "
                f"{_quote(rows, None)}",
                None,
                None,
                rows,
                None,
            )
    if clash is not None:
        ev, text, how = clash
        return FigureCheck(
            shown,
            slot,
            "contradicted",
            f"the claim states {shown} but the evidence states {_show(ev)} for the same slot "
            f"({slot}): it {how}, in {_quote(text, ev.span)}",
            ev.value,
            _show(ev),
            text,
            ev.span,
        )
    if open_ is not None:
        ev, text, how = open_
        return FigureCheck(
            shown,
            slot,
            "unmatched",
            f"no evidence figure states {shown} ({slot}): {_show(ev)} {how}, in "
            f"{_quote(text, ev.span)}",
            ev.value,
            _show(ev),
            text,
            ev.span,
        )
    if nearest is not None:
        ev = nearest.figure
        return FigureCheck(
            shown,
            slot,
            "unmatched",
            f"no evidence figure for {slot} ({shown}); the nearest, {_show(ev)} "
            f"({_slot(ev)}) in {_quote(nearest.text, ev.span)}, {nearest.phrase}",
            ev.value,
            _show(ev),
            nearest.text,
            ev.span,
        )
    none_at_all = not any(figs for _, figs in parsed)
    return FigureCheck(
        shown,
        slot,
        "unmatched",
        f"no evidence figure for {slot} ({shown})"
        + (": the evidence states no figure" if none_at_all else ""),
    )


def _computed_from_values(
    fig: Figure, claim: str, text: str, parsed_figs: list[Figure]
) -> FigureCheck | None:
    """A claimed change that two values of one evidence text (same slot) give: their
    difference, or for a relative change, the difference over the first value."""
    values = [e for e in parsed_figs if not e.is_delta and e.high is None and e.bound is None]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            probe = Figure(
                b.value - a.value,
                True,
                fig.unit if not fig.relative else None,
                max(a.precision, b.precision),
                b.start,
                dataset=b.dataset or a.dataset,
                metric=b.metric or a.metric,
                languages=tuple(sorted(set(a.languages) | set(b.languages))),
                setting=b.setting or a.setting,
            )
            if _conflict(replace(fig, relative=False), probe, claim, text, strict=False):
                continue
            step = 10.0 ** -min(probe.precision, 300)
            for base, new in ((a, b), (b, a)):
                if fig.relative:
                    if base.value == 0:
                        continue
                    change = (new.value - base.value) / abs(base.value) * 100
                    spread = 100 * step * (1 / abs(base.value) + abs(new.value) / base.value**2)
                    ok = abs(change - fig.value) <= fig.tolerance + spread + 1e-9
                    how = f"a relative change of {change:+.1f}% from {_show(base)} to {_show(new)}"
                else:
                    change = new.value - base.value
                    ok = abs(change - fig.value) <= fig.tolerance + step + 1e-9
                    how = f"the difference from {_show(base)} to {_show(new)}"
                if ok:
                    lo, hi = min(a.span[0], b.span[0]), max(a.span[1], b.span[1])
                    return FigureCheck(
                        _show(fig),
                        _slot(fig),
                        "computed",
                        f"{_show(fig)} ({_slot(fig)}) is {how} in {_quote(text, (lo, hi))}",
                        round(change, 6),
                        f"{change:+.{max(fig.precision, 1)}f}",
                        text,
                        (lo, hi),
                    )
    return None


def _cell_value(cell: str) -> tuple[float, int] | None:
    m = re.fullmatch(r"\s*[*_]*([+\-−]?)(\d+(?:\.\d+)?)\s*%?[*_]*\s*", cell)
    if not m:
        return None
    reading = read_number(m.group(2))
    if reading.value is None:
        return None  # out of range: text, not a cell value
    return (-reading.value if m.group(1) else reading.value), reading.decimals


def _delta_from_columns(fig: Figure, evidence: Sequence[str | tuple[str, str]]) -> str | None:
    """Evidence rows when two cells of one table column differ by the claimed delta."""
    tables: dict[str, list[str]] = {}
    for item in evidence:
        text, context = (item, "") if isinstance(item, str) else item
        if " | " in text:
            tables.setdefault(context, []).append(text)
    for context, rows in tables.items():
        dataset = _only(_DATASET_RE, context + "\n" + "\n".join(rows))
        if fig.dataset and (dataset or "") != fig.dataset.replace(" ", "").lower():
            continue
        grid = [[_cell_value(c) for c in row.split("|")] for row in rows]
        for i, a_row in enumerate(grid):
            for j in range(i + 1, len(grid)):
                for a, b in zip(a_row, grid[j], strict=False):
                    if a is None or b is None:
                        continue
                    tol = fig.tolerance + 10.0 ** -min(max(a[1], b[1]), 300) + 1e-9
                    if abs(abs(b[0] - a[0]) - abs(fig.value)) <= tol:
                        return rows[i] + " / " + rows[j]
    return None


def _only(regex: re.Pattern[str], text: str | None) -> str | None:
    if not text:
        return None
    names = {m.group(1).lower().replace(" ", "") for m in regex.finditer(text)}
    return names.pop() if len(names) == 1 else None


# -- wording ---------------------------------------------------------------------------------


def apply_numeric(text_label: Label, result: NumericResult) -> tuple[Label, str | None]:
    """The verdict once the numeric check has spoken, and the reason to show with it.

    Args:
        text_label: what the text judge said.
        result: :func:`check_numbers`'s result for the same claim and evidence.

    Returns:
        ``(label, reason)``: the checker's label when it decided (SUPPORTED or CONTRADICTED);
        when it abstained, the text judge's label, except that SUPPORTED becomes
        NOT_ENOUGH_INFO (a figure the evidence does not state is not supported); ``reason`` is
        None when the claim states no figure.

    Example:
        >>> r = check_numbers("Accuracy improves by 2.1 points on PAWS-X.", ["No figures."])
        >>> label, reason = apply_numeric(Label.CONTRADICTED, r)
        >>> label.value, reason.split(":")[0]
        ('CONTRADICTED', 'numeric check abstains')
    """
    if result.abstained:
        if text_label is Label.SUPPORTED:
            return Label.NOT_ENOUGH_INFO, (
                f"numeric check abstains: {result.reason}; the text judge's SUPPORTED does not "
                "stand for a figure the evidence does not state"
            )
        return text_label, f"numeric check abstains: {result.reason}; the text judge decides"
    if result.label is None:
        return text_label, None
    if result.label is text_label:
        return result.label, f"numeric check agrees: {result.reason}"
    return result.label, (
        f"numeric check decides {result.label.value} (the text judge said {text_label.value}): "
        f"{result.reason}"
    )


def _num(value: float, precision: int) -> str:
    # Huge or tiny values in scientific notation: a reason never spells out 300 digits.
    if value and not 1e-6 <= abs(value) < 1e15:
        return f"{value:.6g}"
    return f"{value:.{min(precision, 12)}f}"


def _show(fig: Figure, bound: bool = True) -> str:
    unit = {"%": "%", "points": " points", "x": "x"}.get(fig.unit or "", "")
    p = fig.precision
    if fig.high is not None:
        figure = f"{_num(fig.value, p)}–{_num(fig.high, p)}{unit}"
    else:
        sign = "+" if fig.is_delta and fig.value > 0 and fig.bound != "at most" else ""
        figure = f"{sign}{_num(fig.value, p)}{unit}"
    if fig.relative:
        figure += " relative"
    if bound and fig.bound:
        figure = (
            "within " if fig.is_delta and fig.bound == "at most" else f"{fig.bound} "
        ) + figure
    return figure


def _slot(fig: Figure) -> str:
    parts = [fig.metric or "", f"on {fig.dataset}" if fig.dataset else ""]
    if fig.languages:
        parts.append(f"for {_langs(fig.languages)}")
    if fig.setting:
        parts.append(f"({fig.setting})")
    if fig.baseline:
        parts.append(f"vs {fig.baseline}")
    text = " ".join(p for p in parts if p).strip()
    if text.startswith("on "):
        text = text[3:]
    return text or "this quantity"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]}…{text[-limit // 2 :]}"


def _quote(text: str, span: tuple[int, int] | None, reach: int = 45) -> str:
    """The evidence around a figure, in quotes, with its character span."""
    if span is None:
        body = text if len(text) <= 2 * reach + 20 else text[: 2 * reach] + "…"
        return f"“{body}”"
    lo, hi = max(0, span[0]), min(len(text), span[1])
    start, end = max(0, lo - reach), min(len(text), hi + reach)
    figure = text[lo:hi] if hi - lo <= 40 else _clip(text[lo:hi])
    body = (
        ("…" if start > 0 else "")
        + text[start:lo]
        + figure
        + text[hi:end]
        + ("…" if end < len(text) else "")
    )
    return f"“{body}” [chars {lo}-{hi}]"
