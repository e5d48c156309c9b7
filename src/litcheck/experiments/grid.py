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
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litcheck.console import atomic_write_text
from litcheck.errors import ExperimentError, LitcheckError
from litcheck.experiments import runs
from litcheck.experiments.config import ExperimentConfig, load_grid, same_config
from litcheck.experiments.curves import CURVE_SUFFIX, curve_text
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


def run_files(run_dir: Path) -> dict[str, str]:
    """A finished run's small JSON files, by the names :func:`publish_run` gives them.

    Returns:
        ``{"<run_id>.json": text, "<run_id>.predictions.json": ..., "<run_id>.manifest.json":
        ..., "<run_id>.curve.jsonl": ...}`` for the files the run has (the curve: its log,
        thinned by :func:`~litcheck.experiments.curves.thin_log`).
    """
    run_id = runs.read_manifest(run_dir)["run_id"]
    pairs = [
        (runs.RESULTS, f"{run_id}.json"),
        (runs.PREDICTIONS, f"{run_id}.predictions.json"),
        (runs.MANIFEST, f"{run_id}.manifest.json"),
    ]
    files = {
        dst: (run_dir / src).read_text(encoding="utf-8")
        for src, dst in pairs
        if (run_dir / src).is_file()
    }
    curve = curve_text(run_dir)
    if curve is not None:
        files[f"{run_id}{CURVE_SUFFIX}"] = curve
    return files


def publish_files(files: dict[str, str], target: Path) -> None:
    """Write the files of :func:`run_files` into ``target``, each atomically."""
    for name, text in files.items():
        atomic_write_text(target / name, text)


def publish_run(run_dir: Path, target: Path) -> None:
    """Copy a finished run's results, predictions and manifest into ``target`` (small JSON).

    Files are named ``<run_id>.json``, ``<run_id>.predictions.json``,
    ``<run_id>.manifest.json`` and ``<run_id>.curve.jsonl``.
    """
    publish_files(run_files(run_dir), target)


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


def _already_done(cfg: ExperimentConfig, root: Path, publish_dir: Path | None) -> bool:
    """True when ``cfg`` has finished, in ``root`` or in ``publish_dir`` (then it is skipped).

    A run finished in ``root`` is published again (its files may be newer than the copies).
    """
    run_dir = root / cfg.run_id
    if runs.is_finished(run_dir):
        _check_same_config(run_dir, cfg)
        if publish_dir is not None:
            publish_run(run_dir, publish_dir)
        return True
    # A fresh machine has no runs/ directory, but the committed results of a run with the same
    # config are final: a later session resumes the grid where it stopped.
    return publish_dir is not None and _published(publish_dir, cfg)


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
        if _already_done(cfg, root, publish_dir):
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


# --- the Ray executor -------------------------------------------------------------------------

#: A run whose worker dies (killed, out of memory, its node lost) is started again up to this
#: many times; each new attempt resumes from the run's last checkpoint.
RAY_MAX_RETRIES = 3


def worker_mark(root: Path, run_id: str) -> Path:
    """The file in which the worker training ``run_id`` names itself (pid, host, start time).

    It exists while a Ray worker trains the run; one left by a killed worker is overwritten by
    the retry. The grid's progress counts a run as running while its mark exists.
    """
    return root / f".{run_id}.worker"


def train_on_worker(
    cfg: ExperimentConfig, root: str, settings: Settings, device: str
) -> dict[str, object]:
    """Train one run of a grid inside a Ray worker (the body of the grid's Ray task).

    The run is claimed with the same lock as the local workers use and resumed from whatever
    it left in its run directory, so a retried task, a local worker and a Ray worker never
    train one run twice.

    Args:
        cfg: the run's config.
        root: the grid's runs directory (shared by every node of a cluster).
        settings: litcheck settings.
        device: ``cpu`` or ``cuda`` (Ray shows the task only the GPU it was given).

    Returns:
        ``{"status": "finished", "files": run_files(...)}``, or ``{"status": "busy"}`` when
        another worker holds the run.
    """
    base = Path(root)
    run_dir = base / cfg.run_id
    mark = worker_mark(base, cfg.run_id)
    with claim_run(base, cfg.run_id) as mine:
        if not mine:
            return {"status": "busy"}
        if not runs.is_finished(run_dir):
            atomic_write_text(
                mark,
                json.dumps(
                    {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
                ),
            )
            try:
                run_experiment(
                    cfg, run_dir, settings, device=device, resume=True, show_progress=False
                )
            finally:
                mark.unlink(missing_ok=True)
    return {"status": "finished", "files": run_files(run_dir)}


def _ray_device(ray: Any, device: str | None) -> str:
    """The device of every run: as asked, else ``cuda`` where the cluster has GPUs."""
    from litcheck.scaleout import gpus_in_cluster

    gpus = gpus_in_cluster(ray)
    if device is None:
        return "cuda" if gpus else "cpu"
    if device == "cuda" and not gpus:
        raise ExperimentError(
            "--device cuda was asked for but the Ray cluster has no GPU; use --device cpu."
        )
    if device not in ("cpu", "cuda"):
        raise ExperimentError(f"Unknown device {device!r}: choose cpu or cuda.")
    return device


def _task_failure(ray: Any, cfg: ExperimentConfig, exc: Exception, tries: int) -> LitcheckError:
    """The one-line error for a run whose Ray task failed."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayTaskError) and isinstance(cause, LitcheckError):
        return cause
    if isinstance(exc, ray.exceptions.RayTaskError):
        return ExperimentError(f"Run {cfg.run_id} failed on its Ray worker: {cause!r}.")
    return ExperimentError(
        f"Run {cfg.run_id}: its Ray worker was lost {tries} times ({type(exc).__name__}); rerun "
        "the grid to resume it from its last checkpoint."
    )


def run_grid_ray(
    grid_file: Path,
    settings: Settings,
    runs_dir: Path | None = None,
    device: str | None = None,
    publish_dir: Path | None = None,
    show_progress: bool = True,
    limit: int | None = None,
    on_run: Callable[[ExperimentConfig, str], None] | None = None,
    address: str | None = None,
    num_cpus: int | None = None,
    max_retries: int = RAY_MAX_RETRIES,
) -> GridStatus:
    """Run every unfinished run of a grid as a Ray task, on a local instance or a cluster.

    Each run is one task that asks for ``threads`` CPUs (1 when the config leaves threads
    unset) and, on the GPU, one GPU. A task whose worker dies is retried up to ``max_retries``
    times and resumes from its run's checkpoint. Runs are written to the same run directories
    as :func:`run_grid`'s, so either executor resumes the other's grid; on a cluster,
    ``runs_dir`` must be on a filesystem every node sees.

    Args:
        grid_file: the grid TOML.
        settings: litcheck settings (sent to every worker).
        runs_dir: where run directories go; default ``runs/<grid name>``.
        device: ``cpu`` or ``cuda``; None: ``cuda`` when the cluster has GPUs, else ``cpu``.
        publish_dir: copy each finished run's small JSON files there (written by the driver).
        show_progress: runs done / running / left on stderr.
        limit: start at most this many runs in this pass.
        on_run: called with each config and its status (``skipped``, ``finished``, ``busy``).
        address: an existing Ray cluster; None starts a local instance of ``num_cpus`` CPUs.
        num_cpus: CPUs of the local instance (default: every core).
        max_retries: restarts of a run whose worker died.

    Returns:
        Counts of the pass.

    Raises:
        ExperimentError: a run failed (after the other runs were left to finish), or the
            cluster cannot be reached.

    Example:
        >>> run_grid_ray(Path("data/experiments/cpu-grid.toml"), load_settings())  # doctest: +SKIP
    """
    from litcheck.experiments.trainer import progress_bar
    from litcheck.scaleout import ray_session

    grid, configs = load_grid(grid_file)
    root = (runs_dir or Path("runs") / grid.name).resolve()
    root.mkdir(parents=True, exist_ok=True)
    todo: list[ExperimentConfig] = []
    skipped = 0
    for cfg in configs:
        if _already_done(cfg, root, publish_dir):
            skipped += 1
            if on_run:
                on_run(cfg, "skipped")
        elif limit is None or len(todo) < limit:
            todo.append(cfg)
    finished = skipped
    ran = busy = 0
    failures: list[LitcheckError] = []
    if not todo:  # nothing to train: no Ray instance to start
        return GridStatus(total=len(configs), finished=finished, skipped=skipped, ran=0)
    with ray_session(address, num_cpus, error=ExperimentError) as ray:
        run_device = _ray_device(ray, device)
        task = ray.remote(train_on_worker)
        pending = {
            task.options(
                name=cfg.run_id,
                num_cpus=cfg.threads or 1,
                num_gpus=1 if run_device == "cuda" else 0,
                max_retries=max_retries,
                retry_exceptions=False,  # a config that fails once fails again: report it
            ).remote(cfg, str(root), settings, run_device): cfg
            for cfg in todo
        }
        with progress_bar(show_progress) as progress:
            bar = progress.add_task(
                f"grid {grid.name} on ray", total=len(configs), completed=finished, info=""
            )
            while pending:
                running = sum(worker_mark(root, c.run_id).is_file() for c in pending.values())
                left = len(pending) - running
                progress.update(
                    bar,
                    completed=finished,
                    info=f"{finished} done · {running} running · {left} left",
                )
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
                for ref in ready:
                    cfg = pending.pop(ref)
                    try:
                        outcome = ray.get(ref)
                    except ray.exceptions.RayError as exc:
                        failures.append(_task_failure(ray, cfg, exc, max_retries + 1))
                        continue
                    if outcome["status"] == "busy":
                        busy += 1
                        if on_run:
                            on_run(cfg, "busy")
                        continue
                    ran += 1
                    finished += 1
                    if publish_dir is not None:
                        publish_files(outcome["files"], publish_dir)
                    if on_run:
                        on_run(cfg, "finished")
            progress.update(bar, completed=finished, info=f"{finished} done · 0 running · 0 left")
    if failures:
        raise failures[0]
    return GridStatus(total=len(configs), finished=finished, skipped=skipped, ran=ran, busy=busy)
