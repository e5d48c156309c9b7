"""Fits made after training, on the SciFact calibration claims only (never the test claims).

- ``combiner`` (:func:`fit_combiner`, gold evidence): a logistic regression over the judge's
  logits and the fallback judge's lexical-cue logits, which replaces temperature scaling when
  present (SciFact dev, gold evidence: 0.605 -> 0.641 macro-F1 for the 1,200-step judge).

A real `verify` run retrieves its evidence from a library, so two more things are fitted with
open retrieval over the whole SciFact corpus imported as a library:

- ``retrieval_nei_bias``: the NOT_ENOUGH_INFO log-factor for the most-decisive-passage rule;
- ``aggregator``: the verdict aggregation over all candidates
  (:class:`~litcheck.verify.aggregate.Aggregator`), used in place of that rule when present.

All are written into the judge's ``calibration.json``. ``litcheck train-verifier`` fits the
combiner when training ends and the retrieval fits after it (``--no-retrieval-fit`` skips
those; ``--only-fit`` refits everything for a saved judge without training), and
``benchmarks/eval_verifier.py --fit-open`` reruns the retrieval fits for the benchmark.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.console import atomic_write_text
from litcheck.library import Library
from litcheck.models import Claim, Paper
from litcheck.verify.aggregate import Aggregator, fit_aggregator
from litcheck.verify.calibration import macro_f1
from litcheck.verify.data import load_scifact_claims, load_scifact_corpus
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import Judge
from litcheck.verify.labels import label_index
from litcheck.verify.pipeline import shift_nei, verify_claims

#: Fewer calibration claims than this (or a label missing among them) leave the aggregator
#: unfitted: the pipeline then keeps the most-decisive-passage rule with the fitted shift.
MIN_AGGREGATOR_CLAIMS = 30
#: The NOT_ENOUGH_INFO shifts tried; ties go to the one closest to zero.
SHIFT_GRID = tuple(sorted(np.round(np.arange(-2.0, 6.01, 0.1), 2).tolist(), key=abs))


def scifact_library(home: Path, data_dir: Path, max_docs: int | None = None) -> Library:
    """SciFact abstracts as a litcheck library (one "paper" per abstract), built once.

    Args:
        home: folder of the library (``library.sqlite`` is created there).
        data_dir: the shared data folder.
        max_docs: keep every abstract cited by a dev or calibration claim, then others in id
            order up to this many; None for the whole corpus (5,183 abstracts).

    Returns:
        The library; rebuilt incrementally when the selection changed.
    """
    from litcheck.library.chunking import make_passages

    lib = Library.open(home / "library.sqlite")
    corpus = load_scifact_corpus(data_dir)
    cited = {
        d
        for split in ("test", "calibration")
        for c in load_scifact_claims(data_dir, split)
        for d in [*c.cited, *c.rationales]
    }
    chosen = {f"sf{d}" for d in cited if d in corpus}
    limit = len(corpus) if max_docs is None else max_docs
    for pid in sorted(f"sf{d}" for d in corpus):
        if len(chosen) >= limit:
            break
        chosen.add(pid)
    have = set(lib.paper_ids())
    if have != chosen:
        for pid in have - chosen:
            lib.delete_paper(pid)
        items = []
        for pid in sorted(chosen - have):
            title, sents = corpus[int(pid[2:])]
            paper = Paper(arxiv_id=pid, title=title, abstract=" ".join(sents))
            items.append((paper, make_passages(paper)))
        lib.add_papers(items)
    return lib


@dataclass(frozen=True)
class OpenFit:
    """What :func:`fit_open_retrieval` found."""

    retrieval_nei_bias: float
    shift_macro_f1: float
    unshifted_macro_f1: float
    aggregator: Aggregator | None
    claims: int


def fit_open_retrieval(
    judge: Judge,
    lib: Library,
    index: PassageIndex,
    data_dir: Path,
    with_aggregator: bool = True,
    show_progress: bool = True,
) -> OpenFit:
    """Fit the retrieval NOT_ENOUGH_INFO shift and the aggregator on the calibration claims.

    Args:
        judge: the judge to fit for (its current aggregator, if any, is not used).
        lib: a library holding the SciFact corpus (:func:`scifact_library`).
        index: that library's passage index.
        data_dir: the shared data folder.
        with_aggregator: also fit the aggregator (the fallback judge keeps the simple rule).
        show_progress: progress bar on stderr.

    Returns:
        The fitted values, with the calibration macro-F1 of the shift rule.
    """
    sf = load_scifact_claims(data_dir, "calibration")
    claims = [Claim(id=str(c.id), text=c.claim) for c in sf]
    gold = np.array([label_index(c.label) for c in sf], dtype=np.int64)
    record: dict[str, list[NDArray[np.float64]]] = {}
    features: dict[str, NDArray[np.float64]] = {}
    verify_claims(
        claims,
        lib,
        index,
        judge,
        nei_shift=0.0,
        show_progress=show_progress,
        record_probs=record,
        record_features=features if with_aggregator else None,
    )

    def predict(shift: float) -> NDArray[np.int64]:
        out = []
        for c in claims:
            probs = [shift_nei(p, shift) for p in record.get(c.id, [])]
            if not probs:
                out.append(2)
                continue
            best = probs[int(np.argmax([p[0] + p[1] for p in probs]))]
            out.append(int(np.argmax(best)))
        return np.array(out, dtype=np.int64)

    best_shift = max(SHIFT_GRID, key=lambda s: (round(macro_f1(gold, predict(s)), 6), -abs(s)))
    aggregator = None
    have = [i for i, c in enumerate(claims) if c.id in features]
    if with_aggregator and len(have) >= MIN_AGGREGATOR_CLAIMS and len(set(gold[have])) == 3:
        aggregator = fit_aggregator(
            np.array([features[claims[i].id] for i in have]), gold[have], top_passages=3
        )
        aggregator.info.update(
            {
                "fitted_on": f"SciFact calibration claims ({len(have)}), open retrieval over "
                f"{lib.count('papers')} abstracts",
                "embedding_model": index.embedder.name,
                "fitted": time.strftime("%Y-%m-%d %H:%M"),
            }
        )
    return OpenFit(
        retrieval_nei_bias=float(best_shift),
        shift_macro_f1=macro_f1(gold, predict(best_shift)),
        unshifted_macro_f1=macro_f1(gold, predict(0.0)),
        aggregator=aggregator,
        claims=len(claims),
    )


def fit_combiner(judge: Judge, data_dir: Path) -> Aggregator | None:
    """Fit the judge/fallback combination on the gold-evidence calibration pairs.

    Args:
        judge: a :class:`~litcheck.verify.judge.CrossEncoderJudge` (its ``logits`` are used).
        data_dir: the shared data folder.

    Returns:
        The fitted model, or None when the calibration split is too small or lacks a label.
    """
    from litcheck.verify.data import calibration_pairs
    from litcheck.verify.judge import combiner_features

    logits = getattr(judge, "logits", None)
    if logits is None:
        return None
    pairs = calibration_pairs(data_dir)
    gold = np.array([label_index(p.label) for p in pairs], dtype=np.int64)
    if len(pairs) < MIN_AGGREGATOR_CLAIMS or len(set(gold.tolist())) < 3:
        return None
    claims, evidence = [p.claim for p in pairs], [p.evidence for p in pairs]
    features = combiner_features(logits(claims, evidence), claims, evidence)
    combiner = fit_aggregator(features, gold, top_passages=0)
    combiner.info.update(
        {
            "fitted_on": f"SciFact calibration pairs ({len(pairs)}), gold evidence",
            "fitted": time.strftime("%Y-%m-%d %H:%M"),
        }
    )
    return combiner


def _update_calibration(calibration_file: Path, updates: dict[str, Any]) -> dict[str, Any]:
    """Set keys of a judge's ``calibration.json`` atomically; a None value removes its key."""
    data: dict[str, Any] = (
        json.loads(calibration_file.read_text()) if calibration_file.is_file() else {}
    )
    for key, value in updates.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    atomic_write_text(calibration_file, json.dumps(data, indent=2))
    return data


def save_combiner(calibration_file: Path, combiner: Aggregator | None) -> None:
    """Write (or remove) the combiner in a judge's ``calibration.json`` (atomically)."""
    _update_calibration(
        calibration_file, {"combiner": combiner.to_dict() if combiner is not None else None}
    )


def save_open_fit(calibration_file: Path, fit: OpenFit) -> dict[str, Any]:
    """Write the fitted values into a judge's ``calibration.json`` (atomically).

    Returns:
        The new contents.
    """
    agg = fit.aggregator
    return _update_calibration(
        calibration_file,
        {
            "retrieval_nei_bias": fit.retrieval_nei_bias,
            "aggregator": agg.to_dict() if agg is not None else None,
        },
    )
