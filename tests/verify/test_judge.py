"""The judges: a tiny randomly initialised cross-encoder (no training) and the fallback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from litcheck.settings import load_settings
from litcheck.verify.judge import CrossEncoderJudge, FallbackJudge, load_judge
from litcheck.verify.resolve import resolve_model


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    path = tmp_path / "verifier" / "model"
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=3,
        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
        label2id={"contradiction": 0, "entailment": 1, "neutral": 2},
    )
    BertForSequenceClassification(config).save_pretrained(path)
    AutoTokenizer.from_pretrained(resolve_model("all-MiniLM-L6-v2")).save_pretrained(path)
    (path.parent / "calibration.json").write_text(json.dumps({"temperature": 2.0, "nei_bias": 0.5}))
    (path.parent / "card.json").write_text(json.dumps({"steps": 7}))
    return path


def test_cross_encoder_maps_hub_label_order(tiny_model: Path) -> None:
    judge = CrossEncoderJudge(str(tiny_model))
    assert judge.calibration.temperature == 2.0 and "7 steps" in judge.name
    probs = judge.probabilities(["A claim."] * 2, ["Some evidence.", "Other evidence, longer."])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0)
    # id2label contradiction/entailment/neutral -> our SUPPORTED/CONTRADICTED/NOT_ENOUGH_INFO.
    assert judge._order == [1, 0, 2]


def test_load_judge_prefers_trained_model(
    tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LITCHECK_HOME", str(tmp_path / "home"))
    assert isinstance(load_judge(load_settings()), FallbackJudge)
    monkeypatch.setenv("LITCHECK_VERIFIER_MODEL", str(tiny_model))
    assert isinstance(load_judge(load_settings()), CrossEncoderJudge)
    assert isinstance(load_judge(load_settings(), fallback=True), FallbackJudge)


def test_fallback_judge_reads_negation_and_coverage() -> None:
    judge = FallbackJudge()
    probs = judge.probabilities(
        [
            "Aspirin reduces cancer incidence.",
            "Aspirin reduces cancer incidence.",
            "Aspirin reduces cancer incidence.",
        ],
        [
            "Aspirin reduces cancer incidence in trials.",
            "Aspirin does not reduce cancer incidence.",
            "The weather was fine.",
        ],
    )
    assert probs[0].argmax() == 0 and probs[1].argmax() == 1 and probs[2].argmax() == 2


def test_cuda_without_gpu_is_a_user_error() -> None:
    import torch

    from litcheck.errors import VerificationError
    from litcheck.verify.embed import pick_device

    assert pick_device("cpu") == "cpu"
    if not torch.cuda.is_available():
        assert pick_device("auto") == "cpu"
        with pytest.raises(VerificationError, match="no CUDA"):
            pick_device("cuda")


def test_fallback_reads_the_sentence_that_restates_the_claim() -> None:
    from litcheck.verify.judge import FallbackJudge

    claim = "Multilingual encoders such as XLM-R show great potential for zero-shot transfer."
    passage = (
        claim + " However, these multilingual encoders do not precisely align words across "
        "languages."
    )
    probs = FallbackJudge().probabilities([claim], [passage])[0]
    assert probs.argmax() == 0  # SUPPORTED, not flipped by the neighbouring "not"
