"""Grid resumption, comparisons, the report and the CLI, on tiny runs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from litcheck.errors import ExperimentError
from litcheck.experiments.cli import app
from litcheck.experiments.compare import compare_conditions, mean_ci, paired_bootstrap
from litcheck.experiments.curves import parse_log
from litcheck.experiments.grid import run_grid
from litcheck.experiments.report import write_report


def _grid_file(tmp_path: Path, encoder: Path) -> Path:
    grid = tmp_path / "grid.toml"
    grid.write_text(
        'name = "tiny"\norder = ["seed", "task", "method", "intermediate"]\n'
        '[axes]\ntask = ["pawsx"]\nmethod = ["plain", "rs_rp"]\n'
        'intermediate = ["none", "romance", "germanic"]\nseed = [1, 2]\n'
        f'[base]\nencoder = "{encoder}"\nthreads = 1\n'
        "[base.train]\nsteps = 2\nbatch_size = 4\nmax_length = 24\neval_every = 2\n"
        "[base.intermediate_stage]\nsteps = 1\n"
        "[base.pools]\nintermediate = 8\ntrain = 12\ncalibration = 6\neval = 10\n"
        "[base.eval]\nattack_samples = 2\n"
    )
    return grid


@pytest.fixture(scope="module")
def finished_grid(
    tmp_path_factory: pytest.TempPathFactory, tiny_encoder_dir: Path, data_dir: Path
) -> tuple[Path, Path, Path]:
    from litcheck.settings import load_settings

    tmp = tmp_path_factory.mktemp("grid")
    grid = _grid_file(tmp, tiny_encoder_dir)
    settings = load_settings(home=tmp / "home", data_dir=data_dir)
    first = run_grid(grid, settings, runs_dir=tmp / "runs", show_progress=False, limit=3)
    assert (first.ran, first.finished, first.total) == (3, 3, 12)
    second = run_grid(
        grid, settings, runs_dir=tmp / "runs", show_progress=False, publish_dir=tmp / "published"
    )
    assert (second.skipped, second.ran, second.finished) == (3, 9, 12)
    return grid, tmp / "runs", tmp / "published"


def test_published_files(finished_grid: tuple[Path, Path, Path]) -> None:
    _, _, published = finished_grid
    names = sorted(p.name for p in published.iterdir())
    assert "pawsx-plain-none-s1.json" in names
    assert "pawsx-plain-none-s1.predictions.json" in names
    assert "pawsx-plain-none-s1.manifest.json" in names
    assert "pawsx-plain-none-s1.curve.jsonl" in names
    assert len([n for n in names if n.count(".") == 1 and n.endswith(".json")]) == 12
    # The curve keeps the dev evaluations and the evaluation's duration of the full log.
    curve = parse_log((published / "pawsx-plain-none-s1.curve.jsonl").read_text())
    assert any(r["stage"] == "dev" for r in curve) and curve[-1]["stage"] == "eval"


def test_fresh_machine_resumes_from_published_results(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path, data_dir: Path
) -> None:
    from litcheck.settings import load_settings

    grid, _, published = finished_grid
    settings = load_settings(home=tmp_path / "home", data_dir=data_dir)
    # No runs/ directory (a new session's machine): every published run counts as finished.
    status = run_grid(
        grid, settings, runs_dir=tmp_path / "empty", show_progress=False, publish_dir=published
    )
    assert (status.skipped, status.ran, status.finished) == (12, 0, 12)
    # A published run of another config (e.g. edited steps) does not count.
    manifest = published / "pawsx-rs_rp-germanic-s2.manifest.json"  # last in grid order
    data = json.loads(manifest.read_text())
    saved = manifest.read_text()
    data["config"]["train"]["steps"] = 999
    manifest.write_text(json.dumps(data))
    try:
        status = run_grid(
            grid,
            settings,
            runs_dir=tmp_path / "empty",
            show_progress=False,
            publish_dir=published,
            limit=0,
        )
        assert status.skipped == 11
    finally:
        manifest.write_text(saved)


def test_edited_grid_does_not_pass_off_old_runs(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path, data_dir: Path
) -> None:
    from litcheck.settings import load_settings

    grid, runs_dir, _ = finished_grid
    edited = tmp_path / "edited.toml"
    edited.write_text(grid.read_text().replace("steps = 2\n", "steps = 3\n", 1))
    settings = load_settings(home=tmp_path / "home", data_dir=data_dir)
    with pytest.raises(ExperimentError, match="different config"):
        run_grid(edited, settings, runs_dir=runs_dir, show_progress=False, limit=0)


def test_workers_share_a_grid(tmp_path: Path, tiny_encoder_dir: Path, data_dir: Path) -> None:
    """A run locked by another worker is left to it; its lock dies with the worker."""
    import subprocess
    import sys

    from litcheck.experiments.grid import claim_run
    from litcheck.settings import load_settings

    grid = _grid_file(tmp_path, tiny_encoder_dir)
    settings = load_settings(home=tmp_path / "home", data_dir=data_dir)
    runs_dir = tmp_path / "runs"
    with claim_run(runs_dir, "pawsx-plain-none-s1") as mine:
        assert mine
        with claim_run(runs_dir, "pawsx-plain-none-s1") as again:
            assert not again  # flock is per open file: a second claim fails even in-process
        seen: list[tuple[str, str]] = []
        status = run_grid(
            grid,
            settings,
            runs_dir=runs_dir,
            show_progress=False,
            limit=1,
            on_run=lambda cfg, st: seen.append((cfg.run_id, st)),
        )
    assert seen[0] == ("pawsx-plain-none-s1", "busy")
    assert seen[1] == ("pawsx-plain-romance-s1", "finished")
    assert (status.busy, status.ran) == (1, 1)
    # a worker killed while holding a run does not block it
    code = (
        "import os, sys; from pathlib import Path;"
        "from litcheck.experiments.grid import claim_run;"
        f"cm = claim_run(Path({str(runs_dir)!r}), 'pawsx-plain-none-s1');"
        "assert cm.__enter__(); os.kill(os.getpid(), 9)"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    with claim_run(runs_dir, "pawsx-plain-none-s1") as mine:
        assert mine


def test_compare_runs_and_published_agree(finished_grid: tuple[Path, Path, Path]) -> None:
    _, runs_dir, published = finished_grid
    a = compare_conditions([runs_dir], task="pawsx", language="romance", resamples=200)
    b = compare_conditions([published], task="pawsx", language="romance", resamples=200)
    assert [s.condition for s in a.summaries] == ["none", "romance", "germanic"]
    assert all(s.n == 4 for s in a.summaries)  # 2 methods x 2 seeds
    assert [(t.delta, t.p_value) for t in a.tests] == [(t.delta, t.p_value) for t in b.tests]
    assert {t.unit for t in a.tests} == {"items and runs"}  # 4 pairs: two levels
    assert all(t.pairs == 4 for t in a.tests)
    md = a.render_markdown()
    assert "| romance − none |" in md
    robust = compare_conditions(
        [runs_dir], metric="robust_accuracy", language="en", by="method", resamples=200
    )
    assert [t.condition for t in robust.tests] == ["rs_rp"]


def test_report_written(finished_grid: tuple[Path, Path, Path], tmp_path: Path) -> None:
    grid, _, published = finished_grid
    out = write_report([published], tmp_path / "report.md", grid_file=grid, resamples=200)
    text = out.read_text()
    assert "**12 finished runs out of 12 planned.**" in text
    assert "partial" not in text.split("## Setup")[0]
    assert "Romance vs Germanic intermediate stage" in text
    # the setup states the encoder the runs' manifests name, not a fixed one
    encoder_line = next(line for line in text.splitlines() if line.startswith("- Encoder: "))
    assert "not recorded" not in encoder_line and "multilingual-e5-small" not in encoder_line
    svg = (tmp_path / "report.svg").read_text()
    assert svg.startswith("<svg") and "<rect" in svg
    assert "Majority-class rate of the evaluation pool: not computed" in text
    # one table of the deviations from the paper, from the runs' own configs
    setup = text.split("## Setup")[1].split("## pawsx")[0]
    assert "### Deviations from the paper" in setup
    assert "| max length (tokens) | 128 | 24 |" in setup and "| batch size | 32 | 4 |" in setup
    # every method's curve and budget, from the published curves
    learning = setup.split("### Learning and budget")[1]
    rows = [line for line in learning.splitlines() if line.startswith("| pawsx |")]
    assert len(rows) == len({line.split(" | ")[1] for line in rows}) >= 2
    assert all(" of " in line.split(" | ")[2] for line in rows)  # runs finished of planned
    assert "Estimated for the whole grid" in learning


def test_report_figures_reverify_against_its_runs(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Every figure the report states is read back by `reverify` from the same runs: the cells,
    the pooled means and the pooled paired differences are CONFIRMED, none REFUTED."""
    from litcheck.report.reverify import reverify

    grid, _, published = finished_grid
    out = write_report([published], tmp_path / "report.md", grid_file=grid, resamples=200)
    rep = reverify(out, published)
    refuted = [(f.line, f.figure, f.reason) for f in rep.figures if f.outcome == "REFUTED"]
    assert not refuted
    deltas = [f for f in rep.figures if f.kind == "delta" and f.outcome == "CONFIRMED"]
    assert any(f.slot and f.slot.method == "*" for f in deltas)  # Romance − Germanic, pooled
    assert any(f.slot and f.slot.intermediate == "*" for f in deltas)  # a method − plain
    for f in rep.figures:
        if f.outcome == "UNMATCHED":
            assert any(
                why in f.reason
                for why in ("not one the runs measure", "property of the data", "differences")
            ), f.reason


def test_report_states_the_majority_class_rate(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path, data_dir: Path
) -> None:
    from litcheck.experiments.compare import load_runs
    from litcheck.experiments.data import load_task
    from litcheck.experiments.report import majority_rate

    grid, _, published = finished_grid
    records = load_runs([published])
    items = records[0].predictions["items"] if records[0].predictions else []
    labels = [load_task(data_dir, "pawsx", ["en"]).rows["en"][i].label for i in items]
    expected = 100 * max(labels.count(v) for v in set(labels)) / len(labels)
    assert majority_rate(records, "pawsx", data_dir) == expected
    out = write_report(
        [published], tmp_path / "report.md", grid_file=grid, resamples=200, data_dir=data_dir
    )
    text = out.read_text()
    assert f"Majority-class rate of the English evaluation pool: **{expected:.1f}%**" in text
    # A tiny model trained for two steps learns nothing: the report says so in its answer.
    english = [r.value("accuracy", "en") for r in records]
    if all(v is not None and 100 * v <= expected + 1.0 for v in english):
        assert "did not learn the task" in text.split("## Answer")[1]


def test_statistics() -> None:
    m, lo, hi = mean_ci([0.5, 0.6, 0.7])
    assert math.isclose(m, 0.6) and lo < 0.6 < hi
    assert math.isnan(mean_ci([0.5])[1])
    same = [np.array([1.0, 0.0, 1.0, 1.0])]
    d, lo, hi, p = paired_bootstrap(same, same, resamples=100)
    assert d == 0 and p == 1.0
    better = [np.ones(50)]
    worse = [np.zeros(50)]
    d, lo, hi, p = paired_bootstrap(better, worse, resamples=100)
    assert d == 1.0 and p == 0.0


def test_cli(finished_grid: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, runs_dir, published = finished_grid
    runner = CliRunner()
    res = runner.invoke(app, ["list", str(runs_dir)])
    assert res.exit_code == 0, res.output
    assert "pawsx-rs_rp-germanic-s2" in res.output
    res = runner.invoke(app, ["show", str(runs_dir / "pawsx-plain-none-s1")])
    assert res.exit_code == 0 and "robust_accuracy" in res.output
    res = runner.invoke(app, ["show", str(published / "pawsx-plain-none-s1.json"), "--json"])
    rows = json.loads(res.output)
    assert rows[0]["run_id"] == "pawsx-plain-none-s1"
    res = runner.invoke(app, ["compare", str(published), "--by", "method"])
    assert res.exit_code == 0 and "rs_rp − plain" in res.output
    res = runner.invoke(app, ["list", str(published), "--json"])
    listed = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(listed) == 12 and {r["status"] for r in listed} == {"finished"}
    assert {"run_id", "task", "method", "intermediate", "seed", "zero_shot_accuracy"} <= set(
        listed[0]
    )
    res = runner.invoke(
        app, ["compare", str(published), "--by", "method", "--json", "--resamples", "100"]
    )
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [x["kind"] for x in lines] == ["condition", "condition", "paired_test"]
    res = runner.invoke(app, ["compare", str(published), "--methods", "rs_rp", "--json"])
    kept = [json.loads(line) for line in res.stdout.splitlines()]
    assert {x["n"] for x in kept if x["kind"] == "condition"} == {2}  # rs_rp only: 2 seeds
    res = runner.invoke(app, ["compare", str(published), "--methods", "plain,magic"])
    assert isinstance(res.exception, ExperimentError) and "'magic'" in str(res.exception)
    assert lines[2]["condition"] == "rs_rp" and lines[2]["baseline"] == "plain"
    res = runner.invoke(app, ["show", str(tmp_path)])
    assert isinstance(res.exception, ExperimentError)
    assert "is not a run directory" in str(res.exception)
    res = runner.invoke(app, ["list", str(tmp_path / "nope")])
    assert isinstance(res.exception, ExperimentError)
    assert "is not a directory of runs" in str(res.exception)
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["list", str(tmp_path / "empty")])
    assert res.exit_code == 0 and "pawsx" not in res.output


def test_cli_main_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from litcheck.experiments import cli

    bad = tmp_path / "bad.toml"
    bad.write_text('method = "magic"\n')
    monkeypatch.setattr("sys.argv", ["experiment", "run", str(bad)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Unknown method 'magic'" in err


def test_report_without_runs(tmp_path: Path) -> None:
    with pytest.raises(ExperimentError, match="No finished runs"):
        write_report([tmp_path], tmp_path / "r.md")
    with pytest.raises(ExperimentError, match="does not exist"):
        compare_conditions([tmp_path / "nope"])


def _synthetic_run(
    root: Path,
    method: str,
    seed: int,
    zero_shot: float,
    generalized: float,
    n: int = 200,
    intermediate: str = "none",
    english: float = 0.8,
) -> None:
    """A published run whose per-item correctness hits the given rates exactly."""
    from litcheck.experiments import runs
    from litcheck.models import RunResult

    rng = np.random.default_rng(seed * 10 + len(method))

    def bits(rate: float) -> str:
        ones = set(rng.choice(n, size=round(rate * n), replace=False).tolist())
        return "".join("1" if i in ones else "0" for i in range(n))

    run_id = f"pawsx-{method}-{intermediate}-s{seed}"
    correct = {"en": bits(english), "de": bits(zero_shot), "fr": bits(zero_shot)}
    gen = {"en": bits(generalized), "de": bits(generalized), "fr": bits(generalized)}

    def row(metric: str, lang: str, value: float) -> RunResult:
        return RunResult(
            run_id=run_id, task="pawsx", metric=metric, language=lang, method=method,
            intermediate=intermediate, seed=seed, value=value, split="eval",
        )  # fmt: skip

    rows = [row("accuracy", lang, b.count("1") / n) for lang, b in correct.items()]
    rows += [row("accuracy", "zero_shot", zero_shot), row("accuracy", "all", 0.0)]
    rows += [row("generalized_accuracy", lang, b.count("1") / n) for lang, b in gen.items()]
    rows.append(row("generalized_accuracy", "all", generalized))
    runs.write_results(root, run_id, rows)
    (root / runs.RESULTS).rename(root / f"{run_id}.json")
    preds = {"items": list(range(n)), "correct": correct, "attack": {}, "generalized": gen}
    runs.atomic_write_json(root / f"{run_id}.predictions.json", preds)


def test_gain_in_the_generalized_setting(tmp_path: Path) -> None:
    from litcheck.experiments.compare import gain_difference, load_runs

    for seed in (1, 2, 3):
        # plain: 50% zero-shot, 40% generalized; rs_da gains 2 points zero-shot, 20 generalized
        _synthetic_run(tmp_path, "plain", seed, 0.50, 0.40)
        _synthetic_run(tmp_path, "rs_da", seed, 0.52, 0.60)
        # rs_rp gains the same in both settings
        _synthetic_run(tmp_path, "rs_rp", seed, 0.55, 0.45)
    records = load_runs([tmp_path])
    g = gain_difference(records, "rs_da", "plain", "pawsx", resamples=500)
    assert g is not None and g.pairs == 3
    assert g.delta == pytest.approx(0.18)
    assert g.ci_low > 0 and g.p_value < 0.05
    same = gain_difference(records, "rs_rp", "plain", "pawsx", resamples=500)
    assert same is not None and same.delta == pytest.approx(0.0)
    assert gain_difference(records, "at", "plain", "pawsx") is None  # no AT runs
    out = write_report([tmp_path], tmp_path / "out" / "report.md", resamples=500)
    text = out.read_text()
    assert "Is the gain of robust training larger in the generalized setting?" in text
    assert "| pawsx | rs_da − plain | 3 | +18.0 |" in text
    answer = text.split("## Answer")[1]
    assert "gain of RS-DA over plain, generalized minus zero-shot: **larger in the" in answer
    assert "gain of RS-RP over plain, generalized minus zero-shot: **no significant" in answer
    assert "generalized accuracy, RS-DA vs plain: **RS-DA** is better" in answer
    assert "The generalized setting was evaluated for pawsx" in text
    assert ">generalized</text>" in (tmp_path / "out" / "report.svg").read_text()
    assert "| robust en | generalized |" in text  # per-language table
    assert "| generalized (95% CI) |" in text  # group means


def test_romance_vs_germanic_over_the_methods_that_learned(tmp_path: Path, data_dir: Path) -> None:
    """AT never learns (English at 30%, below the majority rate): the report tests Romance vs
    Germanic once over all methods and once over plain + RS-RP, and reverify reads both."""
    from litcheck.report.reverify import reverify

    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    for seed in (1, 2, 3):
        for method in ("plain", "rs_rp"):
            _synthetic_run(runs_dir, method, seed, 0.60, 0.5, 80, "romance", english=0.9)
            _synthetic_run(runs_dir, method, seed, 0.50, 0.5, 80, "germanic", english=0.9)
        _synthetic_run(runs_dir, "at", seed, 0.30, 0.5, 80, "romance", english=0.3)
        _synthetic_run(runs_dir, "at", seed, 0.70, 0.5, 80, "germanic", english=0.3)
    out = write_report([runs_dir], tmp_path / "r.md", resamples=300, data_dir=data_dir)
    text = out.read_text()
    answer = text.split("## Answer")[1]
    learned_line = next(
        line
        for line in answer.splitlines()
        if line.startswith("- pawsx, zero-shot accuracy, Romance vs Germanic")
        and "plain + RS-RP runs pooled" in line
    )
    assert "**romance** is better (+10.0 points" in learned_line
    assert "6 paired runs" in learned_line and "never left" not in learned_line
    pooled_line = next(
        line
        for line in answer.splitlines()
        if line.startswith("- pawsx, transfer gap") and "runs pooled" not in line
    )
    assert "3 of the 9 pairs hold a run that never left the majority-class rate" in pooled_line
    in_short = text.split("**In short**")[1].split("Every test:")[0]
    assert (
        "- **pawsx**, Romance vs Germanic intermediate stage, plain + RS-RP runs pooled (the "
        "methods whose every run learned the task): no significant difference on any of 3 "
        "measures" in in_short
    )
    assert "- **pawsx**, Romance vs Germanic intermediate stage, paired runs of all methods:" in (
        in_short
    )
    # a significant line names the winner and flags the pairs that never learned
    assert (
        "- **pawsx**, AT vs plain, paired runs pooled over subsets: AT better on transfer gap "
        "(-55.0 points, adjusted p < 0.001; 6 of 6 pairs hold a run that never learned the task)."
        in in_short
    )
    assert (
        "AT vs plain, paired runs pooled over subsets: no significant difference on the other 2"
        in (in_short)
    )
    paper = text.split("## Beside the paper")[1]
    assert (
        "| pawsx | AT improves zero-shot accuracy over plain | AT − plain | all (pooled) | "
        "zero-shot accuracy | 6 |" in paper
    )
    assert "not comparable: 6 of 6 pairs hold a run that never learned the task |" in paper
    assert "| RS-RP − plain | all (pooled) | zero-shot accuracy | 6 |" in paper
    assert "| romance − germanic | plain + RS-RP (pooled) | 6 | +10.0 |" in text
    assert "| romance − germanic | all (pooled) | 9 | -6.7 |" in text
    rep = reverify(out, runs_dir)
    assert not [f for f in rep.figures if f.outcome == "REFUTED"]
    learned = [
        f
        for f in rep.figures
        if f.slot is not None and f.slot.method == "plain+rs_rp" and f.kind == "delta"
    ]
    assert learned and all(f.outcome == "CONFIRMED" for f in learned)
    assert learned[0].measured is not None and learned[0].measured.n == 6


def test_report_without_generalized_runs_says_so(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    grid, _, published = finished_grid
    text = write_report([published], tmp_path / "r.md", grid_file=grid, resamples=100).read_text()
    assert "We did not evaluate the generalized setting." in text
    assert "generalized (95% CI)" not in text


def test_bootstrap_counts_seed_to_seed_variation() -> None:
    # Every pair of runs disagrees with the next about the sign; items agree within a pair.
    per_pair = [0.10, -0.02, 0.12, -0.04, 0.09]
    a = [np.full(100, 0.5 + d) for d in per_pair]
    b = [np.full(100, 0.5) for _ in per_pair]
    d, lo, hi, p = paired_bootstrap(a, b, resamples=2000)
    assert d == pytest.approx(0.05)
    assert lo < 0 < hi and p > 0.05  # runs resampled: not significant
    # Two pairs only: items alone are resampled, so the interval is the item noise (none here).
    _, lo2, hi2, p2 = paired_bootstrap(a[:2], b[:2], resamples=200)
    assert lo2 == hi2 == pytest.approx(0.04) and p2 == 0.0


def test_holm_adjustment() -> None:
    from litcheck.experiments.report import holm

    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


def test_answer_says_when_holm_undoes_significance() -> None:
    from litcheck.experiments.compare import PairedTest
    from litcheck.experiments.report import Verdict

    test = PairedTest("at", "plain", 8, 0.03, 0.006, 0.054, 0.014, "items and runs")
    v = Verdict("xnli, robust en, at vs plain", test, "at", "plain")
    line = v.render(holm_p=0.2, family=14)
    assert "**AT** is better" in line and "Holm-adjusted p = 0.200" in line
    assert "Not significant once the 14 tests of this answer are corrected for (Holm)." in line
    assert "Not significant" not in v.render(holm_p=0.03, family=14)
    wider = PairedTest("romance", "germanic", 8, 0.02, 0.01, 0.03, 0.01, "items")
    gap = Verdict("gap", wider, "romance", "germanic", lower_is_better=True)
    assert "**germanic** is better" in gap.render(0.01, 1)


def test_pairs_holding_a_run_that_did_not_learn_are_counted(tmp_path: Path) -> None:
    from litcheck.experiments.compare import PairedTest, load_runs
    from litcheck.experiments.report import Verdict, _pairs_with

    for seed in (1, 2):
        _synthetic_run(tmp_path, "plain", seed, 0.50, 0.40)
        _synthetic_run(tmp_path, "rs_da", seed, 0.52, 0.60)
    records = load_runs([tmp_path])
    flat = {"pawsx-rs_da-none-s2"}
    assert _pairs_with(records, "method", "rs_da", "plain", flat) == 1
    assert _pairs_with(records, "method", "rs_da", "plain", set()) == 0
    test = PairedTest("rs_da", "plain", 2, -0.1, -0.2, -0.05, 0.001, "items")
    line = Verdict("pawsx, x", test, "rs_da", "plain", by="method", unlearned=1).render(0.01, 3)
    assert "**plain** is better" in line
    assert "1 of the 2 pairs hold a run that never left the majority-class rate" in line


def test_report_command_writes_beside_the_runs_by_default(
    finished_grid: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from conftest import run_cli

    _, _, published = finished_grid
    res = run_cli("experiment", "report", str(published), "--resamples", "100")
    assert res.code == 0, res.stderr
    assert (published / "report.md").is_file() and (published / "report.svg").is_file()
    (published / "report.md").unlink()
    (published / "report.svg").unlink()
    res = run_cli("experiment", "compare", str(published), "--resamples", "0")
    assert res.code == 2 and res.stderr.count("\n") == 1
