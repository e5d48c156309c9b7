"""Continue training a shipped judge: dequantise its ONNX weights, then train more steps.

A judge folder holds no fp32 weights, so the run starts from the dequantised int8 weights
(``litcheck.verify.onnx_judge.import_onnx``; their argmax agrees with the fp32 original on the
committed reference fixture). The run is an ordinary resumable ``train_verifier`` run that
stops after training; build and install it with ``benchmarks/build_shipped_judge.py RUN``.

    python benchmarks/continue_judge.py RUN --steps 2200 --seed 14 --lr 5e-5   # rerun to resume
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path

from litcheck.console import atomic_write_text
from litcheck.settings import load_settings
from litcheck.verify.onnx_judge import SHIPPED_DIR, import_onnx
from litcheck.verify.resolve import resolve_model
from litcheck.verify.train import TrainConfig, train_verifier


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="run folder (created; rerun the command to resume)")
    ap.add_argument("--judge", type=Path, default=SHIPPED_DIR, help="judge folder to continue")
    ap.add_argument("--steps", type=int, default=2200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--warmup", type=float, default=0.03)
    ap.add_argument("--seed", type=int, default=14, help="data order and hard negatives")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--time-limit", type=float, default=None, help="seconds, then pause")
    args = ap.parse_args()
    data_dir = args.data or load_settings().data_dir
    card = json.loads((args.judge / "card.json").read_text())
    base = str(card.get("base", "all-MiniLM-L6-v2"))
    init = args.run / "init"
    args.run.mkdir(parents=True, exist_ok=True)
    if not (args.run / "init.json").is_file():
        info = import_onnx(args.judge, Path(resolve_model(base)), init)
        record = {
            "base": base,
            "judge": f"{card.get('name')} {card.get('version')}",
            "judge_steps": card.get("steps"),
            "judge_seed": card.get("seed"),
            "import": info,
        }
        # init.json marks a finished import: written last and atomically, so a kill redoes it.
        atomic_write_text(args.run / "init.json", json.dumps(record, indent=2))
    cfg = TrainConfig(
        base=str(init.resolve()),
        max_steps=args.steps,
        batch_size=args.batch_size,
        lr=args.lr,
        warmup=args.warmup,
        seed=args.seed,
        threads=int(os.environ.get("LITCHECK_THREADS", "2")),
    )
    resume = (args.run / "checkpoint").exists()
    out = train_verifier(
        data_dir, args.run, cfg, resume=resume, time_limit=args.time_limit, train_only=True
    )
    print(json.dumps({"config": asdict(cfg), **out}, default=str))


if __name__ == "__main__":
    main()
