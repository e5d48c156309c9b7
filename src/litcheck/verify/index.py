"""The passage index: cached embeddings in the library, a FAISS index beside it.

Embeddings live in the library's ``embeddings`` table keyed by (passage id, model name), so a
second run encodes only new passages. The FAISS index is saved under
``<cache_dir>/index/<model>/`` with a fingerprint of the model and the passage set; when either
changes the index is rebuilt from the cached vectors (no re-encoding). Small libraries get an
exact inner-product index; past :data:`ANN_THRESHOLD` vectors an HNSW graph, whose recall and
speed the benchmark reports against exact search.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck.console import atomic_write_text, progress
from litcheck.library import Library
from litcheck.models import Passage
from litcheck.verify.embed import Embedder

#: Below this many vectors exact search is fast enough (about 1 ms per 10k vectors).
ANN_THRESHOLD = 50_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
#: IVF probes per query; with ~4*sqrt(n) lists this keeps recall@10 >= 0.95 on clustered
#: embeddings (see benchmarks/bench_verify.py).
IVF_NPROBE = 24
ENCODE_CHUNK = 256


def build_faiss_index(
    vectors: NDArray[np.float32], exact: bool | None = None, kind: str = "ivf"
) -> Any:
    """A FAISS inner-product index over ``vectors``.

    Args:
        vectors: (n, d) float32, L2-normalised.
        exact: force exact (True) or approximate (False); default by :data:`ANN_THRESHOLD`.
        kind: the approximate index: ``ivf`` (IVF-Flat, default: builds in a minute for 1M
            vectors on 2 cores) or ``hnsw`` (better recall/latency, much slower to build).

    Returns:
        ``IndexFlatIP``, ``IndexIVFFlat`` or ``IndexHNSWFlat`` with the vectors added.
    """
    import faiss

    n, d = vectors.shape
    use_exact = n < ANN_THRESHOLD if exact is None else exact
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index: Any
    if use_exact:
        index = faiss.IndexFlatIP(d)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(d, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        nlist = max(1, min(int(4 * np.sqrt(n)), n // 39))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
        # k-means on a sample: 64 points per list is plenty and keeps training to seconds.
        rng = np.random.default_rng(0)
        sample = vectors[rng.choice(n, size=min(n, nlist * 64), replace=False)]
        index.train(sample)
        index.nprobe = min(IVF_NPROBE, nlist)
    if n:
        index.add(vectors)
    return index


#: Encodes passages with an embedder, yielding (passages, their vectors) piece by piece as each
#: piece is done (in any order: the index places vectors by passage id).
PassageEncoder = Callable[
    [Embedder, Sequence[Passage]], Iterator[tuple[Sequence[Passage], NDArray[np.float32]]]
]


def encode_in_chunks(
    embedder: Embedder, passages: Sequence[Passage]
) -> Iterator[tuple[Sequence[Passage], NDArray[np.float32]]]:
    """Encode passages in this process, :data:`ENCODE_CHUNK` at a time (the local path).

    Args:
        embedder: the embedding model.
        passages: the passages to encode.

    Yields:
        Each chunk of passages with its (len(chunk), dim) vectors.
    """
    for start in range(0, len(passages), ENCODE_CHUNK):
        chunk = passages[start : start + ENCODE_CHUNK]
        yield chunk, embedder.encode([p.text for p in chunk])


def _slug(name: str) -> str:
    return (
        re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80]
        + "-"
        + hashlib.sha1(name.encode()).hexdigest()[:8]
    )


class PassageIndex:
    """Dense search over the library's passages.

    Example:
        >>> index = PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), settings.cache_dir)
        >>> index.search(index.embedder.encode(["robust training PAWS-X"]), k=5)

    Args:
        ids: passage ids, row order of ``vectors``.
        vectors: (n, d) float32 matrix.
        faiss_index: the FAISS index over ``vectors`` (rows = ids).
        embedder: the model that made the vectors.
    """

    def __init__(
        self, ids: list[str], vectors: NDArray[np.float32], faiss_index: Any, embedder: Embedder
    ) -> None:
        self.ids = ids
        self.vectors = vectors
        self.faiss_index = faiss_index
        self.embedder = embedder
        self.row = {pid: i for i, pid in enumerate(ids)}
        self._gpu: Any = None

    @classmethod
    def open(
        cls,
        lib: Library,
        embedder: Embedder,
        cache_dir: Path,
        show_progress: bool = True,
        encoder: PassageEncoder | None = None,
    ) -> PassageIndex:
        """Load the saved index, or bring embeddings and index up to date and save them.

        Args:
            lib: the library.
            embedder: the embedding model (its name keys the cache).
            cache_dir: where ``index/<model>/`` is kept.
            show_progress: progress bar while encoding new passages.
            encoder: how the passages without a cached embedding are encoded; default
                :func:`encode_in_chunks` in this process (:class:`~litcheck.verify.index_ray.
                RayPassageEncoder` shards them over Ray workers). The index is trained once,
                here, from every vector.

        Returns:
            The index, covering every passage in the library.
        """
        passages = lib.passages()
        ids = [p.id for p in passages]
        fingerprint = hashlib.sha1(
            (embedder.name + "\x1f" + "\x1f".join(sorted(ids))).encode()
        ).hexdigest()
        folder = cache_dir / "index" / _slug(embedder.name)
        meta_path = folder / "meta.json"
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text())
                if meta.get("fingerprint") == fingerprint:
                    return cls._load(folder, embedder)
            except (OSError, ValueError, RuntimeError):
                pass  # A damaged index is rebuilt from the cached embeddings below.
        cached = lib.get_embeddings(embedder.name, ids)
        missing = [p for p in passages if p.id not in cached]
        if missing:
            pieces = (encoder or encode_in_chunks)(embedder, missing)
            with progress(transient=True) as bar:
                task = bar.add_task("Embedding passages", total=len(missing), visible=show_progress)
                for chunk, vecs in pieces:
                    # Stored piece by piece: an interrupted run keeps what it encoded.
                    lib.put_embeddings(
                        embedder.name, [(p.id, v) for p, v in zip(chunk, vecs, strict=True)]
                    )
                    cached.update({p.id: v for p, v in zip(chunk, vecs, strict=True)})
                    bar.advance(task, len(chunk))
        dim = next(iter(cached.values())).shape[0] if cached else embedder.dim
        vectors = np.zeros((len(ids), dim), dtype=np.float32)
        for i, pid in enumerate(ids):
            vectors[i] = cached[pid]
        index = cls(ids, vectors, build_faiss_index(vectors), embedder)
        index._save(folder, fingerprint)
        return index

    def _save(self, folder: Path, fingerprint: str) -> None:
        import faiss

        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "index.faiss.tmp"
        faiss.write_index(self.faiss_index, str(tmp))
        tmp.replace(folder / "index.faiss")
        with (folder / "vectors.npy.tmp").open("wb") as fh:
            np.save(fh, self.vectors)
        (folder / "vectors.npy.tmp").replace(folder / "vectors.npy")
        # meta.json last: its fingerprint vouches for the two files written before it.
        atomic_write_text(
            folder / "meta.json",
            json.dumps(
                {
                    "fingerprint": fingerprint,
                    "model": self.embedder.name,
                    "ids": self.ids,
                    "kind": type(self.faiss_index).__name__,
                }
            ),
        )

    @classmethod
    def _load(cls, folder: Path, embedder: Embedder) -> PassageIndex:
        import faiss

        meta = json.loads((folder / "meta.json").read_text())
        vectors = np.load(folder / "vectors.npy")
        return cls(
            list(meta["ids"]), vectors, faiss.read_index(str(folder / "index.faiss")), embedder
        )

    def __len__(self) -> int:
        return len(self.ids)

    def search(
        self, queries: NDArray[np.float32], k: int, restrict: Sequence[str] | None = None
    ) -> list[list[tuple[str, float]]]:
        """Top-k passages per query by cosine similarity.

        Args:
            queries: (q, d) normalised query vectors.
            k: results per query.
            restrict: only these passage ids (a claim's cited papers); searched exactly.

        Returns:
            Per query, (passage id, score) best first.
        """
        if len(self.ids) == 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        if restrict is not None:
            rows = np.array([self.row[p] for p in restrict if p in self.row], dtype=np.int64)
            if len(rows) == 0:
                return [[] for _ in range(len(queries))]
            sims = queries @ self.vectors[rows].T
            out = []
            for q in range(len(queries)):
                top = np.argsort(-sims[q])[:k]
                out.append([(self.ids[int(rows[t])], float(sims[q, t])) for t in top])
            return out
        k = min(k, len(self.ids))
        if self.embedder.device == "cuda":
            scores, idx = self._search_gpu(queries, k)
        else:
            scores, idx = self.faiss_index.search(np.ascontiguousarray(queries, np.float32), k)
        return [
            [(self.ids[int(i)], float(s)) for s, i in zip(scores[q], idx[q], strict=True) if i >= 0]
            for q in range(len(queries))
        ]

    def _search_gpu(self, queries: NDArray[np.float32], k: int) -> tuple[Any, Any]:
        """Exact search on the GPU: faiss-gpu when installed, else a torch matmul + top-k."""
        import faiss

        if hasattr(faiss, "StandardGpuResources"):
            if self._gpu is None:
                res = faiss.StandardGpuResources()
                flat = faiss.IndexFlatIP(self.vectors.shape[1])
                flat.add(self.vectors)
                self._gpu = ("faiss", faiss.index_cpu_to_gpu(res, 0, flat), res)
            return self._gpu[1].search(np.ascontiguousarray(queries, np.float32), k)  # type: ignore[no-any-return]
        import torch

        if self._gpu is None:
            self._gpu = ("torch", torch.from_numpy(self.vectors).to("cuda"))
        q = torch.from_numpy(np.ascontiguousarray(queries)).to("cuda")
        scores, idx = torch.topk(q @ self._gpu[1].T, k, dim=1)
        return scores.cpu().numpy(), idx.cpu().numpy()

    def ids_of_papers(self, paper_ids: Sequence[str]) -> list[str]:
        """Indexed passage ids that belong to the given papers (ids are '<paper>:<s>:<p>')."""
        wanted = set(paper_ids)
        return [pid for pid in self.ids if pid.rsplit(":", 2)[0] in wanted]
