"""``litcheck reverify``: every figure of a report beside the runs that measured it.

A report is read into *units* (a claim row, a sentence, or one numeric cell of a results table
with its row and column labels). Each figure of a unit that names something the experiments
measure (a task, a metric, a method, an intermediate subset, a language or language group) is
matched to a slot of the runs grid and compared with the mean over seeds and its 95% t-interval:

- a value: CONFIRMED when it lies inside the interval, widened by half a unit of the figure's
  last written digit (74.4 -> ±0.05 points); REFUTED otherwise;
- a delta ("+2.1 points", "improves by 1.6"): CONFIRMED when its sign agrees with the measured
  difference's mean and its size lies inside that difference's interval (widened likewise);
- UNMATCHED, with the reason, when the claim names a slot no run measured, or is ambiguous.

Percentages and fractions are the same thing: 74.4%, 74.4 and 0.744 are all read as 0.744.

The work is done in three stages, one module each: :mod:`~litcheck.report.reverify_read`
(the report read into units; the figures and settings each names),
:mod:`~litcheck.report.reverify_match` (each figure against the runs' slots) and
:mod:`~litcheck.report.reverify_render` (outcomes, reasons, the report). This module keeps the
public names.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from litcheck.report.models import ReverifyReport
from litcheck.report.reverify_match import check_figure, resolve_slot, reverify_units
from litcheck.report.reverify_read import (
    DEFAULTS,
    DIMENSIONS,
    Figure,
    Mention,
    ReportUnits,
    Unit,
    find_figures,
    find_mentions,
    model_families,
    prose_units,
    read_report,
)
from litcheck.report.reverify_render import reverify_report
from litcheck.report.runs import load_runs

__all__ = [
    "DEFAULTS",
    "DIMENSIONS",
    "Figure",
    "Mention",
    "ReportUnits",
    "Unit",
    "check_figure",
    "find_figures",
    "find_mentions",
    "model_families",
    "prose_units",
    "read_report",
    "resolve_slot",
    "reverify",
    "reverify_units",
]


def reverify(
    report_path: Path,
    runs_dir: Path,
    now: datetime | None = None,
) -> ReverifyReport:
    """Check a report's figures against a runs directory.

    Args:
        report_path: our report (JSON or Markdown) or a foreign one (claims table or prose).
        runs_dir: a runs directory of one grid (``runs/cpu-grid``, ``reports/runs/cpu-grid``);
            runs of different grids are pooled, and ``grid_warning`` says so.
        now: the timestamp to record (inject a fixed one for reproducible output).

    Returns:
        The reverify report: one row per figure, skipped results files named.

    Raises:
        BadInputError: when the report or the runs directory cannot be read.

    Example:
        >>> rep = reverify(
        ...     Path("reports/robust-xlt-romance-vs-germanic.md"), Path("reports/runs/cpu-grid")
        ... )
        >>> rep.counts
        {'CONFIRMED': 712, 'REFUTED': 0, 'UNMATCHED': 16}
    """
    read = read_report(report_path)
    runs = load_runs(runs_dir)
    figures = reverify_units(read.units, runs)
    return reverify_report(report_path, runs_dir, read, runs, figures, now)
