"""Every setting of our runs that departs from the paper's, as data the report prints as one table.

The paper is Huang et al., EMNLP 2021 (arXiv 2104.08645); its settings are those of the official
scripts (uclanlp/Robust-XLT ``scripts/train_pawsx.sh`` / ``train_xnli.sh`` with XTREME's
``run_classify.py``): batch 32 (8 x 4 gradient accumulation), length 128, learning rate 2e-5
with linear decay and no warm-up, 3 epochs over PAWS-X's 49,401 English training pairs and one
over MultiNLI's 392,702 for XNLI, seed 7, the best checkpoint on English dev, evaluation on the
test sets. The official code implements RS-DA only; AT and RS-RP have no official settings, so
ours are stated as choices.

Our side is read from the runs' configs (their manifests), never typed: a table for a grid
says what that grid's runs did.

Example:
    >>> _, configs = load_grid(Path("data/experiments/learning-grid.toml"))  # doctest: +SKIP
    >>> print(deviation_table(deviations(configs, {"snli_sick": 14776})))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from litcheck.experiments.config import ExperimentConfig

#: the paper's English training sets (pairs) and their epochs in the official scripts
PAPER_TRAIN = {
    "pawsx": ("PAWS-X English train", 49_401, 3),
    "xnli": ("MultiNLI train", 392_702, 1),
}
PAPER_TEST = {"pawsx": 2_000, "xnli": 5_010}
PAPER_BATCH = 32
PAPER_LENGTH = 128
PAPER_LR = 2e-5
PAPER_SEED = 7
SNLI_SICK = "SNLI dev + SICK TRAIN/TRIAL"


@dataclass(frozen=True)
class Deviation:
    """One setting: the paper's value, ours, and whether they differ."""

    setting: str
    paper: str
    ours: str
    differs: bool
    note: str = ""


def _by_task(configs: Sequence[ExperimentConfig], value: Callable[[ExperimentConfig], str]) -> str:
    """``value`` per task, collapsed to one when every task agrees (``pawsx: a; xnli: b``)."""
    per_task: dict[str, list[str]] = {}
    for cfg in configs:
        seen = per_task.setdefault(cfg.task, [])
        v = value(cfg)
        if v not in seen:
            seen.append(v)
    texts = {task: " / ".join(vals) for task, vals in sorted(per_task.items())}
    if len(set(texts.values())) == 1:
        return next(iter(texts.values()))
    return "; ".join(f"{task}: {text}" for task, text in texts.items())


def _lr(x: float) -> str:
    return f"{x:.0e}".replace("e-0", "e-")


def _english_pairs(cfg: ExperimentConfig, pairs: Mapping[str, int]) -> tuple[str, int | None]:
    if cfg.train.english_train == "snli_sick":
        return SNLI_SICK, pairs.get("snli_sick")
    if cfg.train.english_train == "pool_snli_sick":
        n = pairs.get("snli_sick")
        return (
            f"English pool of the dev set ({cfg.pools.train:,}) + {SNLI_SICK}",
            None if n is None else n + cfg.pools.train,
        )
    return "English pool of the dev set", cfg.pools.train


def _training_length(cfg: ExperimentConfig, pairs: Mapping[str, int]) -> str:
    _, n = _english_pairs(cfg, pairs)
    seen = cfg.train.steps * cfg.train.batch_size
    passes = f", {seen / n:.2g} passes" if n else ""
    return f"{cfg.train.steps} steps ({seen:,} pairs{passes})"


def _rs_da(cfg: ExperimentConfig) -> str:
    m = cfg.methods
    if m.rs_da_passes is not None:
        how = f"{m.rs_da_passes:g} passes over the augmented set"
    elif m.rs_da_match_epochs:
        how = "n times plain's steps (plain's epochs over the augmented set)"
    else:
        how = "plain's steps (compute-matched)"
    return f"n = {cfg.rs_da_n}, {how}"


def _at(cfg: ExperimentConfig) -> str:
    m = cfg.methods
    ball = "per token" if m.at_norm == "token" else "one ball over the example's tokens"
    ramp = f", radius ramped over {m.at_ramp_steps} steps" if m.at_ramp_steps else ""
    return (
        f"L2 {ball}, radius {m.at_epsilon:g} x mean token-embedding norm, "
        f"{m.at_steps} ascent step(s){ramp}, clean weight {m.at_clean_weight:g}"
    )


def deviations(
    configs: Sequence[ExperimentConfig], english_pairs: Mapping[str, int] | None = None
) -> list[Deviation]:
    """Compare the runs' settings with the paper's, one row per setting.

    Args:
        configs: the configs of the runs the report rests on (at least one).
        english_pairs: pairs per English training source that the configs do not hold
            (``{"snli_sick": 14776}``, from the manifests); unknown counts are left out.

    Returns:
        One :class:`Deviation` per setting, in a fixed order; method rows only for the
        methods the runs use.

    Raises:
        ValueError: when ``configs`` is empty.
    """
    if not configs:
        raise ValueError("deviations() needs the configs of at least one run")
    pairs = dict(english_pairs or {})
    tasks = sorted({c.task for c in configs})
    methods = {c.method for c in configs}
    rows: list[Deviation] = []

    encoders = _by_task(configs, lambda c: c.encoder)
    rows.append(
        Deviation(
            "encoder",
            "mBERT, XLM-R",
            encoders,
            True,
            "a small multilingual encoder that fine-tunes on a CPU",
        )
    )
    frozen = _by_task(configs, lambda c: "frozen" if c.train.freeze_word_embeddings else "trained")
    rows.append(
        Deviation(
            "word-embedding table",
            "trained",
            frozen,
            "frozen" in frozen,
            "frozen: 96M of the encoder's parameters, the CPU budget" if "frozen" in frozen else "",
        )
    )
    batch = _by_task(configs, lambda c: str(c.train.batch_size))
    rows.append(
        Deviation(
            "batch size",
            str(PAPER_BATCH),
            batch,
            any(c.train.batch_size != PAPER_BATCH for c in configs),
            "the CPU budget",
        )
    )
    length = _by_task(configs, lambda c: str(c.train.max_length))
    rows.append(
        Deviation(
            "max length (tokens)",
            str(PAPER_LENGTH),
            length,
            any(c.train.max_length != PAPER_LENGTH for c in configs),
            "shorter pairs are cut" if any(c.train.max_length < 128 for c in configs) else "",
        )
    )
    rows.append(
        Deviation(
            "learning rate",
            f"{_lr(PAPER_LR)}, linear decay, no warm-up",
            _by_task(
                configs,
                lambda c: f"{_lr(c.train.lr)}, linear decay, {c.train.warmup_ratio:.0%} warm-up",
            ),
            any(c.train.lr != PAPER_LR or c.train.warmup_ratio > 0 for c in configs),
        )
    )
    paper_data = "; ".join(
        f"{t}: {PAPER_TRAIN[t][0]} ({PAPER_TRAIN[t][1]:,})" for t in tasks if t in PAPER_TRAIN
    )

    def data_text(c: ExperimentConfig) -> str:
        name, n = _english_pairs(c, pairs)
        return f"{name} ({n:,})" if n else name

    uses_nli = any(c.train.uses_nli_corpora for c in configs)
    rows.append(
        Deviation(
            "English training data",
            paper_data,
            _by_task(configs, data_text),
            True,
            "the paper's training sets are not available offline"
            + (
                "; XNLI trains on other English NLI corpora, whose effect the probes "
                "xnli-snli-sick vs xnli-pool measure (data/experiments/probes)"
                if uses_nli
                else ""
            ),
        )
    )
    paper_length = "; ".join(
        f"{t}: {PAPER_TRAIN[t][2]} epoch{'s' if PAPER_TRAIN[t][2] > 1 else ''} "
        f"(about {PAPER_TRAIN[t][2] * PAPER_TRAIN[t][1] // PAPER_BATCH:,} steps of {PAPER_BATCH})"
        for t in tasks
        if t in PAPER_TRAIN
    )
    rows.append(
        Deviation(
            "training length",
            paper_length,
            _by_task(configs, lambda c: _training_length(c, pairs)),
            True,
            "best checkpoint on the English calibration pool, as the paper's on English dev",
        )
    )
    rows.append(
        Deviation(
            "evaluation data",
            "; ".join(f"{t}: test set ({PAPER_TEST[t]:,} a language)" for t in tasks),
            _by_task(configs, lambda c: f"dev-set pool ({c.pools.eval:,} a language)"),
            True,
            "items disjoint from every training pool",
        )
    )
    seeds = sorted({c.seed for c in configs})
    rows.append(
        Deviation(
            "seeds",
            f"one ({PAPER_SEED})",
            f"{len(seeds)} ({', '.join(map(str, seeds))})",
            seeds != [PAPER_SEED],
            "several seeds a condition, for intervals and paired tests" if len(seeds) > 1 else "",
        )
    )
    if any(c.intermediate != "none" for c in configs):
        rows.append(
            Deviation(
                "intermediate stage",
                "none",
                _by_task(
                    configs, lambda c: f"{c.intermediate_stage.steps} steps on a language subset"
                )
                + " (or none)",
                True,
                "this project's question, not the paper's",
            )
        )
    generalized = sorted({c.task for c in configs if c.eval.generalized})
    if generalized:
        rows.append(
            Deviation(
                "generalized setting",
                "every ordered language pair",
                f"{', '.join(generalized)}: one sampled partner language per item and first "
                "language",
                True,
                "the same mixed pairs for every run (fixed by the pool seed)",
            )
        )
    if "rs_da" in methods:
        rows.append(
            Deviation(
                "RS-DA",
                "n = 10 (PAWS-X) / 3 (XNLI) copies a pair; the epochs above over the augmented set",
                _by_task([c for c in configs if c.method == "rs_da"], _rs_da),
                not all(c.methods.rs_da_match_epochs for c in configs if c.method == "rs_da"),
                "same synonym rule and copy counts as the official code",
            )
        )
    if "rs_rp" in methods:
        rows.append(
            Deviation(
                "RS-RP",
                "no official code",
                _by_task(
                    [c for c in configs if c.method == "rs_rp"],
                    lambda c: f"Gaussian noise, std {c.methods.rp_sigma:g} x embedding RMS",
                ),
                True,
                "our choice, not the paper's",
            )
        )
    if "at" in methods:
        rows.append(
            Deviation(
                "AT",
                "no official code",
                _by_task([c for c in configs if c.method == "at"], _at),
                True,
                "our choice, not the paper's",
            )
        )
    return rows


def deviations_from_manifests(manifests: Iterable[Mapping[str, Any]]) -> list[Deviation]:
    """:func:`deviations` of the runs whose manifests are given (unreadable configs skipped).

    Args:
        manifests: run manifests (``config``, and ``english_train`` where the run read one).

    Returns:
        The rows; empty when no manifest holds a readable config.
    """
    configs: list[ExperimentConfig] = []
    pairs: dict[str, int] = {}
    for manifest in manifests:
        try:
            configs.append(ExperimentConfig.model_validate(manifest.get("config")))
        except ValidationError:
            continue
        english = manifest.get("english_train")
        if isinstance(english, Mapping) and isinstance(english.get("pairs"), int):
            pairs[str(english.get("source"))] = int(english["pairs"])
    return deviations(configs, pairs) if configs else []


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def deviation_table(rows: Sequence[Deviation]) -> str:
    """The deviations as one Markdown table, then a line naming the settings that match.

    Args:
        rows: from :func:`deviations`.

    Returns:
        Markdown; a sentence saying so when no setting differs.
    """
    differ = [r for r in rows if r.differs]
    same = [r.setting for r in rows if not r.differs]
    lines: list[str] = []
    if differ:
        lines += [
            "| setting | paper (official scripts) | ours | note |",
            "|---|---|---|---|",
            *(
                f"| {_cell(r.setting)} | {_cell(r.paper)} | {_cell(r.ours)} | {_cell(r.note)} |"
                for r in differ
            ),
        ]
    else:
        lines.append("No setting differs from the paper's.")
    if same:
        lines += ["", "As in the paper: " + ", ".join(same) + "."]
    return "\n".join(lines)
