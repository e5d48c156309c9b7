"""The verifier's commands: ``verify``, ``audit``, ``train-verifier``.

Heavy libraries (torch, sentence-transformers, faiss) are imported inside the command bodies so
that ``litcheck --help`` stays fast.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from litcheck.verify.judge_commands import JUDGE_HELP


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class AuditFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    claimreview = "claimreview"
    jsonld = "jsonld"


class Device(StrEnum):
    cpu = "cpu"
    cuda = "cuda"
    auto = "auto"


def _emit(text: str, output: Path | None) -> None:
    import sys

    from litcheck.console import atomic_write_text, err_console

    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(output, text)
        err_console.print(f"Wrote {escape(str(output))}.")


def verify(
    claims_file: Annotated[Path, typer.Argument(help='JSON Lines: {"id", "claim", "cites"}.')],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.md,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout).")
    ] = None,
    device: Annotated[Device | None, typer.Option(help="cpu (default), cuda or auto.")] = None,
    fallback: Annotated[bool, typer.Option(help="Same as --judge fallback.")] = False,
    judge_ref: Annotated[str | None, typer.Option("--judge", help=JUDGE_HELP)] = None,
    top_passages: Annotated[
        int, typer.Option(min=1, max=20, help="Passages judged per claim.")
    ] = 3,
) -> None:
    """Verify claims against the library: verdict, calibrated confidence, evidence sentences.

    Cited arXiv papers missing from the library are fetched first (unless offline). Each claim
    is searched in its cited papers (or the whole library when cites is empty) with dense +
    keyword retrieval; a judge decides SUPPORTED, CONTRADICTED or NOT_ENOUGH_INFO and
    figures are checked as numbers. --format json prints one object per claim:
    {"id", "claim", "verdict", "confidence", "evidence": [{"paper", "section", "text", "score"}],
    "reason", "judge"}.

    Example: [bold]litcheck verify data/examples/claims.jsonl --format json -o verdicts.jsonl[/]
    """
    from litcheck.cli_helpers import open_lib, settings
    from litcheck.console import check_output_path, err_console
    from litcheck.verify.audit import fetch_missing_cites
    from litcheck.verify.claims_file import in_file_order, read_claims_file, split_checkable
    from litcheck.verify.judges import load_judge
    from litcheck.verify.pipeline import open_index, verify_claims
    from litcheck.verify.render import render_verdicts

    if output is not None:
        check_output_path(output)  # before any work: a bad -o fails in a second, not after
    claims = read_claims_file(claims_file)
    # A bare word or a SQL fragment is no claim: it is set apart with its reason, never judged.
    to_judge, flagged = split_checkable(claims)
    cfg = settings()
    dev = device.value if device else cfg.device
    with open_lib() as lib:
        for ref in fetch_missing_cites(lib, to_judge, cfg):
            err_console.print(f"cited {escape(ref.raw)}: {ref.status}", highlight=False)
        index = open_index(lib, cfg, dev)
        judge = load_judge(cfg, device=index.embedder.device, fallback=fallback, judge=judge_ref)
        judged = verify_claims(to_judge, lib, index, judge, top_passages=top_passages)
    verdicts = in_file_order(claims, judged, flagged, judge.name)
    _emit(render_verdicts(verdicts, fmt.value), output)


def audit(
    report_file: Annotated[
        Path,
        typer.Argument(
            help="Report with a claims table: Markdown, tab-separated, CSV, box-drawing, grid, "
            "fixed-width, HTML, LaTeX or JSON."
        ),
    ],
    fmt: Annotated[
        AuditFormat,
        typer.Option(
            "--format",
            "-f",
            help="md, json (JSON Lines), html, or claimreview / jsonld (schema.org ClaimReview).",
        ),
    ] = AuditFormat.md,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout).")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 1 when a claim marked verified is not SUPPORTED.")
    ] = False,
    device: Annotated[Device | None, typer.Option(help="cpu (default), cuda or auto.")] = None,
    fallback: Annotated[bool, typer.Option(help="Same as --judge fallback.")] = False,
    judge_ref: Annotated[str | None, typer.Option("--judge", help=JUDGE_HELP)] = None,
) -> None:
    """Re-verify a report's claims table against the papers it cites; show where marks disagree.

    The report's references (arXiv ids, DOIs, titles; in its reference list or its rows) are
    resolved first: taken from the library or fetched (unless --offline). Each row is verified
    against its cited papers only. A row whose cited paper is not in the library says "cited
    paper not available" with the command that fetches it, shows no confidence and is never a
    disagreement; its verdict against the rest of the library is shown apart ("elsewhere in the
    library") and never counts towards --strict.

    Example: [bold]litcheck audit data/examples/synthesis-report.txt --strict -o audit.md[/]

    Example: [bold]litcheck audit data/examples/synthesis-report.txt --format claimreview
    -o audit.jsonld[/]
    """
    from litcheck.cli_helpers import open_lib, settings
    from litcheck.console import check_output_path, err_console
    from litcheck.verify.audit import audit_report
    from litcheck.verify.judges import load_judge
    from litcheck.verify.pipeline import open_index, verify_claims
    from litcheck.verify.render import render_audit

    if output is not None:
        check_output_path(output)
    if not report_file.is_file():
        from litcheck.errors import BadInputError

        what = "is a directory, not a file" if report_file.is_dir() else "does not exist"
        raise BadInputError(f"Report file {report_file} {what}.")
    cfg = settings()
    dev = device.value if device else cfg.device
    with open_lib() as lib:
        judge = load_judge(
            cfg, device="cuda" if dev == "cuda" else "cpu", fallback=fallback, judge=judge_ref
        )
        indexes: list[Any] = []

        def run(claims: list) -> list:  # type: ignore[type-arg]
            index = open_index(lib, cfg, dev)
            indexes.append(index)
            return verify_claims(claims, lib, index, judge)

        result = audit_report(report_file, lib, cfg, run, judge.name)
        # The scorecard and citation checks (issue 8) sit beside the report's own claims; this
        # command layer composes the verify and report stages.
        from litcheck.report.scorecard import audit_scorecard

        text = report_file.read_text(encoding="utf-8", errors="replace")
        card = audit_scorecard(result, lib, text, indexes[0].embedder if indexes else None)
    if fmt is AuditFormat.html:
        from litcheck.report.audit_html import write_audit_html

        _emit(write_audit_html(result, card), output)
    elif fmt in (AuditFormat.claimreview, AuditFormat.jsonld):
        _emit(render_audit(result, fmt.value), output)
    else:
        _emit(_audit_with_card(render_audit(result, fmt.value), card, fmt.value), output)
    if result.disagreements:
        err_console.print(f"{result.disagreements} claim(s) where the report's mark disagrees.")
    if result.unchecked:
        err_console.print(
            f"{result.unchecked} claim(s) not checked ({result.not_available} whose cited paper "
            "is not available); they are not counted as disagreements or --strict failures."
            + (f" To fetch: {'; '.join(result.fetch_commands)}" if result.fetch_commands else ""),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    if strict and result.strict_failures:
        from litcheck.verify.audit import StrictCheckFailed

        raise StrictCheckFailed(
            f"{result.strict_failures} claim(s) the report marks verified "
            "are not SUPPORTED (see the disagreement column)."
        )


def _audit_with_card(rendered: str, card: Any, fmt: str) -> str:
    """Append the measured scorecard and the flagged citations to a Markdown or JSON audit."""
    from litcheck.report.scorecard import scorecard_markdown
    from litcheck.verify.citations import citations_markdown, flagged_citations

    if fmt == "json":
        summary = {
            "scorecard": card.scorecard.to_dict(),
            "flagged_citations": [
                c.model_dump(mode="json") for c in flagged_citations(card.citation_checks)
            ],
        }
        lines = rendered.rstrip("\n").split("\n")
        last = json.loads(lines[-1]) if lines and lines[-1] else {}
        if isinstance(last, dict) and "summary" in last:
            # The audit's closing summary line carries the scorecard too.
            lines[-1] = json.dumps({**last, **summary}, ensure_ascii=False)
        else:
            lines.append(json.dumps({"summary": True, **summary}, ensure_ascii=False))
        return "\n".join(lines) + "\n"
    sections = (
        scorecard_markdown(card.scorecard, "Scorecard (measured)")
        + "\n"
        + citations_markdown(card.citation_checks, "Citations")
    )
    return rendered.rstrip("\n") + "\n\n" + sections.rstrip("\n") + "\n"


#: Fewer optimizer steps than this cannot make a useful judge: such a run is a smoke run.
SMOKE_STEPS = 200
#: The judge a smoke run writes when --name is not given (replaced by the next smoke run).
SMOKE_NAME = "smoke"


def require_training_data(data_dir: Path) -> None:
    """Fail with what to do when ``data_dir`` lacks the SciFact files training needs.

    Args:
        data_dir: the data folder (``--data`` or ``LITCHECK_DATA_DIR``).

    Raises:
        VerificationError: when ``claims/scifact/claims_train.jsonl`` or its corpus is missing.
    """
    from litcheck.errors import VerificationError

    scifact = data_dir / "claims" / "scifact"
    if (scifact / "claims_train.jsonl").is_file() and (scifact / "corpus.jsonl").is_file():
        return
    raise VerificationError(
        f"No training data in {data_dir} (it needs claims/scifact/claims_train.jsonl and "
        "corpus.jsonl). Fetch the public claim and NLI sets with `litcheck download-data` "
        f"(into LITCHECK_DATA_DIR, now {data_dir}; `--data DIR` chooses another folder), then "
        "rerun this command."
    )


def train_verifier(
    data: Annotated[
        Path | None, typer.Option("--data", help="Data folder (default LITCHECK_DATA_DIR).")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="Name of the judge to write, under <home>/models/judges/NAME (its checkpoint "
            "inside, so --resume continues that judge). Default: verifier (smoke for a smoke "
            "run).",
        ),
    ] = None,
    use: Annotated[
        bool,
        typer.Option(
            "--use", help="Make the new judge the default once it has printed its dev figures."
        ),
    ] = False,
    base: Annotated[
        str, typer.Option(help="Base encoder: a name, a local folder or a Hugging Face id.")
    ] = "all-MiniLM-L6-v2",
    max_steps: Annotated[int, typer.Option(min=0, help="Optimizer steps in all.")] = 600,
    batch_size: Annotated[int, typer.Option(min=1, help="Pairs per step.")] = 16,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
    resume: Annotated[bool, typer.Option(help="Continue the named judge's checkpoint.")] = False,
    time_limit: Annotated[
        float | None, typer.Option(help="Stop after N minutes (resumable).")
    ] = None,
    threads: Annotated[int, typer.Option(min=1, help="CPU threads for torch.")] = 2,
    retrieval_fit: Annotated[
        bool,
        typer.Option(
            help="After training, fit the verdict aggregation over retrieved evidence on the "
            "SciFact calibration claims (encodes the SciFact corpus once, cached; skipped in a "
            "smoke run)."
        ),
    ] = True,
    only_fit: Annotated[
        bool,
        typer.Option(
            help="Skip training: refit the named judge's combination with lexical cues and its "
            "retrieval aggregation."
        ),
    ] = False,
) -> None:
    """Fine-tune, calibrate and test a three-way judge; save it as a named judge.

    Trains a cross-encoder on the labelled pairs in the data folder (SciFact train, HealthVer,
    CLIMATE-FEVER, COVID-Fact, SciTab, SEM-TAB-FACTS, FEVER, SNLI, SICK and hard negatives),
    checkpointing every 50 steps; calibrates on held-out SciFact train claims; tests on SciFact
    dev and prints those figures. The judge goes to <home>/models/judges/NAME; the default
    judge changes only with --use (or later `litcheck judge use NAME`). Fewer than 200 steps is
    a smoke run: it checks that training works and skips the slow retrieval fit. No data
    folder yet? `litcheck download-data` fetches the public sets. Run it in the background
    with `nice`; resume with --resume.

    Example: [bold]nice -n 10 litcheck train-verifier --name big --max-steps 6000 --resume[/]
    """
    import shutil

    from litcheck.cli_helpers import settings
    from litcheck.console import err_console, print_json_line
    from litcheck.verify.judges import check_name, default_judge, judges_dir, write_default
    from litcheck.verify.train import TrainConfig
    from litcheck.verify.train import train_verifier as run_training

    cfg = settings()
    smoke = max_steps < SMOKE_STEPS and not only_fit
    judge_name = check_name(name or (SMOKE_NAME if smoke else "verifier"))
    out = judges_dir(cfg) / judge_name
    data_dir = data or cfg.data_dir
    require_training_data(data_dir)
    if only_fit:
        result = _fit_combiner(data_dir, out)
        if retrieval_fit:
            result["retrieval_fit"] = _fit_retrieval(cfg, data_dir, out)
        print_json_line(result)
        return
    if smoke:
        err_console.print(
            f"Smoke run: {max_steps} steps (fewer than {SMOKE_STEPS}) cannot make a useful "
            "judge; this checks that training works. The retrieval fit is skipped.",
            highlight=False,
        )
        if name is None and not resume:
            shutil.rmtree(out, ignore_errors=True)  # the previous throwaway smoke judge
    card = run_training(
        data_dir,
        out,
        TrainConfig(
            base=base, max_steps=max_steps, batch_size=batch_size, seed=seed, threads=threads
        ),
        resume=resume,
        time_limit=time_limit * 60 if time_limit else None,
    )
    result = json.loads(json.dumps(card.get("metrics", card), default=str))
    if card.get("status") == "paused":
        print_json_line(result)
        err_console.print(
            f"Resume with `litcheck train-verifier --name {judge_name} --resume`.", highlight=False
        )
        return
    if retrieval_fit and not smoke:
        result["retrieval_fit"] = _fit_retrieval(cfg, data_dir, out)
    entry = _stamp_card(out, judge_name, smoke)
    print_json_line(result)
    from litcheck.verify.judges import headline

    err_console.print(
        f"Judge {judge_name}: {headline(entry.figures()) or 'no dev figures'} "
        f"(SciFact dev, gold evidence){' - a smoke run' if smoke else ''}.",
        highlight=False,
    )
    if use:
        write_default(cfg, judge_name)
        err_console.print(f"The default judge is now {judge_name}.", highlight=False)
    else:
        err_console.print(
            f"The default judge is unchanged ({default_judge(cfg)[0].ref}); "
            f"`litcheck judge use {judge_name}` makes this one the default.",
            highlight=False,
        )


def _stamp_card(out: Path, name: str, smoke: bool) -> Any:
    """Make sure the card names the judge and says whether it is a smoke run; return its entry."""
    from litcheck.console import atomic_write_text
    from litcheck.errors import VerificationError
    from litcheck.verify.judges import CARD_FILE, resolve_judge

    path = out / CARD_FILE
    card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if card.get("name") != name or card.get("smoke") != smoke:
        card.update({"name": name, "smoke": smoke})
        atomic_write_text(path, json.dumps(card, indent=2))
    from litcheck.cli_helpers import settings

    try:
        return resolve_judge(name, settings())
    except VerificationError:
        raise VerificationError(f"Training finished but {out} holds no judge.") from None


def _fit_combiner(data_dir: Path, out: Path) -> dict[str, Any]:
    """Refit and save a judge folder's combination with the fallback's cues (gold evidence)."""
    from litcheck.console import err_console
    from litcheck.errors import VerificationError
    from litcheck.verify.fit_open import fit_combiner, save_combiner
    from litcheck.verify.onnx_judge import OnnxJudge, is_onnx_judge

    if not is_onnx_judge(out):
        raise VerificationError(
            f"No trained judge at {out}; run `litcheck train-verifier --name {out.name}` first."
        )
    combiner = fit_combiner(OnnxJudge(out, combine=False), data_dir)
    save_combiner(out / "calibration.json", combiner)
    if combiner is None:
        err_console.print("Too few calibration pairs to combine the judge with lexical cues.")
        return {"combiner": None}
    err_console.print(
        f"Combined the judge with lexical cues: cross-validated macro-F1 "
        f"{combiner.cv_macro_f1:.3f} on {combiner.n} calibration pairs."
    )
    return {"combiner_cv_macro_f1": round(combiner.cv_macro_f1, 4), "combiner_l2": combiner.l2}


def _fit_retrieval(cfg: Any, data_dir: Path, out: Path) -> dict[str, Any]:
    """Fit and save a judge folder's retrieval aggregation, bearing gate and abstention."""
    from litcheck.console import err_console
    from litcheck.errors import VerificationError
    from litcheck.verify.onnx_judge import is_onnx_judge
    from litcheck.verify.ship import fit_retrieval

    if not is_onnx_judge(out):
        raise VerificationError(
            f"No trained judge at {out}; run `litcheck train-verifier --name {out.name}` first."
        )
    home = cfg.cache_dir / "verifier-fit"
    err_console.print(f"Fitting the retrieval aggregation on SciFact (library under {home}).")
    summary = fit_retrieval(out, data_dir, home)
    summary["calibration_claims"] = summary.pop("claims")
    return summary


def register(app: typer.Typer) -> None:
    """Add ``verify``, ``audit``, ``train-verifier``, ``download-data`` and ``judge``."""
    from litcheck.verify import judge_commands
    from litcheck.verify.download_commands import download_data

    app.command("verify")(verify)
    app.command("audit")(audit)
    app.command("train-verifier")(train_verifier)
    app.command("download-data")(download_data)
    judge_commands.register(app)
