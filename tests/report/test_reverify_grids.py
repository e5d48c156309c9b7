"""`reverify` warns when --runs holds runs of different grids (their seeds would be pooled)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from litcheck.report.runs import grid_setup, load_runs

REPO = Path(__file__).resolve().parents[2]
SCHEMA = "litcheck.experiments.results/1"
REPORT = "Zero-shot PAWS-X accuracy with plain training is 70.5%.\n"


def _config(task: str, method: str, inter: str, seed: int, **train: Any) -> dict[str, Any]:
    return {
        "task": task,
        "method": method,
        "intermediate": inter,
        "seed": seed,
        "threads": seed,  # how a run was executed, not what it measured
        "train": {"steps": 60, "eval_every": 30, **train},
    }


def _write_run(root: Path, config: dict[str, Any], value: float, drop: str | None = None) -> None:
    run_id = f"{config['task']}-{config['method']}-{config['intermediate']}-s{config['seed']}"
    root.mkdir(parents=True, exist_ok=True)
    row = {
        "run_id": run_id,
        "task": config["task"],
        "metric": "accuracy",
        "language": "zero_shot",
        "method": config["method"],
        "intermediate": config["intermediate"],
        "seed": config["seed"],
        "value": value,
    }
    (root / f"{run_id}.json").write_text(
        json.dumps({"schema": SCHEMA, "run_id": run_id, "rows": [row]}), encoding="utf-8"
    )
    manifest = {"run_id": run_id, "config": config}
    if drop:  # a manifest written before this setting existed
        manifest["config"]["train"].pop(drop)
    (root / f"{run_id}.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def one_grid(root: Path) -> Path:
    """PAWS-X at 200 steps (a per-task override) and XNLI at 60, over methods and seeds."""
    for seed, value in ((1, 0.70), (2, 0.705), (3, 0.71)):
        for method in ("plain", "at"):
            _write_run(root, _config("pawsx", method, "none", seed, steps=200), value)
            _write_run(root, _config("xnli", method, "romance", seed), value - 0.1)
    return root


def test_one_grid_with_per_task_overrides_is_not_mixed(tmp_path: Path) -> None:
    runs = load_runs(one_grid(tmp_path / "runs"))
    assert runs.grid_warning is None
    assert sorted(runs.setups) == ["pawsx", "xnli"]
    assert all(len(groups) == 1 for groups in runs.setups.values())


def test_a_setting_missing_from_an_older_manifest_reads_as_its_default(tmp_path: Path) -> None:
    root = one_grid(tmp_path / "runs")
    # dropout 0.1 is the default: a manifest without it describes the same grid
    _write_run(root, _config("xnli", "plain", "none", 1, dropout=0.1), 0.6)
    _write_run(root, _config("xnli", "plain", "none", 2, dropout=0.1), 0.6, drop="dropout")
    assert load_runs(root).grid_warning is None
    a = grid_setup({"config": _config("xnli", "plain", "none", 1, dropout=0.1)})
    b = grid_setup({"config": _config("xnli", "at", "english", 3)})
    assert a == b


def test_runs_of_two_grids_are_warned_about_on_one_stderr_line_and_noted(tmp_path: Path) -> None:
    one_grid(tmp_path / "runs" / "long")
    # an archived PAWS-X grid at 60 steps: the same slots, seeds that must not be pooled
    for seed in (1, 2):
        _write_run(tmp_path / "runs" / "short", _config("pawsx", "plain", "none", seed), 0.568)
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    res = run_cli("reverify", str(report), "--runs", str(tmp_path / "runs"), "--format", "json")
    assert res.code == 0, res.stderr
    warnings = [line for line in res.stderr.splitlines() if "different grids" in line]
    assert len(warnings) == 1
    line = warnings[0]
    assert line.startswith("warning: ")
    assert "pawsx: train.steps=200 (6 run(s), e.g. long/pawsx-at-none-s1.json) vs " in line
    assert "train.steps=60 (2 run(s), e.g. short/pawsx-plain-none-s1.json)" in line
    assert f"--runs {tmp_path / 'runs' / 'long'}" in line
    assert "xnli" not in line  # one grid of XNLI runs
    out = json.loads(res.stdout)
    assert out["grid_warning"] in out["notes"]
    assert "different grids" in out["grid_warning"]

    md = run_cli("reverify", str(report), "--runs", str(tmp_path / "runs"))
    summary = md.stdout.split("## Method")[0]
    assert "**Warning:**" in summary and "different grids" in summary


def test_one_grid_folder_gives_no_warning(tmp_path: Path) -> None:
    root = one_grid(tmp_path / "runs")
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    res = run_cli("reverify", str(report), "--runs", str(root), "--format", "json")
    assert res.code == 0, res.stderr
    assert "different grids" not in res.stderr
    assert json.loads(res.stdout)["grid_warning"] is None


@pytest.mark.skipif(
    not (REPO / "reports" / "runs" / "cpu-grid").is_dir(), reason="published runs absent"
)
def test_published_runs_one_grid_per_folder_and_mixed_together() -> None:
    assert load_runs(REPO / "reports" / "runs" / "cpu-grid").grid_warning is None
    mixed = load_runs(REPO / "reports" / "runs").grid_warning
    assert mixed is not None
    # cpu-grid's PAWS-X runs beside the 60-step ones (and the probes of issue 17, if published)
    assert "pawsx: " in mixed and "(48 run(s), e.g. cpu-grid/pawsx-" in mixed
    assert "(15 run(s), e.g. cpu-grid-pawsx-60steps/pawsx-" in mixed
    assert mixed.endswith(f"(e.g. --runs {REPO / 'reports' / 'runs' / 'cpu-grid'}).")
