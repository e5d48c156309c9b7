"""Compare conditions over finished runs: means with 95% t-intervals, paired bootstrap tests.

A *condition* is one value of an axis (``intermediate`` or ``method``). Runs are paired when
they agree on every other axis (task, the other of method/intermediate, seed), so a test of
``romance`` against ``germanic`` compares runs that differ only in the intermediate subset.

The paired bootstrap resamples *evaluation items* (the pools are the same in every run, so item
``i`` is the same pair in every run and language) and, from three pairs of runs on, the pairs of
runs too (a two-level bootstrap, so that seed-to-seed variation widens the interval): for each
resample, the statistic is the mean over paired runs of (metric of the condition - metric of the
baseline), the metric being the mean correctness over the group's languages. The p-value is
two-sided (``2 * min(P(d <= 0), P(d >= 0))`` over resamples). Without stored predictions the
runs' metric values themselves are resampled (pairs of runs instead of items).

Example:
    >>> table = compare_conditions([Path("runs/cpu-grid")], task="xnli")  # doctest: +SKIP
    >>> print(table.render_markdown())  # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from litcheck.console import warn
from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.data import SOURCE_LANGUAGE, language_group
from litcheck.models import RunResult

AXES = ("task", "method", "intermediate", "seed")
#: a derived measure: English accuracy minus the accuracy of a language or group
TRANSFER_GAP = "transfer_gap"
#: from this many pairs of runs on, the paired bootstrap resamples runs as well as items
MIN_PAIRS_FOR_RUNS = 3


@dataclass
class RunRecord:
    """One finished run: its rows and, when stored, per-item correctness."""

    run_id: str
    task: str
    method: str
    intermediate: str
    seed: int
    rows: list[RunResult]
    predictions: dict[str, Any] | None

    def axis(self, name: str) -> str:
        """Value of an axis as a string."""
        return str(getattr(self, name))

    def value(self, metric: str, language: str) -> float | None:
        """The stored figure for (metric, language), if any.

        ``transfer_gap`` is derived: English accuracy minus the accuracy of ``language`` (a
        code or group), the share of English performance lost in transfer (smaller is more
        robust).
        """
        if metric == TRANSFER_GAP:
            en, target = self.value("accuracy", SOURCE_LANGUAGE), self.value("accuracy", language)
            return None if en is None or target is None else en - target
        for r in self.rows:
            if r.metric == metric and r.language == language:
                return r.value
        return None

    def item_scores(self, metric: str, language: str) -> npt.NDArray[np.float64] | None:
        """Per-item correctness averaged over the languages of ``language`` (a code or group)."""
        if self.predictions is None:
            return None
        if metric == TRANSFER_GAP:
            en = self.item_scores("accuracy", SOURCE_LANGUAGE)
            target = self.item_scores("accuracy", language)
            if en is None or target is None or len(en) != len(target):
                return None
            gap: npt.NDArray[np.float64] = en - target
            return gap
        if metric == "robust_accuracy":
            bits = self.predictions.get("attack", {}).get(language)
            return None if bits is None else np.array([c == "1" for c in bits], dtype=float)
        if metric == "generalized_accuracy":
            correct: dict[str, str] = self.predictions.get("generalized", {})
        elif metric == "accuracy":
            correct = self.predictions.get("correct", {})
        else:
            return None
        langs = languages_of(language, list(correct))
        if not langs:
            return None
        mat = np.array([[c == "1" for c in correct[lang]] for lang in langs], dtype=float)
        result: npt.NDArray[np.float64] = mat.mean(axis=0)
        return result


def languages_of(group: str, available: list[str]) -> list[str]:
    """Languages a group name stands for, among ``available``."""
    if group == "all":
        return available
    if group == "zero_shot":
        return [lang for lang in available if lang != SOURCE_LANGUAGE]
    if group in ("romance", "germanic", "other"):
        return [lang for lang in available if language_group(lang) == group]
    return [group] if group in available else []


def load_runs(roots: list[Path]) -> list[RunRecord]:
    """Every finished run under ``roots`` (run directories or published JSON files).

    Raises:
        ExperimentError: when a root does not exist.
    """
    records: list[RunRecord] = []
    seen: set[str] = set()
    cells: dict[tuple[str, str, str, int], str] = {}
    for root in roots:
        for path in runs.find_runs(root):
            if path.is_dir() and not runs.is_finished(path):
                continue
            try:
                rows = runs.read_results(path)
            except ExperimentError as exc:
                warn(f"skipped: {exc}")  # one damaged file does not hide the other runs
                continue
            if not rows or rows[0].run_id in seen:
                continue
            seen.add(rows[0].run_id)
            r0 = rows[0]
            cell = (r0.task, r0.method, r0.intermediate, r0.seed)
            if cell in cells:
                # two runs of one condition and seed would count as two seeds
                warn(
                    f"{r0.run_id} ({path}) repeats {cells[cell]}: same task, method, "
                    f"intermediate subset and seed {r0.seed}; only {cells[cell]} is used."
                )
                continue
            cells[cell] = r0.run_id
            records.append(
                RunRecord(
                    r0.run_id,
                    r0.task,
                    r0.method,
                    r0.intermediate,
                    r0.seed,
                    rows,
                    runs.read_predictions(path),
                )
            )
    return records


@dataclass(frozen=True)
class ConditionSummary:
    """Mean over runs of one condition with a 95% t-interval."""

    condition: str
    n: int
    mean: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class PairedTest:
    """Paired bootstrap of condition minus baseline."""

    condition: str
    baseline: str
    pairs: int
    delta: float
    ci_low: float
    ci_high: float
    p_value: float
    unit: str  # what was resampled: "items", "items and runs", or "runs" (no predictions)


def mean_ci(values: list[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-distribution confidence interval (nan interval for fewer than 2 values)."""
    arr = np.asarray(values, dtype=float)
    mean = float(arr.mean())
    if len(arr) < 2:
        return mean, math.nan, math.nan
    sem = float(arr.std(ddof=1) / math.sqrt(len(arr)))
    half = float(stats.t.ppf(0.5 + level / 2, len(arr) - 1)) * sem
    return mean, mean - half, mean + half


def paired_bootstrap(
    a: list[npt.NDArray[np.float64]],
    b: list[npt.NDArray[np.float64]],
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float, float, float]:
    """Paired bootstrap of ``mean_k(mean(a_k) - mean(b_k))`` over items and, from 3 pairs, runs.

    With fewer than :data:`MIN_PAIRS_FOR_RUNS` pairs of runs only the evaluation items are
    resampled (the interval then covers item sampling, not seed-to-seed variation). From that
    many pairs on, every resample also draws the pairs of runs with replacement (a two-level
    bootstrap), so that the interval widens when the difference changes from seed to seed.

    Args:
        a: per-item scores of each run of the condition (all the same length).
        b: per-item scores of the paired baseline runs.
        resamples: bootstrap resamples.
        seed: resampling seed.

    Returns:
        (delta, ci_low, ci_high, two-sided p-value).
    """
    diff = np.stack(a) - np.stack(b)  # (pairs, items)
    pairs, n = diff.shape
    delta = float(diff.mean())
    rng = np.random.default_rng(seed)
    items = rng.integers(0, n, size=(resamples, n))
    if pairs >= MIN_PAIRS_FOR_RUNS:
        runs_drawn = rng.integers(0, pairs, size=(resamples, pairs))
        # mean over drawn pairs of the mean over drawn items, resample by resample
        boots = np.array(
            [diff[runs_drawn[k]][:, items[k]].mean() for k in range(resamples)], dtype=float
        )
    else:
        boots = diff.mean(axis=0)[items].mean(axis=1)
    low, high = np.percentile(boots, [2.5, 97.5])
    p = 2 * min(float((boots <= 0).mean()), float((boots >= 0).mean()))
    return delta, float(low), float(high), min(1.0, p)


@dataclass
class ComparisonTable:
    """The result of :func:`compare_conditions`."""

    task: str | None
    metric: str
    language: str
    by: str
    baseline: str | None
    summaries: list[ConditionSummary] = field(default_factory=list)
    tests: list[PairedTest] = field(default_factory=list)

    def render_markdown(self) -> str:
        """Two Markdown tables: condition means with CIs, then paired tests."""
        head = f"{self.metric} / {self.language} by {self.by}" + (
            f" ({self.task})" if self.task else ""
        )
        lines = [f"**{head}**", "", f"| {self.by} | runs | mean | 95% CI |", "|---|---|---|---|"]
        for s in self.summaries:
            lines.append(f"| {s.condition} | {s.n} | {_pct(s.mean)} | {_ci(s.ci_low, s.ci_high)} |")
        if self.tests:
            lines += [
                "",
                "| condition − baseline | pairs | Δ (points) | 95% CI | p (paired bootstrap) |",
                "|---|---|---|---|---|",
            ]
            for t in self.tests:
                lines.append(
                    f"| {t.condition} − {t.baseline} | {t.pairs} | {100 * t.delta:+.1f} | "
                    f"{_ci(t.ci_low, t.ci_high, signed=True)} | {t.p_value:.3f} ({t.unit}) |"
                )
        return "\n".join(lines)


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}"


def _ci(low: float, high: float, signed: bool = False) -> str:
    if math.isnan(low) or math.isnan(high):
        return "n/a (1 run)"
    fmt = "{:+.1f}" if signed else "{:.1f}"
    return f"[{fmt.format(100 * low)}, {fmt.format(100 * high)}]"


def compare_records(
    records: list[RunRecord],
    metric: str = "accuracy",
    language: str = "zero_shot",
    by: str = "intermediate",
    baseline: str | None = None,
    task: str | None = None,
    where: dict[str, str] | None = None,
    resamples: int = 2000,
    versus: list[tuple[str, str]] | None = None,
) -> ComparisonTable:
    """Summarise and test conditions over already loaded runs.

    Args:
        records: finished runs.
        metric: ``accuracy``, ``robust_accuracy``, ``generalized_accuracy``,
            ``transfer_gap`` (English minus ``language``; derived) or ``dev_accuracy`` (no
            bootstrap).
        language: a language code or group (``romance``, ``germanic``, ``other``,
            ``zero_shot``, ``all``).
        by: the axis whose values are the conditions (``intermediate`` or ``method``).
        baseline: test every other condition against this one.
        task: keep only this task.
        where: keep only runs whose axes have these values, e.g. ``{"method": "plain"}``.
        resamples: bootstrap resamples.
        versus: explicit (condition, baseline) pairs to test (in addition to ``baseline``).

    Returns:
        A :class:`ComparisonTable`.
    """
    if by not in ("intermediate", "method"):
        raise ExperimentError(f"Unknown axis {by!r} for --by: choose intermediate or method.")
    kept = [
        r
        for r in records
        if (task is None or r.task == task)
        and all(r.axis(k) == v for k, v in (where or {}).items())
        and r.value(metric, language) is not None
    ]
    table = ComparisonTable(task, metric, language, by, baseline)
    conditions = sorted({r.axis(by) for r in kept}, key=_condition_order)
    for cond in conditions:
        values = [
            v for r in kept if r.axis(by) == cond if (v := r.value(metric, language)) is not None
        ]
        mean, low, high = mean_ci(values)
        table.summaries.append(ConditionSummary(cond, len(values), mean, low, high))
    pairs_wanted = list(versus or [])
    if baseline is not None:
        pairs_wanted += [(c, baseline) for c in conditions if c != baseline]
    for cond, base in pairs_wanted:
        matched = paired_runs(kept, by, cond, base)
        if not matched:
            continue
        scores = [
            (x.item_scores(metric, language), y.item_scores(metric, language)) for x, y in matched
        ]
        usable = [(x, y) for x, y in scores if x is not None and y is not None]
        if len(usable) == len(matched) and len({len(x) for x, _ in usable}) == 1:
            d, lo, hi, p = paired_bootstrap(
                [x for x, _ in usable], [y for _, y in usable], resamples
            )
            unit = _resampled(len(usable))
        else:
            diffs = np.array(
                [
                    (x.value(metric, language) or 0.0) - (y.value(metric, language) or 0.0)
                    for x, y in matched
                ]
            )
            d, lo, hi, p = paired_bootstrap([diffs], [np.zeros_like(diffs)], resamples)
            unit = "runs"
        table.tests.append(PairedTest(cond, base, len(matched), d, lo, hi, p, unit))
    return table


def paired_runs(
    records: list[RunRecord], by: str, condition: str, baseline: str
) -> list[tuple[RunRecord, RunRecord]]:
    """Each run of ``condition`` with the ``baseline`` run that agrees on every other axis.

    Args:
        records: finished runs.
        by: the axis the two conditions lie on (``intermediate`` or ``method``).
        condition: its value for the first run of each pair.
        baseline: its value for the second.

    Returns:
        (condition run, baseline run) pairs; runs without a partner are left out.
    """
    others = [a for a in AXES if a != by]

    def key(r: RunRecord) -> tuple[str, ...]:
        return tuple(r.axis(a) for a in others)

    index = {key(r): r for r in records if r.axis(by) == baseline}
    return [(r, index[key(r)]) for r in records if r.axis(by) == condition and key(r) in index]


def _resampled(pairs: int) -> str:
    """What the paired bootstrap resampled for this many pairs of runs."""
    return "items and runs" if pairs >= MIN_PAIRS_FOR_RUNS else "items"


def _condition_order(name: str) -> tuple[int, str]:
    order = [
        "none",
        "english",
        "romance",
        "germanic",
        "germanic_en",
        "plain",
        "rs_da",
        "rs_rp",
        "at",
    ]
    return (order.index(name) if name in order else len(order), name)


def compare_conditions(
    roots: list[Path],
    task: str | None = None,
    metric: str = "accuracy",
    language: str = "zero_shot",
    by: str = "intermediate",
    baseline: str | None = None,
    resamples: int = 2000,
    methods: list[str] | None = None,
) -> ComparisonTable:
    """Load finished runs under ``roots`` and compare conditions (see :func:`compare_records`).

    Args:
        roots: run directories' parents (``runs/cpu-grid``) or published ``reports/runs``.
        task: keep only this task.
        metric: ``accuracy`` or ``robust_accuracy``.
        language: language code or group.
        by: ``intermediate`` or ``method``.
        baseline: condition to test the others against (default ``none`` / ``plain``).
        resamples: bootstrap resamples.
        methods: keep only runs of these methods (e.g. the ones that learned the task).

    Returns:
        The comparison table.

    Raises:
        ExperimentError: when no finished run matches.
    """
    records = load_runs(roots)
    if methods:
        records = [r for r in records if r.method in methods]
    if not records:
        raise ExperimentError(f"No finished runs under {', '.join(map(str, roots))}.")
    tasks = sorted({r.task for r in records})
    if task is not None and task not in tasks:
        raise ExperimentError(
            f"No finished run of task {task!r} under {', '.join(map(str, roots))} "
            f"(tasks there: {', '.join(tasks)})."
        )
    if task is None and len(tasks) > 1:
        # accuracies of different tasks are not one quantity: never pool them silently
        raise ExperimentError(f"The runs hold several tasks ({', '.join(tasks)}): pass --task.")
    if by not in ("intermediate", "method"):
        raise ExperimentError(f"Unknown --by {by!r}: choose intermediate or method.")
    if baseline is None:
        baseline = "none" if by == "intermediate" else "plain"
    conditions = {r.axis(by) for r in records if task is None or r.task == task}
    if baseline not in conditions:
        raise ExperimentError(
            f"No finished run has {by} {baseline!r} to test against "
            f"(there: {', '.join(sorted(conditions))}); pass --baseline."
        )
    table = compare_records(records, metric, language, by, baseline, task, None, resamples)
    if not table.summaries:
        raise ExperimentError(f"No finished run has {metric} for {language!r}.")
    return table


def gain_difference(
    records: list[RunRecord],
    condition: str,
    baseline: str,
    task: str,
    resamples: int = 2000,
) -> PairedTest | None:
    """Is a method's gain over ``baseline`` larger in the generalized setting than in zero-shot?

    For runs paired on (task, intermediate, seed), the per-item statistic is
    ``(generalized_c - generalized_b) - (zero_shot_c - zero_shot_b)``, bootstrapped over the
    evaluation items like :func:`paired_bootstrap` (a difference in differences).

    Args:
        records: finished runs.
        condition: the method (e.g. ``rs_da``).
        baseline: the method it is set against (``plain``).
        task: the task.
        resamples: bootstrap resamples.

    Returns:
        The test, or None when no paired runs carry both settings' items.
    """

    def scores(r: RunRecord) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
        gen = r.item_scores("generalized_accuracy", "all")
        zs = r.item_scores("accuracy", "zero_shot")
        if gen is None or zs is None or len(gen) != len(zs):
            return None
        return gen, zs

    gains_gen: list[npt.NDArray[np.float64]] = []
    gains_zs: list[npt.NDArray[np.float64]] = []
    for run, base in paired_runs(
        [r for r in records if r.task == task], "method", condition, baseline
    ):
        a, b = scores(run), scores(base)
        if a is None or b is None or len(a[0]) != len(b[0]):
            continue
        gains_gen.append(a[0] - b[0])
        gains_zs.append(a[1] - b[1])
    if not gains_gen or len({len(g) for g in gains_gen}) != 1:
        return None
    d, lo, hi, p = paired_bootstrap(gains_gen, gains_zs, resamples)
    return PairedTest(condition, baseline, len(gains_gen), d, lo, hi, p, _resampled(len(gains_gen)))
