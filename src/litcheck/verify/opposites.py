"""A claim that says the opposite of an evidence sentence in other words is CONTRADICTED.

The judge learnt opposites from one-word swaps ("increases" -> "decreases") in otherwise
identical sentences; a machine-written summary paraphrases instead. "Transferred models show
only a small gap to English" against "there is still a sizable gap in the performance of
cross-lingually transferred models", or "results are consistent across languages" against "a
wide spread of results across languages", came back SUPPORTED: every other word agrees.

The rule: the claim uses one pole of a scale (:data:`SCALES`: size of an effect, direction of
a change, cost, consistency), a sentence that holds most of the rest of the claim
(:data:`OPPOSITE_COVERAGE` of its other content stems) uses the other pole, and neither uses
the pole of the other. The two words must modify the same thing: a content word of the claim
stands within :data:`WINDOW` content words of both. Magnitude words count only before a noun
that names an effect ("small *gap*", "little *room*"): "small models" against "large models" is
another population, not an opposite. A negation near either word ("not small") and a
comparison whose two sides are swapped ("A is lower than B" / "B is higher than A") decide
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from litcheck.verify.text import STOPWORDS, word_stem, word_tokens

__all__ = ["OPPOSITE_CONFIDENCE", "OPPOSITE_COVERAGE", "SCALES", "Opposite", "opposed"]

#: Confidence of the CONTRADICTED an opposite gives (fixed, like the denial rule's).
OPPOSITE_CONFIDENCE = 0.75
#: Share of the claim's content stems, its pole words left out, the sentence must hold.
OPPOSITE_COVERAGE = 0.7
#: Content words on each side of a pole word searched for the thing it modifies.
WINDOW = 3


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Effect nouns a magnitude word must stand before (or after a form of "be") to count.
_EFFECT_NOUNS = _set(
    """gap gaps gain gains improvement improvements effect effects difference differences drop
    drops margin margins impact impacts headroom room increase increases decrease decreases
    reduction reductions loss losses benefit benefits boost boosts advantage advantages
    degradation degradations variance variation variations change changes influence role
    progress error errors cost costs overhead spread"""
)

#: Scales: (name, one pole, the other pole, needs an effect noun).
SCALES: tuple[tuple[str, frozenset[str], frozenset[str], bool], ...] = (
    (
        "size",
        _set("small little slight minor modest marginal negligible limited tiny"),
        _set("""large sizable sizeable considerable substantial big huge great major dramatic
            massive strong"""),
        True,
    ),
    (
        "direction",
        _set("""improve improves improved improving increase increases increased increasing
            boost boosts boosted raise raises raised enhance enhances enhanced help helps
            helped benefit benefits benefited outperform outperforms outperformed exceed
            exceeds exceeded higher better rise rises rose grows grew"""),
        _set("""hurt hurts harm harms harmed degrade degrades degraded worsen worsens worsened
            decrease decreases decreased decreasing reduce reduces reduced lower worse
            underperform underperforms underperformed decline declines declined drop drops
            dropped fall falls fell"""),
        False,
    ),
    (
        "cost",
        _set("cheap inexpensive easy simple"),
        _set("expensive costly hard difficult"),
        False,
    ),
    (
        "consistency",
        _set("consistent uniform stable similar identical"),
        _set("spread vary varies varied variable inconsistent unstable divergent"),
        False,
    ),
)

#: Words whose negative is a prefixed form: each is a scale of its own ("similar" /
#: "dissimilar"). A closed list: "supervised" / "unsupervised" name two kinds of training,
#: not a statement and its opposite.
_PREFIXED: dict[str, tuple[str, ...]] = {
    "similar": ("dissimilar",),
    "stable": ("unstable",),
    "effective": ("ineffective",),
    "efficient": ("inefficient",),
    "significant": ("insignificant", "non-significant", "nonsignificant"),
    "likely": ("unlikely",),
    "necessary": ("unnecessary",),
    "important": ("unimportant",),
    "related": ("unrelated",),
    "balanced": ("unbalanced", "imbalanced"),
    "sufficient": ("insufficient",),
    "successful": ("unsuccessful",),
    "reliable": ("unreliable",),
    "helpful": ("unhelpful",),
    "accurate": ("inaccurate",),
    "correct": ("incorrect",),
    "common": ("uncommon",),
    "able": ("unable",),
    "possible": ("impossible",),
    "robust": ("non-robust",),
    "beneficial": ("non-beneficial",),
}
SCALES += tuple(
    (base, frozenset([base]), frozenset(negatives), False) for base, negatives in _PREFIXED.items()
)

_NEGATORS = frozenset(["not", "no", "never", "cannot", "nor", "without"])
_COMPARATIVE = frozenset(["than", "versus", "vs", "compared", "outperform", "outperforms"])
_BE = frozenset(["is", "are", "was", "were", "be", "been", "remains", "remain", "stays"])
#: Words that are no content of their own around a pole word.
_LIGHT = STOPWORDS | _set(
    """only still also even rather quite relatively much far fairly largely generally highly
    clearly roughly broadly mostly remarkably surprisingly"""
)


@dataclass(frozen=True)
class Opposite:
    """A sentence that says the claim's opposite.

    Attributes:
        sentence: the evidence sentence.
        claim_word: the claim's pole word.
        sentence_word: the sentence's word at the other pole.
        scale: the scale's name (size, direction, cost, consistency).
    """

    sentence: str
    claim_word: str
    sentence_word: str
    scale: str


def _content(tokens: list[str], skip: frozenset[str]) -> list[str]:
    return [word_stem(t) for t in tokens if t not in _LIGHT and t not in skip]


def _neighbours(tokens: list[str], i: int) -> set[str]:
    """Stems of the WINDOW content words on each side of position ``i``."""
    before = [word_stem(t) for t in tokens[:i] if t not in _LIGHT][-WINDOW:]
    after = [word_stem(t) for t in tokens[i + 1 :] if t not in _LIGHT][:WINDOW]
    return set(before) | set(after)


def _negated_near(tokens: list[str], i: int) -> bool:
    return any(t in _NEGATORS for t in tokens[max(0, i - 3) : i + 2])


def _modifies_effect(tokens: list[str], i: int) -> bool:
    """A magnitude word before an effect noun, or after "be" with an effect noun before it."""
    for t in tokens[i + 1 : i + 3]:
        if t in _EFFECT_NOUNS:
            return True
        if t not in _LIGHT and not t.endswith("ly"):
            break
    if i and tokens[i - 1] in _BE:
        return any(t in _EFFECT_NOUNS for t in tokens[max(0, i - 4) : i - 1])
    return False


def _next_content(tokens: list[str], i: int) -> str | None:
    """The stem of the word right after position ``i`` when it is a content word."""
    if i + 1 < len(tokens) and tokens[i + 1] not in _LIGHT:
        return word_stem(tokens[i + 1])
    return None


def _order_agrees(claim: list[str], sentence: list[str]) -> bool:
    """Shared content stems come in the same order (a swapped comparison does not)."""
    shared = [w for w in dict.fromkeys(claim) if w in sentence]
    where = {w: sentence.index(w) for w in shared}
    pairs = concordant = 0
    for a in range(len(shared)):
        for b in range(a + 1, len(shared)):
            pairs += 1
            concordant += where[shared[a]] < where[shared[b]]
    return pairs == 0 or concordant / pairs >= 0.7


def opposed(claim: str, sentences: Sequence[str]) -> Opposite | None:
    """The first sentence that says the claim's opposite in other words, or None.

    Args:
        claim: the claim text.
        sentences: evidence sentences.

    Returns:
        An :class:`Opposite` when a sentence holds most of the claim and uses the other pole of
        a scale the claim uses, about the same thing; None otherwise.

    Example:
        >>> o = opposed("Transferred models show only a small gap to English performance.",
        ...             ["There is still a sizable gap between English and the performance of "
        ...              "transferred models."])
        >>> o.claim_word, o.sentence_word
        ('small', 'sizable')
        >>> opposed("The method helps small models.", ["The method helps large models."])
    """
    ct = word_tokens(claim)
    if len(ct) < 3:
        return None
    for scale, one, other, needs_effect in SCALES:
        poles = one | other
        claim_hits = [(i, t) for i, t in enumerate(ct) if t in poles]
        if not claim_hits:
            continue
        claim_sides = {t in one for _, t in claim_hits}
        if len(claim_sides) != 1:
            continue  # the claim itself names both poles
        claim_side_one = claim_sides.pop()
        own, opposite = (one, other) if claim_side_one else (other, one)
        rest = _content(ct, poles)
        if not rest:
            continue
        for sentence in sentences:
            st = word_tokens(sentence)
            if any(t in own for t in st):
                continue
            hits = [(j, t) for j, t in enumerate(st) if t in opposite]
            if not hits:
                continue
            srest = _content(st, poles)
            covered = sum(1 for w in set(rest) if w in srest) / len(set(rest))
            if covered < OPPOSITE_COVERAGE:
                continue
            if (any(t in _COMPARATIVE for t in ct) or any(t in _COMPARATIVE for t in st)) and (
                not _order_agrees(rest, srest)
            ):
                continue
            claim_stems = set(rest)
            for i, cw in claim_hits:
                if _negated_near(ct, i) or (needs_effect and not _modifies_effect(ct, i)):
                    continue
                for j, sw in hits:
                    if _negated_near(st, j) or (needs_effect and not _modifies_effect(st, j)):
                        continue
                    nc, ns = _next_content(ct, i), _next_content(st, j)
                    if nc is not None and ns is not None and nc != ns:
                        continue  # "higher accuracy" / "lower error": two measures
                    if _neighbours(ct, i) & _neighbours(st, j) & claim_stems:
                        return Opposite(sentence, cw, sw, scale)
    return None
