"""The Ray executor of the grid on a local 2-CPU Ray instance, with tiny runs.

One worker is killed (SIGKILL) in the middle of its run: Ray retries the task, the retry
resumes the run from its checkpoint, and both runs finish once with the metrics the local
executor gets for the same configs and seeds.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.grid import run_grid, run_grid_ray, worker_mark
from litcheck.scaleout import ray_installed

# Not imported here: ray must be first imported by litcheck.scaleout, which makes a local
# instance listen on the loopback interface only. CI installs the ray extra: there a missing
# ray fails these tests rather than skipping them.
if not ray_installed() and not os.environ.get("CI"):
    pytest.skip("ray is not installed", allow_module_level=True)

STEPS = 24


def _grid_file(tmp_path: Path, encoder: Path, name: str = "tiny-ray") -> Path:
    grid = tmp_path / f"{name}.toml"
    grid.write_text(
        f'name = "{name}"\norder = ["seed", "task", "method", "intermediate"]\n'
        '[axes]\ntask = ["pawsx"]\nmethod = ["plain"]\nintermediate = ["none"]\nseed = [1, 2]\n'
        f'[base]\nencoder = "{encoder}"\nthreads = 1\n'
        f"[base.train]\nsteps = {STEPS}\nbatch_size = 4\nmax_length = 24\neval_every = 4\n"
        "checkpoint_every = 1\n"
        "[base.pools]\nintermediate = 8\ntrain = 12\ncalibration = 6\neval = 10\n"
        "[base.eval]\nattack_samples = 2\n"
    )
    return grid


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    """One local Ray instance of 2 CPUs for the module (starting one takes seconds)."""
    from litcheck.scaleout import ray_session

    with ray_session(num_cpus=2) as ray:
        yield ray


def _task_steps(run_dir: Path) -> list[int]:
    lines = (run_dir / runs.LOG).read_text().splitlines()
    return [r["step"] for r in map(json.loads, lines) if r.get("stage") == "task" and "loss" in r]


def _rows(run_dir: Path) -> list[tuple[str, str, float]]:
    return [(r.metric, r.language, r.value) for r in runs.read_results(run_dir)]


class _Killer(threading.Thread):
    """Kills the worker training ``run_id`` once, after it has logged a few steps."""

    def __init__(self, root: Path, run_id: str) -> None:
        super().__init__(daemon=True)
        self.root, self.run_id = root, run_id
        self.killed: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        run_dir = self.root / self.run_id
        mark = worker_mark(self.root, self.run_id)
        while not self.stop.is_set():
            try:
                steps = _task_steps(run_dir)
                pid = int(json.loads(mark.read_text())["pid"])
            except (OSError, ValueError, KeyError):
                time.sleep(0.01)
                continue
            if len(steps) >= 3 and not runs.is_finished(run_dir):
                os.kill(pid, signal.SIGKILL)
                self.killed = pid
                return
            time.sleep(0.01)


def test_killed_worker_is_retried_and_matches_local(
    ray_instance: Any,
    tmp_path: Path,
    tiny_encoder_dir: Path,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    grid = _grid_file(tmp_path, tiny_encoder_dir)
    ray_root = tmp_path / "ray-runs"
    killer = _Killer(ray_root, "pawsx-plain-none-s1")
    killer.start()
    seen: list[tuple[str, str]] = []
    try:
        status = run_grid_ray(
            grid,
            settings,
            runs_dir=ray_root,
            show_progress=True,  # runs done / running / left on stderr
            publish_dir=tmp_path / "published",
            on_run=lambda cfg, st: seen.append((cfg.run_id, st)),
            max_retries=2,
        )
    finally:
        killer.stop.set()
        killer.join()
    assert killer.killed is not None, "the run finished before its worker could be killed"
    assert "2 done · 0 running · 0 left" in capsys.readouterr().err
    assert (status.total, status.ran, status.finished, status.busy) == (2, 2, 2, 0)
    assert sorted(seen) == [
        ("pawsx-plain-none-s1", "finished"),
        ("pawsx-plain-none-s2", "finished"),
    ]
    local = run_grid(grid, settings, runs_dir=tmp_path / "local-runs", show_progress=False)
    assert local.ran == 2
    for run_id in ("pawsx-plain-none-s1", "pawsx-plain-none-s2"):
        run_dir = ray_root / run_id
        assert _task_steps(run_dir) == list(range(1, STEPS + 1))  # each step trained once
        assert not worker_mark(ray_root, run_id).exists()
        assert not (run_dir / runs.STATE).exists()
        assert _rows(run_dir) == _rows(tmp_path / "local-runs" / run_id)
        assert (tmp_path / "published" / f"{run_id}.json").is_file()
    # either executor resumes the other's grid: nothing is trained again
    assert run_grid(grid, settings, runs_dir=ray_root, show_progress=False).skipped == 2
    again = run_grid_ray(grid, settings, runs_dir=tmp_path / "local-runs", show_progress=False)
    assert (again.skipped, again.ran) == (2, 0)


def test_a_failing_run_is_one_error_and_cuda_needs_a_gpu(
    ray_instance: Any, tmp_path: Path, tiny_encoder_dir: Path
) -> None:
    from litcheck.settings import load_settings

    grid = _grid_file(tmp_path, tiny_encoder_dir, name="no-data")
    empty = load_settings(home=tmp_path / "home", data_dir=tmp_path / "no-data-here")
    with pytest.raises(ExperimentError) as info:
        run_grid_ray(grid, empty, runs_dir=tmp_path / "runs", show_progress=False, limit=1)
    assert "\n" not in str(info.value) and "no-data-here" in str(info.value)
    with pytest.raises(ExperimentError, match="no GPU"):
        run_grid_ray(grid, empty, runs_dir=tmp_path / "runs", device="cuda", show_progress=False)


def test_cli_without_ray_names_the_extra_and_runs_locally(
    tmp_path: Path, tiny_encoder_dir: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litcheck.experiments.cli import app

    monkeypatch.setattr("litcheck.scaleout.ray_installed", lambda: False)
    monkeypatch.setenv("LITCHECK_HOME", str(tmp_path / "home"))
    grid = _grid_file(tmp_path, tiny_encoder_dir)
    args = ["grid", str(grid), "--executor", "ray", "--runs-dir", str(tmp_path / "runs")]
    result = CliRunner().invoke(app, [*args, "--data-dir", str(data_dir), "--limit", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.count('pip install "litcheck[ray]"') == 1
    assert "0/2 runs finished" in result.output
    bad = CliRunner().invoke(app, ["grid", str(grid), "--address", "auto"])
    assert bad.exit_code != 0 and isinstance(bad.exception, ExperimentError)
