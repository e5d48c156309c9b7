"""The parts the report pipeline plugs together, each behind a small interface.

The pipeline (:mod:`litcheck.report.pipeline`) never builds a model or opens a socket itself: it
takes an :class:`Embedder` (question and claim vectors), a :class:`ClaimExtractor`, a
:class:`ClaimVerifier` and a :class:`PaperSource`. The ``default_*`` factories return the real
ones (sentence-transformers, ``litcheck.extract``, ``litcheck.verify``, arXiv or the library);
tests pass small deterministic ones.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from litcheck.errors import VerificationError
from litcheck.library import Library
from litcheck.models import Claim, Paper, Passage, Verdict
from litcheck.report.query import ExpandedQuery
from litcheck.settings import Settings

if TYPE_CHECKING:
    from litcheck.report.search_flow import SearchFlow


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors (cosine similarity = dot product)."""

    name: str

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Encode ``texts`` into an (n, dim) float32 array of unit rows."""
        ...


@runtime_checkable
class ClaimExtractor(Protocol):
    """Turns one paper's passages into claims."""

    name: str

    def extract(self, paper: Paper, passages: Sequence[Passage]) -> list[Claim]:
        """Claims of ``paper`` read from ``passages``."""
        ...


@runtime_checkable
class ClaimVerifier(Protocol):
    """Judges claims against the passages of given papers (calibrated confidence).

    The report pipeline passes the report's papers *other than* the claims' own, so that a
    paper never verifies itself; ``paper_ids`` is never empty.
    """

    name: str

    def verify(self, claims: Sequence[Claim], paper_ids: Sequence[str]) -> list[Verdict]:
        """One verdict per claim, in order, with evidence only from ``paper_ids``."""
        ...


@dataclass
class FoundPapers:
    """What a paper source found for a question.

    Attributes:
        papers: papers with full text where available, most relevant first.
        queries: the queries actually run.
        empty_queries: queries that found nothing.
        failed: paper ids whose full text could not be fetched (kept abstract-only).
        flow: the identification part of the search flow (queries and records per source,
            failures, duplicates, papers left out before extraction); the pipeline completes
            it (:func:`~litcheck.report.pipeline.flow_from_report`).
    """

    papers: list[Paper]
    queries: list[str]
    empty_queries: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    flow: SearchFlow | None = None


class PaperSource(Protocol):
    """Finds the papers for a question and makes sure they are stored in the library."""

    kind: str

    def find(self, query: ExpandedQuery, max_papers: int, since: date | None) -> FoundPapers:
        """Papers for ``query`` (at most ``max_papers``, submitted on/after ``since``)."""
        ...


# -- embedders ------------------------------------------------------------------------------


class HashingEmbedder:
    """A deterministic bag-of-stems embedder (feature hashing): the offline, model-free fallback.

    It is fast and needs no model, but it only sees shared words; the report says when it was
    used. Tests use it to stay quick and deterministic.

    Args:
        dim: vector size.
    """

    def __init__(self, dim: int = 512) -> None:
        self.dim = dim
        self.name = f"hashing-bow-{dim}"
        self.device = "cpu"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Encode texts as L2-normalised hashed bags of stems (and stem bigrams)."""
        from litcheck.report.query import STOPWORDS, stem

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = [
                stem(w)
                for w in re.findall(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*", text.lower())
                if w not in STOPWORDS
            ]
            feats = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for f in feats:
                h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if " " not in f else 0.5
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
        return out


def default_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``settings.embedding_model`` (``litcheck.verify``'s, shared with the
    verifier's passage index); the hashing fallback when the model cannot be loaded.

    Args:
        settings: ``embedding_model`` (``hashing`` forces the fallback) and ``device``.

    Returns:
        An embedder; ``embedder.name`` says which one (the report's method names it).
    """
    if settings.embedding_model in {"hashing", "hashing-bow"}:
        return HashingEmbedder()
    try:
        from litcheck.verify.embed import Embedder as VerifyEmbedder

        embedder = VerifyEmbedder(
            settings.embedding_model, device=settings.device, cache_dir=settings.cache_dir
        )
        _ = embedder.dim  # loads the model now, so a missing one degrades here
        return embedder
    except Exception as exc:  # a missing package or model: degrade, and say so in the report
        from litcheck.console import warn

        warn(
            f"embedding model {settings.embedding_model!r} could not be loaded ({exc}); "
            "using the keyword-hashing fallback for relevance."
        )
        return HashingEmbedder()


# -- extractor ------------------------------------------------------------------------------


class LibraryClaimExtractor:
    """Claims of a paper: those stored in the library by this extractor, else freshly extracted.

    Args:
        lib: the library (claims are stored there, so a second report reuses them).
        extract: ``(paper, passages) -> claims``, the extractor proper.
        name: extractor name and version (``offline/1``); stored claims of the same family are
            reused.
    """

    def __init__(
        self,
        lib: Library,
        extract: Callable[[Paper, Sequence[Passage]], list[Claim]],
        name: str,
    ) -> None:
        self.lib = lib
        self._extract = extract
        self.name = name

    def extract(self, paper: Paper, passages: Sequence[Passage]) -> list[Claim]:
        """Stored claims of ``paper``, else extract and store them."""
        family = self.name.split("/", 1)[0]
        stored = self.lib.claims(paper_id=paper.arxiv_id, extractor=family)
        if stored:
            return stored
        claims = self._extract(paper, passages)
        self.lib.replace_claims(paper.arxiv_id, self.name, claims)
        return claims


def default_extractor(lib: Library, settings: Settings) -> ClaimExtractor:
    """The offline claim extractor of :mod:`litcheck.extract`, caching claims in the library.

    Args:
        lib: where claims are cached (a second report over the same papers reuses them).
        settings: unused today; kept so an LLM extractor can be chosen by setting later.

    Returns:
        The extractor (named ``offline/<version>``).
    """
    from litcheck.console import warn
    from litcheck.extract.offline import EXTRACTOR, extract_claims

    def run(paper: Paper, passages: Sequence[Passage]) -> list[Claim]:
        return extract_claims(paper, passages, extractor=EXTRACTOR, on_warning=warn)

    return LibraryClaimExtractor(lib, run, EXTRACTOR)


# -- verifier -------------------------------------------------------------------------------


class PipelineVerifier:
    """Adapter over :func:`litcheck.verify.pipeline.verify_claims` (hybrid retrieval, judge,
    numeric checker), restricted to the papers asked for through each claim's ``cites``.

    The passage index is opened on first use (it embeds passages not yet cached), so building
    a report whose claims are all filtered out costs no index work.

    Args:
        lib: the library holding the papers' passages.
        settings: embedding model, device, verifier model.
        embedder: share the relevance embedder (one model in memory); a new one otherwise.
    """

    def __init__(self, lib: Library, settings: Settings, embedder: Any | None = None) -> None:
        from litcheck.verify.judges import load_judge

        self.lib = lib
        self.settings = settings
        self._embedder = embedder
        self._index: Any = None
        device = getattr(embedder, "device", None) or (
            "cpu" if settings.device == "auto" else settings.device
        )
        self._judge = load_judge(settings, device=device)
        self.name = f"litcheck.verify {_version('litcheck')}: {self._judge.name}"

    def _open_index(self) -> Any:
        if self._index is None:
            from litcheck.verify.embed import Embedder as VerifyEmbedder
            from litcheck.verify.index import PassageIndex

            # Any embedder with name, dim, device and encode() serves (the hashing fallback too).
            emb = self._embedder
            if emb is None:
                emb = VerifyEmbedder(
                    self.settings.embedding_model,
                    device=self.settings.device,
                    cache_dir=self.settings.cache_dir,
                )
            self._index = PassageIndex.open(
                self.lib, emb, self.settings.cache_dir, show_progress=True
            )
        return self._index

    def verify(self, claims: Sequence[Claim], paper_ids: Sequence[str]) -> list[Verdict]:
        """Verify ``claims`` against the passages of ``paper_ids`` only.

        Args:
            claims: the claims (their own ``cites`` are replaced).
            paper_ids: the papers to search; never empty, since empty ``cites`` would make
                :func:`~litcheck.verify.pipeline.verify_claims` search the whole library.

        Returns:
            One verdict per claim, in order.

        Raises:
            VerificationError: when ``paper_ids`` is empty or the verifier loses a claim.
        """
        if not claims:
            return []
        if not paper_ids:
            raise VerificationError(
                "No paper to verify against: an empty paper list would search the whole "
                "library (the claims' own papers included)."
            )
        from litcheck.verify.pipeline import verify_claims

        scoped = [c.model_copy(update={"cites": list(paper_ids)}) for c in claims]
        verdicts = verify_claims(
            scoped, self.lib, self._open_index(), self._judge, show_progress=False
        )
        if len(verdicts) != len(claims):
            raise VerificationError(
                f"The verifier returned {len(verdicts)} verdicts for {len(claims)} claims."
            )
        return verdicts


def default_verifier(
    lib: Library, settings: Settings, embedder: Embedder | None = None
) -> ClaimVerifier:
    """The project's verifier (trained judge or its documented fallback, numeric checker).

    Args:
        lib: the library.
        settings: model settings.
        embedder: the relevance embedder, shared with the passage index when it is
            ``litcheck.verify``'s.

    Returns:
        The verifier; its ``name`` names the judge.
    """
    return PipelineVerifier(lib, settings, embedder)


# -- helpers --------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
