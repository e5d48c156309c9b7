"""Counts and sizes: "50 languages" against "one hundred languages" is a contradiction."""

from __future__ import annotations

import pytest

from litcheck.models import Label
from litcheck.verify.counts import check_counts, parse_counts
from litcheck.verify.numeric import check_numbers

XLMR = (
    "We train a Transformer-based masked language model on one hundred languages, using more "
    "than two terabytes of filtered CommonCrawl data."
)
XTREME = "XTREME covers 40 typologically diverse languages spanning 12 language families."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (XLMR, [(100.0, "languag", None), (2e12, "byte", "at least")]),
        (
            "Our largest model has 270M parameters and 24 layers.",
            [(2.7e8, "parameter", None), (24.0, "layer", None)],
        ),
        (
            "twenty-four layers and 3.2 billion tokens",
            [(24.0, "layer", None), (3.2e9, "token", None)],
        ),
        ("The dataset contains 1,409 expert-written claims.", [(1409.0, "claim", None)]),
        ("less than 1.5TB of text", [(1.5e12, "byte", "at most")]),
        ("about a hundred samples", [(100.0, "sampl", "about")]),
        # The head is the first plural of the words after the number, acronyms aside.
        (
            "a dataset of 23,659 human translated PAWS evaluation pairs",
            [(23659.0, "pair", None)],
        ),
        (
            "on 5 NLP tasks covering a total of 39 languages",
            [(5.0, "task", None), (39.0, "languag", None)],
        ),
    ],
)
def test_counts_are_read_with_what_they_count(
    text: str, expected: list[tuple[float, str, str | None]]
) -> None:
    got = [(c.value, c.head, c.bound) for c in parse_counts(text)]
    assert got == [(pytest.approx(v), h, b) for v, h, b in expected]


@pytest.mark.parametrize(
    "text",
    [
        "In 2019 we ran it 3 times; see Table 2 and Section 4.",
        "Top-5 accuracy is 76.1% on XNLI.",
        "One of the models is one model among many.",
        "It improves by 2 points.",
    ],
)
def test_years_labels_multipliers_and_scores_are_not_counts(text: str) -> None:
    assert parse_counts(text) == []


def test_a_count_of_the_same_thing_decides() -> None:
    [wrong] = check_counts("XLM-R is trained on 50 languages.", [XLMR])
    assert wrong.status == "contradicted"
    assert "one hundred languages" in wrong.reason
    [right] = check_counts("XLM-R is trained on 100 languages.", [XLMR])
    assert right.status == "stated"
    [bound] = check_counts("XLM-R uses less than one terabyte of CommonCrawl data.", [XLMR])
    assert bound.status == "contradicted"
    [inside] = check_counts("XLM-R is pretrained on 2.5TB of filtered CommonCrawl data.", [XLMR])
    assert inside.status == "unmatched"  # "more than two terabytes" neither states nor excludes


def test_the_head_says_what_is_counted() -> None:
    # 12 counts language families, 40 counts languages.
    assert check_counts("XTREME covers 12 languages.", [XTREME])[0].status == "contradicted"
    assert check_counts("XTREME covers 40 languages.", [XTREME])[0].status == "stated"
    assert check_counts("XTREME spans 12 language families.", [XTREME])[0].status == "stated"
    assert check_counts("XTREME spans 40 language families.", [XTREME])[0].status == (
        "contradicted"
    )


def test_another_subject_or_another_model_does_not_contradict() -> None:
    mbert = "Multilingual BERT (mBERT) is pretrained on Wikipedia in 104 languages."
    assert check_counts("XLM-R covers 100 languages.", [mbert])[0].status == "unmatched"
    other = "The survey received answers from 300 participants in 12 countries."
    assert check_counts("XLM-R is trained on 50 languages.", [other])[0].status == "unmatched"


def test_a_count_stated_for_a_variant_of_the_name_is_not_contradicted_by_another() -> None:
    # "BERT" in a sentence about the release of mBERT states mBERT's count; a count of the
    # evaluation languages elsewhere must not then contradict it.
    evidence = [
        "This paper explores mBERT as a zero shot transfer model on 5 NLP tasks covering a "
        "total of 39 languages.",
        "A new release of BERT includes a model simultaneously pretrained on 104 languages.",
    ]
    [stated] = check_counts("mBERT was pretrained on 104 languages.", evidence)
    assert stated.status == "stated" and "104 languages" in stated.reason
    # A variant's count never contradicts: only the strict subject test lets one do that.
    [unmatched] = check_counts("mBERT was pretrained on 50 languages.", evidence[1:])
    assert unmatched.status == "unmatched"


def test_the_numeric_check_makes_a_contradicted_count_a_verdict() -> None:
    result = check_numbers("XLM-R is trained on 50 languages.", [XLMR], text_label=Label.SUPPORTED)
    assert result.label is Label.CONTRADICTED
    assert result.contradicting == [XLMR]
    # A count the evidence states leaves the verdict to the text judge: it may be another
    # model's count, so it never makes the claim SUPPORTED by itself.
    stated = check_numbers("XLM-R is trained on 100 languages.", [XLMR], text_label=Label.SUPPORTED)
    assert stated.label is None
