"""arXiv identifiers: parse what users type (ids, ``arXiv:`` ids, URLs) into one canonical form.

Two id schemes exist (https://info.arxiv.org/help/arxiv_identifier.html):

- new style (April 2007 on): ``YYMM.NNNN`` (to 2014) or ``YYMM.NNNNN`` (2015 on), e.g.
  ``2104.08645``;
- old style (to March 2007): ``archive/YYMMNNN``, e.g. ``hep-th/9901001``; the archive may carry
  a subject class (``math.GT/0309136``), which is not part of the canonical id (arXiv itself
  lists that paper as ``math/0309136``), so it is dropped.

Either may end in a version, ``v1``, ``v2``, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litcheck.errors import BadInputError

_VERSION = r"(?:v(?P<version>\d+))?"
# re.ASCII: ``\d`` would otherwise take any Unicode digit ("٢١٠٤.٠٨٦٤٥"), which no arXiv id has.
_NEW_STYLE = re.compile(rf"(?P<yymm>\d{{4}})\.(?P<number>\d{{4,5}}){_VERSION}", re.ASCII)
_OLD_STYLE = re.compile(
    rf"(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.(?P<subject>[a-z]+(?:-[a-z]+)*))?"
    rf"/(?P<yymm>\d{{4}})(?P<number>\d{{3}}){_VERSION}",
    re.IGNORECASE | re.ASCII,
)
# Hosts and path prefixes under which arXiv (and its mirrors) serve a paper by id.
_URL = re.compile(
    r"(?:https?://)?(?:(?:www\.|export\.|ar5iv\.labs\.)?arxiv\.org|(?:www\.)?ar5iv\.org)"
    r"/(?:abs|pdf|html|format|ps)/(?P<rest>.+)",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)

#: The highest version accepted. arXiv papers have tens of versions at most; the bound keeps a
#: version a plain integer that SQLite can store (it overflows at 2**63) and rejects junk early.
MAX_VERSION = 9999
#: How much of a malformed input an error message quotes (the rest is elided).
_QUOTE_CHARS = 60

_EXPECTED = (
    "expected an arXiv id such as 2104.08645, 2104.08645v2, hep-th/9901001 "
    "or a URL such as https://arxiv.org/abs/2104.08645"
)


@dataclass(frozen=True, order=True)
class ArxivId:
    """A parsed arXiv identifier.

    Attributes:
        base: the id without version, e.g. ``'2104.08645'`` or ``'hep-th/9901001'``.
        version: the version number when one was given (``2`` for ``v2``), else ``None``.
    """

    base: str
    version: int | None = None

    @property
    def versioned(self) -> str:
        """The id with its version when it has one, e.g. ``'2104.08645v2'``."""
        return f"{self.base}v{self.version}" if self.version is not None else self.base

    @property
    def is_old_style(self) -> bool:
        """True for pre-2007 ids of the form ``archive/YYMMNNN``."""
        return "/" in self.base

    def __str__(self) -> str:
        return self.versioned


def _quote(raw: str) -> str:
    # A hostile id can be megabytes long; one line of error names its start and its length.
    if len(raw) <= _QUOTE_CHARS:
        return repr(raw)
    return f"{raw[:_QUOTE_CHARS]!r}… ({len(raw):,} characters)"


def _bad(raw: str, why: str) -> BadInputError:
    return BadInputError(f"Malformed arXiv id {_quote(raw)} ({why}); {_EXPECTED}.")


def _check_month(raw: str, yymm: str) -> None:
    # Both schemes start with YYMM; a month outside 01-12 can never be a real paper.
    month = int(yymm[2:])
    if not 1 <= month <= 12:
        raise _bad(raw, f"month {yymm[2:]} does not exist")


def _check_version(raw: str, version: str | None) -> int | None:
    if version is None:
        return None
    digits = version.lstrip("0")
    # Compare lengths before int(): a 5,000-digit version would exceed Python's int limit.
    if len(digits) > len(str(MAX_VERSION)) or int(digits or "0") > MAX_VERSION:
        raise _bad(raw, f"version out of range: versions go from v1 to v{MAX_VERSION}")
    number = int(digits or "0")
    if number < 1:
        raise _bad(raw, "versions start at v1")
    return number


def parse_arxiv_id(s: str) -> ArxivId:
    """Parse an arXiv id, an ``arXiv:`` id or an arXiv/ar5iv URL.

    Nothing is looked up: this only checks the form, so a malformed id fails before any request.

    Args:
        s: what the user typed, e.g. ``'2104.08645v2'``, ``'arXiv:2104.08645'``,
            ``'hep-th/9901001'``, ``'math.GT/0309136'``, ``'https://arxiv.org/abs/2104.08645v2'``,
            ``'https://arxiv.org/pdf/2104.08645v2.pdf'`` or
            ``'https://ar5iv.labs.arxiv.org/html/2104.08645'``.

    Returns:
        The canonical id (``base`` without version, ``version`` or ``None``).

    Raises:
        BadInputError: when ``s`` is not an arXiv id (or its version is not between v1 and
            :data:`MAX_VERSION`); the message names the input and the expected form.

    Example:
        >>> parse_arxiv_id("https://arxiv.org/pdf/2104.08645v2.pdf")
        ArxivId(base='2104.08645', version=2)
    """
    if not isinstance(s, str):
        raise BadInputError(f"Malformed arXiv id {s!r} (not text); {_EXPECTED}.")
    text = s.strip()
    if not text:
        raise _bad(s, "empty")
    text = _PREFIX.sub("", text)
    url = _URL.fullmatch(text.split("#", 1)[0].split("?", 1)[0])
    if url is not None:
        text = url.group("rest").rstrip("/")
        if text.lower().endswith(".pdf"):
            text = text[: -len(".pdf")]
    elif "://" in text or text.lower().startswith(("www.", "arxiv.org", "ar5iv.")):
        raise _bad(s, "not an arXiv URL")

    new = _NEW_STYLE.fullmatch(text)
    if new is not None:
        _check_month(s, new.group("yymm"))
        return ArxivId(
            base=f"{new.group('yymm')}.{new.group('number')}",
            version=_check_version(s, new.group("version")),
        )
    old = _OLD_STYLE.fullmatch(text)
    if old is not None:
        _check_month(s, old.group("yymm"))
        return ArxivId(
            base=f"{old.group('archive').lower()}/{old.group('yymm')}{old.group('number')}",
            version=_check_version(s, old.group("version")),
        )
    raise _bad(s, "not in a known arXiv id form")
