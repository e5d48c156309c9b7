"""Small text helpers shared by evidence selection, the fallback judge and the data loaders."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

# The project's one sentence splitter lives in litcheck.text; verify's modules (judge,
# retrieval, data) import it from here, so it is re-exported under the name they use.
from litcheck.text import split_sentences as split_sentences

_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "with",
        "by",
        "from",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "also",
        "not",
        "no",
        "can",
        "could",
        "may",
        "might",
        "will",
        "would",
        "should",
        "shall",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "we",
        "our",
        "you",
        "your",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "into",
        "over",
        "under",
        "between",
        "among",
        "about",
        "after",
        "before",
        "during",
        "while",
        "such",
        "both",
        "either",
        "neither",
        "each",
        "all",
        "any",
        "some",
        "more",
        "most",
        "less",
        "least",
        "very",
        "via",
        "per",
    ]
)

NEGATION_CUES = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "neither",
        "nor",
        "without",
        "cannot",
        "fails",
        "fail",
        "failed",
        "lack",
        "lacks",
        "absence",
        "absent",
        "unchanged",
        "nonsignificant",
        "insignificant",
    ]
)


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens without stop words (numbers kept)."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A crude suffix strip is enough to match "improves"/"improved"/"improvement".
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    """The verifier's crude stem of one lower-cased word ("improves", "improved" -> "improv")."""
    return _stem(word)


_WORD_TOKEN = re.compile(r"[a-z0-9]+(?:[.'\-][a-z0-9]+)*")


def word_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, contracted negations split ("doesn't" -> "does", "not").

    Args:
        text: a claim or a sentence.

    Returns:
        Its tokens in order; hyphenated and dotted words ("low-resource", "2.1") stay whole.
    """
    out: list[str] = []
    for t in _WORD_TOKEN.findall(text.lower().replace("’", "'")):
        if t.endswith("n't"):
            out += [t[:-3] or "not", "not"] if t != "can't" else ["can", "not"]
        else:
            out.append(t)
    return out


def word_stem(word: str) -> str:
    """:func:`stem`, with the final e a bare verb keeps cut: "improve" meets "improves".

    Args:
        word: one lower-cased word.

    Returns:
        Its stem ("improve", "improves", "improved" -> "improv").
    """
    out = _stem(word)
    return out[:-1] if out.endswith("e") and len(out) > 4 else out


# The verifier stems the same claim and evidence sentences many times over (retrieval, the
# fallback's cues, the bearing gate): about 15 % of a warm `verify` before this cache.
@lru_cache(maxsize=16384)
def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


def stems(text: str) -> set[str]:
    """Stemmed content words of ``text``."""
    return set(_stems(text))


_REGISTERED: list[Callable[..., object]] = []


def register_cache(cached: Callable[..., object]) -> None:
    """Have :func:`clear_caches` also clear ``cached`` (an ``lru_cache``-wrapped function)."""
    _REGISTERED.append(cached)


def clear_caches() -> None:
    """Forget the text caches (a benchmark's warm pass must not reuse the cold one's)."""
    _stems.cache_clear()
    _stem.cache_clear()
    for cached in _REGISTERED:
        cached.cache_clear()  # type: ignore[attr-defined]


def overlap(claim: str, sentence: str, idf: dict[str, float] | None = None) -> float:
    """Share of the claim's (IDF-weighted) content stems found in ``sentence``, in [0, 1]."""
    c = stems(claim)
    if not c:
        return 0.0
    s = stems(sentence)
    weights = {w: (idf.get(w, 1.0) if idf else 1.0) for w in c}
    total = sum(weights.values())
    return sum(v for w, v in weights.items() if w in s) / total if total else 0.0


def idf_table(documents: Iterable[str]) -> dict[str, float]:
    """Inverse document frequency of stems over ``documents`` (smoothed)."""
    df: dict[str, int] = {}
    n = 0
    for doc in documents:
        n += 1
        for w in stems(doc):
            df[w] = df.get(w, 0) + 1
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def top_sentences(claim: str, sentences: Sequence[str], k: int) -> list[int]:
    """Indices of the ``k`` sentences sharing most content with ``claim``, in text order."""
    scored = sorted(range(len(sentences)), key=lambda i: -overlap(claim, sentences[i]))
    return sorted(scored[:k])


def negation_count(text: str) -> int:
    """How many negation cues a text has (used by the fallback judge)."""
    return sum(1 for w in _WORD.findall(text.lower()) if w in NEGATION_CUES)
