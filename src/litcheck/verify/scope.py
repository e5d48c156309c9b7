"""A claim that says "always" where its evidence says "often" is not supported by it.

Machine-written summaries generalise: "robust training always improves transfer", "German
transfers better than English on every task", from a sentence that says "often", "can" or
"on many tasks". The judge reads the shared words and answers SUPPORTED. The evidence states
less than the claim, so the claim is at most NOT_ENOUGH_INFO on it: this rule turns a
SUPPORTED verdict whose supporting sentence is hedged (:data:`HEDGES`) where the claim is
universal (:data:`UNIVERSALS`) into NOT_ENOUGH_INFO. The sentence must be about the claim (it
holds :data:`SCOPE_COVERAGE` of the claim's other content stems) and must not itself say the
universal word ("often, and on all tasks, …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.verify.text import STOPWORDS, word_stem, word_tokens

__all__ = [
    "HEDGES",
    "SCOPE_CONFIDENCE",
    "SCOPE_COVERAGE",
    "UNIVERSALS",
    "Overstatement",
    "overstated",
]

#: Confidence of the NOT_ENOUGH_INFO an overstatement gives.
SCOPE_CONFIDENCE = 0.6
#: Share of the claim's content stems (its universal words left out) the sentence must hold.
SCOPE_COVERAGE = 0.6

#: Words and phrases that make a claim universal.
UNIVERSALS: tuple[str, ...] = (
    "always",
    "every",
    "all",
    "consistently",
    "invariably",
    "uniformly",
    "universally",
    "in all cases",
    "without exception",
    "across the board",
    "regardless of",
)
#: Words that make a statement hold for some cases only.
HEDGES: tuple[str, ...] = (
    "often",
    "sometimes",
    "some",
    "many",
    "most",
    "frequently",
    "usually",
    "generally",
    "typically",
    "mostly",
    "largely",
    "partly",
    "partially",
    "can",
    "may",
    "might",
    "could",
    "tend",
    "tends",
    "occasionally",
    "several",
    "certain",
    "in some cases",
)


def _phrase_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in alternatives) + r")\b", re.I)


_UNIVERSAL = _phrase_re(UNIVERSALS)
_HEDGE = _phrase_re(HEDGES)
#: Universal words that are not about the claim's scope ("all-to-all", "all the same").
_NOT_SCOPE = re.compile(r"\ball[- ](?:to|the same|but|in all)\b|\bnot all\b|\bnot always\b", re.I)


@dataclass(frozen=True)
class Overstatement:
    """A universal claim on a hedged sentence.

    Attributes:
        universal: the claim's universal word or phrase.
        hedge: the sentence's hedge.
    """

    universal: str
    hedge: str


def _content(text: str) -> set[str]:
    return {word_stem(t) for t in word_tokens(text) if t not in STOPWORDS}


def overstated(claim: str, sentence: str) -> Overstatement | None:
    """The claim's universal word and the sentence's hedge, when the claim says more.

    Args:
        claim: the claim text.
        sentence: the sentence the verdict rests on.

    Returns:
        An :class:`Overstatement`, or None when the claim is not universal, the sentence is
        not hedged, says the universal word itself, or is about something else.

    Example:
        >>> overstated("Robust training always improves zero-shot transfer.",
        ...            "Robust training can improve zero-shot transfer.")
        Overstatement(universal='always', hedge='can')
        >>> overstated("Robust training improves zero-shot transfer.",
        ...            "Robust training can improve zero-shot transfer.")
    """
    if _NOT_SCOPE.search(claim):
        return None
    universal = _UNIVERSAL.search(claim)
    if universal is None or _UNIVERSAL.search(sentence) is not None:
        return None
    hedge = _HEDGE.search(sentence)
    if hedge is None or _HEDGE.search(claim) is not None:
        return None
    rest = _content(_UNIVERSAL.sub(" ", claim))
    if not rest or len(rest & _content(sentence)) / len(rest) < SCOPE_COVERAGE:
        return None
    return Overstatement(universal.group(1).lower(), hedge.group(1).lower())
