"""Read a runs directory into measured slots: mean and 95% t-interval over seeds.

A runs directory holds run directories (``<run>/results.json``) and/or committed results files
(``reports/runs/<run>.json``). A results file is ``{"schema": ..., "run_id": ..., "rows":
[RunResult, ...]}`` or a bare list of RunResult rows. A file that is not valid JSON, or whose
rows do not validate, is *skipped and named* (it never stops the others from being read).

Each results file's manifest (``<run>/manifest.json`` or ``<run>.manifest.json``) records the
run's config. The runs of one grid share their config except for the grid's axes (method,
intermediate subset, seed) and the per-task overrides, so two runs of one task whose configs
differ in anything else come from different grids; :attr:`RunsIndex.grid_warning` says so,
because their seeds would be pooled into one measurement.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from litcheck.errors import BadInputError
from litcheck.models import RunResult
from litcheck.report.models import Measurement, SkippedFile, Slot

_NOT_RESULTS = ("manifest.json", "predictions.json", "config.json", "grid.json")


@dataclass
class RunsIndex:
    """Every measured figure of a runs directory, by slot.

    Attributes:
        root: the directory read.
        files: results files read (relative to ``root``), sorted.
        skipped: unreadable results files, with the reason.
        values: slot -> seed -> value (later files override earlier ones for the same seed).
        notes: remarks (duplicate seeds, empty files).
        encoders: the encoders the runs' manifests name.
        setups: task -> the runs' shared settings (config less the per-run keys, flattened to
            dotted keys, as JSON) -> the results files with that setup.
        grid_warning: one sentence when the runs of one task come from different grids.
    """

    root: Path
    files: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    values: dict[Slot, dict[int, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    encoders: set[str] = field(default_factory=set)
    setups: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    grid_warning: str | None = None

    def slots(self) -> list[Slot]:
        """Measured slots, sorted."""
        return sorted(self.values, key=lambda s: s.model_dump_json())

    def dimension_values(self, dim: str) -> set[str]:
        """Every value one dimension (task, metric, language, ...) takes in the runs."""
        return {str(getattr(s, dim)) for s in self.values}

    def measure(self, slot: Slot) -> Measurement:
        """Mean and 95% t-interval of ``slot`` over its seeds."""
        by_seed = self.values[slot]
        seeds = sorted(by_seed)
        mean, low, high = t_interval([by_seed[s] for s in seeds])
        return Measurement(mean=mean, low=low, high=high, n=len(seeds), seeds=seeds)

    def measure_difference(self, slot: Slot, baseline: Slot) -> Measurement:
        """Mean and 95% t-interval of ``slot - baseline``.

        Paired over common seeds when there are at least two; otherwise Welch's interval for a
        difference of means (a side with one seed contributes no variance).
        """
        a, b = self.values[slot], self.values[baseline]
        common = sorted(set(a) & set(b))
        if len(common) >= 2:
            mean, low, high = t_interval([a[s] - b[s] for s in common])
            return Measurement(
                mean=mean, low=low, high=high, n=len(common), seeds=common, paired=True
            )
        mean, low, high, n = welch_interval(list(a.values()), list(b.values()))
        return Measurement(
            mean=mean, low=low, high=high, n=n, seeds=sorted(set(a) | set(b)), paired=False
        )


def _t_quantile(df: float) -> float:
    from scipy import stats

    return float(stats.t.ppf(0.975, df))


def t_interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% Student-t interval; a single value gives a zero-width interval.

    Args:
        values: one value per seed.

    Returns:
        (mean, low, high).
    """
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, mean, mean
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = _t_quantile(n - 1) * math.sqrt(var / n)
    return mean, mean - half, mean + half


def welch_interval(a: list[float], b: list[float]) -> tuple[float, float, float, int]:
    """Mean of ``a - b`` with Welch's 95% interval; returns (mean, low, high, min n)."""
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((v - ma) ** 2 for v in a) / (len(a) - 1) if len(a) > 1 else 0.0
    vb = sum((v - mb) ** 2 for v in b) / (len(b) - 1) if len(b) > 1 else 0.0
    sa, sb = va / len(a), vb / len(b)
    diff = ma - mb
    se2 = sa + sb
    if se2 == 0.0:
        return diff, diff, diff, min(len(a), len(b))
    denom = (sa**2 / (len(a) - 1) if len(a) > 1 else 0.0) + (
        sb**2 / (len(b) - 1) if len(b) > 1 else 0.0
    )
    df = se2**2 / denom if denom > 0 else 1.0
    half = _t_quantile(df) * math.sqrt(se2)
    return diff, diff - half, diff + half, min(len(a), len(b))


def _rows_of(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        return list(data["rows"])
    return None


def _looks_like_results(path: Path, data: Any) -> bool:
    if path.name == "results.json":
        return True
    if isinstance(data, dict):
        return "rows" in data or str(data.get("schema", "")).startswith(
            "litcheck.experiments.results"
        )
    return (
        isinstance(data, list) and bool(data) and isinstance(data[0], dict) and "run_id" in data[0]
    )


def _read_manifest(results: Path) -> dict[str, Any] | None:
    """The manifest beside a results file, if there is a readable one."""
    if results.name == "results.json":
        manifest = results.with_name("manifest.json")
    else:
        manifest = results.with_name(results.stem + ".manifest.json")
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _manifest_encoder(manifest: dict[str, Any]) -> str | None:
    """The encoder a manifest names (its config's, else the recorded encoder's name)."""
    config = manifest.get("config")
    name = config.get("encoder") if isinstance(config, dict) else None
    if not isinstance(name, str):
        enc = manifest.get("encoder")
        name = enc.get("name") if isinstance(enc, dict) else None
    return name if isinstance(name, str) and name else None


#: Config keys that differ between the runs of one grid: its axes (task is compared within
#: itself, as grids override settings per task) and how a run was executed, not what it measured.
PER_RUN_KEYS = frozenset({"name", "seed", "method", "intermediate", "threads"})


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def grid_setup(manifest: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A run's task and the settings it shares with the other runs of its grid.

    The config is read through the current run-config model first, so a manifest written
    before a setting existed compares equal to one that leaves it at its default.

    Args:
        manifest: a run manifest (``{"config": {...}, ...}``).

    Returns:
        (task, dotted key -> value of every config setting but :data:`PER_RUN_KEYS`), or None
        when the manifest records no config.
    """
    from litcheck.experiments.config import ExperimentConfig

    config = manifest.get("config")
    if not isinstance(config, dict):
        return None
    # A config of another version does not validate: it is then compared as recorded.
    with contextlib.suppress(ValidationError):
        config = ExperimentConfig.model_validate(config).model_dump(mode="json")
    task = config.get("task")
    if not isinstance(task, str):
        return None
    shared = {k: v for k, v in config.items() if k not in PER_RUN_KEYS and k != "task"}
    return task, _flatten(shared)


def _setting(key: str, value: Any) -> str:
    return f"{key}={json.dumps(value)}"


def mixed_grids_warning(setups: dict[str, dict[str, list[str]]], root: Path) -> str | None:
    """One sentence naming the tasks whose runs come from different grids, and how they differ.

    Args:
        setups: :attr:`RunsIndex.setups`.
        root: the runs directory (named in the advice).

    Returns:
        The sentence, or None when each task's runs share one setup.
    """
    parts = []
    for task in sorted(setups):
        groups = setups[task]
        if len(groups) < 2:
            continue
        decoded = [(json.loads(key), files) for key, files in groups.items()]
        decoded.sort(key=lambda kv: (-len(kv[1]), kv[1][0]))
        keys = sorted({k for setup, _ in decoded for k in setup})
        differing = [k for k in keys if len({json.dumps(s.get(k)) for s, _ in decoded}) > 1]
        sides = []
        for setup, files in decoded:
            shown = ", ".join(_setting(k, setup.get(k)) for k in differing[:4])
            more = f" and {len(differing) - 4} more" if len(differing) > 4 else ""
            sides.append(f"{shown}{more} ({len(files)} run(s), e.g. {files[0]})")
        parts.append(f"{task}: " + " vs ".join(sides))
    if not parts:
        return None
    # Suggest the folder of the largest group when its runs share one (reports/runs/cpu-grid).
    largest = max((files for groups in setups.values() for files in groups.values()), key=len)
    folders = {Path(f).parent for f in largest}
    folder = folders.pop() if len(folders) == 1 else Path(".")
    advice = f" (e.g. --runs {root / folder})" if folder != Path(".") else ""
    return (
        f"{root} holds runs of different grids, whose seeds are pooled into one measurement: "
        + "; ".join(parts)
        + f". Point --runs at the folder of one grid{advice}."
    )


#: The derived metric: English accuracy minus the accuracy of a language or group.
TRANSFER_GAP = "transfer_gap"
SOURCE_LANGUAGE = "en"


def _derive_transfer_gap(index: RunsIndex) -> None:
    """Add ``transfer_gap`` slots (English minus target accuracy, per seed) where the results
    state both accuracies and no transfer-gap row of their own."""
    for slot, by_seed in list(index.values.items()):
        if slot.metric != "accuracy" or slot.language == SOURCE_LANGUAGE:
            continue
        english = index.values.get(slot.model_copy(update={"language": SOURCE_LANGUAGE}))
        gap = slot.model_copy(update={"metric": TRANSFER_GAP})
        if not english or gap in index.values:
            continue
        common = sorted(set(english) & set(by_seed))
        if common:
            index.values[gap] = {s: english[s] - by_seed[s] for s in common}


def load_runs(root: Path) -> RunsIndex:
    """Read every results file under ``root``.

    Args:
        root: a runs directory (``runs/``, ``reports/runs/``) or one results file.

    Returns:
        The index of measured slots; corrupted files are in ``skipped``, named.

    Raises:
        BadInputError: when ``root`` does not exist or holds no readable results at all.
    """
    if not root.exists():
        raise BadInputError(f"The runs directory {root} does not exist; pass --runs DIR.")
    index = RunsIndex(root=root)
    if root.is_file():
        candidates = [root]
        base = root.parent
    else:
        base = root
        candidates = sorted(
            p
            for p in root.rglob("*.json")
            if p.name not in _NOT_RESULTS
            and not p.name.endswith((".manifest.json", ".predictions.json"))
            and "state" not in p.relative_to(root).parts
        )
    seen_from: dict[tuple[Slot, int], str] = {}
    for path in candidates:
        rel = str(path.relative_to(base)) if path != base else path.name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            index.skipped.append(SkippedFile(path=rel, reason=f"not valid JSON ({exc})"))
            continue
        if not _looks_like_results(path, data):
            continue
        raw_rows = _rows_of(data)
        if raw_rows is None:
            index.skipped.append(
                SkippedFile(path=rel, reason="no 'rows' list: not a litcheck results file")
            )
            continue
        try:
            rows = [RunResult.model_validate(r) for r in raw_rows]
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            index.skipped.append(
                SkippedFile(path=rel, reason=f"invalid row ({where}: {first['msg']})")
            )
            continue
        if not rows:
            index.notes.append(f"{rel} has no result rows.")
        index.files.append(rel)
        manifest = _read_manifest(path)
        if manifest is not None:
            encoder = _manifest_encoder(manifest)
            if encoder:
                index.encoders.add(encoder)
            setup = grid_setup(manifest)
            if setup is not None:
                task, shared = setup
                setup_key = json.dumps(shared, sort_keys=True)
                index.setups.setdefault(task, {}).setdefault(setup_key, []).append(rel)
        for r in rows:
            slot = Slot(
                task=r.task,
                metric=r.metric,
                language=r.language,
                method=r.method,
                intermediate=r.intermediate,
                split=r.split,
            )
            key = (slot, r.seed)
            if key in seen_from and seen_from[key] != rel:
                index.notes.append(
                    f"seed {r.seed} of {slot.label()} appears in {seen_from[key]} and {rel}; "
                    f"the value from {rel} is used."
                )
            seen_from[key] = rel
            index.values.setdefault(slot, {})[r.seed] = r.value
    _derive_transfer_gap(index)
    index.grid_warning = mixed_grids_warning(index.setups, root)
    if index.grid_warning:
        index.notes.append(index.grid_warning)
    if not index.files:
        named = "; ".join(f"{s.path}: {s.reason}" for s in index.skipped)
        raise BadInputError(
            f"No readable results file under {root}"
            + (f" (skipped {named})" if named else "")
            + "; run `litcheck experiment run CONFIG` or point --runs at reports/runs/cpu-grid."
        )
    return index
