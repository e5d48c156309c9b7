"""A claim quoting an evidence sentence is SUPPORTED; one word turned over is not a quote."""

from __future__ import annotations

import pytest

from litcheck.verify.judge import aligned_opposite
from litcheck.verify.restatement import restated

SENTENCE = (
    "We show that mBERT representations can be split into a language-specific component and "
    "a language-neutral component."
)


def test_a_verbatim_or_trimmed_quote_is_a_restatement() -> None:
    assert restated(SENTENCE, [SENTENCE]) == SENTENCE
    assert restated(SENTENCE.upper().rstrip("."), ["Other text.", SENTENCE]) == SENTENCE
    vetted = "However, this default choice has not been systematically vetted."
    assert restated("However, this default choice has not been vetted.", [vetted]) == vetted


@pytest.mark.parametrize(
    "claim",
    [
        # a word turned into its opposite, however close the rest
        SENTENCE.replace("language-specific", "language-agnostic"),
        "We show that mBERT representations cannot be split into a language-specific "
        "component and a language-neutral component.",
        # a hedge or a qualifier left out changes what is said
        "Robust training improves transfer on every task.",
        # another figure
        "XLM-R improves XNLI accuracy by 15.8% for Swahili.",
    ],
)
def test_a_changed_claim_is_not_a_restatement(claim: str) -> None:
    evidence = [
        SENTENCE,
        "Robust training may improve transfer on every task.",
        "XLM-R improves XNLI accuracy by 15.7% for Swahili.",
    ]
    assert restated(claim, evidence) is None


def test_an_opposite_in_place_is_read_even_where_both_words_occur() -> None:
    evidence = (
        "mBERT does better than or comparable to baselines on high resource languages but does "
        "much worse for low resource languages."
    )
    assert aligned_opposite(evidence.replace("better", "worse", 1), evidence)
    hr = "Cross-lingual transfer, where a high-resource transfer language is used to help."
    assert aligned_opposite(hr.replace("high-resource", "low-resource"), hr)
    assert aligned_opposite(
        "We perform a small-scale study on RoBERTa.", "We perform a large-scale study on RoBERTa."
    )
    assert aligned_opposite(
        "Training is stable on all tasks.", "Training is unstable on all tasks."
    )
    assert not aligned_opposite(evidence, evidence)
    assert not aligned_opposite(
        "We perform a careful study on RoBERTa.", "We perform a large-scale study on RoBERTa."
    )
