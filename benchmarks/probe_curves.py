"""The probes of issue 17 side by side: did each run learn, and how fast?

Usage (from the repository root, after the probes in data/experiments/probes/ ran)::

    for p in data/experiments/probes/*.toml; do
        litcheck experiment run "$p" --runs-dir runs/probes --resume
    done
    python benchmarks/probe_curves.py --runs runs/probes --publish reports/runs/probes \
        --out reports/benchmarks/probes.md

Each probe's own files are the evidence: its ``log.jsonl`` (training loss every step, English
accuracy on the calibration pool every ``eval_every`` steps) and its ``results.json`` (accuracy
and robust accuracy on the evaluation pool, by language). ``--publish`` copies both, with the
manifest (config, data hashes, packages, commit), into the published folder as
``<run>.log.jsonl`` / ``<run>.json`` / ``<run>.manifest.json`` once the probe finished. A probe
still running is shown with the part of its curve it has logged so far, marked unfinished.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.console import atomic_write_text  # noqa: E402
from litcheck.experiments import runs  # noqa: E402
from litcheck.experiments.compare import load_runs  # noqa: E402
from litcheck.experiments.curves import curve_from_log, parse_log  # noqa: E402
from litcheck.experiments.grid import run_files  # noqa: E402
from litcheck.experiments.report import majority_rate  # noqa: E402
from litcheck.settings import load_settings  # noqa: E402


def _log(run_dir: Path) -> list[dict[str, Any]]:
    path = run_dir / "log.jsonl"
    return parse_log(path.read_text(encoding="utf-8")) if path.is_file() else []


def _loss_windows(log: list[dict[str, Any]], width: int = 25) -> list[tuple[int, float]]:
    """Mean task loss over the first, middle and last ``width`` logged steps."""
    task = [r for r in log if r.get("stage") == "task" and "loss" in r]
    if not task:
        return []
    picks = sorted({0, max(0, len(task) // 2 - width // 2), max(0, len(task) - width)})
    return [
        (int(task[i]["step"]), statistics.fmean(float(r["loss"]) for r in task[i : i + width]))
        for i in picks
    ]


def _results(run_dir: Path) -> dict[tuple[str, str], float]:
    path = run_dir / runs.RESULTS
    if not path.is_file():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
    return {(r["metric"], r["language"]): float(r["value"]) for r in rows}


def _settings(cfg: dict[str, Any], trained: int | None = None) -> str:
    """The probe's settings; ``trained``: task steps as logged (RS-DA's passes set them)."""
    train, methods = cfg.get("train", {}), cfg.get("methods", {})
    steps = f"{train.get('steps')} steps"
    if cfg.get("method") == "rs_da" and methods.get("rs_da_passes"):
        steps = f"{trained} steps (set by the passes)" if trained else "steps set by the passes"
    parts = [f"len {train.get('max_length')}", steps]
    if train.get("english_train"):
        parts.append(f"English train: {train['english_train']}")
    if cfg.get("method") == "at":
        parts.append(
            f"AT {methods.get('at_norm', 'token')} ball, eps {methods.get('at_epsilon')}, "
            f"ramp {methods.get('at_ramp_steps', 0)}"
        )
    if cfg.get("method") == "rs_da" and methods.get("rs_da_passes"):
        parts.append(f"{methods['rs_da_passes']} passes over the copies")
    return "; ".join(parts)


def _task_steps(run_dir: Path, log: list[dict[str, Any]]) -> int | None:
    """Task-stage steps of a finished run (its last logged step), else None."""
    if not runs.is_finished(run_dir):
        return None
    steps = [int(r["step"]) for r in log if r.get("stage") == "task" and "loss" in r]
    return max(steps) if steps else None


def probe_row(run_dir: Path, data_dir: Path | None) -> dict[str, Any]:
    """One probe's figures: settings, curve, final accuracies, whether it learned.

    The majority-class rate is that of the run's own English evaluation items (read from its
    stored predictions and the data folder), as the experiment report computes it.
    """
    manifest = runs.read_manifest(run_dir)
    cfg = manifest.get("config", {})
    log = _log(run_dir)
    curve = curve_from_log(str(manifest.get("run_id", run_dir.name)), log)
    dev = [(step, 100 * acc) for step, acc in curve.dev]
    res = _results(run_dir)
    en = res.get(("accuracy", "en"))
    # Languages only: results also hold group means (romance, germanic, other, zero_shot, all).
    targets = [
        v for (m, lang), v in res.items() if m == "accuracy" and len(lang) == 2 and lang != "en"
    ]
    records = load_runs([run_dir]) if runs.is_finished(run_dir) else []
    majority = majority_rate(records, str(cfg.get("task")), data_dir) if records else None
    return {
        "run": manifest.get("run_id", run_dir.name),
        "task": cfg.get("task"),
        "method": cfg.get("method"),
        "settings": _settings(cfg, _task_steps(run_dir, log)),
        "finished": runs.is_finished(run_dir),
        "loss": _loss_windows(log),
        "dev": dev,
        "en": None if en is None else 100 * en,
        "targets_mean": 100 * statistics.fmean(targets) if targets else None,
        "robust_en": (
            None if ("robust_accuracy", "en") not in res else 100 * res[("robust_accuracy", "en")]
        ),
        "majority": majority,
        "s_per_step": curve.s_per_step,
    }


def _fmt(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def report(rows: list[dict[str, Any]]) -> str:
    """Markdown of the probes' rows."""
    lines = [
        "# Probes of issue 17: runs that learn",
        "",
        "Command: `python benchmarks/probe_curves.py --runs runs/probes --publish "
        "reports/runs/probes --out reports/benchmarks/probes.md`, after "
        "`litcheck experiment run data/experiments/probes/NAME.toml --runs-dir runs/probes` for "
        "each probe (configs, with their reasons, in `data/experiments/probes/`). Seed 1, "
        "multilingual-e5-small, one torch thread a run, the cpu-grid's pools (pool seed 13), "
        f"measured on {os.cpu_count()} CPU cores shared by two runs at a time. The curves "
        "are the published `reports/runs/probes/<run>.log.jsonl`.",
        "",
        "English dev: accuracy (%) on the English calibration pool (150 pairs) at each logged "
        "step; the best step's weights are kept. Eval: accuracy (%) on the evaluation pool "
        "(English, and the mean over the other languages); robust: English accuracy under the "
        "synonym-substitution attack. Learned: English eval accuracy clearly (> 5 points) above "
        "the majority-class rate.",
        "",
        "| probe | task / method | settings | loss (step: mean of 25) | English dev by step | "
        "eval en | eval others (mean) | robust en | majority | learned | s/step |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        loss = ", ".join(f"{s}: {v:.3f}" for s, v in r["loss"])
        dev = ", ".join(f"{s}: {v:.0f}" for s, v in r["dev"])
        learned = (
            "unfinished"
            if not r["finished"]
            else (
                "yes"
                if r["en"] is not None and r["majority"] is not None and r["en"] > r["majority"] + 5
                else "no"
            )
        )
        lines.append(
            f"| {r['run']} | {r['task']} / {r['method']} | {r['settings']} | {loss} | {dev} | "
            f"{_fmt(r['en'])} | {_fmt(r['targets_mean'])} | {_fmt(r['robust_en'])} | "
            f"{_fmt(r['majority'])} | {learned} | {_fmt(r['s_per_step'], 2)} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=Path, default=Path("runs/probes"))
    ap.add_argument("--publish", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--data", type=Path, default=None, help="data folder (LITCHECK_DATA_DIR)")
    args = ap.parse_args()
    dirs = [d for d in sorted(args.runs.iterdir()) if runs.is_run_dir(d)]
    data_dir = args.data or load_settings().data_dir
    rows = [probe_row(d, data_dir) for d in dirs]
    if args.publish is not None:
        for d, row in zip(dirs, rows, strict=True):
            if not row["finished"]:
                continue  # published once finished: a half curve would go stale
            files = run_files(d)
            files[f"{row['run']}.log.jsonl"] = (d / "log.jsonl").read_text(encoding="utf-8")
            for name, text in files.items():
                atomic_write_text(args.publish / name, text)
    text = report(rows)
    if args.out is not None:
        atomic_write_text(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
