"""A claim that says what an evidence sentence denies, or denies what it says, is CONTRADICTED.

The judge reads "the language-neutral component ... is not yet good enough for MT quality
estimation" as support for "the language-neutral component of mBERT is good enough for MT
quality estimation": every content word agrees, and one small word turns it over. A negation
alone never decides (evidence about something else is often negated: "in patients with no
history of stroke"); it decides only *in place*: the sentence holds nearly all of the claim
(:data:`DENIAL_COVERAGE` of its content stems), and the negation stands right before a phrase
of at least two words that the claim states the other way round ("not yet *good enough for*";
"*improves accuracy*" against "does not improve accuracy"). Fillers between the negation and
the phrase ("yet", "always", "significantly", a form of "be") are passed over; "not only",
"whether or not" and "not necessarily" are no denials.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from litcheck.verify.text import STOPWORDS, overlap, word_stem, word_tokens

__all__ = ["DENIAL_CONFIDENCE", "DENIAL_COVERAGE", "Denial", "denied"]

#: Confidence of the CONTRADICTED a denial in place gives (fixed by design, like the other
#: rules'; ``benchmarks/eval_stress.py`` measures how often negated claims are CONTRADICTED).
DENIAL_CONFIDENCE = 0.8
#: Share of the claim's content stems the sentence must hold to be about the same statement.
DENIAL_COVERAGE = 0.75
#: Words of the stated phrase the negation must stand before (two: "good enough", "improve
#: accuracy"; one word is too often something else).
MIN_PHRASE = 2

_NEGATORS = frozenset(["not", "no", "never", "cannot"])
_FILLERS = frozenset(
    [
        "yet",
        "always",
        "be",
        "been",
        "being",
        "very",
        "so",
        "significantly",
        "substantially",
        "statistically",
        "markedly",
        "much",
        "a",
        "an",
        "the",
        "any",
    ]
)
#: Words after a negation that make it no denial of what follows ("not only X but also Y").
_NOT_DENIALS = frozenset(["only", "just", "merely", "necessarily", "least", "surprisingly"])


@dataclass(frozen=True)
class Denial:
    """A sentence that states the claim the other way round.

    Attributes:
        sentence: the evidence sentence.
        phrase: the negation and the phrase it turns over, as the negated text has them.
        claim_negated: True when the claim denies what the sentence says, False when the
            sentence denies what the claim says.
    """

    sentence: str
    phrase: str
    claim_negated: bool


_NEGATION_WORDS = re.compile(r"n['’]t\b|\b(?:not|no|never|cannot)\b", re.I)


def _without_negations(text: str) -> str:
    """``text`` with its negations cut out, for asking what it is about."""
    return _NEGATION_WORDS.sub(" ", text)


def _negations(tokens: list[str]) -> int:
    return sum(1 for t in tokens if t in _NEGATORS)


def _denied_phrase(negated: list[str], stated: list[str]) -> str | None:
    """The negation of ``negated`` in front of a phrase ``stated`` asserts, or None."""
    stated_stems = [word_stem(t) for t in stated]
    for i, t in enumerate(negated):
        if t not in _NEGATORS:
            continue
        if i and negated[i - 1] in ("or", "if"):
            continue  # "whether or not", "if not"
        j = i + 1
        while j < len(negated) and negated[j] in _FILLERS:
            j += 1
        if j < len(negated) and negated[j] in _NOT_DENIALS:
            continue
        after = [word_stem(w) for w in negated[j:]]
        best = 0
        for m in range(len(stated_stems)):
            k = 0
            while m + k < len(stated_stems) and k < len(after) and stated_stems[m + k] == after[k]:
                k += 1
            if (
                k > best
                and (m == 0 or stated[m - 1] not in _NEGATORS)
                and any(w not in STOPWORDS for w in stated[m : m + k])
            ):
                best = k
        if best >= MIN_PHRASE:
            return " ".join(negated[i : j + best])
    return None


def denied(claim: str, sentences: Sequence[str]) -> Denial | None:
    """The first sentence that states ``claim`` the other way round, or None.

    Args:
        claim: the claim text.
        sentences: evidence sentences.

    Returns:
        A :class:`Denial` when a sentence holds nearly all of the claim and a negation in one
        of the two stands right before a phrase the other states; None otherwise.

    Example:
        >>> d = denied("The component is good enough for MT quality estimation.",
        ...            ["The component is not yet good enough for MT quality estimation."])
        >>> d.phrase, d.claim_negated
        ('not yet good enough for mt quality estimation', False)
        >>> denied("Aspirin lowers blood pressure.",
        ...        ["Aspirin lowers blood pressure in patients with no history of stroke."])
    """
    ct = word_tokens(claim)
    if len(ct) < 3:
        return None
    claim_negations = _negations(ct)
    topic = _without_negations(claim)
    for sentence in sentences:
        if overlap(topic, sentence) < DENIAL_COVERAGE:
            continue
        st = word_tokens(sentence)
        sentence_negations = _negations(st)
        if not claim_negations and sentence_negations:
            phrase = _denied_phrase(st, ct)
            if phrase is not None:
                return Denial(sentence, phrase, claim_negated=False)
        elif claim_negations and not sentence_negations:
            phrase = _denied_phrase(ct, st)
            if phrase is not None:
                return Denial(sentence, phrase, claim_negated=True)
    return None
