"""PAWS-X and XNLI dev sets, split by item into disjoint pools.

The dev sets in ``<data_dir>/pawsx/dev-<lang>.tsv`` and ``<data_dir>/xnli/dev-<lang>.tsv`` are
parallel by row (row ``i`` is the same item in every language) and have no header:
``text_a \\t text_b \\t label``. XNLI lists three hypotheses per premise, so rows are grouped by
their English first text and whole groups go into one pool: no translation of a training
sentence is ever evaluated.

For XNLI, English task training can instead use the English NLI pairs of the data folder
(:func:`load_english_nli`: SNLI dev and SICK TRAIN + TRIAL; their test splits are never read),
since the paper's MultiNLI train set is not available offline. The XNLI pools are split as
before, so evaluation stays on the same items in every language.

Example:
    >>> task = load_task(Path("../shared/data"), "pawsx")  # doctest: +SKIP
    >>> pools = make_pools(task, PoolSizes(intermediate=400, train=800, calibration=200,
    ...                                     eval=500), seed=13)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from litcheck.errors import ExperimentError

ROMANCE = ("es", "fr", "it", "pt", "ro", "ca")
GERMANIC = ("de", "nl", "sv", "da", "no", "is")
SOURCE_LANGUAGE = "en"

#: language subsets for the intermediate stage
INTERMEDIATE_SUBSETS: dict[str, tuple[str, ...]] = {
    "none": (),
    "english": ("en",),
    "romance": ("es", "fr"),
    "germanic": ("de",),
    "germanic_en": ("de", "en"),
}


@dataclass(frozen=True)
class TaskSpec:
    """What litcheck knows about one classification task."""

    name: str
    folder: str
    languages: tuple[str, ...]
    labels: tuple[str, ...]
    download: str


TASKS: dict[str, TaskSpec] = {
    "pawsx": TaskSpec(
        name="pawsx",
        folder="pawsx",
        languages=("de", "en", "es", "fr", "ja", "ko", "zh"),
        labels=("0", "1"),
        download=(
            "https://storage.googleapis.com/paws/pawsx/x-final.tar.gz (PAWS-X; convert dev_2k.tsv "
            "of each language to 'sentence1<TAB>sentence2<TAB>label' as XTREME's "
            "utils_preprocess.py does)"
        ),
    ),
    "xnli": TaskSpec(
        name="xnli",
        folder="xnli",
        languages=(
            "ar",
            "bg",
            "de",
            "el",
            "en",
            "es",
            "fr",
            "hi",
            "ru",
            "sw",
            "th",
            "tr",
            "ur",
            "vi",
            "zh",
        ),
        labels=("contradiction", "entailment", "neutral"),
        download=(
            "https://dl.fbaipublicfiles.com/XNLI/XNLI-1.0.zip (split xnli.dev.tsv by language into "
            "'premise<TAB>hypothesis<TAB>label' as XTREME's utils_preprocess.py does)"
        ),
    ),
}


def language_group(lang: str) -> str:
    """Return ``source`` (English), ``romance``, ``germanic`` or ``other`` for a language."""
    if lang == SOURCE_LANGUAGE:
        return "source"
    if lang in ROMANCE:
        return "romance"
    if lang in GERMANIC:
        return "germanic"
    return "other"


def get_task(name: str) -> TaskSpec:
    """Return the spec of a task, or raise ExperimentError naming the known ones."""
    try:
        return TASKS[name]
    except KeyError:
        raise ExperimentError(
            f"Unknown task {name!r}: choose one of {', '.join(sorted(TASKS))}."
        ) from None


@dataclass(frozen=True)
class Example:
    """One labelled sentence pair."""

    text_a: str
    text_b: str
    label: int


@dataclass
class TaskData:
    """A task's dev sets in every language, parallel by row."""

    spec: TaskSpec
    rows: dict[str, list[Example]]
    files: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        """Number of items (rows per language)."""
        return len(self.rows[SOURCE_LANGUAGE])


def check_languages(spec: TaskSpec, languages: list[str] | tuple[str, ...]) -> None:
    """Raise ExperimentError when a language is not one of the task's."""
    for lang in languages:
        if lang not in spec.languages:
            raise ExperimentError(
                f"Unknown language {lang!r} for {spec.name}: choose from "
                f"{', '.join(spec.languages)}."
            )


def _read_tsv(path: Path, spec: TaskSpec) -> list[Example]:
    label_index = {label: i for i, label in enumerate(spec.labels)}
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for lineno, row in enumerate(reader, 1):
            if len(row) != 3:
                raise ExperimentError(
                    f"{path}:{lineno} has {len(row)} columns; expected text_a, text_b, label."
                )
            label = row[2].strip()
            if label not in label_index:
                raise ExperimentError(
                    f"{path}:{lineno} has label {label!r}; expected one of {list(spec.labels)}."
                )
            out.append(Example(row[0], row[1], label_index[label]))
    return out


def load_task(data_dir: Path, task: str, languages: list[str] | None = None) -> TaskData:
    """Read a task's dev sets.

    Args:
        data_dir: the shared data directory (setting ``LITCHECK_DATA_DIR``).
        task: ``pawsx`` or ``xnli``.
        languages: languages to read (English is always read); default all of the task's.

    Returns:
        The rows of every language, checked to be parallel.

    Raises:
        ExperimentError: for an unknown task or language, or missing / ragged files.
    """
    spec = get_task(task)
    langs = list(spec.languages if languages is None else languages)
    check_languages(spec, langs)
    if SOURCE_LANGUAGE not in langs:
        langs.append(SOURCE_LANGUAGE)
    folder = data_dir / spec.folder
    missing = [f"dev-{lang}.tsv" for lang in langs if not (folder / f"dev-{lang}.tsv").is_file()]
    if missing:
        raise ExperimentError(
            f"{folder} lacks {', '.join(missing)}; set LITCHECK_DATA_DIR to the shared data "
            f"directory, or fetch and convert the official files with `litcheck experiment "
            f"download-data --task {spec.name}` (source: {spec.download})."
        )
    rows = {lang: _read_tsv(folder / f"dev-{lang}.tsv", spec) for lang in langs}
    sizes = {lang: len(r) for lang, r in rows.items()}
    if len(set(sizes.values())) != 1:
        raise ExperimentError(f"{folder}: dev files are not parallel (row counts {sizes}).")
    files = {lang: _file_sha256(folder / f"dev-{lang}.tsv") for lang in langs}
    return TaskData(spec=spec, rows=rows, files=files)


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class PoolSizes:
    """How many items (rows) each pool holds; the rest of the rows are left unused."""

    intermediate: int
    train: int
    calibration: int
    eval: int

    def total(self) -> int:
        """Rows needed by all pools together."""
        return self.intermediate + self.train + self.calibration + self.eval


POOL_NAMES = ("intermediate", "train", "calibration", "eval")


@dataclass(frozen=True)
class Pools:
    """Disjoint lists of row indices."""

    intermediate: list[int]
    train: list[int]
    calibration: list[int]
    eval: list[int]

    def get(self, name: str) -> list[int]:
        """Return the pool called ``name``."""
        pool: list[int] = getattr(self, name)
        return pool

    def hashes(self) -> dict[str, str]:
        """sha256 (first 16 hex) of each pool's sorted indices, for the manifest."""
        return {name: pool_hash(self.get(name)) for name in POOL_NAMES}


def pool_hash(indices: list[int]) -> str:
    """Hash of a set of row indices (order-independent)."""
    text = ",".join(str(i) for i in sorted(indices))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_pools(task: TaskData, sizes: PoolSizes, seed: int) -> Pools:
    """Split a task's rows into disjoint pools, keeping rows that share an English text together.

    Args:
        task: the loaded task.
        sizes: rows wanted in each pool.
        seed: shuffling seed (fixed across runs, so every run sees the same pools).

    Returns:
        The pools; each holds at most its size (a group never straddles two pools).

    Raises:
        ExperimentError: when the task has fewer rows than the pools need.
    """
    n = task.n_rows
    if sizes.total() > n:
        raise ExperimentError(
            f"The pools need {sizes.total()} rows but {task.spec.name} has {n}: shrink [pools]."
        )
    groups: dict[str, list[int]] = {}
    for i, ex in enumerate(task.rows[SOURCE_LANGUAGE]):
        groups.setdefault(ex.text_a, []).append(i)
    ordered = list(groups.values())
    random.Random(seed).shuffle(ordered)
    result: dict[str, list[int]] = {name: [] for name in POOL_NAMES}
    wanted = {name: getattr(sizes, name) for name in POOL_NAMES}
    it = iter(ordered)
    for name in POOL_NAMES:
        pool = result[name]
        while len(pool) < wanted[name]:
            group = next(it, None)
            if group is None:
                break
            take = group[: wanted[name] - len(pool)]
            pool.extend(take)  # the leftover rows of a cut group are dropped, never reused
    return Pools(**result)


def generalized_partners(items: list[int], languages: list[str], seed: int) -> dict[str, list[str]]:
    """Partner languages for the generalized setting (the two sentences in different languages).

    For every first-sentence language and evaluation item, one other language is drawn for the
    second sentence. The draw depends only on ``seed``, the items and the set of languages, so
    every run that shares the pools is scored on the same mixed pairs (paired tests stay valid).

    Args:
        items: evaluation item indices (rows, parallel across languages).
        languages: the evaluated languages (at least two).
        seed: the pool seed.

    Returns:
        ``{first_language: [second_language of each item]}``.

    Raises:
        ExperimentError: with fewer than two languages.
    """
    langs = sorted(set(languages))
    if len(langs) < 2:
        raise ExperimentError("The generalized setting needs at least two evaluation languages.")
    # a stream of its own, so that adding this draw changes nothing in the pool split
    rng = np.random.default_rng([seed, 2021])
    out: dict[str, list[str]] = {}
    for lang in langs:
        others = [x for x in langs if x != lang]
        picks = rng.integers(0, len(others), size=len(items))
        out[lang] = [others[int(j)] for j in picks]
    return out


def mixed_pairs(task: TaskData, items: list[int], first: str, partners: list[str]) -> list[Example]:
    """Pairs whose first sentence is in ``first`` and second in each item's partner language."""
    return [
        Example(task.rows[first][i].text_a, task.rows[lang][i].text_b, task.rows[first][i].label)
        for i, lang in zip(items, partners, strict=True)
    ]


SNLI_FILE = "nli/snli-esnli-devtest/snli_devtest_esnli.jsonl"
SICK_FILE = "nli/sick/SICK.txt"
NLI_DOWNLOAD = {
    SNLI_FILE: "SNLI 1.0 dev as distributed in e-SNLI (https://github.com/OanaMariaCamburu/e-SNLI, "
    "one JSON object a line: split, premise, hypothesis, label)",
    SICK_FILE: "SICK.txt (https://zenodo.org/records/2787612, or kkalouli/SICK-processing; "
    "tab-separated with a header)",
}
#: SICK's SemEval sets that train; its TEST set is never read
SICK_TRAIN_SETS = ("TRAIN", "TRIAL")


@dataclass(frozen=True)
class EnglishTrainData:
    """English task-training pairs read from outside the task's dev sets."""

    source: str
    examples: list[Example]
    files: dict[str, str]  # relative path -> sha256
    counts: dict[str, int]  # pairs per corpus


def _nli_label(raw: str, spec: TaskSpec, where: str) -> int:
    label = raw.strip().lower()
    if label not in spec.labels:
        raise ExperimentError(f"{where} has label {raw!r}; expected one of {list(spec.labels)}.")
    return spec.labels.index(label)


def _read_snli_dev(path: Path, spec: TaskSpec) -> list[Example]:
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                split, premise, hypothesis = rec["split"], rec["premise"], rec["hypothesis"]
                raw_label = str(rec["label"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise ExperimentError(
                    f"{path}:{lineno} is not a JSON object with split, premise, hypothesis and "
                    "label."
                ) from None
            # the file holds SNLI dev and test: only dev trains, test is never read
            if split != "snli_dev" or raw_label.strip() == "-":
                continue
            label = _nli_label(raw_label, spec, f"{path}:{lineno}")
            out.append(Example(str(premise), str(hypothesis), label))
    return out


def _read_sick_train(path: Path, spec: TaskSpec) -> list[Example]:
    out: list[Example] = []
    needed = ("sentence_A", "sentence_B", "entailment_label", "SemEval_set")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise ExperimentError(
                f"{path} lacks the column(s) {', '.join(missing)}; expected SICK.txt with its "
                "header."
            )
        for lineno, row in enumerate(reader, 2):
            if (row["SemEval_set"] or "").strip() not in SICK_TRAIN_SETS:
                continue
            label = _nli_label(row["entailment_label"] or "", spec, f"{path}:{lineno}")
            # labels are for A -> B: A is the premise
            out.append(Example(row["sentence_A"], row["sentence_B"], label))
    return out


def load_english_nli(data_dir: Path, task: str = "xnli") -> EnglishTrainData:
    """Read SNLI dev and SICK TRAIN + TRIAL as English training pairs for an NLI task.

    Args:
        data_dir: the shared data directory (setting ``LITCHECK_DATA_DIR``).
        task: the NLI task whose label order the pairs take (``xnli``).

    Returns:
        The pairs (premise, hypothesis, label index in the task's labels), SNLI's first, with
        each file's sha256 and the pairs per corpus.

    Raises:
        ExperimentError: when a file is missing (naming where to get it) or malformed.

    Example:
        >>> nli = load_english_nli(Path("../shared/data"))  # doctest: +SKIP
        >>> nli.counts  # doctest: +SKIP
        {'snli_dev': 9842, 'sick_train_trial': 4934}
    """
    spec = get_task(task)
    missing = [rel for rel in (SNLI_FILE, SICK_FILE) if not (data_dir / rel).is_file()]
    if missing:
        raise ExperimentError(
            f"{data_dir} lacks {', '.join(missing)} (train.english_train = 'snli_sick'); set "
            "LITCHECK_DATA_DIR to the shared data directory or get "
            + "; ".join(NLI_DOWNLOAD[rel] for rel in missing)
            + "."
        )
    snli = _read_snli_dev(data_dir / SNLI_FILE, spec)
    sick = _read_sick_train(data_dir / SICK_FILE, spec)
    if not snli or not sick:
        empty = SNLI_FILE if not snli else SICK_FILE
        raise ExperimentError(f"{data_dir / empty} holds no training pairs (dev / TRAIN, TRIAL).")
    return EnglishTrainData(
        source="snli_sick",
        examples=snli + sick,
        files={rel: _file_sha256(data_dir / rel) for rel in (SNLI_FILE, SICK_FILE)},
        counts={"snli_dev": len(snli), "sick_train_trial": len(sick)},
    )
