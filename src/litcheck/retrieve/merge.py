"""Merge the records several sources return for one paper into one paper record.

Two records are the same paper when (checked in this order):

1. **DOI**: they share a DOI (arXiv's own DOIs, ``10.48550/arXiv.<id>``, count as arXiv ids);
2. **arXiv id**: they share an arXiv id (version ignored);
3. **title + year**: their titles match after normalisation, their years differ by at most one
   (preprint vs venue) or one is missing, and their authors are compatible. Titles *match* when
   their normalised keys are equal (case, punctuation, accents, HTML/LaTeX markup, ``&``/and and
   hyphenation ignored), or differ only by spelling variants of long words (``normalisation`` /
   ``normalization``: at most two words, edit distance at most 2, no digits), or one is the
   other without its subtitle (not when the subtitle is a part, volume, erratum, reply, ...).
   Authors are *compatible* when either list is empty, or the lists share an author (surname
   plus first initial, so ``K. Huang`` = ``Huang, Kuan-Hao`` but ``Wei Zhang`` != ``Yuan
   Zhang``) and the first authors agree or at least half of the shorter list is shared. Titles
   under four words (and a one-word main title) need both author lists, sharing the first
   author; a generic title (``Editorial``, ``Introduction``, ...) or a one-word title is never
   matched on its title alone.

Never merged, whatever the titles say: two different non-arXiv DOIs, two different arXiv ids
(within the whole merged group, so a chain of matches cannot join them either). A title
match joins two groups only when every pair of records across them has matching titles,
compatible years and, where both list authors, compatible authors (so a short title such as
``BERT`` cannot join ``BERT: ... Part I`` to ``BERT: ... Part II``).

Conflicting metadata is resolved by a fixed priority, and every conflict is recorded with the
values each source gave and the rule applied (:data:`FIELD_PRIORITY`):

- title, authors, abstract: arXiv, then Semantic Scholar, then OpenAlex (the authors' own text
  first; OpenAlex rebuilds abstracts from an index and keeps publisher casing);
- year, venue: Semantic Scholar, then OpenAlex, then arXiv (the version of record's year and
  venue; arXiv's year is the preprint's and its venue the authors' journal reference);
- DOI: a venue DOI before arXiv's own DOI; among venue DOIs OpenAlex, then S2, then arXiv;
- citation count: the largest count any source reports (sources differ in coverage).

Example:
    >>> papers = merge_records(arxiv_records + openalex_records + s2_records)
    >>> [(p.key, p.sources, [c.field for c in p.conflicts]) for p in papers]
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from litcheck.library import Library
from litcheck.library.store import PaperMeta
from litcheck.models import Paper
from litcheck.retrieve.sources.base import (
    ARXIV_DOI_PREFIX,
    SourceRecord,
    arxiv_id_from_doi,
    ascii_fold,
)

SOURCE_ORDER_TEXT = ("arxiv", "s2", "openalex")
SOURCE_ORDER_VENUE = ("s2", "openalex", "arxiv")
SOURCE_ORDER_DOI = ("openalex", "s2", "arxiv")

#: Which source wins a conflict, per field (documented in the module docstring).
FIELD_PRIORITY: dict[str, str] = {
    "title": "arxiv > s2 > openalex",
    "authors": "arxiv > s2 > openalex",
    "abstract": "arxiv > s2 > openalex",
    "year": "s2 > openalex > arxiv",
    "venue": "s2 > openalex > arxiv",
    "doi": "venue DOI before arXiv DOI; openalex > s2 > arxiv",
    "citation_count": "largest count",
}
#: Longest year gap between two records of one paper (preprint vs venue).
MAX_YEAR_GAP = 1

MatchRule = Literal["doi", "arxiv id", "title+year", "title spelling+year", "title subtitle+year"]


class MetadataConflict(BaseModel):
    """Sources that disagree on one field, and what was kept."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    values: dict[str, str] = Field(description="What each source said, keyed 'source:id'.")
    chosen: str
    rule: str
    kind: Literal["formatting", "content"] = Field(
        description="'formatting' when the values differ only in case, punctuation or accents."
    )


class MergedPaper(BaseModel):
    """One paper, merged from the records of one or more sources."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(
        description="Library key: the arXiv id, else 'doi:<doi>', else 'openalex:W..' / 's2:..'."
    )
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    published: date | None = None
    abstract: str = ""
    doi: str | None = None
    arxiv_id: str | None = None
    openalex_id: str | None = None
    s2_id: str | None = None
    venue: str | None = None
    citation_count: int | None = None
    sources: list[str] = Field(description="Sources that returned the paper, in priority order.")
    records: list[SourceRecord] = Field(description="The source records merged.")
    matched_by: list[str] = Field(default_factory=list, description="Rules that joined records.")
    conflicts: list[MetadataConflict] = Field(default_factory=list)

    def to_paper(self) -> Paper:
        """The library :class:`Paper` (the arXiv record's, with DOI and venue filled in)."""
        arxiv_paper = next((r.paper for r in self.records if r.paper is not None), None)
        if arxiv_paper is not None:
            return arxiv_paper.model_copy(
                update={
                    "doi": arxiv_paper.doi or self.venue_doi,
                    "journal_ref": arxiv_paper.journal_ref or self.venue,
                }
            )
        published = self.published or (date(self.year, 1, 1) if self.year else None)
        return Paper(
            arxiv_id=self.key,
            title=self.title,
            authors=list(self.authors),
            abstract=self.abstract,
            published=datetime(published.year, published.month, published.day, tzinfo=UTC)
            if published
            else None,
            doi=self.doi,
            journal_ref=self.venue,
        )

    @property
    def venue_doi(self) -> str | None:
        """The DOI when it is a venue DOI (not arXiv's own)."""
        return self.doi if self.doi and not self.doi.startswith(ARXIV_DOI_PREFIX) else None


def paper_key(
    arxiv_id: str | None, doi: str | None, openalex_id: str | None = None, s2_id: str | None = None
) -> str:
    """The library key of a paper: its arXiv id, else ``doi:...``, else a source id.

    Raises:
        ValueError: when no identifier is given.
    """
    if arxiv_id:
        return arxiv_id
    if doi:
        return f"doi:{doi}"
    if openalex_id:
        return f"openalex:{openalex_id}"
    if s2_id:
        return f"s2:{s2_id}"
    raise ValueError("a paper needs at least one identifier")


# -- normalisation --------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_LATEX_CMD = re.compile(r"\\([a-zA-Z]+)\s*")
#: LaTeX commands that only format their argument (dropped; other names, e.g. alpha, are kept).
_LATEX_FORMAT = frozenset(
    [
        "emph",
        "textbf",
        "textit",
        "texttt",
        "textsc",
        "textrm",
        "text",
        "mathrm",
        "mathbf",
        "mathit",
        "mathcal",
        "mathsf",
        "bf",
        "it",
        "em",
    ]
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SUBTITLE_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\?\s)\s*")
#: Titles that name a kind of text, not a paper: never matched on the title alone.
GENERIC_TITLES = frozenset(
    {
        "editorial",
        "introduction",
        "preface",
        "foreword",
        "index",
        "contents",
        "tableofcontents",
        "erratum",
        "errata",
        "corrigendum",
        "reviewers",
        "acknowledgments",
        "acknowledgements",
        "frontmatter",
        "backmatter",
        "bookreviews",
        "bookreview",
        "letterfromtheeditor",
        "editorsnote",
        "guesteditorial",
        "conclusion",
        "conclusions",
        "abstracts",
        "keynote",
        "panel",
        "discussion",
        "commentary",
        "correction",
        "retraction",
        "obituary",
        "news",
    }
)
_PART_SUBTITLE = re.compile(
    r"^(part|vol|volume|chapter|section|supplement\w*|erratum|corrigendum|correction|addendum|"
    r"reply|response|comment\w*|appendix|extended|errata|retraction|[ivxlc]+|\d+)\b"
)


def _clean(title: str) -> str:
    text = html.unescape(title)
    text = _TAG.sub(" ", text)
    text = _LATEX_CMD.sub(lambda m: "" if m.group(1) in _LATEX_FORMAT else m.group(1) + " ", text)
    text = text.replace("$", "").replace("{", "").replace("}", "")
    text = ascii_fold(text).lower().replace("&", " and ")
    return text


def title_words(title: str) -> list[str]:
    """Words of a title after normalisation (hyphenated words joined: ``pre-training``)."""
    text = re.sub(r"(\w)[-‐‑](\w)", r"\1\2", _clean(title))
    return [w for w in _NON_ALNUM.split(text) if w]


def title_key(title: str) -> str:
    """Compact normalised title: lower case, accents, punctuation, spaces and markup removed."""
    return "".join(title_words(title))


def _main_title(title: str) -> tuple[str, str] | None:
    """(main title, subtitle) when the title has a subtitle after ':', ' - ' or '?'."""
    cleaned = _clean(title).strip()
    parts = _SUBTITLE_SPLIT.split(cleaned, maxsplit=1)
    if len(parts) != 2 or not parts[1].strip():
        return None
    return parts[0], parts[1].strip()


def author_key(author: str) -> tuple[str, str]:
    """(surname, first initial) of an author name, lower-case ASCII.

    ``'Huang, Kuan-Hao'``, ``'K. Huang'`` and ``'Kuan-Hao Huang'`` all give ``('huang', 'k')``;
    the initial is ``''`` when only a surname is given.
    """
    name = ascii_fold(author).strip()
    if "," in name:
        family, given = name.split(",", 1)
    else:
        tokens = [t for t in re.split(r"\s+", name) if t]
        tokens = [t for t in tokens if not re.fullmatch(r"(jr|sr|ii|iii|iv)\.?", t, flags=re.I)]
        family = tokens[-1] if tokens else ""
        given = " ".join(tokens[:-1])
    given_letters = _NON_ALNUM.sub("", given.lower())
    return _NON_ALNUM.sub("", family.lower()), given_letters[:1]


def surname(author: str) -> str:
    """Lower-case ASCII surname of an author name (``'Huang, K.'`` or ``'Kuan-Hao Huang'``)."""
    return author_key(author)[0]


def _same_author(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return bool(a[0]) and a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])


def _edit_distance(a: str, b: str, cap: int = 3) -> int:
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# -- matching -------------------------------------------------------------------------------


class _Rec:
    """A record with its matching keys computed once."""

    def __init__(self, rec: SourceRecord) -> None:
        self.rec = rec
        self.arxiv = rec.arxiv_id or arxiv_id_from_doi(rec.doi)
        self.doi = rec.doi if rec.doi and not rec.doi.startswith(ARXIV_DOI_PREFIX) else None
        self.words = title_words(rec.title)
        self.key = "".join(self.words)
        main = _main_title(rec.title)
        self.main: str | None = None
        self.main_words = 0
        if main is not None and not _PART_SUBTITLE.match(main[1]):
            main_words = title_words(main[0])
            if main_words and "".join(main_words) not in GENERIC_TITLES:
                self.main = "".join(main_words)
                self.main_words = len(main_words)
        self.generic = self.key in GENERIC_TITLES or len(self.words) < 2
        self.authors = [k for k in (author_key(a) for a in rec.authors) if k[0]]


def _authors_compatible(a: _Rec, b: _Rec, strict: bool) -> bool:
    if not a.authors or not b.authors:
        return not strict
    shared = sum(1 for x in a.authors if any(_same_author(x, y) for y in b.authors))
    if not shared:
        return False
    if _same_author(a.authors[0], b.authors[0]):
        return True
    if strict:
        return False
    return shared * 2 >= min(len(a.authors), len(b.authors))


def _years_compatible(a: _Rec, b: _Rec) -> bool:
    ya, yb = a.rec.year, b.rec.year
    return ya is None or yb is None or abs(ya - yb) <= MAX_YEAR_GAP


def _spelling_variants(a: list[str], b: list[str]) -> bool:
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if not differing or len(differing) > 2:
        return False
    for x, y in differing:
        if any(c.isdigit() for c in x + y) or min(len(x), len(y)) < 5:
            return False
        if _edit_distance(x, y) > 2:
            return False
    return True


def match_rule(a: _Rec, b: _Rec) -> MatchRule | None:
    """Why two records are the same paper, or ``None`` (the rules of the module docstring)."""
    if a.doi and b.doi:
        if a.doi == b.doi:
            return "doi"
        return None  # two different venue DOIs: two papers
    if a.arxiv and b.arxiv:
        if a.arxiv == b.arxiv:
            return "arxiv id"
        return None
    if not _years_compatible(a, b):
        return None
    rule = _title_rule(a, b)
    if rule is None:
        return None
    strict = min(len(a.words), len(b.words)) < 4
    return rule if _authors_compatible(a, b, strict=strict) else None


def _title_rule(a: _Rec, b: _Rec) -> MatchRule | None:
    if a.key and a.key == b.key and not a.generic:
        return "title+year"
    if not a.generic and not b.generic and _spelling_variants(a.words, b.words):
        return "title spelling+year"
    if (a.main and a.main == b.key) or (b.main and b.main == a.key):
        return "title subtitle+year"
    return None


class _Groups:
    def __init__(self, recs: list[_Rec]) -> None:
        self.parent = list(range(len(recs)))
        self.recs = recs
        self.rules: dict[int, list[str]] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def members(self, root: int) -> list[int]:
        return [i for i in range(len(self.parent)) if self.find(i) == root]

    def union(self, i: int, j: int, rule: str) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        left, right = self.members(ri), self.members(rj)
        both = left + right
        dois = {self.recs[k].doi for k in both if self.recs[k].doi}
        arxivs = {self.recs[k].arxiv for k in both if self.recs[k].arxiv}
        if len(dois) > 1 or len(arxivs) > 1:
            return False
        if rule not in ("doi", "arxiv id"):
            # A title match must not chain records that disagree: every pair across the two
            # groups needs compatible years and (where both have them) compatible authors.
            for x in left:
                for y in right:
                    a, b = self.recs[x], self.recs[y]
                    if (
                        _title_rule(a, b) is None
                        or not _years_compatible(a, b)
                        or (a.authors and b.authors and not _authors_compatible(a, b, False))
                    ):
                        return False
        self.parent[rj] = ri
        self.rules[ri] = self.rules.pop(ri, []) + self.rules.pop(rj, []) + [rule]
        return True


def merge_records(records: Sequence[SourceRecord]) -> list[MergedPaper]:
    """Group the records of one paper and merge each group into one :class:`MergedPaper`.

    Args:
        records: records from any sources (one source may repeat a paper too).

    Returns:
        One merged paper per group, in the order of each group's first record.

    Example:
        >>> merged = merge_records([arxiv_rec, openalex_rec])
        >>> merged[0].sources, merged[0].matched_by
        (['arxiv', 'openalex'], ['arxiv id'])
    """
    recs = [_Rec(r) for r in records]
    groups = _Groups(recs)
    n = len(recs)
    # Identifier matches first, so title matches cannot pre-empt them.
    for strong in (True, False):
        for i in range(n):
            for j in range(i + 1, n):
                rule = match_rule(recs[i], recs[j])
                if rule is None or (rule in ("doi", "arxiv id")) != strong:
                    continue
                groups.union(i, j, rule)
    order: dict[int, list[int]] = {}
    for i in range(n):
        order.setdefault(groups.find(i), []).append(i)
    return [
        _merge_group([recs[i].rec for i in members], groups.rules.get(root, []))
        for root, members in order.items()
    ]


# -- merging one group ----------------------------------------------------------------------


def _ranked(records: list[SourceRecord], order: tuple[str, ...]) -> list[SourceRecord]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(records, key=lambda r: rank.get(r.source, len(order)))


def _label(r: SourceRecord) -> str:
    return f"{r.source}:{r.source_id}"


def _pick(
    field: str,
    records: list[SourceRecord],
    order: tuple[str, ...],
    value_of: dict[str, str],
    conflicts: list[MetadataConflict],
) -> SourceRecord | None:
    ranked = [r for r in _ranked(records, order) if value_of.get(_label(r))]
    if not ranked:
        return None
    values = {_label(r): value_of[_label(r)] for r in ranked}
    if len(set(values.values())) > 1:
        norm = {title_key(v) for v in values.values()}
        conflicts.append(
            MetadataConflict(
                field=field,
                values=values,
                chosen=values[_label(ranked[0])],
                rule=FIELD_PRIORITY[field],
                kind="formatting" if len(norm) == 1 else "content",
            )
        )
    return ranked[0]


def _merge_group(records: list[SourceRecord], rules: list[str]) -> MergedPaper:
    conflicts: list[MetadataConflict] = []
    text_order = SOURCE_ORDER_TEXT

    titles = {_label(r): r.title for r in records}
    title_rec = _pick("title", records, text_order, titles, conflicts)
    authors_rec = _pick(
        "authors",
        records,
        text_order,
        {_label(r): "; ".join(r.authors) for r in records if r.authors},
        conflicts,
    )
    abstract_rec = _ranked([r for r in records if r.abstract], text_order)
    year_rec = _pick(
        "year",
        records,
        SOURCE_ORDER_VENUE,
        {_label(r): str(r.year) for r in records if r.year},
        conflicts,
    )
    venue_rec = _pick(
        "venue",
        records,
        SOURCE_ORDER_VENUE,
        {_label(r): r.venue for r in records if r.venue},
        conflicts,
    )
    venue_dois = {
        _label(r): r.doi for r in records if r.doi and not r.doi.startswith(ARXIV_DOI_PREFIX)
    }
    doi_rec = _pick("doi", records, SOURCE_ORDER_DOI, venue_dois, conflicts)
    doi = doi_rec.doi if doi_rec else next((r.doi for r in records if r.doi), None)
    counts = {_label(r): r.citation_count for r in records if r.citation_count is not None}
    citation_count = max(counts.values()) if counts else None
    if len(set(counts.values())) > 1:
        conflicts.append(
            MetadataConflict(
                field="citation_count",
                values={k: str(v) for k, v in counts.items()},
                chosen=str(citation_count),
                rule=FIELD_PRIORITY["citation_count"],
                kind="content",
            )
        )
    arxiv = next((a for a in (r.arxiv_id or arxiv_id_from_doi(r.doi) for r in records) if a), None)
    openalex = next((r.openalex_id for r in records if r.openalex_id), None)
    s2 = next((r.s2_id for r in records if r.s2_id), None)
    published = next(
        (r.published for r in _ranked(records, ("arxiv", "s2", "openalex")) if r.published), None
    )
    assert title_rec is not None  # every record has a title
    sources = [s for s in ("arxiv", "s2", "openalex") if any(r.source == s for r in records)]
    return MergedPaper(
        key=paper_key(arxiv, doi, openalex, s2),
        title=title_rec.title,
        authors=list(authors_rec.authors) if authors_rec else [],
        year=year_rec.year if year_rec else None,
        published=published,
        abstract=abstract_rec[0].abstract if abstract_rec else "",
        doi=doi,
        arxiv_id=arxiv,
        openalex_id=openalex,
        s2_id=s2,
        venue=venue_rec.venue if venue_rec else None,
        citation_count=citation_count,
        sources=sources,
        records=list(records),
        matched_by=rules,
        conflicts=conflicts,
    )


def paper_meta(merged: MergedPaper, key: str | None = None) -> PaperMeta:
    """The library's :class:`~litcheck.library.store.PaperMeta` of a merged paper.

    Args:
        merged: the merged paper.
        key: the library key to file it under (default ``merged.key``).

    Returns:
        The metadata row: identifiers, venue, year, citation count, sources and conflicts.
    """
    return PaperMeta(
        paper_id=key or merged.key,
        arxiv_id=merged.arxiv_id,
        doi=merged.doi,
        openalex_id=merged.openalex_id,
        s2_id=merged.s2_id,
        venue=merged.venue,
        year=merged.year,
        citation_count=merged.citation_count,
        sources=list(merged.sources),
        conflicts=[c.model_dump() for c in merged.conflicts],
    )


def store_merged(lib: Library, papers: Sequence[MergedPaper]) -> list[tuple[str, bool]]:
    """Store merged papers and their source metadata in the library.

    A paper already stored (by arXiv id, or by DOI for a paper without one) keeps its stored
    record, full text included; only its source metadata is refreshed. A new paper is stored
    with its metadata (abstract only: full text comes from ``litcheck add``).

    Args:
        lib: the library.
        papers: merged papers (see :func:`merge_records`).

    Returns:
        ``(key, new)`` per paper, in order: the library key and whether it was new.
    """
    out: list[tuple[str, bool]] = []
    for merged in papers:
        key = lib.find_paper_key(doi=merged.venue_doi or merged.doi, arxiv_id=merged.arxiv_id)
        new = key is None
        if key is None:
            paper = merged.to_paper()
            lib.add_paper(paper)
            key = paper.arxiv_id
        lib.put_paper_meta(paper_meta(merged, key))
        out.append((key, new))
    return out
