"""Search arXiv and fetch papers by id through the export API.

The API (https://info.arxiv.org/help/api/user-manual.html) takes ``search_query``, ``id_list``,
``start``, ``max_results``, ``sortBy`` and ``sortOrder`` and answers with an Atom feed. All
requests go through :class:`~litcheck.retrieve.http.PoliteHttp`, so they are spaced, retried
and refused in offline mode.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType

from litcheck.errors import BadInputError, NotFoundError
from litcheck.models import Paper
from litcheck.retrieve.atom import AtomFeed, parse_feed
from litcheck.retrieve.http import HttpStatusError, PoliteHttp
from litcheck.retrieve.ids import ArxivId, parse_arxiv_id
from litcheck.settings import Settings

log = logging.getLogger(__name__)

#: arXiv's API rejects pages larger than this.
MAX_PAGE_SIZE = 2000
#: Ids per ``id_list`` request (arXiv accepts long lists; 100 keeps URLs short).
ID_BATCH_SIZE = 100


class PapersNotFoundError(NotFoundError):
    """Some requested ids do not exist on arXiv.

    Attributes:
        missing: the ids (as given, canonicalised) that arXiv did not return.
        found: the papers that were found, in request order, so a caller can keep them.
    """

    def __init__(self, missing: list[str], found: list[Paper]) -> None:
        names = ", ".join(missing)
        noun = "id" if len(missing) == 1 else "ids"
        super().__init__(
            f"arXiv has no paper with {noun} {names}; check the {noun} "
            "(e.g. on https://arxiv.org/abs/<id>)."
        )
        self.missing = missing
        self.found = found


def build_search_query(query: str, category: str | None = None, since: date | None = None) -> str:
    """Combine a user query, a category and a start date into arXiv's ``search_query`` syntax.

    The query is passed through untouched, so arXiv's field prefixes (``ti:``, ``au:``,
    ``abs:``, ``cat:``) and boolean operators work; a category adds ``AND cat:<category>`` and
    a date adds ``AND submittedDate:[YYYYMMDD0000 TO 999912312359]``.

    Args:
        query: the user's query, e.g. ``'robust cross-lingual transfer'``; may be empty when
            a category is given.
        category: an arXiv category such as ``'cs.CL'``.
        since: keep papers first submitted on or after this date.

    Returns:
        The ``search_query`` value.

    Raises:
        BadInputError: when there is nothing to search for.
    """
    parts: list[str] = []
    query = " ".join(query.split())
    extra = category is not None or since is not None
    if query:
        # Parentheses keep a user's OR from swallowing the filters that follow.
        parts.append(f"({query})" if extra else query)
    if category is not None:
        category = category.strip()
        if not category or " " in category:
            raise BadInputError(f"Malformed arXiv category {category!r}; expected e.g. cs.CL.")
        parts.append(f"cat:{category}")
    if since is not None:
        parts.append(f"submittedDate:[{since:%Y%m%d}0000 TO 999912312359]")
    if not parts:
        raise BadInputError("Empty search query; give words to search for, e.g. 'zero-shot'.")
    return " AND ".join(parts)


def _published_on_or_after(paper: Paper, since: date) -> bool:
    stamp = paper.published
    if stamp is None:
        return True
    return (stamp.date() if isinstance(stamp, datetime) else stamp) >= since


class ArxivClient:
    """Search arXiv and fetch papers by id.

    Args:
        settings: API base URL (``arxiv_api_url``) and the politeness settings.
        http: the HTTP layer to use; by default a :class:`PoliteHttp` over the settings (share
            one between the API client and full-text fetching so one delay budget covers both).

    Example:
        >>> client = ArxivClient(Settings())
        >>> [p.title for p in client.search("zero-shot cross-lingual", max_results=3)]
        >>> client.fetch(["2104.08645v2"])[0].version
        2
    """

    def __init__(self, settings: Settings, http: PoliteHttp | None = None) -> None:
        self.settings = settings
        self._owns_http = http is None
        self.http = http if http is not None else PoliteHttp(settings)

    def close(self) -> None:
        """Close the HTTP layer if this client created it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _query(self, search_query: str, id_list: str, start: int, max_results: int) -> AtomFeed:
        params: dict[str, str | int] = {
            "search_query": search_query,
            "id_list": id_list,
            "sortBy": "relevance",
            "sortOrder": "descending",
            "start": start,
            "max_results": max_results,
        }
        try:
            response = self.http.get(self.settings.arxiv_api_url, params)
        except HttpStatusError as exc:
            if exc.status_code == 400 and exc.body:
                # arXiv explains a 400 in an Atom error entry; parse_feed raises it as
                # BadInputError with arXiv's words.
                parse_feed(exc.body.encode("utf-8"), exc.url)
            raise
        return parse_feed(response.content, str(response.url))

    def search(
        self,
        query: str,
        max_results: int = 10,
        category: str | None = None,
        since: date | None = None,
        page_size: int = 100,
    ) -> list[Paper]:
        """Search arXiv, most relevant first, paging until ``max_results`` papers are found.

        Category and date become part of the query (see :func:`build_search_query`); the date
        is also checked on each result, so a server that ignores the filter cannot leak older
        papers in. Pages are requested with ``min(page_size, max_results)`` results each; a
        paper repeated across pages (arXiv's ranking can shift between requests) is kept once.

        Args:
            query: words or arXiv query syntax, e.g. ``'ti:transformer AND abs:robust'``.
            max_results: the most papers to return.
            category: restrict to an arXiv category, e.g. ``'cs.CL'``.
            since: keep papers first submitted on or after this date.
            page_size: results per API request (at most 2000, arXiv's limit).

        Returns:
            Up to ``max_results`` papers (metadata only).

        Raises:
            BadInputError: on an empty query, bad sizes, or a query arXiv rejects.
            RetrievalError: when arXiv cannot be reached (see :class:`PoliteHttp`).
            ParseError: when arXiv's answer is not a readable feed.
        """
        if max_results < 1:
            raise BadInputError(f"--max must be at least 1 (got {max_results}).")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise BadInputError(f"page_size must be 1..{MAX_PAGE_SIZE} (got {page_size}).")
        search_query = build_search_query(query, category, since)
        size = min(page_size, max_results)
        papers: list[Paper] = []
        seen: set[str] = set()
        start = 0
        empty_retries = 0
        while len(papers) < max_results:
            feed = self._query(search_query, "", start, size)
            if not feed.papers:
                if start < feed.total_results and empty_retries < self.settings.retries:
                    # arXiv sometimes answers a page with no entries although more exist;
                    # asking again (spaced by the HTTP layer) usually gets them.
                    empty_retries += 1
                    log.warning("empty page at start=%d of %d; retrying", start, feed.total_results)
                    continue
                break
            empty_retries = 0
            kept = 0
            for paper in feed.papers:
                if paper.arxiv_id in seen:
                    continue
                if since is not None and not _published_on_or_after(paper, since):
                    continue
                seen.add(paper.arxiv_id)
                papers.append(paper)
                kept += 1
            start += len(feed.papers)
            if start >= feed.total_results:
                break
            if kept == 0:
                # A whole page of repeats or too-old papers: the server is not applying the
                # query as sent, and paging on could walk the whole result set.
                log.warning("page at start=%d added nothing new; stopping", start)
                break
        return papers[:max_results]

    def fetch(self, ids: Sequence[str]) -> list[Paper]:
        """Fetch papers' metadata by id, in batches of ``id_list`` requests.

        All ids are parsed first, so one malformed id fails before any request. A versioned
        id returns that version; an unversioned id returns the latest.

        Args:
            ids: arXiv ids or URLs in any form :func:`parse_arxiv_id` accepts.

        Returns:
            One paper per distinct id, in the order given.

        Raises:
            BadInputError: when an id is malformed (nothing is fetched).
            PapersNotFoundError: (a :class:`NotFoundError`) when arXiv has no paper for some
                ids; it names them and carries the papers that were found.
            RetrievalError: when arXiv cannot be reached.
        """
        wanted: list[ArxivId] = []
        for raw in ids:
            parsed = parse_arxiv_id(raw)
            if parsed not in wanted:
                wanted.append(parsed)
        found: dict[ArxivId, Paper] = {}
        for first in range(0, len(wanted), ID_BATCH_SIZE):
            batch = wanted[first : first + ID_BATCH_SIZE]
            id_list = ",".join(item.versioned for item in batch)
            feed = self._query("", id_list, 0, ID_BATCH_SIZE)
            by_base: dict[str, list[Paper]] = {}
            for paper in feed.papers:
                by_base.setdefault(paper.arxiv_id, []).append(paper)
            for item in batch:
                candidates = by_base.get(item.base, [])
                match = next(
                    (
                        p
                        for p in candidates
                        if item.version is None or p.version is None or p.version == item.version
                    ),
                    None,
                )
                if match is not None:
                    found[item] = match
        missing = [item.versioned for item in wanted if item not in found]
        papers = [found[item] for item in wanted if item in found]
        if missing:
            raise PapersNotFoundError(missing, papers)
        return papers
