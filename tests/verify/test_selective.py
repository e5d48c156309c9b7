"""The bearing gate and the abstention threshold (verify/selective.py) and their use in verify."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from litcheck.library import Library
from litcheck.models import Claim, Label
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.pipeline import verify_claims
from litcheck.verify.selective import (
    Thresholds,
    bearing_features,
    coverage_curve,
    fit_abstention,
    fit_bearing,
    fit_gate,
    fit_gate_confidence,
    key_coverage,
    key_terms,
)

from .conftest import HashEmbedder, library_of

# Sentences from the audit of a machine-written synthesis report.
UNRELATED_CLAIM = (
    "The pair of input sentences in the generalized setting belong to two different languages."
)
XTREME_CLAIM = "XTREME and XGLUE provide benchmarks for evaluating cross-lingual transfer."
QUOTE = "Robust training improves zero-shot cross-lingual transfer."


def test_key_terms_are_names_acronyms_and_figures() -> None:
    assert key_terms(XTREME_CLAIM) == {"xtreme", "xglue"}
    assert key_terms("mBERT reaches 11.4% for Urdu on XNLI.") >= {"mbert", "11.4", "urdu", "xnli"}
    # A sentence-initial capital is not a name.
    assert "robust" not in key_terms(QUOTE)


def test_key_coverage_sees_what_a_quote_does_not_name() -> None:
    assert key_coverage(XTREME_CLAIM, [QUOTE]) == 0.0
    assert key_coverage(XTREME_CLAIM, ["XTREME and XGLUE are benchmarks."]) == 1.0
    # Without names, content stems count.
    assert key_coverage(UNRELATED_CLAIM, [QUOTE]) < 0.2
    assert key_coverage(UNRELATED_CLAIM, []) == 0.0


def test_bearing_gate_fits_and_gates_unrelated_retrievals() -> None:
    rng = np.random.default_rng(0)
    n = 200
    bears = rng.random(n) < 0.5
    # Claims with evidence retrieve closer, better-covered sentences.
    feats = np.column_stack(
        [
            np.where(bears, 0.9, 0.3) + rng.normal(0, 0.1, n),
            np.where(bears, 0.8, 0.1) + rng.normal(0, 0.1, n),
            np.where(bears, 0.7, 0.2) + rng.normal(0, 0.1, n),
        ]
    )
    weights, threshold, info = fit_bearing(feats, bears)
    assert threshold is not None and info["gated_without_evidence"] >= 0.9
    th = Thresholds(bearing_weights=weights, bearing_min=threshold)
    assert th.gated(bearing_features(XTREME_CLAIM, [QUOTE], [0.25]))
    assert not th.gated(np.array([0.95, 1.0, 0.9]))
    assert Thresholds.from_dict(th.to_dict()) == th


def test_abstention_threshold_reaches_the_target_precision() -> None:
    rng = np.random.default_rng(1)
    conf = rng.uniform(0.34, 1.0, 500)
    correct = rng.random(500) < conf  # calibrated: right with probability = confidence
    decisive = np.ones(500, dtype=bool)
    threshold, curve = fit_abstention(conf, decisive, correct)
    assert threshold is not None and 0.7 < threshold < 0.95
    kept = conf >= threshold
    assert correct[kept].mean() >= 0.88
    assert curve[0]["coverage"] == 1.0 and curve[-1]["coverage"] < 0.05
    # A judge that is never right enough gets no threshold (every verdict stays as it is).
    never, _ = fit_abstention(conf, decisive, np.zeros(500, dtype=bool))
    assert never is None
    assert coverage_curve(conf[:0], decisive[:0], correct[:0])[0]["coverage"] == 0.0


class _Strict(FallbackJudge):
    """The fallback judge with an abstention threshold no verdict reaches."""

    def __init__(self) -> None:
        super().__init__()
        self.thresholds = Thresholds(abstain_below=0.999)


class _Gated(FallbackJudge):
    """The fallback judge with a gate that finds no sentence bearing on anything."""

    def __init__(self) -> None:
        super().__init__()
        self.thresholds = Thresholds(bearing_weights=(0.0, 0.0, 0.0, -5.0), bearing_min=0.5)


def test_weak_verdicts_become_not_enough_info_with_their_leaning(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    claim = Claim(id="x", text="XLM-R outperforms mBERT on XNLI.")
    plain = verify_claims([claim], library, index, FallbackJudge(), show_progress=False)[0]
    assert plain.verdict is Label.SUPPORTED
    strict = verify_claims([claim], library, index, _Strict(), show_progress=False)[0]
    assert strict.verdict is Label.NOT_ENOUGH_INFO and strict.leaning is Label.SUPPORTED
    assert strict.leaning_confidence == plain.confidence
    assert "too weak to decide" in (strict.reason or "")
    assert f"{plain.confidence:.2f}" in (strict.reason or "")
    # The evidence shown is still the sentence the leaning rests on.
    assert strict.evidence[0].text == plain.evidence[0].text
    unselective = verify_claims(
        [claim], library, index, _Strict(), show_progress=False, selective=False
    )[0]
    assert unselective.verdict is Label.SUPPORTED


def test_no_passage_bears_gives_not_enough_info(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    v = verify_claims(
        [Claim(id="x", text="XLM-R outperforms mBERT on XNLI.")],
        library,
        index,
        _Gated(),
        show_progress=False,
    )[0]
    assert v.verdict is Label.NOT_ENOUGH_INFO
    assert (v.reason or "").startswith("no passage bears on this claim")
    assert all(e.role == "closest" for e in v.evidence)


def test_a_claim_naming_benchmarks_no_passage_names_is_not_borne_out() -> None:
    from litcheck.verify.selective import unnamed_terms

    assert unnamed_terms(XTREME_CLAIM, [QUOTE]) == ["XGLUE", "XTREME"]
    # One named benchmark or model found is enough, in any of its spellings.
    assert unnamed_terms(XTREME_CLAIM, ["We evaluate on the XTREME benchmark."]) == []
    assert unnamed_terms("XLM-RoBERTa beats mBERT.", ["XLM-R outperforms others."]) == []
    # Open-ended names (genes, drugs) are not held to an exact match.
    assert unnamed_terms("TNF-alpha lowers insulin secretion.", [QUOTE]) == []
    assert unnamed_terms(XTREME_CLAIM, []) == []


def test_a_claim_naming_a_model_no_passage_names_beside_named_ones_is_not_borne_out() -> None:
    from litcheck.verify.selective import missing_names

    sentences = ["Multilingual BERT reaches 81.9 accuracy on PAWS-X.", "Tokenizers differ."]
    assert missing_names("On PAWS-X, XLM-R outperforms multilingual BERT.", sentences) == ["XLM-R"]
    # Every name found, in any spelling: nothing missing.
    assert missing_names("XLM-RoBERTa beats mBERT.", ["XLM-R beats mBERT on XNLI."]) == []
    # None found is unnamed_terms' case; one name alone is never "missing beside others".
    assert missing_names("XLM-R beats mBERT.", ["Tokenizers differ."]) == []
    assert missing_names("XLM-R is strong.", ["mBERT is strong."]) == []


def test_gate_threshold_is_the_one_that_improves_the_verdicts() -> None:
    rng = np.random.default_rng(3)
    n = 300
    gold = rng.integers(0, 3, n)
    bearing = np.where(gold == 2, rng.uniform(0.0, 0.4, n), rng.uniform(0.3, 1.0, n))
    # The verdicts before the gate: right where there is evidence, and half of the claims
    # without evidence wrongly called SUPPORTED: a gate below ~0.3 fixes those.
    pred = gold.copy()
    wrong = (gold == 2) & (rng.random(n) < 0.5)
    pred[wrong] = 0
    threshold, info = fit_gate(bearing, pred, gold)
    assert threshold is not None and 0.25 <= threshold <= 0.45
    assert info["macro_f1_with_gate"] > info["macro_f1_without_gate"]
    # Where the verdicts are already right, any gate can only take verdicts away: none.
    none, info = fit_gate(bearing, gold, gold)
    assert none is None and info["gated"] == 0


def test_gated_verdicts_are_as_confident_as_their_calibration_claims_were_right() -> None:
    rng = np.random.default_rng(5)
    bearing = rng.uniform(0.02, 0.45, size=400)
    # Retrieval misses evidence: the lower the bearing, the likelier NOT_ENOUGH_INFO is right,
    # but far less than 1 - bearing says.
    right = rng.uniform(size=400) < 0.35 + 0.8 * (0.45 - bearing)
    fit = fit_gate_confidence(bearing, right)
    assert fit is not None
    th = Thresholds(bearing_weights=(0.0, 0.0, 0.0, 0.0), bearing_min=0.5, gate_confidence=fit)
    # A bearing model of bias logit(p) alone gives bearing probability p for any features.
    conf_a = np.array(
        [
            Thresholds(
                bearing_weights=(0.0, 0.0, 0.0, float(np.log(p / (1 - p)))), gate_confidence=fit
            ).gated_confidence(np.zeros(3))
            for p in bearing
        ]
    )
    assert abs(conf_a.mean() - right.mean()) < 0.03
    assert abs((1 - bearing).mean() - right.mean()) > 0.15  # the old confidence overstated it
    # Lower bearing, higher confidence; and the fit survives a round trip.
    assert conf_a[np.argmin(bearing)] > conf_a[np.argmax(bearing)]
    again = Thresholds.from_dict(th.to_dict())
    assert again.gate_confidence == fit
    assert fit_gate_confidence(bearing[:5], right[:5]) is None
    assert fit_gate_confidence(bearing, np.ones(400, dtype=bool)) is None


def test_a_claim_about_another_task_is_not_borne_out() -> None:
    from litcheck.verify.selective import swapped_tasks

    evidence = [
        "The experimental results demonstrate that robust training improves zero-shot "
        "cross-lingual transfer on text classification tasks."
    ]
    qa = "Robust training improves zero-shot cross-lingual transfer on question answering."
    assert swapped_tasks(qa, evidence) == (["question answering"], ["text classification"])
    # The claim's task named by some sentence, or by none: the judge decides.
    assert swapped_tasks(qa, [*evidence, "Gains on QA are smaller."]) == ([], [])
    assert swapped_tasks(qa, ["Robust training improves transfer."]) == ([], [])
    assert swapped_tasks("Robust training improves transfer.", evidence) == ([], [])


def test_verify_reads_swapped_tasks_and_counts(embedder: HashEmbedder, tmp_path: Path) -> None:
    from litcheck.library.importer import read_papers_file

    # The two abstracts of the README's example claims.
    examples = Path(__file__).parents[2] / "data" / "examples" / "papers.jsonl"
    library = Library.open(tmp_path / "lib.sqlite")
    for paper in read_papers_file(examples):
        library.add_paper(paper)
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(
            id="qa",
            text="Robust training improves zero-shot cross-lingual transfer on question "
            "answering tasks.",
            cites=["2104.08645"],
        ),
        Claim(id="n", text="XLM-R is trained on 50 languages.", cites=["1911.02116"]),
        Claim(
            id="q",
            text="We adopt two widely used robust training methods, adversarial training and "
            "randomized smoothing, to train the desired robust model.",
            cites=["2104.08645"],
        ),
    ]
    qa, count, quote = verify_claims(claims, library, index, FallbackJudge(), show_progress=False)
    assert quote.verdict is Label.SUPPORTED
    assert "word for word" in (quote.reason or "")
    assert quote.evidence[0].text.startswith("We adopt two widely used robust training")
    assert qa.verdict is Label.NOT_ENOUGH_INFO
    assert "question answering" in (qa.reason or "")
    assert count.verdict is Label.CONTRADICTED
    assert "one hundred languages" in (count.reason or "")


def test_a_claim_no_single_paper_states_is_not_supported(
    tmp_path: Path, embedder: HashEmbedder
) -> None:
    from litcheck.verify.selective import unjoined_names

    xlmr = "XLM-R significantly outperforms multilingual BERT (mBERT) on XNLI and MLQA."
    pawsx = "Multilingual BERT (mBERT) scores 81.9 accuracy on PAWS-X."
    assert unjoined_names("On PAWS-X, XLM-R outperforms mBERT.", [[xlmr], [pawsx]]) == ["PAWS-X"]
    assert unjoined_names("On XNLI, XLM-R outperforms mBERT.", [[pawsx], [xlmr]]) == []
    assert unjoined_names("XLM-R is strong.", [[pawsx]]) == []  # one name: nothing to join

    papers = [
        {"arxiv_id": "1911.02116", "title": "XLM-R", "authors": ["A"], "abstract": xlmr},
        {"arxiv_id": "1908.11828", "title": "PAWS-X", "authors": ["B"], "abstract": pawsx},
    ]
    lib = library_of(tmp_path, papers)
    index = PassageIndex.open(lib, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(id="joined", text="XLM-R outperforms mBERT on XNLI and MLQA."),
        Claim(id="unjoined", text="On PAWS-X, XLM-R outperforms multilingual BERT."),
    ]
    by_id = {
        v.id: v for v in verify_claims(claims, lib, index, FallbackJudge(), show_progress=False)
    }
    unjoined = by_id["unjoined"]
    assert unjoined.verdict is Label.NOT_ENOUGH_INFO and unjoined.leaning is Label.SUPPORTED
    assert "no paper states all of this claim" in (unjoined.reason or "")
    assert by_id["joined"].verdict is Label.SUPPORTED
