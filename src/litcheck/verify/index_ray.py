"""Embed a large library's passages on Ray: shards encoded in parallel by worker actors.

Each worker is a Ray actor that loads the embedding model once and encodes the shards it is
given, :data:`~litcheck.verify.index.ENCODE_CHUNK` passages per call exactly as the local path
does (shards are whole multiples of that chunk, so every forward pass sees the same batch of
texts as it would locally). The driver stores each shard's vectors in the library as it
arrives, so a stopped job keeps them, and :meth:`PassageIndex.open
<litcheck.verify.index.PassageIndex.open>` trains the FAISS index once from all of them.

Example:
    >>> encoder = RayPassageEncoder(workers=2)  # doctest: +SKIP
    >>> PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), cache_dir, encoder=encoder)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.errors import LitcheckError, VerificationError
from litcheck.models import Passage
from litcheck.verify.embed import Embedder
from litcheck.verify.index import ENCODE_CHUNK

#: Chunks per shard at most: big enough that a call's overhead vanishes, small enough that a
#: lost worker costs little and the progress bar moves.
MAX_CHUNKS_PER_SHARD = 8


class ShardWorker:
    """The Ray actor behind :class:`RayPassageEncoder`: one model, many shards.

    Args:
        embedder: the embedder to run (a fresh copy: its model loads in the worker).
    """

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """Encode one shard, chunk by chunk as the local path does.

        Args:
            texts: the shard's passage texts.

        Returns:
            (len(texts), dim) float32, rows L2-normalised.
        """
        parts = [
            self.embedder.encode(texts[start : start + ENCODE_CHUNK])
            for start in range(0, len(texts), ENCODE_CHUNK)
        ]
        return np.concatenate(parts) if parts else self.embedder.encode([])


def shard_size(n: int, workers: int) -> int:
    """Passages per shard: about two shards per worker, whole chunks, at most 8 chunks.

    Args:
        n: passages to encode.
        workers: parallel workers.

    Returns:
        A multiple of :data:`ENCODE_CHUNK`.
    """
    chunks = math.ceil(n / ENCODE_CHUNK)
    per_shard = math.ceil(chunks / max(1, 2 * workers))
    return ENCODE_CHUNK * max(1, min(MAX_CHUNKS_PER_SHARD, per_shard))


def _fresh(embedder: Embedder) -> Embedder:
    """A copy to send to the workers: the name, device and batch size, no loaded model."""
    if type(embedder) is Embedder:
        return Embedder(embedder.name, device=embedder.device, batch_size=embedder.batch_size)
    return embedder  # another implementation (e.g. an API client) is sent as it is


class RayPassageEncoder:
    """A :data:`~litcheck.verify.index.PassageEncoder` that shards the work over Ray actors.

    Args:
        workers: actors to start (default: one per CPU of the cluster, one per GPU on GPUs).
        address: an existing Ray cluster; None starts a local instance.
        cpus_per_worker: CPUs (torch threads) each actor asks for.
        max_retries: restarts of an actor whose process died; its shard is encoded again.
    """

    def __init__(
        self,
        workers: int | None = None,
        address: str | None = None,
        cpus_per_worker: int = 1,
        max_retries: int = 3,
    ) -> None:
        self.workers = workers
        self.address = address
        self.cpus_per_worker = cpus_per_worker
        self.max_retries = max_retries

    def __call__(
        self, embedder: Embedder, passages: Sequence[Passage]
    ) -> Iterator[tuple[Sequence[Passage], NDArray[np.float32]]]:
        """Encode ``passages``, yielding each shard with its vectors as it finishes.

        Args:
            embedder: the embedding model (re-created in each worker).
            passages: the passages to encode.

        Yields:
            (shard of passages, its vectors), in the order the shards finish.

        Raises:
            VerificationError: Ray could not start, or a worker died more than
                ``max_retries`` times.
        """
        from litcheck.scaleout import ray_session

        with ray_session(self.address, error=VerificationError) as ray:
            yield from self._run(ray, embedder, passages)

    def _run(
        self, ray: Any, embedder: Embedder, passages: Sequence[Passage]
    ) -> Iterator[tuple[Sequence[Passage], NDArray[np.float32]]]:
        gpu = embedder.device == "cuda"
        resources = ray.cluster_resources()
        if gpu:
            capacity = int(resources.get("GPU", 0))
            if not capacity:
                raise VerificationError(
                    "The embedder runs on cuda but the Ray cluster has no GPU; use --device cpu."
                )
        else:
            capacity = int(resources.get("CPU", 1)) // self.cpus_per_worker
        workers = max(1, self.workers or capacity)
        size = shard_size(len(passages), workers)
        shards = [passages[s : s + size] for s in range(0, len(passages), size)]
        actor = ray.remote(ShardWorker).options(
            num_cpus=self.cpus_per_worker,
            num_gpus=1 if gpu else 0,
            max_restarts=self.max_retries,
            max_task_retries=self.max_retries,
        )
        pool = [actor.remote(_fresh(embedder)) for _ in range(min(workers, len(shards)))]
        todo = list(range(len(shards)))[::-1]
        pending: dict[Any, tuple[int, Any]] = {}

        def submit(worker: Any) -> None:
            i = todo.pop()
            pending[worker.encode.remote([p.text for p in shards[i]])] = (i, worker)

        for worker in pool:
            submit(worker)
        try:
            while pending:
                (ref,), _ = ray.wait(list(pending), num_returns=1)
                i, worker = pending.pop(ref)
                try:
                    vecs = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    raise _failure(ray, exc, self.max_retries + 1) from exc
                if todo:
                    submit(worker)
                yield shards[i], np.asarray(vecs, dtype=np.float32)
        finally:
            for worker in pool:
                ray.kill(worker)


def _failure(ray: Any, exc: Exception, tries: int) -> LitcheckError:
    """The one-line error for a shard that could not be encoded."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayTaskError) and isinstance(cause, LitcheckError):
        return cause
    if isinstance(exc, ray.exceptions.RayTaskError):
        return VerificationError(f"Embedding a shard failed on its Ray worker: {cause!r}.")
    return VerificationError(
        f"An embedding worker was lost {tries} times ({type(exc).__name__}); run the command "
        "again: the shards already encoded are kept in the library."
    )
