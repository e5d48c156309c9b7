"""Quantity parser edge cases named in issue 4, and the slots figures attach to."""

from __future__ import annotations

import pytest

from litcheck.extract.quantities import parse_quantities


def one(text: str, context: str | None = None) -> dict[str, object]:
    found = parse_quantities(text, context)
    assert len(found) == 1, found
    return found[0].model_dump(exclude_defaults=True)


def test_points_delta_with_dataset() -> None:
    q = one("The cross-lingual transfer performance improves by 2.1 points on PAWS-X.")
    assert (q["delta"], q["unit"], q["dataset"], q["precision"]) == (2.1, "points", "PAWS-X", 1)
    assert "value" not in q


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("Adversarial training lowers clean accuracy by 0.8 points on English.", -0.8),
        ("Accuracy drops by 1.3 points on XNLI.", -1.3),
        ("Accuracy changes by -1.3 points on XNLI.", -1.3),
        ("The error rate on MLQA decreases by 1.5 percentage points.", -1.5),
        ("This corresponds to a drop of 1.1 points in robust accuracy.", -1.1),
        ("Gains are largest for Swahili (+3.4).", 3.4),
        ("The robust model is 2.1 points lower than mBERT.", -2.1),
        ("Low-resource languages gain most, with 15.7% accuracy gains for Swahili.", 15.7),
        ("It brings 2.4 F1 improvements on MLQA.", 2.4),
        ("Pruning costs a 3 point F1 drop on XNLI.", -3.0),
        ("Distillation gives a 2.3% error reduction.", -2.3),
    ],
)
def test_signed_deltas(text: str, delta: float) -> None:
    assert one(text)["delta"] == delta


@pytest.mark.parametrize(
    "text",
    [
        "Accuracy is 80% and the gains are small.",
        "Reaching 80% accuracy increases with scale.",
    ],
)
def test_a_change_word_further_on_leaves_a_value_a_value(text: str) -> None:
    q = one(text)
    assert q["value"] == 80.0 and "delta" not in q


def test_from_to_is_a_change() -> None:
    q = one("The average F1 on MLQA rises from 72.3 to 74.4.")
    assert (q["value"], q["delta"], q["low"], q["high"]) == (74.4, 2.1, 72.3, 74.4)
    assert (q["metric"], q["dataset"], q["unit"]) == ("F1", "MLQA", "absolute")
    down = one("Accuracy on German drops from 74.4 to 72.3.")
    assert (down["value"], down["delta"], down["languages"]) == (72.3, -2.1, ["de"])


def test_from_to_without_change_verb_is_a_range() -> None:
    q = one("Across the seven PAWS-X languages, accuracy ranges from 81.2% to 89.5%.")
    assert (q["low"], q["high"], q["unit"]) == (81.2, 89.5, "%")
    assert "value" not in q and "delta" not in q


def test_plus_minus() -> None:
    q = one("Our model scores 74.2 ± 0.3 on PAWS-X.")
    assert (q["value"], q["error"], q["dataset"]) == (74.2, 0.3, "PAWS-X")
    q = one("mBERT obtains an accuracy of 65.4% (±0.3) on XNLI.")
    assert (q["value"], q["error"], q["unit"], q["model"]) == (65.4, 0.3, "%", "mBERT")
    assert one("Scores fluctuate by ±0.3 across runs.")["error"] == 0.3
    assert one("α = 1.90 ± 0.03")["error"] == 0.03


def test_comparison_with_baseline() -> None:
    q = one("XLM-R with robust training is 2.1 points higher than mBERT on XNLI.")
    assert (q["delta"], q["unit"], q["baseline"], q["model"]) == (2.1, "points", "mBERT", "XLM-R")
    assert q["dataset"] == "XNLI"


def test_percentages_vs_points() -> None:
    assert one("XLM-R reaches 79.2% accuracy on XNLI.")["unit"] == "%"
    assert one("We observe a 2.5% absolute improvement on XNLI.")["unit"] == "points"
    assert one("Accuracy improves by 2.5 pp.")["unit"] == "points"
    rel = one("Smoothing reduces the error rate by 12% relative to the baseline.")
    assert (rel["delta"], rel["unit"]) == (-12.0, "%")
    assert one("An F1 of 67.3 on MLQA.")["unit"] == "absolute"
    assert one("The model is 3x faster.")["unit"] == "x"
    assert one("Training takes 1.5 times longer.")["unit"] == "x"


def test_ranges() -> None:
    q = one("Ricci flow drops 79-86%")
    assert (q["low"], q["high"], q["unit"]) == (79.0, 86.0, "%")
    q = one("Radii lie between 1.00 and 1.25 units.")
    assert (q["low"], q["high"], q["precision"]) == (1.0, 1.25, 2)
    q = one("XLM-R improves over mBERT by 4 to 6 points.")
    assert (q["low"], q["high"], q["unit"]) == (4.0, 6.0, "points")


def test_references_are_not_quantities() -> None:
    assert parse_quantities("Table 3 and Section 4.2 report it (Smith, 2020) [12].") == []
    assert parse_quantities("GPT-4, XLM-R and mT5 use 12-layer encoders; see Fig. 2.") == []
    assert parse_quantities("2 Related Work") == []
    assert parse_quantities("a) first; 1) second") == []


def test_languages_and_respectively() -> None:
    qs = parse_quantities(
        "Performance on Swahili and Urdu improves by 4.1 and 3.7 points, respectively."
    )
    assert [(q.delta, q.unit, q.languages) for q in qs] == [
        (4.1, "points", ["sw"]),
        (3.7, "points", ["ur"]),
    ]
    qs = parse_quantities(
        "On PAWS-X, accuracy for Chinese is 77.0%, compared with 94.0% for English."
    )
    assert [(q.value, q.languages, q.metric) for q in qs] == [
        (77.0, ["zh"], "accuracy"),
        (94.0, ["en"], "accuracy"),
    ]
    # A source language ("from English") is not the language the figure is about.
    q = one("Transfer degrades by 5.3 points for languages distant from English.")
    assert q.get("languages", []) == []


def test_counts_have_no_metric_and_numbers_scale() -> None:
    q = one("Robust training improves accuracy on all 15 XNLI languages.")
    assert (q["value"], q["dataset"]) == (15.0, "XNLI") and "metric" not in q
    assert one("PAWS-X contains 49,401 training pairs.")["value"] == 49401.0
    assert one("The vocabulary has 250k tokens.")["value"] == 250000.0
    assert one("We use a learning rate of 2e-5.")["value"] == pytest.approx(2e-5)


def test_a_training_language_is_not_the_figures_and_a_sentence_with_languages_keeps_them() -> None:
    text = (
        "Multilingual BERT fine-tuned on PAWS English plus machine-translated data performs "
        "the best, with a range of 83.1-90.8 accuracy across the non-English languages."
    )
    context = "Most existing work focuses on English. " + text
    assert parse_quantities(text, context)[0].languages == []
    # A sentence that names no language at all still takes the passage's.
    assert parse_quantities("Accuracy reaches 83.1.", "Results on German.")[0].languages == ["de"]


def test_a_context_gives_no_language_it_sets_aside() -> None:
    sentence = "We obtain a 5.4 point improvement over XLM-R Large on the XTREME benchmark."
    # English as the training language, and "non-English" targets: the figure is for neither.
    trained = "We study English intermediate-task training on non-English target tasks. "
    assert parse_quantities(sentence, trained + sentence)[0].languages == []
    # The first language the context does not set aside.
    tested = "Models fine-tuned on English are tested on German. "
    assert parse_quantities(sentence, tested + sentence)[0].languages == ["de"]


def test_table_context_fills_slots() -> None:
    q = one("88.7", context="de ; XLM-R ; Table 1: Zero-shot accuracy (%) on XNLI.")
    assert (q["value"], q["unit"], q["metric"], q["dataset"], q["languages"], q["model"]) == (
        88.7,
        "%",
        "accuracy",
        "XNLI",
        ["de"],
        "XLM-R",
    )
    assert one("+2.1", context="PAWS-X ; Δ ; Results (accuracy)")["delta"] == 2.1


def test_no_numbers_and_garbage() -> None:
    assert parse_quantities("") == []
    assert parse_quantities("Robust training helps.") == []
    assert isinstance(parse_quantities("\x00\xff 1.2.3.4 ---- 9" * 50), list)


def test_figure_with_its_own_unlisted_target_does_not_borrow_a_dataset() -> None:
    text = (
        "XLM-R outperforms multilingual BERT (mBERT), including +14.6% average accuracy on "
        "XNLI, +13% average F1 score on MLQA, and +2.4% F1 score on NER."
    )
    xnli, mlqa, ner = parse_quantities(text)
    assert (xnli.dataset, mlqa.dataset, ner.dataset) == ("XNLI", "MLQA", None)
    assert {q.model for q in (xnli, mlqa, ner)} == {"XLM-R"}
    assert {q.baseline for q in (xnli, mlqa, ner)} == {"mBERT"}


def test_benchmarks_outside_cross_lingual_nlp_and_numbers_inside_names() -> None:
    (wer,) = parse_quantities("It reduces the word error rate from 12.1% to 9.8% on LibriSpeech.")
    assert (wer.metric, wer.dataset, wer.value, wer.delta) == ("WER", "LibriSpeech", 9.8, -2.3)
    (top1,) = parse_quantities("Top-1 accuracy on ImageNet is 76.5% with ResNet-50.")
    assert (top1.dataset, top1.model, top1.value) == ("ImageNet", "ResNet", 76.5)
    # "7B" and "2" belong to the model's name, not to the figures.
    (mmlu,) = parse_quantities("LLaMA-2-7B scores 45.3 on MMLU.")
    assert (mmlu.value, mmlu.dataset, mmlu.model) == (45.3, "MMLU", "LLaMA")
    c10, c100 = parse_quantities("Accuracy on CIFAR-10 reaches 99.1%, and 91.7% on CIFAR-100.")
    assert (c10.dataset, c100.dataset) == ("CIFAR-10", "CIFAR-100")


def test_an_inline_enumeration_is_not_a_figure() -> None:
    text = (
        "We present the trade-offs between (1) positive transfer and capacity dilution and "
        "(2) the performance of high and low resource languages at scale."
    )
    assert parse_quantities(text) == []
    # A parenthesised figure with decimals (a standard deviation) stays one.
    assert [q.value for q in parse_quantities("Accuracy is 74.4 (1.2) on XNLI.")] == [74.4, 1.2]
