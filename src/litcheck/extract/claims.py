"""Is a sentence a claim, and of which kind; which hedges and which polarity does it carry.

A claim is a declarative sentence that asserts something a reader could check against a paper,
data or the literature: a result, a comparison, what a method does, what a dataset holds, a
background fact, a definition or a limitation. Not claims: questions, headings, keyword lists,
sentences that only organise the paper ("Section 4 describes ...", "Table 2 shows the results",
"In this paper, we study X"), pointers ("see Appendix B", "code is available at ..."),
acknowledgements and plans for future work.

The rules below are cue lists, checked in a fixed order: deterministic and fast (a few
regular expressions per sentence), and each cue is a phrase a reviewer can read and argue with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.extract.vocab import words
from litcheck.models import ClaimKind, Quantity

__all__ = ["SentenceLabel", "classify_sentence", "hedges", "is_english", "polarity"]

_NOT_CLAIM = re.compile(
    r"|".join(
        [
            # organisation of the paper
            r"\b(?:rest|remainder)\s+of\s+(?:the|this)\s+(?:paper|article|section|chapter)",
            r"\bis\s+(?:organi[sz]ed|structured)\s+(?:as\s+follows|in\s+\w+\s+parts)",
            r"^(?:in\s+)?(?:this|the\s+(?:next|following))\s+section,?\s+(?:we\s+)?"
            r"(?:describes?|presents?|introduces?|discuss(?:es)?|reports?|details?|gives?)",
            r"^(?:in\s+)?section\s+\d+(?:\.\d+)*,?\s+(?:we\s+)?(?:describe|present|introduce|discuss"
            r"|report|detail|give|summari[sz]e)",
            r"\b(?:are|is)\s+(?:presented|described|discussed|given|reported|summari[sz]ed|listed)"
            r"\s+in\s+(?:section|appendix|table|figure|the\s+appendix|the\s+supplementary)",
            r"^(?:table|figure|fig\.|tab\.|equation|eq\.)\s+\d+\s+(?:shows?|presents?|lists?|"
            r"summari[sz]es|reports?|plots?|gives?|displays?|illustrates?|depicts?)\s+(?:the|our|an?"
            r"|\w+\s+against)\b(?!.*\bthat\b)",
            r"^(?:table|figure|fig\.)\s+\d+\s*:",
            r"^(?:see|please\s+(?:see|refer)|refer\s+to|for\s+(?:more\s+)?details)",
            r"\bwe\s+refer\s+the\s+reader",
            r"^details\s+(?:are|can\s+be)\s+(?:given|found)",
            r"\b(?:code|data|models?|implementation)(?:\s+and\s+\w+)?\s+(?:is|are|will\s+be)\s+"
            r"(?:publicly\s+|freely\s+)?(?:available|released)",
            r"\bavailable\s+at\s+(?:https?://|www\.)",
            # pointers to what comes next
            r"^(?:we\s+)?(?:now|next|first|then),?\s+(?:we\s+)?(?:turn|discuss|introduce|describe"
            r"|present|define|review|analy[sz]e)\b",
            r"^we\s+(?:now\s+)?turn\s+to\b",
            r"^we\s+describe\s+each\b",
            r"^we\s+answer\s+\w+\s+research\s+questions",
            r"\bwe\s+(?:present|give|provide)\s+the\s+details\s+of\b",
            r"\bwe\s+(?:also\s+)?(?:present|report)\s+the\s+results\s+(?:of|from)\b",
            r"^this\s+(?:paper|article|chapter|work)\s+presents\s+the\s+results\b",
            r"^(?:the|this)\s+(?:paper|article|chapter)\s+(?:gives|presents)\s+(?:a\s+)?(?:brief\s+)?"
            r"(?:presentation|overview|description)",
            # topic statements without content
            r"^(?:as\s+such,?\s+)?(?:in\s+)?this\s+(?:paper|work|article|study|chapter),?\s+(?:we\s+)?"
            r"(?:study|investigate|explore|address|consider|focus\s+on|examine|look\s+at|tackle"
            r"|discuss|analy[sz]e|share|describe)\b",
            r"^(?:as\s+such,?\s+)?in\s+this\s+(?:paper|work|article|study),\s+the\s+(?:objective|aim"
            r"|goal)\s+(?:was|is)\b",
            r"^this\s+(?:paper|article|work|study)\s+presents\s+a\s+study\b",
            r"\bare\s+investigated\s+in\s+this\s+(?:paper|work)",
            r"^the\s+main\s+focus\s+(?:is|was)\s+on\b",
            r"^we\s+(?:consider|study)\s+the\s+(?:problem|question|task)\s+of\b",
            r"\bwe\s+discuss\s+the\s+(?:potential|implications|limitations|promises)\b",
            r"^(?:next|finally|then),?\s+we\s+discuss\b",
            r"^our\s+analysis\s+is\s+organi[sz]ed\b",
            # acknowledgements, declarations, future work
            r"\bwe\s+(?:would\s+like\s+to\s+)?thank\b|^thanks\s+to\b|^acknowledge?ments?\b",
            r"\b(?:was|were|is)\s+(?:partially\s+|partly\s+)?(?:supported|funded)\s+by\b",
            r"\bdeclare\s+no\s+competing\b",
            r"^in\s+future\s+work\b|\bleft\s+for\s+future\s+work|\bleave\s+.{0,60}\s+(?:to|for)"
            r"\s+future\s+work|^future\s+work\s+will\b",
        ]
    ),
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!;]\s*[\"')\]]*\s*$|[,;]\s*(?:and|or)\s*$|-\s*$")

_COMPARISON = re.compile(
    r"\b(?:outperform\w*|surpass\w*|compared\s+(?:to|with)|in\s+comparison|than\b|vs\.?|versus|"
    r"over\s+(?:the\s+)?(?:baseline|vanilla|[\w-]+\s+baseline)|relative\s+to|as\s+\w+\s+as\b|"
    r"indistinguishable\s+from|on\s+par\s+with|"
    r"beats?\b|exceed\w*)",
    re.IGNORECASE,
)
_RESULT = re.compile(
    r"\b(?:we\s+(?:find|found|show|showed|observe|observed|demonstrate|confirm|confirmed|note|"
    r"report|conclude)|results?\s+(?:show|indicate|suggest|demonstrate)|(?:evaluation|experiments?|"
    r"findings|analysis|observations)\s+(?:show|indicate|suggest|reveal)|improv\w+|achiev\w+|"
    r"reach\w*|obtain\w*|yield\w*|gain\w*|drop\w*|degrad\w*|increas\w*|decreas\w*|reduc\w+|"
    r"significant\w*|effective\w*|helps?\b|hurts?\b|remains?\b|falls?\b|rises?\b|valuable|"
    r"resulted\s+in|turns\s+out|consistent\s+with|statistically|best|largest|strongest|"
    r"accuracy|score[sd]?\b)",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"\b(?:is|are)\s+defined\s+as|\bwe\s+define\b|\brefers?\s+to\b|\bdenotes?\b|"
    r"\b(?:is|are)\s+called\b|\bwe\s+call\b|\bis\s+known\s+as\b|^[A-Z][\w\s-]{2,40}\s+"
    r"(?:is|are)\s+(?:a|an)\s+(?:special|particular|type|kind|form|class)\b|"
    r"\binvolves\s+the\b",
    re.IGNORECASE,
)
_LIMITATION = re.compile(
    r"\blimitation|\bdoes\s+not\s+(?:improve|help|generali[sz]e|work|transfer)|\bdo\s+not\s+"
    r"(?:improve|help|generali[sz]e)|\bfails?\s+to\b|\bcannot\b|\bunable\s+to\b|\bnot\s+able\s+to"
    r"|\bmay\s+not\b|\bmight\s+(?:not|be\s+less)|\bless\s+effective|\bis\s+limited|\bhave\s+limited"
    r"|\bonly\s+(?:used|evaluate|consider)|\bunclear\s+whether|\bremains?\s+unclear|"
    r"\bdrawbacks?\b|\bshortcomings?\b|\bweakness|\bseldom\b|\bconstrained\s+to\b|"
    r"\bkey\s+problems?\b|\bpotential\s+risks?\b",
    re.IGNORECASE,
)
_DATASET = re.compile(
    r"\b(?:dataset|corpus|corpora|benchmark|test\s+set|training\s+set|subset|split)s?\b.{0,80}\b"
    r"(?:contains?|consists?|covers?|includes?|comprises?|spans?|has|provides?|extends?|form)\b|"
    r"\b(?:contains?|consists?\s+of|covers?|comprises?|extends?)\b.{0,60}\b(?:languages|"
    r"examples|instances|sentences|pairs|documents|tasks)\b|\bform\s+the\s+\w+\s+subset|"
    r"\bprovide\s+benchmarks?\b|"
    r"\b(?:we\s+)?(?:collect|construct|build|release|create|curate)\w*\s+(?:a\s+)?(?:new\s+)?"
    r"(?:dataset|corpus|benchmark)",
    re.IGNORECASE,
)
_METHOD = re.compile(
    r"\bwe\s+(?:first\s+|then\s+|also\s+)?(?:propose|introduce|present|develop|design|train|"
    r"fine-tune|use|employ|apply|applied|adopt|leverage|build|implement|combine|complement|match"
    r"|selected|select|generated?|performed|perform|conduct\w*|identified|evaluate|construct|"
    r"explicitly|derive|create|rely|model|compute|sample|obtain\s+a|set)\b|"
    r"\b(?:our|the\s+proposed|the\s+presented|this)\s+(?:method|approach|model|framework|"
    r"technique|system|tool|algorithm)\b|\b(?:framework|approach|method|platform|tool)\s+"
    r"(?:allows|uses|utili[sz]es|models|includes|contains|is\s+based|consists|aims|focuses|"
    r"facilitates)\b|\bis\s+set\s+to\b|\bare\s+averaged\s+over\b|\bhave\s+been\s+designed\b|"
    r"\bhas\s+been\s+(?:conducted|built)\b|\bare\s+constructed\b|\bwe\s+\w+ed\b|"
    r"\b(?:trained|fine-tuned)\s+(?:on|for|with)\b|\bis\s+based\s+on\b|\bare\s+reported\s+in\b",
    re.IGNORECASE,
)
_HEDGES = re.compile(
    r"\b(?:may|might|could|can\s+be|suggests?|suggested|suggesting|appears?\s+to|seems?\s+to|"
    r"seemingly|likely|unlikely|possibly|possible|perhaps|potentially|potential|probably|"
    r"presumably|arguably|indicates?|indicated|tends?\s+to|we\s+believe|we\s+hypothesi[sz]e|"
    r"we\s+expect|we\s+conjecture|hypothesi[sz]ed|unclear|approximately|roughly|marginally)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|no|never|neither|nor|none|cannot|without\s+(?:any\s+)?(?:improvement|gain|"
    r"change)|fails?\s+to|did\s+not|does\s+not|do\s+not|is\s+not|are\s+not|indistinguishable)\b|"
    r"n't\b",
    re.IGNORECASE,
)
_NOT_ONLY = re.compile(r"\bnot\s+only\b|\bno\s+(?:more|less)\s+than\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_ENGLISH_FUNCTION_WORDS = frozenset(
    words(
        "the a an of and to in is are was were on for with that this by we our from as be it at "
        "which or than not can has have its these their using show use based into between"
    )
)


# Frequent function words of other Latin-script languages that are not English words.
_FOREIGN_FUNCTION_WORDS = (
    frozenset(
        words(
            "der das und ist nicht mit den dem des ein eine einen sich auf für wird werden von "
            "le la les et est des une du dans pour qui sur pas sont avec "
            "el los las y es que una del por con para como se al lo más "
            "il di che della sono nel alla gli una "
            "os da em não uma são com "
            "het een en van zijn niet met voor op ook"
        )
    )
    - _ENGLISH_FUNCTION_WORDS
)


@dataclass(frozen=True)
class SentenceLabel:
    """What the detector decided about one sentence."""

    is_claim: bool
    kind: ClaimKind | None
    reason: str


def is_english(text: str) -> bool:
    """True unless ``text`` is clearly in another language or script.

    Text in a non-Latin script, or with more function words of German, French, Spanish,
    Italian, Portuguese or Dutch than of English, is not English. Short or jargon-only text
    ("Robust training remarkably improves generalized cross-lingual transfer.") passes.

    Args:
        text: a sentence or a passage.

    Returns:
        False for text in another language or script, and for text with no letters.
    """
    letters = sum(c.isalpha() for c in text)
    if letters == 0:
        return False
    ascii_letters = sum(("a" <= c <= "z") or ("A" <= c <= "Z") for c in text)
    if ascii_letters / letters < 0.6:
        return False
    tokens = [w.lower() for w in _WORD.findall(text)]
    if len(tokens) < 6:
        return True
    english = sum(w in _ENGLISH_FUNCTION_WORDS for w in tokens)
    foreign = sum(w in _FOREIGN_FUNCTION_WORDS for w in tokens)
    return not (foreign > english and foreign >= 2 and foreign / len(tokens) >= 0.1)


def hedges(text: str) -> list[str]:
    """Hedge cues in ``text``, lower-cased, in order, without duplicates (e.g. ['may'])."""
    return list(dict.fromkeys(m.group(0).lower() for m in _HEDGES.finditer(text)))


def polarity(text: str) -> str:
    """'negative' when the sentence negates its statement ("does not improve"), else 'positive'."""
    stripped = _NOT_ONLY.sub(" ", text)
    return "negative" if _NEGATION.search(stripped) else "positive"


def _kind(text: str, quantities: list[Quantity]) -> ClaimKind:
    if _DEFINITION.search(text):
        return ClaimKind.DEFINITION
    if _LIMITATION.search(text):
        return ClaimKind.LIMITATION
    if _COMPARISON.search(text) or any(q.baseline for q in quantities):
        return ClaimKind.COMPARISON
    if _DATASET.search(text):
        return ClaimKind.DATASET
    has_metric = any(q.metric or q.delta is not None for q in quantities)
    if _METHOD.search(text) and not has_metric:
        return ClaimKind.METHOD
    if has_metric or _RESULT.search(text):
        return ClaimKind.RESULT
    return ClaimKind.BACKGROUND


def classify_sentence(text: str, quantities: list[Quantity] | None = None) -> SentenceLabel:
    """Decide whether a sentence is a claim and, if so, its kind.

    Args:
        text: one sentence.
        quantities: the figures parsed from it (they push typing towards result/comparison);
            parsed here when not given.

    Returns:
        A :class:`SentenceLabel` with the reason for a rejection (for debugging and reports).

    Example:
        >>> classify_sentence("Robust training improves accuracy by 2.1 points.").kind
        <ClaimKind.RESULT: 'result'>
    """
    stripped = text.strip()
    if not stripped:
        return SentenceLabel(False, None, "empty")
    if stripped.endswith("?"):
        return SentenceLabel(False, None, "question")
    words = _WORD.findall(stripped)
    if len(words) < 4:
        return SentenceLabel(False, None, "too short")
    if len(stripped) > 1500:
        return SentenceLabel(False, None, "too long for one sentence")
    if not _TERMINAL.search(stripped) and not re.match(r"^\(?[a-z]\)|^\(?[ivx]+\)", stripped):
        if "," in stripped and not re.search(r"\b(?:is|are|was|were|has|have)\b", stripped):
            return SentenceLabel(False, None, "heading or keyword list")
        if stripped[:1].isdigit() or stripped.istitle():
            return SentenceLabel(False, None, "heading")
    if _NOT_CLAIM.search(stripped):
        return SentenceLabel(False, None, "organisational")
    if not is_english(stripped):
        return SentenceLabel(False, None, "not English")
    if quantities is None:
        from litcheck.extract.quantities import parse_quantities

        quantities = parse_quantities(stripped)
    return SentenceLabel(True, _kind(stripped, quantities), "claim")
