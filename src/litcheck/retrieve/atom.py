"""Parse arXiv's Atom feeds (export API responses, saved feeds) into :class:`Paper` objects.

The feed format is documented at https://info.arxiv.org/help/api/user-manual.html#_details_of_atom_results_returned.
The standard library's XML parser is enough: the feed is small, flat and namespaced, and expat
refuses entity-expansion attacks, so no third-party parser is needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers import expat

from litcheck.errors import BadInputError, LitcheckError, ParseError
from litcheck.models import Paper
from litcheck.retrieve.ids import parse_arxiv_id

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_ATOM = "{" + NS["atom"] + "}"
# arXiv reports a bad query as a feed with one entry whose id points into its error docs.
_ERROR_ID = re.compile(r"https?://arxiv\.org/api/errors")
_ABS_PATH = re.compile(r"/abs/(?P<id>.+)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class AtomFeed:
    """One page of an arXiv Atom feed.

    Attributes:
        papers: the entries, in feed order.
        total_results: how many results the query has in all (``opensearch:totalResults``).
        start_index: offset of this page's first entry (``opensearch:startIndex``).
        items_per_page: page size the server applied (``opensearch:itemsPerPage``).
    """

    papers: list[Paper] = field(default_factory=list)
    total_results: int = 0
    start_index: int = 0
    items_per_page: int = 0


def _clean(text: str | None) -> str:
    # Titles and abstracts come hard-wrapped with indentation; one space is what users read.
    return _SPACES.sub(" ", text or "").strip()


def _child_text(entry: ET.Element, path: str) -> str | None:
    node = entry.find(path, NS)
    if node is None or node.text is None:
        return None
    text = _clean(node.text)
    return text or None


def _date(entry: ET.Element, path: str, where: str) -> datetime | None:
    text = _child_text(entry, path)
    if text is None:
        return None
    try:
        # arXiv writes 2021-04-20T16:07:14Z; Python 3.11's fromisoformat reads the Z.
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"Unreadable date {text!r} in {where}.", url=None) from exc


def _int(root: ET.Element, path: str, default: int) -> int:
    text = _child_text(root, path)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return default


def _describe(url: str | None, source: str | None = None) -> str:
    if url:
        return f"the arXiv response from {url}"
    return f"the Atom feed {source}" if source else "the Atom feed"


# Errors that mean the document stops early: a transfer or a save that did not finish.
_TRUNCATED = {
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
    expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
}
_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]
_AMPLIFICATION = expat.errors.codes.get(
    getattr(expat.errors, "XML_ERROR_AMPLIFICATION_LIMIT_BREACH", ""), -1
)
_ENTITY_AT = re.compile(rb"&([^\s;&<]{1,60});")


def _entity_name(data: bytes, position: tuple[int, int]) -> str | None:
    """The ``&name;`` reference at expat's (line, column) in ``data``, if one is there."""
    line, column = position
    lines = data.split(b"\n")
    if not 1 <= line <= len(lines):
        return None
    match = _ENTITY_AT.match(lines[line - 1], column)
    return match.group(1).decode("utf-8", "replace") if match else None


def _xml_problem(exc: ET.ParseError, data: bytes, where: str, from_network: bool) -> str:
    """Say what is wrong with a document expat refused, and what to do about it."""
    code = getattr(exc, "code", None)
    what = f"{where[0].upper()}{where[1:]}"
    if code == _UNDEFINED_ENTITY:
        name = _entity_name(data, exc.position)
        ref = f"the entity &{name};" if name else "an entity"
        return (
            f"{what} uses {ref}, which is not defined ({exc}): litcheck reads XML's own "
            "entities (&amp; &lt; &gt; &quot; &apos;) and numeric ones, never entities declared "
            "in a DTD or another file; a feed saved from arXiv's API has none, so fix or "
            "re-save the file."
        )
    if code == _AMPLIFICATION:
        return (
            f"{what} declares entities that expand to an enormous text ({exc}), a known "
            "attack (billion laughs); it was refused unread."
        )
    if code in _TRUNCATED:
        hint = "try again" if from_network else "save the feed again"
        return f"{what} stops before its end ({exc}): it was truncated; {hint}."
    if from_network:
        return (
            f"{what} is not well-formed XML ({exc}); it may have been truncated or garbled in "
            "transit: try again."
        )
    return f"{what} is not well-formed XML ({exc}); check the file (a saved Atom feed)."


def parse_entry(entry: ET.Element, url: str | None = None) -> Paper:
    """Turn one ``<entry>`` element into a :class:`Paper`.

    Args:
        entry: the Atom entry element.
        url: where the feed came from, for error messages.

    Returns:
        The paper's metadata (no full text).

    Raises:
        ParseError: when the entry has no usable arXiv id or an unreadable date.
    """
    where = _describe(url)
    entry_id = _child_text(entry, "atom:id")
    if entry_id is None:
        raise ParseError(f"An entry without an <id> in {where}.", url=url)
    match = _ABS_PATH.search(entry_id)
    if match is None:
        raise ParseError(f"Entry id {entry_id!r} in {where} is not an arXiv abs URL.", url=url)
    try:
        arxiv_id = parse_arxiv_id(match.group("id"))
    except BadInputError as exc:
        raise ParseError(f"Entry id {entry_id!r} in {where}: {exc}", url=url) from exc

    categories = [
        term
        for node in entry.findall("atom:category", NS)
        if (term := (node.get("term") or "").strip())
    ]
    primary_node = entry.find("arxiv:primary_category", NS)
    primary = (primary_node.get("term") or "").strip() if primary_node is not None else ""
    authors = [
        name
        for node in entry.findall("atom:author", NS)
        if (name := _clean(node.findtext("atom:name", default="", namespaces=NS)))
    ]
    doi = _child_text(entry, "arxiv:doi")
    if doi is None:
        # Some feeds carry the DOI only as a link titled "doi".
        for link in entry.findall("atom:link", NS):
            if link.get("title") == "doi" and link.get("href"):
                doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", link.get("href", ""))
                break
    return Paper(
        arxiv_id=arxiv_id.base,
        version=arxiv_id.version,
        title=_child_text(entry, "atom:title") or "",
        authors=authors,
        abstract=_child_text(entry, "atom:summary") or "",
        categories=categories,
        primary_category=primary or (categories[0] if categories else None),
        published=_date(entry, "atom:published", where),
        updated=_date(entry, "atom:updated", where),
        doi=doi,
        journal_ref=_child_text(entry, "arxiv:journal_ref"),
        comment=_child_text(entry, "arxiv:comment"),
    )


def parse_feed(
    body: str | bytes,
    url: str | None = None,
    *,
    on_bad_entry: Callable[[LitcheckError], None] | None = None,
    source: str | None = None,
) -> AtomFeed:
    """Parse an arXiv Atom feed.

    Args:
        body: the response body (bytes preferred: the XML declaration names the encoding).
        url: where it came from, named in error messages.
        on_bad_entry: when given, an entry that cannot be read (no arXiv id, a malformed one,
            an unreadable date) is passed to it as the error naming the entry, and skipped;
            without it, that error is raised.
        source: the file it was read from (when not from ``url``), named in error messages.

    Returns:
        The page: papers in feed order plus the paging counters.

    Raises:
        BadInputError: when arXiv answered with an error entry (e.g. ``incorrect id format for
            abc``); the message quotes arXiv's explanation.
        ParseError: when the body is not a well-formed Atom feed (truncated, garbled, HTML).

    Example:
        >>> feed = parse_feed(open("feed.xml", "rb").read())
        >>> feed.total_results, [p.arxiv_id for p in feed.papers]
    """
    where = _describe(url, source)
    data = body.encode("utf-8") if isinstance(body, str) else body
    if isinstance(body, str):
        # An encoding declaration in a str is meaningless to expat once re-encoded as UTF-8.
        data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data, count=1)
    if not data.strip():
        raise ParseError(f"{where[0].upper()}{where[1:]} is empty; try again later.", url=url)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(_xml_problem(exc, data, where, url is not None), url=url) from exc
    if root.tag != _ATOM + "feed":
        raise ParseError(
            f"{where[0].upper()}{where[1:]} is not an Atom feed (root element {root.tag!r}); "
            "check the API URL setting.",
            url=url,
        )
    entries = root.findall("atom:entry", NS)
    for entry in entries:
        entry_id = entry.findtext("atom:id", default="", namespaces=NS)
        if _ERROR_ID.match(entry_id.strip()):
            message = _child_text(entry, "atom:summary") or _child_text(entry, "atom:title")
            raise BadInputError(f"arXiv rejected the query: {message or 'unknown error'}.")
    papers: list[Paper] = []
    for entry in entries:
        try:
            papers.append(parse_entry(entry, url))
        except ParseError as exc:
            if on_bad_entry is None:
                raise
            on_bad_entry(exc)
    return AtomFeed(
        papers=papers,
        total_results=_int(root, "opensearch:totalResults", len(papers)),
        start_index=_int(root, "opensearch:startIndex", 0),
        items_per_page=_int(root, "opensearch:itemsPerPage", len(papers)),
    )
