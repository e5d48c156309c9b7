"""Experiment and grid configuration, read from TOML.

A run config (``data/experiments/*.toml``)::

    name = "pawsx-rs_da-romance-s1"
    task = "pawsx"            # pawsx | xnli
    method = "rs_da"          # plain | rs_da | rs_rp | at
    intermediate = "romance"  # none | english | romance | germanic | germanic_en
    seed = 1

    [train]                   # English task training (paper: lr 2e-5, batch 32, length 128)
    steps = 60
    batch_size = 16

    [intermediate_stage]      # same example budget for every language subset
    steps = 30

    [pools]                   # rows per pool, split once with pools.seed
    train = 800

    [methods]                 # method knobs; unset ones take the defaults below
    rs_da_n = 10
    at_norm = "sequence"      # one L2 ball over the example's tokens (default "token")

Defaults never change the meaning of a published run: a manifest stored before a field existed
is read with that field at its default (:func:`same_config`), so every new knob defaults to the
behaviour the runs before it had, and new configs opt in explicitly.

Every key is checked: an unknown one is reported by its dotted name.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from litcheck.errors import ExperimentError
from litcheck.experiments.data import INTERMEDIATE_SUBSETS, TASKS, PoolSizes, check_languages

METHODS = ("plain", "rs_da", "rs_rp", "at")


class _Strict(BaseModel):
    # strict: `steps = true` or `seed = "7"` in a TOML file is a mistake, not 1 or 7
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class TrainConfig(_Strict):
    """English task training (the paper's stage)."""

    steps: int = Field(default=60, ge=1, description="Optimizer steps of English training.")
    batch_size: int = Field(default=16, ge=1, description="Pairs per step (paper: 32).")
    lr: float = Field(default=2e-5, gt=0, description="Peak learning rate (paper: 2e-5).")
    max_length: int = Field(
        default=64, ge=8, le=512, description="Tokens per pair (paper: 128; at most 512)."
    )
    warmup_ratio: float = Field(default=0.1, ge=0, le=1, description="Linear warm-up share.")
    weight_decay: float = Field(default=0.0, ge=0, description="AdamW weight decay.")
    eval_every: int = Field(
        default=20, ge=1, description="Steps between English dev evaluations (best checkpoint)."
    )
    checkpoint_every: int = Field(default=20, ge=1, description="Steps between checkpoints.")
    freeze_word_embeddings: bool = Field(
        default=True, description="Freeze the 96M-parameter word-embedding table (CPU budget)."
    )
    dropout: float = Field(default=0.1, ge=0, lt=1, description="Dropout of encoder and head.")
    english_train: Literal["pool", "snli_sick", "pool_snli_sick"] = Field(
        default="pool",
        description="English task-training pairs: 'pool' (the task's own English training pool "
        "of its dev set) or, for XNLI only, 'snli_sick' (SNLI dev + SICK TRAIN and TRIAL from "
        "the data folder; the paper's MultiNLI train set is not available offline) or "
        "'pool_snli_sick' (both: the in-domain pool and the other corpora). Pools, "
        "calibration and evaluation are unchanged, so runs of any of them stay paired.",
    )

    @property
    def uses_nli_corpora(self) -> bool:
        """True when English training reads SNLI and SICK from the data folder."""
        return self.english_train in ("snli_sick", "pool_snli_sick")


class IntermediateConfig(_Strict):
    """The optional intermediate stage before English training."""

    steps: int = Field(
        default=30,
        ge=1,
        description="Steps of the stage; examples = steps * batch_size, split evenly over the "
        "subset's languages (same items in each language).",
    )
    task: str | None = Field(
        default=None, description="Task of the stage (default: the run's task)."
    )
    lr: float | None = Field(default=None, gt=0, description="Learning rate (default: train.lr).")


class PoolConfig(_Strict):
    """Rows per pool; pools are disjoint and fixed by ``seed`` for every run."""

    seed: int = Field(default=13, description="Seed of the pool split (not the run seed).")
    intermediate: int = Field(default=500, ge=0)
    train: int = Field(default=800, ge=1)
    calibration: int = Field(default=200, ge=1, description="English dev rows (best checkpoint).")
    eval: int = Field(default=400, ge=1, description="Evaluation rows, every language.")

    def sizes(self) -> PoolSizes:
        """The pool sizes as a :class:`PoolSizes`."""
        return PoolSizes(self.intermediate, self.train, self.calibration, self.eval)


class MethodConfig(_Strict):
    """Knobs of the robust training methods (each used by one method only)."""

    rs_da_n: int | None = Field(
        default=None,
        ge=1,
        description="RS-DA copies per pair; default the official 10 (PAWS-X) / 3 (XNLI).",
    )
    rs_da_match_epochs: bool = Field(
        default=False,
        description="RS-DA: train n times train.steps, the same epochs over the n-times "
        "augmented set as plain makes over the clean one (the official protocol); default "
        "off: every method gets train.steps (compute-matched).",
    )
    rs_da_passes: float | None = Field(
        default=None,
        gt=0,
        description="RS-DA: train this many passes over the n-times augmented set (steps = "
        "ceil(passes * pairs * n / batch_size)) instead of train.steps; unset: off.",
    )
    rp_sigma: float = Field(
        default=0.1,
        gt=0,
        description="RS-RP: std of Gaussian noise on word embeddings, relative to the mean "
        "per-dimension RMS of the embedding table.",
    )
    at_norm: Literal["token", "sequence"] = Field(
        default="token",
        description="AT: 'token' normalises and projects each token's perturbation on its own "
        "(the published cpu-grid); 'sequence' uses one L2 ball over all non-padding token "
        "embeddings of an example (FreeLB-style).",
    )
    at_epsilon: float = Field(
        default=0.1,
        gt=0,
        description="AT: L2 radius, relative to the mean token-embedding norm, of each token's "
        "perturbation (at_norm 'token') or of the whole example's (at_norm 'sequence': 0.1 is "
        "about 0.01 of the mean norm a token over a 100-token pair).",
    )
    at_ramp_steps: int = Field(
        default=0,
        ge=0,
        description="AT: the radius grows linearly over the first N task-training steps (step "
        "s uses (s + 1) / N of it); 0: the full radius from the first step.",
    )
    at_steps: int = Field(default=1, ge=1, description="AT: projected gradient ascent steps.")
    at_clean_weight: float = Field(
        default=0.5, ge=0, le=1, description="AT: weight of the clean loss (rest adversarial)."
    )


class EvalConfig(_Strict):
    """Zero-shot evaluation and the synonym attack."""

    languages: list[str] | None = Field(
        default=None, min_length=1, description="Default: all of the task's."
    )
    batch_size: int = Field(default=64, ge=1)
    attack_samples: int = Field(
        default=8, ge=0, description="Synonym-substitution candidates per English item (0: off)."
    )
    generalized: bool = Field(
        default=False,
        description="Also evaluate the generalized setting (the two sentences of a pair in "
        "different languages): for every evaluation item and first-sentence language, one "
        "partner language drawn with pools.seed, so every run sees the same mixed pairs.",
    )


class ExperimentConfig(_Strict):
    """One run: task, method, intermediate subset, seed and budgets."""

    name: str | None = Field(default=None, description="Run id; default built from the axes.")
    task: str = "pawsx"
    method: str = "plain"
    intermediate: str = "none"
    seed: int = 1
    encoder: str = Field(
        default="multilingual-e5-small",
        description="multilingual-e5-small (offline rebuild), a path, or a hub id.",
    )
    threads: int | None = Field(default=None, ge=1, description="torch CPU threads.")
    train: TrainConfig = TrainConfig()
    intermediate_stage: IntermediateConfig = IntermediateConfig()
    pools: PoolConfig = PoolConfig()
    methods: MethodConfig = MethodConfig()
    eval: EvalConfig = EvalConfig()

    @property
    def run_id(self) -> str:
        """The run's id (its directory name)."""
        return self.name or f"{self.task}-{self.method}-{self.intermediate}-s{self.seed}"

    @property
    def rs_da_n(self) -> int:
        """RS-DA copies per pair, with the official per-task default."""
        if self.methods.rs_da_n is not None:
            return self.methods.rs_da_n
        return 10 if self.task == "pawsx" else 3

    @property
    def intermediate_task(self) -> str:
        """Task of the intermediate stage."""
        return self.intermediate_stage.task or self.task


def same_config(stored: dict[str, Any] | None, cfg: ExperimentConfig) -> bool:
    """True when a stored config (a manifest's ``config``) describes the same run as ``cfg``.

    The stored mapping is validated first, so a manifest written before a config field existed
    compares equal when the current config leaves that field at its default.
    """
    if stored is None:
        return False
    try:
        old = ExperimentConfig.model_validate(stored)
    except ValidationError:
        return False
    return old.model_dump(mode="json") == cfg.model_dump(mode="json")


def _check_values(cfg: ExperimentConfig) -> None:
    if cfg.task not in TASKS:
        raise ExperimentError(f"Unknown task {cfg.task!r}: choose one of {', '.join(TASKS)}.")
    if cfg.method not in METHODS:
        raise ExperimentError(f"Unknown method {cfg.method!r}: choose one of {', '.join(METHODS)}.")
    if cfg.intermediate not in INTERMEDIATE_SUBSETS:
        raise ExperimentError(
            f"Unknown intermediate subset {cfg.intermediate!r}: choose one of "
            f"{', '.join(INTERMEDIATE_SUBSETS)}."
        )
    itask = cfg.intermediate_task
    if itask not in TASKS:
        raise ExperimentError(
            f"Unknown intermediate_stage.task {itask!r}: choose one of {', '.join(TASKS)}."
        )
    check_languages(TASKS[itask], INTERMEDIATE_SUBSETS[cfg.intermediate])
    if cfg.train.uses_nli_corpora and cfg.task != "xnli":
        raise ExperimentError(
            f"train.english_train = {cfg.train.english_train!r} holds NLI pairs: it trains xnli "
            f"only, not {cfg.task} (use 'pool')."
        )
    if cfg.methods.rs_da_passes is not None and cfg.methods.rs_da_match_epochs:
        raise ExperimentError(
            "methods.rs_da_passes and methods.rs_da_match_epochs both set RS-DA's steps: "
            "give one of them."
        )
    if cfg.eval.languages is not None:
        check_languages(TASKS[cfg.task], cfg.eval.languages)
        if cfg.eval.generalized and len(set(cfg.eval.languages)) < 2:
            raise ExperimentError(
                "eval.generalized pairs sentences in two languages: list at least two in "
                "eval.languages (or leave it unset for all of the task's)."
            )


def _format_error(exc: ValidationError, prefix: str = "") -> str:
    err = exc.errors()[0]
    where = prefix + ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        return f"Unknown config key {where!r}."
    return f"Invalid config value {where}: {err['msg']}."


def config_from_dict(raw: dict[str, Any], source: str = "config") -> ExperimentConfig:
    """Validate a config mapping.

    Args:
        raw: the parsed TOML.
        source: where it came from, for messages.

    Returns:
        The checked config.

    Raises:
        ExperimentError: naming an unknown key, a bad value, method, task or language.
    """
    try:
        cfg = ExperimentConfig.model_validate(raw)
    except ValidationError as exc:
        raise ExperimentError(f"{source}: {_format_error(exc)}") from None
    try:
        _check_values(cfg)
    except ExperimentError as exc:
        raise ExperimentError(f"{source}: {exc}") from None
    return cfg


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, raising ExperimentError with the file name on any problem."""
    if not path.is_file():
        raise ExperimentError(f"Config file {path} does not exist.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentError(f"{path} is not valid TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise ExperimentError(f"{path} is not UTF-8 text; expected a TOML config.") from None
    except OSError as exc:
        raise ExperimentError(f"Cannot read {path}: {exc.strerror or exc}.") from None


def load_config(path: Path) -> ExperimentConfig:
    """Read and validate a run config TOML.

    Args:
        path: the TOML file.

    Returns:
        The checked :class:`ExperimentConfig`.
    """
    return config_from_dict(read_toml(path), str(path))


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into a copy of ``base`` (tables merged key by key)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


AXES = ("task", "method", "intermediate", "seed")


class GridConfig(_Strict):
    """A grid: a base config, the axes to cross, and per-task overrides.

    TOML::

        name = "cpu-grid"
        order = ["seed", "task", "intermediate", "method"]   # outermost first
        [base]            # any run-config keys
        [axes]
        task = ["pawsx", "xnli"]
        method = ["plain", "rs_da", "rs_rp", "at"]
        intermediate = ["none", "english", "romance", "germanic"]
        seed = [1, 2, 3]
        [overrides.xnli]  # merged into the base for runs of that task
    """

    name: str = "grid"
    order: list[Literal["task", "method", "intermediate", "seed"]] = [
        "seed",
        "task",
        "intermediate",
        "method",
    ]
    base: dict[str, Any] = {}
    axes: dict[Literal["task", "method", "intermediate", "seed"], list[Any]] = {}
    overrides: dict[str, dict[str, Any]] = {}


def load_grid(path: Path) -> tuple[GridConfig, list[ExperimentConfig]]:
    """Read a grid TOML and expand it into run configs (validated, in execution order).

    Args:
        path: the grid TOML file.

    Returns:
        The grid and its runs.

    Raises:
        ExperimentError: for an unknown key (named) or an invalid expanded run.
    """
    raw = read_toml(path)
    try:
        grid = GridConfig.model_validate(raw)
    except ValidationError as exc:
        raise ExperimentError(f"{path}: {_format_error(exc)}") from None
    if sorted(set(grid.order)) != sorted(AXES):
        raise ExperimentError(f"{path}: order must list each of {', '.join(AXES)} once.")
    defaults = ExperimentConfig().model_dump()
    given: dict[str, list[Any]] = {str(k): v for k, v in grid.axes.items()}
    axes = {a: given.get(a, [grid.base.get(a, defaults[a])]) for a in AXES}
    combos: list[dict[str, Any]] = [{}]
    for axis in grid.order:
        combos = [{**c, axis: v} for c in combos for v in axes[axis]]
    for name, values in axes.items():
        if not values:
            raise ExperimentError(f"{path}: axes.{name} is empty: give at least one value.")
        if len({json.dumps(v, sort_keys=True) for v in values}) != len(values):
            raise ExperimentError(f"{path}: axes.{name} repeats a value ({values}).")
    unknown = sorted(set(map(str, grid.overrides)) - set(map(str, axes["task"])))
    if unknown:
        raise ExperimentError(
            f"{path}: overrides for {', '.join(unknown)}, which is not a task of the grid "
            f"({', '.join(map(str, axes['task']))})."
        )
    runs = []
    for combo in combos:
        merged = deep_merge(grid.base, grid.overrides.get(str(combo["task"]), {}))
        merged = deep_merge(merged, combo)
        merged.pop("name", None)
        runs.append(config_from_dict(merged, str(path)))
    return grid, runs
