"""Semantic Scholar's Graph API (https://api.semanticscholar.org/api-docs/graph) as a source.

``GET {s2_api_url}/paper/search?query=...&offset=O&limit=N&fields=...&publicationDateOrYear=
YYYY-MM-DD:`` answers ``{"total", "offset", "next", "data": [Paper]}``; ``GET /paper/{id}``
(id: S2 paper id, ``DOI:10...``, ``ARXIV:2104.08645``) answers one Paper. The fields asked for
are :data:`FIELDS`; an API key, when set, goes in the ``x-api-key`` header.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

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
from litcheck.retrieve.sources.openalex import read_json
from litcheck.settings import Settings

log = logging.getLogger(__name__)

#: Fields requested for every paper.
FIELDS = "paperId,externalIds,title,abstract,venue,year,publicationDate,citationCount,authors,url"
#: The search endpoint's largest page.
MAX_LIMIT = 100


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def record_from_s2(paper: Any) -> SourceRecord:
    """Read one Graph API paper object.

    Args:
        paper: the decoded JSON object (with the :data:`FIELDS`).

    Returns:
        The record; ``externalIds.ArXiv`` and ``externalIds.DOI`` become ``arxiv_id``/``doi``.

    Raises:
        ValueError: when the object has no ``paperId`` or no title.
    """
    if not isinstance(paper, dict):
        raise ValueError("a paper is not a JSON object")
    pid = paper.get("paperId")
    title = paper.get("title")
    if not isinstance(pid, str) or not pid:
        raise ValueError("a paper without paperId")
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"paper {pid} has no title")
    ext = paper.get("externalIds") if isinstance(paper.get("externalIds"), dict) else {}
    ext = ext or {}
    doi = normalise_doi(ext.get("DOI")) if isinstance(ext.get("DOI"), str) else None
    arxiv_raw = ext.get("ArXiv")
    arxiv = normalise_arxiv(arxiv_raw) if isinstance(arxiv_raw, str) else None
    arxiv = arxiv or arxiv_id_from_doi(doi)
    authors = [
        a["name"].strip()
        for a in paper.get("authors") or []
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
    ]
    year = paper.get("year")
    cited = paper.get("citationCount")
    venue = paper.get("venue")
    abstract = paper.get("abstract")
    return SourceRecord(
        source="s2",
        source_id=pid,
        title=" ".join(title.split()),
        authors=authors,
        year=year if isinstance(year, int) and 1000 < year < 3000 else None,
        published=_date(paper.get("publicationDate")),
        abstract=abstract if isinstance(abstract, str) else "",
        doi=doi,
        arxiv_id=arxiv,
        s2_id=pid,
        venue=venue.strip() if isinstance(venue, str) and venue.strip() else None,
        citation_count=cited if isinstance(cited, int) and cited >= 0 else None,
        url=paper.get("url") if isinstance(paper.get("url"), str) else None,
    )


class SemanticScholarClient(OwnedHttpClient):
    """Search Semantic Scholar papers and fetch them by S2 id, DOI or arXiv id.

    Args:
        settings: ``s2_api_url``, ``s2_api_key`` (``x-api-key`` header),
            ``s2_request_delay`` and the retry/timeout settings.
        http: an HTTP layer (tests inject one); by default one of its own (own delay, key).

    Example:
        >>> with SemanticScholarClient(Settings()) as s2:
        ...     records = s2.search("robust cross-lingual transfer", 10)
    """

    name: SourceName = "s2"

    def __init__(self, settings: Settings, http: PoliteHttp | None = None) -> None:
        self.settings = settings
        self._owns_http = http is None
        headers = {"x-api-key": settings.s2_api_key} if settings.s2_api_key else {}
        self.http = (
            http if http is not None else source_http(settings, settings.s2_request_delay, headers)
        )
        self.warnings: list[str] = []

    def _url(self, path: str) -> str:
        return self.settings.s2_api_url.rstrip("/") + path

    def _convert(self, item: Any) -> SourceRecord:
        return record_from_s2(item)

    def search(self, query: str, max_results: int, since: date | None = None) -> list[SourceRecord]:
        """Search papers by relevance (``/paper/search``), paging until ``max_results``.

        Args:
            query: plain words.
            max_results: the most records.
            since: ``publicationDateOrYear=YYYY-MM-DD:``.

        Returns:
            Records, most relevant first.

        Raises:
            RetrievalError: the API is down or rate-limits past the retries.
            ParseError: the answer is not the documented JSON shape.
        """
        limit = max(1, min(MAX_LIMIT, max_results))
        out: list[SourceRecord] = []
        offset = 0
        while len(out) < max_results:
            params: dict[str, str | int] = {
                "query": " ".join(query.split()),
                "offset": offset,
                "limit": limit,
                "fields": FIELDS,
            }
            if since is not None:
                params["publicationDateOrYear"] = f"{since.isoformat()}:"
            response = self.http.get(self._url("/paper/search"), params)
            body = read_json(response, "Semantic Scholar")
            data = body.get("data", []) if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise ParseError(
                    f"Semantic Scholar answered {response.url} without a 'data' list; "
                    "check s2_api_url.",
                    url=str(response.url),
                )
            out.extend(self._records(data, f"S2 search {query!r}"))
            nxt = body.get("next")
            if not data or not isinstance(nxt, int) or nxt <= offset:
                break
            offset = nxt
        return out[:max_results]

    def fetch(self, ids: Sequence[str]) -> list[SourceRecord]:
        """Fetch papers by S2 id, DOI or arXiv id (``/paper/{id}``).

        Args:
            ids: identifiers; unknown ones are skipped with a warning.

        Returns:
            One record per paper found, in the order given.

        Raises:
            RetrievalError: the API is down or rate-limits past the retries.
        """
        out: list[SourceRecord] = []
        for raw in ids:
            key = _lookup_key(raw)
            if key is None:
                self.warnings.append(f"{raw!r} is not an S2 id, DOI or arXiv id")
                continue
            try:
                response = self.http.get(self._url(f"/paper/{key}"), {"fields": FIELDS})
            except HttpStatusError as exc:
                if exc.status_code == 404:
                    self.warnings.append(f"Semantic Scholar has no paper {raw}")
                    continue
                raise
            out.extend(self._records([read_json(response, "Semantic Scholar")], f"S2 {raw}"))
        return out


def _lookup_key(raw: str) -> str | None:
    text = raw.strip()
    if re.fullmatch(r"[0-9a-f]{40}", text):
        return text
    if re.fullmatch(r"CorpusId:\d+", text, flags=re.I):
        return "CorpusId:" + text.split(":", 1)[1]
    doi = normalise_doi(text)
    if doi:
        arxiv = arxiv_id_from_doi(doi)
        return f"ARXIV:{arxiv}" if arxiv else f"DOI:{doi}"
    arxiv = normalise_arxiv(text)
    if arxiv:
        return f"ARXIV:{arxiv}"
    return None
