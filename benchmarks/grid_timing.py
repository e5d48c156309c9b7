"""Seconds per training step as the grid's own runs logged them (not a synthetic benchmark).

Usage (from the repository root, after some grid runs)::

    python benchmarks/grid_timing.py --runs runs/cpu-grid --workers 2 \
        --out reports/benchmarks/grid-timing.md

Every run directory's ``log.jsonl`` has one line per optimizer step with the seconds since its
stage started (or resumed). A step's time is the difference between consecutive lines of the
same stage; the first step after a start or resume has no predecessor and is not counted. The
figures are what the runs met: ``--workers`` grid processes shared the machine's cores (say how
many ran; the logs cannot tell), plus whatever else ran.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from pathlib import Path


def step_times(run_dir: Path) -> dict[str, list[float]]:
    """Seconds of every timed step of a run, by stage (``intermediate`` / ``task``)."""
    out: dict[str, list[float]] = defaultdict(list)
    prev: dict[str, tuple[int, float]] = {}
    for line in (run_dir / "log.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut short by a kill
        stage, step, elapsed = rec.get("stage"), rec.get("step"), rec.get("elapsed_s")
        if stage not in ("intermediate", "task") or step is None or elapsed is None:
            continue
        last = prev.get(stage)
        if last is not None and step == last[0] + 1 and elapsed > last[1]:
            out[stage].append(elapsed - last[1])
        prev[stage] = (step, elapsed)
    return out


def collect(root: Path) -> dict[tuple[str, str, str], tuple[int, list[float]]]:
    """(task, method, stage) -> (runs, step seconds) over every run under ``root``."""
    times: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    runs: dict[tuple[str, str, str], int] = defaultdict(int)
    for manifest in sorted(root.glob("*/manifest.json")):
        cfg = json.loads(manifest.read_text(encoding="utf-8"))["config"]
        if not (manifest.parent / "log.jsonl").is_file():
            continue
        for stage, dts in step_times(manifest.parent).items():
            key = (cfg["task"], cfg["method"], stage)
            times[key].extend(dts)
            runs[key] += 1
    return {k: (runs[k], v) for k, v in sorted(times.items()) if v}


def render(
    root: Path, workers: int, table: dict[tuple[str, str, str], tuple[int, list[float]]]
) -> str:
    """The Markdown section for one measurement."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        f"## Grid step times, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Command: `python benchmarks/grid_timing.py --runs {root} --workers {workers}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, Python "
        f"{platform.python_version()}; {workers} grid worker(s) with one torch thread each "
        f"shared it (load average now {load:.2f}). Batch, length and encoder as in each run's "
        "config (the grid file).",
        "",
        "| task | method | stage | runs | steps timed | median s/step | steps/s | p90 s/step |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (task, method, stage), (n_runs, dts) in table.items():
        med = statistics.median(dts)
        p90 = sorted(dts)[int(0.9 * (len(dts) - 1))]
        lines.append(
            f"| {task} | {method} | {stage} | {n_runs} | {len(dts)} | {med:.2f} | "
            f"{1 / med:.3f} | {p90:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Parse arguments, measure, write or append the Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, default=Path("runs/cpu-grid"))
    parser.add_argument("--workers", type=int, default=2, help="grid processes that ran at once")
    parser.add_argument("--out", type=Path, default=Path("reports/benchmarks/grid-timing.md"))
    parser.add_argument("--append", action="store_true", help="add below earlier measurements")
    args = parser.parse_args()
    if not args.runs.is_dir():
        raise SystemExit(f"error: {args.runs} is not a runs directory (run the grid first).")
    table = collect(args.runs)
    if not table:
        raise SystemExit(f"error: no run under {args.runs} has logged steps yet.")
    section = render(args.runs, args.workers, table)
    head = "# Experiment grid: seconds per training step, from the runs' own logs\n\n"
    if args.append and args.out.is_file():
        text = args.out.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + section
    else:
        text = head + section
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(section)


if __name__ == "__main__":
    main()
