"""Hybrid retrieval: dense (FAISS) + keyword (SQLite FTS5) fused by reciprocal rank fusion,
then sentence-level evidence selection inside the best passages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from litcheck.library import Library
from litcheck.models import Passage
from litcheck.verify.index import PassageIndex
from litcheck.verify.text import overlap, split_sentences

#: RRF constant (Cormack et al. 2009): ranks beyond ~60 contribute little.
RRF_K = 60
CANDIDATES = 50
#: Weight of lexical coverage next to cosine similarity when ranking sentences.
LEXICAL_WEIGHT = 0.5
SENTENCE_SUFFIX = "#sentences"


@dataclass(frozen=True)
class Candidate:
    """A passage chosen for a claim, with its selected sentences."""

    passage: Passage
    score: float
    sentences: list[str]
    sentence_scores: list[float]
    all_sentences: list[str]


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists; best first."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, pid in enumerate(ranking):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda kv: -kv[1])


class HybridRetriever:
    """Find the passages and sentences a claim should rest on.

    Example:
        >>> retriever = HybridRetriever(lib, index)
        >>> retriever.retrieve(["Robust training improves PAWS-X by 2.1 points."], [None])

    Args:
        lib: the library (FTS5 keyword search, passages).
        index: the dense passage index.
        top_passages: passages kept per claim.
        sentences_per_passage: evidence sentences selected in each kept passage.
    """

    def __init__(
        self,
        lib: Library,
        index: PassageIndex,
        top_passages: int = 3,
        sentences_per_passage: int = 2,
    ) -> None:
        self.lib = lib
        self.index = index
        self.top_passages = top_passages
        self.sentences_per_passage = sentences_per_passage

    def retrieve(
        self,
        claims: Sequence[str],
        papers: Sequence[Sequence[str] | None],
        claim_vectors: NDArray[np.float32] | None = None,
    ) -> list[list[Candidate]]:
        """Candidates for each claim.

        Args:
            claims: claim texts.
            papers: per claim, the library paper ids to search (None = whole library).
            claim_vectors: precomputed claim embeddings (else encoded here, in one batch).

        Returns:
            Per claim, up to ``top_passages`` candidates, best first.
        """
        if claim_vectors is None:
            claim_vectors = self.index.embedder.encode(list(claims))
        fused: list[list[tuple[str, float]]] = []
        for i, claim in enumerate(claims):
            restrict = None if papers[i] is None else self.index.ids_of_papers(papers[i] or [])
            if restrict is not None and not restrict:
                fused.append([])
                continue
            dense = self.index.search(claim_vectors[i : i + 1], CANDIDATES, restrict)[0]
            keyword = self.lib.search_passages(claim, CANDIDATES, papers[i])
            ranking = rrf([[pid for pid, _ in dense], [p.id for p, _ in keyword]])
            fused.append(ranking[: self.top_passages])
        wanted = sorted({pid for ranked in fused for pid, _ in ranked})
        passages = {p.id: p for p in self.lib.get_passages(wanted)}
        sentence_vecs = self._sentence_vectors([passages[p] for p in wanted if p in passages])
        out: list[list[Candidate]] = []
        for i, ranked in enumerate(fused):
            cands = []
            for pid, score in ranked:
                if pid not in passages:
                    continue
                sents, vecs = sentence_vecs[pid]
                if not sents:
                    continue
                sims = vecs @ claim_vectors[i]
                scored = [
                    float(sims[j]) + LEXICAL_WEIGHT * overlap(claims[i], s)
                    for j, s in enumerate(sents)
                ]
                best = sorted(np.argsort(-np.array(scored))[: self.sentences_per_passage].tolist())
                cands.append(
                    Candidate(
                        passages[pid],
                        score,
                        [sents[j] for j in best],
                        [scored[j] for j in best],
                        sents,
                    )
                )
            out.append(cands)
        return out

    def _sentence_vectors(
        self, passages: list[Passage]
    ) -> dict[str, tuple[list[str], NDArray[np.float32]]]:
        """Sentences of each passage with embeddings, cached in the library beside passages."""
        model = self.index.embedder.name + SENTENCE_SUFFIX
        split = {p.id: split_sentences(p.text) for p in passages}
        keys = [f"{pid}#{j}" for pid, sents in split.items() for j in range(len(sents))]
        cached = self.lib.get_embeddings(model, keys)
        missing = [k for k in keys if k not in cached]
        if missing:
            texts = [split[k.rsplit("#", 1)[0]][int(k.rsplit("#", 1)[1])] for k in missing]
            vecs = self.index.embedder.encode(texts)
            self.lib.put_embeddings(model, list(zip(missing, vecs, strict=True)))
            cached.update(zip(missing, vecs, strict=True))
        dim = self.index.vectors.shape[1] if len(self.index) else self.index.embedder.dim
        out: dict[str, tuple[list[str], NDArray[np.float32]]] = {}
        for pid, sents in split.items():
            vecs = np.array([cached[f"{pid}#{j}"] for j in range(len(sents))], dtype=np.float32)
            out[pid] = (sents, vecs.reshape(len(sents), dim))
        return out
