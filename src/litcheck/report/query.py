"""Query expansion: from a research question to arXiv queries and library keyword queries.

The question's key terms are its content words and the phrases they form (runs of content
words, hyphenated compounds kept whole); a small table of field synonyms adds the other names a
paper may use for the same idea ("robust training" -> "adversarial training", "cross-lingual"
-> "multilingual"). The queries go from narrow (every key phrase) to broad (pairs of the top
phrases, then each phrase with its synonyms), so a question that is too specific still finds
papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_STOPWORDS_TEXT = """
a an the of in on at to for from by with without into onto over under than then and or nor
but if so as is are was were be been being do does did done has have had having can could
may might must shall should will would how what which who whom whose why when where whether
this that these those there here it its it's their them they we our you your i me my he she
his her vs versus via per about across between among such other another more most less least
very much many few some any each every all both either neither not no yes also only just
change changes changed affect affects effect effects impact impacts vary varies varying
compare compared comparing comparison differ differs different performed perform performs
measured measure using use used based when versus e.g i.e etc like especially
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

#: Other names papers use for the same idea; keys and values are lower-case phrases.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "cross-lingual": ("multilingual", "crosslingual"),
    "multilingual": ("cross-lingual",),
    "zero-shot": ("zero shot",),
    "robust training": ("adversarial training", "randomized smoothing"),
    "robustness": ("robust", "adversarial"),
    "robust": ("robustness", "adversarial"),
    "adversarial training": ("robust training",),
    "randomized smoothing": ("robust training", "certified robustness"),
    "fine-tuning": ("finetuning", "fine tuning"),
    "intermediate fine-tuning": ("intermediate task training", "intermediate training"),
    "transfer": ("transfer learning",),
    "language model": ("pretrained language model", "encoder"),
    "llm": ("large language model",),
    "large language model": ("llm",),
    "nli": ("natural language inference",),
    "natural language inference": ("nli", "entailment"),
    "paraphrase": ("paraphrase identification", "paws-x"),
}

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class ExpandedQuery:
    """The key terms of a question and the queries built from them.

    Attributes:
        question: the question as asked.
        terms: content words, in order, lower-cased.
        phrases: key phrases (runs of content words), most specific first.
        synonyms: phrase -> other names for it.
    """

    question: str
    terms: list[str]
    phrases: list[str]
    synonyms: dict[str, list[str]] = field(default_factory=dict)

    def arxiv_queries(self, limit: int = 4) -> list[str]:
        """arXiv API queries (``all:"..."`` terms joined by AND/OR), narrow to broad.

        Args:
            limit: most queries to return.

        Returns:
            Distinct queries; empty when the question has no key terms.
        """
        if not self.phrases:
            return []

        def term(p: str) -> str:
            return f'all:"{p}"' if " " in p or "-" in p else f"all:{p}"

        def either(p: str) -> str:
            names = [p, *self.synonyms.get(p, [])]
            if len(names) == 1:
                return term(p)
            return "(" + " OR ".join(term(n) for n in names) + ")"

        top = self.phrases[:4]
        queries = [" AND ".join(term(p) for p in top)]
        if len(top) > 1:
            queries.append(" AND ".join(either(p) for p in top[:3]))
        if len(top) > 2:
            queries.append(" AND ".join(either(p) for p in top[:2]))
        queries.append(either(top[0]) if len(top) == 1 else " AND ".join(term(p) for p in top[:2]))
        return _dedupe(queries)[:limit]

    def keyword_queries(self) -> list[str]:
        """Plain keyword queries for the library's full-text search, narrow to broad."""
        if not self.phrases:
            return []
        queries = [" ".join(self.phrases)]
        for p in self.phrases[:4]:
            queries.append(" ".join([p, *self.synonyms.get(p, [])]))
        return _dedupe(queries)

    def keywords(self) -> set[str]:
        """Lower-case words of the key terms and their synonyms (for keyword relevance)."""
        words: set[str] = set()
        for p in [*self.phrases, *(s for v in self.synonyms.values() for s in v)]:
            words.update(w for w in re.split(r"[\s]+", p) if w)
        return {stem(w) for w in words}


def stem(word: str) -> str:
    """A light suffix stripper so 'languages'/'language', 'training'/'trained' meet."""
    w = word.lower()
    for suffix in ("ations", "ation", "ings", "ing", "ness", "ies", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def expand_query(question: str) -> ExpandedQuery:
    """Find the key terms of a question and the synonyms of its phrases.

    Args:
        question: a research question in plain English.

    Returns:
        The expanded query (see :class:`ExpandedQuery`).

    Example:
        >>> q = expand_query("How does robust training change zero-shot cross-lingual transfer?")
        >>> q.phrases[:2]
        ['robust training', 'zero-shot cross-lingual transfer']
    """
    text = re.sub(r"\([^)]*\)", lambda m: " , " + m.group(0)[1:-1] + " , ", question)
    runs: list[list[str]] = [[]]
    for m in re.finditer(_TOKEN.pattern + r"|[,.;:?!]", text):
        tok = m.group(0)
        low = tok.lower()
        if low in STOPWORDS or not re.match(r"[A-Za-z0-9]", tok) or low.isdigit():
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(low)
    runs = [r for r in runs if r]
    terms = _dedupe([w for r in runs for w in r])
    phrases: list[str] = []
    for r in runs:
        # Long runs are split into pieces of at most three words (arXiv phrase search is exact).
        for start in range(0, len(r), 3):
            phrases.append(" ".join(r[start : start + 3]))
    phrases = _dedupe(phrases)
    synonyms: dict[str, list[str]] = {}
    for p in phrases:
        found: list[str] = []
        # The most specific key first: 'intermediate fine-tuning' before 'fine-tuning'.
        for key, names in sorted(SYNONYMS.items(), key=lambda kv: -len(kv[0])):
            if re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", p):
                found.extend(n for n in names if n not in p)
        if found:
            synonyms[p] = _dedupe(found)[:3]
    return ExpandedQuery(question=question.strip(), terms=terms, phrases=phrases, synonyms=synonyms)


def _dedupe(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)
