"""Reverify, stage 3 (rendering): a matched figure's outcome and reason, and the report.

CONFIRMED / REFUTED with the measured interval, the tolerance and the assumptions made, in the
words every reverify output shows; :func:`reverify_report` assembles the final report.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litcheck.report.models import MeasuredFigure, Measurement, ReverifyReport, Slot
from litcheck.report.reverify_read import Figure, ReportUnits
from litcheck.report.runs import RunsIndex


def describe_values(values: set[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def unmeasured_metric(index: RunsIndex) -> str:
    return (
        "the metric named is not one the runs measure "
        f"({describe_values(index.dimension_values('metric'))})"
    )


def within(reported: float, low: float, high: float, tolerance: float) -> bool:
    """True when ``reported`` lies in [low, high] widened by ``tolerance``.

    A value exactly half a unit away is a correct rounding (0.5725 written as 57.2), but its
    difference in binary floating point can come out a hair above the tolerance, so the
    comparison allows a relative slack far below any written digit.
    """
    slack = tolerance + 1e-9 * max(1.0, abs(reported), abs(low), abs(high))
    return low - slack <= reported <= high + slack


def delta_figure(
    base: dict[str, Any],
    fig: Figure,
    slot: Slot,
    baseline: Slot,
    meas: Measurement,
    how: str,
    assumptions: list[str],
) -> MeasuredFigure:
    """CONFIRMED when the reported delta has the measured sign and lies inside its interval."""
    size_ok = within(fig.reported, meas.low, meas.high, fig.tolerance)
    sign_ok = (fig.reported > 0) == (meas.mean > 0) or (fig.reported == 0 and size_ok)
    if not sign_ok:
        verdict = "sign disagrees" + (
            " (the interval holds the reported value but spans zero: the runs now point the "
            "other way without settling the direction)"
            if meas.low < 0 < meas.high and size_ok
            else ""
        )
    elif not size_ok:
        verdict = "size outside"
    else:
        verdict = "sign agrees, size inside"
    reason = (
        f"{verdict}: reported {fig.reported:+.4g} vs measured difference {meas.mean:+.4f}, "
        f"95% CI [{meas.low:+.4f}, {meas.high:+.4f}] ({how}, n={meas.n}, "
        f"tolerance ±{fig.tolerance:.4g})"
    )
    if size_ok and sign_ok and meas.n == 2:
        reason += "; with 2 pairs the interval is wide, so this check is weak"
    if assumptions:
        reason += "; " + "; ".join(assumptions)
    return MeasuredFigure(
        **base,
        slot=slot,
        baseline=baseline,
        measured=meas,
        outcome="CONFIRMED" if size_ok and sign_ok else "REFUTED",
        reason=reason,
    )


def pooled_slot(slot: Slot, pooled: Sequence[str], named: dict[str, tuple[str, ...]]) -> Slot:
    """``slot`` with each pooled dimension shown as ``*`` (all) or its pooled values."""
    return slot.model_copy(update={d: "+".join(named[d]) if d in named else "*" for d in pooled})


def pooled_names(pooled: Sequence[str]) -> str:
    names = {"method": "methods", "intermediate": "intermediate subsets"}
    return " and ".join(names[d] for d in pooled)


def value_figure(
    base: dict[str, Any],
    fig: Figure,
    slot: Slot,
    meas: Measurement,
    of: str,
    assumptions: list[str],
) -> MeasuredFigure:
    """CONFIRMED when the reported value lies inside the measured interval (with tolerance)."""
    inside = within(fig.reported, meas.low, meas.high, fig.tolerance)
    reason = (
        f"reported {fig.reported:.4g} {'inside' if inside else 'outside'} the 95% CI "
        f"[{meas.low:.4f}, {meas.high:.4f}] of {of} (mean {meas.mean:.4f}, "
        f"tolerance ±{fig.tolerance:.4g})"
    )
    if inside and meas.n == 2:
        reason += "; with 2 seeds the interval is wide, so this check is weak"
    if assumptions:
        reason += "; " + "; ".join(assumptions)
    return MeasuredFigure(
        **base,
        slot=slot,
        measured=meas,
        outcome="CONFIRMED" if inside else "REFUTED",
        reason=reason,
    )


def reverify_report(
    report_path: Path,
    runs_dir: Path,
    read: ReportUnits,
    runs: RunsIndex,
    figures: Sequence[MeasuredFigure],
    now: datetime | None = None,
) -> ReverifyReport:
    """The reverify report of checked figures: counts, the runs read, and notes.

    Args:
        report_path: the report checked.
        runs_dir: the runs directory.
        read: the report's units (:func:`~litcheck.report.reverify_read.read_report`).
        runs: the runs (:func:`~litcheck.report.runs.load_runs`).
        figures: one row per checked figure
            (:func:`~litcheck.report.reverify_match.reverify_units`).
        now: the timestamp to record (default: now, in UTC, to the second).

    Returns:
        The :class:`~litcheck.report.models.ReverifyReport`.
    """
    counts = {
        k: sum(1 for f in figures if f.outcome == k) for k in ("CONFIRMED", "REFUTED", "UNMATCHED")
    }
    notes = list(runs.notes)
    if not figures:
        notes.append(
            "The report states no figure about a task, metric, method, subset or language "
            "that the runs measure: nothing to check."
        )
    return ReverifyReport(
        report=str(report_path),
        report_kind=read.kind,
        runs=str(runs_dir),
        generated_at=now or datetime.now(UTC).replace(microsecond=0),
        results_files=runs.files,
        skipped_files=runs.skipped,
        slots_measured=len(runs.values),
        claims_read=len(read.units),
        figures=list(figures),
        counts=counts,
        notes=notes,
        grid_warning=runs.grid_warning,
    )
