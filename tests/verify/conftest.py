"""Fixtures for the verifier tests: a fast fake embedder, a small library, tiny data files."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.conftest import sample_papers

from litcheck.library import Library
from litcheck.library.importer import read_papers_file
from litcheck.verify.embed import Embedder


class HashEmbedder(Embedder):
    """Bag-of-words hashing embedder: deterministic, instant, no model files."""

    def __init__(self, dim: int = 64, name: str = "hash-test") -> None:
        super().__init__(name, device="cpu")
        self._dim = dim
        self.calls = 0

    @property
    def dim(self) -> int:
        return self._dim

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> NDArray[np.float32]:
        self.calls += len(texts)
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                h = int(hashlib.md5(word.strip(".,").encode()).hexdigest()[:8], 16)
                out[i, h % self._dim] += 1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


def library_of(tmp_path: Path, papers: Sequence[dict[str, object]]) -> Library:
    """A library at ``tmp_path`` holding ``papers`` (records in the import JSONL format)."""
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    lib = Library.open(tmp_path / "lib.sqlite")
    for paper in read_papers_file(path):
        lib.add_paper(paper)
    return lib


@pytest.fixture
def library(tmp_path: Path, papers_jsonl: Path) -> Library:
    lib = Library.open(tmp_path / "lib.sqlite")
    for paper in read_papers_file(papers_jsonl):
        lib.add_paper(paper)
    return lib


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A miniature ../shared/data with SciFact and one NLI set, in the official formats."""
    root = tmp_path / "data"
    sf = root / "claims" / "scifact"
    sf.mkdir(parents=True)
    corpus = [
        {
            "doc_id": 1,
            "title": "Vitamin D",
            "abstract": [
                "Vitamin D supplementation lowers fracture risk by 20% in older adults.",
                "The trial enrolled 3000 participants.",
                "Adverse events were rare.",
            ],
        },
        {
            "doc_id": 2,
            "title": "Aspirin",
            "abstract": [
                "Aspirin does not reduce cancer incidence.",
                "Follow-up lasted ten years.",
            ],
        },
    ]
    (sf / "corpus.jsonl").write_text("".join(json.dumps(c) + "\n" for c in corpus))
    claims = []
    for i in range(40):
        if i % 3 == 0:
            claims.append(
                {
                    "id": i,
                    "claim": "Vitamin D lowers fracture risk by 20%.",
                    "evidence": {"1": [{"sentences": [0], "label": "SUPPORT"}]},
                    "cited_doc_ids": [1],
                }
            )
        elif i % 3 == 1:
            claims.append(
                {
                    "id": i,
                    "claim": "Aspirin reduces cancer incidence.",
                    "evidence": {"2": [{"sentences": [0], "label": "CONTRADICT"}]},
                    "cited_doc_ids": [2],
                }
            )
        else:
            claims.append(
                {
                    "id": i,
                    "claim": "Vitamin D cures influenza.",
                    "evidence": {},
                    "cited_doc_ids": [1],
                }
            )
    (sf / "claims_train.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    (sf / "claims_dev.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims[:6]))
    sick = root / "nli" / "sick"
    sick.mkdir(parents=True)
    (sick / "SICK.txt").write_text(
        "pair_ID\tsentence_A\tsentence_B\tentailment_label\n"
        + "".join(
            f"{3 * i + 1}\tA man is running\tA person runs\tENTAILMENT\n"
            f"{3 * i + 2}\tA man is running\tNobody runs\tCONTRADICTION\n"
            f"{3 * i + 3}\tA man is running\tThe man is tall\tNEUTRAL\n"
            for i in range(20)
        )
    )
    return root


def build_tiny_cross_encoder(tmp_path: Path) -> Path:
    """A randomly initialised one-layer cross-encoder with calibration and card, as saved by
    train-verifier under ``<tmp_path>/verifier``; returns its model directory."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from litcheck.verify.resolve import resolve_model

    path = tmp_path / "verifier" / "model"
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=3,
        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
        label2id={"contradiction": 0, "entailment": 1, "neutral": 2},
    )
    BertForSequenceClassification(config).save_pretrained(path)
    AutoTokenizer.from_pretrained(resolve_model("all-MiniLM-L6-v2")).save_pretrained(path)
    (path.parent / "calibration.json").write_text(json.dumps({"temperature": 2.0, "nei_bias": 0.5}))
    (path.parent / "card.json").write_text(json.dumps({"steps": 7}))
    return path


__all__ = ["HashEmbedder", "build_tiny_cross_encoder", "sample_papers"]
