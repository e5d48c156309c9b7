"""Score the offline extractor on the annotated gold set (``tests/data/extract_gold_*.jsonl``).

Each gold line is a sentence (or a table row with its table in ``passage``) labelled with
``is_claim``, ``kind`` and its ``quantities``. Scores:

- claim detection: precision, recall and F1 of the claim class;
- kind: accuracy over the gold claims that were detected;
- quantities: exact-match F1 of tuples (metric, figure, unit, dataset, languages), where the
  figure is the value, else the signed delta, else the range (low, high), else the ± error.
  Tuples are matched as multisets per sentence.

Annotation guidelines are in :mod:`litcheck.extract.claims` (what a claim is) and
:mod:`litcheck.extract.quantities` (units, what counts as a figure).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litcheck.extract.claims import classify_sentence
from litcheck.extract.quantities import parse_quantities
from litcheck.extract.tables import table_rows
from litcheck.models import Quantity

__all__ = ["GoldItem", "Scores", "load_gold", "quantity_tuple", "score"]

QTuple = tuple[Any, ...]


@dataclass(frozen=True)
class GoldItem:
    """One annotated sentence or table row."""

    id: str
    text: str
    is_claim: bool
    kind: str | None
    quantities: list[dict[str, Any]]
    passage: str | None = None
    source: str = ""


@dataclass
class Scores:
    """Scores of one run over a gold split."""

    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    kind_correct: int = 0
    kind_total: int = 0
    q_tp: int = 0
    q_pred: int = 0
    q_gold: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return self._f1(self.precision, self.recall)

    @property
    def kind_accuracy(self) -> float:
        return self.kind_correct / self.kind_total if self.kind_total else 0.0

    @property
    def q_precision(self) -> float:
        return self.q_tp / self.q_pred if self.q_pred else 0.0

    @property
    def q_recall(self) -> float:
        return self.q_tp / self.q_gold if self.q_gold else 0.0

    @property
    def q_f1(self) -> float:
        return self._f1(self.q_precision, self.q_recall)


def load_gold(path: Path) -> list[GoldItem]:
    """Read a gold JSONL file."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        items.append(
            GoldItem(
                id=d["id"],
                text=d["text"],
                is_claim=bool(d["is_claim"]),
                kind=d.get("kind"),
                quantities=d.get("quantities", []),
                passage=d.get("passage"),
                source=d.get("source", ""),
            )
        )
    return items


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)


def quantity_tuple(q: Quantity | dict[str, Any]) -> QTuple:
    """The tuple (metric, figure, unit, dataset, languages) a quantity is scored by."""
    d = q.model_dump() if isinstance(q, Quantity) else q
    if d.get("value") is not None:
        figure: Any = _r(d["value"])
    elif d.get("delta") is not None:
        figure = ("delta", _r(d["delta"]))
    elif d.get("low") is not None:
        figure = ("range", _r(d["low"]), _r(d.get("high")))
    else:
        figure = ("error", _r(d.get("error")))
    return (
        d.get("metric"),
        figure,
        d.get("unit"),
        d.get("dataset"),
        tuple(sorted(d.get("languages") or [])),
    )


def _predict(item: GoldItem) -> tuple[bool, str | None, list[Quantity]]:
    if item.passage is not None:
        for row in table_rows(item.passage):
            if row.text == item.text.strip():
                return True, "result", row.quantities
        return False, None, []
    quantities = parse_quantities(item.text)
    label = classify_sentence(item.text, quantities)
    return label.is_claim, label.kind.value if label.kind else None, quantities


def score(items: list[GoldItem], verbose: bool = False) -> Scores:
    """Run the offline extractor's parts over gold items and score them.

    Args:
        items: gold items (one split).
        verbose: record one line per disagreement in ``Scores.errors``.

    Returns:
        The scores, with the wall-clock seconds the predictions took.
    """
    s = Scores(n=len(items))
    start = time.perf_counter()
    predictions = [_predict(item) for item in items]
    s.seconds = time.perf_counter() - start
    for item, (is_claim, kind, quantities) in zip(items, predictions, strict=True):
        if is_claim and item.is_claim:
            s.tp += 1
            s.kind_total += 1
            s.kind_correct += kind == item.kind
            if verbose and kind != item.kind:
                s.errors.append(f"{item.id} KIND {kind} != {item.kind}: {item.text}")
        elif is_claim:
            s.fp += 1
            if verbose:
                s.errors.append(f"{item.id} FP: {item.text}")
        elif item.is_claim:
            s.fn += 1
            if verbose:
                s.errors.append(f"{item.id} FN: {item.text}")
        pred = Counter(quantity_tuple(q) for q in quantities)
        gold = Counter(quantity_tuple(q) for q in item.quantities)
        s.q_tp += sum((pred & gold).values())
        s.q_pred += sum(pred.values())
        s.q_gold += sum(gold.values())
        if verbose and pred != gold:
            s.errors.append(
                f"{item.id} Q: {item.text}\n    pred {sorted(pred.elements(), key=str)}\n"
                f"    gold {sorted(gold.elements(), key=str)}"
            )
    return s
