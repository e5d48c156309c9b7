"""The judge's base encoder compared under one budget: the same steps, batch, data and seed.

    python benchmarks/compare_judge_bases.py minilm all-MiniLM-L6-v2
    python benchmarks/compare_judge_bases.py e5 "$LITCHECK_HOME/models/multilingual-e5-small"
    python benchmarks/compare_judge_bases.py --report        # reports/benchmarks/judge-bases.md

Each run trains ``--steps`` steps of 32 pairs (the mixture of `litcheck train-verifier`, train
splits only; resumable: rerun to continue), fits a temperature and NOT_ENOUGH_INFO bias on the
SciFact calibration split and scores SciFact dev with gold evidence (never trained on). The
multilingual-e5-small base is the one `litcheck experiment build-encoder` writes. Results land
in ``--out`` (default /tmp/litcheck-bench/judge-bases/NAME/result.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.settings import load_settings  # noqa: E402
from litcheck.verify.calibration import Calibration, fit_calibration, score  # noqa: E402
from litcheck.verify.data import calibration_pairs, test_pairs  # noqa: E402
from litcheck.verify.labels import label_index  # noqa: E402
from litcheck.verify.train import TrainConfig, predict_logits, train_verifier  # noqa: E402

OUT = Path(os.environ.get("LITCHECK_BENCH_HOME", "/tmp/litcheck-bench")) / "judge-bases"
REPORT = ROOT / "reports" / "benchmarks" / "judge-bases.md"


def run(
    name: str,
    base: str,
    steps: int,
    out: Path,
    data: Path,
    threads: int = 2,
    eval_every: int = 0,
    time_limit: float | None = None,
) -> dict[str, object]:
    """Train one base for ``steps`` steps, calibrate and score it; write result.json.

    With ``time_limit`` the leg stops with a checkpoint after that many seconds and returns
    ``{"status": "paused"}``; rerun (with any ``threads``) to continue it.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = out / name
    cfg = TrainConfig(
        base=base,
        max_steps=steps,
        batch_size=32,
        lr=8e-5,
        max_length=128,
        seed=13,
        checkpoint_every=50,
        eval_every=eval_every,
        threads=threads,
    )
    t0 = time.monotonic()
    leg = train_verifier(
        data,
        folder,
        cfg,
        resume=(folder / "checkpoint").exists(),
        time_limit=time_limit,
        train_only=True,
    )
    train_s = time.monotonic() - t0
    if leg.get("status") == "paused":
        return leg
    model = AutoModelForSequenceClassification.from_pretrained(folder / "checkpoint")
    tok = AutoTokenizer.from_pretrained(folder / "checkpoint")
    cal, test = calibration_pairs(data), test_pairs(data)
    zc = predict_logits(model, tok, [p.claim for p in cal], [p.evidence for p in cal], 128)
    zt = predict_logits(model, tok, [p.claim for p in test], [p.evidence for p in test], 128)
    gc = np.array([label_index(p.label) for p in cal], dtype=np.int64)
    gt = np.array([label_index(p.label) for p in test], dtype=np.int64)
    calibration = fit_calibration(zc, gc)
    result: dict[str, object] = {
        "name": name,
        "base": base,
        "steps": steps,
        "batch": 32,
        "seed": 13,
        "train_s_this_leg": round(train_s, 1),
        "dev_gold_raw": score(Calibration().probabilities(zt), gt),
        "dev_gold_calibrated": score(calibration.probabilities(zt), gt),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
    }
    (folder / "result.json").write_text(json.dumps(result, indent=2))
    return result


def report(out: Path) -> str:
    """reports/benchmarks/judge-bases.md from the result files present."""
    lines = [
        "# Judge base encoders under one budget",
        "",
        "Command: `python benchmarks/compare_judge_bases.py NAME BASE` per base, then `--report`. "
        "Same mixture, steps, batch (32), learning rate, max length (128) and seed (13); SciFact "
        "dev, gold evidence, judge alone (no lexical cues, no aggregation); 2 CPU cores.",
        "",
        "| base | steps | macro-F1 raw | macro-F1 calibrated | F1 S / C / NEI (calibrated) "
        "| ECE | train s (last leg) |",
        "|---|---|---|---|---|---|---|",
    ]
    for path in sorted(out.glob("*/result.json")):
        r = json.loads(path.read_text())
        raw, cal = r["dev_gold_raw"], r["dev_gold_calibrated"]
        f1 = cal["f1"]
        lines.append(
            f"| {Path(r['base']).name} | {r['steps']} | {raw['macro_f1']:.3f} | "
            f"{cal['macro_f1']:.3f} | {f1['SUPPORTED']:.2f} / {f1['CONTRADICTED']:.2f} / "
            f"{f1['NOT_ENOUGH_INFO']:.2f} | {cal['ece']:.3f} | {r['train_s_this_leg']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("name", nargs="?")
    ap.add_argument("base", nargs="?")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--threads", type=int, default=2, help="torch threads for this leg")
    ap.add_argument(
        "--eval-every", type=int, default=0, help="calibration-split F1 on the curve every N"
    )
    ap.add_argument("--time-limit", type=float, default=None, help="pause after N seconds")
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    if args.report:
        REPORT.write_text(report(args.out))
        print(REPORT.read_text())
        return
    if not args.name or not args.base:
        ap.error("NAME and BASE are needed (or --report)")
    data = args.data or load_settings().data_dir
    result = run(
        args.name,
        args.base,
        args.steps,
        args.out,
        data,
        threads=args.threads,
        eval_every=args.eval_every,
        time_limit=args.time_limit,
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
