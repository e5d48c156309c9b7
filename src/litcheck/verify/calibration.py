"""Calibration and scoring: temperature scaling, the NOT_ENOUGH_INFO bias, macro-F1, ECE.

The judge's raw logits become a decision and a confidence in two fitted steps, both on the
calibration split only: an additive bias on the NOT_ENOUGH_INFO logit (chosen to maximise
macro-F1, because how much evidence is "enough" differs between training data and real
retrieval), then a temperature that minimises the negative log-likelihood of the biased logits,
so that the reported confidence is the probability of the reported label.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.verify.labels import LABELS

NEI = 2


@dataclass(frozen=True)
class Calibration:
    """Fitted post-processing of a judge's logits."""

    temperature: float = 1.0
    nei_bias: float = 0.0

    def probabilities(self, logits: NDArray[np.float64]) -> NDArray[np.float64]:
        """Calibrated class probabilities (rows sum to 1) for logits of shape (n, 3)."""
        z = np.asarray(logits, dtype=np.float64).copy()
        z[:, NEI] += self.nei_bias
        return softmax(z / self.temperature)

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        return cls(float(data.get("temperature", 1.0)), float(data.get("nei_bias", 0.0)))


def softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax, numerically stable."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def macro_f1(gold: NDArray[np.int64], pred: NDArray[np.int64], n_classes: int = 3) -> float:
    """Unweighted mean F1 over the classes."""
    return float(np.mean(per_class_f1(gold, pred, n_classes)))


def per_class_f1(
    gold: NDArray[np.int64], pred: NDArray[np.int64], n_classes: int = 3
) -> list[float]:
    """F1 of each class (0 where a class is neither predicted nor present)."""
    out = []
    for c in range(n_classes):
        tp = float(np.sum((pred == c) & (gold == c)))
        fp = float(np.sum((pred == c) & (gold != c)))
        fn = float(np.sum((pred != c) & (gold == c)))
        out.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return out


def ece(confidence: NDArray[np.float64], correct: NDArray[np.bool_], bins: int = 10) -> float:
    """Expected calibration error of top-label confidences, equal-width bins."""
    confidence = np.asarray(confidence, dtype=np.float64)
    correct = np.asarray(correct, dtype=bool)
    if len(confidence) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence <= hi)
        if mask.any():
            total += float(mask.mean()) * abs(
                float(confidence[mask].mean()) - float(correct[mask].mean())
            )
    return total


def fit_calibration(logits: NDArray[np.float64], gold: NDArray[np.int64]) -> Calibration:
    """Fit the NOT_ENOUGH_INFO bias (macro-F1) and then the temperature (NLL).

    Args:
        logits: raw judge logits, shape (n, 3), in :data:`LABELS` order.
        gold: gold class indices.

    Returns:
        The fitted :class:`Calibration`.
    """
    from scipy.optimize import minimize_scalar

    z = np.asarray(logits, dtype=np.float64)
    gold = np.asarray(gold, dtype=np.int64)
    best_bias, best_f1 = 0.0, -1.0
    # Ties go to the bias closest to zero: the least departure from what training learnt.
    for bias in sorted(np.arange(-4.0, 4.01, 0.1), key=abs):
        shifted = z.copy()
        shifted[:, NEI] += bias
        f1 = macro_f1(gold, shifted.argmax(axis=1))
        if f1 > best_f1 + 1e-9:
            best_bias, best_f1 = float(bias), f1
    shifted = z.copy()
    shifted[:, NEI] += best_bias

    def nll(log_t: float) -> float:
        p = softmax(shifted / np.exp(log_t))
        return float(-np.mean(np.log(p[np.arange(len(gold)), gold] + 1e-12)))

    res = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return Calibration(temperature=float(np.exp(res.x)), nei_bias=round(best_bias, 2))


def score(
    probs: NDArray[np.float64],
    gold: NDArray[np.int64],
    labels: NDArray[np.int64] | None = None,
) -> dict[str, Any]:
    """Macro-F1, per-class F1, accuracy, ECE, mean confidence and the confusion matrix of
    calibrated predictions.

    Args:
        probs: label probabilities, shape (n, 3).
        gold: gold label indices.
        labels: the decided labels where they are not the argmax of ``probs`` (a verdict
            decided by a label-balanced fit, with a calibrated confidence below the others);
            the ECE then uses each decided label's probability.
    """
    if labels is None:
        pred = probs.argmax(axis=1)
        conf = probs.max(axis=1)
    else:
        pred = np.asarray(labels, dtype=np.int64)
        conf = probs[np.arange(len(pred)), pred]
    cm = np.zeros((3, 3), dtype=int)
    for g, p in zip(gold, pred, strict=True):
        cm[int(g), int(p)] += 1
    return {
        "n": len(gold),
        "macro_f1": round(macro_f1(gold, pred), 4),
        "f1": {LABELS[i].value: round(f, 4) for i, f in enumerate(per_class_f1(gold, pred))},
        "accuracy": round(float(np.mean(pred == gold)), 4),
        "ece": round(ece(conf, pred == gold), 4),
        "mean_confidence": round(float(np.mean(conf)), 4) if len(conf) else 0.0,
        "confusion": cm.tolist(),
    }
