"""The whole path on a tiny random BERT: methods, intermediate stage, resume, results schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.config import config_from_dict
from litcheck.experiments.data import Example
from litcheck.experiments.modeling import EmbeddingScale, PairClassifier, train_step_loss
from litcheck.experiments.trainer import encode_pairs, run_experiment
from litcheck.models import RunResult

from .conftest import PAWSX_LANGS, small_config, tiny_bert


@pytest.mark.parametrize("method", ["plain", "rs_da", "rs_rp", "at"])
def test_each_method_takes_a_step(method: str, tokenizer: Any) -> None:
    cfg = config_from_dict(small_config(method=method, methods={"at_steps": 2}))
    model = PairClassifier(tiny_bert(len(tokenizer)), {"pawsx": 2})
    model.encoder.get_input_embeddings().weight.requires_grad_(False)
    batch = encode_pairs(
        tokenizer,
        [Example("the movie was good", "a film", 1), Example("big car", "house", 0)],
        32,
        torch.device("cpu"),
    )
    loss = train_step_loss(model, "pawsx", batch, method, cfg.methods, EmbeddingScale.of(model))
    assert loss == loss and loss > 0
    head = model.heads["pawsx"].weight
    assert head.grad is not None and float(head.grad.abs().sum()) > 0
    assert model.encoder.get_input_embeddings().weight.grad is None


def test_run_resume_and_results_schema(tmp_path: Path, settings: Any, tokenizer: Any) -> None:
    cfg = config_from_dict(small_config(method="at", intermediate="romance"))
    run_dir = tmp_path / "run"
    enc = tiny_bert(len(tokenizer))
    # killed after 3 optimizer steps (2 intermediate + 1 task step)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(
            cfg,
            run_dir,
            settings,
            show_progress=False,
            encoder=enc,
            tokenizer=tokenizer,
            stop_after_steps=3,
        )
    assert runs.is_run_dir(run_dir) and not runs.is_finished(run_dir)
    ckpt = torch.load(run_dir / "state" / "checkpoint.pt", weights_only=False)
    assert (ckpt["stage"], ckpt["step"]) == (1, 1)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in ("config", "pools", "seed", "packages", "device", "git_commit"):
        assert key in manifest
    assert set(manifest["pools"]["pawsx"]["hashes"]) == {
        "intermediate",
        "train",
        "calibration",
        "eval",
    }
    # without --resume an unfinished run is refused
    with pytest.raises(ExperimentError, match="--resume"):
        run_experiment(
            cfg, run_dir, settings, show_progress=False, encoder=enc, tokenizer=tokenizer
        )
    out = run_experiment(
        cfg,
        run_dir,
        settings,
        resume=True,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )
    assert out.status == "finished"
    steps = [json.loads(line) for line in (run_dir / "log.jsonl").read_text().splitlines()]
    task_steps = [s["step"] for s in steps if s["stage"] == "task"]
    assert task_steps == [1, 2, 3, 4]  # resumed after step 1, nothing repeated
    assert not (run_dir / "state").exists()
    rows = runs.read_results(run_dir)
    assert all(isinstance(r, RunResult) and 0 <= r.value <= 1 for r in rows)
    accs = {r.language for r in rows if r.metric == "accuracy"}
    assert set(PAWSX_LANGS) <= accs
    assert {"romance", "germanic", "other", "zero_shot", "all"} <= accs
    assert any(r.metric == "robust_accuracy" and r.language == "en" for r in rows)
    assert any(r.metric == "dev_accuracy" for r in rows)
    assert {(r.task, r.method, r.intermediate, r.seed) for r in rows} == {
        ("pawsx", "at", "romance", 1)
    }
    preds = json.loads((run_dir / "predictions.json").read_text())
    assert len(preds["correct"]["de"]) == len(preds["items"]) == len(preds["attack"]["en"])
    # a finished run is skipped
    again = run_experiment(
        cfg, run_dir, settings, show_progress=False, encoder=enc, tokenizer=tokenizer
    )
    assert again.status == "skipped"


def test_resume_at_a_stage_boundary_is_exact(tmp_path: Path, settings: Any, tokenizer: Any) -> None:
    """Killed right after the intermediate stage, a resumed run trains exactly as an
    uninterrupted one (same losses, same results), and its log holds each step once."""
    cfg = config_from_dict(small_config(method="rs_rp", intermediate="romance"))
    ref = run_experiment(
        cfg,
        tmp_path / "ref",
        settings,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )
    cut = tmp_path / "cut"
    with pytest.raises(KeyboardInterrupt):
        run_experiment(
            cfg,
            cut,
            settings,
            show_progress=False,
            encoder=tiny_bert(len(tokenizer)),
            tokenizer=tokenizer,
            stop_after_steps=2,  # the intermediate stage's last step
        )
    # a step trained after the checkpoint and logged before the kill is trained again
    runs.append_log(cut, {"stage": "task", "step": 1, "loss": 99.0, "elapsed_s": 0.1})
    out = run_experiment(
        cfg,
        cut,
        settings,
        resume=True,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )

    def losses(run: Path) -> list[tuple[str, int, float]]:
        log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
        return [(r["stage"], r["step"], r["loss"]) for r in log if "loss" in r]

    assert losses(cut) == losses(tmp_path / "ref")
    assert [(r.metric, r.language, r.value) for r in out.rows] == [
        (r.metric, r.language, r.value) for r in ref.rows
    ]


def test_other_task_intermediate_and_language_subset(
    tmp_path: Path, settings: Any, tokenizer: Any
) -> None:
    cfg = config_from_dict(
        small_config(
            task="xnli",
            method="rs_da",
            intermediate="germanic_en",
            intermediate_stage={"steps": 2, "task": "pawsx"},
            eval={"languages": ["en", "de", "fr"], "attack_samples": 0},
            pools={"intermediate": 16, "train": 20, "calibration": 9, "eval": 12},
        )
    )
    out = run_experiment(
        cfg,
        tmp_path / "r",
        settings,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )
    langs = {r.language for r in out.rows if r.metric == "accuracy"}
    assert langs == {"en", "de", "fr", "romance", "germanic", "zero_shot", "all"}
    assert not any(r.metric == "robust_accuracy" for r in out.rows)


def test_run_dir_in_the_way(tmp_path: Path, settings: Any, tokenizer: Any) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "file.txt").write_text("x")
    cfg = config_from_dict(small_config())
    with pytest.raises(ExperimentError, match="not a run directory"):
        run_experiment(
            cfg,
            tmp_path / "junk",
            settings,
            show_progress=False,
            encoder=tiny_bert(len(tokenizer)),
            tokenizer=tokenizer,
        )


def test_data_dir_without_files(tmp_path: Path, tokenizer: Any) -> None:
    from litcheck.settings import load_settings

    s = load_settings(home=tmp_path / "h", data_dir=tmp_path / "empty")
    cfg = config_from_dict(small_config())
    with pytest.raises(ExperimentError, match=r"dev-de\.tsv.*LITCHECK_DATA_DIR"):
        run_experiment(
            cfg,
            tmp_path / "r",
            s,
            show_progress=False,
            encoder=tiny_bert(len(tokenizer)),
            tokenizer=tokenizer,
        )


def test_offline_encoder_must_be_built(tmp_path: Path, settings: Any) -> None:
    cfg = config_from_dict(small_config())
    with pytest.raises(ExperimentError, match="build-encoder"):
        run_experiment(cfg, tmp_path / "r", settings, show_progress=False)


def test_generalized_setting_pairs_two_languages(
    tmp_path: Path, settings: Any, tokenizer: Any
) -> None:
    cfg = config_from_dict(
        small_config(eval={"languages": ["en", "de", "fr"], "generalized": True})
    )
    out = run_experiment(
        cfg,
        tmp_path / "g",
        settings,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )
    gen = {r.language: r.value for r in out.rows if r.metric == "generalized_accuracy"}
    assert set(gen) == {"en", "de", "fr", "all"}
    assert gen["all"] == pytest.approx((gen["en"] + gen["de"] + gen["fr"]) / 3)
    preds = json.loads((tmp_path / "g" / "predictions.json").read_text())
    partners = preds["generalized_partners"]
    assert set(partners) == {"en", "de", "fr"}
    for first, seconds in partners.items():
        assert len(seconds) == len(preds["items"]) == len(preds["generalized"][first])
        assert first not in seconds and set(seconds) <= {"en", "de", "fr"}
        bits = preds["generalized"][first]
        assert gen[first] == pytest.approx(bits.count("1") / len(bits))


def test_generalized_off_by_default(tmp_path: Path, settings: Any, tokenizer: Any) -> None:
    cfg = config_from_dict(small_config(eval={"languages": ["en", "de"], "attack_samples": 0}))
    out = run_experiment(
        cfg,
        tmp_path / "r",
        settings,
        show_progress=False,
        encoder=tiny_bert(len(tokenizer)),
        tokenizer=tokenizer,
    )
    assert not any(r.metric == "generalized_accuracy" for r in out.rows)
    assert "generalized" not in json.loads((tmp_path / "r" / "predictions.json").read_text())


def test_unloadable_encoder_is_one_line_and_leaves_no_run(tmp_path: Path, data_dir: Path) -> None:
    from litcheck.settings import load_settings

    settings = load_settings(home=tmp_path / "home", data_dir=data_dir, offline=True)
    cfg = config_from_dict(small_config(encoder="no-such-org/no-such-model"))
    with pytest.raises(ExperimentError) as err:
        run_experiment(cfg, tmp_path / "run", settings, show_progress=False)
    msg = str(err.value)
    assert "no-such-org/no-such-model" in msg and "offline" in msg and "\n" not in msg
    assert not runs.is_run_dir(tmp_path / "run")


def test_rs_da_can_match_epochs_instead_of_steps(settings: Any, data_dir: Path) -> None:
    from litcheck.experiments.attacks import SynonymTable
    from litcheck.experiments.data import load_task, make_pools
    from litcheck.experiments.trainer import _stage_examples

    def task_steps(**methods: Any) -> tuple[int, int]:
        cfg = config_from_dict(small_config(method="rs_da", methods=methods))
        data = {"pawsx": load_task(data_dir, "pawsx")}
        pools = {"pawsx": make_pools(data["pawsx"], cfg.pools.sizes(), cfg.pools.seed)}
        stage = _stage_examples(cfg, data, pools, SynonymTable.load(data_dir))[-1]
        return stage.steps, len(stage.examples)

    assert task_steps() == (4, 20 * 10)  # compute-matched: train.steps
    assert task_steps(rs_da_match_epochs=True) == (40, 20 * 10)  # official: n times the steps
