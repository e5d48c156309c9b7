"""A negation decides only in place: right before a phrase the other text states."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcheck.library import Library
from litcheck.models import Claim, Label
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.negation import denied
from litcheck.verify.pipeline import verify_claims

from .conftest import HashEmbedder

MBERT = (
    "We show that mBERT representations can be split into a language-specific component and a "
    "language-neutral component, and that the language-neutral component is sufficiently "
    "general in terms of modeling semantics to allow high-accuracy word-alignment and sentence "
    "retrieval but is not yet good enough for the more difficult task of MT quality estimation."
)
ROBUST = (
    "The experimental results demonstrate that robust training improves zero-shot cross-lingual "
    "transfer on text classification tasks."
)


def test_a_sentence_that_denies_the_claim_in_place() -> None:
    d = denied(
        "The language-neutral component of mBERT is good enough for MT quality estimation.",
        [MBERT],
    )
    assert d is not None and not d.claim_negated
    assert d.phrase == "not yet good enough for" and d.sentence == MBERT


@pytest.mark.parametrize(
    "claim",
    [
        "Robust training does not improve zero-shot cross-lingual transfer.",
        "Robust training doesn't improve zero-shot cross-lingual transfer.",
        "Robust training doesn’t improve zero-shot cross-lingual transfer.",
        "Robust training never improves zero-shot cross-lingual transfer.",
    ],
)
def test_a_claim_that_denies_the_sentence_in_place(claim: str) -> None:
    d = denied(claim, [ROBUST])
    assert d is not None and d.claim_negated


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        # What is negated is something else the sentence speaks of.
        (
            "Aspirin lowers blood pressure.",
            "Aspirin lowers blood pressure in patients with no history of stroke.",
        ),
        (
            "Aspirin reduces the risk of stroke.",
            "Aspirin reduces the risk of stroke but not of MI.",
        ),
        # A claim the sentence supports in other words: the negated phrase is not the claim's.
        ("mBERT enables high-accuracy word-alignment and sentence retrieval.", MBERT),
        # "not only", "whether or not": no denial.
        (
            "Robust training improves zero-shot cross-lingual transfer.",
            "Robust training not only improves zero-shot cross-lingual transfer but also more.",
        ),
        (
            "Whether or not robust training improves transfer is studied.",
            "Robust training improves transfer.",
        ),
        # Both negated: they agree.
        (
            "Robust training does not improve transfer to Swahili.",
            "Robust training does not improve transfer to Swahili.",
        ),
        # The sentence holds too little of the claim to be about the same statement.
        (
            "Robust training improves zero-shot transfer for low-resource languages in QA.",
            "Robust training does not improve zero-shot transfer.",
        ),
    ],
)
def test_no_denial_out_of_place(claim: str, sentence: str) -> None:
    assert denied(claim, [sentence]) is None


def test_verify_makes_a_denial_a_contradiction(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(id="denies", text="XLM-R does not outperform mBERT on XNLI.", cites=["1911.02116"]),
        Claim(id="states", text="XLM-R outperforms mBERT on XNLI.", cites=["1911.02116"]),
    ]
    by_id = {
        v.id: v for v in verify_claims(claims, library, index, FallbackJudge(), show_progress=False)
    }
    denial = by_id["denies"]
    assert denial.verdict is Label.CONTRADICTED and "the claim denies" in (denial.reason or "")
    assert denial.evidence[0].role == "contradicts" and "outperforms" in denial.evidence[0].text
    assert "the claim denies" not in (by_id["states"].reason or "")
    assert by_id["states"].verdict is not Label.CONTRADICTED
