"""The GPU paths, checked on a machine with CUDA; writes reports/benchmarks/gpu.md.

    python benchmarks/gpu_check.py               # on a CUDA machine: about 2-5 minutes
    python benchmarks/gpu_check.py --passages 20000 --steps 100   # a quicker look

Three checks, each timed, all within a 10-minute budget:

1. one grid run on the GPU: a one-run grid with the GPU grid's settings
   (``data/experiments/gpu-grid.toml``: multilingual-e5-small, batch 32, length 128,
   PAWS-X, plain fine-tuning, no intermediate stage), ``--steps`` optimizer steps, through
   ``run_grid(..., device="cuda")``; the encoder is rebuilt offline first if it is not cached.
   PAWS-X comes from the data directory (``LITCHECK_DATA_DIR``); where it is absent, a
   synthetic PAWS-X-shaped set is written and the report says that its accuracy means nothing;
2. CUDA embedding of ``--passages`` (100,000) synthetic passages of about 160 characters with
   the packaged all-MiniLM-L6-v2 (sentence-transformers, fp32);
3. search of those vectors on the GPU through ``PassageIndex.search``: FAISS on the GPU when
   the faiss build has GPU support, else an exact torch matmul + top-k on the GPU (the report
   says which).

Without a CUDA device it prints one line saying so, writes nothing and exits 0. The CPU
figures these compare with are in the same folder (experiments.md, grid-timing.md,
verify.md, index-ray.md).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_index_ray import VOCAB, synthetic_texts  # noqa: E402  (after the path)

OUT = ROOT / "reports" / "benchmarks" / "gpu.md"
BUDGET_S = 600.0


def cuda_device() -> str | None:
    """The CUDA device's name, or None when torch is missing or sees no GPU."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    return str(torch.cuda.get_device_name(0))


def synthetic_pawsx(root: Path, rows: int = 2000) -> Path:
    """A PAWS-X-shaped data folder (dev-<lang>.tsv for every language): timing only."""
    from litcheck.experiments.data import TASKS

    rng = random.Random(0)
    pairs = [
        (" ".join(rng.choices(VOCAB, k=24)), " ".join(rng.choices(VOCAB, k=24)), rng.randint(0, 1))
        for _ in range(rows)
    ]
    (root / "pawsx").mkdir(parents=True, exist_ok=True)
    for lang in TASKS["pawsx"].languages:
        text = "".join(f"{a} [{lang}]\t{b} [{lang}]\t{y}\n" for a, b, y in pairs)
        (root / "pawsx" / f"dev-{lang}.tsv").write_text(text, encoding="utf-8")
    return root


def check_grid_run(steps: int, work: Path) -> dict[str, Any]:
    """One run of a one-run grid on the GPU; returns its timings and accuracy."""
    from litcheck.experiments.data import TASKS
    from litcheck.experiments.encoder import build_encoder
    from litcheck.experiments.grid import run_grid
    from litcheck.experiments.runs import read_results
    from litcheck.settings import load_settings

    settings = load_settings()
    real = all(
        (settings.data_dir / "pawsx" / f"dev-{lang}.tsv").is_file()
        for lang in TASKS["pawsx"].languages
    )
    if not real:
        settings = load_settings(data_dir=synthetic_pawsx(work / "data"))
    start = time.perf_counter()
    build_encoder(settings)  # cached after the first time
    encoder_s = time.perf_counter() - start
    grid = work / "gpu-check.toml"
    grid.write_text(
        'name = "gpu-check"\norder = ["seed", "task", "method", "intermediate"]\n'
        '[axes]\ntask = ["pawsx"]\nmethod = ["plain"]\nintermediate = ["none"]\nseed = [1]\n'
        '[base]\nencoder = "multilingual-e5-small"\n'
        f"[base.train]\nsteps = {steps}\nbatch_size = 32\nmax_length = 128\n"
        f"eval_every = {max(1, steps // 4)}\ncheckpoint_every = {max(1, steps // 4)}\n"
        "freeze_word_embeddings = false\n"
        "[base.pools]\nseed = 13\ntrain = 600\ncalibration = 150\neval = 400\n"
        "[base.eval]\nattack_samples = 10\nbatch_size = 128\n",
        encoding="utf-8",
    )
    start = time.perf_counter()
    status = run_grid(grid, settings, runs_dir=work / "runs", device="cuda", show_progress=False)
    run_s = time.perf_counter() - start
    run_dir = work / "runs" / "pawsx-plain-none-s1"
    rows = {(r.metric, r.language): r.value for r in read_results(run_dir)}
    log = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    task_steps = [r for r in log if r.get("stage") == "task" and "loss" in r]
    return {
        "real_data": real,
        "encoder_s": encoder_s,
        "run_s": run_s,
        "finished": status.finished,
        "steps": len(task_steps),
        "train_s": float(task_steps[-1]["elapsed_s"]) if task_steps else float("nan"),
        "en_accuracy": rows.get(("accuracy", "en")),
        "zero_shot_accuracy": rows.get(("accuracy", "zero_shot")),
    }


def check_embedding_and_search(n: int, batch_size: int) -> dict[str, Any]:
    """CUDA embedding of ``n`` passages, then GPU search over them."""
    import faiss
    import numpy as np
    import torch

    from litcheck.verify.embed import Embedder
    from litcheck.verify.index import PassageIndex, build_faiss_index

    texts = synthetic_texts(n)
    embedder = Embedder("all-MiniLM-L6-v2", device="cuda", batch_size=batch_size)
    start = time.perf_counter()
    embedder.encode(texts[:batch_size])  # model load and CUDA warm-up, timed apart
    load_s = time.perf_counter() - start
    embedder._memo.clear()  # the timed pass must encode everything
    torch.cuda.synchronize()
    start = time.perf_counter()
    vectors = np.concatenate(
        [embedder.encode(texts[s : s + 4096]) for s in range(0, n, 4096)]
    ).astype(np.float32)
    torch.cuda.synchronize()
    embed_s = time.perf_counter() - start
    # The texts repeat a small vocabulary: dedup inside encode() would flatter the rate.
    distinct = len(set(texts))

    ids = [f"gpu:{i // 1000}:{i % 1000}" for i in range(n)]
    index = PassageIndex(ids, vectors, build_faiss_index(vectors, exact=True), embedder)
    backend = (
        "faiss GPU (IndexFlatIP on the GPU)"
        if hasattr(faiss, "StandardGpuResources")
        else "torch matmul + top-k on the GPU (this faiss build has no GPU support)"
    )
    queries = vectors[:1000]
    index.search(queries[:1], 10)  # uploads the vectors once
    torch.cuda.synchronize()
    start = time.perf_counter()
    batch_hits = index.search(queries, 10)
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    for q in range(100):
        index.search(queries[q : q + 1], 10)
    single_ms = (time.perf_counter() - start) / 100 * 1000
    # GPU results against exact search on the CPU, for the same queries
    _, cpu_idx = index.faiss_index.search(np.ascontiguousarray(queries[:100]), 10)
    agree = np.mean(
        [
            len({index.ids[int(i)] for i in cpu_idx[q]} & {pid for pid, _ in batch_hits[q]}) / 10
            for q in range(100)
        ]
    )
    return {
        "passages": n,
        "distinct": distinct,
        "batch_size": batch_size,
        "load_s": load_s,
        "embed_s": embed_s,
        "rate": n / embed_s,
        "backend": backend,
        "batch_ms_per_query": batch_s / len(queries) * 1000,
        "single_ms": single_ms,
        "agreement": float(agree),
    }


def render(
    device: str,
    grid: dict[str, Any] | None,
    emb: dict[str, Any],
    total_s: float,
    command: str,
    note: str,
) -> str:
    """The Markdown report."""
    import torch

    lines = [
        "# GPU paths",
        "",
        f"Command: `{command}` (writes this file). Device: {device}; torch {torch.__version__}, "
        f"CUDA {torch.version.cuda}; host {platform.node() or '?'}. Total wall time "
        f"{total_s:.0f} s (budget {BUDGET_S:.0f} s).",
        "",
        "CPU figures for comparison sit beside this file: experiments.md and grid-timing.md "
        "(grid runs on 2 cores), verify.md (embedding and search), index-ray.md (indexing).",
        "",
        "## One grid run on the GPU",
        "",
    ]
    if grid is None:
        lines += [f"Not run: {note}", ""]
    else:
        data = (
            "PAWS-X from the data directory"
            if grid["real_data"]
            else "a synthetic PAWS-X-shaped set (no PAWS-X in the data directory): the "
            "accuracy below means nothing, only the time does"
        )
        acc = grid["en_accuracy"]
        zs = grid["zero_shot_accuracy"]
        lines += [
            "multilingual-e5-small, plain fine-tuning, no intermediate stage, batch 32, "
            f"length 128, all weights trained; data: {data}.",
            "",
            "| what | figure |",
            "| --- | --- |",
            f"| encoder rebuilt or loaded from cache | {grid['encoder_s']:.1f} s |",
            f"| English training, {grid['steps']} steps | {grid['train_s']:.1f} s "
            f"({grid['train_s'] / max(1, grid['steps']):.3f} s/step) |",
            f"| whole run (training, dev checks, evaluation with the attack) | "
            f"{grid['run_s']:.1f} s |",
            f"| English / zero-shot accuracy | "
            f"{'-' if acc is None else f'{100 * acc:.1f}'} / "
            f"{'-' if zs is None else f'{100 * zs:.1f}'} |",
            "",
        ]
    lines += [
        f"## Embedding {emb['passages']:,} passages on the GPU",
        "",
        f"all-MiniLM-L6-v2 (packaged, fp32), batch {emb['batch_size']}, passages of about 160 "
        f"characters ({emb['distinct']:,} distinct).",
        "",
        "| what | figure |",
        "| --- | --- |",
        f"| model load and warm-up | {emb['load_s']:.1f} s |",
        f"| embedding | {emb['embed_s']:.1f} s = **{emb['rate']:,.0f} passages/s** |",
        "",
        "## Search on the GPU",
        "",
        f"Backend: {emb['backend']}. Exact inner-product search over the "
        f"{emb['passages']:,} vectors, top 10.",
        "",
        "| what | figure |",
        "| --- | --- |",
        f"| 1,000 queries in one batch | {emb['batch_ms_per_query']:.3f} ms per query |",
        f"| one query at a time | {emb['single_ms']:.2f} ms per query |",
        f"| top-10 agreement with exact CPU FAISS (100 queries) | {emb['agreement']:.3f} |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Run the checks (or say that there is no GPU).

    Returns:
        0 (also when no GPU is found).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=300, help="Training steps of the grid run.")
    parser.add_argument("--batch-size", type=int, default=512, help="Embedding batch.")
    parser.add_argument("--skip-grid", action="store_true", help="Only embedding and search.")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    device = cuda_device()
    if device is None:
        print("gpu_check: no CUDA GPU found (torch sees none); nothing measured, nothing written.")
        return 0
    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="litcheck-gpu-check-"))
    emb = check_embedding_and_search(args.passages, args.batch_size)
    grid: dict[str, Any] | None = None
    note = "--skip-grid was given."
    if not args.skip_grid:
        left = BUDGET_S - (time.perf_counter() - start)
        if left > 120:
            grid = check_grid_run(args.steps, work)
        else:
            note = f"only {left:.0f} s of the {BUDGET_S:.0f} s budget were left."
    total_s = time.perf_counter() - start
    command = "python benchmarks/gpu_check.py " + " ".join(sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(device, grid, emb, total_s, command.strip(), note), encoding="utf-8")
    print(
        f"gpu_check: {device}: {emb['rate']:,.0f} passages/s embedded, search via "
        f"{emb['backend'].split(' (')[0]}, "
        + ("no grid run" if grid is None else f"grid run {grid['run_s']:.0f} s")
        + f"; wrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
