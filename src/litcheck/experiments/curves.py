"""Training curves: what a run's log says about whether, and how fast, it learned.

A run's ``log.jsonl`` has one line per training step (``{"stage", "step", "loss",
"elapsed_s"}``), one per English-dev evaluation (``{"stage": "dev", "step", "accuracy"}``) and,
last, the evaluation's duration (``{"stage": "eval", "elapsed_s"}``). Published runs carry a
thinned copy, ``<run_id>.curve.jsonl`` (:func:`thin_log`): every dev and eval line, and the
training lines at the first step, every :data:`LOSS_EVERY` steps and the last, so that the
curve and the speed survive in a few kilobytes.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from litcheck.experiments import runs

#: Published curve file of a run, beside ``<run_id>.json``.
CURVE_SUFFIX = ".curve.jsonl"
#: Training-loss lines kept in a published curve: one every this many steps.
LOSS_EVERY = 10
_KEEP_STAGES = ("dev", "eval")


def parse_log(text: str) -> list[dict[str, Any]]:
    """The records of a log's text; a line cut short by a kill is skipped."""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict):
            out.append(rec)
    return out


def thin_log(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines of a log that a published curve keeps (see the module docstring).

    Args:
        records: a run's log records, in order.

    Returns:
        Every dev and eval record; of each training stage, its first step, every
        :data:`LOSS_EVERY`-th step and its last step.
    """
    last: dict[str, int] = {}
    for rec in records:
        if rec.get("stage") not in _KEEP_STAGES and "step" in rec:
            last[str(rec["stage"])] = max(last.get(str(rec["stage"]), 0), int(rec["step"]))
    kept = []
    for rec in records:
        stage = rec.get("stage")
        if stage in _KEEP_STAGES or "step" not in rec:
            kept.append(rec)
            continue
        step = int(rec["step"])
        if step == 1 or step % LOSS_EVERY == 0 or step == last[str(stage)]:
            kept.append(rec)
    return kept


@dataclass(frozen=True)
class Curve:
    """One run's curve and timing.

    Attributes:
        run_id: the run.
        dev: (task step, English dev accuracy in [0, 1]) at each evaluation.
        task_steps: task-stage steps logged (the last step).
        s_per_step: median seconds per task step over consecutive logged lines.
        intermediate_steps: intermediate-stage steps logged (0 without that stage).
        intermediate_s_per_step: its median seconds per step.
        eval_s: seconds the final evaluation took (None where the log predates that line).
    """

    run_id: str
    dev: list[tuple[int, float]]
    task_steps: int
    s_per_step: float | None
    intermediate_steps: int
    intermediate_s_per_step: float | None
    eval_s: float | None

    @property
    def train_s(self) -> float | None:
        """Training seconds, from the median speeds (robust to a run resumed mid-stage)."""
        if self.s_per_step is None:
            return None
        return self.task_steps * self.s_per_step + self.intermediate_steps * (
            self.intermediate_s_per_step or 0.0
        )

    @property
    def wall_s(self) -> float | None:
        """Training plus evaluation seconds, where both are known."""
        train = self.train_s
        return None if train is None or self.eval_s is None else train + self.eval_s


def _speed(records: list[dict[str, Any]], stage: str) -> tuple[int, float | None]:
    """(last step, median seconds per step) of one training stage."""
    rows = [
        (int(r["step"]), float(r["elapsed_s"]))
        for r in records
        if r.get("stage") == stage and "step" in r and "elapsed_s" in r
    ]
    rates = [
        (e2 - e1) / (s2 - s1)
        for (s1, e1), (s2, e2) in pairwise(rows)
        if s2 > s1 and e2 > e1  # a resume restarts the clock: skip that gap
    ]
    return (max((s for s, _ in rows), default=0), statistics.median(rates) if rates else None)


def curve_from_log(run_id: str, records: list[dict[str, Any]]) -> Curve:
    """A :class:`Curve` from a run's log records (whole or thinned).

    Args:
        run_id: the run.
        records: its log records.

    Returns:
        The curve.
    """
    task_steps, task_speed = _speed(records, "task")
    inter_steps, inter_speed = _speed(records, "intermediate")
    evals = [float(r["elapsed_s"]) for r in records if r.get("stage") == "eval"]
    return Curve(
        run_id=run_id,
        dev=[
            (int(r["step"]), float(r["accuracy"]))
            for r in records
            if r.get("stage") == "dev" and "accuracy" in r
        ],
        task_steps=task_steps,
        s_per_step=task_speed,
        intermediate_steps=inter_steps,
        intermediate_s_per_step=inter_speed,
        eval_s=evals[-1] if evals else None,
    )


def curve_text(run_dir: Path) -> str | None:
    """The published curve of a finished run directory (``None`` without a log)."""
    path = run_dir / runs.LOG
    if not path.is_file():
        return None
    kept = thin_log(parse_log(path.read_text(encoding="utf-8")))
    return "".join(json.dumps(r) + "\n" for r in kept)


def load_curves(roots: Iterable[Path]) -> dict[str, Curve]:
    """Curves of the runs under ``roots``: run directories (their ``log.jsonl``) and
    published folders (``<run_id>.curve.jsonl`` or a whole ``<run_id>.log.jsonl``); a run
    directory wins over a copy.

    Args:
        roots: runs directories or published folders.

    Returns:
        Curves by run id.
    """
    out: dict[str, Curve] = {}
    for root in roots:
        if not root.is_dir():
            continue
        # Whole logs published beside the results (the probes' <run_id>.log.jsonl) count too.
        for suffix in (CURVE_SUFFIX, ".log.jsonl"):
            for path in sorted(root.glob(f"*{suffix}")):
                run_id = path.name[: -len(suffix)]
                text = path.read_text("utf-8")
                out.setdefault(run_id, curve_from_log(run_id, parse_log(text)))
        for run_dir in sorted(p for p in root.iterdir() if runs.is_run_dir(p)):
            log = run_dir / runs.LOG
            if log.is_file():
                run_id = str(runs.read_manifest(run_dir).get("run_id", run_dir.name))
                out[run_id] = curve_from_log(run_id, parse_log(log.read_text("utf-8")))
    return out


#: English accuracy (%) on the evaluation pool a run must reach to count as having learned the
#: task at the learning budget (issue 17: XNLI >= 65, PAWS-X >= 75 for every method).
LEARNING_TARGETS = {"xnli": 65.0, "pawsx": 75.0}
#: Points above the majority-class rate that count as having clearly left it.
CLEAR_MARGIN = 5.0


def _mean_curve(curves: list[Curve]) -> list[tuple[int, float]]:
    """Mean English dev accuracy (%) at each step every curve evaluated."""
    if not curves:
        return []
    steps = set.intersection(*({s for s, _ in c.dev} for c in curves))
    return [(s, 100 * statistics.fmean(dict(c.dev)[s] for c in curves)) for s in sorted(steps)]


def _fmt(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def learning_table(
    records: list[Any],
    curves: dict[str, Curve],
    majority: dict[str, float | None],
    planned: dict[tuple[str, str], int] | None = None,
    threads: dict[str, int] | None = None,
) -> str:
    """Markdown: per task and method, the curve, whether every run learned, and the budget.

    Args:
        records: finished runs (:class:`~litcheck.experiments.compare.RunRecord`).
        curves: their curves by run id (:func:`load_curves`); runs without one show "—".
        majority: per task, the majority-class rate (%) of its English evaluation pool.
        planned: runs the grid plans per (task, method), for its budget estimate.
        threads: torch threads per run id (from the manifests; 1 when unknown).

    Returns:
        The table and a line on the whole grid's core-hours.
    """
    cells = sorted({(r.task, r.method) for r in records} | set(planned or {}))
    lines = [
        "| task | method | runs | task steps | English dev by step (mean, %) | English accuracy, "
        "subsets pooled (mean [min-max], %) | robust accuracy en, subsets pooled (mean, %) | "
        "majority | target | every run learned | s/step | core-h spent | "
        "core-h, whole cell |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    spent_total, estimate_total, estimate_known = 0.0, 0.0, True
    for task, method in cells:
        recs = [r for r in records if (r.task, r.method) == (task, method)]
        have = [curves[r.run_id] for r in recs if r.run_id in curves]
        en = [v * 100 for r in recs if (v := r.value("accuracy", "en")) is not None]
        robust = [v * 100 for r in recs if (v := r.value("robust_accuracy", "en")) is not None]
        maj = majority.get(task)
        target = LEARNING_TARGETS.get(task)
        learned = (
            "—"
            if not en or maj is None
            else ("yes" if min(en) > maj + CLEAR_MARGIN else f"no ({min(en):.1f} <= majority + 5)")
        )
        if en and target is not None:
            met = sum(v >= target for v in en)
            learned += f"; target met by {met} of {len(en)}"
        hours = [
            (c.wall_s or c.train_s or 0.0) * (threads or {}).get(c.run_id, 1) / 3600 for c in have
        ]
        spent = sum(hours) if have else None
        spent_total += spent or 0.0
        n_planned = (planned or {}).get((task, method))
        whole = None
        if n_planned and hours:
            whole = statistics.fmean(hours) * n_planned
            estimate_total += whole
        elif n_planned:
            estimate_known = False
        steps = sorted({c.task_steps for c in have})
        dev = ", ".join(f"{s}: {v:.0f}" for s, v in _mean_curve(have))
        speeds = [c.s_per_step for c in have if c.s_per_step is not None]
        lines.append(
            f"| {task} | {method} | {len(recs)}"
            + (f" of {n_planned}" if n_planned else "")
            + f" | {', '.join(map(str, steps)) or '—'} | {dev or '—'} | "
            + (f"{statistics.fmean(en):.1f} [{min(en):.1f}-{max(en):.1f}]" if en else "—")
            + f" | {_fmt(statistics.fmean(robust) if robust else None)} | {_fmt(maj)} | "
            f"{_fmt(target, 0)} | {learned} | "
            f"{_fmt(statistics.median(speeds) if speeds else None, 2)} | {_fmt(spent)} | "
            f"{_fmt(whole)} |"
        )
    note = (
        f"Core-hours spent by these runs: {spent_total:.1f} (training from the median s/step of "
        "each run's log, plus its evaluation where the log times it)."
    )
    if planned:
        note += (
            f" Estimated for the whole grid from the finished runs' mean per cell: "
            f"{estimate_total:.1f}"
            + ("" if estimate_known else " plus the cells with no finished run yet")
            + "."
        )
    return "\n".join(lines) + "\n\n" + note
