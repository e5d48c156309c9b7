"""One interface for every literature source, the record it returns, and a fault-tolerant search.

A :class:`Source` searches one service and fetches records by id; each answer is a list of
:class:`SourceRecord` (the service's metadata in one shape). :func:`search_sources` asks several
sources the same query: a source that is down, rate-limits or answers garbage is recorded as a
:class:`SourceFailure` (with the reason) and the others go on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from litcheck.errors import BadInputError, LitcheckError
from litcheck.models import Paper
from litcheck.settings import Settings

if TYPE_CHECKING:
    from litcheck.retrieve.http import PoliteHttp

SourceName = Literal["arxiv", "openalex", "s2"]
#: Every source name `--source` accepts, in the default search order.
SOURCE_NAMES: tuple[SourceName, ...] = ("arxiv", "openalex", "s2")
#: DOI prefix of arXiv's own DOIs (10.48550/arXiv.2104.08645): an arXiv id, not a venue DOI.
ARXIV_DOI_PREFIX = "10.48550/arxiv."


class SourceRecord(BaseModel):
    """One paper as one source describes it.

    Identifiers are normalised on the way in: ``doi`` lower case without ``https://doi.org/``,
    ``arxiv_id`` without version. Every field but ``source``, ``source_id`` and ``title`` may be
    missing.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceName = Field(description="Which source returned it.")
    source_id: str = Field(description="The source's own id (arXiv id, OpenAlex W-id, S2 id).")
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    published: date | None = None
    abstract: str = ""
    doi: str | None = None
    arxiv_id: str | None = None
    openalex_id: str | None = None
    s2_id: str | None = None
    venue: str | None = None
    citation_count: int | None = Field(default=None, ge=0)
    url: str | None = None
    paper: Paper | None = Field(
        default=None, description="The full arXiv record, when the source is arXiv."
    )


@dataclass
class SourceFailure:
    """A source that could not answer a query: which, what was asked, and why."""

    source: str
    query: str
    reason: str


@dataclass
class SourceQuery:
    """One query sent to one source and how many records came back."""

    source: str
    query: str
    records: int


@dataclass
class MultiSearch:
    """What :func:`search_sources` found.

    Attributes:
        records: every record, per source, in the order the sources were asked.
        queries: each query sent, per source, with its record count.
        failures: sources that failed, with the reason.
        warnings: records a source answered but that could not be read (e.g. no title).
    """

    records: dict[str, list[SourceRecord]] = field(default_factory=dict)
    queries: list[SourceQuery] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def all_records(self) -> list[SourceRecord]:
        """Every record of every source, sources in the order asked."""
        return [r for recs in self.records.values() for r in recs]


class OwnedHttpClient:
    """Closes the HTTP layer a source created itself (an injected one is the caller's), and
    turns a response's items into records, skipping (with a warning) those it cannot read."""

    _owns_http: bool
    http: PoliteHttp
    warnings: list[str]

    def _convert(self, item: Any) -> SourceRecord:
        raise NotImplementedError

    def _records(self, items: Any, where: str) -> list[SourceRecord]:
        out: list[SourceRecord] = []
        for item in items:
            try:
                out.append(self._convert(item))
            except ValueError as exc:
                self.warnings.append(f"skipped a record of {where}: {exc}")
        return out

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            self.http.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@runtime_checkable
class Source(Protocol):
    """A literature source: search by words, fetch by id."""

    name: SourceName
    #: Problems with single records of the last answers (skipped records, with the reason).
    warnings: list[str]

    def search(self, query: str, max_results: int, since: date | None = None) -> list[SourceRecord]:
        """Up to ``max_results`` records for ``query``, most relevant first."""
        ...

    def fetch(self, ids: Sequence[str]) -> list[SourceRecord]:
        """Records for the ids this source can resolve (others are skipped)."""
        ...

    def close(self) -> None:
        """Release the source's HTTP connection."""
        ...


def parse_source_names(value: str | Sequence[str] | None) -> list[SourceName]:
    """Read ``--source arxiv,openalex,s2`` into source names, in the order given.

    Args:
        value: comma-separated names (or a list of them); ``None`` or empty means ``arxiv``.

    Returns:
        Distinct names; ``semanticscholar`` is accepted for ``s2``.

    Raises:
        BadInputError: on an unknown name.
    """
    if value is None:
        return ["arxiv"]
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in v.split(",")]
    out: list[SourceName] = []
    for raw in parts:
        name = raw.strip().lower()
        if not name:
            continue
        alias = {"semanticscholar": "s2", "semantic-scholar": "s2"}.get(name, name)
        if alias not in SOURCE_NAMES:
            raise BadInputError(
                f"Unknown source {raw.strip()!r}; choose from {', '.join(SOURCE_NAMES)}."
            )
        if alias not in out:
            out.append(alias)
    return out or ["arxiv"]


def normalise_doi(value: str | None) -> str | None:
    """``https://doi.org/10.1/ABC`` -> ``10.1/abc``; ``None`` for anything that is not a DOI."""
    if not value:
        return None
    text = value.strip().lower()
    text = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text)
    return text if re.match(r"^10\.\d{4,9}/\S+$", text) else None


def arxiv_id_from_doi(doi: str | None) -> str | None:
    """The arXiv id inside an arXiv DOI (``10.48550/arxiv.2104.08645`` -> ``2104.08645``)."""
    if doi and doi.startswith(ARXIV_DOI_PREFIX):
        return normalise_arxiv(doi[len(ARXIV_DOI_PREFIX) :])
    return None


def normalise_arxiv(value: str | None) -> str | None:
    """An arXiv id or URL without version, or ``None`` when it does not parse."""
    if not value:
        return None
    from litcheck.retrieve.ids import parse_arxiv_id

    text = value.strip()
    text = re.sub(r"^https?://(www\.|export\.)?arxiv\.org/(abs|pdf)/", "", text, flags=re.I)
    text = re.sub(r"\.pdf$", "", text, flags=re.I)
    try:
        return parse_arxiv_id(text).base
    except BadInputError:
        return None


def ascii_fold(text: str) -> str:
    """Strip accents: ``Müller`` -> ``Muller`` (NFKD, combining marks dropped)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_sources(
    sources: Sequence[Source],
    queries: Sequence[str],
    max_results: int,
    since: date | None = None,
) -> MultiSearch:
    """Send every query to every source; failures are recorded, never raised.

    Args:
        sources: the sources to ask, in order.
        queries: the queries (each is sent to each source).
        max_results: most records per query and source.
        since: only records published on or after this date.

    Returns:
        The records per source, the queries sent with their counts, and the failures. A source
        that fails one query is not asked the rest (it is down or rate-limiting).

    Example:
        >>> found = search_sources([ArxivSource(cfg), OpenAlexClient(cfg)], ["robust xlt"], 10)
        >>> [f.reason for f in found.failures]
    """
    result = MultiSearch()
    for source in sources:
        got = result.records.setdefault(source.name, [])
        seen = {r.source_id for r in got}
        for query in queries:
            try:
                records = source.search(query, max_results, since)
            except LitcheckError as exc:
                result.failures.append(SourceFailure(source.name, query, str(exc)))
                break
            result.queries.append(SourceQuery(source.name, query, len(records)))
            for record in records:
                if record.source_id not in seen:
                    seen.add(record.source_id)
                    got.append(record)
        result.warnings.extend(f"{source.name}: {w}" for w in source.warnings)
        source.warnings.clear()
    return result


def source_http(
    settings: Settings, delay: float, headers: dict[str, str] | None = None
) -> PoliteHttp:
    """A :class:`PoliteHttp` of its own for one source: its own delay, connection and headers.

    Each source gets its own layer so that one host's spacing (arXiv's 3 s) never slows the
    others, while retries, timeouts, ``Retry-After`` and offline mode follow the same settings.

    Args:
        settings: timeouts, retries, backoff, user agent, offline.
        delay: minimum seconds between two requests to this source.
        headers: extra headers sent with every request (e.g. an API key).

    Returns:
        The HTTP layer; the caller closes its client (``http.client.close()``).
    """
    import httpx

    from litcheck.retrieve.http import PoliteHttp

    own = settings.model_copy(update={"request_delay": delay})
    client = httpx.Client(
        timeout=settings.timeout,
        headers={"User-Agent": settings.user_agent, **(headers or {})},
        follow_redirects=True,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )
    return PoliteHttp(own, client)
