"""The judge registry and `litcheck judge list|use|remove`, `--judge`, and smoke training."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.conftest import run_cli

from litcheck.errors import VerificationError
from litcheck.settings import load_settings
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.judges import (
    card_figures,
    default_judge,
    judges_dir,
    list_judges,
    load_judge,
    read_default,
    resolve_judge,
    shipped_entry,
)

CARD = {
    "name": "tiny",
    "steps": 250,
    "created": "2025-11-30T10:00:00",
    "metrics": {"scifact_dev_gold_calibrated": {"macro_f1": 0.61234, "ece": 0.0456}},
}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("transformers")
    from tests.verify.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def _install(tiny_model: Path, name: str = "tiny") -> Path:
    import shutil

    folder = judges_dir(load_settings()) / name
    shutil.copytree(tiny_model, folder / "model")
    (folder / "card.json").write_text(json.dumps({**CARD, "name": name}))
    return folder


def _expected_default() -> str:
    return "shipped" if shipped_entry() is not None else "fallback"


def test_a_fresh_home_defaults_to_shipped_or_fallback_with_a_note() -> None:
    entry, note = default_judge(load_settings())
    assert entry.ref == _expected_default()
    assert (note is None) == (entry.ref == "shipped")
    res = run_cli("judge", "list", "--json")
    assert res.code == 0, res.stderr
    rows = {r["name"]: r for r in res.json_lines()}
    assert {"shipped", "fallback"} <= set(rows)
    assert [n for n, r in rows.items() if r["default"]] == [_expected_default()]


def test_card_figures_read_train_verifier_cards_and_figures_maps() -> None:
    assert card_figures(CARD) == {"scifact_dev_macro_f1": 0.6123, "scifact_dev_ece": 0.0456}
    old = {"metrics": {"test_calibrated": {"macro_f1": 0.5, "ece": 0.1}}}
    assert card_figures(old)["scifact_dev_macro_f1"] == 0.5
    assert card_figures({"figures": {"gold": {"macro_f1": 0.8}, "n": 300}}) == {
        "gold.macro_f1": 0.8,
        "n": 300.0,
    }


def test_resolution_order_explicit_then_setting_then_default(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install(tiny_model)
    cfg = load_settings()
    assert load_judge(cfg, judge="tiny").name == "tiny (2025-11-30, 250 steps)"
    assert run_cli("judge", "use", "fallback").code == 0
    assert isinstance(load_judge(load_settings()), FallbackJudge)
    monkeypatch.setenv("LITCHECK_VERIFIER_MODEL", "tiny")
    assert load_judge(load_settings()).name.startswith("tiny")
    assert isinstance(load_judge(load_settings(), judge="fallback"), FallbackJudge)
    with pytest.raises(VerificationError, match="No judge named 'nope'"):
        load_judge(load_settings(), judge="nope")
    # A hub id resolves without touching the network until the judge is used.
    assert resolve_judge("cross-encoder/nli-deberta-v3-small", cfg).kind == "hub"


def test_use_checks_the_judge_then_records_it_and_remove_resets(
    tiny_model: Path, tmp_path: Path
) -> None:
    folder = _install(tiny_model)
    res = run_cli("judge", "list", "--json")
    tiny = next(r for r in res.json_lines() if r["name"] == "tiny")
    assert tiny["figures"]["scifact_dev_macro_f1"] == 0.6123 and tiny["date"] == "2025-11-30"
    assert not tiny["default"]
    res = run_cli("judge", "use", "tiny")
    assert res.code == 0, res.stderr
    assert "now tiny" in res.stderr and read_default(load_settings()) == "tiny"
    assert json.loads((judges_dir(load_settings()) / "default.json").read_text())["judge"] == "tiny"
    # A broken model is refused and the default stays.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    res = run_cli("judge", "use", str(broken))
    assert res.code == 2 and "Traceback" not in res.stderr
    assert read_default(load_settings()) == "tiny"
    for name in ("shipped", "fallback"):
        res = run_cli("judge", "remove", name)
        assert res.code == 2 and "cannot be removed" in res.stderr
    res = run_cli("judge", "remove", "tiny")
    assert res.code == 0 and "was the default" in res.stderr
    assert not folder.exists() and read_default(load_settings()) is None
    assert default_judge(load_settings())[0].ref == _expected_default()
    assert run_cli("judge", "remove", "tiny").code == 2


def test_verify_names_the_judge_it_used(tiny_model: Path, papers_jsonl: Path) -> None:
    _install(tiny_model)
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    claims = Path("claims.jsonl")
    claims.write_text(json.dumps({"id": "c1", "claim": "Robust training helps.", "cites": []}))
    res = run_cli("verify", str(claims), "--format", "json", "--judge", "tiny")
    assert res.code == 0, res.stderr
    assert res.json_lines()[0]["judge"] == "tiny (2025-11-30, 250 steps)"
    res = run_cli("verify", str(claims), "--format", "json", "--judge", "fallback")
    assert res.json_lines()[0]["judge"].startswith("fallback (litcheck ")
    res = run_cli("verify", str(claims), "--judge", "no-such-judge")
    assert res.code == 2 and "judge list" in res.stderr


def test_train_verifier_without_data_says_how_to_get_it(tmp_path: Path) -> None:
    res = run_cli("train-verifier", "--data", str(tmp_path / "empty"), "--max-steps", "2")
    assert res.code == 2
    assert "litcheck download-data" in res.stderr and "shared" not in res.stderr


def test_a_smoke_run_writes_a_named_judge_and_leaves_the_default(
    tiny_model: Path, tmp_path: Path
) -> None:
    from tests.verify.tiny_model import write_scifact_fixture

    data = write_scifact_fixture(tmp_path / "data")
    assert run_cli("judge", "use", "fallback").code == 0
    args = ["train-verifier", "--data", str(data), "--base", str(tiny_model)]
    args += ["--max-steps", "3", "--batch-size", "4", "--threads", "1"]
    started = time.monotonic()
    res = run_cli(*args, "--name", "t1")
    took = time.monotonic() - started
    assert res.code == 0, res.stderr
    assert "Smoke run" in res.stderr and "retrieval fit is skipped" in res.stderr
    assert took < 60, f"a smoke run took {took:.0f} s"
    assert read_default(load_settings()) == "fallback"
    entry = resolve_judge("t1", load_settings())
    assert entry.card["name"] == "t1" and entry.card["smoke"] is True
    assert "smoke run" in (entry.version or "")
    assert "t1" in [e.ref for e in list_judges(load_settings())]
    # The same name again continues only with --resume; --use then makes it the default,
    # after its figures are printed.
    assert run_cli(*args, "--name", "t1").code == 2
    res = run_cli(
        *args[:-4], "--max-steps", "4", "--batch-size", "4", "--name", "t1", "--resume", "--use"
    )
    assert res.code == 0, res.stderr
    assert res.stderr.index("Judge t1:") < res.stderr.index("default judge is now t1")
    assert read_default(load_settings()) == "t1"
    assert resolve_judge("t1", load_settings()).card["steps"] == 4


def test_the_shipped_judge_is_listed_with_its_figures_as_it_runs() -> None:
    from litcheck.verify.judges import card_figures, headline
    from litcheck.verify.onnx_judge import SHIPPED_DIR

    card = json.loads((SHIPPED_DIR / "card.json").read_text())
    shipped = card["metrics"]["scifact_dev_gold"]
    assert headline(card_figures(card)) == (
        f"SciFact dev F1 {shipped['macro_f1']:.3f}, ECE {shipped['ece']:.3f}"
    )
