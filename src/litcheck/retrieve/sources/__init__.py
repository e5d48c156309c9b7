"""Literature sources behind one interface: arXiv, OpenAlex, Semantic Scholar.

The public surface::

    sources = open_sources(["arxiv", "openalex", "s2"], settings)
    found = search_sources(sources, ["robust cross-lingual transfer"], max_results=20)
    found.failures          # [SourceFailure(source="s2", query=..., reason="... 429 ...")]
    papers = merge_records(found.all_records())   # see litcheck.retrieve.merge
"""

from __future__ import annotations

from collections.abc import Sequence

from litcheck.retrieve.sources.arxiv import ArxivSource, record_from_paper
from litcheck.retrieve.sources.base import (
    SOURCE_NAMES,
    MultiSearch,
    Source,
    SourceFailure,
    SourceName,
    SourceQuery,
    SourceRecord,
    normalise_arxiv,
    normalise_doi,
    parse_source_names,
    search_sources,
)
from litcheck.retrieve.sources.openalex import OpenAlexClient, record_from_work
from litcheck.retrieve.sources.semanticscholar import SemanticScholarClient, record_from_s2
from litcheck.settings import Settings


def open_source(name: SourceName, settings: Settings) -> Source:
    """The client of one source, each with its own polite HTTP layer.

    Args:
        name: ``arxiv``, ``openalex`` or ``s2``.
        settings: URLs, keys, per-source delays, retries, timeouts.

    Returns:
        The source (close it when done).
    """
    if name == "arxiv":
        return ArxivSource(settings)
    if name == "openalex":
        return OpenAlexClient(settings)
    return SemanticScholarClient(settings)


def open_sources(names: Sequence[SourceName], settings: Settings) -> list[Source]:
    """:func:`open_source` for each name, in order."""
    return [open_source(n, settings) for n in names]


__all__ = [
    "SOURCE_NAMES",
    "ArxivSource",
    "MultiSearch",
    "OpenAlexClient",
    "SemanticScholarClient",
    "Source",
    "SourceFailure",
    "SourceName",
    "SourceQuery",
    "SourceRecord",
    "normalise_arxiv",
    "normalise_doi",
    "open_source",
    "open_sources",
    "parse_source_names",
    "record_from_paper",
    "record_from_s2",
    "record_from_work",
    "search_sources",
]
