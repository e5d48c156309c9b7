"""`reverify` against a hand-made runs directory: CONFIRMED, REFUTED, UNMATCHED, units, deltas,
corrupted results files, reports without numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from litcheck.report.models import ReverifyReport
from litcheck.report.reverify import find_figures, find_mentions, reverify
from litcheck.report.runs import load_runs, t_interval

from .conftest import FIXED_NOW

SCHEMA = "litcheck.experiments.results/1"

# slot (task, metric, language, method, intermediate) -> values for seeds 1, 2, 3
GRID: dict[tuple[str, str, str, str, str], list[float]] = {
    ("pawsx", "accuracy", "zero_shot", "plain", "none"): [0.700, 0.705, 0.710],
    ("pawsx", "accuracy", "zero_shot", "plain", "romance"): [0.744, 0.747, 0.741],
    ("pawsx", "accuracy", "zero_shot", "plain", "germanic"): [0.731, 0.733, 0.729],
    ("pawsx", "accuracy", "zero_shot", "rs_da", "none"): [0.720, 0.726, 0.723],
    ("pawsx", "robust_accuracy", "en", "plain", "none"): [0.50, 0.52, 0.51],
    ("xnli", "accuracy", "zero_shot", "plain", "none"): [0.60, 0.61, 0.62],
}


def make_runs(root: Path) -> Path:
    """One run directory per (method, intermediate, task, seed), results in both formats."""
    runs: dict[tuple[str, str, str, int], list[dict[str, object]]] = {}
    for (task, metric, lang, method, inter), values in GRID.items():
        for seed, value in enumerate(values, 1):
            run_id = f"{task}-{method}-{inter}-s{seed}"
            runs.setdefault((task, method, inter, seed), []).append(
                {
                    "run_id": run_id,
                    "task": task,
                    "metric": metric,
                    "language": lang,
                    "method": method,
                    "intermediate": inter,
                    "seed": seed,
                    "value": value,
                }
            )
    for i, ((task, method, inter, seed), rows) in enumerate(sorted(runs.items())):
        run_dir = root / f"{task}-{method}-{inter}-s{seed}"
        run_dir.mkdir(parents=True)
        (run_dir / "manifest.json").write_text("{}", encoding="utf-8")
        data: object = (
            rows if i % 2 else {"schema": SCHEMA, "run_id": rows[0]["run_id"], "rows": rows}
        )
        (run_dir / "results.json").write_text(json.dumps(data), encoding="utf-8")
    return root


REPORT = """# Romance vs Germanic intermediate fine-tuning

## Results

With Romance intermediate fine-tuning, zero-shot PAWS-X accuracy reaches 74.4%.
With Germanic intermediate fine-tuning it reaches 0.731 on PAWS-X.
Romance intermediate fine-tuning improves PAWS-X accuracy over Germanic by 1.3 points.
RS-DA improves zero-shot PAWS-X accuracy by 5 points.
XNLI accuracy with Romance intermediate fine-tuning is 65.0%.
PAWS-X F1 is 80.2 with Romance intermediate fine-tuning.
The quality score is 7.7/10 over 3 seeds.
Germanic intermediate fine-tuning lowers PAWS-X accuracy compared to Romance by 1.3 points.
Romance intermediate fine-tuning hurts PAWS-X accuracy by 1.3 points compared to Germanic.

| Intermediate | PAWS-X zero-shot accuracy |
|---|---|
| none | 70.5 ± 0.5 |
| romance | 80.0 |
"""


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return make_runs(tmp_path / "runs")


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    path = tmp_path / "experiment-report.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_t_interval_matches_scipy() -> None:
    from scipy import stats

    values = [0.744, 0.747, 0.741]
    mean, low, high = t_interval(values)
    ref = stats.t.interval(0.95, 2, loc=mean, scale=stats.sem(values))
    assert low == pytest.approx(ref[0]) and high == pytest.approx(ref[1])
    assert t_interval([0.5]) == (0.5, 0.5, 0.5)


def test_percent_and_fraction_read_the_same() -> None:
    a, b, c = (find_figures(t)[0] for t in ("acc 74.4%", "acc 74.4 on X", "acc 0.744 on X"))
    assert a.reported == b.reported == c.reported == pytest.approx(0.744)
    assert a.kind == b.kind == c.kind == "value"
    assert find_figures("improves by 2.1 points")[0].reported == pytest.approx(0.021)
    assert find_figures("drops by 1.5 points")[0].reported == pytest.approx(-0.015)
    assert find_figures("changes by −0.8")[0].reported == pytest.approx(-0.008)
    # counts, years, ids and section numbers are not figures
    assert find_figures("3 seeds in 2021, arXiv 2104.08645, Section 4.2, 7.7/10") == []


def test_mentions_tell_intermediate_from_language() -> None:
    dims = {
        (m.dim, m.values)
        for m in find_mentions(
            "accuracy on Romance languages after Germanic intermediate fine-tuning on PAWS-X"
        )
    }
    assert ("language", ("romance",)) in dims
    assert ("intermediate", ("germanic",)) in dims
    assert ("task", ("pawsx",)) in dims


def test_outcomes(runs_dir: Path, report_file: Path) -> None:
    rep = reverify(report_file, runs_dir, now=FIXED_NOW)
    got = [(f.figure, f.outcome) for f in rep.figures]
    assert got == [
        ("74.4%", "CONFIRMED"),
        ("0.731", "CONFIRMED"),
        ("1.3 points", "CONFIRMED"),
        ("5 points", "REFUTED"),
        ("65.0%", "UNMATCHED"),
        ("80.2", "UNMATCHED"),
        ("1.3 points", "CONFIRMED"),
        ("1.3 points", "REFUTED"),
        ("70.5 ± 0.5", "CONFIRMED"),
        ("80.0", "REFUTED"),
    ]
    by = rep.figures
    assert by[0].slot is not None and by[0].slot.intermediate == "romance"
    assert by[0].measured is not None and by[0].measured.n == 3
    assert by[2].baseline is not None and by[2].baseline.intermediate == "germanic"
    assert by[2].measured is not None and by[2].measured.paired
    assert by[3].baseline is not None and by[3].baseline.method == "plain"
    assert "no run measured intermediate romance" in by[4].reason
    assert "metric" in by[5].reason
    assert by[6].reported < 0 and by[6].baseline is not None
    assert "sign disagrees" in by[7].reason
    assert rep.counts == {"CONFIRMED": 5, "REFUTED": 3, "UNMATCHED": 2}
    assert rep.report_kind == "prose"
    assert len(rep.results_files) == 15 and rep.slots_measured == len(GRID)


def test_new_runs_update_verdicts(runs_dir: Path, report_file: Path) -> None:
    before = reverify(report_file, runs_dir, now=FIXED_NOW)
    assert before.figures[4].outcome == "UNMATCHED"
    rows = [
        {
            "run_id": f"xnli-r-s{s}",
            "task": "xnli",
            "metric": "accuracy",
            "language": "zero_shot",
            "method": "plain",
            "intermediate": "romance",
            "seed": s,
            "value": v,
        }
        for s, v in ((1, 0.648), (2, 0.652), (3, 0.650))
    ]
    (runs_dir / "xnli-romance.json").write_text(json.dumps(rows), encoding="utf-8")
    after = reverify(report_file, runs_dir, now=FIXED_NOW)
    assert after.figures[4].outcome == "CONFIRMED"


def test_corrupted_results_file_is_named_and_skipped(runs_dir: Path, report_file: Path) -> None:
    bad = runs_dir / "broken-run"
    bad.mkdir()
    (bad / "results.json").write_text('{"rows": [ {"run_id": ', encoding="utf-8")
    (runs_dir / "wrong-rows.json").write_text(
        json.dumps({"schema": SCHEMA, "rows": [{"run_id": "x", "task": "pawsx"}]}),
        encoding="utf-8",
    )
    rep = reverify(report_file, runs_dir, now=FIXED_NOW)
    skipped = {s.path: s.reason for s in rep.skipped_files}
    assert set(skipped) == {"broken-run/results.json", "wrong-rows.json"}
    assert "not valid JSON" in skipped["broken-run/results.json"]
    assert "invalid row" in skipped["wrong-rows.json"]
    assert rep.counts["CONFIRMED"] == 5  # the good files were still read


def test_no_readable_results_is_bad_input(tmp_path: Path, report_file: Path) -> None:
    runs = tmp_path / "only-bad"
    runs.mkdir()
    (runs / "results.json").write_text("not json", encoding="utf-8")
    res = run_cli("reverify", str(report_file), "--runs", str(runs))
    assert res.code == 2
    assert "results.json" in res.stderr and "not valid JSON" in res.stderr
    assert load_runs.__doc__  # documented entry point


def test_cli_formats_strict_and_atomic_output(
    runs_dir: Path, report_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "reverify.json"
    res = run_cli("reverify", str(report_file), "--runs", str(runs_dir), "-o", str(out))
    assert res.code == 0, res.stderr
    rep = ReverifyReport.model_validate_json(out.read_text(encoding="utf-8"))
    assert rep.counts["REFUTED"] == 3
    assert [p.name for p in out.parent.iterdir()] == ["reverify.json"]  # no temp file left
    strict = run_cli("reverify", str(report_file), "--runs", str(runs_dir), "--strict")
    assert strict.code == 1
    assert "| **REFUTED**" in strict.stdout or "**REFUTED**" in strict.stdout
    html = run_cli("reverify", str(report_file), "--runs", str(runs_dir), "--format", "html")
    assert html.code == 0 and html.stdout.startswith("<!DOCTYPE html>")
    assert "<svg" in html.stdout and "http" not in html.stdout.split("<body>")[0]


def test_report_without_numbers(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "words.md"
    path.write_text("# Notes\n\nRobust training helps transfer on PAWS-X.\n", encoding="utf-8")
    res = run_cli("reverify", str(path), "--runs", str(runs_dir), "--strict")
    assert res.code == 0
    assert "states no figure" in res.stderr
    assert "The report states no figure" in res.stdout


def test_empty_or_missing_report_is_bad_input(runs_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("  \n", encoding="utf-8")
    assert run_cli("reverify", str(empty), "--runs", str(runs_dir)).code == 2
    missing = run_cli("reverify", str(tmp_path / "nope.md"), "--runs", str(runs_dir))
    assert missing.code == 2 and "does not exist" in missing.stderr
    gone = run_cli("reverify", str(empty), "--runs", str(tmp_path / "no-runs"))
    assert gone.code == 2


def test_foreign_claims_table(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "foreign.txt"
    path.write_text(
        "Extracted Claims\n\nClaim\tVerified\tConfidence\n"
        "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.\t✓\t0.16\n"
        "RS-DA improves zero-shot PAWS-X accuracy by 1.8 points.\t✓\t0.20\n"
        "Multilingual BERT is a pre-trained multilingual model.\t✓\t0.24\n"
        "\nOutside the table, the report says RS-DA reaches 72.3% zero-shot PAWS-X accuracy "
        "without an intermediate stage.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    # the claims table's 3 rows, then the prose around it: the title and one sentence
    assert rep.report_kind == "table" and rep.claims_read == 5
    assert [f.outcome for f in rep.figures] == ["UNMATCHED", "CONFIRMED", "CONFIRMED"]
    assert "baseline" in rep.figures[0].reason


EXPERIMENT_REPORT = """# Robust zero-shot transfer: Romance vs Germanic intermediate fine-tuning

## pawsx

### Accuracy per language (mean over seeds, %)

| method | intermediate | seeds | de | romance | zero-shot | robust en |
|---|---|---|---|---|---|---|
| plain | romance | 3 | – | – | 74.4 | – |
| plain | none | 3 | – | – | 70.5 | 51.0 |
| rs_da | none | 3 | – | – | 69.0 | – |

### Group means by intermediate subset (all methods pooled, %)

| intermediate | runs | zero_shot (95% CI) |
|---|---|---|
| romance | 3 | 74.4 [73.7, 75.2] |

## Paired tests

| task | measure | intermediate | method | pairs | Δ (points) | 95% CI | p |
|---|---|---|---|---|---|---|---|
| pawsx | accuracy, zero-shot languages | romance − germanic | all (pooled) | 3 | +1.3 | – | – |
| pawsx | accuracy zero-shot | all (pooled) | RS-DA − plain | 3 | +1.8 | – | – |

## Answer

- pawsx, zero-shot accuracy, Romance vs Germanic intermediate stage: **romance** is better (+1.3
  points, 95% CI [+1.0, +1.6], p = 0.004, 3 paired runs).
- pawsx, zero-shot accuracy, RS-DA vs plain: **plain** is better (-1.8 points, 95% CI [-2.1, -1.5],
  p = 0.001, 3 paired runs).
"""


def test_experiment_report_tables(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "robust-xlt-romance-vs-germanic.md"
    path.write_text(EXPERIMENT_REPORT, encoding="utf-8")
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    got = [(f.figure, f.outcome) for f in rep.figures]
    assert got == [
        ("74.4", "CONFIRMED"),
        ("70.5", "CONFIRMED"),
        ("51.0", "CONFIRMED"),
        ("69.0", "REFUTED"),
        ("74.4", "CONFIRMED"),  # a mean pooled over methods (only plain ran romance here)
        ("+1.3", "CONFIRMED"),  # a difference over paired runs, pooled over methods
        ("+1.8", "CONFIRMED"),  # rs_da − plain without a stage: 0.723 − 0.705
        ("+1.3 points", "CONFIRMED"),
        ("-1.8 points", "REFUTED"),  # the sign is wrong: RS-DA is the better one
    ]
    assert rep.figures[2].slot is not None
    assert rep.figures[2].slot.metric == "robust_accuracy" and rep.figures[2].slot.language == "en"
    assert "pooled over methods" in rep.figures[4].reason
    assert rep.figures[4].slot is not None and rep.figures[4].slot.method == "*"
    subset_delta = rep.figures[5]
    assert subset_delta.slot is not None and subset_delta.baseline is not None
    assert (subset_delta.slot.intermediate, subset_delta.baseline.intermediate) == (
        "romance",
        "germanic",
    )
    assert subset_delta.slot.method == "*" and subset_delta.slot.language == "zero_shot"
    assert subset_delta.measured is not None and subset_delta.measured.n == 3
    assert subset_delta.measured.mean == pytest.approx(0.013)
    method_delta = rep.figures[6]
    assert method_delta.slot is not None and method_delta.baseline is not None
    assert (method_delta.slot.method, method_delta.baseline.method) == ("rs_da", "plain")
    assert method_delta.slot.intermediate == "*"
    assert "sign disagrees" in rep.figures[8].reason


def test_means_pooled_over_methods(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "pooled.md"
    path.write_text(
        "# Results\n\n"
        # plain (70.5 mean) and rs_da (72.3 mean) without an intermediate stage: 71.4 pooled
        "Averaged over all methods, PAWS-X zero-shot accuracy without an intermediate stage "
        "is 71.4%.\n"
        "Averaged over all methods, PAWS-X zero-shot accuracy without an intermediate stage "
        "is 75.0%.\n"
        "Without an intermediate stage, plain PAWS-X zero-shot accuracy is 70.5%.\n"
        "The transfer gap of plain fine-tuning on PAWS-X is 4.2 points.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    got = [(f.figure, f.outcome) for f in rep.figures]
    assert got == [
        ("71.4%", "CONFIRMED"),
        ("75.0%", "REFUTED"),
        ("70.5%", "CONFIRMED"),
        ("4.2 points", "UNMATCHED"),
    ]
    assert rep.figures[0].measured is not None and rep.figures[0].measured.n == 6
    # derived from English and zero-shot accuracy, but these runs have no English row
    assert rep.figures[3].reason.startswith("no run measured metric transfer_gap")


def test_table_group_labels_other_and_all_are_languages() -> None:
    from litcheck.report.reverify import find_mentions

    langs = [
        m.values
        for m in find_mentions("method: plain; intermediate: none; other: 45.1")
        if m.dim == "language"
    ]
    assert langs == [("other",)]
    langs = [m.values for m in find_mentions("method: plain; all: 45.1") if m.dim == "language"]
    assert langs == [("all",)]


def test_method_label_at_in_a_table_row() -> None:
    from litcheck.report.reverify import find_mentions

    methods = [
        m.values
        for m in find_mentions("method: at; intermediate: none; ar: 43.0")
        if m.dim == "method"
    ]
    assert methods == [("at",)]
    assert not [m for m in find_mentions("We look at the results.") if m.dim == "method"]


def test_majority_class_rates_are_not_run_figures(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "Majority-class rate of the English PAWS-X evaluation pool: 56.8% (plain, none).\n"
        "Chance level accuracy on PAWS-X is 50%.\n"
        "Plain zero-shot PAWS-X accuracy without intermediate fine-tuning is 70.5%.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    outcomes = [(f.figure, f.outcome) for f in rep.figures]
    assert outcomes == [("56.8%", "UNMATCHED"), ("50%", "UNMATCHED"), ("70.5%", "CONFIRMED")]
    assert "property of the data" in rep.figures[0].reason


def test_generalized_setting_is_its_own_metric(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    for seed, (zs, gen) in enumerate([(0.70, 0.60), (0.71, 0.61), (0.72, 0.62)], 1):
        rows = [
            {"run_id": f"pawsx-plain-none-s{seed}", "task": "pawsx", "metric": metric,
             "language": lang, "method": "plain", "intermediate": "none", "seed": seed,
             "value": value}
            for metric, lang, value in [
                ("accuracy", "zero_shot", zs),
                ("generalized_accuracy", "all", gen),
                ("generalized_accuracy", "de", gen - 0.05),
            ]
        ]  # fmt: skip
        run_dir = root / f"pawsx-plain-none-s{seed}"
        run_dir.mkdir(parents=True)
        (run_dir / "manifest.json").write_text("{}", encoding="utf-8")
        (run_dir / "results.json").write_text(
            json.dumps({"schema": SCHEMA, "run_id": rows[0]["run_id"], "rows": rows})
        )
    report = tmp_path / "r.md"
    report.write_text(
        "# Robust zero-shot cross-lingual transfer\n\n"
        "Plain fine-tuning without an intermediate stage reaches 61.0% generalized accuracy "
        "on PAWS-X.\n"
        "Plain fine-tuning without an intermediate stage reaches 71.0% zero-shot accuracy "
        "on PAWS-X.\n"
        "In the generalized cross-lingual transfer setting, plain fine-tuning without an "
        "intermediate stage scores 71.0% on PAWS-X.\n"
        "Plain fine-tuning without an intermediate stage reaches 56.0% accuracy in the "
        "generalized setting on PAWS-X in German.\n",
        encoding="utf-8",
    )
    rep = reverify(report, root, now=FIXED_NOW)
    got = [(f.figure, f.outcome) for f in rep.figures]
    assert got == [
        ("61.0%", "CONFIRMED"),
        ("71.0%", "CONFIRMED"),
        ("71.0%", "REFUTED"),  # the zero-shot figure passed off as the generalized one
        ("56.0%", "CONFIRMED"),
    ]
    assert [f.slot.metric if f.slot else None for f in rep.figures] == [
        "generalized_accuracy",
        "accuracy",
        "generalized_accuracy",
        "generalized_accuracy",
    ]


def test_pooled_differences_in_prose(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "pooled-deltas.md"
    path.write_text(
        "# Results\n\n"
        # plain is the only method with both subsets: 3 pairs, +1.3 points
        "In paired runs pooled over methods, Romance intermediate fine-tuning beats Germanic "
        "by 1.3 points of PAWS-X zero-shot accuracy.\n"
        "In paired runs pooled over methods, Romance intermediate fine-tuning beats Germanic "
        "by 4.0 points of PAWS-X zero-shot accuracy.\n"
        # romance − none exists for plain only, none − germanic too; english never ran
        "In paired runs pooled over methods, English intermediate fine-tuning beats no "
        "intermediate stage by 2.0 points of PAWS-X zero-shot accuracy.\n"
        "In paired runs, the gain of RS-DA over plain on PAWS-X, generalized minus zero-shot, "
        "is +3.0 points.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    got = [(f.figure, f.outcome) for f in rep.figures]
    assert got == [
        ("1.3 points", "CONFIRMED"),
        ("4.0 points", "REFUTED"),
        ("2.0 points", "UNMATCHED"),
        ("+3.0 points", "UNMATCHED"),
    ]
    assert "size outside" in rep.figures[1].reason
    assert rep.figures[2].reason.startswith("no run measured intermediate english")
    assert "difference of differences" in rep.figures[3].reason


def test_pooled_difference_needs_two_pairs(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    for inter, value in [("romance", 0.74), ("germanic", 0.72)]:
        run_dir = root / f"pawsx-plain-{inter}-s1"
        run_dir.mkdir(parents=True)
        row = {"run_id": run_dir.name, "task": "pawsx", "metric": "accuracy",
               "language": "zero_shot", "method": "plain", "intermediate": inter, "seed": 1,
               "value": value}  # fmt: skip
        (run_dir / "results.json").write_text(json.dumps([row]), encoding="utf-8")
    path = tmp_path / "r.md"
    path.write_text(
        "Pooled over all methods (paired runs), Romance intermediate fine-tuning beats "
        "Germanic by 2.0 points of PAWS-X zero-shot accuracy.\n",
        encoding="utf-8",
    )
    rep = reverify(path, root, now=FIXED_NOW)
    assert [f.outcome for f in rep.figures] == ["UNMATCHED"]
    assert "fewer than two pairs" in rep.figures[0].reason


def test_transfer_gap_is_derived_from_english_and_target_accuracy(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    # (method, seed) -> (English, zero-shot): plain's gap 4.0/4.5/5.0, rs_da's 3.0/3.5/4.0
    values = {
        ("plain", 1): (0.80, 0.760), ("plain", 2): (0.81, 0.765), ("plain", 3): (0.82, 0.770),
        ("rs_da", 1): (0.80, 0.770), ("rs_da", 2): (0.81, 0.775), ("rs_da", 3): (0.82, 0.780),
    }  # fmt: skip
    for (method, seed), (en, zs) in values.items():
        run_id = f"pawsx-{method}-none-s{seed}"
        rows = [
            {"run_id": run_id, "task": "pawsx", "metric": "accuracy", "language": lang,
             "method": method, "intermediate": "none", "seed": seed, "value": v}
            for lang, v in (("en", en), ("zero_shot", zs))
        ]  # fmt: skip
        (root / run_id).mkdir(parents=True)
        (root / run_id / "results.json").write_text(json.dumps(rows), encoding="utf-8")
    index = load_runs(root)
    gaps = [s for s in index.slots() if s.metric == "transfer_gap"]
    assert {(s.method, s.language) for s in gaps} == {
        ("plain", "zero_shot"),
        ("rs_da", "zero_shot"),
    }
    report = tmp_path / "r.md"
    report.write_text(
        "# PAWS-X\n\n"
        "The transfer gap of plain fine-tuning on PAWS-X without an intermediate stage is "
        "4.5 points.\n"
        "The transfer gap (English minus zero-shot accuracy) of plain fine-tuning on PAWS-X is "
        "9.0 points.\n"
        "RS-DA narrows the transfer gap on PAWS-X by 1.0 points.\n"
        "RS-DA widens the transfer gap on PAWS-X by 1.0 points.\n\n"
        "### Transfer gap by method (%)\n\n"
        "| method | intermediate | PAWS-X transfer gap |\n|---|---|---|\n"
        "| rs_da | none | 0.4 |\n| rs_da | none | 3.5 |\n",
        encoding="utf-8",
    )
    rep = reverify(report, root, now=FIXED_NOW)
    got = [(f.figure, f.kind, f.outcome) for f in rep.figures]
    assert got == [
        ("4.5 points", "value", "CONFIRMED"),
        ("9.0 points", "value", "REFUTED"),  # "English" in the definition is not the language
        ("1.0 points", "delta", "CONFIRMED"),
        ("1.0 points", "delta", "REFUTED"),  # a narrower gap is a negative change
        ("0.4", "value", "REFUTED"),  # 0.4 points under a "%" heading, not 40%
        ("3.5", "value", "CONFIRMED"),
    ]
    assert rep.figures[0].slot is not None
    assert (rep.figures[0].slot.metric, rep.figures[0].slot.language) == (
        "transfer_gap",
        "zero_shot",
    )
    assert rep.figures[4].reported == pytest.approx(0.004)


def test_an_unlabelled_comparison_is_not_read_as_a_language_difference(
    runs_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "## Paired tests\n\n"
        "| task | measure | comparison | pairs | Δ (points) |\n|---|---|---|---|---|\n"
        "| pawsx | accuracy romance | romance − germanic | 3 | +1.3 |\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    assert [f.outcome for f in rep.figures] == ["UNMATCHED"]
    assert "compared" in rep.figures[0].reason  # names what is missing, never guesses


def test_a_claim_about_another_encoder_is_not_checked_against_these_runs(
    runs_dir: Path, tmp_path: Path
) -> None:
    # The manifests beside the results say which encoder the runs used.
    for manifest in runs_dir.glob("*/manifest.json"):
        manifest.write_text(
            json.dumps({"config": {"encoder": "multilingual-e5-small"}}), encoding="utf-8"
        )
    path = tmp_path / "r.md"
    path.write_text(
        "# Huang et al. with mBERT\n\n"
        "Plain zero-shot PAWS-X accuracy without intermediate fine-tuning is 70.5%.\n\n"
        "# Ours\n\n"
        "With XLM-R, plain zero-shot PAWS-X accuracy without intermediate fine-tuning is "
        "70.5%.\n"
        "With multilingual-e5-small, plain zero-shot PAWS-X accuracy without intermediate "
        "fine-tuning is 70.5%.\n"
        "Plain zero-shot PAWS-X accuracy without intermediate fine-tuning is 70.5%.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    assert [f.outcome for f in rep.figures] == ["UNMATCHED", "UNMATCHED", "CONFIRMED", "CONFIRMED"]
    assert rep.figures[0].reason == (
        "the claim is about mBERT; the runs used multilingual-e5-small"
    )
    assert "XLM-R" in rep.figures[1].reason
    assert load_runs(runs_dir).encoders == {"multilingual-e5-small"}


def test_adjusted_p_value_columns_are_not_figures(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "| method | intermediate | PAWS-X zero-shot accuracy | Holm-adjusted p | q-value |\n"
        "|---|---|---|---|---|\n"
        "| plain | none | 70.5 | 0.50 | 0.75 |\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    assert [(f.figure, f.outcome) for f in rep.figures] == [("70.5", "CONFIRMED")]


def test_each_figure_takes_the_setting_of_its_own_clause(runs_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "On PAWS-X, intermediate fine-tuning on Romance languages raises zero-shot accuracy to "
        "74.4%, versus 73.1% for Germanic.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs_dir, now=FIXED_NOW)
    got = [(f.figure, f.outcome, f.slot.intermediate if f.slot else None) for f in rep.figures]
    assert got == [("74.4%", "CONFIRMED", "romance"), ("73.1%", "CONFIRMED", "germanic")]


def _xnli_runs(root: Path) -> Path:
    """XNLI runs: (method, intermediate) -> zero-shot accuracy for seeds 1-3, English accuracy
    and robust accuracy fixed, plus a manifest naming the encoder."""
    cells = {
        ("plain", "none"): [0.430, 0.433, 0.436],
        ("plain", "english"): [0.449, 0.451, 0.453],
        ("plain", "romance"): [0.434, 0.436, 0.438],
        ("rs_da", "english"): [0.442, 0.444, 0.446],
        ("rs_rp", "english"): [0.447, 0.449, 0.451],
        ("rs_da", "none"): [0.395, 0.397, 0.399],
        ("at", "none"): [0.425, 0.427, 0.429],
    }
    for (method, inter), values in cells.items():
        for seed, value in enumerate(values, 1):
            run_id = f"xnli-{method}-{inter}-s{seed}"
            rows = [
                {"run_id": run_id, "task": "xnli", "metric": metric, "language": lang,
                 "method": method, "intermediate": inter, "seed": seed, "value": v}
                for metric, lang, v in (
                    ("accuracy", "zero_shot", value),
                    ("accuracy", "en", value + 0.05),
                    ("robust_accuracy", "en", 0.37 if method == "at" else 0.315),
                )
            ]  # fmt: skip
            (root / run_id).mkdir(parents=True)
            (root / run_id / "results.json").write_text(json.dumps(rows), encoding="utf-8")
            (root / run_id / "manifest.json").write_text(
                json.dumps({"config": {"encoder": "multilingual-e5-small"}}), encoding="utf-8"
            )
    return root


def test_phrasings_of_other_reports(tmp_path: Path) -> None:
    """Sentences as other people write them: each figure must land on its own setting."""
    runs = _xnli_runs(tmp_path / "runs")
    path = tmp_path / "r.md"
    path.write_text(
        "# Zero-shot cross-lingual transfer\n\n"
        "XNLI zero-shot accuracy is 44.4% for RS-DA and 40.0% for RS-RP when both use English "
        "intermediate training.\n\n"
        "With English intermediate fine-tuning, plain XNLI zero-shot accuracy is 45.1%, versus "
        "43.6% for Romance.\n\n"
        "Adversarial training reaches 37.0% robust accuracy on XNLI without an intermediate "
        "stage.\n\n"
        "Under the synonym-substitution attack, the plain XNLI model without an intermediate "
        "stage keeps only 31.5% accuracy.\n\n"
        "The RS-DA model trails plain fine-tuning by 3.6 points on XNLI zero-shot accuracy "
        "without an intermediate stage.\n\n"
        "On XNLI, RS-DA is 3.6% lower than plain fine-tuning without an intermediate stage.\n\n"
        "Plain XNLI zero-shot accuracy without an intermediate stage is 43.3% "
        "(95% CI 42.6–44.0).\n\n"
        "Compared with mBERT (66.3% in Hu et al., 2020), our plain multilingual-e5-small model "
        "reaches 43.3% XNLI zero-shot accuracy without an intermediate stage.\n\n"
        "| setting | XNLI zero-shot acc. | sd |\n|---|---|---|\n"
        "| RS-RP + English | 44.9 | 0.2 |\n"
        "| RS-DA + English | 34.0† | 0.2 |\n"
        "| plain + Romance | 43.6 (0.2) | 0.2 |\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs, now=FIXED_NOW)
    got = [(f.figure, f.outcome, f.slot.label() if f.slot else "") for f in rep.figures]
    assert got == [
        ("44.4%", "CONFIRMED", "xnli accuracy zero_shot rs_da/english"),
        ("40.0%", "REFUTED", "xnli accuracy zero_shot rs_rp/english"),
        ("45.1%", "CONFIRMED", "xnli accuracy zero_shot plain/english"),
        ("43.6%", "CONFIRMED", "xnli accuracy zero_shot plain/romance"),
        # sentence-initial "Adversarial training"; a title's "zero-shot" is no language here
        ("37.0%", "CONFIRMED", "xnli robust_accuracy en at/none"),
        ("31.5%", "CONFIRMED", "xnli robust_accuracy en plain/none"),
        ("3.6 points", "CONFIRMED", "xnli accuracy zero_shot rs_da/none"),  # "trails"
        ("3.6%", "CONFIRMED", "xnli accuracy zero_shot rs_da/none"),  # "% lower than"
        ("43.3%", "CONFIRMED", "xnli accuracy zero_shot plain/none"),  # CI bounds skipped
        ("66.3%", "UNMATCHED", ""),  # mBERT's figure, in its own clause
        ("43.3%", "CONFIRMED", "xnli accuracy zero_shot plain/none"),
        ("44.9", "CONFIRMED", "xnli accuracy zero_shot rs_rp/english"),
        ("34.0", "REFUTED", "xnli accuracy zero_shot rs_da/english"),
        ("43.6", "CONFIRMED", "xnli accuracy zero_shot plain/romance"),  # not its (0.2)
    ]
    assert rep.figures[6].kind == "delta" and rep.figures[7].kind == "delta"


def test_from_to_parentheses_and_cited_figures(tmp_path: Path) -> None:
    runs = _xnli_runs(tmp_path / "runs")
    path = tmp_path / "r.md"
    path.write_text(
        "English intermediate training raises plain XNLI zero-shot accuracy from 43.3% to "
        "45.1%.\n\n"
        "On XNLI, AT's robust accuracy (37.0%) exceeds plain's (31.5%) without an intermediate "
        "stage.\n\n"
        "On XNLI, moving plain fine-tuning from Romance to English intermediate training adds "
        "1.5 points of zero-shot accuracy.\n\n"
        "Huang et al. (2021) report 8.2 points higher robust accuracy for RS-DA than for the "
        "plain model on XNLI.\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs, now=FIXED_NOW)
    got = [(f.figure, f.outcome, f.slot.label() if f.slot else "") for f in rep.figures]
    assert got == [
        ("43.3%", "CONFIRMED", "xnli accuracy zero_shot plain/none"),  # the value before
        ("45.1%", "CONFIRMED", "xnli accuracy zero_shot plain/english"),
        ("37.0%", "CONFIRMED", "xnli robust_accuracy en at/none"),
        ("31.5%", "CONFIRMED", "xnli robust_accuracy en plain/none"),
        ("1.5 points", "CONFIRMED", "xnli accuracy zero_shot plain/english"),
        ("8.2 points", "UNMATCHED", ""),
    ]
    assert rep.figures[4].baseline is not None
    assert rep.figures[4].baseline.intermediate == "romance"
    assert "another paper's result" in rep.figures[5].reason


def test_other_metrics_beside_a_language_are_not_our_figures(
    runs_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "| Language | κ | p_MC |\n|---|---|---|\n| Spanish | -0.155 | 1.000 |\n\n"
        "Spanish: κ = -0.155, Pearson correlation 0.42 for German.\n",
        encoding="utf-8",
    )
    assert reverify(path, runs_dir, now=FIXED_NOW).figures == []


def test_report_structures_of_other_reports(tmp_path: Path) -> None:
    """Captions, code fences, difference columns, tables without a leading pipe, labels."""
    runs = _xnli_runs(tmp_path / "runs")
    path = tmp_path / "r.md"
    path.write_text(
        "# Results\n\n"
        "Table 3: XNLI zero-shot accuracy (%) with RS-DA.\n\n"
        "| intermediate | acc. | Δ vs none (pts) |\n|-|-|-|\n"
        "| english | _44.4_ | 4.7 |\n\n"
        "```\nXNLI plain 99.9%\n```\n\n"
        "Setting | XNLI / en\n:-:|:-:\n"
        "plain, no intermediate stage | 48.3\\% |\n\n"
        "## XNLI, plain\n\n"
        "- Avg. over the target languages without an intermediate stage: 43.3% (±1.6).\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs, now=FIXED_NOW)
    got = [(f.figure, f.kind, f.outcome, f.slot.label() if f.slot else "") for f in rep.figures]
    assert got == [
        ("44.4", "value", "CONFIRMED", "xnli accuracy zero_shot rs_da/english"),  # caption
        ("4.7", "delta", "CONFIRMED", "xnli accuracy zero_shot rs_da/english"),  # vs none
        ("48.3\\%", "value", "CONFIRMED", "xnli accuracy en plain/none"),
        ("43.3%", "value", "CONFIRMED", "xnli accuracy zero_shot plain/none"),  # (±1.6) skipped
    ]
    assert rep.figures[1].baseline is not None and rep.figures[1].baseline.intermediate == "none"


def test_a_claims_table_value_column_is_the_claims_figure(tmp_path: Path) -> None:
    runs = _xnli_runs(tmp_path / "runs")
    path = tmp_path / "claims.tsv"
    path.write_text(
        "Claim\tReported\tVerified\n"
        "Plain XNLI zero-shot accuracy without an intermediate stage\t43.3%\t✓\n"
        "Plain XNLI zero-shot accuracy with English intermediate training\t40.0%\t✓\n",
        encoding="utf-8",
    )
    rep = reverify(path, runs, now=FIXED_NOW)
    assert [(f.figure, f.outcome) for f in rep.figures] == [
        ("43.3%", "CONFIRMED"),
        ("40.0%", "REFUTED"),
    ]


def test_a_value_half_a_unit_away_is_a_correct_rounding() -> None:
    """0.5725 written as 57.2 % (round half to even) is confirmed, not refuted by float error."""
    from litcheck.report.reverify_render import within

    assert within(0.572, 0.5725, 0.5725, 0.0005)
    assert within(57.2, 57.25, 57.25, 0.05)
    assert not within(0.571, 0.5725, 0.5725, 0.0005)
    assert not within(0.574, 0.5725, 0.5725, 0.0005)
