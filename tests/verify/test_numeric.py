"""The numeric checker: figures as slots, reasons that name the evidence figure, abstention.

Evidence sentences marked *abstract* are quoted from arXiv abstracts: XLM-R (Conneau et al.
2020, 1911.02116), BERT (Devlin et al. 2019, 1810.04805), XLM (Lample and Conneau 2019,
1901.07291), LaBSE (Feng et al. 2022, 2007.01852). Those marked *written* state a case of
issue 15 in the words of this field.
"""

from __future__ import annotations

import json

import pytest
from tests.abstract_sentences import BERT_RESULTS, XLMR_LOW_RESOURCE, XLMR_VS_MBERT

from litcheck.models import Label
from litcheck.verify.numeric import apply_numeric, check_numbers, parse_figures

# abstract (XLM)
XLM_MT = (
    "On unsupervised machine translation, we obtain 34.3 BLEU on WMT'16 German-English, "
    "improving the previous state of the art by more than 9 BLEU."
)
# abstract (LaBSE)
LABSE = (
    "Composing the best of these methods produces a model that achieves 83.7% bi-text retrieval "
    "accuracy over 112 languages on Tatoeba, well above the 65.5% achieved by LASER, while "
    "still performing competitively on monolingual transfer learning benchmarks."
)
# abstract (Huang et al. 2021, robust training for zero-shot cross-lingual transfer,
# 2104.08645): a sentence with no figure.
ROBUST_XLT = (
    "Pre-trained multilingual language encoders, such as multilingual BERT and XLM-R, show "
    "great potential for zero-shot cross-lingual transfer."
)


def test_true_claim_for_urdu_is_supported_and_names_the_evidence_figure() -> None:
    result = check_numbers("XLM-R improves XNLI accuracy by 11.4% for Urdu.", [XLMR_LOW_RESOURCE])
    assert result.label is Label.SUPPORTED and not result.abstained
    (check,) = result.checks
    assert check.status == "stated" and check.evidence_value == 11.4
    assert check.evidence_text == XLMR_LOW_RESOURCE and check.evidence_span is not None
    lo, hi = check.evidence_span
    assert XLMR_LOW_RESOURCE[lo:hi] == "11.4%"
    assert "11.4%" in result.reason and "for Urdu" in result.reason
    assert f"[chars {lo}-{hi}]" in result.reason
    # Said as the subject of its figure, the claim is the same figure.
    same = check_numbers(
        "On XNLI, the accuracy gain of XLM-R for Urdu over XLM is 11.4%.", [XLMR_LOW_RESOURCE]
    )
    assert same.label is Label.SUPPORTED


def test_another_figure_in_the_same_slot_contradicts() -> None:
    result = check_numbers("XLM-R improves XNLI accuracy by 15.7% for Urdu.", [XLMR_LOW_RESOURCE])
    assert result.label is Label.CONTRADICTED
    assert "+15.7%" in result.reason and "+11.4%" in result.reason
    assert result.checks[0].status == "contradicted" and result.checks[0].evidence_value == 11.4


def test_a_figure_for_another_language_is_no_match_and_says_so() -> None:
    result = check_numbers("XLM-R improves XNLI accuracy by 11.4% for German.", [XLMR_LOW_RESOURCE])
    assert result.label is Label.NOT_ENOUGH_INFO and result.abstained
    assert "no evidence figure for accuracy on XNLI for German" in result.reason
    assert "is for Urdu, not German" in result.reason
    assert result.checks[0].status == "unmatched"


def test_a_value_is_not_matched_with_a_change() -> None:
    result = check_numbers("XLM-R reaches 11.4% XNLI accuracy for Urdu.", [XLMR_LOW_RESOURCE])
    assert result.abstained and "is a change, not a value" in result.reason


def test_no_evidence_figure_is_an_abstention_never_a_contradiction() -> None:
    claim = "The cross-lingual transfer performance improves by 2.1 points on PAWS-X."
    result = check_numbers(claim, [ROBUST_XLT])
    assert result.abstained and result.label is Label.NOT_ENOUGH_INFO
    assert (
        result.reason
        == "no evidence figure for PAWS-X (+2.1 points): the evidence states no figure"
    )
    # With the text judge's label the checker lets CONTRADICTED / NOT_ENOUGH_INFO stand and
    # only refuses a SUPPORTED it cannot back.
    assert check_numbers(claim, [ROBUST_XLT], text_label=Label.CONTRADICTED).label is None
    assert check_numbers(claim, [ROBUST_XLT], text_label=Label.NOT_ENOUGH_INFO).label is None
    assert (
        check_numbers(claim, [ROBUST_XLT], text_label=Label.SUPPORTED).label
        is Label.NOT_ENOUGH_INFO
    )
    label, reason = apply_numeric(Label.CONTRADICTED, result)
    assert label is Label.CONTRADICTED and reason is not None
    assert reason.startswith("numeric check abstains: no evidence figure for PAWS-X")
    assert "overrides" not in reason
    label, reason = apply_numeric(Label.SUPPORTED, result)
    assert label is Label.NOT_ENOUGH_INFO and "does not stand" in (reason or "")


def test_a_figure_for_an_unnamed_benchmark_is_no_match_for_a_named_one() -> None:
    result = check_numbers("XLM-R improves F1 by 2.4% on PAWS-X.", [XLMR_VS_MBERT])
    assert result.abstained and "no evidence figure for F1 on PAWS-X" in result.reason
    wrong = check_numbers("XLM-R improves over mBERT by 2.4% F1 on MLQA.", [XLMR_VS_MBERT])
    assert wrong.label is Label.CONTRADICTED and "+13%" in wrong.reason


def test_absolute_improvements_of_bert() -> None:
    ok = check_numbers("BERT improves MultiNLI accuracy by 4.6 points.", [BERT_RESULTS])
    assert ok.label is Label.SUPPORTED
    value = check_numbers("BERT reaches 86.7% accuracy on MultiNLI.", [BERT_RESULTS])
    assert value.label is Label.SUPPORTED
    wrong = check_numbers("MultiNLI accuracy is 85.7%.", [BERT_RESULTS])
    assert wrong.label is Label.CONTRADICTED and "86.7%" in wrong.reason
    # The evidence sentence never names BERT: a claim about BERT finds no figure "about" it to
    # contradict, only one to support.
    other = check_numbers("BERT reaches 85.7% accuracy on MultiNLI.", [BERT_RESULTS])
    assert other.abstained


def test_relative_change_is_computed_from_two_values() -> None:
    evidence = ["On PAWS-X, accuracy rises from 84.2 to 86.3 with robust training."]  # written
    rel = check_numbers("Robust training gives a 2.5% relative improvement on PAWS-X.", evidence)
    assert rel.label is Label.SUPPORTED and rel.checks[0].status == "computed"
    assert "relative change" in rel.reason and "84.2" in rel.reason and "86.3" in rel.reason
    absolute = check_numbers("Robust training improves PAWS-X accuracy by 2.1 points.", evidence)
    assert absolute.label is Label.SUPPORTED
    # LaBSE's abstract states both values: the +18.2 points over LASER follow from them.
    delta = check_numbers(
        "LaBSE improves Tatoeba retrieval accuracy over LASER by 18.2 points.", [LABSE]
    )
    assert delta.label is Label.SUPPORTED and delta.checks[0].status == "computed"


def test_relative_and_absolute_changes_are_different_slots() -> None:
    result = check_numbers(
        "Robust training gives a 2.4% relative improvement on PAWS-X.",  # written
        ["Robust training improves PAWS-X accuracy by 2.4 points."],
    )
    assert result.abstained and "absolute change (points), not a relative one" in result.reason


def test_within_n_points_is_a_bound_on_a_difference() -> None:
    claim = "On PAWS-X, German accuracy stays within 1.1 points of English."  # written
    near = check_numbers(claim, ["On PAWS-X, the gap between German and English is 0.9 points."])
    assert near.label is Label.SUPPORTED and near.checks[0].evidence_value == 0.9
    far = check_numbers(claim, ["On PAWS-X, the gap between German and English is 3.2 points."])
    assert far.label is Label.CONTRADICTED and "not at most 1.1 points" in far.reason
    # "within 1.1 points" is no accuracy of 1.1: an accuracy figure says nothing of it.
    acc = check_numbers(claim, ["On PAWS-X, German accuracy is 87.6."])
    assert acc.abstained


def test_lower_bound_of_xlm() -> None:
    ok = check_numbers(
        "XLM improves the previous state of the art on WMT'16 German-English by 9.5 BLEU.",
        ["XLM improves the previous state of the art on WMT'16 German-English by 9.5 BLEU."],
    )
    assert ok.label is Label.SUPPORTED
    too_small = check_numbers(
        "On WMT'16, XLM improves the previous state of the art by 4 BLEU.", [XLM_MT]
    )
    assert too_small.label is Label.CONTRADICTED and "at least +9" in too_small.reason
    inside = check_numbers(
        "On WMT'16, XLM improves the previous state of the art by 10 BLEU.", [XLM_MT]
    )
    assert inside.abstained and "only says it is at least +9" in inside.reason
    # The claim names German; the evidence's bound names no language: not the same slot.
    german = check_numbers(
        "XLM improves the previous state of the art on WMT'16 German-English by 4 BLEU.", [XLM_MT]
    )
    assert german.abstained and "names no language, not German" in german.reason


def test_ranges() -> None:
    claim = "Robust training improves accuracy by 3-5% on XNLI."  # written
    assert check_numbers(claim, ["Accuracy improves by 4.1% on XNLI."]).label is Label.SUPPORTED
    outside = check_numbers(claim, ["Accuracy improves by 7.1% on XNLI."])
    assert outside.label is Label.CONTRADICTED and "outside the claim's range" in outside.reason
    point = check_numbers(
        "Accuracy improves by 4% on XNLI.", ["Accuracy improves by 3-5% on XNLI."]
    )
    assert point.abstained and "contains +4% but does not state it" in point.reason


def test_direction_is_part_of_the_figure() -> None:
    result = check_numbers(
        "Robust training lowers PAWS-X accuracy by 2.1 points.",
        ["Robust training improves PAWS-X accuracy by 2.1 points."],
    )
    assert result.label is Label.CONTRADICTED


def test_from_to_in_the_claim_needs_each_value() -> None:
    evidence = ["On PAWS-X, accuracy rises from 84.2 to 86.3 with robust training."]
    ok = check_numbers("PAWS-X accuracy rises from 84.2 to 86.3.", evidence)
    assert ok.label is Label.SUPPORTED and len(ok.checks) == 3  # baseline, value, delta
    wrong = check_numbers("PAWS-X accuracy rises from 84.2 to 88.3.", evidence)
    assert wrong.label is Label.CONTRADICTED


@pytest.mark.parametrize(
    "claim",
    [
        "XNLI accuracy is 1e999%.",
        "XNLI accuracy improves by " + "9" * 400 + "%.",
        "XNLI accuracy is 2e" + "9" * 5000 + ".",
    ],
)
def test_out_of_range_figures_are_not_checked_as_numbers(claim: str) -> None:
    result = check_numbers(claim, ["XNLI accuracy is 74.4%.", "XNLI | 1e999 | " + "9" * 400])
    assert result.label is None and "not checked as a number" in result.reason
    assert len(result.reason) < 400


def test_out_of_range_evidence_never_raises() -> None:
    rows = [
        ("PAWS-X | mBERT " + "9" * 400 + " | RS-DA 86.3", "Table 2: accuracy on PAWS-X"),
        ("PAWS-X | 1e999 | 1" + "0" * 500, "Table 2: accuracy on PAWS-X\nModel | a | b"),
    ]
    result = check_numbers("RS-DA improves accuracy by 2.1 points on PAWS-X.", rows)
    assert result.label is Label.NOT_ENOUGH_INFO
    for text, context in rows:
        for fig in parse_figures(text, context):
            json.dumps(fig.value, allow_nan=False)


XLMR_ABSTRACT = (
    "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a variety "
    "of cross-lingual benchmarks, including +14.6% average accuracy on XNLI, +13% average F1 "
    "score on MLQA, and +2.4% F1 score on NER. XLM-R performs particularly well on "
    "low-resource languages, improving 15.7% in XNLI accuracy for Swahili and 11.4% for Urdu "
    "over previous XLM models."
)


def test_a_prose_sentence_reads_its_slots_from_the_text_before_it_only() -> None:
    from litcheck.verify.pipeline import sentence_context
    from litcheck.verify.text import split_sentences

    sents = split_sentences(XLMR_ABSTRACT)
    assert sentence_context(sents[0], XLMR_ABSTRACT, None) == ""
    assert sentence_context(sents[1], XLMR_ABSTRACT, None).startswith("Our model")
    row = "XLM-R | 88.7 | 82.5"
    assert sentence_context(row, "Table 1: XNLI accuracy (%).\n" + row, "caption") == "caption"
    evidence = [(s, sentence_context(s, XLMR_ABSTRACT, None)) for s in sents]
    # The next sentence's "for Swahili" and "XNLI" are not the slots of the MLQA figure.
    wrong = check_numbers("XLM-R improves over mBERT by 2.4% F1 on MLQA.", evidence)
    assert wrong.label is Label.CONTRADICTED and "+13%" in wrong.reason
    right = check_numbers("XLM-R improves over mBERT by 13% F1 on MLQA.", evidence)
    assert right.label is Label.SUPPORTED


def test_a_figure_for_one_language_or_over_another_baseline_does_not_state_the_claims() -> None:
    from litcheck.verify.text import split_sentences

    evidence = split_sentences(XLMR_ABSTRACT)
    # 15.7% is for Swahili and over previous XLM models; the claim's own slot (XNLI accuracy
    # over mBERT, no language) says +14.6%.
    over_mbert = check_numbers("XLM-R improves over mBERT by 16% accuracy on XNLI.", evidence)
    assert over_mbert.label is Label.CONTRADICTED and "+14.6%" in over_mbert.reason
    # The same figure for one language is no evidence for a claim naming none ...
    average = check_numbers("XLM-R improves XNLI accuracy by 11.4%.", [evidence[1]])
    assert average.label is not Label.SUPPORTED and "Urdu" in average.reason
    # ... nor the average for one language.
    one = check_numbers(
        "XLM-R improves over mBERT by 14.6% accuracy for Swahili on XNLI.", evidence
    )
    assert one.label is not Label.SUPPORTED
    assert (
        check_numbers("XLM-R improves XNLI accuracy by 11.4% for Urdu.", evidence).label
        is Label.SUPPORTED
    )


def test_a_bounded_count_is_a_count_on_both_sides() -> None:
    # "over 40 languages" is a count as "40 languages" is: no figure slot left unmatched.
    res = check_numbers(
        "XTREME evaluates multilingual representations over 40 languages and 9 tasks.",
        [
            "The XTREME benchmark evaluates multilingual representations across 40 languages and "
            "9 tasks."
        ],
    )
    assert res.label is None and not res.abstained


def test_a_figure_of_another_model_is_no_match() -> None:
    evidence = [
        "XLM-R significantly outperforms multilingual BERT (mBERT), including +13% average F1 "
        "score on MLQA."
    ]
    # The claim's subject is the evidence's baseline: the evidence's figure is XLM-R's gain.
    res = check_numbers("mBERT's F1 on MLQA is 10 points lower than on English.", evidence)
    assert res.label is not Label.CONTRADICTED
    # "improves on mBERT" names the baseline, as "over mBERT" does.
    res = check_numbers("XLM-R improves on mBERT by 13% F1 on MLQA.", evidence)
    assert res.label is Label.SUPPORTED
    res = check_numbers("XLM-R improves on mBERT by 2.4% F1 on MLQA.", evidence)
    assert res.label is Label.CONTRADICTED


def test_matching_figures_do_not_overrule_the_rest_of_the_claim() -> None:
    evidence = [
        "Using our best models, we obtain a 5.4 point improvement over XLM-R Large on the XTREME "
        "benchmark, setting the state of the art as of June 2020."
    ]
    said = "We obtain a 5.4 point improvement over XLM-R Large on XTREME as of June 2020."
    assert check_numbers(said, evidence).label is Label.SUPPORTED
    # A number the checker does not read as a figure, and no supporting sentence has.
    stray = check_numbers(said.replace("2020", "1728"), evidence)
    assert stray.label is None and "1728" in stray.reason
    # The text judge reads the rest as contradicted: its CONTRADICTED stands.
    judged = check_numbers(said, evidence, text_label=Label.CONTRADICTED)
    assert judged.label is None and "text judge" in judged.reason
    assert check_numbers(said, evidence, text_label=Label.SUPPORTED).label is Label.SUPPORTED


def test_a_comparison_with_something_unnamed_is_no_match_for_one_with_a_model() -> None:
    evidence = ["We obtain a 5.4 point improvement over XLM-R Large on the XTREME benchmark."]
    res = check_numbers(
        "On XTREME the best transferred model trails human performance by 20 points.", evidence
    )
    assert res.label is not Label.CONTRADICTED and "not what the claim compares with" in res.reason
    (fig,) = parse_figures("mBERT lags behind XLM-R by 3.1 points on XNLI.")
    assert fig.is_delta and fig.value == -3.1
