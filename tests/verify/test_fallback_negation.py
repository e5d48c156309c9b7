"""The fallback's negation cue counts only when the negated clause is about the claim.

The sentences are real: claims and evidence sentences from HealthVer's test split and SciFact's
dev split (the pairs the old cue got wrong, and contradictions it must keep).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import SHARED_DATA

from litcheck.verify.judge import FALLBACK_CALIBRATION, FallbackJudge, negation_about
from litcheck.verify.labels import LABELS

# HealthVer (Neutral): the claim's "no symptoms" is about symptoms, the evidence is not.
CHILDREN_CLAIM = (
    "Children, like adults, who have COVID-19 but have no symptoms (asymptomatic) can still "
    "spread the virus to others."
)
CHILDREN_EVIDENCE = (
    "Children of all ages can get COVID-19, although they appear to be affected less frequently "
    "than adults, as reported in our preliminary survey."
)
# HealthVer (Neutral): a negation about masks slowing the pandemic, not about N95 vs cloth.
MASK_CLAIM = "N95 masks are better than clothe masks"
MASK_EVIDENCE = (
    "However, masks alone may not greatly slow down the COVID-19 pandemic unless they are "
    "coupled with adequate social distancing, diligent hand hygiene, and other proven "
    "preventive measures."
)
# SciFact dev (NOT_ENOUGH_INFO): the negation is in the clause about Gbeta, after "but".
GNB2_CLAIM = (
    "Mutations in G-Beta protein GNB2 are present in many cancers, resulting in loss of "
    "interaction with G-alpha subunits and concomitant activation of AKT pathway."
)
GNB2_EVIDENCE = (
    "Activating mutations in genes encoding G protein α (Gα) subunits occur in 4-5% of all "
    "human cancers, but oncogenic alterations in Gβ subunits have not been defined."
)
# Contradictions whose negation is about the claim (HealthVer Refutes, SciFact CONTRADICT).
HCQ_CLAIM = "covid-19 patients taking hydroxychloroquine do not benefit"
HCQ_EVIDENCE = (
    "There is theoretical, experimental, preclinical and clinical evidence of the effectiveness "
    "of chloroquine in patients affected with COVID-19."
)
SEX_CLAIM = "Cell autonomous sex determination in somatic cells does not occur in Galliformes."
SEX_EVIDENCE = (
    "Our study demonstrates that avian somatic cells possess an inherent sex identity and that, "
    "in birds, sexual differentiation is substantively cell autonomous."
)
IBUPROFEN_CLAIM = (
    "taking medication to lower fever, such as paracetamol (tylenol) and ibuprofen (advil) "
    "worsen COVID-19"
)
IBUPROFEN_EVIDENCE = (
    "In this cohort of COVID-19 patients, Ibuprofen use was not associated with worse clinical "
    "outcomes, compared to paracetamol or no antipyretic."
)


def test_a_negation_elsewhere_in_the_sentence_does_not_count() -> None:
    assert not negation_about(CHILDREN_CLAIM, CHILDREN_EVIDENCE)
    assert not negation_about(MASK_EVIDENCE, MASK_CLAIM)
    assert not negation_about(GNB2_EVIDENCE, GNB2_CLAIM)


def test_a_negation_about_the_claim_counts() -> None:
    assert negation_about(HCQ_CLAIM, HCQ_EVIDENCE)
    assert negation_about(SEX_CLAIM, SEX_EVIDENCE)
    # "worse" and "worsen" share a prefix the stemmer leaves apart.
    assert negation_about(IBUPROFEN_EVIDENCE, IBUPROFEN_CLAIM)
    assert not negation_about(HCQ_EVIDENCE, HCQ_CLAIM)  # no negation at all


def _verdicts(pairs: list[tuple[str, str]]) -> list[str]:
    probs = FallbackJudge().probabilities([c for c, _ in pairs], [e for _, e in pairs])
    return [LABELS[i].value for i in probs.argmax(axis=1)]


def test_the_fallback_no_longer_contradicts_on_an_unrelated_negation() -> None:
    unrelated = [
        (CHILDREN_CLAIM, CHILDREN_EVIDENCE),
        (MASK_CLAIM, MASK_EVIDENCE),
        (GNB2_CLAIM, GNB2_EVIDENCE),
    ]
    assert "CONTRADICTED" not in _verdicts(unrelated)
    about = [(HCQ_CLAIM, HCQ_EVIDENCE), (SEX_CLAIM, SEX_EVIDENCE)]
    assert _verdicts(about) == ["CONTRADICTED", "CONTRADICTED"]


def test_the_negation_of_a_restatement_flips_it() -> None:
    claim = "Ibuprofen use is associated with worse clinical outcomes in COVID-19 patients."
    judge = FallbackJudge()
    same, negated = judge.probabilities([claim, claim], [claim, IBUPROFEN_EVIDENCE])
    contradicted = LABELS.index(next(lab for lab in LABELS if lab.value == "CONTRADICTED"))
    assert negated[contradicted] > same[contradicted]


@pytest.mark.skipif(
    not (SHARED_DATA / "claims" / "scifact" / "claims_train.jsonl").is_file(),
    reason="needs the SciFact files of the shared data folder",
)
def test_the_fallback_calibration_constants_are_the_fit() -> None:
    from litcheck.verify.calibration import fit_calibration
    from litcheck.verify.data import calibration_pairs
    from litcheck.verify.labels import label_index

    pairs = calibration_pairs(SHARED_DATA)
    logits = FallbackJudge().logits([p.claim for p in pairs], [p.evidence for p in pairs])
    gold = np.array([label_index(p.label) for p in pairs], dtype=np.int64)
    fit = fit_calibration(logits, gold)
    assert fit.temperature == pytest.approx(FALLBACK_CALIBRATION.temperature, abs=0.01)
    assert fit.nei_bias == pytest.approx(FALLBACK_CALIBRATION.nei_bias, abs=1e-6)


def test_comparison_and_harm_words_are_directions() -> None:
    pairs = [
        (
            "XLM-R underperforms mBERT on cross-lingual benchmarks.",
            "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a "
            "variety of cross-lingual benchmarks.",
        ),
        (
            "Robust training hurts zero-shot cross-lingual transfer on text classification.",
            "The experimental results demonstrate that robust training improves zero-shot "
            "cross-lingual transfer on text classification tasks.",
        ),
    ]
    assert _verdicts(pairs) == ["CONTRADICTED", "CONTRADICTED"]
    same = [(pairs[0][1], pairs[0][1]), (pairs[1][1], pairs[1][1])]
    assert "CONTRADICTED" not in _verdicts(same)


def test_opposite_words_clash_only_when_each_text_says_one_side() -> None:
    from litcheck.verify.judge import opposite_words

    claim = "Learning alignments requires parallel corpora, which are cheap to obtain."
    evidence = (
        "Learning alignments usually requires sentence-level or word-level parallel corpora, "
        "which are expensive to be obtained for low-resource languages."
    )
    assert opposite_words(claim, evidence)
    assert not opposite_words(evidence, evidence)
    assert opposite_words("Training is stable.", "Training is unstable.")
    assert opposite_words(
        "The improvement is smaller in the generalized setting.",
        "The improvement is more significant in the generalized setting.",
    )
    # A text naming both sides ("stable and unstable runs") says neither.
    assert not opposite_words("Training is stable.", "We compare stable and unstable runs.")
    assert _verdicts([(claim, evidence)]) == ["CONTRADICTED"]
