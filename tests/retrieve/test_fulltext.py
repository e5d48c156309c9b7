"""fetch_full_text against a local server: HTML first, then ar5iv, then PDF, else abstract only."""

from __future__ import annotations

import logging

import pytest

from litcheck.models import Paper
from litcheck.retrieve.fulltext import fetch_full_text
from litcheck.retrieve.http import PoliteHttp

from .support import LocalServer, Reply, make_pdf, make_settings
from .test_html_parse import LATEXML_PAGE

PAPER = Paper(arxiv_id="2104.08645", version=2, title="Robust training", abstract="Abstract.")
PDF = make_pdf([["1 Introduction", "Text from the PDF.", "2 Results", "Accuracy 87.6 89.5"]])
NOT_LATEXML = "<html><body><h1>arXiv abstract page</h1></body></html>"


def serve(server: LocalServer, routes: dict[str, Reply]) -> None:
    server.handler = lambda path, query: routes.get(path, Reply(404, b"not found"))


def fetch(server: LocalServer, paper: Paper = PAPER, **overrides: object) -> Paper:
    settings = make_settings(server.url, retries=0, **overrides)
    with PoliteHttp(settings) as http:
        return fetch_full_text(paper, http, settings)


def test_arxiv_html_first(server: LocalServer) -> None:
    serve(server, {"/html/2104.08645v2": Reply(200, LATEXML_PAGE)})
    paper = fetch(server)
    assert paper.full_text_source == "html"
    assert [s.number for s in paper.sections] == ["1", "4", "4.2", "A"]
    assert "RS-DA | 94.4 | 87.6" in paper.sections[2].text
    assert paper.abstract == "Abstract."  # metadata abstract kept
    assert [r.path for r in server.requests] == ["/html/2104.08645v2"]


def test_ar5iv_when_html_is_missing(server: LocalServer) -> None:
    serve(server, {"/ar5iv/2104.08645": Reply(200, LATEXML_PAGE)})
    paper = fetch(server)
    assert paper.full_text_source == "ar5iv"
    assert [r.path for r in server.requests] == ["/html/2104.08645v2", "/ar5iv/2104.08645"]


def test_pdf_when_html_pages_are_not_papers(server: LocalServer) -> None:
    # ar5iv answers 200 with a non-LaTeXML page (its redirect to the abstract page).
    serve(
        server,
        {
            "/html/2104.08645v2": Reply(200, NOT_LATEXML),
            "/ar5iv/2104.08645": Reply(200, NOT_LATEXML),
            "/pdf/2104.08645v2": Reply(200, PDF, {"Content-Type": "application/pdf"}),
        },
    )
    paper = fetch(server)
    assert paper.full_text_source == "pdf"
    assert [(s.number, s.title) for s in paper.sections] == [
        ("1", "Introduction"),
        ("2", "Results"),
    ]
    assert "87.6" in paper.sections[1].text


def test_redirects_are_followed_except_to_the_abstract_page(server: LocalServer) -> None:
    serve(
        server,
        {
            # arXiv's HTML service moves an id to its versioned page: followed.
            "/html/2104.08645v2": Reply(302, b"", {"Location": "/html/moved/2104.08645v2"}),
            "/html/moved/2104.08645v2": Reply(404, b""),
            # ar5iv sends papers it cannot render to the abstract page: not followed.
            "/ar5iv/2104.08645": Reply(302, b"", {"Location": "/abs/2104.08645"}),
            "/abs/2104.08645": Reply(200, NOT_LATEXML),
            "/pdf/2104.08645v2": Reply(200, PDF),
        },
    )
    paper = fetch(server)
    assert paper.full_text_source == "pdf"
    assert [r.path for r in server.requests] == [
        "/html/2104.08645v2",
        "/html/moved/2104.08645v2",
        "/ar5iv/2104.08645",
        "/pdf/2104.08645v2",
    ]


def test_unversioned_paper_uses_bare_ids(server: LocalServer) -> None:
    serve(server, {"/pdf/2104.08645": Reply(200, PDF)})
    paper = fetch(server, PAPER.model_copy(update={"version": None}))
    assert paper.full_text_source == "pdf"
    assert [r.path for r in server.requests] == [
        "/html/2104.08645",
        "/ar5iv/2104.08645",
        "/pdf/2104.08645",
    ]


def test_abstract_filled_from_page_when_missing(server: LocalServer) -> None:
    serve(server, {"/html/2104.08645v2": Reply(200, LATEXML_PAGE)})
    paper = fetch(server, PAPER.model_copy(update={"abstract": ""}))
    assert paper.abstract == "Robust training improves zero-shot transfer."


def test_all_sources_failing_keeps_the_abstract(
    server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    serve(
        server,
        {
            "/html/2104.08645v2": Reply(503, b"down"),
            "/ar5iv/2104.08645": Reply(200, NOT_LATEXML),
            "/pdf/2104.08645v2": Reply(200, b"%PDF-1.4 truncated"),
        },
    )
    with caplog.at_level(logging.WARNING, logger="litcheck.retrieve"):
        paper = fetch(server)
    assert paper == PAPER
    assert paper.full_text_source is None
    assert len(server.requests) == 3
    assert any("no full text for 2104.08645v2" in r.getMessage() for r in caplog.records)


def test_slow_source_falls_through_to_the_next(server: LocalServer) -> None:
    serve(
        server,
        {
            "/html/2104.08645v2": Reply(200, LATEXML_PAGE, delay=1.0),
            "/ar5iv/2104.08645": Reply(200, LATEXML_PAGE),
        },
    )
    paper = fetch(server, timeout=0.2)
    assert paper.full_text_source == "ar5iv"


def test_offline_fetches_nothing(server: LocalServer) -> None:
    serve(server, {"/html/2104.08645v2": Reply(200, LATEXML_PAGE)})
    paper = fetch(server, offline=True)
    assert paper == PAPER
    assert server.requests == []
