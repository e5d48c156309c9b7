"""Numbers as numbers: check a claim's figures against the figures evidence states.

A claim that states a result figure (a value with a decimal point, a percentage, points, a
ratio, or a change such as "improves by 2.1 points") is:

- SUPPORTED when every such figure is stated by evidence for the same slot (dataset, metric)
  within the tolerance its precision implies, or follows from two figures there (a delta
  computed from two values of the same sentence or table row);
- CONTRADICTED when evidence states a figure of the same kind for the same slot and none
  matches;
- NOT_ENOUGH_INFO otherwise — whatever the text classifier says, because a cross-encoder reads
  "2.1" and "1.6" as near-synonyms.

Figures come from the extractor's quantity parser (``litcheck.extract.quantities``), so a
figure's slot (dataset, metric, language) is read the same way in claims and in evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litcheck.models import Label
from litcheck.verify.text import content_words

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
_NUM = re.compile(
    r"(?<![\w.\-/])(?P<sign>[+\-−–])?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
    r"\s*(?P<unit>%|percent(?:age)?\s+points?|percentage\s+points?|pp\b|points?\b|pts?\b|x\b|×|-fold|fold\b)?"
)
_UP = re.compile(
    r"\b(improv\w*|increas\w*|gain\w*|boost\w*|rais\w*|higher|outperform\w*|up)\b"
    r"(?:\s+\w+){0,4}\s+(?:by|of)\s*$",
    re.I,
)
_DOWN = re.compile(
    r"\b(decreas\w*|reduc\w*|drop\w*|declin\w*|lower|degrad\w*|fall\w*|fell|los\w*|"
    r"down|worse\w*)\b(?:\s+\w+){0,4}\s+(?:by|of)\s*$",
    re.I,
)
_SKIP_BEFORE = re.compile(
    r"\b(table|figure|fig\.|section|sec\.|eq\.|equation|appendix|step|"
    r"layer|version|v|arxiv|ref\.)\s*$",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """A number stated in a text, with what it is a number of."""

    value: float
    is_delta: bool
    unit: str | None
    precision: int
    start: int
    dataset: str | None = None
    metric: str | None = None
    languages: tuple[str, ...] = ()

    @property
    def tolerance(self) -> float:
        """Half a unit of the last stated digit: 2.1 covers [2.05, 2.15]."""
        return 0.5 * 10.0**-self.precision


@dataclass
class NumericResult:
    """The checker's decision on one claim."""

    label: Label | None
    reason: str
    supporting: list[str] = field(default_factory=list)
    contradicting: list[str] = field(default_factory=list)


def _nearest(regex: re.Pattern[str], text: str, pos: int, end: int) -> str | None:
    # "2.1 points on PAWS-X": a name right after the figure, behind on/for/in, is its slot.
    after = re.match(r"[^\d,;]{0,25}?\b(?:on|for|in|of)\s+(?:the\s+)?", text[end:])
    if after:
        m = regex.match(text, end + after.end())
        if m:
            return m.group(1).lower()
    best: tuple[int, str] | None = None
    for m in regex.finditer(text):
        dist = min(abs(m.start() - pos), abs(m.end() - pos))
        if best is None or dist < best[0]:
            best = (dist, m.group(1))
    return best[1].lower() if best else None


def _only(regex: re.Pattern[str], text: str | None) -> str | None:
    if not text:
        return None
    names = {m.group(1).lower().replace(" ", "") for m in regex.finditer(text)}
    return names.pop() if len(names) == 1 else None


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
        and "from 72.3 to 74.4" gives both values and the +2.1 delta.
    """
    from litcheck.extract.quantities import parse_quantities

    if " | " in text and context:
        cells = _table_cells(text, context)
        if cells is not None:
            return cells
    out: list[Figure] = []
    cursor = 0
    for q in parse_quantities(text, context):
        unit = None if q.unit == "absolute" else q.unit
        bare = q.value is not None and q.delta is None and unit is None and q.metric is None
        if bare and (q.precision == 0 or q.low is not None):
            continue  # Bare integers and unlabelled ranges are counts, years, ids.
        found = text.find(q.text, cursor) if q.text else -1
        start = found if found >= 0 else cursor
        cursor = max(cursor, start)
        stated: list[tuple[float, bool]] = []
        if q.low is not None and q.high is not None and q.delta is not None:
            stated += [(q.low, False), (q.high, False)]
        elif q.value is not None:
            stated.append((q.value, False))
        if q.delta is not None:
            stated.append((q.delta, True))
        for value, is_delta in stated:
            out.append(
                Figure(
                    value=value,
                    is_delta=is_delta or unit == "points",
                    unit=unit,
                    precision=q.precision,
                    start=start,
                    dataset=q.dataset,
                    metric=q.metric,
                    languages=tuple(q.languages),
                )
            )
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
            out.append(
                Figure(
                    fig.value,
                    fig.is_delta,
                    fig.unit,
                    fig.precision,
                    start,
                    fig.dataset,
                    fig.metric,
                    fig.languages,
                )
            )
    return out


def _comparable(claim: Figure, ev: Figure, claim_text: str, ev_text: str) -> bool:
    """Whether an evidence figure speaks to the same slot and kind as a claim figure."""
    if (
        claim.dataset
        and ev.dataset
        and claim.dataset.replace(" ", "").lower() != ev.dataset.replace(" ", "").lower()
    ):
        return False
    if claim.metric and ev.metric and claim.metric[:3].lower() != ev.metric[:3].lower():
        return False
    if claim.languages and ev.languages and not set(claim.languages) & set(ev.languages):
        return False
    if claim.is_delta != ev.is_delta:
        return False
    if claim.unit == "x" and ev.unit not in ("x", None):
        return False
    if claim.dataset:
        # A figure for a named benchmark speaks only to evidence naming the same benchmark (in
        # its sentence, row or caption): "+2.4 F1 on NER" says nothing of MLQA.
        return ev.dataset is not None
    if claim.metric:
        return ev.metric is not None
    # No slot named: the sentence must be about the same thing as the claim.
    c = set(content_words(_strip_numbers(claim_text)))
    e = set(content_words(_strip_numbers(ev_text)))
    return bool(c) and len(c & e) / len(c) >= 0.5


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


def _matches(claim: Figure, value: float, precision: int) -> bool:
    tol = claim.tolerance + 0.5 * 10**-precision + 1e-9
    # A percentage and a fraction state the same figure: 74.4% == 0.744.
    candidates = [value, value * 100] if claim.unit == "%" and abs(value) <= 1 else [value]
    return any(
        abs(abs(claim.value) - abs(v)) <= tol
        and (claim.value >= 0) == (v >= 0 or not claim.is_delta)
        for v in candidates
    )


def check_numbers(claim: str, evidence: Sequence[str | tuple[str, str]]) -> NumericResult:
    """Decide a claim by its figures alone.

    Args:
        claim: the claim text.
        evidence: evidence sentences (or table rows), best first; a ``(text, context)`` pair
            gives the passage the sentence sits in (a table caption names the dataset).

    Returns:
        A :class:`NumericResult`; ``label`` is None when the claim states no result figure (the
        text judge decides alone).
    """
    figures = parse_figures(claim)
    if not figures:
        return NumericResult(None, "the claim states no result figure")
    parsed = []
    for item in evidence:
        text, context = (item, None) if isinstance(item, str) else item
        parsed.append((text, parse_figures(text, context)))
    supported: list[Figure] = []
    contradicted: list[tuple[Figure, Figure, str]] = []
    support_text: list[str] = []
    for fig in figures:
        match_text: str | None = None
        clash: tuple[Figure, str] | None = None
        for text, ev_figs in parsed:
            for ev in ev_figs:
                if not _comparable(fig, ev, claim, text):
                    continue
                if _matches(fig, ev.value, ev.precision):
                    match_text = text
                    break
                if clash is None and _about_same(claim, text):
                    clash = (ev, text)
            if match_text is None and fig.is_delta:
                match_text = _delta_from_values(fig, claim, text, ev_figs)
            if match_text is not None:
                break
        if match_text is None and fig.is_delta:
            match_text = _delta_from_columns(fig, evidence)
        if match_text is not None:
            supported.append(fig)
            support_text.append(match_text)
        elif clash is not None:
            contradicted.append((fig, clash[0], clash[1]))
    if contradicted:
        fig, ev, text = contradicted[0]
        return NumericResult(
            Label.CONTRADICTED,
            f"the claim states {_show(fig)} but the evidence states {_show(ev)} for the same "
            f"{_slot(fig)}",
            contradicting=[text for _, _, text in contradicted],
        )
    if len(supported) == len(figures):
        return NumericResult(
            Label.SUPPORTED,
            "every figure of the claim is stated (or computable) in the evidence: "
            + ", ".join(_show(f) for f in figures),
            supporting=support_text,
        )
    missing = [f for f in figures if f not in supported]
    return NumericResult(
        Label.NOT_ENOUGH_INFO,
        "no evidence states a figure for " + ", ".join(f"{_show(f)} ({_slot(f)})" for f in missing),
    )


def _delta_from_values(fig: Figure, claim: str, text: str, ev_figs: list[Figure]) -> str | None:
    """Evidence text when two of its values differ by the claimed delta (same slot)."""
    values = [e for e in ev_figs if not e.is_delta]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            probe = Figure(
                b.value - a.value,
                True,
                fig.unit,
                max(a.precision, b.precision),
                b.start,
                b.dataset or a.dataset,
                b.metric or a.metric,
            )
            if not _comparable(fig, probe, claim, text):
                continue
            for diff in (b.value - a.value, a.value - b.value):
                if abs(diff - fig.value) <= fig.tolerance + 10**-probe.precision + 1e-9:
                    return text
    return None


def _cell_value(cell: str) -> tuple[float, int] | None:
    m = re.fullmatch(r"\s*[*_]*([+\-−]?\d+(?:\.\d+)?)\s*%?[*_]*\s*", cell)
    if not m:
        return None
    raw = m.group(1).replace("−", "-")
    return float(raw), len(raw.split(".")[1]) if "." in raw else 0


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
                    tol = fig.tolerance + 10 ** -max(a[1], b[1]) + 1e-9
                    if abs(abs(b[0] - a[0]) - abs(fig.value)) <= tol:
                        return rows[i] + " / " + rows[j]
    return None


def _show(fig: Figure) -> str:
    sign = "+" if fig.is_delta and fig.value > 0 else ""
    unit = {"%": "%", "points": " points", "x": "x"}.get(fig.unit or "", "")
    return f"{sign}{fig.value:.{fig.precision}f}{unit}"


def _slot(fig: Figure) -> str:
    parts = [p for p in (fig.metric, fig.dataset) if p]
    return " on ".join(parts) if parts else "quantity"
