"""Opposites in other words, and universal claims on hedged evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcheck.library import Library
from litcheck.models import Claim, Label
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.opposites import opposed
from litcheck.verify.pipeline import verify_claims
from litcheck.verify.scope import overstated

from .conftest import HashEmbedder, library_of

GAP = (
    "We demonstrate that while models tested on English reach human performance on many tasks, "
    "there is still a sizable gap in the performance of cross-lingually transferred models."
)
SPREAD = "There is also a wide spread of results across languages."
COST = (
    "Learning alignments usually requires parallel corpora, which are expensive to obtain for "
    "low-resource languages."
)
TYPOLOGY = "Transfer works best between typologically similar languages."
ROBUST = "Robust training improves zero-shot cross-lingual transfer on text classification tasks."
OFTEN = "Other high-resource languages such as German and Russian often transfer more effectively."


@pytest.mark.parametrize(
    ("claim", "sentence", "words"),
    [
        (
            "Cross-lingually transferred models show only a small gap in performance.",
            GAP,
            ("small", "sizable"),
        ),
        ("Results are fairly uniform across languages.", SPREAD, ("uniform", "spread")),
        (
            "Learning alignments requires parallel corpora, which are cheap to obtain for "
            "low-resource languages.",
            COST,
            ("cheap", "expensive"),
        ),
        (
            "Transfer works best between typologically dissimilar languages.",
            TYPOLOGY,
            ("dissimilar", "similar"),
        ),
        (
            "Robust training hurts zero-shot cross-lingual transfer on text classification.",
            ROBUST,
            ("hurts", "improves"),
        ),
    ],
)
def test_an_opposite_in_other_words(claim: str, sentence: str, words: tuple[str, str]) -> None:
    o = opposed(claim, ["An unrelated sentence about tokenizers.", sentence])
    assert o is not None and (o.claim_word, o.sentence_word) == words
    assert o.sentence == sentence


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        # The same pole: agreement.
        ("There is a sizable gap in the performance of transferred models.", GAP),
        # Size words that name a population, not an effect.
        ("The method helps small models on XNLI.", "The method helps large models on XNLI."),
        # Two measures: lower error is higher accuracy.
        (
            "Robust training yields higher accuracy on XNLI in the generalized setting.",
            "Robust training yields lower error on XNLI in the generalized setting.",
        ),
        # A swapped comparison says the same thing.
        (
            "mBERT scores lower than XLM-R on XNLI.",
            "XLM-R scores higher than mBERT on XNLI.",
        ),
        # The sentence names both poles (about two groups): no opposite.
        (
            "The treatment increases mortality in women.",
            "The treatment increases mortality in men but decreases mortality in women.",
        ),
        # A negation near a pole is the denial rule's business.
        ("There is not a small gap in the performance of transferred models.", GAP),
        # Too little of the claim is in the sentence.
        ("Robust training hurts question answering in Swahili and Yoruba.", ROBUST),
        # "supervised" / "unsupervised" name kinds of training.
        (
            "Supervised pretraining improves cross-lingual transfer.",
            "Unsupervised pretraining improves cross-lingual transfer.",
        ),
    ],
)
def test_no_opposite(claim: str, sentence: str) -> None:
    assert opposed(claim, [sentence]) is None


@pytest.mark.parametrize(
    ("claim", "universal", "hedge"),
    [
        ("German and Russian always transfer more effectively.", "always", "often"),
        (
            "Other high-resource languages such as German and Russian transfer more effectively "
            "in all cases.",
            "in all cases",
            "often",
        ),
    ],
)
def test_a_universal_claim_on_hedged_evidence(claim: str, universal: str, hedge: str) -> None:
    o = overstated(claim, OFTEN)
    assert o is not None and (o.universal, o.hedge) == (universal, hedge)


@pytest.mark.parametrize(
    ("claim", "sentence"),
    [
        # The claim is not universal.
        ("German and Russian often transfer more effectively.", OFTEN),
        ("German and Russian transfer more effectively.", OFTEN),
        # The evidence is universal too.
        (
            "XLM-R outperforms mBERT on all languages.",
            "XLM-R can outperform mBERT on all languages.",
        ),
        # The evidence is not hedged.
        ("XLM-R always outperforms mBERT on XNLI.", "XLM-R outperforms mBERT on XNLI."),
        # "not all" is no universal.
        ("Not all languages benefit from intermediate training.", "Some languages can benefit."),
        # The hedged sentence is about something else.
        ("Robust training always improves transfer to Swahili.", OFTEN),
    ],
)
def test_no_overstatement(claim: str, sentence: str) -> None:
    assert overstated(claim, sentence) is None


@pytest.fixture
def xtreme_library(tmp_path: Path) -> Library:
    paper = {
        "arxiv_id": "2003.11080",
        "title": "XTREME: A Massively Multilingual Multi-task Benchmark",
        "authors": ["Junjie Hu"],
        "abstract": f"We introduce the XTREME benchmark across 40 languages and 9 tasks. {GAP} "
        f"{SPREAD} {OFTEN}",
    }
    return library_of(tmp_path, [paper])


def test_verify_gives_opposites_and_overstatements_their_verdicts(
    xtreme_library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(xtreme_library, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(
            id="opposite",
            text="Cross-lingually transferred models show only a small gap in performance.",
            cites=["2003.11080"],
        ),
        Claim(
            id="always",
            text="Other high-resource languages such as German and Russian always transfer "
            "more effectively.",
            cites=["2003.11080"],
        ),
    ]
    by_id = {
        v.id: v
        for v in verify_claims(claims, xtreme_library, index, FallbackJudge(), show_progress=False)
    }
    opposite = by_id["opposite"]
    assert opposite.verdict is Label.CONTRADICTED
    assert "sizable" in (opposite.reason or "") and opposite.evidence[0].text == GAP
    assert opposite.evidence[0].role == "contradicts"
    always = by_id["always"]
    assert always.verdict is Label.NOT_ENOUGH_INFO and always.leaning is Label.SUPPORTED
    assert "“always”" in (always.reason or "") and "“often”" in (always.reason or "")
