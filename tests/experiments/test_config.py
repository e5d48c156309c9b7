from __future__ import annotations

import json
from pathlib import Path

import pytest

from litcheck.errors import ExperimentError
from litcheck.experiments.config import config_from_dict, load_config, load_grid

from .conftest import small_config


def test_defaults_and_official_rs_da_n() -> None:
    assert config_from_dict({"task": "pawsx"}).rs_da_n == 10
    assert config_from_dict({"task": "xnli"}).rs_da_n == 3
    cfg = config_from_dict(small_config(method="rs_rp", intermediate="germanic_en"))
    assert cfg.run_id == "pawsx-rs_rp-germanic_en-s1"


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [
        ({"train": {"stepz": 3}}, "Unknown config key 'train.stepz'"),
        ({"colour": "red"}, "Unknown config key 'colour'"),
        ({"method": "dropout"}, "Unknown method 'dropout'"),
        ({"intermediate": "slavic"}, "Unknown intermediate subset 'slavic'"),
        ({"task": "mnli"}, "Unknown task 'mnli'"),
        ({"eval": {"languages": ["en", "pt"]}}, "Unknown language 'pt'"),
        ({"train": {"steps": 0}}, "train.steps"),
        ({"eval": {"languages": ["en"], "generalized": True}}, "at least two"),
        ({"eval": {"generalized": "maybe"}}, "eval.generalized"),
        ({"train": {"steps": True}}, "train.steps"),  # strict: a bool is not a count
        ({"seed": "7"}, "seed"),
        ({"eval": {"languages": []}}, "eval.languages"),
        ({"train": {"max_length": 100000}}, "train.max_length"),
        ({"intermediate_stage": {"lr": -1.0}}, "intermediate_stage.lr"),
    ],
)
def test_bad_configs_one_line(raw: dict[str, object], pattern: str) -> None:
    with pytest.raises(ExperimentError, match=pattern) as err:
        config_from_dict(raw, "x.toml")
    assert "\n" not in str(err.value)


def test_toml_errors(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("task = \n")
    with pytest.raises(ExperimentError, match="not valid TOML"):
        load_config(bad)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xc4\x00\xff" * 100)
    with pytest.raises(ExperimentError, match="not UTF-8"):
        load_config(binary)


def test_grid_expansion_order_and_overrides(tmp_path: Path) -> None:
    grid = tmp_path / "g.toml"
    grid.write_text(
        'name = "g"\norder = ["seed", "task", "method", "intermediate"]\n'
        '[axes]\ntask = ["xnli", "pawsx"]\nmethod = ["plain", "at"]\n'
        'intermediate = ["none", "romance"]\nseed = [1, 2]\n'
        "[base.train]\nsteps = 5\n[overrides.xnli.pools]\neval = 7\n"
    )
    _, runs = load_grid(grid)
    assert len(runs) == 16
    assert [r.run_id for r in runs[:3]] == [
        "xnli-plain-none-s1",
        "xnli-plain-romance-s1",
        "xnli-at-none-s1",
    ]
    assert all(r.train.steps == 5 for r in runs)
    assert {r.pools.eval for r in runs if r.task == "xnli"} == {7}
    assert {r.pools.eval for r in runs if r.task == "pawsx"} == {400}
    grid.write_text('[axes]\nmethod = ["plain", "magic"]\n')
    with pytest.raises(ExperimentError, match="Unknown method 'magic'"):
        load_grid(grid)
    grid.write_text('[axis]\nmethod = ["plain"]\n')
    with pytest.raises(ExperimentError, match="Unknown config key 'axis'"):
        load_grid(grid)
    grid.write_text("[axes]\nseed = [1, 1]\n")
    with pytest.raises(ExperimentError, match=r"axes\.seed repeats a value"):
        load_grid(grid)
    grid.write_text("[axes]\nmethod = []\n")
    with pytest.raises(ExperimentError, match=r"axes\.method is empty"):
        load_grid(grid)
    grid.write_text('[axes]\ntask = ["pawsx"]\n[overrides.mnli.train]\nsteps = 3\n')
    with pytest.raises(ExperimentError, match="overrides for mnli"):
        load_grid(grid)


ROOT = Path(__file__).resolve().parents[2]


def test_shipped_configs_are_valid() -> None:
    root = ROOT / "data" / "experiments"
    paths = sorted(root.rglob("*.toml"))
    assert any(p.parent.name == "probes" for p in paths)
    for path in paths:
        if "grid" in path.name:
            load_grid(path)
        else:
            load_config(path)


def test_probes_set_what_they_probe() -> None:
    probes = {p.stem: load_config(p) for p in (ROOT / "data/experiments/probes").glob("*.toml")}
    assert set(probes) >= {
        "at-sequence",
        "pawsx-length128",
        "rs-da-passes",
        "xnli-snli-sick",
        "xnli-pool",
    }
    for name, cfg in probes.items():
        assert cfg.run_id == name and cfg.train.max_length == 128
    at = probes["at-sequence"]
    assert (at.method, at.methods.at_norm) == ("at", "sequence") and at.methods.at_ramp_steps > 0
    assert probes["rs-da-passes"].methods.rs_da_passes == 2.0
    nli, pool = probes["xnli-snli-sick"], probes["xnli-pool"]
    assert (nli.train.english_train, pool.train.english_train) == ("snli_sick", "pool")
    # the twins differ in their English training data only
    a, b = nli.model_dump(), pool.model_dump()
    for d in (a, b):
        d.pop("name")
        d["train"].pop("english_train")
    assert a == b


def test_learning_grid() -> None:
    grid, runs = load_grid(ROOT / "data" / "experiments" / "learning-grid.toml")
    assert grid.name == "learning-grid" and len(runs) == 48  # 2 tasks x 2 methods x 4 x 3
    assert {r.method for r in runs} == {"plain", "rs_da"}  # AT, then RS-RP dropped (budget)
    assert {r.intermediate for r in runs} == {"none", "english", "romance", "germanic"}
    assert {r.seed for r in runs} == {1, 2, 3}
    for r in runs:
        assert r.train.max_length == 128 and r.methods.at_norm == "sequence"
        # Probe xnli-pool: the in-domain pool alone meets the XNLI target; SNLI + SICK lowered it.
        assert r.train.english_train == "pool"
        if r.task == "xnli":
            assert r.train.steps == 800
        if r.task == "pawsx":
            # Probe rs-da-passes: dev peaked at 1.25 passes (step 625) and fell after it.
            assert r.methods.rs_da_passes == 1.25 and r.eval.generalized


def test_published_cpu_grid_still_matches_its_grid_file() -> None:
    """Every published cpu-grid run is the run its grid file asks for: new config fields
    default to the behaviour those runs had, so `experiment grid` skips them all."""
    from litcheck.experiments.config import same_config
    from litcheck.experiments.runs import find_runs

    published = ROOT / "reports" / "runs" / "cpu-grid"
    if not published.is_dir():
        pytest.skip("reports/runs/cpu-grid is not in this checkout")
    _, runs = load_grid(ROOT / "data" / "experiments" / "cpu-grid.toml")
    assert len(runs) == 96 and len(find_runs(published)) == 96
    for cfg in runs:
        manifest = json.loads((published / f"{cfg.run_id}.manifest.json").read_text())
        assert same_config(manifest["config"], cfg), cfg.run_id
        if cfg.method == "at":
            assert cfg.methods.at_norm == "token" and cfg.methods.at_ramp_steps == 0


def test_same_config_fills_fields_an_old_manifest_lacks() -> None:
    from litcheck.experiments.config import same_config

    cfg = config_from_dict({"task": "xnli", "train": {"steps": 60}})
    stored = cfg.model_dump(mode="json")
    del stored["eval"]["generalized"]  # written before the field existed
    assert same_config(stored, cfg)
    on = config_from_dict({"task": "xnli", "train": {"steps": 60}, "eval": {"generalized": True}})
    assert not same_config(stored, on)
    assert not same_config(None, cfg)
    assert not same_config({"no_such_key": 1}, cfg)
    stored["train"]["steps"] = 61
    assert not same_config(stored, cfg)
