"""How the shipped judge runs its pairs: batched (as before) or one pair per run, side by side.

    python benchmarks/bench_judge_batching.py      # writes reports/benchmarks/judge-batching.md

The int8 model quantises its activations per tensor, so a batched pair shares its scale with
the widest pair (and the padding) of its batch: its logits then depend on its companions.
This benchmark measures, on the same pairs in the same run:

- pairs/s of batches of 32 sorted by length on one session with 2 intra-op threads (the
  judge before 2026-12-04), of one pair per run on 2 intra-op threads, and of one pair per
  run with 2 runs side by side on 1 thread each (``OnnxJudge`` now);
- how often a pair's raw label changes between batch compositions (batches of 32, of 16,
  of 8, and alone).

Pairs: SciFact dev, the first 100 claims, each with up to 9 sentences of its first cited
abstract, judged one sentence at a time, as ``litcheck verify`` judges them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.settings import load_settings  # noqa: E402
from litcheck.verify.data import load_scifact_claims, load_scifact_corpus  # noqa: E402
from litcheck.verify.onnx_judge import SHIPPED_DIR, OnnxJudge  # noqa: E402

OUT_JSON = ROOT / "reports" / "benchmarks" / "judge-batching.json"
OUT_MD = ROOT / "reports" / "benchmarks" / "judge-batching.md"


def sentence_pairs(data_dir: Path, n_claims: int) -> tuple[list[str], list[str]]:
    """(claims, evidence sentences) of SciFact dev, up to 9 sentences per claim."""
    corpus = load_scifact_corpus(data_dir)
    claims, evidence = [], []
    for c in load_scifact_claims(data_dir, "test")[:n_claims]:
        docs = [d for d in (list(c.rationales) or c.cited[:1]) if d in corpus]
        for sentence in corpus[docs[0]][1][:9] if docs else []:
            claims.append(c.claim)
            evidence.append(sentence)
    return claims, evidence


def batched_logits(
    judge_dir: Path, claims: list[str], evidence: list[str], batch: int, threads: int
) -> np.ndarray:
    """Logits from padded batches sorted by length on one session (the earlier judge)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(
        str(judge_dir / "model.onnx"), opts, providers=["CPUExecutionProvider"]
    )
    names = {i.name for i in session.get_inputs()}
    cal = json.loads((judge_dir / "calibration.json").read_text())
    tok = Tokenizer.from_file(str(judge_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(int(cal.get("max_length", 128)), strategy="longest_first")
    out = np.zeros((len(claims), 3))
    order = sorted(range(len(claims)), key=lambda i: len(claims[i]) + len(evidence[i]))
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        encs = tok.encode_batch([(evidence[i], claims[i]) for i in idx])
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, e in enumerate(encs):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
            types[row, : len(e.ids)] = e.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        out[idx] = session.run(None, {k: v for k, v in feeds.items() if k in names})[0]
    return out


def timed(fn: Any, repeats: int) -> tuple[np.ndarray, float, list[float]]:
    """The result of ``fn()`` and the best of ``repeats`` wall times (after one warm-up)."""
    result = fn()
    times = []
    for _ in range(repeats):
        t0 = time.monotonic()
        result = fn()
        times.append(time.monotonic() - t0)
    return result, min(times), times


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--judge", type=Path, default=SHIPPED_DIR)
    ap.add_argument("--claims", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    claims, evidence = sentence_pairs(load_settings().data_dir, args.claims)
    n = len(claims)
    variants: dict[str, Any] = {
        "batches of 32, 2 intra-op threads (before)": lambda: batched_logits(
            args.judge, claims, evidence, 32, 2
        ),
        "one pair per run, 2 intra-op threads": lambda: batched_logits(
            args.judge, claims, evidence, 1, 2
        ),
        "one pair per run, 2 runs side by side (now)": lambda: OnnxJudge(
            args.judge, combine=False, threads=2
        ).logits(claims, evidence),
    }
    speed: dict[str, Any] = {}
    logits: dict[str, np.ndarray] = {}
    for name, fn in variants.items():
        z, best, times = timed(fn, args.repeats)
        logits[name] = z
        speed[name] = {
            "pairs_per_s": round(n / best, 1),
            "seconds": [round(t, 3) for t in times],
        }
    base = speed["batches of 32, 2 intra-op threads (before)"]["pairs_per_s"]
    for s in speed.values():
        s["ratio_to_before"] = round(s["pairs_per_s"] / base, 2)
    labels = {
        "alone": logits["one pair per run, 2 runs side by side (now)"].argmax(1),
        "batch 32": logits["batches of 32, 2 intra-op threads (before)"].argmax(1),
    }
    for b in (16, 8):
        labels[f"batch {b}"] = batched_logits(args.judge, claims, evidence, b, 2).argmax(1)
    alone_again = OnnxJudge(args.judge, combine=False, threads=1).logits(claims, evidence)
    names = list(labels)
    changed = {
        f"{a} vs {b}": round(float(np.mean(labels[a] != labels[b])), 4)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    }
    results: dict[str, Any] = {
        "command": " ".join(["python benchmarks/bench_judge_batching.py", *sys.argv[1:]]),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "environment": {
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_1min": round(os.getloadavg()[0], 2),
        },
        "pairs": n,
        "speed": speed,
        "raw_label_changed": changed,
        "alone_is_exact_across_thread_counts": bool(
            np.array_equal(alone_again, logits["one pair per run, 2 runs side by side (now)"])
        ),
    }
    OUT_JSON.parent.mkdir(parents=True, exist_ok=True)
    OUT_JSON.write_text(json.dumps(results, indent=2))
    lines = [
        "# How the shipped judge runs its pairs",
        "",
        f"Command: `{results['command']}`, measured {results['measured']} on "
        f"{results['environment']['machine']} ({results['environment']['cpus']} CPUs, load "
        f"{results['environment']['load_1min']}); {n} SciFact dev (claim, sentence) pairs, "
        f"best of {args.repeats} warm passes.",
        "",
        "| how | pairs/s | ratio to before |",
        "|---|---|---|",
        *(f"| {k} | {v['pairs_per_s']} | {v['ratio_to_before']} |" for k, v in speed.items()),
        "",
        "Raw labels that change with the batch a pair is judged in (the int8 graph quantises "
        "activations per tensor, so a batch's widest pair sets every pair's scale):",
        "",
        "| compared | share of pairs whose label changes |",
        "|---|---|",
        *(f"| {k} | {v:.1%} |" for k, v in changed.items()),
        "",
        "A pair judged alone gets the same logits whatever is judged beside it and however many "
        f"threads run: {'yes' if results['alone_is_exact_across_thread_counts'] else 'NO'} "
        "(1 and 2 threads, bit for bit).",
    ]
    OUT_MD.write_text("\n".join(lines) + "\n")
    print(OUT_MD.read_text())


if __name__ == "__main__":
    main()
