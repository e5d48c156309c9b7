"""The judge that ships in the package: present, small, the default, deterministic, faithful."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from litcheck.verify.onnx_judge import ONNX_NAME, SHIPPED_DIR, OnnxJudge

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).parent / "fixtures" / "judge_fp32_reference.json"


def test_the_package_holds_a_complete_small_judge() -> None:
    for name in (ONNX_NAME, "tokenizer.json", "calibration.json", "card.json", "MODEL_CARD.md"):
        assert (SHIPPED_DIR / name).is_file(), name
    assert (SHIPPED_DIR / ONNX_NAME).stat().st_size <= 60 * 1024 * 1024
    card = json.loads((SHIPPED_DIR / "card.json").read_text())
    assert card["version"] and card["steps"] >= 1000 and not card["smoke"]
    cal = json.loads((SHIPPED_DIR / "calibration.json").read_text())
    assert {"temperature", "combiner", "aggregator", "thresholds"} <= set(cal)


def test_int8_judge_agrees_with_its_fp32_original() -> None:
    ref = json.loads(REFERENCE.read_text())["pairs"]
    judge = OnnxJudge(SHIPPED_DIR, combine=False)
    z = judge.logits([r["claim"] for r in ref], [r["evidence"] for r in ref])
    fp32 = np.array([r["fp32_logits"] for r in ref])
    agreement = float(np.mean(z.argmax(1) == fp32.argmax(1)))
    assert agreement >= 0.93, agreement
    assert float(np.abs(z - fp32).mean()) < 0.5


def test_a_pairs_logits_do_not_depend_on_the_pairs_judged_beside_it() -> None:
    # The int8 graph quantises activations per tensor: in a shared batch the widest pair
    # would set every pair's scale. Each pair must get the same logits alone or in company.
    ref = json.loads(REFERENCE.read_text())["pairs"][:12]
    claims = [r["claim"] for r in ref]
    evidence = [r["evidence"] for r in ref]
    long_evidence = " ".join(evidence) * 3
    together = OnnxJudge(SHIPPED_DIR, combine=False).logits(
        [*claims, claims[0]], [*evidence, long_evidence]
    )
    one_thread = OnnxJudge(SHIPPED_DIR, combine=False, threads=1)
    for i, (c, e) in enumerate(zip(claims, evidence, strict=True)):
        alone = one_thread.logits([c], [e])[0]
        np.testing.assert_array_equal(alone, together[i])


def test_same_verdicts_twice_and_named_in_every_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import run_cli

    monkeypatch.setenv("LITCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LITCHECK_DATA_DIR", raising=False)
    monkeypatch.delenv("LITCHECK_VERIFIER_MODEL", raising=False)
    imported = run_cli("library", "import", str(ROOT / "data" / "examples" / "papers.jsonl"))
    assert imported.code == 0, imported.stderr
    runs = []
    for _ in range(2):
        res = run_cli(
            "verify", str(ROOT / "data" / "examples" / "claims.jsonl"), "--format", "json"
        )
        assert res.code == 0, res.stderr
        runs.append([json.loads(line) for line in res.stdout.splitlines() if line.strip()])
    assert runs[0] == runs[1]
    name = OnnxJudge(SHIPPED_DIR).name
    assert runs[0] and all(v["judge"] == name for v in runs[0])


def test_audit_of_the_example_report_rests_on_quotes_that_bear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15's rows 4, 6 and 8: no SUPPORTED or CONTRADICTED on a quote that says neither."""
    from tests.conftest import run_cli

    monkeypatch.setenv("LITCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LITCHECK_OFFLINE", "1")
    monkeypatch.delenv("LITCHECK_VERIFIER_MODEL", raising=False)
    assert run_cli("library", "import", str(ROOT / "data" / "examples" / "papers.jsonl")).code == 0
    res = run_cli(
        "audit", str(ROOT / "data" / "examples" / "synthesis-report.txt"), "--format", "json"
    )
    assert res.code == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    by_claim = {r["claim"]: r for r in rows if "claim" in r}
    row4 = by_claim[
        "The pair of input sentences in the text classification tasks belong to two different "
        "languages."
    ]
    row6 = by_claim[
        "XTREME and XGLUE provide benchmarks for zero-shot cross-lingual transfer learning."
    ]
    row8 = by_claim[
        "Most approaches for aligning embedding spaces require additional supervision signals."
    ]
    if row4["verdict"] != "NOT_ENOUGH_INFO":
        assert "two different languages" in row4["evidence"][0]["text"]
    assert row6["verdict"] == "NOT_ENOUGH_INFO"
    assert "XTREME" in (row6.get("reason") or "")
    assert row8["verdict"] != "CONTRADICTED"


def test_the_shipped_judge_imports_back_to_a_trainable_checkpoint(tmp_path: Path) -> None:
    pytest.importorskip("onnx")
    pytest.importorskip("transformers")
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from litcheck.verify.onnx_judge import import_onnx
    from litcheck.verify.resolve import resolve_model
    from litcheck.verify.train import predict_logits

    base = resolve_model(json.loads((SHIPPED_DIR / "card.json").read_text())["base"])
    if not Path(base).is_dir():
        pytest.skip("the base model package is not installed")
    info = import_onnx(SHIPPED_DIR, Path(base), tmp_path / "ckpt")
    # The frozen word table of the judge is the base's, up to int8 rounding.
    assert info["max_abs_diff_word_embeddings"] < 0.01
    ref = json.loads(REFERENCE.read_text())["pairs"][:24]
    model = AutoModelForSequenceClassification.from_pretrained(tmp_path / "ckpt")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "ckpt")
    z = predict_logits(
        model, tokenizer, [r["claim"] for r in ref], [r["evidence"] for r in ref], 128
    )
    fp32 = np.array([r["fp32_logits"] for r in ref])
    assert float(np.mean(z.argmax(1) == fp32.argmax(1))) >= 0.95
    assert float(np.abs(z - fp32).mean()) < 0.2
