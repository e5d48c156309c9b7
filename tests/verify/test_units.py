"""Unit tests: label map, numeric checker, calibration, text helpers, claims file, data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from litcheck.errors import BadInputError
from litcheck.models import Label
from litcheck.verify.calibration import Calibration, ece, fit_calibration, macro_f1, score
from litcheck.verify.claims_file import read_claims_file
from litcheck.verify.labels import LABELS, label_index, map_label
from litcheck.verify.numeric import check_numbers, parse_figures
from litcheck.verify.text import split_sentences


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("SUPPORT", Label.SUPPORTED),
        ("Supports", Label.SUPPORTED),
        ("entailment", Label.SUPPORTED),
        ("entailed", Label.SUPPORTED),
        ("CONTRADICT", Label.CONTRADICTED),
        ("Refutes", Label.CONTRADICTED),
        ("contradiction", Label.CONTRADICTED),
        ("not_entailment", Label.CONTRADICTED),
        ("Neutral", Label.NOT_ENOUGH_INFO),
        ("NOT_ENOUGH_INFO", Label.NOT_ENOUGH_INFO),
        ("not enough info", Label.NOT_ENOUGH_INFO),
        ("unknown", Label.NOT_ENOUGH_INFO),
    ],
)
def test_one_label_map(raw: str, label: Label) -> None:
    assert map_label(raw) is label
    assert LABELS[label_index(label)] is label


def test_label_map_rejects_unknown_names() -> None:
    with pytest.raises(KeyError):
        map_label("maybe")


EVIDENCE = (
    "Robust training improves zero-shot transfer by 2.1 points on PAWS-X and 1.6 points on XNLI."
)


@pytest.mark.parametrize(
    ("claim", "label"),
    [
        ("Transfer improves by 2.1 points on PAWS-X.", Label.SUPPORTED),
        ("Transfer improves by 1.6 points on XNLI.", Label.SUPPORTED),
        ("Transfer improves by 1.6 points on PAWS-X.", Label.CONTRADICTED),
        ("Transfer improves by 2.4 points on XNLI.", Label.CONTRADICTED),
        ("Transfer improves by 2.1 points on MLQA.", Label.NOT_ENOUGH_INFO),
        ("Transfer degrades by 2.1 points on PAWS-X.", Label.CONTRADICTED),
    ],
)
def test_numbers_are_checked_as_numbers(claim: str, label: Label) -> None:
    assert check_numbers(claim, [EVIDENCE]).label is label


def test_numeric_tolerance_follows_precision() -> None:
    assert (
        check_numbers("Accuracy is 74.4% on XNLI.", ["XNLI accuracy: 74.43%."]).label
        is Label.SUPPORTED
    )
    assert (
        check_numbers("Accuracy is 74% on XNLI.", ["XNLI accuracy: 74.4%."]).label
        is Label.SUPPORTED
    )
    assert (
        check_numbers("Accuracy is 74.4% on XNLI.", ["XNLI accuracy: 74.6%."]).label
        is Label.CONTRADICTED
    )
    assert (
        check_numbers("Accuracy is 74.4% on XNLI.", ["On XNLI, accuracy is 0.744."]).label
        is Label.SUPPORTED
    )


def test_delta_computed_from_two_figures_with_table_context() -> None:
    rows = [("PAWS-X | mBERT 84.2 | RS-DA 86.3", "Table 2: accuracy on PAWS-X")]
    assert (
        check_numbers("RS-DA improves accuracy by 2.1 points on PAWS-X.", rows).label
        is Label.SUPPORTED
    )


def test_claims_without_result_figures_are_left_to_the_judge() -> None:
    assert check_numbers("Taking 400mg of vitamin E in 2004 helps.", ["x"]).label is None
    assert parse_figures("See Table 3 and Section 4.2 from 2019.") == []


def test_calibration_fits_and_scores() -> None:
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 600)
    logits = rng.normal(0, 1, (600, 3))
    logits[np.arange(600), gold] += 6.0
    noisy = gold.copy()
    noisy[:120] = (noisy[:120] + 1) % 3  # 20 % wrong at high confidence: temperature must grow
    cal = fit_calibration(logits, noisy)
    assert cal.temperature > 1.0
    probs = cal.probabilities(logits)
    assert np.allclose(probs.sum(axis=1), 1.0)
    result = score(probs, noisy)
    assert result["macro_f1"] > 0.7 and result["ece"] < 0.1
    assert macro_f1(np.array([0, 1, 2]), np.array([0, 1, 2])) == 1.0
    assert ece(np.array([1.0, 1.0]), np.array([True, False])) == pytest.approx(0.5)
    assert Calibration.from_dict(cal.to_dict()) == cal


def test_sentence_splitter_keeps_numbers_and_abbreviations() -> None:
    text = "Accuracy rose to 74.4% (e.g. on XNLI). It fell on MLQA.\nmBERT | 84.2 | 86.3"
    assert split_sentences(text) == [
        "Accuracy rose to 74.4% (e.g. on XNLI).",
        "It fell on MLQA.",
        "mBERT | 84.2 | 86.3",
    ]


def test_claims_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text('{"id": "a", "claim": "ok"}\n{"id": "b", "claim": \n')
    with pytest.raises(BadInputError, match=r"claims.jsonl:2"):
        read_claims_file(path)
    path.write_text('{"id": "a", "claim": 3}\n')
    with pytest.raises(BadInputError, match='"claim" must be a string'):
        read_claims_file(path)
    path.write_text('{"id": "a", "claim": "x", "cites": [{}]}\n')
    with pytest.raises(BadInputError, match="cites"):
        read_claims_file(path)
    with pytest.raises(BadInputError, match="does not exist"):
        read_claims_file(tmp_path / "nope.jsonl")
    path.write_text(
        '{"claim": "ok"}\n\n' + json.dumps({"claim": "y" * 20000, "cites": "2104.08645"}) + "\n"
    )
    claims = read_claims_file(path)
    assert [c.id for c in claims] == ["claims.jsonl:1", "claims.jsonl:3"]
    assert claims[1].cites == ["2104.08645"]


def test_claims_file_as_a_json_array_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "claims.json"
    rows = [
        {"id": 1, "claim": "Robust training helps.", "cites": None},
        {"text": "XLM-R beats mBERT.", "cites": ["arXiv:1911.02116"]},
    ]
    path.write_text("\ufeff" + json.dumps(rows, indent=2), encoding="utf-8")
    claims = read_claims_file(path)
    assert [(c.id, c.text, c.cites) for c in claims] == [
        ("1", "Robust training helps.", []),
        ("claims.json:2", "XLM-R beats mBERT.", ["arXiv:1911.02116"]),
    ]
    path.write_text('[{"claim": "ok"}, 3]')
    with pytest.raises(BadInputError, match=r"claims.json:2: expected a JSON object"):
        read_claims_file(path)


def test_data_splits_are_disjoint_and_labels_mapped(tiny_data: Path) -> None:
    from litcheck.verify import data

    train = data.load_scifact_claims(tiny_data, "train")
    cal = data.load_scifact_claims(tiny_data, "calibration")
    assert train and cal and not {c.id for c in train} & {c.id for c in cal}
    pairs = data.training_pairs(tiny_data, seed=1)
    sources = {p.source for p in pairs}
    assert {"scifact", "scifact-nei", "sick"} <= sources
    assert any(p.source.endswith("+num") and p.label is Label.CONTRADICTED for p in pairs)
    assert not {p.group for p in pairs if p.source.startswith("scifact")} & {
        f"scifact:{c.id}" for c in cal
    }
    gold = data.test_pairs(tiny_data)
    assert {p.label for p in gold} == set(LABELS)
    assert gold[0].evidence.startswith("Vitamin D supplementation lowers")


def test_training_batches_are_a_pure_function_of_step(tiny_data: Path) -> None:
    from litcheck.verify import data
    from litcheck.verify.train import _batch

    pairs = data.training_pairs(tiny_data, seed=3)
    assert _batch(pairs, 5, 4, 3) == _batch(pairs, 5, 4, 3)  # resume sees the same data
    epoch = len(pairs) // 4 + 1
    assert len(_batch(pairs, epoch, 4, 3)) == 4  # wraps into a reshuffled second epoch


def test_figure_for_another_benchmark_in_a_list_does_not_support() -> None:
    evidence = [
        "XLM-R outperforms multilingual BERT (mBERT), including +14.6% average accuracy on "
        "XNLI, +13% average F1 score on MLQA, and +2.4% F1 score on NER."
    ]
    wrong = check_numbers("XLM-R improves over mBERT by 2.4% F1 on MLQA.", evidence)
    assert wrong.label is Label.CONTRADICTED and "13" in wrong.reason
    right = check_numbers("XLM-R improves over mBERT by 14.6% accuracy on XNLI.", evidence)
    assert right.label is Label.SUPPORTED


def test_language_is_part_of_the_slot() -> None:
    evidence = ["XLM-R improves XNLI accuracy by 15.7% for Swahili and 11.4% for Urdu."]
    assert check_numbers("XNLI accuracy improves by 11.4% for Urdu.", evidence).label is (
        Label.SUPPORTED
    )
    assert check_numbers("XNLI accuracy improves by 15.7% for Urdu.", evidence).label is (
        Label.CONTRADICTED
    )


def test_verify_fetches_missing_cited_papers_unless_offline(tmp_path: Path) -> None:
    from litcheck.library import Library
    from litcheck.models import Claim, Paper
    from litcheck.settings import load_settings
    from litcheck.verify.audit import fetch_missing_cites

    lib = Library.open(tmp_path / "library.sqlite")
    lib.add_paper(Paper(arxiv_id="2104.08645", title="Robust XLT", abstract="Robust training."))
    asked: list[list[str]] = []

    def fake_fetch(ids: list[str]) -> list[Paper]:
        asked.append(ids)
        return [Paper(arxiv_id="1911.02116", title="XLM-R", abstract="XLM-R beats mBERT.")]

    claims = [
        Claim(id="a", text="x", cites=["2104.08645v2", "arXiv:1911.02116", "doi:10.1/x"]),
        Claim(id="b", text="y", cites=["2401.99999"]),
    ]
    offline = load_settings(home=tmp_path / "h", offline=True)
    statuses = fetch_missing_cites(lib, claims, offline, fake_fetch)
    assert not asked and all("offline" in s.status for s in statuses) and len(statuses) == 2
    online = load_settings(home=tmp_path / "h", offline=False)
    statuses = fetch_missing_cites(lib, claims, online, fake_fetch)
    assert asked == [["arXiv:1911.02116", "2401.99999"]]
    by_raw = {s.raw: s for s in statuses}
    assert by_raw["arXiv:1911.02116"].paper_id == "1911.02116" and lib.has_paper("1911.02116")
    assert (
        by_raw["2401.99999"].paper_id is None
        and "could not be fetched" in by_raw["2401.99999"].status
    )
    assert fetch_missing_cites(lib, claims[:1], online, fake_fetch) == []  # all present now
