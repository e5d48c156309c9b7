"""Run a grid of experiments, resumably.

Each run of the grid lives in ``<runs_dir>/<run_id>/``. A finished run (``results.json``
present) is skipped; an unfinished one resumes from its last checkpoint. Optionally every
finished run's results and predictions are copied into a publish directory (e.g.
``reports/runs/<grid>/``) so that they can be committed.

Several grid processes may work on the same grid at once (one per core): each run is claimed
with an exclusive ``flock`` on ``<runs_dir>/.<run_id>.lock``, which the kernel drops when its
holder exits or is killed, so a crashed worker never leaves a run blocked.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.config import ExperimentConfig, load_grid, same_config
from litcheck.experiments.trainer import run_experiment
from litcheck.settings import Settings


@dataclass(frozen=True)
class GridStatus:
    """Counts after a grid pass."""

    total: int
    finished: int
    skipped: int
    ran: int
    busy: int = 0


@contextlib.contextmanager
def claim_run(root: Path, run_id: str) -> Iterator[bool]:
    """Hold an exclusive lock on one run for the duration of the block.

    Yields:
        True when this process holds the run; False when another worker is training it.
    """
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / f".{run_id}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def publish_run(run_dir: Path, target: Path) -> None:
    """Copy a finished run's results, predictions and manifest into ``target`` (small JSON).

    Files are named ``<run_id>.json``, ``<run_id>.predictions.json`` and
    ``<run_id>.manifest.json``.
    """
    manifest = runs.read_manifest(run_dir)
    run_id = manifest["run_id"]
    target.mkdir(parents=True, exist_ok=True)
    pairs = [
        (runs.RESULTS, f"{run_id}.json"),
        (runs.PREDICTIONS, f"{run_id}.predictions.json"),
        (runs.MANIFEST, f"{run_id}.manifest.json"),
    ]
    for src, dst in pairs:
        if (run_dir / src).is_file():
            tmp = target / f".{dst}.tmp"
            shutil.copyfile(run_dir / src, tmp)
            tmp.replace(target / dst)


def _check_same_config(run_dir: Path, cfg: ExperimentConfig) -> None:
    """A finished run of another config (the grid file was edited) must not pass as this one."""
    stored = runs.read_manifest(run_dir).get("config")
    if stored is not None and not same_config(stored, cfg):
        raise ExperimentError(
            f"{run_dir} holds a finished run of a different config than the grid now asks for "
            "(the grid file was edited); move that run directory elsewhere to rerun it."
        )


def _published(publish_dir: Path, cfg: ExperimentConfig) -> bool:
    """True when ``publish_dir`` holds the results of a finished run of exactly ``cfg``."""
    results = publish_dir / f"{cfg.run_id}.json"
    manifest = publish_dir / f"{cfg.run_id}.manifest.json"
    if not (results.is_file() and manifest.is_file()):
        return False
    try:
        stored = json.loads(manifest.read_text(encoding="utf-8"))
        json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return same_config(stored.get("config"), cfg)


def run_grid(
    grid_file: Path,
    settings: Settings,
    runs_dir: Path | None = None,
    device: str = "cpu",
    publish_dir: Path | None = None,
    show_progress: bool = True,
    limit: int | None = None,
    on_run: Callable[[ExperimentConfig, str], None] | None = None,
) -> GridStatus:
    """Run every configuration of a grid that has not finished yet.

    Args:
        grid_file: the grid TOML (see :class:`~litcheck.experiments.config.GridConfig`).
        settings: litcheck settings.
        runs_dir: where run directories go; default ``runs/<grid name>``.
        device: ``cpu`` or ``cuda``.
        publish_dir: copy each finished run's small JSON files there.
        show_progress: rich progress bars on stderr.
        limit: stop after this many runs were trained in this pass.
        on_run: called with each config and its status (``skipped`` / ``finished`` /
            ``busy``, the last when another worker holds the run).

    Returns:
        Counts of the pass.
    """
    grid, configs = load_grid(grid_file)
    root = runs_dir or Path("runs") / grid.name
    finished = skipped = ran = busy = 0
    for cfg in configs:
        run_dir = root / cfg.run_id
        if runs.is_finished(run_dir):
            _check_same_config(run_dir, cfg)
            skipped += 1
            finished += 1
            if publish_dir is not None:
                publish_run(run_dir, publish_dir)
            if on_run:
                on_run(cfg, "skipped")
            continue
        if publish_dir is not None and _published(publish_dir, cfg):
            # A fresh machine has no runs/ directory, but the committed results of a run with
            # the same config are final: a later session resumes the grid where it stopped.
            skipped += 1
            finished += 1
            if on_run:
                on_run(cfg, "skipped")
            continue
        if limit is not None and ran >= limit:
            break
        with claim_run(root, cfg.run_id) as mine:
            if not mine:
                busy += 1
                if on_run:
                    on_run(cfg, "busy")
                continue
            # another worker may have finished it between our check and the lock
            if not runs.is_finished(run_dir):
                run_experiment(
                    cfg, run_dir, settings, device=device, resume=True, show_progress=show_progress
                )
        ran += 1
        finished += 1
        if publish_dir is not None:
            publish_run(run_dir, publish_dir)
        if on_run:
            on_run(cfg, "finished")
    return GridStatus(total=len(configs), finished=finished, skipped=skipped, ran=ran, busy=busy)
