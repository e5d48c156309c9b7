"""Fetch a paper's full text: arXiv's HTML rendering, else ar5iv, else the PDF.

arXiv renders most papers submitted since December 2023 as HTML (LaTeXML); ar5iv holds
LaTeXML renderings of older papers (and redirects to the abstract page where it has none);
the PDF always exists but loses structure. So the sources are tried in that order and the
first that yields sections wins. Failure of all three is not an error: the paper keeps its
abstract and ``full_text_source`` stays ``None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from litcheck.errors import LitcheckError, ParseError, RetrievalError
from litcheck.models import Paper, Section
from litcheck.retrieve.html_parse import parse_latexml
from litcheck.retrieve.http import PoliteHttp
from litcheck.retrieve.pdf_parse import parse_pdf
from litcheck.settings import Settings

log = logging.getLogger(__name__)

#: Names recorded in ``Paper.full_text_source``, in the order they are tried.
SOURCES: tuple[str, ...] = ("html", "ar5iv", "pdf")


def _join(base: str, tail: str) -> str:
    return f"{base.rstrip('/')}/{tail}"


def _source_urls(paper: Paper, settings: Settings) -> list[tuple[str, str]]:
    return [
        ("html", _join(settings.arxiv_html_url, paper.versioned_id)),
        # ar5iv serves the latest version only, under the bare id.
        ("ar5iv", _join(settings.ar5iv_url, paper.arxiv_id)),
        ("pdf", _join(settings.arxiv_pdf_url, paper.versioned_id)),
    ]


_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_HOPS = 5


def _get_document(http: PoliteHttp, url: str) -> bytes:
    """GET a full-text URL, following redirects one polite request at a time.

    ar5iv (and arXiv's HTML service) answer a paper they cannot render with a redirect to its
    abstract page; following that would spend a request on a page with no full text, so a
    redirect to ``/abs/`` counts as "not available here".
    """
    for _ in range(_MAX_HOPS):
        response = http.get(url, ok_statuses=(200, *_REDIRECTS), follow_redirects=False)
        if response.status_code not in _REDIRECTS:
            return response.content
        location = response.headers.get("Location", "")
        if not location:
            raise ParseError(f"{url} redirects nowhere.", url=url)
        target = urljoin(url, location)
        if "/abs/" in urlsplit(target).path:
            raise ParseError(f"{url} has no rendering (it redirects to {target}).", url=url)
        url = target
    raise ParseError(f"{url} redirects too many times.", url=url)


def _html_sections(paper: Paper, body: bytes) -> tuple[list[Section], str]:
    document = parse_latexml(body)
    return document.sections, document.abstract


def _pdf_sections(paper: Paper, body: bytes) -> tuple[list[Section], str]:
    return parse_pdf(body), ""


def fetch_full_text(paper: Paper, http: PoliteHttp, settings: Settings) -> Paper:
    """Fetch and parse a paper's full text from the first source that has it.

    Tries ``{arxiv_html_url}/{versioned_id}``, then ``{ar5iv_url}/{arxiv_id}``, then
    ``{arxiv_pdf_url}/{versioned_id}``. A source that fails (404, network error after
    retries, a page that is not LaTeXML, an unreadable PDF) is logged and the next is tried.

    Args:
        paper: the paper (its id and version select the URLs).
        http: the polite HTTP layer (share the API client's, so one delay budget covers both).
        settings: the full-text base URLs and the offline flag.

    Returns:
        A copy of the paper with ``sections`` and ``full_text_source`` ('html', 'ar5iv' or
        'pdf') set; the abstract is filled from the page when the paper had none. When every
        source fails, or in offline mode, the paper unchanged.

    Example:
        >>> with ArxivClient(settings) as client:
        ...     paper = fetch_full_text(client.fetch(["2104.08645"])[0], client.http, settings)
        >>> paper.full_text_source, [s.title for s in paper.sections][:2]
    """
    if settings.offline:
        log.warning("offline mode: no full text fetched for %s", paper.versioned_id)
        return paper
    parsers: dict[str, Callable[[Paper, bytes], tuple[list[Section], str]]] = {
        "html": _html_sections,
        "ar5iv": _html_sections,
        "pdf": _pdf_sections,
    }
    failures: list[str] = []
    for source, url in _source_urls(paper, settings):
        try:
            body = _get_document(http, url)
            sections, abstract = parsers[source](paper, body)
        except (RetrievalError, ParseError) as exc:
            failures.append(f"{source}: {exc}")
            log.info("no %s full text for %s: %s", source, paper.versioned_id, exc)
            continue
        except LitcheckError as exc:  # pragma: no cover - defensive: parsers raise ParseError
            failures.append(f"{source}: {exc}")
            continue
        if not any(section.text.strip() for section in sections):
            failures.append(f"{source}: no section text")
            continue
        update: dict[str, object] = {"sections": sections, "full_text_source": source}
        if not paper.abstract and abstract:
            update["abstract"] = abstract
        return paper.model_copy(update=update)
    log.warning(
        "no full text for %s (keeping the abstract only): %s",
        paper.versioned_id,
        "; ".join(failures),
    )
    return paper
