"""The default extractor: rule-based, offline, deterministic.

Passages are cut into sentences (by :mod:`litcheck.text`, the project's one splitter), each
sentence is classified (claim or not, and its kind), its hedges, polarity and quantities are
read, and table passages yield one claim per data row. Passages that cannot hold claims (binary
garbage, another language) are skipped with a warning that names the paper; nothing here raises
on bad text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from litcheck.extract.claims import classify_sentence, hedges, is_english, polarity
from litcheck.extract.quantities import parse_quantities
from litcheck.extract.report_table import find_arxiv_ids
from litcheck.extract.tables import table_rows
from litcheck.models import Claim, ClaimKind, Paper, Passage
from litcheck.text import sentence_spans

__all__ = ["EXTRACTOR", "MAX_SENTENCE_CHARS", "extract_claims", "looks_binary"]

EXTRACTOR = "offline/1"
MAX_SENTENCE_CHARS = 1500

Warn = Callable[[str], None]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def looks_binary(text: str) -> bool:
    """True when ``text`` is mostly control characters or replacement characters (garbage)."""
    if not text:
        return False
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    return bad / len(sample) > 0.05


def _ignore(_: str) -> None:
    return None


def _claims_from_table(
    paper: Paper, passage: Passage, extractor: str, version_id: str
) -> list[Claim]:
    out: list[Claim] = []
    for row in table_rows(passage.text):
        if not row.quantities and not any(ch.isalpha() for ch in row.text):
            continue
        out.append(
            Claim(
                id=Claim.make_id(version_id, extractor, row.text),
                text=row.text,
                paper_id=paper.arxiv_id,
                paper_version=paper.version,
                section=passage.section_title,
                passage_id=passage.id,
                span=(row.start, row.end),
                kind=ClaimKind.RESULT,
                quantities=row.quantities,
                extractor=extractor,
                context=row.context,
            )
        )
    return out


def _claims_from_text(
    paper: Paper, passage: Passage, extractor: str, version_id: str, warn: Warn
) -> list[Claim]:
    out: list[Claim] = []
    overlong = 0
    for start, end in sentence_spans(passage.text):
        sentence = passage.text[start:end]
        if len(sentence) > MAX_SENTENCE_CHARS:
            overlong += 1
            continue
        quantities = parse_quantities(sentence)
        label = classify_sentence(sentence, quantities)
        if not label.is_claim or label.kind is None:
            continue
        out.append(
            Claim(
                id=Claim.make_id(version_id, extractor, sentence),
                text=sentence,
                paper_id=paper.arxiv_id,
                paper_version=paper.version,
                section=passage.section_title,
                passage_id=passage.id,
                span=(start, end),
                kind=label.kind,
                polarity="negative" if polarity(sentence) == "negative" else "positive",
                hedging=hedges(sentence),
                quantities=quantities,
                cites=find_arxiv_ids(sentence),
                extractor=extractor,
            )
        )
    if overlong:
        warn(
            f"paper {paper.arxiv_id}: passage {passage.id} has {overlong} run(s) of over "
            f"{MAX_SENTENCE_CHARS} characters without a sentence end; skipped them."
        )
    return out


def extract_claims(
    paper: Paper,
    passages: Sequence[Passage],
    *,
    extractor: str = EXTRACTOR,
    on_warning: Warn | None = None,
) -> list[Claim]:
    """Extract the claims of one paper from its passages, offline and deterministically.

    Args:
        paper: the paper (its id and version make the claim ids stable).
        passages: its passages, e.g. ``Library.passages([paper.arxiv_id])``.
        extractor: the name and version stored with every claim (``offline/1``).
        on_warning: called with one line per problem (no passages, garbage, other language);
            the paper is named in every line.

    Returns:
        Claims in passage order, without duplicate ids; an empty list when nothing usable was
        found (never raises on bad text).

    Example:
        >>> from litcheck.library import make_passages  # doctest: +SKIP
        >>> claims = extract_claims(paper, make_passages(paper))  # doctest: +SKIP
    """
    warn = on_warning or _ignore
    if not passages:
        warn(f"paper {paper.arxiv_id} has no passages; nothing extracted.")
        return []
    version_id = paper.versioned_id
    claims: dict[str, Claim] = {}
    skipped_language = 0
    for passage in passages:
        text = passage.text
        if not text.strip():
            continue
        if looks_binary(text):
            warn(f"paper {paper.arxiv_id}: passage {passage.id} looks like binary data; skipped.")
            continue
        try:
            if passage.kind == "table" or _looks_like_table(text):
                found = _claims_from_table(paper, passage, extractor, version_id)
            elif not is_english(text[:5000]):
                skipped_language += 1
                continue
            else:
                found = _claims_from_text(paper, passage, extractor, version_id, warn)
        except (ValueError, IndexError, RecursionError) as exc:
            # A malformed passage must not cost the paper's other claims.
            warn(
                f"paper {paper.arxiv_id}: passage {passage.id} could not be read "
                f"({type(exc).__name__}: {exc}); skipped."
            )
            continue
        for claim in found:
            claims.setdefault(claim.id, claim)
    if skipped_language:
        warn(
            f"paper {paper.arxiv_id}: {skipped_language} passage(s) not in English; skipped "
            "(the offline extractor reads English only)."
        )
    return list(claims.values())


def _looks_like_table(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(lines) >= 2 and sum(" | " in ln for ln in lines) >= max(2, len(lines) // 2)
