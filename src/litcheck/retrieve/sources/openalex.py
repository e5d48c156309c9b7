"""OpenAlex (https://docs.openalex.org) as a literature source.

``GET {openalex_api_url}/works?search=...&filter=from_publication_date:YYYY-MM-DD&per-page=N
&page=P&mailto=...`` answers ``{"meta": {"count", "page", "per_page"}, "results": [Work]}``;
``GET /works/{W-id | doi:10...}`` answers one Work. A Work carries ``id``, ``doi``,
``display_name``/``title``, ``publication_year``, ``publication_date``, ``authorships[].author
.display_name``, ``primary_location.source.display_name`` (venue), ``locations[]``
(``landing_page_url``/``pdf_url``, where arXiv copies show up), ``ids``, ``cited_by_count`` and
the abstract as ``abstract_inverted_index`` (word -> positions).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import httpx

from litcheck.errors import ParseError
from litcheck.retrieve.http import HttpStatusError, PoliteHttp
from litcheck.retrieve.sources.base import (
    OwnedHttpClient,
    SourceName,
    SourceRecord,
    arxiv_id_from_doi,
    normalise_arxiv,
    normalise_doi,
    source_http,
)
from litcheck.settings import Settings

log = logging.getLogger(__name__)

#: OpenAlex's largest page.
MAX_PER_PAGE = 200


def read_json(response: httpx.Response, service: str) -> Any:
    """Parse a JSON body, or raise :class:`ParseError` naming the service and URL."""
    try:
        return response.json()
    except ValueError as exc:
        raise ParseError(
            f"{service} answered {response.url} with something that is not JSON ({exc}); "
            "check the API URL setting or try again later.",
            url=str(response.url),
        ) from None


def abstract_from_inverted_index(index: Any) -> str:
    """Rebuild an abstract from OpenAlex's ``abstract_inverted_index``.

    Args:
        index: ``{"word": [position, ...], ...}`` (anything else gives ``""``).

    Returns:
        The words in position order, joined by spaces.
    """
    if not isinstance(index, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(word, str) or not isinstance(positions, list):
            continue
        for pos in positions:
            if isinstance(pos, int) and pos >= 0:
                placed[pos] = word
    return " ".join(placed[i] for i in sorted(placed))


def _short_id(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.rstrip("/").rsplit("/", 1)[-1]


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _arxiv_from_locations(work: dict[str, Any]) -> str | None:
    locations = work.get("locations")
    candidates: list[Any] = list(locations) if isinstance(locations, list) else []
    for key in ("primary_location", "best_oa_location"):
        if isinstance(work.get(key), dict):
            candidates.append(work[key])
    for loc in candidates:
        if not isinstance(loc, dict):
            continue
        for key in ("landing_page_url", "pdf_url"):
            url = loc.get(key)
            if isinstance(url, str) and "arxiv.org/" in url.lower():
                found = normalise_arxiv(url)
                if found:
                    return found
            doi = normalise_doi(url) if isinstance(url, str) else None
            if arxiv_id_from_doi(doi):
                return arxiv_id_from_doi(doi)
    return None


def _venue(work: dict[str, Any]) -> str | None:
    primary = work.get("primary_location")
    if isinstance(primary, dict) and isinstance(primary.get("source"), dict):
        name = primary["source"].get("display_name")
        if isinstance(name, str) and name and "arxiv" not in name.lower():
            return name
    host = work.get("host_venue")  # deprecated field, still in older answers
    if isinstance(host, dict) and isinstance(host.get("display_name"), str):
        name = host["display_name"]
        if name and "arxiv" not in name.lower():
            return str(name)
    return None


def record_from_work(work: Any) -> SourceRecord:
    """Read one OpenAlex Work object.

    Args:
        work: the decoded JSON object.

    Returns:
        The record (abstract rebuilt, arXiv id found in DOI or locations, venue from the
        primary location unless that is arXiv).

    Raises:
        ValueError: when the object has no id or no title.
    """
    if not isinstance(work, dict):
        raise ValueError("a work is not a JSON object")
    wid = _short_id(work.get("id"))
    title = work.get("display_name") or work.get("title")
    if not wid:
        raise ValueError("a work without id")
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"work {wid} has no title")
    ids = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    doi = normalise_doi(work.get("doi")) or normalise_doi((ids or {}).get("doi"))
    arxiv = arxiv_id_from_doi(doi) or _arxiv_from_locations(work)
    authors: list[str] = []
    for a in work.get("authorships") or []:
        if isinstance(a, dict):
            author = a.get("author") if isinstance(a.get("author"), dict) else {}
            name = (author or {}).get("display_name") or a.get("raw_author_name")
            if isinstance(name, str) and name.strip():
                authors.append(name.strip())
    year = work.get("publication_year")
    cited = work.get("cited_by_count")
    published = _date(work.get("publication_date"))
    return SourceRecord(
        source="openalex",
        source_id=wid,
        title=" ".join(title.split()),
        authors=authors,
        year=year if isinstance(year, int) and 1000 < year < 3000 else None,
        published=published,
        abstract=abstract_from_inverted_index(work.get("abstract_inverted_index")),
        doi=doi,
        arxiv_id=arxiv,
        openalex_id=wid,
        venue=_venue(work),
        citation_count=cited if isinstance(cited, int) and cited >= 0 else None,
        url=work.get("id") if isinstance(work.get("id"), str) else None,
    )


class OpenAlexClient(OwnedHttpClient):
    """Search OpenAlex works and fetch them by OpenAlex id or DOI.

    Args:
        settings: ``openalex_api_url``, ``openalex_mailto`` (polite pool),
            ``openalex_request_delay`` and the retry/timeout settings.
        http: an HTTP layer (tests inject one); by default one of its own (own delay).

    Example:
        >>> with OpenAlexClient(Settings(openalex_mailto="me@example.org")) as oa:
        ...     records = oa.search("robust cross-lingual transfer", 10)
    """

    name: SourceName = "openalex"

    def __init__(self, settings: Settings, http: PoliteHttp | None = None) -> None:
        self.settings = settings
        self._owns_http = http is None
        self.http = (
            http if http is not None else source_http(settings, settings.openalex_request_delay)
        )
        self.warnings: list[str] = []

    def _url(self, path: str) -> str:
        return self.settings.openalex_api_url.rstrip("/") + path

    def _params(self, params: dict[str, str | int]) -> dict[str, str | int]:
        if self.settings.openalex_mailto:
            params["mailto"] = self.settings.openalex_mailto
        return params

    def _convert(self, item: Any) -> SourceRecord:
        return record_from_work(item)

    def search(self, query: str, max_results: int, since: date | None = None) -> list[SourceRecord]:
        """Search works by relevance, paging until ``max_results``.

        Args:
            query: plain words (OpenAlex's ``search=``).
            max_results: the most records.
            since: ``filter=from_publication_date:`` this date.

        Returns:
            Records, most relevant first.

        Raises:
            RetrievalError: OpenAlex is down or rate-limits past the retries.
            ParseError: the answer is not the documented JSON shape.
        """
        per_page = max(1, min(MAX_PER_PAGE, max_results))
        out: list[SourceRecord] = []
        page = 1
        while len(out) < max_results:
            params: dict[str, str | int] = {
                "search": " ".join(query.split()),
                "per-page": per_page,
                "page": page,
            }
            if since is not None:
                params["filter"] = f"from_publication_date:{since.isoformat()}"
            response = self.http.get(self._url("/works"), self._params(params))
            body = read_json(response, "OpenAlex")
            results = body.get("results") if isinstance(body, dict) else None
            if not isinstance(results, list):
                raise ParseError(
                    f"OpenAlex answered {response.url} without a 'results' list; "
                    "check openalex_api_url.",
                    url=str(response.url),
                )
            out.extend(self._records(results, f"OpenAlex search {query!r}"))
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            count = meta.get("count") if isinstance(meta, dict) else None
            if not results or (isinstance(count, int) and page * per_page >= count):
                break
            page += 1
        return out[:max_results]

    def fetch(self, ids: Sequence[str]) -> list[SourceRecord]:
        """Fetch works by OpenAlex id (``W...``), DOI, or arXiv id (through arXiv's DOI).

        Args:
            ids: identifiers; those OpenAlex does not know are skipped with a warning.

        Returns:
            One record per work found, in the order given.

        Raises:
            RetrievalError: OpenAlex is down or rate-limits past the retries.
        """
        out: list[SourceRecord] = []
        for raw in ids:
            key = _lookup_key(raw)
            if key is None:
                self.warnings.append(f"{raw!r} is not an OpenAlex id, DOI or arXiv id")
                continue
            try:
                response = self.http.get(self._url(f"/works/{key}"), self._params({}))
            except HttpStatusError as exc:
                if exc.status_code == 404:
                    self.warnings.append(f"OpenAlex has no work {raw}")
                    continue
                raise
            out.extend(self._records([read_json(response, "OpenAlex")], f"OpenAlex {raw}"))
        return out


def _lookup_key(raw: str) -> str | None:
    text = raw.strip()
    if re.fullmatch(r"(https://openalex\.org/)?W\d+", text, flags=re.I):
        return text.rsplit("/", 1)[-1].upper()
    doi = normalise_doi(text)
    if doi:
        return f"doi:{doi}"
    arxiv = normalise_arxiv(text)
    if arxiv:
        return f"doi:10.48550/arxiv.{arxiv}"
    return None
