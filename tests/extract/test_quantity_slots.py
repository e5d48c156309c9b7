"""A figure is a slot: the quantity parser on real abstract sentences (issue 15 item 3) and on
numbers that used to break it (issue 18 item 1).

Sentences marked *abstract* are quoted from the paper's arXiv abstract; those marked *written*
state a case of the issue in the words of this field (the issue's own examples).
"""

from __future__ import annotations

import json

import pytest
from tests.abstract_sentences import BERT_RESULTS, XLMR_LOW_RESOURCE, XLMR_VS_MBERT

from litcheck.extract.offline import extract_claims
from litcheck.extract.quantities import MAX_DIGITS, parse_quantities, read_number
from litcheck.models import Paper, Passage, Quantity

# abstract: Lample and Conneau 2019, "Cross-lingual Language Model Pretraining" (XLM),
# arXiv 1901.07291.
XLM_XNLI = "On XNLI, our approach pushes the state of the art by an absolute gain of 4.9% accuracy."
XLM_MT = (
    "On unsupervised machine translation, we obtain 34.3 BLEU on WMT'16 German-English, "
    "improving the previous state of the art by more than 9 BLEU."
)
# abstract: Howard and Ruder 2018, "Universal Language Model Fine-tuning for Text
# Classification" (ULMFiT), arXiv 1801.06146.
ULMFIT = (
    "Our method significantly outperforms the state-of-the-art on six text classification "
    "tasks, reducing the error by 18-24% on the majority of datasets."
)


def only(text: str) -> Quantity:
    found = parse_quantities(text)
    assert len(found) == 1, found
    return found[0]


def test_per_language_improvements_are_changes_with_their_language() -> None:
    sw, ur = parse_quantities(XLMR_LOW_RESOURCE)
    assert (sw.delta, sw.languages, sw.dataset, sw.metric) == (15.7, ["sw"], "XNLI", "accuracy")
    # "11.4% for Urdu" is the figure for Urdu, and it is a change as its neighbour is.
    assert (ur.delta, ur.unit, ur.languages, ur.dataset) == (11.4, "%", ["ur"], "XNLI")
    assert ur.direction == "increase" and ur.baseline == "XLM" and ur.value is None


def test_outperforms_by_is_a_delta_against_the_baseline() -> None:
    xnli, mlqa, ner = parse_quantities(XLMR_VS_MBERT)
    assert [(q.delta, q.dataset, q.baseline) for q in (xnli, mlqa, ner)] == [
        (14.6, "XNLI", "mBERT"),
        (13.0, "MLQA", "mBERT"),
        (2.4, None, "mBERT"),
    ]
    assert {q.direction for q in (xnli, mlqa, ner)} == {"increase"}
    q = only("XLM-R outperforms mBERT by 2.1 points on PAWS-X.")  # written
    assert (q.delta, q.unit, q.baseline, q.model, q.dataset) == (
        2.1,
        "points",
        "mBERT",
        "XLM-R",
        "PAWS-X",
    )


def test_absolute_improvements_in_parentheses_are_changes() -> None:
    qs = parse_quantities(BERT_RESULTS)
    shown = [(q.value, q.delta, q.unit, q.dataset) for q in qs]
    assert shown == [
        (80.5, None, "%", "GLUE"),
        (None, 7.7, "points", "GLUE"),
        (86.7, None, "%", "MultiNLI"),
        (None, 4.6, "points", "MultiNLI"),
        (93.2, None, "absolute", "SQuAD"),
        (None, 1.5, "points", "SQuAD"),
        (83.1, None, "absolute", "SQuAD"),
        (None, 5.1, "points", "SQuAD"),
    ]
    assert not any(q.relative for q in qs)
    gain = only(XLM_XNLI)
    assert (gain.delta, gain.dataset, gain.metric, gain.relative) == (
        4.9,
        "XNLI",
        "accuracy",
        False,
    )


def test_more_than_is_a_lower_bound() -> None:
    bleu, gain = parse_quantities(XLM_MT)
    assert (bleu.value, bleu.metric, bleu.dataset, bleu.bound) == (34.3, "BLEU", "WMT16", None)
    assert (gain.delta, gain.bound, gain.direction) == (9.0, "at least", "increase")


def test_relative_improvement_is_relative_and_takes_the_dataset_of_its_clause() -> None:
    # written (issue 15): MultiNLI is named in the sentence, but as the training data.
    q = only("Intermediate fine-tuning on MultiNLI gives a 2.4% relative improvement on PAWS-X.")
    assert (q.delta, q.unit, q.relative, q.direction, q.dataset) == (
        2.4,
        "%",
        True,
        "increase",
        "PAWS-X",
    )
    # written: MultiNLI in another clause of the same sentence.
    q = parse_quantities(
        "Accuracy on MultiNLI is unchanged, while robust training yields a 2.4% relative "
        "improvement on PAWS-X."
    )[0]
    assert (q.dataset, q.relative) == ("PAWS-X", True)
    rel = only("Smoothing reduces the error rate by 12% relative to the baseline.")
    assert (rel.delta, rel.relative, rel.direction) == (-12.0, True, "decrease")
    absolute = only("We observe a 2.5% absolute improvement on XNLI.")
    assert (absolute.unit, absolute.relative) == ("points", False)


def test_within_n_points_bounds_a_difference() -> None:
    # written (issue 15): not an accuracy of 1.1.
    q = only("On XNLI, zero-shot accuracy for German stays within 1.1 points of English.")
    assert (q.value, q.delta, q.bound, q.direction, q.unit) == (
        None,
        1.1,
        "at most",
        "none",
        "points",
    )


def test_ranges_and_ranges_of_changes() -> None:
    err = only(ULMFIT)
    assert (err.low, err.high, err.unit, err.direction) == (18.0, 24.0, "%", "decrease")
    assert err.value is None and err.delta is None
    up = only("Accuracy improves by 3-5% on XNLI.")  # written
    assert (up.low, up.high, up.direction, up.dataset) == (3.0, 5.0, "increase", "XNLI")
    between = only("Gains on PAWS-X lie between 3 and 5 points.")  # written
    assert (between.low, between.high, between.unit) == (3.0, 5.0, "points")
    plain = only("Across the seven PAWS-X languages, accuracy ranges from 81.2% to 89.5%.")
    assert (plain.low, plain.high, plain.direction, plain.baseline_value) == (
        81.2,
        89.5,
        "none",
        None,
    )


def test_from_a_to_b_has_baseline_value_and_delta() -> None:
    up = only("The average F1 on MLQA rises from 72.3 to 74.4.")  # written
    assert (up.baseline_value, up.value, up.delta, up.direction) == (72.3, 74.4, 2.1, "increase")
    (wer,) = parse_quantities("It reduces the word error rate from 12.1% to 9.8% on LibriSpeech.")
    assert (wer.baseline_value, wer.value, wer.delta, wer.direction) == (
        12.1,
        9.8,
        -2.3,
        "decrease",
    )


def test_a_change_named_as_the_subject_of_its_figure() -> None:
    q = only("On XNLI, the accuracy gain of XLM-R for Urdu over XLM is 11.4%.")
    assert (q.delta, q.languages, q.baseline) == (11.4, ["ur"], "XLM")
    assert only("The training loss is 0.35.").value == 0.35  # a loss value, not a drop


# -- numbers that break the parsers (issue 18 item 1) --------------------------------------

HUGE = [
    "Our model reaches 1e999 accuracy on XNLI.",
    "The loss falls to 1e-999 after training.",
    "A value of 3e" + "9" * 5000 + " was logged.",
    "Accuracy improves by " + "9" * 400 + "% on PAWS-X.",
    "It rises from 1" + "0" * 400 + " to 2" + "0" * 400 + " points.",
    "We train on 1.7e308B tokens.",
    "Accuracy is " + "1" * 5000 + "." + "1" * 5000 + " on XNLI.",
    "Accuracy is 90 ± 1e999 on XNLI.",
]


@pytest.mark.parametrize("text", HUGE, ids=range(len(HUGE)))
def test_out_of_range_numbers_are_text_with_a_reason(text: str) -> None:
    quantities = parse_quantities(text)
    assert quantities, "the number is kept, as text"
    kept = [q for q in quantities if not q.numeric]
    assert kept and all(q.note and "kept as text" in q.note for q in kept)
    assert all(q.value is None and q.delta is None and q.low is None for q in kept)
    for q in quantities:
        json.dumps(q.model_dump(mode="json"), allow_nan=False)


def test_a_long_exponent_of_leading_zeros_is_still_a_number() -> None:
    # int() of these 4,991 digits would raise ValueError (Python's digit limit).
    q = only("The score is 2.5e-" + "0" * 4990 + "7 on MLQA.")
    assert q.numeric and q.value == pytest.approx(2.5e-7) and q.dataset == "MLQA"


def test_the_named_cases_of_the_issue() -> None:
    (q,) = parse_quantities("1e999")
    assert not q.numeric and "exponent 999" in (q.note or "")
    (q,) = parse_quantities("1e" + "5" * 5000)
    assert not q.numeric and len(q.note or "") < 200  # the reason does not echo 5,000 digits
    (q,) = parse_quantities("9" * 400 + "%")
    assert not q.numeric and q.unit == "%" and "400-digit" in (q.note or "")


def test_read_number_bounds() -> None:
    assert read_number("2", "-5").value == pytest.approx(2e-5)
    assert read_number("2", "-5").decimals == 5
    assert read_number("49,401").value == 49401.0
    assert read_number("1", "300").value == 1e300
    assert read_number("1", "301").value is None
    assert read_number("9" * MAX_DIGITS).value is not None
    assert read_number("9" * (MAX_DIGITS + 1)).value is None
    assert read_number("0" * 500 + "1.5").value == 1.5  # leading zeros are not digits
    assert read_number("1", "-" + "0" * 5000 + "3").value == pytest.approx(1e-3)
    assert read_number("1", "2", scale=1e300).value is None
    assert read_number("").value is None and read_number("1.2.3").value is None


def test_extracted_claims_always_serialise_as_standard_json() -> None:
    paper = Paper(arxiv_id="2104.08645", version=2, title="Robust training")
    text = " ".join(HUGE) + " " + XLMR_LOW_RESOURCE
    passage = Passage(
        id="2104.08645:1:0",
        paper_id="2104.08645",
        section_index=1,
        section_title="Results",
        index=0,
        start=0,
        end=len(text),
        text=text,
    )
    claims = extract_claims(paper, [passage])
    assert any(not q.numeric for c in claims for q in c.quantities)
    for claim in claims:
        json.dumps(claim.model_dump(mode="json"), allow_nan=False)
