"""A local HTTP server on 127.0.0.1 and API answers in OpenAlex's and S2's documented shapes.

The shapes follow the public documentation: OpenAlex's Work object
(https://docs.openalex.org/api-entities/works/work-object) in a ``{"meta", "results"}`` list
answer, and the Semantic Scholar Graph API paper search answer ``{"total", "offset", "next",
"data"}`` (https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/
get_graph_paper_relevance_search). The values are written for these tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from litcheck.settings import Settings


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes/str
    headers: dict[str, str] = field(default_factory=dict)

    def data(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Handler = Callable[[str, dict[str, str], dict[str, str]], Reply]


class LocalApi:
    """A real HTTP server; ``handler(path, query, headers)`` scripts its answers."""

    def __init__(self) -> None:
        self.handler: Handler = lambda p, q, h: Reply(404, {"error": "no handler"})
        self.seen: list[tuple[str, dict[str, str], dict[str, str]]] = []
        owner = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                headers = {k.lower(): v for k, v in self.headers.items()}
                path = unquote(parts.path)
                owner.seen.append((path, query, headers))
                reply = owner.handler(path, query, headers)
                data = reply.data()
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LocalApi:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def settings_for(api: LocalApi, **kw: Any) -> Settings:
    base: dict[str, Any] = {
        "openalex_api_url": api.url,
        "s2_api_url": api.url + "/graph/v1",
        "arxiv_api_url": api.url + "/api/query",
        "request_delay": 0.0,
        "openalex_request_delay": 0.0,
        "s2_request_delay": 0.0,
        "retries": 1,
        "backoff": 0.0,
        "timeout": 5.0,
        "full_text": False,
        "offline": False,
    }
    base.update(kw)
    return Settings(**base)


def openalex_work(
    wid: str,
    title: str,
    *,
    doi: str | None = None,
    year: int | None = 2021,
    authors: tuple[str, ...] = ("Kuan-Hao Huang", "Nanyun Peng"),
    venue: str | None = "Proceedings of EMNLP 2021",
    arxiv: str | None = None,
    cited: int = 42,
    abstract: str = "We train the encoder to tolerate noise.",
) -> dict[str, Any]:
    """An OpenAlex Work object with the documented fields."""
    words: dict[str, list[int]] = {}
    for i, w in enumerate(abstract.split()):
        words.setdefault(w, []).append(i)
    locations: list[dict[str, Any]] = []
    if venue:
        locations.append(
            {
                "is_oa": False,
                "landing_page_url": f"https://doi.org/{doi}" if doi else None,
                "pdf_url": None,
                "source": {
                    "id": "https://openalex.org/S1",
                    "display_name": venue,
                    "type": "conference",
                },
                "version": "publishedVersion",
            }
        )
    if arxiv:
        locations.append(
            {
                "is_oa": True,
                "landing_page_url": f"http://arxiv.org/abs/{arxiv}",
                "pdf_url": f"http://arxiv.org/pdf/{arxiv}",
                "source": {
                    "id": "https://openalex.org/S4306400194",
                    "display_name": "arXiv (Cornell University)",
                    "type": "repository",
                },
                "version": "submittedVersion",
            }
        )
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": f"https://doi.org/{doi}" if doi else None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-11-07" if year else None,
        "ids": {
            "openalex": f"https://openalex.org/{wid}",
            **({"doi": f"https://doi.org/{doi}"} if doi else {}),
        },
        "type": "article",
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {"id": f"https://openalex.org/A{i}", "display_name": a},
                "institutions": [],
                "raw_author_name": a,
            }
            for i, a in enumerate(authors)
        ],
        "primary_location": locations[0] if locations else None,
        "locations": locations,
        "cited_by_count": cited,
        "abstract_inverted_index": words,
    }


def openalex_list(works: list[dict[str, Any]], count: int | None = None) -> dict[str, Any]:
    return {
        "meta": {
            "count": len(works) if count is None else count,
            "db_response_time_ms": 12,
            "page": 1,
            "per_page": 25,
        },
        "results": works,
        "group_by": [],
    }


def s2_paper(
    pid: str,
    title: str,
    *,
    doi: str | None = None,
    arxiv: str | None = None,
    year: int | None = 2021,
    venue: str = "Conference on Empirical Methods in Natural Language Processing",
    cited: int = 57,
    authors: tuple[str, ...] = ("Kuan-Hao Huang", "Nanyun Peng"),
) -> dict[str, Any]:
    """A Graph API paper with the fields litcheck asks for."""
    ext: dict[str, Any] = {"CorpusId": 233296254}
    if doi:
        ext["DOI"] = doi
    if arxiv:
        ext["ArXiv"] = arxiv
    return {
        "paperId": pid,
        "externalIds": ext,
        "url": f"https://www.semanticscholar.org/paper/{pid}",
        "title": title,
        "abstract": "Robust training improves zero-shot cross-lingual transfer.",
        "venue": venue,
        "year": year,
        "publicationDate": f"{year}-04-18" if year else None,
        "citationCount": cited,
        "authors": [{"authorId": str(i), "name": a} for i, a in enumerate(authors)],
    }


def s2_search(
    papers: list[dict[str, Any]], offset: int = 0, next_: int | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"total": len(papers), "offset": offset, "data": papers}
    if next_ is not None:
        body["next"] = next_
    return body
