"""arXiv as a :class:`~litcheck.retrieve.sources.base.Source` (wraps :class:`ArxivClient`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from litcheck.models import Paper
from litcheck.retrieve.arxiv_client import ArxivClient, PapersNotFoundError
from litcheck.retrieve.http import PoliteHttp
from litcheck.retrieve.sources.base import SourceName, SourceRecord, normalise_doi
from litcheck.settings import Settings


def record_from_paper(paper: Paper) -> SourceRecord:
    """The :class:`SourceRecord` of an arXiv paper (the paper itself rides along).

    Args:
        paper: an arXiv paper.

    Returns:
        The record; ``venue`` is the journal reference when the authors gave one.
    """
    published = paper.published.date() if paper.published else None
    return SourceRecord(
        source="arxiv",
        source_id=paper.arxiv_id,
        title=paper.title,
        authors=list(paper.authors),
        year=published.year if published else None,
        published=published,
        abstract=paper.abstract,
        doi=normalise_doi(paper.doi),
        arxiv_id=paper.arxiv_id,
        venue=paper.journal_ref,
        url=paper.url,
        paper=paper,
    )


class ArxivSource:
    """Search and fetch arXiv through :class:`ArxivClient` (3 s between requests by default).

    Args:
        settings: ``arxiv_api_url`` and the politeness settings (``request_delay``).
        http: an HTTP layer to share with full-text fetching; one is created otherwise.

    Example:
        >>> with ArxivSource(Settings()) as source:
        ...     records = source.search("robust cross-lingual transfer", 10)
    """

    name: SourceName = "arxiv"

    def __init__(self, settings: Settings, http: PoliteHttp | None = None) -> None:
        self.client = ArxivClient(settings, http)
        self.warnings: list[str] = []

    @property
    def http(self) -> PoliteHttp:
        """The HTTP layer (share it with full-text fetching: one arXiv budget)."""
        return self.client.http

    def close(self) -> None:
        """Close the client (and its HTTP layer if it created it)."""
        self.client.close()

    def __enter__(self) -> ArxivSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, query: str, max_results: int, since: date | None = None) -> list[SourceRecord]:
        """Search arXiv.

        Args:
            query: words or arXiv query syntax.
            max_results: the most records.
            since: only papers submitted on or after this date.

        Returns:
            Records, most relevant first.

        Raises:
            RetrievalError: arXiv is down, rate-limits past the retries, or answers garbage.
        """
        return [record_from_paper(p) for p in self.client.search(query, max_results, since=since)]

    def fetch(self, ids: Sequence[str]) -> list[SourceRecord]:
        """Fetch arXiv ids; ids that are not arXiv ids or that arXiv lacks are skipped.

        Args:
            ids: identifiers of any kind; only arXiv ids and URLs are looked up.

        Returns:
            One record per paper found, in the order given.
        """
        from litcheck.retrieve.sources.base import normalise_arxiv

        wanted = [a for a in (normalise_arxiv(i) for i in ids) if a]
        if not wanted:
            return []
        try:
            papers = self.client.fetch(wanted)
        except PapersNotFoundError as exc:
            self.warnings.append(f"arXiv has no paper {', '.join(exc.missing)}")
            papers = exc.found
        return [record_from_paper(p) for p in papers]
