"""A report-level scorecard computed from measured quantities, every part shown.

Six dimensions, each a share in [0, 1] (shown as x/10) with its formula and the counts it was
computed from; a dimension with nothing to measure says so instead of inventing a number. There
is no overall score: the parts are the result.

- **evidence strength** = SUPPORTED claims / claims. A claim counts as SUPPORTED when the
  verdict is SUPPORTED with calibrated confidence >= 0.5. Shown beside it: the mean calibrated
  confidence of all verdicts and of the SUPPORTED ones. Only *independent* corroboration
  counts: for a claim taken from a paper (``Claim.paper_id``), evidence from that same paper is
  grounding, not support, so a decisive verdict resting only on it is scored NOT_ENOUGH_INFO
  (:func:`independent_verdicts`), in every dimension.
- **citation grounding** = claims with a decisive verdict (SUPPORTED or CONTRADICTED,
  confidence >= 0.5) whose evidence includes a sentence of a paper they cite / claims.
  Shown beside it: claims that cite anything, citations checked and flagged.
- **numerical consistency** = numeric claims found SUPPORTED / numeric claims checked, where a
  numeric claim states a value or a change (``parse_quantities``) and *checked* means a
  decisive verdict (SUPPORTED or CONTRADICTED, confidence >= 0.5).
- **benchmark validity** = numeric claims whose dataset, metric and setting were all identified
  / numeric claims.
- **uncertainty disclosure** = uncertain claims labelled as uncertain / uncertain claims. A
  claim is *uncertain* when it is hedged (``may``, ``suggests`` ...) or our verdict is
  NOT_ENOUGH_INFO; it is *labelled* uncertain when its shown label is not a confident positive
  mark (a report's ✓ / VERIFIED, or SUPPORTED) or its own text keeps the hedge.
- **reproducibility** = figures a run re-measured (reverify CONFIRMED or REFUTED) / figures
  reverify read; shown beside it: CONFIRMED. Without runs: not measured.

Inputs are plain: claims, their verdicts, per-claim citation checks, the labels the report
shows, and reverify rows (anything with an ``outcome``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from litcheck.library import Library
from litcheck.models import Claim, Label, Verdict
from litcheck.verify.citations import CitationCheck, TextEmbedder

if TYPE_CHECKING:
    from litcheck.verify.audit import AuditResult

#: A verdict is decisive with at least this calibrated confidence (as in the report's rule).
DECISIVE_MIN = 0.5
#: Labels (lower case) that present a claim as established.
POSITIVE_LABELS = frozenset(
    {"verified", "supported", "✓", "✔", "✅", "true", "confirmed", "proven"}
)


class HasOutcome(Protocol):
    """A reverify row: ``outcome`` is CONFIRMED, REFUTED or UNMATCHED."""

    @property
    def outcome(self) -> str: ...


class Dimension(BaseModel):
    """One scorecard dimension: value, formula, and the counts it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    value: float | None = Field(description="Share in [0, 1]; None when nothing to measure.")
    numerator: int | None = None
    denominator: int | None = None
    formula: str
    inputs: dict[str, float | int | None] = Field(default_factory=dict)
    note: str | None = None

    @property
    def score(self) -> float | None:
        """The value on a 0-10 scale, one decimal."""
        return None if self.value is None else round(10 * self.value, 1)


class Scorecard(BaseModel):
    """The six dimensions of one report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claims: int
    dimensions: list[Dimension]
    self_reported: list[str] = Field(
        default_factory=list, description="Scores the report claims for itself, quoted."
    )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: each dimension with score, value, counts, formula and inputs."""
        return {
            "claims": self.claims,
            "dimensions": [{**d.model_dump(), "score": d.score} for d in self.dimensions],
            "self_reported": list(self.self_reported),
        }


def _share(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def _base(pid: str) -> str:
    return re.sub(r"v\d+$", "", pid) if re.match(r"^\d{4}\.\d{4,5}v\d+$", pid) else pid


def _numeric(claim: Claim) -> bool:
    return any(q.value is not None or q.delta is not None for q in claim.quantities)


def _decisive(v: Verdict) -> bool:
    return v.verdict is not Label.NOT_ENOUGH_INFO and v.confidence >= DECISIVE_MIN


def _supported(v: Verdict) -> bool:
    return v.verdict is Label.SUPPORTED and v.confidence >= DECISIVE_MIN


def _base_id(pid: str | None) -> str | None:
    return None if pid is None else _base(pid)


def independent_verdicts(claims: Sequence[Claim], verdicts: Sequence[Verdict]) -> list[Verdict]:
    """Verdicts with the claims' own papers taken out of their evidence.

    A claim stated in paper P is not corroborated by P: P's sentences are dropped from the
    evidence, and a decisive verdict left with no evidence becomes NOT_ENOUGH_INFO
    (confidence 0). Claims without a ``paper_id`` (a user's or an audited report's) are kept
    as they are.

    Args:
        claims: the claims, in order.
        verdicts: their verdicts, same order.

    Returns:
        One verdict per claim.
    """
    out: list[Verdict] = []
    for claim, verdict in zip(claims, verdicts, strict=True):
        own = _base_id(claim.paper_id)
        if own is None or not any(_base(e.paper) == own for e in verdict.evidence):
            out.append(verdict)
            continue
        kept = [e for e in verdict.evidence if _base(e.paper) != own]
        if kept or not _decisive(verdict):
            out.append(verdict.model_copy(update={"evidence": kept}))
        else:
            out.append(
                verdict.model_copy(
                    update={"verdict": Label.NOT_ENOUGH_INFO, "confidence": 0.0, "evidence": []}
                )
            )
    return out


def evidence_strength(verdicts: Sequence[Verdict], independent: bool = False) -> Dimension:
    """Share of claims SUPPORTED (confidence >= 0.5), with mean confidences as inputs.

    Args:
        verdicts: the verdicts (already :func:`independent_verdicts` when ``independent``).
        independent: name the rule as "corroborated by another paper" in the formula.

    Returns:
        The dimension.
    """
    n = len(verdicts)
    sup = [v for v in verdicts if _supported(v)]
    mean_all = sum(v.confidence for v in verdicts) / n if n else None
    mean_sup = sum(v.confidence for v in sup) / len(sup) if sup else None
    return Dimension(
        name="evidence strength",
        value=_share(len(sup), n),
        numerator=len(sup),
        denominator=n,
        formula=(
            "claims SUPPORTED by another paper than their own (confidence >= 0.5) / claims"
            if independent
            else "SUPPORTED claims (confidence >= 0.5) / claims"
        ),
        inputs={
            "claims": n,
            "supported": len(sup),
            "contradicted": sum(
                1 for v in verdicts if v.verdict is Label.CONTRADICTED and _decisive(v)
            ),
            "not_enough_info": sum(1 for v in verdicts if not _decisive(v)),
            "mean_confidence_all": None if mean_all is None else round(mean_all, 3),
            "mean_confidence_supported": None if mean_sup is None else round(mean_sup, 3),
        },
    )


def citation_grounding(
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    checks: Sequence[Sequence[CitationCheck]] | None = None,
) -> Dimension:
    """Share of claims whose evidence comes from a paper they cite."""
    grounded = 0
    citing = 0
    for claim, verdict in zip(claims, verdicts, strict=True):
        cites = {_base(c) for c in claim.cites}
        if cites:
            citing += 1
        if cites and _decisive(verdict) and any(_base(e.paper) in cites for e in verdict.evidence):
            grounded += 1
    flat = [c for per in checks or [] for c in per]
    return Dimension(
        name="citation grounding",
        value=_share(grounded, len(claims)),
        numerator=grounded,
        denominator=len(claims),
        formula="claims whose decisive verdict rests on a sentence of a cited paper / claims",
        inputs={
            "claims": len(claims),
            "claims_citing_a_paper": citing,
            "grounded": grounded,
            "citations_checked": len(flat) if checks is not None else None,
            "citations_flagged": sum(1 for c in flat if c.flagged) if checks is not None else None,
            "citations_unavailable": sum(1 for c in flat if c.status == "unavailable")
            if checks is not None
            else None,
        },
    )


def numerical_consistency(claims: Sequence[Claim], verdicts: Sequence[Verdict]) -> Dimension:
    """Numeric claims found SUPPORTED / numeric claims with a decisive verdict."""
    numeric = [(c, v) for c, v in zip(claims, verdicts, strict=True) if _numeric(c)]
    checked = [(c, v) for c, v in numeric if _decisive(v)]
    agree = sum(1 for _, v in checked if v.verdict is Label.SUPPORTED)
    return Dimension(
        name="numerical consistency",
        value=_share(agree, len(checked)),
        numerator=agree,
        denominator=len(checked),
        formula="numeric claims SUPPORTED / numeric claims with a decisive verdict",
        inputs={
            "numeric_claims": len(numeric),
            "checked": len(checked),
            "agreeing": agree,
            "contradicted": len(checked) - agree,
        },
        note=None if numeric else "no claim states a figure",
    )


def benchmark_validity(claims: Sequence[Claim]) -> Dimension:
    """Numeric claims whose dataset, metric and setting are all identified / numeric claims."""
    numeric = [c for c in claims if _numeric(c)]

    def parts(c: Claim) -> tuple[bool, bool, bool]:
        qs = [q for q in c.quantities if q.value is not None or q.delta is not None]
        return (
            any(q.dataset for q in qs),
            any(q.metric for q in qs),
            any(q.setting for q in qs),
        )

    flags = [parts(c) for c in numeric]
    full = sum(1 for f in flags if all(f))
    return Dimension(
        name="benchmark validity",
        value=_share(full, len(numeric)),
        numerator=full,
        denominator=len(numeric),
        formula="numeric claims with dataset, metric and setting all identified / numeric claims",
        inputs={
            "numeric_claims": len(numeric),
            "with_dataset": sum(1 for f in flags if f[0]),
            "with_metric": sum(1 for f in flags if f[1]),
            "with_setting": sum(1 for f in flags if f[2]),
            "all_three": full,
        },
        note=None if numeric else "no claim states a figure",
    )


def uncertainty_disclosure(
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    shown_labels: Sequence[str | None] | None = None,
) -> Dimension:
    """Uncertain claims (hedged or NOT_ENOUGH_INFO) that the report labels as uncertain."""
    from litcheck.extract.claims import hedges

    labels = list(shown_labels) if shown_labels is not None else [v.verdict.value for v in verdicts]
    uncertain = 0
    disclosed = 0
    hedged_n = 0
    nei_n = 0
    for claim, verdict, label in zip(claims, verdicts, labels, strict=True):
        hedged = bool(claim.hedging or hedges(claim.text))
        nei = not _decisive(verdict)
        hedged_n += hedged
        nei_n += nei
        if not (hedged or nei):
            continue
        uncertain += 1
        positive = (label or "").strip().lower() in POSITIVE_LABELS
        if hedged or not positive:
            disclosed += 1
    return Dimension(
        name="uncertainty disclosure",
        value=_share(disclosed, uncertain),
        numerator=disclosed,
        denominator=uncertain,
        formula="uncertain claims (hedged or NOT_ENOUGH_INFO) labelled as uncertain / uncertain "
        "claims",
        inputs={
            "uncertain": uncertain,
            "hedged": hedged_n,
            "not_enough_info": nei_n,
            "labelled_uncertain": disclosed,
            "shown_as_established": uncertain - disclosed,
        },
        note=None if uncertain else "no hedged or undecided claim",
    )


def reproducibility(
    claims: Sequence[Claim], measured: Sequence[HasOutcome] | None = None
) -> Dimension:
    """Figures a run re-measured / figures read (needs reverify rows)."""
    figures = sum(
        1 for c in claims for q in c.quantities if q.value is not None or q.delta is not None
    )
    if measured is None:
        return Dimension(
            name="reproducibility",
            value=None,
            formula="figures re-measured by a run (CONFIRMED or REFUTED) / figures",
            inputs={"figures_in_claims": figures, "re_measured": None, "confirmed": None},
            note="not measured: no runs directory was given",
        )
    rows = list(measured)
    matched = sum(1 for m in rows if m.outcome != "UNMATCHED")
    confirmed = sum(1 for m in rows if m.outcome == "CONFIRMED")
    return Dimension(
        name="reproducibility",
        value=_share(matched, len(rows)),
        numerator=matched,
        denominator=len(rows),
        formula="figures re-measured by a run (CONFIRMED or REFUTED) / figures",
        inputs={
            "figures_in_claims": figures,
            "figures_read": len(rows),
            "re_measured": matched,
            "confirmed": confirmed,
            "refuted": matched - confirmed,
        },
        note=None if rows else "reverify read no figure",
    )


def build_scorecard(
    claims: Sequence[Claim],
    verdicts: Sequence[Verdict],
    *,
    citation_checks: Sequence[Sequence[CitationCheck]] | None = None,
    shown_labels: Sequence[str | None] | None = None,
    measured: Sequence[HasOutcome] | None = None,
    report_text: str | None = None,
) -> Scorecard:
    """Compute the scorecard of a report.

    Args:
        claims: the report's claims (text, cites, quantities, hedging), in order; a claim's
            ``paper_id`` is its source, whose own sentences never count as its support.
        verdicts: our verdict per claim, same order.
        citation_checks: per claim, its :class:`CitationCheck` list (counts only).
        shown_labels: the label the report shows per claim (a foreign report's mark such as
            ``verified``; default: our verdicts).
        measured: reverify rows (``outcome``); ``None`` when no runs were given.
        report_text: the report's text, to quote the scores it claims for itself.

    Returns:
        The :class:`Scorecard`.

    Raises:
        ValueError: when claims and verdicts differ in length.

    Example:
        >>> card = build_scorecard(claims, verdicts, citation_checks=checks)
        >>> print(scorecard_markdown(card))
    """
    if len(claims) != len(verdicts):
        raise ValueError(f"{len(claims)} claims but {len(verdicts)} verdicts")
    if shown_labels is not None and len(shown_labels) != len(claims):
        raise ValueError(f"{len(claims)} claims but {len(shown_labels)} labels")
    independent = any(c.paper_id for c in claims)
    verdicts = independent_verdicts(claims, verdicts)
    return Scorecard(
        claims=len(claims),
        dimensions=[
            evidence_strength(verdicts, independent),
            citation_grounding(claims, verdicts, citation_checks),
            numerical_consistency(claims, verdicts),
            benchmark_validity(claims),
            uncertainty_disclosure(claims, verdicts, shown_labels),
            reproducibility(claims, measured),
        ],
        self_reported=self_reported_scores(report_text or ""),
    )


_SELF_SCORE = re.compile(
    r"[^.\n]*\b(?:score|scored|rating|quality)\b[^.\n]*?\b\d+(?:\.\d+)?\s*/\s*10\b[^.\n]*",
    flags=re.I,
)


def self_reported_scores(text: str) -> list[str]:
    """Sentences where a report gives itself a score out of 10 (e.g. 'quality score of 7.7/10')."""
    out: list[str] = []
    for m in _SELF_SCORE.finditer(text):
        sentence = " ".join(m.group(0).split())
        if sentence not in out:
            out.append(sentence)
    return out


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def scorecard_markdown(card: Scorecard, title: str = "Scorecard") -> str:
    """Markdown: one row per dimension with score, share, formula and inputs.

    Args:
        card: the scorecard.
        title: section heading.

    Returns:
        Markdown text.
    """
    lines = [
        f"## {title}",
        "",
        f"{card.claims} claims. Each dimension is a measured share (x/10 = 10 x share); "
        "no overall score is computed.",
        "",
        "| dimension | score /10 | share | formula | inputs |",
        "|---|---|---|---|---|",
    ]
    for d in card.dimensions:
        share = (
            f"{d.numerator}/{d.denominator}" if d.value is not None else (d.note or "not measured")
        )
        inputs = ", ".join(f"{k.replace('_', ' ')} {_fmt(v)}" for k, v in d.inputs.items())
        lines.append(f"| {d.name} | {_fmt(d.score)} | {share} | {d.formula} | {inputs} |")
    if card.self_reported:
        lines += ["", "The report's own scores, for comparison:", ""]
        lines += [f"- “{s}”" for s in card.self_reported]
    return "\n".join(lines) + "\n"


class AuditCard(BaseModel):
    """An audit's scorecard and citation checks, beside the report's own claims."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    scorecard: Scorecard
    citation_checks: list[list[CitationCheck]]
    claims: list[Claim]
    labels: list[str | None]


def audit_scorecard(
    result: AuditResult,
    lib: Library,
    report_text: str,
    embedder: TextEmbedder | None = None,
) -> AuditCard:
    """Scorecard and citation checks of an audited (foreign) report.

    The report's claims are read again from its text (their figures, datasets and hedges), each
    row's citations (its own arXiv ids, else the report's references) are checked with
    :func:`~litcheck.verify.citations.check_citations` against the evidence of our verdict, and
    the report's own marks are the labels shown (for uncertainty disclosure).

    Args:
        result: what :func:`~litcheck.verify.audit.audit_report` returned.
        lib: the library the audit used.
        report_text: the report's text.
        embedder: for topic similarity (TF-IDF when ``None``).

    Returns:
        The :class:`AuditCard`.

    Example:
        >>> result = audit_report(path, lib, cfg, verify, judge.name)
        >>> card = audit_scorecard(result, lib, path.read_text(), index.embedder)
        >>> print(scorecard_markdown(card.scorecard))
    """
    from litcheck.extract.claims import hedges
    from litcheck.extract.report_table import parse_report
    from litcheck.verify.citations import check_citations

    parsed = parse_report(report_text, result.source)
    rows = {r.index: r for r in parsed.rows}
    resolved = {r.raw: r.paper_id for r in result.references if r.paper_id}
    claims: list[Claim] = []
    checks: list[list[CitationCheck]] = []
    labels: list[str | None] = []
    for row in result.rows:
        src = rows.get(row.index)
        text = src.text if src else row.verdict.claim
        raw_cites = list(src.cites) if src and src.cites else list(parsed.references)
        cites = [resolved.get(c, c) for c in raw_cites]
        claim = Claim(
            id=row.verdict.id,
            text=text,
            cites=cites,
            quantities=list(src.quantities) if src else [],
            hedging=hedges(text),
        )
        claims.append(claim)
        used = row.verdict.evidence if _decisive(row.verdict) else []
        checks.append(check_citations(text, cites, lib, used, embedder, claim_id=claim.id))
        labels.append(row.mark or row.raw_mark)
    card = build_scorecard(
        claims,
        [r.verdict for r in result.rows],
        citation_checks=checks,
        shown_labels=labels,
        report_text=report_text,
    )
    return AuditCard(scorecard=card, citation_checks=checks, claims=claims, labels=labels)
