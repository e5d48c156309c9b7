"""Training steps/s and peak memory of the experiment trainer on CPU.

Usage (from the repository root)::

    python benchmarks/bench_experiments.py --steps 5 --threads 1 2 \
        --out reports/benchmarks/experiments.md

Each (method, threads, length) cell runs in a fresh subprocess so that its peak resident memory
(``ru_maxrss``) is its own. The encoder is the rebuilt multilingual-e5-small
(``litcheck experiment build-encoder`` first) with the word-embedding table frozen; batches are
English PAWS-X pairs from the shared data directory. The first step of each cell is a warm-up
and is not timed. The machine's load average is recorded: on a shared machine the figures move
with whatever else runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def measure(method: str, threads: int, length: int, batch: int, steps: int) -> dict[str, float]:
    """Time ``steps`` training steps (after one warm-up) and an inference pass, in-process."""
    import torch

    from litcheck.experiments.config import config_from_dict
    from litcheck.experiments.data import load_task
    from litcheck.experiments.modeling import EmbeddingScale, train_step_loss
    from litcheck.experiments.trainer import encode_pairs, load_model, predict
    from litcheck.settings import load_settings

    torch.set_num_threads(threads)
    settings = load_settings()
    cfg = config_from_dict({"task": "pawsx", "method": method, "train": {"max_length": length}})
    task = load_task(settings.data_dir, "pawsx", ["en"])
    model, tok = load_model(cfg, settings, torch.device("cpu"))
    scale = EmbeddingScale.of(model)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=2e-5)
    rows = task.rows["en"]
    model.train()
    times = []
    for i in range(steps + 1):
        b = encode_pairs(tok, rows[i * batch : (i + 1) * batch], length, torch.device("cpu"))
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        train_step_loss(model, "pawsx", b, method, cfg.methods, scale)
        opt.step()
        if i:
            times.append(time.perf_counter() - t0)
    n_eval = 128
    t0 = time.perf_counter()
    predict(model, tok, "pawsx", rows[:n_eval], 64, length, torch.device("cpu"))
    eval_s = time.perf_counter() - t0
    mean = sum(times) / len(times)
    return {
        "step_s": mean,
        "steps_per_s": 1 / mean,
        "eval_pairs_per_s": n_eval / eval_s,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "trainable_params": float(sum(p.numel() for p in params)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", nargs="+", default=["plain", "rs_da", "rs_rp", "at"])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--lengths", nargs="+", type=int, default=[64])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "reports/benchmarks/experiments.md")
    parser.add_argument(
        "--append", action="store_true", help="Add a section to --out instead of replacing it."
    )
    parser.add_argument("--cell", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cell:  # child process: one measurement, JSON on stdout
        method, threads, length = args.cell.split(",")
        print(json.dumps(measure(method, int(threads), int(length), args.batch, args.steps)))
        return
    load_before = os.getloadavg()
    results = []
    for length in args.lengths:
        for threads in args.threads:
            for method in args.methods:
                env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
                proc = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--cell",
                        f"{method},{threads},{length}",
                        "--batch",
                        str(args.batch),
                        "--steps",
                        str(args.steps),
                    ],
                    capture_output=True,
                    text=True,
                    env=env,
                    check=False,
                )
                if proc.returncode != 0:
                    raise SystemExit(f"cell {method}/{threads}/{length} failed:\n{proc.stderr}")
                cell = json.loads(proc.stdout.strip().splitlines()[-1])
                cell.update(method=method, threads=threads, length=length)
                results.append(cell)
                print(json.dumps(cell), file=sys.stderr, flush=True)
    load_after = os.getloadavg()
    lines = [
        "# Experiment trainer on CPU: steps/s and peak memory",
        "",
        "Command: `python benchmarks/bench_experiments.py "
        + " ".join(a for a in sys.argv[1:])
        + "`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}; load average before {load_before[0]:.2f}, after "
        f"{load_after[0]:.2f} (the machine is shared: other jobs ran at the same time, so these "
        "are figures under contention, not best cases).",
        "",
        f"Encoder multilingual-e5-small (rebuilt), word-embedding table frozen, batch "
        f"{args.batch}, {args.steps} timed steps after one warm-up; inference: 128 pairs at "
        "batch 64. Peak memory is the process's maximum resident set (model, optimizer, "
        "activations).",
        "",
        "| method | threads | length | s/step | steps/s | eval pairs/s | peak RSS (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['method']} | {r['threads']} | {r['length']} | {r['step_s']:.2f} | "
            f"{r['steps_per_s']:.3f} | {r['eval_pairs_per_s']:.1f} | {r['peak_rss_mib']:.0f} |"
        )
    if results:
        lines += ["", f"Trainable parameters: {int(results[0]['trainable_params']):,}."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.append and args.out.is_file():
        lines[0] = "## Another measurement, " + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        previous = args.out.read_text()
        args.out.write_text(previous + "\n" + "\n".join(lines) + "\n")
    else:
        lines[0] += " (" + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + ")"
        args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
