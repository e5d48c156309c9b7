"""The fitted verdict aggregator over retrieved passages, and its use in the pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from litcheck.library import Library
from litcheck.models import Claim, Label
from litcheck.verify.aggregate import (
    FEATURES_VERSION,
    N_FEATURES,
    Aggregator,
    claim_features,
    fit_aggregator,
)
from litcheck.verify.calibration import macro_f1
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.pipeline import verify_claims

from .conftest import HashEmbedder


def test_features_of_candidates() -> None:
    judge = [np.array([0.2, 0.1, 0.7]), np.array([0.6, 0.3, 0.1])]
    fallback = [np.array([0.3, 0.3, 0.4]), np.array([0.1, 0.1, 0.8])]
    x = claim_features(judge, fallback, [0.4, 0.9])
    assert x.shape == (N_FEATURES,)
    assert np.allclose(x[:3], np.log(judge[0]))  # first-ranked passage
    assert np.allclose(x[3:6], np.log(judge[1]))  # most decisive passage
    assert np.isclose(x[6], np.log(0.6)) and np.isclose(x[8], np.log(0.1))
    assert np.allclose(x[9:12], np.log(fallback[0]))  # fallback's most decisive passage
    assert x[12] == pytest.approx(0.9)
    assert not claim_features([], [], []).any()


def _synthetic(n: int, seed: int) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Labels that a linear model can read from the judge's 'most decisive' block, plus noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    x = rng.normal(size=(n, N_FEATURES))
    x[np.arange(n), 3 + y] += 3.0
    return x, y


def test_fit_recovers_a_learnable_rule_and_roundtrips() -> None:
    x, y = _synthetic(300, 0)
    agg = fit_aggregator(x, y, top_passages=3)
    assert agg.cv_macro_f1 > 0.8 and agg.n == 300
    xt, yt = _synthetic(300, 1)
    probs = agg.probabilities(xt)
    assert probs.shape == (300, 3) and np.allclose(probs.sum(axis=1), 1.0)
    assert macro_f1(yt, probs.argmax(axis=1)) > 0.8
    again = Aggregator.from_dict(agg.to_dict())
    assert again is not None and np.allclose(again.probabilities(xt), probs, atol=1e-4)


def test_stale_or_missing_aggregator_is_ignored() -> None:
    x, y = _synthetic(60, 2)
    stored = fit_aggregator(x, y, top_passages=3).to_dict()
    assert Aggregator.from_dict(None) is None
    assert Aggregator.from_dict({**stored, "features_version": FEATURES_VERSION + 1}) is None
    assert Aggregator.from_dict({**stored, "weights": [[0.0, 0.0, 0.0]]}) is None


def test_fit_needs_every_label() -> None:
    x, _ = _synthetic(40, 3)
    with pytest.raises(ValueError):
        fit_aggregator(x, np.zeros(40, dtype=np.int64), top_passages=3)


class _AggregatedJudge(FallbackJudge):
    """The fallback judge plus an aggregator whose bias always says CONTRADICTED."""

    def __init__(self) -> None:
        super().__init__()
        weights = np.zeros((N_FEATURES + 1, 3))
        weights[-1] = [0.0, 3.0, 0.0]
        self.aggregator = Aggregator(
            weights=weights,
            mean=np.zeros(N_FEATURES),
            std=np.ones(N_FEATURES),
            l2=1.0,
            cv_macro_f1=0.0,
            n=0,
            top_passages=3,
        )


def test_pipeline_uses_the_aggregator_and_records_features(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(id="a", text="Robust training improves zero-shot cross-lingual transfer."),
        Claim(id="b", text=""),  # a problem claim: no features, NOT_ENOUGH_INFO with reason
    ]
    from litcheck.verify.pipeline import judge_claims

    judged = judge_claims(claims, library, index, _AggregatedJudge(), show_progress=False)
    recorded = {j.prep.claim.id: j.features for j in judged if j.features is not None}
    verdicts = verify_claims(claims, library, index, _AggregatedJudge(), show_progress=False)
    expected = np.exp(3.0) / (np.exp(3.0) + 2.0)
    assert verdicts[0].verdict is Label.CONTRADICTED
    assert verdicts[0].confidence == pytest.approx(expected, abs=1e-4)
    assert verdicts[0].evidence  # the most contradicting passage is quoted
    assert verdicts[1].verdict is Label.NOT_ENOUGH_INFO and verdicts[1].reason
    assert set(recorded) == {"a"}
    assert recorded["a"] is not None and recorded["a"].shape == (N_FEATURES,)
    # Without an aggregator the same claim is decided by the most decisive passage.
    plain = verify_claims(claims[:1], library, index, FallbackJudge(), show_progress=False)
    assert plain[0].confidence != pytest.approx(expected, abs=1e-4)


def _bigger_scifact(root: Path, n: int = 240) -> Path:
    """tiny_data's SciFact with more claims, so the calibration split can fit an aggregator."""
    import json

    sf = root / "claims" / "scifact"
    base = [json.loads(line) for line in (sf / "claims_train.jsonl").read_text().splitlines()]
    claims = [{**base[i % 3], "id": i} for i in range(n)]
    (sf / "claims_train.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    return root


def test_train_verifier_only_fit(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from tests.conftest import run_cli

    from .conftest import build_tiny_cross_encoder

    home = tmp_path / "home"
    monkeypatch.setenv("LITCHECK_HOME", str(home))
    data = _bigger_scifact(tiny_data)
    missing = run_cli("train-verifier", "--only-fit", "--data", str(data))
    assert missing.code == 2 and "No trained judge" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1

    from litcheck.verify.onnx_judge import OnnxJudge, export_onnx

    model = build_tiny_cross_encoder(tmp_path / "m")
    target = home / "models" / "judges" / "verifier"
    export_onnx(model, target)
    (target / "calibration.json").write_text(json.dumps({"temperature": 2.0, "nei_bias": 0.0}))
    res = run_cli("train-verifier", "--only-fit", "--data", str(data))
    assert res.code == 0, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert "combiner_cv_macro_f1" in summary
    retrieval = summary["retrieval_fit"]
    assert retrieval["calibration_claims"] >= 30 and "aggregator_cv_macro_f1" in retrieval
    stored = json.loads((target / "calibration.json").read_text())
    assert stored["temperature"] == 2.0  # the gold-evidence calibration is kept
    assert "retrieval_nei_bias" in stored and stored["aggregator"]["n"] >= 30
    assert stored["combiner"]["n"] >= 30 and "thresholds" in stored
    judge = OnnxJudge(target)
    assert judge.aggregator is not None and judge.combiner is not None
    probs = judge.probabilities(["Vitamin D lowers fracture risk."], ["Vitamin D lowers it."])
    assert probs.shape == (1, 3) and np.isclose(probs.sum(), 1.0)


def test_train_verifier_end_to_end_with_a_tiny_base(tiny_data: Path, tmp_path: Path) -> None:
    """Train a few steps (paused once, resumed), calibrate, combine, test and save the card."""
    import json

    from litcheck.verify.judge import CrossEncoderJudge
    from litcheck.verify.train import TrainConfig, train_verifier

    from .conftest import build_tiny_cross_encoder

    data = _bigger_scifact(tiny_data)
    base = build_tiny_cross_encoder(tmp_path / "base")
    out = tmp_path / "verifier"
    cfg = TrainConfig(
        base=str(base), max_steps=4, batch_size=4, max_length=32, checkpoint_every=2, threads=1
    )
    paused = train_verifier(data, out, cfg, time_limit=0.0)
    assert paused["status"] == "paused" and (out / "checkpoint").is_dir()
    card = train_verifier(data, out, cfg, resume=True)
    assert card["steps"] == 4 and card["examples_seen"] == 16 and card["smoke"]
    metrics = card["metrics"]
    assert 0.0 <= metrics["scifact_dev_gold_calibrated"]["macro_f1"] <= 1.0
    assert metrics["scifact_dev_gold"] is not None
    # The int8 export agrees with its fp32 original on most pairs even untrained.
    assert metrics["agreement_with_fp32"]["pairs"] == metrics["test_pairs"]
    stored = json.loads((out / "calibration.json").read_text())
    assert {"temperature", "nei_bias", "combiner", "max_length"} <= set(stored)
    from litcheck.verify.onnx_judge import OnnxJudge

    judge = OnnxJudge(out)
    assert judge.combiner is not None and judge.name == "verifier"
    fp32 = CrossEncoderJudge(str(out / "model"))
    assert fp32.combiner is not None


def test_grouped_folds_keep_copies_of_a_claim_out_of_their_own_score() -> None:
    # 40 claims with random labels, each seen three times (as open, cited and mis-cited
    # retrievals are): ungrouped folds score copies of training rows and look skilled.
    rng = np.random.default_rng(5)
    xg, yg = rng.normal(size=(40, N_FEATURES)), rng.integers(0, 3, 40)
    x = np.repeat(xg, 3, axis=0) + rng.normal(scale=0.01, size=(120, N_FEATURES))
    y = np.repeat(yg, 3)
    leaky = fit_aggregator(x, y, top_passages=3).cv_macro_f1
    grouped = fit_aggregator(x, y, top_passages=3, groups=np.repeat(np.arange(40), 3))
    assert leaky > 0.6 and grouped.cv_macro_f1 < 0.5
    assert grouped.oof is not None and grouped.oof.shape == (120, 3)


def test_miscited_claims_never_cite_their_own_evidence(
    tiny_data: Path, tmp_path: Path, embedder: HashEmbedder
) -> None:
    from litcheck.verify.data import load_scifact_claims
    from litcheck.verify.fit_open import _miscited, near_miscited, scifact_library

    lib = scifact_library(tmp_path / "home", tiny_data)
    index = PassageIndex.open(lib, embedder, tmp_path / "cache", show_progress=False)
    claims = load_scifact_claims(tiny_data, "train")
    for made in (near_miscited(claims, index), _miscited(claims, index)):
        assert len(made) == len(claims)
        for c, m in zip(claims, made, strict=True):
            own = {f"sf{d}" for d in [*c.cited, *c.rationales]}
            assert m.text == c.claim and m.cites and not own & set(m.cites)


def test_balanced_fit_decides_for_the_rare_label_and_keeps_its_confidence_honest() -> None:
    rng = np.random.default_rng(7)
    n = 600
    y = rng.choice(3, size=n, p=[0.45, 0.1, 0.45])
    x = rng.normal(size=(n, N_FEATURES))
    x[np.arange(n), 3 + y] += 1.2  # a weak signal: the rare label is often outvoted
    plain = fit_aggregator(x, y, top_passages=3)
    balanced = fit_aggregator(x, y, top_passages=3, balanced=True)
    assert plain.bias is None and balanced.bias is not None
    xt = rng.normal(size=(n, N_FEATURES))
    yt = rng.choice(3, size=n, p=[0.45, 0.1, 0.45])
    xt[np.arange(n), 3 + yt] += 1.2
    rare_plain = int((plain.labels(xt) == 1).sum())
    rare_balanced = int((balanced.labels(xt) == 1).sum())
    assert rare_balanced > rare_plain
    # The confidence of a decision tracks how often such decisions are right (ECE-like gap).
    dec = balanced.labels(xt)
    conf = balanced.probabilities(xt)[np.arange(n), dec]
    assert abs(float(conf.mean()) - float((dec == yt).mean())) < 0.1
    again = Aggregator.from_dict(balanced.to_dict())
    assert again is not None and np.array_equal(again.labels(xt), dec)
    assert np.allclose(again.probabilities(xt), balanced.probabilities(xt), atol=1e-4)


def test_balanced_fit_without_a_probability_bias_decides_by_the_argmax() -> None:
    rng = np.random.default_rng(11)
    n = 600
    y = rng.choice(3, size=n, p=[0.45, 0.1, 0.45])
    x = rng.normal(size=(n, N_FEATURES))
    x[np.arange(n), 3 + y] += 1.2
    plain = fit_aggregator(x, y, top_passages=0)
    judge_like = fit_aggregator(x, y, top_passages=0, balanced=True, probability_bias=False)
    assert judge_like.bias is None
    # A judge's callers see probabilities only: their argmax must be the balanced decision.
    assert np.array_equal(judge_like.probabilities(x).argmax(axis=1), judge_like.labels(x))
    assert int((judge_like.labels(x) == 1).sum()) > int((plain.labels(x) == 1).sum())


def test_combiner_is_label_balanced_and_records_both_fits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import litcheck.verify.data as data
    from litcheck.verify.data import Pair
    from litcheck.verify.fit_open import fit_combiner

    rng = np.random.default_rng(3)
    n = 300
    y = rng.choice(3, size=n, p=[0.45, 0.12, 0.43])
    labels = [Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_ENOUGH_INFO]
    pairs = [Pair(f"claim {i}", f"evidence {i}", labels[k], "scifact") for i, k in enumerate(y)]
    signal = rng.normal(size=(n, 3))
    signal[np.arange(n), y] += 1.0  # weak: the rare CONTRADICTED is usually outvoted

    class Judge:
        def logits(self, claims: list[str], evidence: list[str]) -> NDArray[np.float64]:
            return signal[[int(c.split()[1]) for c in claims]]

    monkeypatch.setattr(data, "calibration_pairs", lambda _d: pairs)
    combiner = fit_combiner(Judge(), tmp_path)  # type: ignore[arg-type]
    assert combiner is not None and combiner.bias is None
    info = combiner.info
    assert info["balanced"] is True
    assert combiner.cv_macro_f1 == pytest.approx(info["cv_macro_f1_balanced"], abs=1e-4)
    assert 0 < info["cv_macro_f1_unweighted"] <= 1
    # Balanced, the rare label that the weak signal would outvote is still decided for.
    from litcheck.verify.judge import combiner_features

    claims, evidence = [p.claim for p in pairs], [p.evidence for p in pairs]
    decided = combiner.probabilities(combiner_features(signal, claims, evidence)).argmax(1)
    assert int((decided == 1).sum()) >= int((y == 1).sum()) // 2
