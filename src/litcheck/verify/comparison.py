"""A claim that names the loser of a comparison as its winner is CONTRADICTED.

The judge reads "mBERT outperforms XLM-R on XNLI" as support from "XLM-R significantly
outperforms multilingual BERT (mBERT) on ... XNLI" (0.82 SUPPORTED): the words are the same,
their order is not, and a cross-encoder of this size barely reads order. Machine-written
summaries swap winners often. This rule reads a comparison as (winner, loser): two names of
the field's vocabulary (models, methods, languages; :mod:`litcheck.extract.vocab`, aliases
folded) on either side of a comparative ("outperforms", "beats", "is better than", "more
effectively than", "trails", "lags behind", "is outperformed by", "higher accuracy than",
"lower error than"). When the claim's winner is a sentence's loser and the sentence states the
pair no other way, the verdict is CONTRADICTED. Only names on both sides count: "German and
Russian often transfer more effectively" compares with nothing named, and decides nothing. A
negation near the comparative (the denial rule's business) and a benchmark or task the claim
names but the sentence does not decide nothing either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from litcheck.extract.vocab import Mention, find_mentions, find_tasks, names_in

__all__ = ["SWAP_CONFIDENCE", "Comparison", "Swap", "comparisons", "swapped"]

#: Confidence of the CONTRADICTED a swapped comparison gives (fixed, like the denial rule's).
SWAP_CONFIDENCE = 0.8
#: Slots whose names can win or lose a comparison.
_COMPARED_SLOTS = frozenset(["model", "method", "language"])
_BENCHMARK_SLOTS = frozenset(["dataset"])
#: Characters between a comparative and the name after it, at most.
_REACH = 60

_HIGHER_IS_BETTER = r"(?:accuracy|f1|score|scores|performance|bleu|exact match|em|recall|precision)"
_LOWER_IS_BETTER = r"(?:error|errors|error rate|perplexity|loss|latency|wer|cer)"
_ADVERB = r"(?:\s+(?:significantly|substantially|consistently|clearly|slightly|greatly|far|much|"
_ADVERB += r"considerably|markedly|generally|often|still|also|even|always))*"
_PASSIVE = r"(?:is|are|was|were|be|been|being)" + _ADVERB + r"\s+"

#: (pattern, sign): +1 when the name before the comparative wins, -1 when the one after does.
_CUES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p, re.I), sign)
    for p, sign in (
        (_PASSIVE + r"(?:outperformed|beaten|surpassed|exceeded|bested)\s+by\b", -1),
        (r"\b(?:outperform|outperforms|outperformed|outperforming)\b", 1),
        (r"\b(?:beat|beats|beating|surpass|surpasses|surpassed|surpassing)\b", 1),
        (r"\b(?:exceed|exceeds|exceeded|exceeding|outscore|outscores|outscored)\b", 1),
        (r"\b(?:underperform|underperforms|underperformed|underperforming)\b", -1),
        (r"\b(?:better|more\s+effective(?:ly)?|stronger|superior)\s+(?:than|to)\b", 1),
        (r"\b(?:worse|less\s+effective(?:ly)?|weaker|inferior)\s+(?:than|to)\b", -1),
        (r"\b(?:trail|trails|trailed|trailing|lag|lags|lagged|lagging)(?:\s+behind)?\b", -1),
        (r"\b(?:falls?|fell)\s+(?:behind|short\s+of)\b", -1),
        (r"\bahead\s+of\b", 1),
        (r"\bhigher\s+" + _HIGHER_IS_BETTER + r"\s+than\b", 1),
        (r"\blower\s+" + _HIGHER_IS_BETTER + r"\s+than\b", -1),
        (r"\blower\s+" + _LOWER_IS_BETTER + r"\s+than\b", 1),
        (r"\bhigher\s+" + _LOWER_IS_BETTER + r"\s+than\b", -1),
    )
)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|nor|fails?\s+to|failed\s+to)\b|n't\b", re.I)
#: What ends the clause a comparison's first name must be in.
_CLAUSE_END = re.compile(r"[;:]|\.\s|\b(?:while|whereas|but|although)\b", re.I)


@dataclass(frozen=True)
class Comparison:
    """One comparison a text states.

    Attributes:
        winner: the vocabulary name that does better.
        loser: the one it does better than.
        cue: the comparative as the text has it.
    """

    winner: str
    loser: str
    cue: str


@dataclass(frozen=True)
class Swap:
    """A sentence whose comparison the claim turns round.

    Attributes:
        sentence: the evidence sentence.
        claim: the claim's comparison.
        stated: the sentence's comparison of the same two names.
    """

    sentence: str
    claim: Comparison
    stated: Comparison


def _names(text: str) -> list[Mention]:
    return [m for m in find_mentions(text) if m.slot in _COMPARED_SLOTS]


def comparisons(text: str) -> list[Comparison]:
    """The comparisons ``text`` states between two names of the vocabulary.

    Args:
        text: a claim or a sentence.

    Returns:
        One :class:`Comparison` per comparative with a name right before it (in its clause)
        and one after it (within a few words); a negated comparative gives none.

    Example:
        >>> comparisons("Our model, XLM-R, significantly outperforms multilingual BERT.")
        [Comparison(winner='XLM-R', loser='mBERT', cue='outperforms')]
        >>> comparisons("mBERT is outperformed by XLM-R on XNLI.")[0].winner
        'XLM-R'
    """
    names = _names(text)
    if len(names) < 2:
        return []
    out: list[Comparison] = []
    taken: list[tuple[int, int]] = []
    for pattern, sign in _CUES:
        for m in pattern.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue  # "is outperformed by" already read; not again as "outperformed"
            taken.append((m.start(), m.end()))
            if _NEGATION.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            before = [n for n in names if n.end <= m.start()]
            after = [n for n in names if n.start >= m.end() and n.start - m.end() <= _REACH]
            if not before or not after:
                continue
            first = before[-1]
            if _CLAUSE_END.search(text[first.end : m.start()]):
                continue
            second = after[0]
            if first.name == second.name or first.slot != second.slot:
                continue
            winner, loser = (first, second) if sign > 0 else (second, first)
            out.append(Comparison(winner.name, loser.name, m.group(0)))
    return out


def _benchmarks(text: str) -> set[str]:
    """The benchmarks and task families ``text`` names: what a comparison was made on."""
    return set(names_in(text, _BENCHMARK_SLOTS)) | find_tasks(text)


def swapped(claim: str, sentences: Sequence[str]) -> Swap | None:
    """The first sentence stating a comparison of the claim the other way round, or None.

    Args:
        claim: the claim text.
        sentences: evidence sentences.

    Returns:
        A :class:`Swap` when the claim's winner is the sentence's loser (the same two names),
        the sentence states that pair no other way, and it names every benchmark and task
        the claim names; None otherwise.

    Example:
        >>> s = swapped("mBERT outperforms XLM-R on XNLI.",
        ...             ["XLM-R significantly outperforms mBERT on XNLI and MLQA."])
        >>> s.stated.winner, s.claim.winner
        ('XLM-R', 'mBERT')
        >>> swapped("XLM-R outperforms mBERT on XNLI.", ["XLM-R outperforms mBERT on XNLI."])
    """
    claimed = comparisons(claim)
    if not claimed:
        return None
    benchmarks = _benchmarks(claim)
    for sentence in sentences:
        stated = comparisons(sentence)
        if not stated or not benchmarks <= _benchmarks(sentence):
            continue
        for c in claimed:
            pair = {c.winner, c.loser}
            same = [s for s in stated if {s.winner, s.loser} == pair]
            if same and all(s.winner == c.loser for s in same):
                return Swap(sentence, c, same[0])
    return None
