"""Accuracy of the verifier on SciFact dev (never trained or calibrated on).

Two settings, each for the fallback judge and the trained judge (when one is saved):

- gold evidence: the judge sees each claim's rationale sentences (NOT_ENOUGH_INFO claims: the
  top sentences of their cited abstract), then the numeric checker;
- open corpus: the full pipeline — hybrid retrieval over all 5,183 SciFact abstracts imported
  into a library, sentence selection, judge, numeric checker — with no cited papers given.

Usage (results land in reports/benchmarks/verify-accuracy.json and verify.md):

    python benchmarks/eval_verifier.py                     # gold + open corpus, both judges
    python benchmarks/eval_verifier.py --skip-open         # gold evidence only
    python benchmarks/eval_verifier.py --fit-fallback      # print the fallback's calibration
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.console import err_console  # noqa: E402
from litcheck.library import Library  # noqa: E402
from litcheck.models import Claim  # noqa: E402
from litcheck.settings import load_settings  # noqa: E402
from litcheck.verify.calibration import Calibration, fit_calibration, score  # noqa: E402
from litcheck.verify.data import (  # noqa: E402
    calibration_pairs,
    load_scifact_claims,
    test_pairs,
)
from litcheck.verify.judge import (  # noqa: E402
    CrossEncoderJudge,
    FallbackJudge,
    Judge,
    trained_model_dir,
)
from litcheck.verify.labels import label_index  # noqa: E402
from litcheck.verify.numeric import (  # noqa: E402
    CONTRADICT_CONFIDENCE,
    SUPPORT_CONFIDENCE,
    check_numbers,
)
from litcheck.verify.text import split_sentences  # noqa: E402

OUT_JSON = ROOT / "reports" / "benchmarks" / "verify-accuracy.json"


def with_numeric(claims: list[str], evidence: list[str], probs: np.ndarray) -> np.ndarray:
    """Apply the numeric checker's override to judge probabilities (as the pipeline does)."""
    out = probs.copy()
    for i, (c, e) in enumerate(zip(claims, evidence, strict=True)):
        res = check_numbers(c, split_sentences(e))
        if res.label is None:
            continue
        k = label_index(res.label)
        conf = {0: SUPPORT_CONFIDENCE, 1: CONTRADICT_CONFIDENCE}.get(k, max(out[i, 2], 0.5))
        out[i] = (1 - conf) / 2
        out[i, k] = conf
    return out


def gold_eval(judge: Judge, data_dir: Path) -> dict[str, Any]:
    pairs = test_pairs(data_dir)
    claims = [p.claim for p in pairs]
    ev = [p.evidence for p in pairs]
    gold = np.array([label_index(p.label) for p in pairs], dtype=np.int64)
    t0 = time.monotonic()
    probs = judge.probabilities(claims, ev)
    elapsed = time.monotonic() - t0
    numeric = with_numeric(claims, ev, probs)
    changed = int(np.sum(numeric.argmax(1) != probs.argmax(1)))
    return {
        "judge_only": score(probs, gold),
        "with_numeric": score(numeric, gold),
        "numeric_changed": changed,
        "pairs_per_s": round(len(pairs) / elapsed, 1),
    }


#: Abstracts in the open-corpus library: by default the whole corpus (5,183 abstracts, 8,589
#: passages). A smaller number keeps every abstract cited by a dev or calibration claim plus the
#: first others in id order (a quicker, easier corpus for trying changes).
_MAX_DOCS_ENV = os.environ.get("LITCHECK_BENCH_MAX_DOCS")
MAX_DOCS: int | None = int(_MAX_DOCS_ENV) if _MAX_DOCS_ENV else None


def scifact_library(home: Path, data_dir: Path, max_docs: int | None = MAX_DOCS) -> Library:
    """The SciFact corpus as a library (see :func:`litcheck.verify.fit_open.scifact_library`)."""
    from litcheck.verify.fit_open import scifact_library as build

    return build(home, data_dir, max_docs)


def open_eval(
    judge: Judge, data_dir: Path, home: Path, split: str = "test", limit: int | None = None
) -> dict[str, Any]:
    from litcheck.verify.embed import Embedder
    from litcheck.verify.index import PassageIndex
    from litcheck.verify.pipeline import verify_claims

    lib = scifact_library(home, data_dir)
    index = PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), home / "cache")
    sf = load_scifact_claims(data_dir, split)[:limit]
    claims = [Claim(id=str(c.id), text=c.claim) for c in sf]
    gold = np.array([label_index(c.label) for c in sf], dtype=np.int64)
    t0 = time.monotonic()
    verdicts = verify_claims(claims, lib, index, judge)
    elapsed = time.monotonic() - t0
    probs = np.zeros((len(verdicts), 3))
    for i, v in enumerate(verdicts):
        k = label_index(v.verdict)
        probs[i] = (1 - v.confidence) / 2
        probs[i, k] = v.confidence
    # Retrieval quality: does a gold evidence abstract appear among the passages we quote?
    hits = [
        any(e.paper == f"sf{d}" for e in v.evidence for d in c.rationales)
        for v, c in zip(verdicts, sf, strict=True)
        if c.rationales
    ]
    return {
        "pipeline": score(probs, gold),
        "claims_per_s": round(len(claims) / elapsed, 2),
        "passages": lib.count("passages"),
        "abstracts": lib.count("papers"),
        "gold_abstract_in_evidence": round(float(np.mean(hits)), 4) if hits else None,
    }


def fit_open(args: argparse.Namespace, settings: Any, data_dir: Path) -> None:
    """Fit the retrieval NOT_ENOUGH_INFO shift (and, for the trained judge, the aggregator)."""
    from litcheck.verify.embed import Embedder
    from litcheck.verify.fit_open import fit_open_retrieval, save_open_fit
    from litcheck.verify.index import PassageIndex

    lib = scifact_library(args.home, data_dir)
    index = PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), args.home / "cache")
    model_dir = trained_model_dir(settings)
    todo: dict[str, Judge] = {}
    if args.only in (None, "fallback"):
        todo["fallback"] = FallbackJudge()
    if args.only in (None, "trained") and (model_dir / "config.json").is_file():
        todo["trained"] = CrossEncoderJudge(str(model_dir))
    for name, judge in todo.items():
        fit = fit_open_retrieval(judge, lib, index, data_dir, with_aggregator=name == "trained")
        print(
            f"{name}: retrieval_nei_bias {fit.retrieval_nei_bias:+.1f} (calibration macro-F1 "
            f"{fit.shift_macro_f1:.3f}, {fit.unshifted_macro_f1:.3f} unshifted)"
        )
        if fit.aggregator is not None:
            print(
                f"{name}: aggregator l2 {fit.aggregator.l2:g}, cross-validated macro-F1 "
                f"{fit.aggregator.cv_macro_f1:.3f} on {fit.aggregator.n} calibration claims"
            )
        if name == "trained":
            save_open_fit(model_dir.parent / "calibration.json", fit)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument(
        "--home",
        type=Path,
        default=Path(os.environ.get("LITCHECK_BENCH_HOME", "/tmp/litcheck-bench")) / "scifact-full",
    )
    ap.add_argument("--skip-open", action="store_true")
    ap.add_argument("--only", choices=["fallback", "trained"], default=None)
    ap.add_argument("--limit", type=int, default=None, help="Open corpus: first N claims.")
    ap.add_argument("--fit-fallback", action="store_true")
    ap.add_argument(
        "--fit-open",
        action="store_true",
        help="Fit the retrieval NOT_ENOUGH_INFO shift on the calibration claims.",
    )
    args = ap.parse_args()
    settings = load_settings()
    data_dir = args.data or settings.data_dir
    if args.fit_fallback:
        cal = calibration_pairs(data_dir)
        z = FallbackJudge().logits([p.claim for p in cal], [p.evidence for p in cal])
        fitted = fit_calibration(z, np.array([label_index(p.label) for p in cal]))
        print(json.dumps(fitted.to_dict()))
        return
    if args.fit_open:
        fit_open(args, settings, data_dir)
        return
    judges: dict[str, Judge] = {}
    if args.only in (None, "fallback"):
        judges["fallback"] = FallbackJudge()
    model_dir = trained_model_dir(settings)
    if args.only in (None, "trained") and (model_dir / "config.json").is_file():
        judges["trained"] = CrossEncoderJudge(str(model_dir))
        judges["trained-no-cues"] = CrossEncoderJudge(str(model_dir), combine=False)
        raw = CrossEncoderJudge(str(model_dir), calibration=Calibration())
        judges["trained-uncalibrated"] = raw
    results: dict[str, Any] = json.loads(OUT_JSON.read_text()) if OUT_JSON.is_file() else {}
    for name, judge in judges.items():
        err_console.print(f"gold evidence: {name}")
        entry = results.setdefault(name, {})
        entry["judge"] = judge.name
        entry["gold"] = gold_eval(judge, data_dir)
        if name == "trained":
            card = json.loads((model_dir.parent / "card.json").read_text())
            entry["card"] = {k: card[k] for k in ("steps", "examples_seen", "calibration", "seed")}
        # The retrieval aggregator was fitted on the combined judge's outputs: only the judges
        # as `verify` runs them are evaluated with retrieval.
        if not args.skip_open and name in ("fallback", "trained"):
            err_console.print(f"open corpus: {name}")
            entry["open"] = open_eval(judge, data_dir, args.home, limit=args.limit)
            agg = getattr(judge, "aggregator", None)
            entry["open"]["aggregation"] = (
                {k: v for k, v in agg.to_dict().items() if k not in ("weights", "mean", "std")}
                if agg is not None
                else f"most decisive passage, retrieval NOT_ENOUGH_INFO shift "
                f"{getattr(judge, 'retrieval_nei_bias', 0.0):+.1f}"
            )
        entry["measured"] = time.strftime("%Y-%m-%d %H:%M")
        OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
        OUT_JSON.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    from bench_verify import write_report

    write_report()


if __name__ == "__main__":
    main()
