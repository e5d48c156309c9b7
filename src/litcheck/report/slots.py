"""Contradictions between papers, found slot by slot.

Two claims contradict each other only when they fill the *same slot* and cannot both hold. A
slot is what a figure measures: its metric, dataset, languages and setting, and what it is a
figure *of* (model, method, and for a change the baseline it is measured against). Each part is
read from the claims' quantities (:func:`litcheck.extract.quantities.parse_quantities` when the
extractor stored none). Two quantities share a slot when:

- both name a metric and a dataset, and these are equal (case and punctuation aside);
- their languages, setting, model, method and baseline are equal (two unstated parts count as
  equal; one stated and one unstated do not, since "XNLI accuracy" and "XNLI accuracy for
  Swahili" are different figures);
- at least one of model and method is stated (a bare "accuracy on XNLI" is nobody's figure);
- they are the same kind of figure: two values, or two changes (absolute or relative alike).

They are then incompatible when

- **values**: the two figures (as written, same unit) differ by more than their rounding allows
  (half a unit of each figure's last written digit, added), or a value lies outside a range the
  other states;
- **direction**: two changes go opposite ways (one up, one down).

Different papers measuring different things never contradict each other here, however their
sentences sound: that is the verifier's business, and it is never listed as a contradiction
between papers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from litcheck.models import Claim, Quantity
from litcheck.report.models import Contradiction, SlotClaim

__all__ = ["SlotFigure", "slot_contradictions", "slot_figures", "slot_key", "slot_label"]


@dataclass(frozen=True)
class SlotFigure:
    """One figure of one claim, with the slot it fills."""

    claim: Claim
    quantity: Quantity
    key: tuple[str, ...]
    kind: str  # "value" or "change"


def _norm(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "", (text or "").lower())


def _kind(q: Quantity) -> str | None:
    if not q.numeric:
        return None
    if q.delta is not None or q.direction in ("increase", "decrease"):
        return "change"
    if q.value is not None or q.low is not None:
        return "value"
    return None


def slot_key(q: Quantity) -> tuple[str, ...] | None:
    """The slot a quantity fills, or ``None`` when too little of it is stated to compare.

    Args:
        q: a quantity read from a claim.

    Returns:
        (metric, dataset, languages, setting, model, method, baseline, kind), normalised.
    """
    kind = _kind(q)
    if kind is None or not q.metric or not q.dataset or not (q.model or q.method):
        return None
    baseline = _norm(q.baseline) if kind == "change" else ""
    return (
        _norm(q.metric),
        _norm(q.dataset),
        ",".join(sorted(_norm(lang) for lang in q.languages)),
        _norm(q.setting),
        _norm(q.model),
        _norm(q.method),
        baseline,
        kind,
    )


def slot_label(q: Quantity) -> str:
    """A slot as a reader says it: 'accuracy · XNLI · sw · XLM-R over mBERT'."""
    subject = " ".join(x for x in (q.model, q.method) if x)
    if q.baseline and _kind(q) == "change":
        subject += f" over {q.baseline}"
    parts = [q.metric, q.dataset, ",".join(q.languages) or None, q.setting, subject or None]
    return " · ".join(p for p in parts if p)


def slot_figures(claims: Sequence[Claim]) -> list[SlotFigure]:
    """Every comparable figure of ``claims`` (quantities parsed when none were stored)."""
    from litcheck.extract.quantities import parse_quantities

    out: list[SlotFigure] = []
    for claim in claims:
        quantities = claim.quantities or parse_quantities(claim.text)
        for q in quantities:
            key = slot_key(q)
            if key is not None:
                out.append(SlotFigure(claim, q, key, key[-1]))
    return out


def _half_unit(q: Quantity) -> float:
    return 0.5 * 10.0 ** (-q.precision)


def _change_sign(q: Quantity) -> int:
    if q.delta is not None and q.delta != 0:
        return 1 if q.delta > 0 else -1
    return {"increase": 1, "decrease": -1}.get(q.direction, 0)


def _figure_text(q: Quantity) -> str:
    if q.text:
        return q.text
    if q.delta is not None:
        return f"{q.delta:+g}{q.unit or ''}"
    return f"{q.value:g}{q.unit or ''}" if q.value is not None else q.direction


def _conflict(a: SlotFigure, b: SlotFigure) -> tuple[str, str] | None:
    """(kind, reason) when the two figures of one slot cannot both hold."""
    qa, qb = a.quantity, b.quantity
    if a.kind == "change":
        sa, sb = _change_sign(qa), _change_sign(qb)
        if sa and sb and sa != sb:
            return (
                "direction",
                f"one reports an increase, the other a decrease ({_figure_text(qa)} vs "
                f"{_figure_text(qb)})",
            )
        if qa.delta is None or qb.delta is None or qa.relative != qb.relative:
            return None
        if qa.unit != qb.unit or qa.bound or qb.bound:
            return None
        gap = abs(qa.delta - qb.delta)
        if gap > _half_unit(qa) + _half_unit(qb):
            return (
                "values",
                f"changes of {_figure_text(qa)} and {_figure_text(qb)} differ by {gap:.3g}, "
                "more than rounding allows",
            )
        return None
    if qa.unit != qb.unit or qa.bound or qb.bound:
        return None
    for x, y in ((qa, qb), (qb, qa)):
        if x.value is not None and y.value is None and y.low is not None and y.high is not None:
            lo, hi = y.low - _half_unit(y), y.high + _half_unit(y)
            if not lo <= x.value <= hi:
                return (
                    "values",
                    f"{_figure_text(x)} lies outside the range {_figure_text(y)}",
                )
            return None
    if qa.value is None or qb.value is None:
        return None
    gap = abs(qa.value - qb.value)
    if gap > _half_unit(qa) + _half_unit(qb):
        return (
            "values",
            f"values of {_figure_text(qa)} and {_figure_text(qb)} differ by {gap:.3g}, "
            "more than rounding allows",
        )
    return None


def slot_contradictions(
    claims: Sequence[Claim], rows: dict[str, int] | None = None
) -> list[Contradiction]:
    """Pairs of claims of *different* papers that fill one slot incompatibly.

    Args:
        claims: the claims to compare (a report's claims table).
        rows: claim id -> its number in the claims table, to cite it by number.

    Returns:
        One contradiction per pair of claims (the first conflicting slot), in table order.

    Example:
        >>> slot_contradictions([xlmr_v1_claim, xlmr_v2_claim])[0].slot
        'accuracy · XNLI · XLM-R over mBERT'
    """
    numbers = rows or {}
    figures = slot_figures(claims)
    out: list[Contradiction] = []
    seen: set[tuple[str, str]] = set()
    for i, a in enumerate(figures):
        for b in figures[i + 1 :]:
            pa, pb = a.claim.paper_id, b.claim.paper_id
            if a.key != b.key or pa is None or pb is None or pa == pb:
                continue
            pair = (a.claim.id, b.claim.id)
            if pair in seen or pair[::-1] in seen:
                continue
            found = _conflict(a, b)
            if found is None:
                continue
            seen.add(pair)
            kind, reason = found
            out.append(
                Contradiction(
                    slot=slot_label(a.quantity),
                    kind="direction" if kind == "direction" else "values",
                    first=_side(a, numbers),
                    second=_side(b, numbers),
                    reason=reason,
                )
            )
    return out


def _side(f: SlotFigure, numbers: dict[str, int]) -> SlotClaim:
    return SlotClaim(
        claim_id=f.claim.id,
        row=numbers.get(f.claim.id),
        paper=f.claim.paper_id or "",
        section=f.claim.section,
        quote=f.claim.text,
        figure=_figure_text(f.quantity),
    )
