"""Can each cited paper bear on its claim? Topic similarity plus evidence use, per citation.

For a claim and the papers it cites, :func:`check_citations` measures, per paper:

- **topic similarity** of the claim to the paper's title + abstract: cosine of sentence
  embeddings when an embedder is given, else a TF-IDF cosine (IDF from the library's
  passage document frequencies, stemmed words, stopwords dropped);
- **evidence use**: how many of the verdict's evidence sentences come from that paper.

A citation is ``grounded`` when evidence came from it and it is on topic (evidence from an
off-topic paper is flagged: the verdict resting on it is suspect). Pass the evidence of
decisive verdicts only: a NOT_ENOUGH_INFO verdict's sentences were retrieved, not used.
Otherwise a citation is ``flagged`` (it cannot bear on the claim) when its similarity is below
the threshold, or when the claim states a
figure on a dataset (``parse_quantities``) that the paper's stored text (title, abstract and
passages) never names: a paper cannot bear on a benchmark figure for a benchmark it never
mentions. Else it is ``on-topic``; ``unavailable`` when the paper is not in the library.

Thresholds (:data:`EMBEDDING_THRESHOLD`, :data:`TFIDF_THRESHOLD`) were chosen on data built
for the purpose, by ``python benchmarks/bench_citations.py`` (reports/benchmarks/citations.md):
SciFact dev claims against the abstracts they cite (on topic) and against random abstracts
(off topic), plus hand-written NLP claims against short descriptions of related and unrelated
papers. Each threshold is the largest value (0.01 grid) that flags at most 2.5% of the SciFact
on-topic citations: embedding 0.26 (flags 90% of random SciFact abstracts), TF-IDF 0.01 (77%).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from litcheck.errors import NotFoundError
from litcheck.extract.quantities import parse_quantities
from litcheck.library import Library
from litcheck.library.store import STOPWORDS
from litcheck.models import Evidence

#: Cosine (all-MiniLM-L6-v2) below which a citation without evidence is flagged.
EMBEDDING_THRESHOLD = 0.26
#: TF-IDF cosine below which a citation without evidence is flagged.
TFIDF_THRESHOLD = 0.01

CitationStatus = Literal["grounded", "on-topic", "flagged", "unavailable"]


class TextEmbedder(Protocol):
    """Anything with ``encode(texts) -> (n, dim)`` unit rows (e.g. verify.embed.Embedder)."""

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Encode texts into unit-length rows."""
        ...


class CitationCheck(BaseModel):
    """Whether one cited paper can bear on one claim, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim_id: str | None = None
    claim: str
    paper: str = Field(description="The cited paper's library key (arXiv id without version).")
    title: str | None = Field(default=None, description="The paper's title, when stored.")
    similarity: float | None = Field(
        default=None, description="Topic similarity of the claim to title + abstract."
    )
    method: Literal["embedding", "tfidf"] | None = None
    threshold: float | None = None
    evidence_used: int = Field(default=0, ge=0, description="Evidence sentences from this paper.")
    status: CitationStatus
    reason: str

    @property
    def flagged(self) -> bool:
        """True when the citation cannot bear on the claim."""
        return self.status == "flagged"


_WORD = re.compile(r"[a-z][a-z0-9\-]+|\d+(?:\.\d+)?")
_STOP = STOPWORDS | frozenset(
    {
        "show",
        "shows",
        "shown",
        "paper",
        "propose",
        "proposed",
        "study",
        "results",
        "result",
        "approach",
        "method",
        "methods",
        "based",
        "new",
        "two",
        "one",
        "however",
        "improve",
        "improves",
        "improved",
    }
)


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


def tfidf_similarity(a: str, b: str, df: dict[str, int] | None = None, n_docs: int = 0) -> float:
    """TF-IDF cosine of two texts.

    Args:
        a: first text (the claim).
        b: second text (title + abstract).
        df: document frequency per stemmed term (missing terms count as rare).
        n_docs: number of documents ``df`` was counted over (0: every term weighs 1).

    Returns:
        Cosine in [0, 1].
    """
    ta, tb = Counter(_terms(a)), Counter(_terms(b))
    if not ta or not tb:
        return 0.0

    def idf(term: str) -> float:
        if not n_docs or df is None:
            return 1.0
        return math.log((n_docs + 1) / (df.get(term, 0) + 1)) + 1.0

    wa = {t: (1 + math.log(c)) * idf(t) for t, c in ta.items()}
    wb = {t: (1 + math.log(c)) * idf(t) for t, c in tb.items()}
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    na = math.sqrt(sum(w * w for w in wa.values()))
    nb = math.sqrt(sum(w * w for w in wb.values()))
    return float(dot / (na * nb)) if na and nb else 0.0


def _library_df(library: Library, texts: Sequence[str]) -> tuple[dict[str, int], int]:
    # The library counts FTS tokens (unstemmed); a stem takes its surface form's count.
    surface: dict[str, str] = {}
    for text in texts:
        for word in _WORD.findall(text.lower()):
            surface.setdefault(_stem(word), word)
    counts, n = library.term_document_frequency([w for w in surface.values()])
    return {stem: counts[w] for stem, w in surface.items() if w in counts}, n


def _base(paper_id: str) -> str:
    return (
        re.sub(r"v\d+$", "", paper_id.strip())
        if re.match(r"^\d{4}\.\d{4,5}v\d+$", paper_id.strip())
        else paper_id.strip()
    )


def check_citations(
    claim_text: str,
    cited_paper_ids: Sequence[str],
    library: Library,
    evidence: Sequence[Evidence],
    embedder: TextEmbedder | None = None,
    *,
    claim_id: str | None = None,
    threshold: float | None = None,
) -> list[CitationCheck]:
    """Check that each cited paper can bear on the claim.

    Args:
        claim_text: the claim.
        cited_paper_ids: library keys of the cited papers (arXiv ids; versions are dropped).
        library: where the papers' titles and abstracts are read.
        evidence: the evidence sentences the verifier used for this claim.
        embedder: sentence embedder for topic similarity; TF-IDF when ``None``.
        claim_id: carried into each result.
        threshold: override of the flagging threshold (default per method, see module doc).

    Returns:
        One :class:`CitationCheck` per distinct cited paper, in the order cited.

    Example:
        >>> checks = check_citations("Robust training improves PAWS-X by 2.1 points.",
        ...                          ["2104.08645", "2508.11281"], lib, verdict.evidence)
        >>> [(c.paper, c.status) for c in checks]
        [('2104.08645', 'grounded'), ('2508.11281', 'flagged')]
    """
    used = Counter(_base(e.paper) for e in evidence)
    ids = list(dict.fromkeys(_base(p) for p in cited_paper_ids if p.strip()))
    texts: dict[str, tuple[str, str]] = {}
    out: dict[str, CitationCheck] = {}
    for pid in ids:
        try:
            paper = library.get_paper(pid, with_sections=False)
        except NotFoundError:
            out[pid] = CitationCheck(
                claim_id=claim_id,
                claim=claim_text,
                paper=pid,
                evidence_used=used[pid],
                status="grounded" if used[pid] else "unavailable",
                reason=f"{used[pid]} evidence sentence(s) came from it"
                if used[pid]
                else "not in the library: its topic could not be compared",
            )
            continue
        body = f"{paper.title}. {paper.abstract}".strip()
        if not paper.abstract.strip():
            passages = library.passages([pid])[:3]
            body = " ".join([paper.title, *(p.text for p in passages)])
        texts[pid] = (paper.title, body)
    method: Literal["embedding", "tfidf"] = "embedding" if embedder is not None else "tfidf"
    limit = (
        threshold
        if threshold is not None
        else (EMBEDDING_THRESHOLD if embedder is not None else TFIDF_THRESHOLD)
    )
    datasets = sorted({q.dataset for q in parse_quantities(claim_text) if q.dataset})
    sims: dict[str, float] = {}
    if texts:
        keys = list(texts)
        if embedder is not None:
            vecs = embedder.encode([claim_text, *(texts[k][1] for k in keys)])
            sims = {k: float(vecs[i + 1] @ vecs[0]) for i, k in enumerate(keys)}
        else:
            df, n = _library_df(library, [claim_text, *(texts[k][1] for k in keys)])
            sims = {k: tfidf_similarity(claim_text, texts[k][1], df, n) for k in keys}
    for pid in ids:
        if pid in out:
            continue
        title, body = texts[pid]
        sim = sims[pid]
        n_used = used[pid]
        if n_used and sim < limit:
            status: CitationStatus = "flagged"
            reason = (
                f"off topic ({method} similarity {sim:.2f} < {limit:.2f}) although "
                f"{n_used} evidence sentence(s) came from it: a verdict resting on it is suspect"
            )
        elif n_used:
            status = "grounded"
            reason = f"{n_used} evidence sentence(s) came from it (similarity {sim:.2f})"
        elif len(body) <= len(title) + 2 and not title:
            status, reason = "unavailable", "no title or text stored to compare"
        elif sim >= limit and (absent := _unmentioned(datasets, library, pid, body)):
            status = "flagged"
            names, where = absent
            reason = (
                f"cannot bear on the claim: it states a figure on {names}, which the paper's "
                f"stored text ({where}) never names, and no passage of it was used as evidence "
                f"({method} similarity {sim:.2f})"
            )
        elif sim >= limit:
            status = "on-topic"
            reason = (
                f"on topic ({method} similarity {sim:.2f} >= {limit:.2f}) but no passage of it "
                "was used as evidence"
            )
        else:
            status = "flagged"
            reason = (
                f"cannot bear on the claim: {method} similarity of the claim to its title and "
                f"abstract is {sim:.2f} (< {limit:.2f}) and no passage of it was used as evidence"
            )
        out[pid] = CitationCheck(
            claim_id=claim_id,
            claim=claim_text,
            paper=pid,
            title=title,
            similarity=round(sim, 4),
            method=method,
            threshold=limit,
            evidence_used=n_used,
            status=status,
            reason=reason,
        )
    return [out[p] for p in ids]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _unmentioned(
    datasets: Sequence[str], library: Library, paper_id: str, body: str
) -> tuple[str, str] | None:
    """(datasets never named, which text was searched) or ``None`` when all are named."""
    if not datasets:
        return None
    passages = library.passages([paper_id])
    text = _squash(" ".join([body, *(p.text for p in passages)]))
    missing = [d for d in datasets if _squash(d) and _squash(d) not in text]
    if not missing:
        return None
    full = any(p.kind != "abstract" for p in passages)
    return ", ".join(missing), "full text" if full else "title and abstract only"


def flagged_citations(checks: Sequence[Sequence[CitationCheck]]) -> list[CitationCheck]:
    """Every flagged citation of a report, claim by claim (see :func:`check_citations`)."""
    return [c for per_claim in checks for c in per_claim if c.flagged]


def reference_summary(checks: Sequence[Sequence[CitationCheck]]) -> list[dict[str, object]]:
    """Per cited paper: how many claims it was checked for, and the status counts.

    A paper flagged for every claim it was checked against bears on none of them (the case of a
    reference list padded with unrelated papers).

    Returns:
        One dict per paper (``paper``, ``title``, ``claims``, ``grounded``, ``on_topic``,
        ``flagged``, ``unavailable``, ``bears_on_none``), in first-cited order.
    """
    rows: dict[str, dict[str, object]] = {}
    for per_claim in checks:
        for c in per_claim:
            row = rows.setdefault(
                c.paper,
                {
                    "paper": c.paper,
                    "title": c.title,
                    "claims": 0,
                    "grounded": 0,
                    "on_topic": 0,
                    "flagged": 0,
                    "unavailable": 0,
                },
            )
            row["claims"] = int(str(row["claims"])) + 1
            key = c.status.replace("-", "_")
            row[key] = int(str(row[key])) + 1
    for row in rows.values():
        row["bears_on_none"] = row["flagged"] == row["claims"] and row["claims"] != 0
    return list(rows.values())


def citations_markdown(checks: Sequence[Sequence[CitationCheck]], title: str) -> str:
    """A Markdown list of the flagged and unavailable citations, with reasons.

    Args:
        checks: per claim, its citation checks.
        title: heading of the section.

    Returns:
        Markdown text (a heading, counts, and one table row per flagged citation).
    """
    flat = [c for per in checks for c in per]
    counts = Counter(c.status for c in flat)
    lines = [
        f"## {title}",
        "",
        "Citations checked: "
        + (
            ", ".join(
                f"{k} {counts[k]}" for k in ("grounded", "on-topic", "flagged", "unavailable")
            )
            if flat
            else "none (no claim cites a paper)"
        ),
        "",
    ]
    flagged = [c for c in flat if c.flagged]
    if flagged:
        lines += ["| claim | cited paper | similarity | reason |", "|---|---|---|---|"]
        for c in flagged:
            claim = c.claim.replace("|", "\\|")
            paper = (f"{c.paper} ({c.title})" if c.title else c.paper).replace("|", "\\|")
            sim = "" if c.similarity is None else f"{c.similarity:.2f}"
            lines.append(f"| {claim} | {paper} | {sim} | {c.reason} |")
    else:
        lines.append("No citation flagged.")
    summary = reference_summary(checks)
    if summary:
        lines += [
            "",
            "Per cited paper:",
            "",
            "| paper | claims | grounded | on topic | flagged | unavailable | verdict |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in summary:
            title = f" ({r['title']})" if r["title"] else ""
            verdict = "bears on none of its claims" if r["bears_on_none"] else ""
            lines.append(
                f"| {r['paper']}{title} | {r['claims']} | {r['grounded']} | {r['on_topic']} | "
                f"{r['flagged']} | {r['unavailable']} | {verdict} |"
            )
    missing = sorted({c.paper for c in flat if c.status == "unavailable"})
    if missing:
        lines += ["", "Not in the library (not compared): " + ", ".join(missing)]
    return "\n".join(lines) + "\n"
