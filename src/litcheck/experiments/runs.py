"""Run directories: layout, atomic writes, manifests and results.

A run directory holds::

    manifest.json     config, pool hashes, data hashes, seed, package versions, device, commit
    log.jsonl         one line per logged step (stage, step, loss, seconds)
    state/            checkpoint.pt (resume) and best.pt (best English-dev weights); removed
                      once the run is finished
    predictions.json  per-language 0/1 correctness on the evaluation pool (paired tests), the
                      attack's and, when evaluated, the generalized setting's with its
                      partner languages
    results.json      {"schema": RESULTS_SCHEMA, "run_id": ..., "rows": [RunResult, ...]}

``results.json`` is written last: a run is finished exactly when it exists.

Results schema (``litcheck.models.RunResult`` rows, read by ``reverify``):

- ``metric``: ``accuracy`` (evaluation pool), ``robust_accuracy`` (English evaluation pool under
  the synonym attack), ``generalized_accuracy`` (the generalized setting, when
  ``eval.generalized`` is on: the pair's two sentences in different languages; ``language`` is
  the first sentence's language, ``all`` the mean over first languages), ``dev_accuracy``
  (English calibration pool, best checkpoint);
- ``language``: an ISO code, or a group: ``romance`` (es, fr), ``germanic`` (de), ``other``
  (every other non-English language), ``zero_shot`` (mean over all non-English languages) and
  ``all`` (mean over every evaluated language, English included, as XTREME averages);
- ``value``: a fraction in [0, 1].
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from litcheck.console import atomic_write_text
from litcheck.errors import ExperimentError
from litcheck.models import RunResult

RESULTS_SCHEMA = "litcheck.experiments.results/1"
MANIFEST = "manifest.json"
RESULTS = "results.json"
PREDICTIONS = "predictions.json"
LOG = "log.jsonl"
STATE = "state"


def atomic_write_json(path: Path, data: Any, indent: int | None = 1) -> None:
    """Write JSON atomically (keys in insertion order; ``indent=None`` for compact)."""
    atomic_write_text(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


def rewrite_log(run_dir: Path, keep: Callable[[dict[str, Any]], bool]) -> None:
    """Keep only the log records ``keep`` accepts (atomically; unreadable lines are dropped)."""
    path = run_dir / LOG
    if not path.is_file():
        return
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a kill
        if isinstance(record, dict) and keep(record):
            kept.append(json.dumps(record))
    atomic_write_text(path, "".join(f"{line}\n" for line in kept))


def append_log(run_dir: Path, record: dict[str, Any]) -> None:
    """Append one JSON line to the run's log."""
    with (run_dir / LOG).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def is_run_dir(path: Path) -> bool:
    """True when ``path`` holds a run manifest."""
    return (path / MANIFEST).is_file()


def is_finished(path: Path) -> bool:
    """True when the run in ``path`` wrote its results."""
    return (path / RESULTS).is_file()


def write_results(run_dir: Path, run_id: str, rows: list[RunResult]) -> None:
    """Write ``results.json`` (atomically; this marks the run finished)."""
    atomic_write_json(
        run_dir / RESULTS,
        {"schema": RESULTS_SCHEMA, "run_id": run_id, "rows": [r.model_dump() for r in rows]},
    )


def read_results(path: Path) -> list[RunResult]:
    """Read the rows of a ``results.json`` (a file, or a run directory holding one).

    Raises:
        ExperimentError: when the file is missing or not a results file.
    """
    file = path / RESULTS if path.is_dir() else path
    if not file.is_file():
        raise ExperimentError(f"{path} has no {RESULTS}: the run is not finished or not a run.")
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(raw, list):  # a bare list of rows is accepted too
            return [RunResult.model_validate(r) for r in raw]
        if raw.get("schema") != RESULTS_SCHEMA:
            raise ValueError(f"schema {raw.get('schema')!r}")
        return [RunResult.model_validate(r) for r in raw["rows"]]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ExperimentError(
            f"{file} is not a litcheck results file (a row's {where}: {first['msg']})."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExperimentError(f"{file} is not a litcheck results file ({exc}).") from None


def ensure_run(path: Path) -> None:
    """Raise ExperimentError unless ``path`` is a run directory or a results file."""
    if path.is_dir():
        if not is_run_dir(path):
            raise ExperimentError(f"{path} is not a run directory (no {MANIFEST}).")
        return
    if not path.is_file():
        raise ExperimentError(f"{path} does not exist.")
    read_results(path)


def read_manifest(run_dir: Path) -> dict[str, Any]:
    """Read a run's manifest.

    Raises:
        ExperimentError: when ``run_dir`` is not a run directory.
    """
    if not is_run_dir(run_dir):
        raise ExperimentError(f"{run_dir} is not a run directory (no {MANIFEST}).")
    try:
        data: dict[str, Any] = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExperimentError(f"{run_dir / MANIFEST} is not valid JSON: {exc}.") from None
    return data


@dataclass(frozen=True)
class RunSummary:
    """One row of ``experiment list``."""

    path: Path
    run_id: str
    status: str
    task: str
    method: str
    intermediate: str
    seed: int
    headline: float | None


def find_runs(root: Path) -> list[Path]:
    """Every run directory (or committed ``*.json`` results file) under ``root``, sorted.

    Args:
        root: a runs directory, e.g. ``runs/`` or ``reports/runs/``.

    Returns:
        Run directories and loose results files.
    """
    if not root.exists():
        raise ExperimentError(f"{root} does not exist.")
    found = {p.parent for p in root.rglob(MANIFEST)}
    loose = [
        p
        for p in root.rglob("*.json")
        if p.name not in (MANIFEST, PREDICTIONS)
        and p.parent not in found
        and not p.name.endswith(".predictions.json")
        and not p.name.endswith(".manifest.json")
    ]
    return sorted(found) + sorted(loose)


def summarize(path: Path) -> RunSummary:
    """Summarise a run directory or a results file for ``experiment list``."""
    if path.is_dir():
        manifest = read_manifest(path)
        cfg = manifest["config"]
        status = "finished" if is_finished(path) else "unfinished"
        rows = read_results(path) if status == "finished" else []
        run_id = manifest["run_id"]
        task, method, inter, seed = cfg["task"], cfg["method"], cfg["intermediate"], cfg["seed"]
    else:
        rows = read_results(path)
        if not rows:
            raise ExperimentError(f"{path} has no result rows.")
        status = "finished"
        r0 = rows[0]
        run_id, task, method, inter, seed = r0.run_id, r0.task, r0.method, r0.intermediate, r0.seed
    headline = next(
        (r.value for r in rows if r.metric == "accuracy" and r.language == "zero_shot"), None
    )
    return RunSummary(path, run_id, status, task, method, inter, int(seed), headline)


def collect_results(roots: list[Path]) -> list[RunResult]:
    """All result rows from finished runs under ``roots`` (duplicates by run id dropped)."""
    seen: set[str] = set()
    rows: list[RunResult] = []
    for root in roots:
        for path in find_runs(root):
            if path.is_dir() and not is_finished(path):
                continue
            got = read_results(path)
            if not got or got[0].run_id in seen:
                continue
            seen.add(got[0].run_id)
            rows.extend(got)
    return rows


def read_predictions(path: Path) -> dict[str, Any] | None:
    """Per-item correctness of a run (directory or ``<id>.json`` results file), if stored."""
    if path.is_dir():
        file = path / PREDICTIONS
    else:
        file = path.with_name(path.name.removesuffix(".json") + ".predictions.json")
    if not file.is_file():
        return None
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data
