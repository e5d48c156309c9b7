"""The judges: a tiny randomly initialised cross-encoder (no training) and the fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from litcheck.settings import load_settings
from litcheck.verify.judge import CrossEncoderJudge, FallbackJudge, load_judge

from .conftest import build_tiny_cross_encoder


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    return build_tiny_cross_encoder(tmp_path)


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
