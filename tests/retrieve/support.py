"""Helpers for the retrieve tests: a real HTTP server on 127.0.0.1, a fake clock, Atom and PDF
builders, and the recorded arXiv responses from ../shared.

The server is a stdlib ``ThreadingHTTPServer``: the code under test talks real HTTP through its
real ``httpx.Client``; nothing in the network stack is patched.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from litcheck.settings import Settings

RECORDED = Path(__file__).resolve().parents[3] / "shared" / "data" / "arxiv-recorded"


@dataclass
class Reply:
    """What the local server answers to one request."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (for timeouts)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Seen:
    """One request the server received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


Handler = Callable[[str, dict[str, str]], Reply]


class LocalServer:
    """A real HTTP server on 127.0.0.1 whose answers a test scripts with ``handler``."""

    def __init__(self) -> None:
        self.handler: Handler = lambda path, query: Reply(404, b"no handler")
        self.requests: list[Seen] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        owner = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                with owner._lock:
                    owner.requests.append(
                        Seen(parts.path, query, dict(self.headers.items()), time.monotonic())
                    )
                    owner.active += 1
                    owner.max_active = max(owner.max_active, owner.active)
                try:
                    reply = owner.handler(parts.path, query)
                    if reply.delay:
                        time.sleep(reply.delay)
                    data = reply.data()
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)
                finally:
                    with owner._lock:
                        owner.active -= 1

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def replies(self, *sequence: Reply) -> None:
        """Answer with these replies in order, then repeat the last one."""
        queue = list(sequence)

        def handler(path: str, query: dict[str, str]) -> Reply:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.handler = handler


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_settings(base_url: str = "http://127.0.0.1:9", **overrides: Any) -> Settings:
    """Settings pointing every URL at a local server, fast and online by default."""
    values: dict[str, Any] = {
        "arxiv_api_url": f"{base_url}/api/query",
        "arxiv_html_url": f"{base_url}/html",
        "ar5iv_url": f"{base_url}/ar5iv",
        "arxiv_pdf_url": f"{base_url}/pdf",
        "request_delay": 0.0,
        "timeout": 5.0,
        "retries": 2,
        "backoff": 0.0,
        "offline": False,  # the suite-wide conftest sets LITCHECK_OFFLINE=1
    }
    values.update(overrides)
    return Settings(**values)


# --------------------------------------------------------------------------- Atom fixtures


@dataclass
class Entry:
    """A synthetic arXiv Atom entry."""

    arxiv_id: str  # with version, e.g. "2104.08645v2"
    title: str = "A paper"
    abstract: str = "An abstract."
    authors: tuple[str, ...] = ("Ada Lovelace",)
    categories: tuple[str, ...] = ("cs.CL",)
    published: str = "2021-04-18T00:00:00Z"
    updated: str = "2021-09-01T12:30:00Z"
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None

    def xml(self) -> str:
        cats = "".join(
            f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
            for c in self.categories
        )
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in self.authors)
        extra = ""
        if self.doi:
            extra += f"<arxiv:doi>{escape(self.doi)}</arxiv:doi>"
        if self.journal_ref:
            extra += f"<arxiv:journal_ref>{escape(self.journal_ref)}</arxiv:journal_ref>"
        if self.comment:
            extra += f"<arxiv:comment>{escape(self.comment)}</arxiv:comment>"
        return (
            f"<entry><id>http://arxiv.org/abs/{self.arxiv_id}</id>"
            f"<updated>{self.updated}</updated><published>{self.published}</published>"
            f"<title>{escape(self.title)}</title><summary>{escape(self.abstract)}</summary>"
            f"{authors}{extra}"
            f'<link href="http://arxiv.org/abs/{self.arxiv_id}" rel="alternate" type="text/html"/>'
            f'<arxiv:primary_category term="{self.categories[0]}"/>{cats}</entry>'
        )


def atom_feed(entries: list[Entry], total: int | None = None, start: int = 0) -> str:
    """An arXiv-shaped Atom feed holding ``entries``."""
    total = len(entries) if total is None else total
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>"
        "<updated>2026-04-12T22:09:27Z</updated>"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>"
        + "".join(e.xml() for e in entries)
        + "</feed>"
    )


def error_feed(message: str) -> str:
    """The feed arXiv answers a bad query with (HTTP 400)."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        "<id>https://arxiv.org/</id><title>arXiv Search Results</title>"
        "<opensearch:totalResults>1</opensearch:totalResults>"
        "<opensearch:startIndex>0</opensearch:startIndex>"
        "<opensearch:itemsPerPage>1</opensearch:itemsPerPage>"
        "<entry><id>https://arxiv.org/api/errors#x</id><title>Error</title>"
        f"<summary>{escape(message)}</summary></entry></feed>"
    )


# --------------------------------------------------------------------------- PDF builder


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF (Helvetica text, one line per string) written byte by byte."""

    def pdf_string(text: str) -> str:
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, lines in enumerate(pages):
        content = "BT /F1 10 Tf 12 TL 72 760 Td " + " ".join(
            f"{pdf_string(line)} Tj T*" for line in lines
        )
        stream = (content + " ET").encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_ids[i] + 1} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --------------------------------------------------------------------------- recorded arXiv


def parse_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def request_key(query: dict[str, str]) -> tuple[str, str, str, str]:
    return (
        query.get("search_query", ""),
        query.get("id_list", ""),
        query.get("start", "0"),
        query.get("max_results", ""),
    )


def load_recorded() -> dict[tuple[str, str, str, str], Reply]:
    """The recorded export-API answers keyed by (search_query, id_list, start, max_results);
    empty when ../shared is absent."""
    table: dict[tuple[str, str, str, str], Reply] = {}
    if not RECORDED.is_dir():
        return table
    for path in sorted(RECORDED.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        table[request_key(parse_query(record["url"]))] = Reply(
            record["status_code"],
            record["body"],
            {"Content-Type": "application/atom+xml; charset=utf-8"},
        )
    return table
