"""A report's references as BibTeX and CSL-JSON, from the library's Paper records.

Keys are stable: ``<first author's surname><year><first title word>`` in lower-case ASCII
(``huang2021improving``); papers that would share a key get ``a``, ``b``, ... in the order of
their library ids, so the same set of papers always gets the same keys. BibTeX values escape
LaTeX's special characters and keep capitals with braces; CSL-JSON is plain JSON (the format
Zotero, Pandoc and citeproc read). Venue, year and DOI come from the merged source metadata
(:class:`~litcheck.library.store.PaperMeta`) when given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from litcheck.library.store import PaperMeta
from litcheck.models import Paper
from litcheck.retrieve.sources.base import ascii_fold

_TITLE_STOP = frozenset({"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "via"})
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "le", "la"}
)
_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def split_name(name: str) -> tuple[str, str]:
    """(given, family) of an author name: ``'Huang, Kuan-Hao'`` or ``'Ludwig van Beethoven'``."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return given, family
    tokens = name.split(" ")
    if len(tokens) == 1:
        return "", tokens[0]
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


def _year(paper: Paper, meta: PaperMeta | None) -> int | None:
    if meta is not None and meta.year:
        return meta.year
    return paper.published.year if paper.published else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def _base_key(paper: Paper, meta: PaperMeta | None) -> str:
    family = split_name(paper.authors[0])[1] if paper.authors else "anon"
    surname = _slug(family.split(" ")[-1]) or "anon"
    words = [_slug(w) for w in re.split(r"[\s\-:]+", paper.title)]
    first = next((w for w in words if w and w not in _TITLE_STOP), "untitled")
    year = _year(paper, meta)
    return f"{surname}{year or 'nd'}{first}"


def citation_keys(
    papers: Sequence[Paper], metas: Mapping[str, PaperMeta] | None = None
) -> dict[str, str]:
    """Stable citation key per paper id (see the module docstring).

    Args:
        papers: the papers (any order).
        metas: merged source metadata by paper id (for the year).

    Returns:
        ``{paper id: key}``.
    """
    metas = metas or {}
    groups: dict[str, list[str]] = {}
    for p in sorted(papers, key=lambda p: p.arxiv_id):
        groups.setdefault(_base_key(p, metas.get(p.arxiv_id)), []).append(p.arxiv_id)
    keys: dict[str, str] = {}
    for base, ids in groups.items():
        for i, pid in enumerate(ids):
            keys[pid] = base if len(ids) == 1 else f"{base}{chr(ord('a') + i % 26)}"
    return keys


def bibtex_escape(text: str) -> str:
    """Escape LaTeX's special characters (``& % $ # _ { } ~ ^ \\``); other text is kept."""
    return "".join(_BIB_SPECIAL.get(c, c) for c in " ".join(text.split()))


def _protect_caps(title: str) -> str:
    # Braces keep words with inner capitals (BERT, XLM-R, PAWS-X) as written by BibTeX styles.
    return " ".join(
        f"{{{w}}}" if any(c.isupper() for c in w[1:]) else w
        for w in bibtex_escape(title).split(" ")
    )


def _identifiers(paper: Paper, meta: PaperMeta | None) -> tuple[str | None, str | None]:
    """(arXiv id, DOI) of a paper: the key is an arXiv id unless it is 'doi:...' etc."""
    arxiv = meta.arxiv_id if meta and meta.arxiv_id else None
    if arxiv is None and re.match(
        r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})$", paper.arxiv_id
    ):
        arxiv = paper.arxiv_id
    doi = (meta.doi if meta and meta.doi else None) or paper.doi
    if doi is None and paper.arxiv_id.startswith("doi:"):
        doi = paper.arxiv_id[4:]
    return arxiv, doi


def to_bibtex(papers: Sequence[Paper], metas: Mapping[str, PaperMeta] | None = None) -> str:
    """BibTeX entries, one per paper, sorted by key.

    ``@article`` (or ``@inproceedings`` for a venue that names proceedings or a conference)
    when a venue is known, else ``@misc`` with ``eprint``/``archivePrefix``/``primaryClass``.

    Args:
        papers: the papers.
        metas: merged source metadata by paper id (venue, year, DOI).

    Returns:
        The ``.bib`` text.

    Example:
        >>> print(to_bibtex([paper]))
        @misc{huang2021improving,
          title = {Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training},
          ...
    """
    metas = metas or {}
    keys = citation_keys(papers, metas)
    entries: list[tuple[str, str]] = []
    for p in papers:
        meta = metas.get(p.arxiv_id)
        arxiv, doi = _identifiers(p, meta)
        venue = (meta.venue if meta and meta.venue else None) or p.journal_ref
        year = _year(p, meta)
        if venue and re.search(r"proceedings|conference|workshop|symposium", venue, re.I):
            kind, venue_field = "inproceedings", "booktitle"
        elif venue:
            kind, venue_field = "article", "journal"
        else:
            kind, venue_field = "misc", ""
        fields: list[tuple[str, str]] = [("title", "{" + _protect_caps(p.title) + "}")]
        if p.authors:
            fields.append(("author", "{" + " and ".join(_bib_name(a) for a in p.authors) + "}"))
        if venue:
            fields.append((venue_field, "{" + bibtex_escape(venue) + "}"))
        if year:
            fields.append(("year", "{" + str(year) + "}"))
        if doi:
            fields.append(("doi", "{" + bibtex_escape(doi) + "}"))
        if arxiv:
            fields += [("eprint", "{" + arxiv + "}"), ("archivePrefix", "{arXiv}")]
            if p.primary_category:
                fields.append(("primaryClass", "{" + bibtex_escape(p.primary_category) + "}"))
        url = _url(arxiv, doi)
        if url:
            fields.append(("url", "{" + bibtex_escape(url) + "}"))
        body = ",\n".join(f"  {k} = {v}" for k, v in fields)
        entries.append((keys[p.arxiv_id], f"@{kind}{{{keys[p.arxiv_id]},\n{body}\n}}"))
    return "\n\n".join(e for _, e in sorted(entries)) + ("\n" if entries else "")


def _bib_name(name: str) -> str:
    given, family = split_name(name)
    family = bibtex_escape(family)
    return (
        f"{{{family}}}, {bibtex_escape(given)}"
        if " " in family
        else (f"{family}, {bibtex_escape(given)}" if given else family)
    )


def _url(arxiv: str | None, doi: str | None) -> str | None:
    if doi:
        return f"https://doi.org/{doi}"
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}"
    return None


def to_csl_json(
    papers: Sequence[Paper], metas: Mapping[str, PaperMeta] | None = None
) -> list[dict[str, Any]]:
    """CSL-JSON items (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

    Args:
        papers: the papers.
        metas: merged source metadata by paper id (venue, year, DOI, citation count).

    Returns:
        One item per paper, sorted by id (its citation key): ``type``, ``title``, ``author``
        (``family``/``given``), ``issued`` (``date-parts``), ``container-title``, ``DOI``,
        ``URL``, ``number`` (the arXiv id), ``abstract``.
    """
    metas = metas or {}
    keys = citation_keys(papers, metas)
    items: list[dict[str, Any]] = []
    for p in papers:
        meta = metas.get(p.arxiv_id)
        arxiv, doi = _identifiers(p, meta)
        venue = (meta.venue if meta and meta.venue else None) or p.journal_ref
        year = _year(p, meta)
        item: dict[str, Any] = {
            "id": keys[p.arxiv_id],
            "type": "paper-conference"
            if venue and re.search(r"proceedings|conference|workshop", venue, re.I)
            else ("article-journal" if venue else "article"),
            "title": " ".join(p.title.split()),
            "author": [
                {k: v for k, v in (("family", f), ("given", g)) if v}
                for g, f in (split_name(a) for a in p.authors)
            ],
        }
        if year:
            parts = [year]
            if p.published and p.published.year == year:
                parts += [p.published.month, p.published.day]
            item["issued"] = {"date-parts": [parts]}
        if venue:
            item["container-title"] = venue
        elif arxiv:
            item["publisher"] = "arXiv"
        if doi:
            item["DOI"] = doi
        if arxiv:
            item["number"] = f"arXiv:{arxiv}"
        url = _url(arxiv, doi)
        if url:
            item["URL"] = url
        if p.abstract:
            item["abstract"] = " ".join(p.abstract.split())
        items.append(item)
    return sorted(items, key=lambda i: str(i["id"]))


def render_references(
    papers: Sequence[Paper], fmt: str, metas: Mapping[str, PaperMeta] | None = None
) -> str:
    """References in ``bibtex`` or ``csl-json`` (pretty JSON array) format.

    Raises:
        ValueError: on another format name.
    """
    if fmt == "bibtex":
        return to_bibtex(papers, metas)
    if fmt == "csl-json":
        return json.dumps(to_csl_json(papers, metas), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown citation format {fmt!r} (bibtex or csl-json)")
