"""A comparison whose winner and loser are swapped is a contradiction, whatever the wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcheck.models import Claim, Label
from litcheck.verify.comparison import comparisons, swapped
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.pipeline import verify_claims

from .conftest import HashEmbedder, library_of

XLMR = (
    "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a variety "
    "of cross-lingual benchmarks, including +14.6% average accuracy on XNLI."
)


@pytest.mark.parametrize(
    ("text", "winner", "loser"),
    [
        (XLMR, "XLM-R", "mBERT"),
        ("mBERT is outperformed by XLM-R on XNLI.", "XLM-R", "mBERT"),
        ("mBERT is consistently beaten by XLM-R.", "XLM-R", "mBERT"),
        ("Multilingual BERT beats XLM-R on cross-lingual benchmarks.", "mBERT", "XLM-R"),
        ("mBERT lags behind XLM-R by 3 points.", "XLM-R", "mBERT"),
        ("English transfers more effectively than German.", "en", "de"),
        ("XLM-R has lower error than mBERT.", "XLM-R", "mBERT"),
        ("XLM-R has lower accuracy than mBERT.", "mBERT", "XLM-R"),
    ],
)
def test_a_comparison_reads_its_winner(text: str, winner: str, loser: str) -> None:
    (c,) = comparisons(text)
    assert (c.winner, c.loser) == (winner, loser)


@pytest.mark.parametrize(
    "text",
    [
        "XLM-R does not outperform mBERT on XNLI.",  # negated: the denial rule's
        "German and Russian often transfer more effectively.",  # nothing named to compare with
        "XLM-R outperforms previous work on XNLI.",  # one name
        "XLM-R was trained; mBERT outperforms it.",  # the names are in two clauses
    ],
)
def test_no_comparison_read(text: str) -> None:
    assert comparisons(text) == []


@pytest.mark.parametrize(
    "claim",
    [
        "mBERT outperforms XLM-R on XNLI.",
        "Does mBERT outperform XLM-R on XNLI?",
        "XLM-R is outperformed by mBERT on XNLI.",
        "XLM-R lags behind multilingual BERT on XNLI.",
    ],
)
def test_a_swapped_comparison_is_found(claim: str) -> None:
    s = swapped(claim, ["Tokenizers differ.", XLMR])
    assert s is not None and s.sentence == XLMR
    assert (s.stated.winner, s.claim.winner) == ("XLM-R", "mBERT")


@pytest.mark.parametrize(
    ("claim", "sentences"),
    [
        # The same order: agreement.
        ("XLM-R outperforms mBERT on XNLI.", [XLMR]),
        ("mBERT is outperformed by XLM-R on XNLI.", [XLMR]),
        # A benchmark the sentence does not name: maybe another result.
        ("mBERT outperforms XLM-R on NER.", [XLMR]),
        # The sentence states both orders (two tasks): nothing decided.
        (
            "RS-DA outperforms adversarial training.",
            [
                "RS-DA beats adversarial training on PAWS-X, while adversarial training beats "
                "RS-DA on XNLI."
            ],
        ),
    ],
)
def test_no_swap(claim: str, sentences: list[str]) -> None:
    assert swapped(claim, sentences) is None


def test_verify_contradicts_a_swapped_comparison(tmp_path: Path, embedder: HashEmbedder) -> None:
    paper = {
        "arxiv_id": "1911.02116",
        "title": "Unsupervised Cross-lingual Representation Learning at Scale",
        "authors": ["Alexis Conneau"],
        "abstract": f"We train a model on one hundred languages. {XLMR}",
    }
    lib = library_of(tmp_path, [paper])
    index = PassageIndex.open(lib, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(id="swap", text="mBERT outperforms XLM-R on XNLI.", cites=["1911.02116"]),
        Claim(id="same", text="XLM-R outperforms mBERT on XNLI.", cites=["1911.02116"]),
    ]
    by_id = {
        v.id: v for v in verify_claims(claims, lib, index, FallbackJudge(), show_progress=False)
    }
    swap = by_id["swap"]
    assert swap.verdict is Label.CONTRADICTED and swap.evidence[0].text == XLMR
    assert "XLM-R ahead of mBERT" in (swap.reason or "")
    assert by_id["same"].verdict is not Label.CONTRADICTED
