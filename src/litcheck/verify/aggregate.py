"""Aggregation over retrieved evidence: from per-passage judge outputs to one claim verdict.

With gold evidence a judge sees the sentences a claim rests on; with retrieval it sees the top
passages of a whole library, most of them beside the point, and "the passage that looks most
decisive speaks" calls too many claims SUPPORTED or CONTRADICTED on a near-miss (SciFact dev,
whole corpus: trained judge 0.438 macro-F1 with that rule, below the lexical fallback's 0.468).

:class:`Aggregator` is a small multinomial logistic regression over features of all the
candidates of a claim: the trained judge's log-probabilities for the first-ranked passage and
for its most decisive one, the strongest support / contradiction / weakest NOT_ENOUGH_INFO over
the candidates, the lexical fallback judge's view of its most decisive passage, and the
retrieval scores of the selected sentences. It is fitted on the SciFact *calibration* claims
with open retrieval (never the test claims), its L2 strength chosen by 5-fold cross-validated
macro-F1 on those claims, and a temperature fitted on the out-of-fold logits (strong L2 shrinks
the weights and would leave the confidences too timid); its probabilities are the verdict's
confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.verify.calibration import macro_f1, softmax

#: Bumped whenever :func:`claim_features` changes; a stored aggregator of another version is
#: ignored (the pipeline falls back to the most-decisive-passage rule) rather than misread.
FEATURES_VERSION = 1
N_FEATURES = 13
_EPS = 1e-6
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)


def claim_features(
    judge_probs: Sequence[NDArray[np.float64]],
    fallback_probs: Sequence[NDArray[np.float64]],
    sentence_scores: Sequence[float],
) -> NDArray[np.float64]:
    """Features of one claim's candidates, in retrieval order (best-ranked passage first).

    Args:
        judge_probs: per candidate passage, the trained judge's calibrated probabilities (3,).
        fallback_probs: per candidate, the fallback judge's probabilities (3,).
        sentence_scores: per candidate, the best selected sentence's retrieval score.

    Returns:
        A vector of :data:`N_FEATURES` values (no bias term).
    """
    if not judge_probs:
        return np.zeros(N_FEATURES, dtype=np.float64)
    lt = np.log(np.clip(np.asarray(judge_probs, dtype=np.float64), _EPS, 1.0))
    lf = np.log(np.clip(np.asarray(fallback_probs, dtype=np.float64), _EPS, 1.0))
    decisive = int(np.argmax(lt[:, 0] + lt[:, 1]))
    fb_decisive = int(np.argmax(lf[:, 0] + lf[:, 1]))
    sent = np.asarray(sentence_scores, dtype=np.float64)
    return np.concatenate(
        [
            lt[0],
            lt[decisive],
            [lt[:, 0].max(), lt[:, 1].max(), lt[:, 2].min()],
            lf[fb_decisive],
            [sent.max()],
        ]
    )


@dataclass(frozen=True)
class Aggregator:
    """A fitted multinomial logistic regression over :func:`claim_features`.

    Attributes:
        weights: shape (N_FEATURES + 1, 3); the last row is the bias.
        mean: feature means on the fitting claims (standardisation).
        std: feature standard deviations on the fitting claims.
        l2: the chosen L2 strength.
        cv_macro_f1: 5-fold cross-validated macro-F1 on the fitting claims at that strength.
        n: number of fitting claims.
        top_passages: candidates per claim the features were computed over.
        temperature: divides the logits; fitted on out-of-fold logits (NLL).
        bias: added to the tempered logits for the probabilities; fitted with the temperature
            when the weights were fitted label-balanced, so that the probabilities (the
            verdict's confidence) are calibrated while the decision stays the balanced one
            (:meth:`labels`). None: no bias.
    """

    weights: NDArray[np.float64]
    mean: NDArray[np.float64]
    std: NDArray[np.float64]
    l2: float
    cv_macro_f1: float
    n: int
    top_passages: int
    temperature: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)
    bias: NDArray[np.float64] | None = field(default=None, compare=False)
    #: Out-of-fold probabilities of the fitting claims at the chosen strength (not stored).
    oof: NDArray[np.float64] | None = field(default=None, compare=False, repr=False)
    #: Out-of-fold decisions (label indices) of the fitting claims (not stored).
    oof_labels: NDArray[np.int64] | None = field(default=None, compare=False, repr=False)

    def _logits(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        x = _design(np.atleast_2d(features), self.mean, self.std)
        return np.asarray(x @ self.weights, dtype=np.float64)

    def probabilities(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        """Calibrated label probabilities, shape (n, 3), for features of shape (n, N_FEATURES)."""
        z = self._logits(features) / self.temperature
        return softmax(z if self.bias is None else z + self.bias)

    def labels(self, features: NDArray[np.float64]) -> NDArray[np.int64]:
        """The decided label index per row: the argmax of the fitted (maybe balanced) logits.

        Without a bias this is the argmax of :meth:`probabilities`; with one, the decision
        keeps the balanced fit's equal regard for every label while the probability of the
        decided label says how often such decisions were right.
        """
        return np.asarray(self._logits(features).argmax(axis=1), dtype=np.int64)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored in the judge's ``calibration.json`` as ``aggregator``)."""
        return {
            "features_version": FEATURES_VERSION,
            "weights": self.weights.round(6).tolist(),
            "mean": self.mean.round(6).tolist(),
            "std": self.std.round(6).tolist(),
            "l2": self.l2,
            "cv_macro_f1": round(self.cv_macro_f1, 4),
            "n": self.n,
            "top_passages": self.top_passages,
            "temperature": round(self.temperature, 6),
            "bias": None if self.bias is None else self.bias.round(6).tolist(),
            "info": self.info,
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any] | None, n_features: int = N_FEATURES
    ) -> Aggregator | None:
        """The stored model, or None when absent, of another feature version or shape.

        Args:
            data: what :meth:`to_dict` wrote.
            n_features: the feature count the caller computes (the same linear model also
                combines the judge's logits with the fallback's, with 6 features).
        """
        if not data or data.get("features_version") != FEATURES_VERSION:
            return None
        weights = np.asarray(data["weights"], dtype=np.float64)
        if weights.shape != (n_features + 1, 3):
            return None
        return cls(
            weights=weights,
            mean=np.asarray(data["mean"], dtype=np.float64),
            std=np.asarray(data["std"], dtype=np.float64),
            l2=float(data["l2"]),
            cv_macro_f1=float(data["cv_macro_f1"]),
            n=int(data["n"]),
            top_passages=int(data.get("top_passages", 3)),
            temperature=float(data.get("temperature", 1.0)),
            info=dict(data.get("info", {})),
            bias=None if data.get("bias") is None else np.asarray(data["bias"], np.float64),
        )


def _design(
    x: NDArray[np.float64], mean: NDArray[np.float64], std: NDArray[np.float64]
) -> NDArray[np.float64]:
    z = (np.asarray(x, dtype=np.float64) - mean) / std
    return np.hstack([z, np.ones((len(z), 1))])


def _fit_weights(
    x: NDArray[np.float64],
    y: NDArray[np.int64],
    l2: float,
    iters: int = 2000,
    balanced: bool = False,
) -> NDArray[np.float64]:
    """Gradient descent on the mean log-loss plus l2/n·|W|² (bias included; it is tiny).

    ``balanced`` weighs each row by ``n / (3 · count of its label)``, so every label counts
    as much in the loss as the others however rare it is.
    """
    w = np.zeros((x.shape[1], 3), dtype=np.float64)
    onehot = np.eye(3)[y]
    weight = np.ones((len(y), 1))
    if balanced:
        counts = np.bincount(y, minlength=3).astype(np.float64)
        weight = (len(y) / (3 * np.maximum(counts, 1.0)))[y][:, None]
    for _ in range(iters):
        grad = x.T @ (weight * (softmax(x @ w) - onehot)) / len(y) + l2 * w / len(y)
        w -= 0.2 * grad
    return w


def fit_aggregator(
    features: NDArray[np.float64],
    gold: NDArray[np.int64],
    top_passages: int,
    l2_grid: Sequence[float] = L2_GRID,
    folds: int = 5,
    seed: int = 0,
    groups: Sequence[int] | NDArray[np.int64] | None = None,
    balanced: bool = False,
    probability_bias: bool = True,
) -> Aggregator:
    """Fit the aggregator, choosing the L2 strength by cross-validated macro-F1.

    Args:
        features: shape (n, k), e.g. from :func:`claim_features`.
        gold: gold label indices, shape (n,).
        top_passages: candidates per claim the features came from (stored for the record; 0
            for pair-level models).
        l2_grid: L2 strengths tried; ties go to the stronger (simpler) one.
        folds: cross-validation folds.
        seed: fold assignment seed.
        groups: per row, a group id (e.g. the claim a row was made from); rows of one group
            share a fold, so a claim seen in several settings never scores itself out of
            fold. None: every row is its own group.
        balanced: weigh the labels equally in the loss (see :func:`_fit_weights`), for a
            macro-F1 goal when one label is much rarer (CONTRADICTED among retrievals).
        probability_bias: with ``balanced``, also fit a per-label bias for the probabilities
            (:attr:`Aggregator.bias`), so that they are calibrated while :meth:`Aggregator.labels`
            keeps the balanced decision. False: a temperature only, so that the argmax of the
            probabilities *is* the balanced decision (for a judge, whose callers see only
            probabilities).

    Returns:
        The aggregator refitted on all claims at the chosen strength.

    Raises:
        ValueError: with fewer than ``2 * folds`` claims or a label missing.
    """
    x_raw = np.asarray(features, dtype=np.float64)
    y = np.asarray(gold, dtype=np.int64)
    if len(y) < 2 * folds or len(set(y.tolist())) < 3:
        raise ValueError("fitting the aggregator needs claims of all three labels")
    mean = x_raw.mean(axis=0)
    std = x_raw.std(axis=0) + 1e-6
    x = _design(x_raw, mean, std)
    if groups is None:
        fold_of = np.random.default_rng(seed).permutation(len(y)) % folds
    else:
        uniq, inverse = np.unique(np.asarray(groups), return_inverse=True)
        fold_of = (np.random.default_rng(seed).permutation(len(uniq)) % folds)[inverse]
    best: tuple[float, float, NDArray[np.float64]] | None = None
    for l2 in sorted(l2_grid, reverse=True):
        held_out = np.zeros((len(y), 3), dtype=np.float64)
        for f in range(folds):
            train, held = fold_of != f, fold_of == f
            held_out[held] = x[held] @ _fit_weights(x[train], y[train], l2, balanced=balanced)
        f1 = macro_f1(y, held_out.argmax(axis=1))
        if best is None or f1 > best[1] + 1e-9:
            best = (l2, f1, held_out)
    assert best is not None
    l2, cv, held_out = best
    bias: NDArray[np.float64] | None = None
    if balanced and probability_bias:
        temperature, bias = _fit_temperature_bias(held_out, y)
        oof = softmax(held_out / temperature + bias)
    else:
        temperature = _fit_temperature(held_out, y)
        oof = softmax(held_out / temperature)
    return Aggregator(
        weights=_fit_weights(x, y, l2, balanced=balanced),
        mean=mean,
        std=std,
        l2=l2,
        cv_macro_f1=cv,
        n=len(y),
        top_passages=top_passages,
        temperature=temperature,
        bias=bias,
        oof=oof,
        oof_labels=np.asarray(held_out.argmax(axis=1), dtype=np.int64),
    )


def _fit_temperature(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    """The temperature minimising the negative log-likelihood of out-of-fold logits."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        p = softmax(logits / np.exp(log_t))
        return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

    res = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(res.x))


def _fit_temperature_bias(
    logits: NDArray[np.float64], y: NDArray[np.int64]
) -> tuple[float, NDArray[np.float64]]:
    """Temperature and per-label bias (the first fixed at 0) minimising the out-of-fold NLL."""
    from scipy.optimize import minimize

    def nll(params: NDArray[np.float64]) -> float:
        b = np.array([0.0, params[1], params[2]])
        p = softmax(logits / np.exp(params[0]) + b)
        return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

    res = minimize(nll, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-7})
    log_t, b1, b2 = (float(v) for v in res.x)
    return float(np.exp(np.clip(log_t, -3.0, 3.0))), np.array([0.0, b1, b2])
