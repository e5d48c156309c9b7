"""Plots as inline SVG strings (no plotting library, no external assets, deterministic)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from litcheck.report.models import MeasuredFigure

COLORS = {
    "SUPPORTED": "#2e7d32",
    "CONTRADICTED": "#c62828",
    "NOT_ENOUGH_INFO": "#9e9e9e",
    "CONFIRMED": "#2e7d32",
    "REFUTED": "#c62828",
    "UNMATCHED": "#9e9e9e",
}


def _f(x: float) -> str:
    return f"{x:.1f}"


def bar_chart(bars: Sequence[tuple[str, int]], title: str, width: int = 360) -> str:
    """Horizontal bars, one per (label, count), coloured by label.

    Args:
        bars: labels and counts, in display order.
        title: accessible title of the figure.
        width: SVG width in pixels.

    Returns:
        An ``<svg>`` element.
    """
    row, left, top = 26, 140, 24
    height = top + row * len(bars) + 10
    peak = max((c for _, c in bars), default=0) or 1
    span = width - left - 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
        f'<text x="0" y="14" class="plot-title">{escape(title)}</text>',
    ]
    for i, (label, count) in enumerate(bars):
        y = top + i * row
        w = span * count / peak
        color = COLORS.get(label, "#1565c0")
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{_f(w)}" height="16" fill="{color}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{_f(left + w + 4)}" y="{y + 15}">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[float], title: str, bins: int = 10, width: int = 360) -> str:
    """A histogram of values in [0, 1] (e.g. confidences).

    Args:
        values: the values.
        title: accessible title.
        bins: number of equal-width bins over [0, 1].
        width: SVG width in pixels.

    Returns:
        An ``<svg>`` element.
    """
    counts = [0] * bins
    for v in values:
        counts[min(int(v * bins), bins - 1)] += 1
    height, left, bottom, top = 170, 30, 30, 24
    plot_h = height - bottom - top
    bar_w = (width - left - 10) / bins
    peak = max(counts) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
        f'<text x="0" y="14" class="plot-title">{escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#555"/>',
    ]
    for i, c in enumerate(counts):
        h = plot_h * c / peak
        x = left + i * bar_w
        parts.append(
            f'<rect x="{_f(x + 1)}" y="{_f(height - bottom - h)}" width="{_f(bar_w - 2)}" '
            f'height="{_f(h)}" fill="#1565c0"><title>{i / bins:.1f}–{(i + 1) / bins:.1f}: '
            f"{c}</title></rect>"
        )
    for i in range(0, bins + 1, max(1, bins // 5)):
        x = left + i * bar_w
        parts.append(
            f'<text x="{_f(x)}" y="{height - bottom + 14}" text-anchor="middle">'
            f"{i / bins:.1f}</text>"
        )
    parts.append(f'<text x="{left}" y="{top + 10}">n={len(values)}, peak bin {peak}</text></svg>')
    return "".join(parts)


def reported_vs_measured(figures: Sequence[MeasuredFigure], width: int = 360) -> str:
    """Scatter of reported (x) against measured mean (y) with 95% CI bars, percent scale.

    Only value figures with a measurement are drawn; the diagonal is "reported = measured".

    Args:
        figures: reverify rows.
        width: SVG width (and height) in pixels.

    Returns:
        An ``<svg>`` element (an empty-state one when nothing is measured).
    """
    pts = [f for f in figures if f.measured is not None and f.kind == "value"]
    title = "Reported vs measured (%, 95% CI)"
    size, pad = width, 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="{size}" '
        f'height="{size}" viewBox="0 0 {size} {size}"><title>{title}</title>',
        f'<text x="0" y="14" class="plot-title">{title}</text>',
    ]
    if not pts:
        parts.append('<text x="20" y="60">no measured value figures</text></svg>')
        return "".join(parts)
    vals: list[float] = []
    for f in pts:
        assert f.measured is not None
        vals += [f.reported, f.measured.low, f.measured.high]
    lo, hi = min(vals), max(vals)
    margin = max((hi - lo) * 0.1, 0.01)
    lo, hi = max(0.0, lo - margin), min(1.0, hi + margin)

    def sx(v: float) -> float:
        return pad + (v - lo) / (hi - lo) * (size - 2 * pad)

    def sy(v: float) -> float:
        return size - pad - (v - lo) / (hi - lo) * (size - 2 * pad)

    parts.append(
        f'<line x1="{_f(sx(lo))}" y1="{_f(sy(lo))}" x2="{_f(sx(hi))}" y2="{_f(sy(hi))}" '
        'stroke="#999" stroke-dasharray="4 3"/>'
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" '
        'fill="none" stroke="#555"/>'
        f'<text x="{_f(sx(lo))}" y="{size - pad + 14}">{100 * lo:.1f}</text>'
        f'<text x="{_f(sx(hi))}" y="{size - pad + 14}" text-anchor="end">{100 * hi:.1f}</text>'
        f'<text x="{size // 2}" y="{size - 6}" text-anchor="middle">reported</text>'
        f'<text x="12" y="{size // 2}" transform="rotate(-90 12 {size // 2})" '
        'text-anchor="middle">measured</text>'
    )
    for f in pts:
        assert f.measured is not None
        x = sx(f.reported)
        color = COLORS[f.outcome]
        label = escape(f"{f.figure}: {f.outcome} ({f.claim[:80]})")
        parts.append(
            f'<line x1="{_f(x)}" y1="{_f(sy(f.measured.low))}" x2="{_f(x)}" '
            f'y2="{_f(sy(f.measured.high))}" stroke="{color}" stroke-width="2"/>'
            f'<circle cx="{_f(x)}" cy="{_f(sy(f.measured.mean))}" r="4" fill="{color}">'
            f"<title>{label}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
