"""The reference list of a report, entry by entry, for references that are not arXiv links.

Reports cite papers by arXiv link, by DOI, or only by authors, year and title. arXiv ids are
found anywhere in a report (:func:`~litcheck.extract.report_table.find_arxiv_ids`); this
module reads the entries under a "References" (or "Bibliography", "Sources", ...) heading so
that the other kinds can be resolved against the library by DOI or by title, and so that an
entry that cannot be resolved is named instead of silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from litcheck.extract.report_table import find_arxiv_ids
from litcheck.extract.report_tables.base import REFERENCE_HEADING
from litcheck.retrieve.merge import title_words
from litcheck.retrieve.sources.base import normalise_doi

__all__ = ["ReferenceEntry", "match_title", "reference_entries"]

_OTHER_HEADING = re.compile(r"^\s*(?:#{1,6}\s+\S|(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][A-Za-z ]{2,40}$)")
_ENTRY_START = re.compile(r"^\s*(?:[-*•+]\s+|\[\d+\]\s*|\d+[.)]\s+|\(\d+\)\s+)")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>()\[\]{}]+)", re.IGNORECASE)
#: A title shorter than this many words matches too much to be trusted.
MIN_TITLE_WORDS = 4


@dataclass
class ReferenceEntry:
    """One entry of a report's reference list."""

    text: str
    line: int
    arxiv_ids: list[str] = field(default_factory=list)
    doi: str | None = None


def reference_entries(text: str) -> list[ReferenceEntry]:
    """Entries under the report's reference headings, continuation lines joined.

    Args:
        text: the report.

    Returns:
        Entries in order; a bulleted or numbered line starts an entry, other non-blank lines
        continue it, a blank line after an unmarked entry ends it, and the next heading ends
        the list.
    """
    lines = text.splitlines()
    entries: list[ReferenceEntry] = []
    i = 0
    while i < len(lines):
        if not REFERENCE_HEADING.match(lines[i]):
            i += 1
            continue
        i += 1
        current: ReferenceEntry | None = None
        while i < len(lines):
            line = lines[i]
            stripped = line.strip()
            if REFERENCE_HEADING.match(line):
                break
            if not stripped:
                current = None
                i += 1
                continue
            if _ENTRY_START.match(line) or current is None:
                if current is None and not _ENTRY_START.match(line) and _looks_like_heading(line):
                    break
                current = ReferenceEntry(text=_ENTRY_START.sub("", stripped), line=i + 1)
                entries.append(current)
            else:
                current.text = f"{current.text} {stripped}"
            i += 1
    for entry in entries:
        entry.text = re.sub(r"\s+", " ", entry.text).strip()
        entry.arxiv_ids = find_arxiv_ids(entry.text)
        match = _DOI.search(entry.text)
        entry.doi = normalise_doi(match.group(1).rstrip(".,;:")) if match else None
    return [e for e in entries if e.text]


def _looks_like_heading(line: str) -> bool:
    """A short line in title case or with Markdown #: the section after the references."""
    stripped = line.strip()
    if stripped.startswith("#"):
        return True
    words = stripped.split()
    return (
        len(words) <= 5
        and bool(_OTHER_HEADING.match(stripped))
        and not re.search(r"\d{4}|[.,;]", stripped)
    )


def match_title(entry: str, titles: Iterable[tuple[str, str]]) -> str | None:
    """The library paper whose title appears word for word in a reference entry.

    Args:
        entry: the reference as written (authors, year, title, venue ...).
        titles: (paper id, title) of the library's papers.

    Returns:
        The id of the paper with the longest matching title (of at least
        :data:`MIN_TITLE_WORDS` words), or None.
    """
    haystack = f" {' '.join(title_words(entry))} "
    best: tuple[int, str] | None = None
    for paper_id, title in titles:
        words = title_words(title)
        if len(words) < MIN_TITLE_WORDS:
            continue
        if f" {' '.join(words)} " in haystack and (best is None or len(words) > best[0]):
            best = (len(words), paper_id)
    return best[1] if best else None
