"""The table of deviations from the paper's settings, read from the runs' configs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from litcheck.experiments.config import config_from_dict, load_grid
from litcheck.experiments.deviations import (
    Deviation,
    deviation_table,
    deviations,
    deviations_from_manifests,
)

from .conftest import small_config

ROOT = Path(__file__).resolve().parents[2]


def _rows(rows: list[Deviation]) -> dict[str, Deviation]:
    return {r.setting: r for r in rows}


def test_values_come_from_the_configs() -> None:
    cfgs = [
        config_from_dict(small_config(method=m, seed=s, train={"batch_size": 16, "max_length": 64}))
        for m in ("plain", "at")
        for s in (1, 2)
    ]
    rows = _rows(deviations(cfgs))
    assert rows["batch size"].ours == "16" and rows["batch size"].differs
    assert rows["max length (tokens)"].ours == "64" and rows["max length (tokens)"].differs
    assert rows["seeds"].ours == "2 (1, 2)"
    assert "per token" in rows["AT"].ours and "ramped" not in rows["AT"].ours
    assert "RS-DA" not in rows and "RS-RP" not in rows  # only the methods the runs use
    # 4 steps x batch 16 over the 20-pair pool
    assert rows["training length"].ours == "4 steps (64 pairs, 3.2 passes)"
    assert rows["English training data"].ours == "English pool of the dev set (20)"

    paper_like = [
        config_from_dict(small_config(seed=7, train={"batch_size": 32, "max_length": 128}))
    ]
    rows = _rows(deviations(paper_like))
    assert not rows["batch size"].differs and not rows["max length (tokens)"].differs
    assert not rows["seeds"].differs
    table = deviation_table(list(rows.values()))
    assert "| batch size |" not in table
    assert table.endswith("As in the paper: batch size, max length (tokens), seeds.")
    with pytest.raises(ValueError):
        deviations([])


def test_learning_grid_deviations() -> None:
    _, cfgs = load_grid(ROOT / "data" / "experiments" / "learning-grid.toml")
    rows = _rows(deviations(cfgs, {"snli_sick": 14_776}))
    data = rows["English training data"]
    assert data.ours == "English pool of the dev set (800)" and data.differs
    assert "MultiNLI train (392,702)" in data.paper
    assert not rows["max length (tokens)"].differs
    assert "pawsx: n = 10, 1.25 passes over the augmented set" in rows["RS-DA"].ours
    assert rows["generalized setting"].ours.startswith("pawsx:")
    assert "AT" not in rows  # dropped from the grid for the budget


def test_from_manifests(tmp_path: Path) -> None:
    cfg = config_from_dict(
        small_config(
            task="xnli",
            method="at",
            train={"english_train": "snli_sick"},
            methods={"at_norm": "sequence", "at_ramp_steps": 10},
        )
    )
    manifests: list[dict[str, Any]] = [
        {
            "config": cfg.model_dump(mode="json"),
            "english_train": {"source": "snli_sick", "pairs": 6},
        },
        {"config": {"no_such_key": 1}},  # unreadable: skipped
        {},
    ]
    rows = _rows(deviations_from_manifests(manifests))
    assert rows["English training data"].ours == "SNLI dev + SICK TRAIN/TRIAL (6)"
    assert "one ball over the example's tokens" in rows["AT"].ours
    assert "ramped over 10 steps" in rows["AT"].ours
    assert deviations_from_manifests([{}]) == []
    table = deviation_table(list(rows.values()))
    header, rule = table.splitlines()[:2]
    assert header.startswith("| setting | paper") and rule == "|---|---|---|---|"


def test_pool_plus_nli_corpora_is_named_with_both_counts() -> None:
    cfg = config_from_dict(small_config(task="xnli", train={"english_train": "pool_snli_sick"}))
    rows = _rows(deviations([cfg], {"snli_sick": 14_776}))
    ours = rows["English training data"].ours
    assert ours.startswith(f"English pool of the dev set ({cfg.pools.train:,}) + SNLI dev")
    assert f"({14_776 + cfg.pools.train:,})" in ours
    assert "xnli-snli-sick" in rows["English training data"].note
