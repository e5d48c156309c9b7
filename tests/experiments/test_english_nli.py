"""XNLI's English task training from SNLI dev + SICK TRAIN/TRIAL, with evaluation unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.config import config_from_dict
from litcheck.experiments.data import (
    SICK_FILE,
    SNLI_FILE,
    TASKS,
    load_english_nli,
    load_task,
    make_pools,
)

from .conftest import small_config, tiny_bert

SICK_HEADER = (
    "pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\t"
    "entailment_BA\tsentence_A_original\tsentence_B_original\tsentence_A_dataset\t"
    "sentence_B_dataset\tSemEval_set\n"
)


def write_nli(root: Path) -> Path:
    """Tiny SNLI (dev and test) and SICK (TRAIN, TRIAL, TEST) files under ``root``."""
    snli = root / SNLI_FILE
    snli.parent.mkdir(parents=True, exist_ok=True)
    records = [
        ("snli_dev", "a man is in a city .", "a man is outside .", "entailment"),
        ("snli_dev", "a man is in a city .", "a woman is in a car .", "contradiction"),
        ("snli_dev", "a dog runs .", "the dog is fast .", "neutral"),
        ("snli_dev", "a dog runs .", "an animal moves .", "-"),  # no gold label
        ("snli_test", "TEST PREMISE .", "TEST HYPOTHESIS .", "entailment"),
    ]
    snli.write_text(
        "".join(
            json.dumps({"split": s, "premise": p, "hypothesis": h, "label": y}) + "\n"
            for s, p, h, y in records
        ),
        encoding="utf-8",
    )
    sick = root / SICK_FILE
    sick.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        ("1", "A big house", "A small house", "CONTRADICTION", "TRAIN"),
        ("2", "A fast car", "A car", "ENTAILMENT", "TRIAL"),
        ("3", "A woman is here", "A man is here", "NEUTRAL", "TRAIN\r"),  # as the real file has
        ("4", "SICK TEST A", "SICK TEST B", "NEUTRAL", "TEST"),
    ]
    sick.write_text(
        SICK_HEADER
        + "".join(
            f"{i}\t{a}\t{b}\t{y}\t4.0\tx\tx\ta\tb\tFLICKR\tFLICKR\t{s}\n" for i, a, b, y, s in rows
        ),
        encoding="utf-8",
    )
    return root


def test_reads_dev_and_train_splits_only(tmp_path: Path) -> None:
    nli = load_english_nli(write_nli(tmp_path))
    labels = TASKS["xnli"].labels
    assert nli.counts == {"snli_dev": 3, "sick_train_trial": 3}
    texts = " ".join(e.text_a + e.text_b for e in nli.examples)
    assert "TEST" not in texts  # SNLI test and SICK TEST are never read
    first = nli.examples[0]
    assert (first.text_a, first.text_b, labels[first.label]) == (
        "a man is in a city .",
        "a man is outside .",
        "entailment",
    )
    assert labels[nli.examples[3].label] == "contradiction"  # SICK's upper-case labels
    assert nli.examples[3].text_a == "A big house"  # A is the premise
    assert set(nli.files) == {SNLI_FILE, SICK_FILE}


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match=r"lacks .*snli_devtest_esnli\.jsonl.*SICK\.txt"):
        load_english_nli(tmp_path)
    write_nli(tmp_path)
    (tmp_path / SNLI_FILE).write_text('{"split": "snli_dev", "premise": "a"}\n')
    with pytest.raises(ExperimentError, match=r"jsonl:1 is not a JSON object"):
        load_english_nli(tmp_path)
    write_nli(tmp_path)
    (tmp_path / SICK_FILE).write_text("pair_ID\tsentence_A\n1\tx\n")
    with pytest.raises(ExperimentError, match="lacks the column"):
        load_english_nli(tmp_path)
    write_nli(tmp_path)
    text = (tmp_path / SICK_FILE).read_text().replace("ENTAILMENT", "MAYBE")
    (tmp_path / SICK_FILE).write_text(text)
    with pytest.raises(ExperimentError, match="label 'MAYBE'"):
        load_english_nli(tmp_path)


def test_only_xnli_takes_nli_pairs() -> None:
    for option in ("snli_sick", "pool_snli_sick"):
        with pytest.raises(ExperimentError, match="trains xnli only"):
            config_from_dict(small_config(train={"english_train": option}))
    with pytest.raises(ExperimentError, match=r"train\.english_train"):
        config_from_dict(small_config(task="xnli", train={"english_train": "mnli"}))
    assert config_from_dict(small_config(task="xnli")).train.english_train == "pool"


def test_run_trains_on_nli_pairs_and_evaluates_the_xnli_pools(
    tmp_path: Path, data_dir: Path, tokenizer: Any
) -> None:
    from litcheck.experiments.trainer import _stage_examples, run_experiment
    from litcheck.settings import load_settings

    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    write_nli(data)
    settings = load_settings(home=tmp_path / "home", data_dir=data)
    over = {"eval": {"languages": ["en", "de"], "attack_samples": 0}}
    pool_cfg = config_from_dict(small_config(task="xnli", **over))
    nli_cfg = config_from_dict(
        small_config(task="xnli", train={"english_train": "snli_sick"}, **over)
    )
    xnli = {"xnli": load_task(data, "xnli")}
    pools = {"xnli": make_pools(xnli["xnli"], nli_cfg.pools.sizes(), nli_cfg.pools.seed)}
    nli = load_english_nli(data)
    stage = _stage_examples(nli_cfg, xnli, pools, None, nli)[-1]
    assert stage.examples == nli.examples
    both_cfg = config_from_dict(
        small_config(task="xnli", train={"english_train": "pool_snli_sick"}, **over)
    )
    both = _stage_examples(both_cfg, xnli, pools, None, nli)[-1]
    pool = _stage_examples(pool_cfg, xnli, pools, None)[-1]
    # the in-domain pool first, then the other corpora: every pair of both, once
    assert both.examples == pool.examples + nli.examples
    with pytest.raises(ExperimentError, match="needs its pairs loaded"):
        _stage_examples(nli_cfg, xnli, pools, None)

    out = {}
    for name, cfg in (("pool", pool_cfg), ("nli", nli_cfg)):
        outcome = run_experiment(
            cfg,
            tmp_path / name,
            settings,
            show_progress=False,
            encoder=tiny_bert(len(tokenizer)),
            tokenizer=tokenizer,
        )
        out[name] = outcome
    manifest = runs.read_manifest(tmp_path / "nli")
    assert manifest["english_train"]["pairs"] == 6
    assert manifest["english_train"]["counts"] == {"snli_dev": 3, "sick_train_trial": 3}
    assert "english_train" not in runs.read_manifest(tmp_path / "pool")
    # same pools, same evaluation items: the two options' runs stay paired item by item
    assert manifest["pools"] == runs.read_manifest(tmp_path / "pool")["pools"]
    pred = {n: runs.read_predictions(tmp_path / n) for n in out}
    assert pred["nli"] is not None and pred["pool"] is not None
    assert pred["nli"]["items"] == pred["pool"]["items"]
    langs = {r.language for r in out["nli"].rows if r.metric == "accuracy"}
    assert {"en", "de"} <= langs
