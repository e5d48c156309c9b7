"""A claim that restates an evidence sentence word for word is SUPPORTED by it.

A small cross-encoder can call a sentence CONTRADICTED by itself (long pairs are cut at 128
tokens, and the judge was trained on pairs that differ); a reader who quotes an abstract
verbatim must get SUPPORTED. A claim counts as a restatement of a sentence when their word
sequences match almost entirely, in order (:class:`difflib.SequenceMatcher`, case and
punctuation ignored), and every difference is harmless: a word of the sentence left out that
is not a negation, hedge, quantifier, comparison or number ("has not been *systematically*
vetted"), or the same word in another form ("improves" / "improve"). One word replaced by
another ("high-resource" by "low-resource", "similar" by "different") is not a restatement,
however close the rest: that is exactly how a claim turns false. Paraphrases are left to the
judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

__all__ = ["RESTATEMENT_CONFIDENCE", "RESTATEMENT_RATIO", "restated"]

#: How close two word sequences must be (SequenceMatcher ratio) to be one statement.
RESTATEMENT_RATIO = 0.92
#: Confidence of a SUPPORTED given to a restatement (fixed by design, like the numeric
#: checker's; ``benchmarks/eval_stress.py`` measures how often verbatim claims are SUPPORTED).
RESTATEMENT_CONFIDENCE = 0.9

_WORD = re.compile(r"[\w'-]+|\d+(?:\.\d+)?%?")
_NUMBER = re.compile(r"\d")
_ARTICLES = frozenset(["a", "an", "the"])
# Words whose absence from the claim changes what the sentence says.
_KEEP = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nor",
        "without",
        "neither",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hardly",
        "barely",
        "rarely",
        "seldom",
        "only",
        "solely",
        "just",
        "merely",
        "all",
        "every",
        "each",
        "most",
        "some",
        "few",
        "many",
        "any",
        "more",
        "less",
        "fewer",
        "most",
        "least",
        "better",
        "worse",
        "best",
        "worst",
        "higher",
        "lower",
        "larger",
        "smaller",
        "greater",
        "may",
        "might",
        "could",
        "would",
        "should",
        "can",
        "possibly",
        "probably",
        "likely",
        "unlikely",
        "perhaps",
        "potentially",
        "suggest",
        "suggests",
        "suggested",
        "whether",
        "if",
        "hypothesis",
        "hypothesize",
        "hypothesise",
        "propose",
        "proposed",
        "partially",
        "partly",
        "slightly",
        "somewhat",
        "except",
        "unless",
        "although",
        "though",
        "but",
        "however",
        "yet",
    ]
)


def _harmless(claim_words: list[str], sentence_words: list[str]) -> bool:
    """Whether every difference between the two word sequences leaves the meaning alone."""
    from litcheck.verify.text import _stem

    ops = SequenceMatcher(None, claim_words, sentence_words, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        mine, theirs = claim_words[i1:i2], sentence_words[j1:j2]
        if tag == "replace":
            if len(mine) != len(theirs) or any(
                _stem(a) != _stem(b) or _NUMBER.search(a) or _NUMBER.search(b)
                for a, b in zip(mine, theirs, strict=True)
            ):
                return False
        elif tag == "insert":  # words of the sentence the claim leaves out
            if any(w in _KEEP or _NUMBER.search(w) for w in theirs):
                return False
        elif any(w not in _ARTICLES for w in mine):  # words only the claim has
            return False
    return True


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def restated(claim: str, sentences: Sequence[str]) -> str | None:
    """The sentence ``claim`` restates word for word, or None.

    Args:
        claim: the claim text.
        sentences: evidence sentences.

    Returns:
        The first sentence whose words match the claim's almost entirely and in order, every
        difference harmless, with the same negations, directions, opposites and numbers; None
        when there is none.

    Example:
        >>> restated("However, this default choice has not been vetted.",
        ...          ["However, this default choice has not been systematically vetted."])
        'However, this default choice has not been systematically vetted.'
        >>> restated("This default choice has been vetted.",
        ...          ["However, this default choice has not been vetted."]) is None
        True
    """
    from litcheck.verify.judge import directions, opposite_words
    from litcheck.verify.text import negation_count

    cw = _words(claim)
    if len(cw) < 4:
        return None
    c_numbers = sorted(w for w in cw if _NUMBER.search(w))
    for sentence in sentences:
        sw = _words(sentence)
        if not sw or abs(len(sw) - len(cw)) > 0.2 * max(len(sw), len(cw)):
            continue
        matcher = SequenceMatcher(None, cw, sw, autojunk=False)
        if matcher.quick_ratio() < RESTATEMENT_RATIO or matcher.ratio() < RESTATEMENT_RATIO:
            continue
        if not _harmless(cw, sw):
            continue
        if negation_count(claim) != negation_count(sentence):
            continue
        if sorted(w for w in sw if _NUMBER.search(w)) != c_numbers:
            continue
        if opposite_words(claim, sentence):
            continue
        if directions(claim) != directions(sentence):
            continue
        return sentence
    return None
