"""Evidence about a sibling of what the claim names: another numbered entity, species, task."""

from __future__ import annotations

import numpy as np

from litcheck.verify.mismatch import mismatch, numbered_names, species


def test_numbered_names_are_letters_with_a_number() -> None:
    assert numbered_names("GATA-4 and Gata3, CIFAR-10, ResNet50, GPT-3") == {
        "gata": {"4", "3"},
        "cifar": {"10"},
        "resnet": {"50"},
        "gpt": {"3"},
    }
    # Measures, positions, years and plain counts are not names.
    assert numbered_names("at day 7, Table 2, in 2019, XLM-R achieves 80 points") == {}
    assert numbered_names("type 2 diabetes and MEK 1/2") == {"type": {"2"}, "mek": {"1"}}


def test_a_sibling_in_every_sentence_and_the_claim_name_in_none() -> None:
    gata = ["In the present study, we show that Gata3-null mutant mice generate fewer LT-HSCs."]
    reason = mismatch("GATA-4 is important for hematopoietic stem cell function.", gata)
    assert reason is not None and "GATA-4" in reason and "gata-3" in reason
    assert mismatch("GATA-3 is important for hematopoietic stem cell function.", gata) is None
    assert mismatch("XLM-R is evaluated on CIFAR-10.", ["We report CIFAR-100 accuracy."])
    # The evidence names one of the claim's numbered names: it is about the claim's entity.
    kip = ["In conjunction with Cin8, a kinesin-5 family member, Kip3 promotes spindle assembly."]
    assert mismatch("The kinesin-8 protein Kip3 promotes spindle assembly.", kip) is None
    # No sibling at all: the judge decides.
    assert mismatch("GATA-4 is important.", ["Stem cells need transcription factors."]) is None
    assert mismatch("GATA-4 is important.", []) is None


def test_species_but_not_conditions() -> None:
    assert species("Lupus-prone patients and murine models") == {"humans", "mice"}
    rats = ["In rats, the drug lowered blood pressure."]
    assert mismatch("The drug lowers blood pressure in mice.", rats) == (
        "it is about mice; the evidence is about rats"
    )
    assert mismatch("The drug lowers blood pressure in mice.", [*rats, "Mice too."]) is None
    # Evidence about a neighbouring condition often bears on a claim (influenza and COVID-19
    # are both respiratory infections): the judge decides.
    flu = ["Face masks could prevent transmission of coronaviruses and influenza viruses."]
    assert mismatch("Masks prevent me from spreading COVID-19.", flu) is None


def test_tasks() -> None:
    ev = ["Robust training improves zero-shot transfer on text classification tasks."]
    reason = mismatch("Robust training improves transfer on question answering.", ev)
    assert reason == ("it is about question answering; the evidence is about text classification")


def test_the_gold_benchmark_applies_the_rule_as_verify_does() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from eval_verifier import with_numeric

    probs = np.array([[0.8, 0.1, 0.1], [0.8, 0.1, 0.1]])
    out = with_numeric(
        ["GATA-4 is important.", "Gata3 is important."],
        ["Gata3-null mutant mice generate fewer cells.", "Gata3-null mutant mice generate fewer."],
        probs,
    )
    assert int(np.argmax(out[0])) == 2
    assert np.allclose(out[1], probs[1])
