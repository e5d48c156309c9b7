"""Retrieve papers from arXiv: ids, polite HTTP, the export API, full text -> :class:`Paper`.

The public surface::

    parse_arxiv_id("arXiv:2104.08645v2")           # -> ArxivId(base='2104.08645', version=2)
    with ArxivClient(settings) as client:
        papers = client.search("zero-shot cross-lingual", max_results=20, category="cs.CL")
        paper = client.fetch(["2104.08645"])[0]
        paper = fetch_full_text(paper, client.http, settings)
"""

from litcheck.retrieve.arxiv_client import ArxivClient, PapersNotFoundError, build_search_query
from litcheck.retrieve.atom import AtomFeed, parse_feed
from litcheck.retrieve.fulltext import fetch_full_text
from litcheck.retrieve.html_parse import LatexmlDocument, parse_latexml
from litcheck.retrieve.http import HttpStatusError, PoliteHttp, parse_retry_after
from litcheck.retrieve.ids import ArxivId, parse_arxiv_id
from litcheck.retrieve.pdf_parse import parse_pdf
from litcheck.retrieve.plaintext import parse_sections_from_plaintext

__all__ = [
    "ArxivClient",
    "ArxivId",
    "AtomFeed",
    "HttpStatusError",
    "LatexmlDocument",
    "PapersNotFoundError",
    "PoliteHttp",
    "build_search_query",
    "fetch_full_text",
    "parse_arxiv_id",
    "parse_feed",
    "parse_latexml",
    "parse_pdf",
    "parse_retry_after",
    "parse_sections_from_plaintext",
]
