"""The summary of a synthesis report: the question answered in sentences, claims cited by number.

The summary is extractive (it quotes the claims; it never invents a finding) and says, in this
order:

1. what other papers corroborate (the most relevant corroborated claims, each with the paper
   that states it and the paper that corroborates it);
2. what is contested (claims another paper contradicts, and pairs of claims that fill the same
   slot with incompatible figures);
3. which parts of the question no corroborated claim addresses (the question's key phrases
   matched against the claims), and how many claims rest on their own paper only.

Counts of papers and claims belong to the method section, not here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from litcheck.report.models import Contradiction, ReportClaim
from litcheck.report.query import ExpandedQuery, stem

#: Most claims quoted per kind, so the summary stays a paragraph (and the claims table stays
#: within the first screen of the HTML).
QUOTED = 3
QUOTE_CHARS = 120


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _numbers(ns: Sequence[int]) -> str:
    """'claim 3', 'claims 3 and 5', 'claims 3, 5 and 8'."""
    if len(ns) == 1:
        return f"claim {ns[0]}"
    return "claims " + ", ".join(str(n) for n in ns[:-1]) + f" and {ns[-1]}"


def _papers(ps: Sequence[str]) -> str:
    ps = list(dict.fromkeys(ps))
    return ps[0] if len(ps) == 1 else ", ".join(ps[:-1]) + " and " + ps[-1]


def _phrase_hits(query: ExpandedQuery, text: str) -> set[str]:
    words = {stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())}
    hits: set[str] = set()
    for phrase in query.phrases:
        names = [phrase, *query.synonyms.get(phrase, [])]
        for name in names:
            stems = {stem(w) for w in re.split(r"[\s-]+", name.lower()) if w}
            if stems and stems <= words:
                hits.add(phrase)
                break
    return hits


def summarize(
    query: ExpandedQuery,
    rows: Sequence[ReportClaim],
    contradictions: Sequence[Contradiction],
) -> list[str]:
    """The summary sentences of a report.

    Args:
        query: the expanded question (its key phrases say what the question asks about).
        rows: the claims table, in order (numbers are 1-based positions).
        contradictions: the slot contradictions between papers.

    Returns:
        Sentences, in reading order; one sentence when nothing could be checked.

    Example:
        >>> summarize(expand_query("How does robust training change transfer?"), rows, [])[0]
        'Claim 3 is corroborated by another paper: “…” (stated in 2104.08645; corroborated by …).'
    """
    if not rows:
        return [
            "No claim relevant to the question could be extracted from the papers found, so the "
            "question is not answered here."
        ]
    numbered = list(enumerate(rows, 1))
    out: list[str] = []
    corroborated = [(i, r) for i, r in numbered if r.standing == "corroborated"]
    for i, r in corroborated[:QUOTED]:
        out.append(
            f"Claim {i} is corroborated by another paper: “{_shorten(r.claim)}” (stated in "
            f"{r.source}; corroborated by {_papers(r.corroborated_by)})."
        )
    if len(corroborated) > QUOTED:
        rest = [i for i, _ in corroborated[QUOTED:]]
        out.append(f"{_numbers(rest).capitalize()} {'is' if len(rest) == 1 else 'are'} too.")
    in_slots = {n for c in contradictions for n in (c.first.row, c.second.row) if n is not None}
    contradicted = [(i, r) for i, r in numbered if r.standing == "contradicted"]
    alone = [(i, r) for i, r in contradicted if i not in in_slots]
    for i, r in alone[:QUOTED]:
        out.append(
            f"Claim {i} is contested: “{_shorten(r.claim)}” ({r.source}) is contradicted by "
            f"{_papers(r.contradicted_by)}."
        )
    if len(alone) > QUOTED:
        rest = [i for i, _ in alone[QUOTED:]]
        out.append(
            f"{_numbers(rest).capitalize()} {'is' if len(rest) == 1 else 'are'} contradicted "
            "by another paper too."
        )
    for c in contradictions[:QUOTED]:
        cited = [n for n in (c.first.row, c.second.row) if n is not None]
        who = _numbers(cited).capitalize() if len(cited) == 2 else "Two claims"
        out.append(
            f"{who} contradict each other on {c.slot}: {c.first.figure} ({c.first.paper}) "
            f"against {c.second.figure} ({c.second.paper})."
        )
    if len(contradictions) > QUOTED:
        out.append(
            f"{len(contradictions) - QUOTED} more pair(s) of claims contradict each other "
            "(see the contradictions)."
        )
    if not corroborated and not contradicted and not contradictions:
        out.append(
            "No claim is corroborated or contradicted by another paper: every relevant claim "
            "rests on its own paper only, so the papers found do not answer the question "
            "independently."
        )
    covered: set[str] = set()
    anywhere: set[str] = set()
    for r in rows:
        hits = _phrase_hits(query, r.claim)
        anywhere |= hits
        if r.standing == "corroborated":
            covered |= hits
    unanswered = [p for p in query.phrases if p not in covered]
    if unanswered and (corroborated or contradicted):
        never = [p for p in unanswered if p not in anywhere]
        only_single = [p for p in unanswered if p in anywhere]
        parts = []
        if only_single:
            parts.append(
                "single-source or contested claims alone speak to "
                + ", ".join(f"“{p}”" for p in only_single)
            )
        if never:
            parts.append("no claim at all addresses " + ", ".join(f"“{p}”" for p in never))
        out.append("Not answered independently: " + "; ".join(parts) + ".")
    elif unanswered:
        never = [p for p in unanswered if p not in anywhere]
        if never:
            out.append("No claim addresses " + ", ".join(f"“{p}”" for p in never) + ".")
    single = [i for i, r in numbered if r.standing == "single source"]
    if single and (corroborated or contradicted):
        out.append(
            "The remaining claim rests on its own paper only (single source)."
            if len(single) == 1
            else f"The other {len(single)} claims rest on their own paper only (single source)."
        )
    return out
