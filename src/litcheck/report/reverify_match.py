"""Reverify, stage 2 (matching): each figure against the slot of the runs grid it names.

:func:`check_figure` completes the dimensions a figure names into one measured slot
(:func:`resolve_slot`), finds a delta's baseline, pools runs where the figure says so, and hands
the measurement to :mod:`litcheck.report.reverify_render` for the outcome and its reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from litcheck.console import progress
from litcheck.report.models import MeasuredFigure, Measurement, Slot
from litcheck.report.reverify_read import (
    DEFAULTS,
    DIMENSIONS,
    POOLED_MEAN,
    Figure,
    Mention,
    Unit,
    find_figures,
    find_mentions,
    model_families,
)
from litcheck.report.reverify_render import (
    delta_figure,
    describe_values,
    pooled_names,
    pooled_slot,
    unmeasured_metric,
    value_figure,
)
from litcheck.report.runs import TRANSFER_GAP, RunsIndex, t_interval

_I = re.IGNORECASE


def _other_model(unit: Unit, fig: Figure, runs: RunsIndex) -> str:
    """Why the figure is about another encoder than the runs used ('' when it is not): the
    encoder named in its clause, else in its unit, else in the headings above it."""
    if not runs.encoders:
        return ""
    a, b = _clause(unit.text, fig.start)
    named = (
        model_families(unit.text[a:b]) or model_families(unit.text) or model_families(unit.context)
    )
    if not named:
        return ""
    used = set().union(*(model_families(e) or {e} for e in runs.encoders))
    if named & used:
        return ""
    return (
        f"the claim is about {', '.join(sorted(named))}; the runs used "
        f"{', '.join(sorted(runs.encoders))}"
    )


#: Words that make a transfer-gap figure a change of the gap rather than its value.
_GAP_CHANGE = re.compile(
    r"\b(?:by|improv\w*|gain\w*|increas\w*|boost\w*|higher|better|outperform\w*|drops?|"
    r"decreas\w*|lower\w*|worse|degrad\w*|hurts?|reduc\w*|narrow\w*|widen\w*|shrink\w*|"
    r"clos\w*|smaller|larger)\b",
    _I,
)
#: A difference of differences (a method's gain in one setting minus its gain in another).
_DIFF_IN_DIFF = re.compile(
    r"generali[sz]ed\s+minus\s+zero[\s-]?shot|zero[\s-]?shot\s+minus\s+generali[sz]ed|"
    r"difference[\s-]+in[\s-]+differences|Δ\s*gain\b",
    _I,
)
_POOLED = re.compile(POOLED_MEAN.pattern + r"|\bpaired\s+(?:tests?|runs|bootstrap)\b", _I)


@dataclass
class _Resolved:
    slot: Slot | None
    reason: str
    assumptions: list[str]
    #: for a pooled figure: every slot pooled (they differ only in the pooled dimensions)
    group: list[Slot] = field(default_factory=list)


#: A figure another paper reports ("Huang et al. (2021) report ...", "(66.3% in Hu et al.)").
_CITED = re.compile(
    r"\bet\s+al\.?,?\s*(?:\(?\d{4}[a-z]?\)?,?\s*)?(?:report|find|found|show|observe|obtain|achiev|"
    r"claim|measur|get|got)\w*|\bin\s+[A-Z][\w-]+(?:\s+et\s+al\.?|\s+and\s+[A-Z][\w-]+)",
)
#: Where a sentence turns from one setting to another ("72.1%, versus 70.0% for Germanic").
_CLAUSE_BREAK = re.compile(
    r"[;,]|\b(?:versus|vs\.?|compared\s+(?:to|with)|than|while|whereas|against)\b", _I
)


def _clause(text: str, pos: int) -> tuple[int, int]:
    """The span of the clause of ``text`` around ``pos``."""
    start, end = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= pos:
            start = m.end()
        elif m.start() > pos:
            end = m.start()
            break
    return start, end


def _pick(mentions: Sequence[Mention], fig: Figure, text: str = "") -> Mention:
    """The mention a figure is about when a dimension is named several times in ``text``.

    In order: the one right after the figure ("40.0% for RS-RP"); for a figure in
    parentheses, the one before it; the one in the figure's own clause; else the nearest one
    (ties to the one before it) that is not in the clause of another figure ("45.1%, versus
    43.6% for Romance": Romance is the second figure's).
    """

    def distance(m: Mention) -> tuple[int, int]:
        d = fig.start - m.end if m.end <= fig.start else m.start - fig.end
        return (max(d, 0), 0 if m.end <= fig.start else 1)

    if not text:
        return min(mentions, key=distance)
    after = _FOR_AFTER.match(text, fig.end)
    if after:
        for m in mentions:
            if m.start == after.end():
                return m
    if re.search(r"\(\s*$", text[: fig.start]):
        # "AT's robust accuracy (56.8%) exceeds plain's (52.8%)": a figure in parentheses
        # belongs to what stands before it
        before = [m for m in mentions if m.end <= fig.start]
        if before:
            return max(before, key=lambda m: m.end)
    a, b = _clause(text, fig.start)
    inside = [m for m in mentions if m.start >= a and m.end <= b]
    if inside and len({m.values for m in inside}) == 1:
        return inside[0]
    others: list[Mention] = []
    for other in find_figures(text):
        oa, ob = _clause(text, other.start)
        if other.start != fig.start and not oa <= fig.start < ob:
            others += [m for m in mentions if m.start >= oa and m.end <= ob]
    return min([m for m in mentions if m not in others] or mentions, key=distance)


_FOR_AFTER = re.compile(r"\s*(?:for|with|using|under)\s+(?:the\s+|a\s+|an\s+)?", _I)


def resolve_slot(
    named: dict[str, tuple[str, ...]],
    index: RunsIndex,
    transfer: bool,
    pooled: Sequence[str] = (),
) -> _Resolved:
    """Complete the dimensions a figure names into one measured slot, or say why not.

    Args:
        named: dimension -> possible values the claim names.
        index: the runs.
        transfer: the claim speaks of cross-lingual / zero-shot transfer (language default).
        pooled: dimensions the figure pools over (e.g. ``method`` for a mean over methods):
            they may take several values, and the result's ``group`` lists every slot pooled.

    Returns:
        The slot (None when unmatched; for a pooled figure, the first slot of the group), the
        reason, and the assumptions made.
    """
    slots = index.slots()
    assumptions: list[str] = []
    for dim, values in named.items():
        if dim == "metric" and values == ("<other>",):
            return _Resolved(None, unmeasured_metric(index), [])
        keep = [s for s in slots if getattr(s, dim) in values]
        if not keep:
            return _Resolved(
                None,
                f"no run measured {dim} {'/'.join(values)} "
                f"(measured: {describe_values({str(getattr(s, dim)) for s in slots})})",
                [],
            )
        slots = keep
    splits = {s.split for s in slots}
    if len(splits) > 1 and "eval" in splits:
        slots = [s for s in slots if s.split == "eval"]
    for dim in DIMENSIONS:
        options = {str(getattr(s, dim)) for s in slots}
        if len(options) <= 1 or dim in pooled:
            continue
        default = DEFAULTS.get(dim)
        if dim == "language":
            default = "zero_shot" if transfer and "zero_shot" in options else "all"
        if dim in named:
            return _Resolved(
                None,
                f"ambiguous {dim}: the claim could mean {describe_values(options)}; name one",
                [],
            )
        if default is not None and default in options:
            slots = [s for s in slots if getattr(s, dim) == default]
            assumptions.append(f"{dim} not named, taken as {default}")
            continue
        return _Resolved(
            None, f"{dim} not named and the runs measured several ({describe_values(options)})", []
        )
    if pooled and slots:
        return _Resolved(slots[0], "", assumptions, group=slots)
    if len(slots) != 1:
        return _Resolved(None, "no single slot matches", [])
    return _Resolved(slots[0], "", assumptions)


def _named_for(
    fig: Figure,
    mentions: Sequence[Mention],
    context: Sequence[Mention],
    runs: RunsIndex | None = None,
    figures_in_unit: int = 1,
) -> dict[str, list[Mention]]:
    by_dim: dict[str, list[Mention]] = {}
    for m in mentions:
        by_dim.setdefault(m.dim, []).append(m)
    # One figure and a specific metric named ("in the generalized setting, ... accuracy is
    # 70.0%"): the generic word "accuracy" is part of it, not a second metric.
    metrics = by_dim.get("metric", [])
    if figures_in_unit == 1 and any(m.values != ("accuracy",) for m in metrics):
        specific = [m for m in metrics if m.values != ("accuracy",)]
        if len({m.values for m in specific}) == 1:
            by_dim["metric"] = specific
    # A heading names a dimension only when it names one value of it ("PAWS-X results"),
    # not when it names several ("Romance vs Germanic").
    from_context: dict[str, list[Mention]] = {}
    for m in context:
        if m.dim not in by_dim:
            from_context.setdefault(m.dim, []).append(m)
    own = {d: {m.values for m in ms} for d, ms in by_dim.items()}
    for dim, ms in from_context.items():
        if len({m.values for m in ms}) != 1:
            continue
        # A heading's setting applies only where the runs measured it together with what the
        # claim itself names ("zero-shot transfer" in a title says nothing of an English-only
        # robust accuracy).
        if runs is not None and not any(
            str(getattr(slot, dim)) in ms[0].values
            and all(
                str(getattr(slot, d)) in {v for vs in values for v in vs}
                for d, values in own.items()
                if d in DIMENSIONS
            )
            for slot in runs.values
        ):
            continue
        by_dim[dim] = [ms[0]]
    # A heading's "zero-shot transfer" names the standard setting's language group; the
    # generalized setting has none (its figures are per first-sentence language or over all).
    if any(m.values == ("generalized_accuracy",) for m in by_dim.get("metric", [])):
        lang = by_dim.get("language")
        if (
            lang
            and lang[0] in from_context.get("language", [])
            and lang[0].values == ("zero_shot",)
        ):
            del by_dim["language"]
    return by_dim


def check_figure(
    index_no: int,
    unit: Unit,
    fig: Figure,
    mentions: Sequence[Mention],
    context: Sequence[Mention],
    runs: RunsIndex,
) -> MeasuredFigure:
    """Match one figure to the runs and decide CONFIRMED / REFUTED / UNMATCHED."""
    by_dim = _named_for(
        fig, mentions, context, runs, len(find_figures(unit.text[unit.figure_at :], unit.percent))
    )
    transfer = bool(
        re.search(r"zero[\s-]?shot|cross[\s-]?lingual|transfer", f"{unit.text} {unit.context}", _I)
    )
    if fig.kind == "delta" and _is_gap_value(by_dim, unit.text):
        fig = replace(fig, kind="value")
    if fig.kind == "delta":
        # "+1.8 points on XNLI and +0.3 points on PAWS-X": a list of deltas, each against its
        # own baseline, not a difference between tasks (or languages, or metrics)
        for dim in ("task", "language", "metric"):
            ms = by_dim.get(dim, [])
            if len({m.values for m in ms}) >= 2 and not any(m.comparator for m in ms):
                by_dim[dim] = [_pick(ms, fig, unit.text)]
    base = {
        "index": index_no,
        "claim": unit.text,
        "line": unit.line,
        "figure": fig.text,
        "kind": fig.kind,
        "reported": fig.reported,
        "tolerance": fig.tolerance,
    }

    def unmatched(reason: str) -> MeasuredFigure:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=reason)

    other_model = _other_model(unit, fig, runs)
    if other_model:
        return unmatched(other_model)
    a, b = _clause(unit.text, fig.start)
    if _CITED.search(unit.text[a:b]):
        return unmatched("the figure is another paper's result (cited), not one these runs measure")
    if _DATA_BASELINE.search(unit.text):
        return unmatched(
            "the figure is a property of the data (a majority-class or chance rate), not a "
            "trained run's result"
        )
    if fig.kind == "delta" and any(m.values == ("<other>",) for m in by_dim.get("metric", [])):
        return unmatched(unmeasured_metric(runs))
    if fig.kind == "delta" and _DIFF_IN_DIFF.search(f"{unit.text} {unit.context}"):
        return unmatched(
            "the figure is a difference of differences (a method's gain over plain in one "
            "setting minus its gain in another), which no paired slot holds"
        )
    if _POOLED.search(f"{unit.text} {unit.context}"):
        pooled = [
            d
            for d in ("method", "intermediate")
            if d not in by_dim or all(m.pooled for m in by_dim[d])
        ]
        if pooled and fig.kind == "value" and POOLED_MEAN.search(f"{unit.text} {unit.context}"):
            return _check_pooled_value(base, fig, by_dim, pooled, runs, transfer, unit.text)
        if pooled and fig.kind == "delta":
            return _check_pooled_delta(
                base, fig, by_dim, pooled, runs, transfer, f"{unit.text} {unit.context}"
            )
        if pooled:
            return unmatched(
                f"the figure pools runs over {pooled_names(pooled)} and states no mean over "
                "them: name a method and an intermediate subset, or say it is pooled"
            )
    if fig.kind == "value":
        chosen = _chosen_values(by_dim, fig, unit.text)
        if re.search(r"\bfrom\s*$", unit.text[: fig.start], _I) and re.match(
            r"\s*to\s+[+\-−]?\d", unit.text[fig.end :], _I
        ):
            # "raises accuracy from 43.3% to 45.1%": the first figure is the baseline's
            movable = [
                d
                for d in ("intermediate", "method")
                if d in chosen and DEFAULTS[d] not in chosen[d]
            ]
            if len(movable) == 1:
                chosen[movable[0]] = (DEFAULTS[movable[0]],)
        res = resolve_slot(chosen, runs, transfer)
        own = {m.dim for m in mentions}
        if res.slot is None and any(d not in own for d in chosen):
            # a heading's setting that the runs never measured with what the claim names
            # (a title's "zero-shot" beside an English-only robust accuracy) does not apply
            for loose in ("language", "metric", "intermediate", "method", "task"):
                if loose in chosen and loose not in own:
                    without = {d: v for d, v in chosen.items() if d != loose}
                    retry = resolve_slot(without, runs, transfer)
                    if retry.slot is not None:
                        res = retry
                        break
        if res.slot is None:
            return unmatched(res.reason)
        meas = runs.measure(res.slot)
        return value_figure(base, fig, res.slot, meas, f"{meas.n} seed(s)", res.assumptions)

    # A delta: find the dimension it is a difference over, and the baseline's value.
    if any(m.values == ("<other>",) for m in by_dim.get("metric", [])):
        return unmatched(unmeasured_metric(runs))
    split = _split_comparison(by_dim)
    if isinstance(split, str):
        return unmatched(split)
    subject, baseline_values = split
    dim = next(iter(baseline_values))
    res = resolve_slot(subject, runs, transfer)
    if res.slot is None:
        return unmatched(res.reason)
    base_named = {**subject, dim: baseline_values[dim]}
    for d in DIMENSIONS:
        if d not in base_named:
            base_named[d] = (str(getattr(res.slot, d)),)
    res_b = resolve_slot(base_named, runs, transfer)
    if res_b.slot is None:
        return unmatched("baseline: " + res_b.reason)
    meas = runs.measure_difference(res.slot, res_b.slot)
    how = "paired over common seeds" if meas.paired else "Welch"
    return delta_figure(base, fig, res.slot, res_b.slot, meas, how, res.assumptions)


def _is_gap_value(by_dim: dict[str, list[Mention]], text: str) -> bool:
    """A transfer gap in points ("the gap is 4.2 points") is a value of that metric, not a
    difference between two settings, unless the claim compares settings or states a change
    ("narrows the gap by 2 points")."""
    if not any(m.values == (TRANSFER_GAP,) for m in by_dim.get("metric", [])):
        return False
    compares = any(len({m.values for m in ms}) >= 2 for ms in by_dim.values())
    compares = compares or any(m.comparator for ms in by_dim.values() for m in ms)
    return not compares and not _GAP_CHANGE.search(text)


def _split_comparison(
    by_dim: dict[str, list[Mention]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | str:
    """Split a delta's named dimensions into the subject and the baseline it is compared with.

    The compared dimension is the one named with two readings ("romance vs germanic"); its
    baseline is the reading after a comparator ("over", "than", "vs"), else the last one. When
    only one setting is named, the baseline is that dimension's default (plain, no stage).

    Returns:
        (subject values, baseline values of the one compared dimension), or why not.
    """
    subject: dict[str, tuple[str, ...]] = {}
    baseline_values: dict[str, tuple[str, ...]] = {}
    for dim, ms in by_dim.items():
        readings: list[tuple[str, ...]] = []
        for m in ms:
            if m.values not in readings:
                readings.append(m.values)
        if len(readings) >= 2 and not baseline_values:
            comps = [m for m in ms if m.comparator]
            base_m = comps[0] if comps else ms[-1]
            subj_m = next(m for m in ms if m.values != base_m.values)
            subject[dim] = subj_m.values
            baseline_values[dim] = base_m.values
        elif len(readings) >= 2:
            return f"the claim compares several dimensions at once ({dim} too)"
        else:
            subject[dim] = ms[0].values
    if not baseline_values:
        movable = [
            d for d in ("method", "intermediate") if d in subject and DEFAULTS[d] not in subject[d]
        ]
        if len(movable) != 1:
            return "a delta needs a baseline: name what it is compared with " + (
                "(several settings are named)" if movable else "(no method or subset named)"
            )
        baseline_values[movable[0]] = (DEFAULTS[movable[0]],)
    return subject, baseline_values


def _check_pooled_delta(
    base: dict[str, Any],
    fig: Figure,
    by_dim: dict[str, list[Mention]],
    pooled: list[str],
    runs: RunsIndex,
    transfer: bool,
    text: str,
) -> MeasuredFigure:
    """A difference pooled over methods and/or subsets: the mean over paired runs.

    Each run of the subject is paired with the run of the baseline that differs from it only
    in the compared setting (same pooled cell, same seed), as a paired test over runs does; the
    interval is Student-t over those paired differences.
    """

    def unmatched(reason: str) -> MeasuredFigure:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=reason)

    split = _split_comparison(by_dim)
    if isinstance(split, str):
        return unmatched(split)
    subject, baseline_values = split
    dim = next(iter(baseline_values))
    if dim not in ("method", "intermediate") and not POOLED_MEAN.search(text):
        # "paired tests" compare methods or subsets; a difference along another dimension with
        # nothing saying it is averaged is a misread label ("comparison: romance − germanic"
        # could be language groups or intermediate subsets).
        return unmatched(
            f"the claim seems to compare {dim} values ({'/'.join(subject[dim])} vs "
            f"{baseline_values[dim][0]}) over paired runs; say which setting is compared "
            "(e.g. 'intermediate: romance − germanic' or 'method: RS-DA − plain')"
        )
    res = resolve_slot(subject, runs, transfer, pooled=pooled)
    if res.slot is None:
        return unmatched(res.reason)
    diffs: list[float] = []
    seeds: set[int] = set()
    for slot in res.group:
        other = slot.model_copy(update={dim: baseline_values[dim][0]})
        a, b = runs.values[slot], runs.values.get(other, {})
        for seed in sorted(set(a) & set(b)):
            diffs.append(a[seed] - b[seed])
            seeds.add(seed)
    shown = pooled_slot(res.slot, pooled, subject)
    shown_base = shown.model_copy(update={dim: baseline_values[dim][0]})
    if len(diffs) < 2:
        return unmatched(
            f"fewer than two pairs of runs differ only in {dim} "
            f"({'/'.join(subject[dim])} vs {baseline_values[dim][0]}) within the pooled cells"
        )
    mean, low, high = t_interval(diffs)
    meas = Measurement(
        mean=mean, low=low, high=high, n=len(diffs), seeds=sorted(seeds), paired=True
    )
    how = "paired runs pooled over " + " and ".join(
        f"{pooled_names([d])} {', '.join(subject[d])}" if d in subject else pooled_names([d])
        for d in pooled
    )
    return delta_figure(base, fig, shown, shown_base, meas, how, res.assumptions)


def _chosen_values(
    by_dim: dict[str, list[Mention]], fig: Figure, text: str = ""
) -> dict[str, tuple[str, ...]]:
    """The reading of each named dimension: the only one, else the one of the figure's clause
    of ``text``, else the mention nearest the figure."""
    return {
        dim: (ms[0] if len({m.values for m in ms}) == 1 else _pick(ms, fig, text)).values
        for dim, ms in by_dim.items()
    }


def _check_pooled_value(
    base: dict[str, Any],
    fig: Figure,
    by_dim: dict[str, list[Mention]],
    pooled: list[str],
    runs: RunsIndex,
    transfer: bool,
    text: str = "",
) -> MeasuredFigure:
    """A mean pooled over methods and/or subsets: every run of the pooled cells, one interval."""
    chosen = _chosen_values(by_dim, fig, text)
    res = resolve_slot(chosen, runs, transfer, pooled=pooled)
    if res.slot is None:
        return MeasuredFigure(**base, outcome="UNMATCHED", reason=res.reason)
    values = [v for slot in res.group for v in runs.values[slot].values()]
    seeds = sorted({seed for slot in res.group for seed in runs.values[slot]})
    mean, low, high = t_interval(values)
    meas = Measurement(mean=mean, low=low, high=high, n=len(values), seeds=seeds)
    shown = pooled_slot(res.slot, pooled, chosen)
    of = f"{len(values)} run(s) pooled over {pooled_names(pooled)}, {len(res.group)} cells"
    return value_figure(base, fig, shown, meas, of, res.assumptions)


#: Sentences stating a baseline of the data itself, which no run measures.
_DATA_BASELINE = re.compile(
    r"majority[\s-]class|most frequent label|chance (?:level|rate|accuracy)|random[\s-]guess",
    re.IGNORECASE,
)


def reverify_units(units: Sequence[Unit], runs: RunsIndex) -> list[MeasuredFigure]:
    """Check every in-scope figure of ``units`` against ``runs``.

    A figure is in scope when its unit names at least one thing the experiments measure (a
    task, metric, method, intermediate subset or language group), or gives a percentage or a
    language under a heading that names the task; other numbers (a quality score, a count, a
    kappa beside a language) are ignored.

    Args:
        units: the report's units.
        runs: the measured slots.

    Returns:
        One row per figure, in reading order.
    """
    out: list[MeasuredFigure] = []
    with progress(transient=True) as bar:
        task = bar.add_task("Checking figures", total=len(units))
        for unit in units:
            figures = [
                f
                for f in find_figures(unit.text, unit.percent, unit.delta)
                if f.start >= unit.figure_at
            ]
            if figures:
                mentions = find_mentions(unit.text)
                in_scope = [
                    m for m in mentions if m.dim in ("task", "metric", "method", "intermediate")
                ]
                other_metric = any(m.dim == "metric" and m.values == ("<other>",) for m in mentions)
                ours = [m for m in in_scope if m.dim != "metric" or m.values != ("<other>",)]
                context = find_mentions(unit.context) if unit.context else []
                named_language = any(m.dim == "language" for m in mentions)
                # under a heading that names the task ("## XNLI, RS-DA"), a bullet giving a
                # percentage or a language ("ur: 42.3", "Avg.: 43.6%") is about the runs too
                under_task = any(m.dim == "task" for m in context) and (
                    named_language or any(f.text.endswith("%") for f in figures)
                )
                # a language named beside another metric (κ for Spanish) is not our figure
                if ours or (not other_metric and (named_language or under_task)):
                    for fig in figures:
                        out.append(check_figure(len(out), unit, fig, mentions, context, runs))
            bar.advance(task)
    return out
