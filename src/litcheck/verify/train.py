"""``litcheck train-verifier``: fine-tune, calibrate and test the three-way cross-encoder judge.

The run is resumable: every ``checkpoint_every`` steps the model, optimizer, scheduler and step
are written atomically under ``<models_dir>/verifier/checkpoint``; ``--resume`` continues from
there with the identical data order (the order is a pure function of the seed and the step).
When the last step is done the model is calibrated on the calibration split, scored on the test
split (SciFact dev, never trained or calibrated on) and saved to ``<models_dir>/verifier`` with
``calibration.json`` and ``card.json`` (data, seed, steps, metrics).
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.console import err_console, progress
from litcheck.errors import VerificationError
from litcheck.verify.calibration import Calibration, score
from litcheck.verify.data import Pair, calibration_pairs, training_pairs
from litcheck.verify.labels import label_index
from litcheck.verify.resolve import resolve_model

CARD_NAME = "card.json"
CALIBRATION_NAME = "calibration.json"


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run (saved in the card)."""

    base: str = "all-MiniLM-L6-v2"
    max_steps: int = 600
    batch_size: int = 16
    lr: float = 8e-5
    warmup: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 128
    freeze_word_embeddings: bool = True
    seed: int = 13
    checkpoint_every: int = 50
    eval_every: int = 250
    threads: int = 2


def _tokenize(tokenizer: Any, pairs: list[Pair], max_length: int) -> Any:
    # Evidence first, claim second: truncation then cuts long evidence, never the claim.
    return tokenizer(
        [p.evidence for p in pairs],
        [p.claim for p in pairs],
        truncation="longest_first",
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def predict_logits(
    model: Any,
    tokenizer: Any,
    claims: list[str],
    evidence: list[str],
    max_length: int,
    batch_size: int = 32,
    show: bool = False,
) -> NDArray[np.float64]:
    """Raw logits of a sequence-classification model for (evidence, claim) pairs.

    Args:
        model: a transformers sequence-classification model with 3 labels.
        tokenizer: its tokenizer.
        claims: claim texts.
        evidence: evidence texts, one per claim.
        max_length: token limit (evidence is truncated first).
        batch_size: pairs per forward pass.
        show: show a progress bar.

    Returns:
        Array of shape (n, 3).
    """
    import torch

    pairs = [Pair(c, e, label=None, source="") for c, e in zip(claims, evidence, strict=True)]  # type: ignore[arg-type]
    # Sorting by length keeps padding small; the original order is restored at the end.
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].evidence) + len(pairs[i].claim))
    out = np.zeros((len(pairs), 3), dtype=np.float64)
    model.eval()
    with torch.inference_mode(), progress(transient=True) as bar:
        task = bar.add_task("Judging", total=len(pairs), visible=show)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = _tokenize(tokenizer, [pairs[i] for i in idx], max_length)
            logits = model(**enc).logits.float().cpu().numpy()
            out[idx] = logits
            bar.advance(task, len(idx))
    return out


def _save_checkpoint(
    ckpt: Path,
    model: Any,
    tokenizer: Any,
    optimizer: Any,
    scheduler: Any,
    step: int,
    cfg: TrainConfig,
    losses: list[float],
) -> None:
    import torch

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    torch.save(
        {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()},
        tmp / "optimizer.pt",
    )
    (tmp / "state.json").write_text(
        json.dumps({"step": step, "config": asdict(cfg), "recent_loss": losses[-50:]})
    )
    # Swap directories so that a kill at any moment leaves one complete checkpoint.
    old = ckpt.with_name(ckpt.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if ckpt.exists():
        ckpt.rename(old)
    tmp.rename(ckpt)
    shutil.rmtree(old, ignore_errors=True)


#: Pairs sorted by length together: batches of similar length pad little (2-3x faster on CPU).
BUCKET_BATCHES = 50


def epoch_batches(pairs: list[Pair], epoch: int, batch_size: int, seed: int) -> list[list[int]]:
    """The batches of one epoch, as indices into ``pairs``: a pure function of epoch and seed.

    The epoch's shuffled order is cut into chunks of :data:`BUCKET_BATCHES` batches; each chunk
    is sorted by length and cut into batches, and the batches are shuffled, so a batch holds
    pairs of similar length while the data order stays random.
    """
    n = len(pairs)
    rng = random.Random(seed * 1000 + epoch)
    order = list(range(n))
    rng.shuffle(order)
    chunk = batch_size * BUCKET_BATCHES
    batches: list[list[int]] = []
    for start in range(0, n - batch_size + 1, chunk):
        part = order[start : start + chunk]
        part.sort(key=lambda i: len(pairs[i].evidence) + len(pairs[i].claim))
        group = [part[j : j + batch_size] for j in range(0, len(part), batch_size)]
        group = [b for b in group if len(b) == batch_size]
        rng.shuffle(group)
        batches.extend(group)
    return batches


class _Batches:
    """Step -> batch, caching the current epoch's batch list."""

    def __init__(self, pairs: list[Pair], batch_size: int, seed: int) -> None:
        self.pairs = pairs
        self.batch_size = batch_size
        self.seed = seed
        self._epoch = -1
        self._batches: list[list[int]] = []
        self.per_epoch = len(epoch_batches(pairs, 0, batch_size, seed))

    def __call__(self, step: int) -> list[Pair]:
        epoch, k = divmod(step, max(1, self.per_epoch))
        if epoch != self._epoch:
            self._batches = epoch_batches(self.pairs, epoch, self.batch_size, self.seed)
            self._epoch = epoch
        return [self.pairs[i] for i in self._batches[k]]


def _batch(pairs: list[Pair], step: int, batch_size: int, seed: int) -> list[Pair]:
    """The pairs of one step: a pure function of step and seed (resume sees the same data)."""
    return _Batches(pairs, batch_size, seed)(step)


def _append_curve(path: Path, record: dict[str, Any]) -> None:
    # One JSON line per logged step; a line cut by a kill is skipped by the reader.
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def _quick_dev(model: Any, tokenizer: Any, pairs: list[Pair], max_length: int) -> float:
    """Macro-F1 on the calibration pairs (never on the test split): the curve's quality column."""
    logits = predict_logits(
        model, tokenizer, [p.claim for p in pairs], [p.evidence for p in pairs], max_length
    )
    gold = np.array([label_index(p.label) for p in pairs], dtype=np.int64)
    f1 = float(score(Calibration().probabilities(logits), gold)["macro_f1"])
    model.train()
    return f1


def train_verifier(
    data_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    resume: bool = False,
    time_limit: float | None = None,
    train_only: bool = False,
) -> dict[str, Any]:
    """Fine-tune the judge, then calibrate, test and save it with its card.

    Args:
        data_dir: the shared data folder (``claims/``, ``nli/``).
        out_dir: where the model goes (``<models_dir>/verifier``); the checkpoint is inside.
        cfg: hyper-parameters.
        resume: continue from ``out_dir/checkpoint`` (required when one exists, so a finished
            run is never overwritten by accident).
        time_limit: stop (with a checkpoint) after this many seconds; rerun with ``--resume``.
        train_only: stop after the last step's checkpoint, without calibrating or saving.

    Returns:
        The card (also written to ``out_dir/card.json`` once training finished).

    Raises:
        VerificationError: when a checkpoint exists and ``resume`` is False, or the data is missing.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    ckpt = out_dir / "checkpoint"
    step = 0
    if ckpt.exists() and not resume:
        raise VerificationError(
            f"A training checkpoint exists at {ckpt}; rerun with --resume to continue it, or "
            "delete that folder to start over."
        )
    pairs = training_pairs(data_dir, cfg.seed)
    if not pairs:
        raise VerificationError(f"No training pairs found under {data_dir}; set --data.")
    counts = Counter(label_index(p.label) for p in pairs)
    # Inverse-frequency class weights: CONTRADICTED is the weak class on SciFact.
    weights = torch.tensor([len(pairs) / (3 * counts.get(i, 1)) for i in range(3)])
    if resume and ckpt.exists():
        state = json.loads((ckpt / "state.json").read_text())
        saved = state["config"]
        cfg = TrainConfig(**{**saved, "max_steps": cfg.max_steps, "threads": cfg.threads})
        step = int(state["step"])
        model = AutoModelForSequenceClassification.from_pretrained(ckpt, num_labels=3)
        tokenizer = AutoTokenizer.from_pretrained(ckpt)
    else:
        base = resolve_model(cfg.base)
        model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
        tokenizer = AutoTokenizer.from_pretrained(base)
    if cfg.freeze_word_embeddings:
        # The 30k x 384 word table is half the parameters; freezing it halves the optimizer's
        # work on a CPU and loses little, since fine-tuning barely moves it.
        model.get_input_embeddings().weight.requires_grad_(False)
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and not any(k in n for k in no_decay)
            ],
            "weight_decay": cfg.weight_decay,
        },
        {
            "params": [
                p
                for n, p in model.named_parameters()
                if p.requires_grad and any(k in n for k in no_decay)
            ],
            "weight_decay": 0.0,
        },
    ]
    optimizer = torch.optim.AdamW(groups, lr=cfg.lr)
    warm = max(1, int(cfg.warmup * cfg.max_steps))

    def schedule(s: int) -> float:
        if s < warm:
            return (s + 1) / warm
        return max(0.0, 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, cfg.max_steps - warm))))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    if resume and (ckpt / "optimizer.pt").exists():
        opt_state = torch.load(ckpt / "optimizer.pt", weights_only=False)
        optimizer.load_state_dict(opt_state["optimizer"])
        scheduler.load_state_dict(opt_state["scheduler"])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    losses: list[float] = []
    started = time.monotonic()
    first_step = step
    batches = _Batches(pairs, cfg.batch_size, cfg.seed)
    curve = out_dir / "curve.jsonl"
    out_dir.mkdir(parents=True, exist_ok=True)
    quick = calibration_pairs(data_dir) if cfg.eval_every else []
    model.train()
    err_console.print(f"Training on {len(pairs)} pairs from step {step} to {cfg.max_steps}.")
    with progress() as bar:
        task = bar.add_task("Training the judge", total=cfg.max_steps, completed=step)
        while step < cfg.max_steps:
            batch = batches(step)
            enc = _tokenize(tokenizer, batch, cfg.max_length)
            labels = torch.tensor([label_index(p.label) for p in batch])
            loss = loss_fn(model(**enc).logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(float(loss.detach()))
            step += 1
            if step % 10 == 0 and os.environ.get("LITCHECK_NO_PROGRESS") == "1":
                # Background runs have no progress bar: a line every 10 steps shows the pace.
                rate = (time.monotonic() - started) / max(1, step - first_step)
                err_console.print(
                    f"step {step}/{cfg.max_steps} loss {np.mean(losses[-50:]):.3f} "
                    f"{rate:.1f} s/step"
                )
            bar.update(
                task,
                completed=step,
                description=f"Training the judge (loss {np.mean(losses[-50:]):.3f})",
            )
            out_of_time = time_limit is not None and time.monotonic() - started > time_limit
            if step % cfg.checkpoint_every == 0 or step == cfg.max_steps or out_of_time:
                record: dict[str, Any] = {
                    "step": step,
                    "epoch": round(step / max(1, batches.per_epoch), 3),
                    "loss": round(float(np.mean(losses[-cfg.checkpoint_every :])), 4),
                    "lr": scheduler.get_last_lr()[0],
                    "elapsed_s": round(time.monotonic() - started, 1),
                }
                if quick and (step % cfg.eval_every == 0 or step == cfg.max_steps):
                    record["calibration_macro_f1"] = round(
                        _quick_dev(model, tokenizer, quick, cfg.max_length), 4
                    )
                _save_checkpoint(ckpt, model, tokenizer, optimizer, scheduler, step, cfg, losses)
                _append_curve(curve, record)
            if out_of_time and step < cfg.max_steps:
                err_console.print(f"Stopped at step {step} (time limit); rerun with --resume.")
                return {"status": "paused", "step": step, "checkpoint": str(ckpt)}
    if train_only:
        return {"status": "trained", "step": step, "checkpoint": str(ckpt)}
    return finalize(
        data_dir, out_dir, cfg, step, model, tokenizer, Counter(p.source for p in pairs)
    )


def finalize(
    data_dir: Path,
    out_dir: Path,
    cfg: TrainConfig,
    step: int,
    model: Any,
    tokenizer: Any,
    sources: Counter[str],
) -> dict[str, Any]:
    """Save the fp32 model, export the judge folder (ONNX int8), calibrate, test, write the card.

    The calibration, the combination with lexical cues and the dev figures are all computed
    on the quantised model, the one that judges (see :func:`litcheck.verify.ship.build_judge`).
    """
    from litcheck.verify.ship import build_judge

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "model.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    final = out_dir / "model"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    card = {
        "name": out_dir.name,
        "model": "three-way cross-encoder: (evidence, claim) -> "
        "SUPPORTED / CONTRADICTED / NOT_ENOUGH_INFO",
        "base": cfg.base,
        "config": asdict(cfg),
        "steps": step,
        "examples_seen": step * cfg.batch_size,
        "smoke": step < SMOKE_STEPS,
        "data": {
            "dir": str(data_dir),
            "train_sources": dict(sources.most_common()),
            "calibration": "SciFact train, hashed 20% of claims, gold evidence",
            "test": "SciFact dev (300 claims), gold evidence; never trained on",
        },
        "seed": cfg.seed,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    return build_judge(final, out_dir, data_dir, card, max_length=cfg.max_length)


#: Fewer steps than this make a smoke run: the judge is saved but is not good for anything.
SMOKE_STEPS = 200
