"""When a verdict may be decisive: the bearing gate and the abstention threshold.

Two decisions sit between the judge's probabilities and the verdict a reader sees, both fitted
on the SciFact *calibration* claims (never the test claims) and stored in the judge's
``calibration.json`` under ``thresholds``:

- **Bearing.** A claim whose retrieved sentences do not bear on it gets NOT_ENOUGH_INFO with
  the reason "no passage bears on this claim", whatever the judge leans to. Whether a sentence
  bears on a claim is a small logistic model over the retrieval score of the best sentence and
  the share of the claim's key terms (names, acronyms, figures, content words) that the
  retrieved sentences contain, fitted on calibration claims searched in the whole corpus and
  the same claims searched only among abstracts that do not hold their evidence. Its threshold
  is the highest probability at which the gated claims are still >= 90 % truly without
  evidence.
- **Abstention.** A SUPPORTED or CONTRADICTED verdict below the confidence threshold is shown
  as NOT_ENOUGH_INFO, "too weak to decide", with the leaning and its confidence in the reason.
  The threshold is the lowest confidence at which decisive verdicts reach
  :data:`TARGET_PRECISION` on the calibration claims (out-of-fold confidences).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.verify.calibration import macro_f1
from litcheck.verify.text import stems

#: Precision that decisive verdicts must reach on the calibration claims.
TARGET_PRECISION = 0.9
#: Precision that a "no passage bears" gate must reach (share of gated claims without evidence).
GATE_PRECISION = 0.9
#: Confidences tried as abstention thresholds, and reported in the coverage/precision curve.
CURVE_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.arange(0.34, 0.991, 0.01))

_KEY = re.compile(r"\b(?:[A-Za-z]*[A-Z][A-Za-z]*[-\d]*[A-Za-z\d]*|\d+(?:\.\d+)?)\b")


def key_terms(claim: str) -> set[str]:
    """Terms a passage must share to be about the claim: names, acronyms, figures.

    Args:
        claim: the claim text.

    Returns:
        Lower-cased terms (the sentence-initial word is not counted as a name).
    """
    words = claim.split()
    first = words[0] if words else ""
    out: set[str] = set()
    for m in _KEY.finditer(claim):
        term = m.group(0)
        if m.start() == 0 and term == first and term[1:].islower():
            continue
        if term.isalpha() and term[1:].islower() and len(term) <= 3:
            continue
        out.add(term.lower())
    return out


def key_coverage(claim: str, sentences: Sequence[str]) -> float:
    """Share of the claim's key terms (else its content stems) found in ``sentences``.

    Args:
        claim: the claim text.
        sentences: the retrieved sentences.

    Returns:
        A value in [0, 1]; 0 when nothing was retrieved.
    """
    if not sentences:
        return 0.0
    text = " ".join(sentences).lower()
    keys = key_terms(claim)
    if keys:
        return sum(1 for k in keys if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w])", text)) / len(
            keys
        )
    c = stems(claim)
    if not c:
        return 0.0
    return len(c & stems(text)) / len(c)


#: Name kinds a passage must share with a claim to bear on it.
NAMED_SLOTS = ("dataset", "model")
_NAMED = frozenset(NAMED_SLOTS)


def _names(text: str) -> frozenset[str]:
    """The dataset and model names ``text`` mentions."""
    from litcheck.extract.vocab import names_in

    return names_in(text, _NAMED)


def unnamed_terms(claim: str, sentences: Sequence[str]) -> list[str]:
    """The benchmarks and models a claim names when *none* of them occurs in ``sentences``.

    A claim about XTREME and XGLUE is not borne out by a passage that names neither, however
    close its wording: such a passage cannot decide the claim. Only the field's closed
    vocabulary of dataset and model names counts (:mod:`litcheck.extract.vocab`, where
    "XLM-RoBERTa" and "XLM-R" are one name): open-ended names (genes, drugs) are written too
    many ways for an exact match to mean anything, and measured on the SciFact calibration
    claims such a rule cost 3.5 points of macro-F1.

    Args:
        claim: the claim text.
        sentences: every sentence of the retrieved passages.

    Returns:
        The claim's dataset and model names, or [] when it names none or a passage names one.
    """
    names = _names(claim)
    if not names or not sentences:
        return []
    for sentence in sentences:
        if names & _names(sentence):
            return []
    return sorted(names)


def missing_names(claim: str, sentences: Sequence[str]) -> list[str]:
    """The models and benchmarks a claim names that no sentence names, when others are named.

    "On PAWS-X, XLM-R outperforms multilingual BERT" is not borne out by sentences about
    mBERT on PAWS-X that never name XLM-R: half of the comparison is missing. Like
    :func:`unnamed_terms`, only the field's closed vocabulary of dataset and model names
    counts, aliases folded ("XLM-RoBERTa" is "XLM-R").

    Args:
        claim: the claim text.
        sentences: every sentence of the retrieved passages.

    Returns:
        The claim's dataset and model names that no sentence names, or [] when every one is
        named somewhere (or none is: that case is :func:`unnamed_terms`'s).

    Example:
        >>> missing_names("On PAWS-X, XLM-R outperforms mBERT.", ["mBERT on PAWS-X scores 81."])
        ['XLM-R']
    """
    missing = unjoined_names(claim, [sentences]) if sentences else []
    return missing if set(missing) != _names(claim) else []


def unjoined_names(claim: str, papers: Sequence[Sequence[str]]) -> list[str]:
    """The claim's names that no single paper's retrieved sentences name together.

    "On PAWS-X, XLM-R outperforms multilingual BERT", searched over a library, finds XLM-R's
    abstract (XLM-R, mBERT, XNLI) and PAWS-X's (PAWS-X, mBERT): every name is somewhere, but
    no paper puts XLM-R and PAWS-X together, so no paper states the claim.

    Args:
        claim: the claim text.
        papers: for each paper whose sentences support the verdict, its retrieved sentences.

    Returns:
        [] when some paper names all of the claim's dataset and model names (or the claim
        names fewer than two); else the names the best such paper lacks.

    Example:
        >>> unjoined_names("On PAWS-X, XLM-R outperforms mBERT.",
        ...                [["XLM-R outperforms mBERT on XNLI."], ["mBERT on PAWS-X."]])
        ['PAWS-X']
    """
    names = _names(claim)
    if len(names) < 2 or not papers:
        return []
    best: frozenset[str] | None = None
    for sentences in papers:
        missing = names.difference(*(_names(s) for s in sentences))
        if not missing:
            return []
        if best is None or len(missing) < len(best):
            best = missing
    return sorted(best or ())


def swapped_tasks(claim: str, sentences: Sequence[str]) -> tuple[list[str], list[str]]:
    """The tasks a claim names that no sentence names, when some sentence names another.

    "Robust training improves transfer on question answering" is not borne out by "... on text
    classification tasks", however close the rest of the wording: the evidence is about another
    task. A task no sentence mentions at all is left to the judge (evidence may describe a task
    without naming its family).

    Args:
        claim: the claim text.
        sentences: every sentence of the retrieved passages.

    Returns:
        ``(missing, others)``: the claim's tasks no sentence names and the tasks the sentences
        name instead, when there are both; else two empty lists.
    """
    from litcheck.extract.vocab import find_tasks

    wanted = find_tasks(claim)
    if not wanted or not sentences:
        return [], []
    named: set[str] = set()
    for sentence in sentences:
        named |= find_tasks(sentence)
    missing, others = wanted - named, named - wanted
    return (sorted(missing), sorted(others)) if missing and others else ([], [])


def bearing_features(
    claim: str, sentences: Sequence[str], sentence_scores: Sequence[float]
) -> NDArray[np.float64]:
    """[best retrieval score, key-term coverage, content-stem coverage] of one claim."""
    if not sentences:
        return np.zeros(3, dtype=np.float64)
    c = stems(claim)
    stem_cover = len(c & stems(" ".join(sentences))) / len(c) if c else 0.0
    return np.array(
        [max(sentence_scores), key_coverage(claim, sentences), stem_cover], dtype=np.float64
    )


@dataclass(frozen=True)
class Thresholds:
    """The fitted gate and threshold (absent parts leave the verdict unchanged).

    Attributes:
        bearing_weights: logistic weights over :func:`bearing_features` plus a bias.
        bearing_min: claims whose bearing probability is below this are NOT_ENOUGH_INFO.
        abstain_below: decisive verdicts below this confidence are NOT_ENOUGH_INFO.
        abstain_reason: why that threshold (the target precision it reaches, or the floor).
        info: how and on what they were fitted, with the calibration curve.
        gate_confidence: (slope, intercept) of a logistic over the logit of the bearing
            probability, fitted on the gated calibration claims to the share whose right
            answer is NOT_ENOUGH_INFO: the confidence of a gated verdict. "No passage bears"
            is not "no evidence exists" (retrieval misses some), so ``1 - bearing`` would
            overstate it. None: ``1 - bearing``.
    """

    bearing_weights: tuple[float, ...] | None = None
    bearing_min: float | None = None
    abstain_below: float | None = None
    abstain_reason: str | None = None
    info: dict[str, Any] | None = None
    gate_confidence: tuple[float, float] | None = None

    def bearing(self, features: NDArray[np.float64]) -> float | None:
        """Probability that the retrieved sentences bear on the claim (None: no gate)."""
        if self.bearing_weights is None:
            return None
        w = np.asarray(self.bearing_weights, dtype=np.float64)
        z = float(np.dot(w[:-1], features) + w[-1])
        return float(1.0 / (1.0 + np.exp(-z)))

    def gated(self, features: NDArray[np.float64]) -> bool:
        """Whether no retrieved sentence bears on the claim."""
        p = self.bearing(features)
        return p is not None and self.bearing_min is not None and p < self.bearing_min

    def gated_confidence(self, features: NDArray[np.float64]) -> float:
        """Confidence of the NOT_ENOUGH_INFO verdict of a gated claim."""
        p = self.bearing(features) or 0.0
        if self.gate_confidence is None:
            return 1.0 - p
        slope, intercept = self.gate_confidence
        z = slope * _logit(p) + intercept
        return float(1.0 / (1.0 + np.exp(-z)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "bearing_weights": list(self.bearing_weights) if self.bearing_weights else None,
            "bearing_min": self.bearing_min,
            "abstain_below": self.abstain_below,
            "abstain_reason": self.abstain_reason,
            "gate_confidence": list(self.gate_confidence) if self.gate_confidence else None,
            "info": self.info or {},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Thresholds:
        """Read what :meth:`to_dict` wrote (an empty or missing entry gives no thresholds)."""
        if not data:
            return cls()
        weights = data.get("bearing_weights")
        return cls(
            bearing_weights=tuple(float(x) for x in weights) if weights else None,
            bearing_min=None if data.get("bearing_min") is None else float(data["bearing_min"]),
            abstain_below=(
                None if data.get("abstain_below") is None else float(data["abstain_below"])
            ),
            abstain_reason=data.get("abstain_reason"),
            info=dict(data["info"]) if data.get("info") else None,
            gate_confidence=(
                (float(data["gate_confidence"][0]), float(data["gate_confidence"][1]))
                if data.get("gate_confidence")
                else None
            ),
        )


def _logit(p: float | NDArray[np.float64]) -> NDArray[np.float64]:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


#: Fewest gated calibration claims of both kinds to fit the gated verdicts' confidence on.
MIN_GATED_FOR_CONFIDENCE = 20


def fit_gate_confidence(
    bearing: NDArray[np.float64], right: NDArray[np.bool_]
) -> tuple[float, float] | None:
    """Platt scaling of gated verdicts: P(NOT_ENOUGH_INFO is right | bearing probability).

    Args:
        bearing: the bearing probability of each *gated* calibration claim.
        right: whether NOT_ENOUGH_INFO is that claim's gold label.

    Returns:
        (slope, intercept) over the logit of the bearing probability, or None with fewer than
        :data:`MIN_GATED_FOR_CONFIDENCE` gated claims or only one outcome among them.
    """
    y = np.asarray(right, dtype=np.float64)
    if len(y) < MIN_GATED_FOR_CONFIDENCE or y.min() == y.max():
        return None
    x = np.stack([_logit(np.asarray(bearing, dtype=np.float64)), np.ones(len(y))], axis=1)
    w = np.array([-1.0, 0.0])
    for _ in range(5000):
        q = 1.0 / (1.0 + np.exp(-(x @ w)))
        # A light L2 on the slope only: with few claims the fit may otherwise run away.
        w -= 0.5 * (x.T @ (q - y) / len(y) + np.array([0.01 * w[0], 0.0]))
    return round(float(w[0]), 6), round(float(w[1]), 6)


def fit_bearing(
    features: NDArray[np.float64], bears: NDArray[np.bool_], precision: float = GATE_PRECISION
) -> tuple[tuple[float, ...], float | None, dict[str, Any]]:
    """Fit the bearing model and its gate threshold.

    Args:
        features: shape (n, 3), :func:`bearing_features` per calibration claim.
        bears: whether the searched papers hold the claim's gold evidence and it was retrieved.
        precision: required share of gated claims that truly have no evidence.

    Returns:
        (weights, threshold or None when no threshold reaches the precision, info).
    """
    x = np.hstack([np.asarray(features, dtype=np.float64), np.ones((len(features), 1))])
    y = np.asarray(bears, dtype=np.float64)
    w = np.zeros(x.shape[1])
    for _ in range(3000):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= 0.5 * (x.T @ (p - y) / len(y) + 0.01 * w / len(y))
    p = 1.0 / (1.0 + np.exp(-(x @ w)))
    best: float | None = None
    gated_n = 0
    for t in np.unique(np.round(p, 3)):
        gated = p < t
        if gated.sum() < 5:
            continue
        if float(np.mean(~bears[gated])) >= precision:
            best, gated_n = float(t), int(gated.sum())
    info = {
        "claims": len(y),
        "with_evidence": int(y.sum()),
        "gated": gated_n,
        "gated_without_evidence": (
            round(float(np.mean(~bears[p < best])), 4) if best is not None else None
        ),
    }
    return tuple(round(float(v), 6) for v in w), best, info


def fit_gate(
    bearing: NDArray[np.float64], pred: NDArray[np.int64], gold: NDArray[np.int64]
) -> tuple[float | None, dict[str, Any]]:
    """The bearing threshold under which the gated verdicts score the best macro-F1.

    A precision target alone gates too much: a claim without evidence that the aggregator
    already calls NOT_ENOUGH_INFO gains nothing from the gate, while each gated claim that
    has evidence loses its verdict. So the threshold is the one that maximises the macro-F1
    of the final verdicts (gated claims become NOT_ENOUGH_INFO), no gate included; ties go
    to the lower threshold, which gates fewer claims.

    Args:
        bearing: per calibration claim, the bearing model's probability.
        pred: per claim, the label index before the gate (out-of-fold where fitted).
        gold: gold label indices.

    Returns:
        (threshold or None for no gate, info with the macro-F1 with and without it).
    """
    nei = 2
    p = np.asarray(bearing, dtype=np.float64)
    base = macro_f1(gold, pred)
    best_t: float | None = None
    best_f1 = base
    for t in np.unique(np.round(p, 3)):
        final = np.where(p < t, nei, pred)
        f1 = macro_f1(gold, final)
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = float(t), f1
    gated = int((p < best_t).sum()) if best_t is not None else 0
    return best_t, {
        "macro_f1_without_gate": round(float(base), 4),
        "macro_f1_with_gate": round(float(best_f1), 4),
        "gated": gated,
    }


def coverage_curve(
    confidence: NDArray[np.float64], decisive: NDArray[np.bool_], correct: NDArray[np.bool_]
) -> list[dict[str, float]]:
    """Coverage and precision of decisive verdicts at each threshold of :data:`CURVE_GRID`.

    Args:
        confidence: per claim, the confidence of its decisive (SUPPORTED/CONTRADICTED) verdict.
        decisive: whether the verdict before abstention was SUPPORTED or CONTRADICTED.
        correct: whether that verdict equals the gold label.

    Returns:
        Rows ``{"threshold", "coverage", "precision", "decisive"}``; coverage is the share of
        all claims left decisive, precision the share of those that are right.
    """
    rows = []
    n = max(1, len(confidence))
    for t in CURVE_GRID:
        keep = decisive & (confidence >= t)
        k = int(keep.sum())
        rows.append(
            {
                "threshold": t,
                "coverage": round(k / n, 4),
                "precision": round(float(correct[keep].mean()), 4) if k else 1.0,
                "decisive": k,
            }
        )
    return rows


def fit_abstention(
    confidence: NDArray[np.float64],
    decisive: NDArray[np.bool_],
    correct: NDArray[np.bool_],
    precision: float = TARGET_PRECISION,
    min_decisive: int = 10,
) -> tuple[float | None, list[dict[str, float]]]:
    """The lowest threshold at which decisive verdicts reach ``precision`` (and stay there).

    Args:
        confidence: see :func:`coverage_curve`.
        decisive: see :func:`coverage_curve`.
        correct: see :func:`coverage_curve`.
        precision: the target.
        min_decisive: a threshold leaving fewer decisive verdicts is not trusted.

    Returns:
        (threshold or None when the target is never reached, the curve).
    """
    curve = coverage_curve(confidence, decisive, correct)
    ok = [r["precision"] >= precision and r["decisive"] >= min_decisive for r in curve]
    for i, row in enumerate(curve):
        # Every higher threshold with enough verdicts must also reach the target, so that one
        # lucky bin does not set the threshold.
        later = [ok[j] for j in range(i, len(curve)) if curve[j]["decisive"] >= min_decisive]
        if ok[i] and all(later):
            return float(row["threshold"]), curve
    return None, curve
