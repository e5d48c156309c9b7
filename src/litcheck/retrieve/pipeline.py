"""Fetch papers by id (metadata, then full text) through one polite HTTP layer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from litcheck.models import Paper
from litcheck.retrieve.arxiv_client import ArxivClient
from litcheck.retrieve.http import PoliteHttp
from litcheck.settings import Settings


def fetch_papers(
    ids: Sequence[str],
    settings: Settings,
    full_text: bool = True,
    http: PoliteHttp | None = None,
) -> Iterator[Paper]:
    """Fetch papers by id and yield them one at a time, full text attached.

    Metadata comes in one batched API request; full text (HTML, ar5iv, PDF) is fetched per
    paper, so a caller that stores each yielded paper in its own transaction loses at most the
    paper in flight when interrupted.

    Args:
        ids: arXiv ids or URLs; all are validated before any request.
        settings: URLs and politeness settings.
        full_text: also fetch full text (else abstract only); ``settings.full_text`` must
            allow it too.
        http: an HTTP layer to share; one is created (and closed) otherwise.

    Returns:
        An iterator of papers in the order given.

    Raises:
        BadInputError: a malformed id (before any request).
        PapersNotFoundError: arXiv has no paper for some ids (after yielding the others).
        RetrievalError: arXiv's API cannot be reached.
    """
    if not ids:
        return
    owns = http is None
    layer = http if http is not None else PoliteHttp(settings)
    try:
        from litcheck.retrieve.arxiv_client import PapersNotFoundError

        client = ArxivClient(settings, layer)
        missing: PapersNotFoundError | None = None
        try:
            papers = client.fetch(ids)
        except PapersNotFoundError as exc:
            papers, missing = exc.found, exc
        for paper in papers:
            if full_text and settings.full_text:
                from litcheck.retrieve.fulltext import fetch_full_text

                paper = fetch_full_text(paper, layer, settings)
            yield paper
        if missing is not None:
            raise missing
    finally:
        if owns:
            layer.close()
