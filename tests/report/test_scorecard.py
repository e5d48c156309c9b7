"""Scorecard: each dimension's formula on hand-made claims and verdicts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from litcheck.models import Claim, Evidence, Label, Quantity, Verdict
from litcheck.report.scorecard import build_scorecard, scorecard_markdown, self_reported_scores
from litcheck.verify.citations import CitationCheck


def _v(label: Label, conf: float, papers: tuple[str, ...] = ()) -> Verdict:
    ev = [Evidence(paper=p, text="t", score=1.0) for p in papers]
    return Verdict(id="x", claim="c", verdict=label, confidence=conf, evidence=ev)


@dataclass
class Row:
    outcome: str


def test_dimensions_from_measured_parts() -> None:
    q_full = Quantity(
        delta=2.1, unit="points", metric="accuracy", dataset="PAWS-X", setting="zero-shot"
    )
    q_part = Quantity(delta=1.6, unit="points", dataset="XNLI")
    claims = [
        Claim(
            id="1",
            text="Improves by 2.1 points on PAWS-X.",
            cites=["2104.08645v2"],
            quantities=[q_full],
        ),
        Claim(
            id="2",
            text="Improves by 1.6 points on XNLI.",
            cites=["2104.08645"],
            quantities=[q_part],
        ),
        Claim(id="3", text="Robust training may help.", cites=["2508.11281"]),
        Claim(id="4", text="XTREME is a benchmark."),
    ]
    verdicts = [
        _v(Label.SUPPORTED, 0.9, ("2104.08645",)),
        _v(Label.CONTRADICTED, 0.7, ("2104.08645",)),
        _v(Label.SUPPORTED, 0.3, ("2104.08645",)),  # weak: counts as NEI
        _v(Label.NOT_ENOUGH_INFO, 0.6),
    ]
    labels = ["verified", "refuted", "verified", "verified"]
    checks = [[CitationCheck(claim="c", paper="2508.11281", status="flagged", reason="r")]]
    card = build_scorecard(
        claims,
        verdicts,
        citation_checks=checks,
        shown_labels=labels,
        measured=[Row("CONFIRMED"), Row("UNMATCHED")],
        report_text="An independent assessment produced a quality score of 7.7/10.",
    )
    d = {x.name: x for x in card.dimensions}
    assert (d["evidence strength"].numerator, d["evidence strength"].denominator) == (1, 4)
    assert d["evidence strength"].inputs["mean_confidence_all"] == pytest.approx(0.625)
    assert (d["citation grounding"].numerator, d["citation grounding"].denominator) == (2, 4)
    assert d["citation grounding"].inputs["citations_flagged"] == 1
    assert (d["numerical consistency"].numerator, d["numerical consistency"].denominator) == (1, 2)
    assert (d["benchmark validity"].numerator, d["benchmark validity"].denominator) == (1, 2)
    # Uncertain: claim 3 (hedged, and weak) and claim 4 (NEI). Claim 3 keeps its hedge in the
    # text (disclosed); claim 4 is shown "verified" (not disclosed).
    u = d["uncertainty disclosure"]
    assert (u.numerator, u.denominator) == (1, 2) and u.inputs["shown_as_established"] == 1
    assert (d["reproducibility"].numerator, d["reproducibility"].denominator) == (1, 2)
    assert d["evidence strength"].score == 2.5
    assert card.self_reported == ["An independent assessment produced a quality score of 7.7/10"]
    md = scorecard_markdown(card)
    assert "| evidence strength | 2.5 | 1/4 |" in md and "7.7/10" in md
    assert card.to_dict()["dimensions"][0]["score"] == 2.5


def test_nothing_to_measure_is_said_not_invented() -> None:
    card = build_scorecard([Claim(id="1", text="A definition.")], [_v(Label.SUPPORTED, 0.8)])
    d = {x.name: x for x in card.dimensions}
    assert d["numerical consistency"].value is None
    assert d["reproducibility"].value is None and "no runs" in (d["reproducibility"].note or "")
    assert "not measured" in scorecard_markdown(card) or "no runs" in scorecard_markdown(card)
    with pytest.raises(ValueError):
        build_scorecard([Claim(id="1", text="x")], [])


def test_self_reported_scores() -> None:
    text = "Quality review score: 7.7/10.\nNothing else. Rated 3/5."
    assert self_reported_scores(text) == ["Quality review score: 7.7/10"]
