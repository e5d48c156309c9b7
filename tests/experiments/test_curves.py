"""Training curves from run logs (experiments/curves.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from litcheck.experiments.curves import (
    LOSS_EVERY,
    curve_from_log,
    learning_table,
    parse_log,
    thin_log,
)


def _log(steps: int, s_per_step: float, resume_at: int | None = None) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for step in range(1, steps + 1):
        # A resumed run restarts its clock: the elapsed time falls back at the resume.
        t0 = 0 if resume_at is None or step <= resume_at else resume_at
        out.append(
            {"stage": "task", "step": step, "loss": 1 / step, "elapsed_s": (step - t0) * s_per_step}
        )
        if step % 50 == 0:
            out.append({"stage": "dev", "step": step, "accuracy": min(0.9, step / 200)})
    out.append({"stage": "eval", "elapsed_s": 120.0})
    return out


def test_thinned_log_keeps_the_curve_and_the_speed() -> None:
    log = _log(203, 2.5)
    thin = thin_log(log)
    assert len(thin) < len(log) / 5
    assert [r for r in thin if r["stage"] == "dev"] == [r for r in log if r["stage"] == "dev"]
    steps = [r["step"] for r in thin if r["stage"] == "task"]
    assert steps[0] == 1 and steps[-1] == 203 and all(s % LOSS_EVERY == 0 for s in steps[1:-1])
    full, thinned = curve_from_log("r", log), curve_from_log("r", thin)
    assert full.dev == thinned.dev and full.task_steps == thinned.task_steps == 203
    assert full.s_per_step == pytest.approx(2.5) and thinned.s_per_step == pytest.approx(2.5)
    assert thinned.eval_s == 120.0 and thinned.wall_s == pytest.approx(203 * 2.5 + 120)


def test_a_resumed_run_keeps_its_speed() -> None:
    curve = curve_from_log("r", thin_log(_log(300, 3.0, resume_at=137)))
    assert curve.s_per_step == pytest.approx(3.0)
    assert curve.train_s == pytest.approx(900.0)


def test_a_line_cut_by_a_kill_is_skipped() -> None:
    text = '{"stage": "dev", "step": 50, "accuracy": 0.5}\n{"stage": "task", "st'
    assert parse_log(text) == [{"stage": "dev", "step": 50, "accuracy": 0.5}]


@dataclass
class _Run:
    run_id: str
    task: str
    method: str
    en: float

    def value(self, metric: str, language: str) -> float | None:
        return self.en if metric == "accuracy" else None


def test_learning_table_says_which_methods_learned_and_what_the_grid_costs() -> None:
    records = [
        _Run("a1", "pawsx", "plain", 0.80),
        _Run("a2", "pawsx", "plain", 0.78),
        _Run("b1", "pawsx", "rs_da", 0.58),  # at the majority rate: not learned
    ]
    curves = {r.run_id: curve_from_log(r.run_id, _log(100, 36.0)) for r in records}
    table = learning_table(
        records, curves, {"pawsx": 56.8}, planned={("pawsx", "plain"): 4, ("pawsx", "rs_da"): 4}
    )
    plain = next(line for line in table.splitlines() if "| plain |" in line)
    rs_da = next(line for line in table.splitlines() if "| rs_da |" in line)
    assert "| 2 of 4 |" in plain and "yes; target met by 2 of 2" in plain
    assert "no (58.0 <= majority + 5); target met by 0 of 1" in rs_da
    assert "50: 25, 100: 50" in plain  # the mean dev curve
    # each run: 100 steps x 36 s + 120 s of evaluation = 1.033 h; 4 planned per cell
    assert "| 2.1 | 4.1 |" in plain
    assert (
        "spent by these runs: 3.1" in table
        and "whole grid from the finished runs' mean per cell: 8.3" in table
    )
