"""A polite HTTP layer: one request at a time, spaced, retried with backoff, typed errors.

arXiv's terms of use ask for no more than one request every three seconds over a single
connection (https://info.arxiv.org/help/api/tou.html). Every network call litcheck makes goes
through one :class:`PoliteHttp`, which enforces that for all arXiv hosts together (the API, the
HTML rendering, ar5iv and the PDFs belong to one operator, so one budget is the honest reading).

The ``httpx.Client`` is injected (tests point it at a local server or swap its transport) and so
are the clock and the sleep function, so tests of spacing and backoff take no real time.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
import time
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from litcheck.errors import OfflineError, RetrievalError
from litcheck.settings import Settings

log = logging.getLogger(__name__)

#: Statuses worth retrying: rate limiting and server-side trouble.
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})


class HttpStatusError(RetrievalError):
    """The server answered with a status that retrying will not fix (e.g. 400 or 404).

    Attributes:
        status_code: the HTTP status.
        body: the response body as text (arXiv's API explains a 400 in an Atom error entry).
    """

    def __init__(
        self, message: str, url: str | None, status_code: int, body: str = "", retries: int = 0
    ) -> None:
        super().__init__(message, url=url, retries=retries)
        self.status_code = status_code
        self.body = body


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delta seconds or an HTTP date.

    Args:
        value: the header value, or ``None`` when absent.
        now: the current time for HTTP dates (default: the system clock, UTC).

    Returns:
        Seconds to wait (never negative), or ``None`` when absent or unreadable.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


# Errors that say this machine has no way to the host: retrying in a few seconds cannot help.
_NO_ROUTE_ERRNOS = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN})
_NO_NETWORK_TEXT = (
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "no address associated with hostname",
    "network is unreachable",
)


def no_network_reason(exc: BaseException) -> str | None:
    """Why ``exc`` means "no network here" (no DNS, no route), or None for other failures.

    A refused connection or a timeout may pass (a server restarting, a slow link) and is
    retried; a name that cannot be resolved or a network that cannot be reached will not.

    Args:
        exc: the transport error httpx raised.

    Returns:
        A short reason such as ``"the name export.arxiv.org cannot be resolved"``, or None.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return "its name cannot be resolved (no DNS: this machine looks offline)"
        if isinstance(current, OSError) and current.errno in _NO_ROUTE_ERRNOS:
            return "no network route to it (this machine looks offline)"
        text = str(current).lower()
        if any(t in text for t in _NO_NETWORK_TEXT):
            return "it cannot be reached (no DNS or no route: this machine looks offline)"
        current = current.__cause__ or current.__context__
    return None


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def status_text(response: httpx.Response) -> str:
    """``404 Not Found`` (the reason phrase when the server sent one)."""
    phrase = response.reason_phrase
    return f"{response.status_code} {phrase}" if phrase else str(response.status_code)


class PoliteHttp:
    """Sequential, spaced, retrying GET requests.

    Args:
        settings: source of ``request_delay``, ``timeout``, ``retries``, ``backoff``,
            ``max_retry_after``, ``user_agent`` and ``offline``.
        client: the ``httpx.Client`` to send through; by default one is created with the
            settings' timeout and user agent, a single connection and redirects followed.
        sleep: called with seconds to wait (tests pass a fake that advances a fake clock).
        clock: monotonic seconds, used to space requests.

    Example:
        >>> http = PoliteHttp(Settings())
        >>> response = http.get("https://export.arxiv.org/api/query", {"id_list": "2104.08645"})
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._owns_client = client is None
        self.client = client if client is not None else self._default_client(settings)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._last_request_end: float | None = None

    @staticmethod
    def _default_client(settings: Settings) -> httpx.Client:
        # One connection: arXiv asks clients not to open parallel connections.
        return httpx.Client(
            timeout=settings.timeout,
            headers={"User-Agent": settings.user_agent},
            follow_redirects=True,
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )

    def close(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> PoliteHttp:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _wait_turn(self) -> None:
        # Spacing is measured from the end of the previous response, the conservative reading
        # of "one request every N seconds" when responses are slow.
        if self._last_request_end is None:
            return
        remaining = self.settings.request_delay - (self._clock() - self._last_request_end)
        if remaining > 0:
            self._sleep(remaining)

    def _backoff(self, attempt: int) -> float:
        return float(self.settings.backoff * (2**attempt))

    def get(
        self,
        url: str,
        params: Mapping[str, str | int] | None = None,
        *,
        ok_statuses: Collection[int] = (200,),
        follow_redirects: bool = True,
    ) -> httpx.Response:
        """GET ``url`` politely: wait for the turn, retry transient failures, raise typed errors.

        Args:
            url: the absolute URL.
            params: query parameters, encoded by httpx.
            ok_statuses: statuses returned to the caller as success.
            follow_redirects: let httpx follow redirects within this call; pass ``False`` (and
                redirect statuses in ``ok_statuses``) to see and judge each hop.

        Returns:
            The response, whose status is in ``ok_statuses``.

        Raises:
            OfflineError: when ``settings.offline`` is set (nothing is sent).
            HttpStatusError: on a status that is neither OK nor worth retrying (400, 404, ...).
            RetrievalError: when retries are exhausted (on 429/5xx, timeouts or connection
                errors) or ``Retry-After`` asks for longer than ``max_retry_after``; carries
                ``url`` and ``retries``.
        """
        try:
            request = self.client.build_request("GET", url, params=dict(params) if params else None)
        except httpx.InvalidURL as exc:
            raise RetrievalError(f"Cannot fetch {url!r}: {exc}; check the URL setting.") from exc
        full_url = str(request.url)
        if self.settings.offline:
            raise OfflineError(
                f"Offline mode is on (LITCHECK_OFFLINE), so {full_url} was not fetched; "
                "unset it to use the network, or load papers with `litcheck library import`.",
                url=full_url,
            )
        with self._lock:
            return self._get_locked(full_url, ok_statuses, follow_redirects)

    def _get_locked(
        self, url: str, ok_statuses: Collection[int], follow_redirects: bool
    ) -> httpx.Response:
        retries = self.settings.retries
        attempt = 0
        while True:
            self._wait_turn()
            try:
                response = self.client.get(
                    url,
                    timeout=self.settings.timeout,
                    headers={"User-Agent": self.settings.user_agent},
                    follow_redirects=follow_redirects,
                )
            except httpx.UnsupportedProtocol as exc:
                raise RetrievalError(
                    f"Cannot fetch {url}: {exc}; check the URL setting.", url=url
                ) from exc
            except httpx.TimeoutException as exc:
                self._last_request_end = self._clock()
                problem = f"timed out after {self.settings.timeout:g} s"
                if attempt >= retries:
                    raise self._give_up(url, problem, attempt, hint_timeout=True) from exc
                wait = self._backoff(attempt)
                log.warning("%s %s; retrying in %.1f s", url, problem, wait)
            except httpx.TransportError as exc:
                self._last_request_end = self._clock()
                offline = no_network_reason(exc)
                if offline is not None:
                    # Fail at once: three retries with backoff would take half a minute to
                    # say the same thing, naming the URL each time.
                    raise RetrievalError(
                        f"Cannot reach {_host(url)}: {offline}. Work from the library with "
                        "--offline (or LITCHECK_OFFLINE=1), or point the source's URL setting "
                        f"(e.g. LITCHECK_ARXIV_API_URL) at a server you can reach. ({url})",
                        url=url,
                        retries=attempt,
                    ) from exc
                problem = f"could not connect ({type(exc).__name__}: {exc})"
                if attempt >= retries:
                    raise self._give_up(url, problem, attempt) from exc
                wait = self._backoff(attempt)
                log.warning("%s %s; retrying in %.1f s", url, problem, wait)
            else:
                self._last_request_end = self._clock()
                status = response.status_code
                if status in ok_statuses:
                    return response
                if status not in RETRY_STATUSES:
                    raise HttpStatusError(
                        f"{_host(url)} answered {status_text(response)} to {url}.",
                        url=url,
                        status_code=status,
                        body=response.text,
                        retries=attempt,
                    )
                problem = f"answered {status_text(response)}"
                if attempt >= retries:
                    raise self._give_up(url, problem, attempt)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    # Waiting less than asked and retrying would be impolite; stop instead.
                    raise RetrievalError(
                        f"{_host(url)} {problem} to {url} and asked to wait {retry_after:.0f} s, "
                        f"longer than max_retry_after ({self.settings.max_retry_after:g} s); "
                        "try again later.",
                        url=url,
                        retries=attempt,
                    )
                wait = retry_after if retry_after is not None else self._backoff(attempt)
                log.warning("%s %s; retrying in %.1f s", url, problem, wait)
            if wait > 0:
                self._sleep(wait)
            attempt += 1

    def _give_up(
        self, url: str, problem: str, attempt: int, *, hint_timeout: bool = False
    ) -> RetrievalError:
        tries = attempt + 1
        advice = (
            "the server may be slow: raise LITCHECK_TIMEOUT or try again later"
            if hint_timeout
            else "the service may be down or rate-limiting: try again later"
        )
        return RetrievalError(
            f"{_host(url)} {problem} for {url}; gave up after {tries} "
            f"attempt{'s' if tries != 1 else ''} ({attempt} "
            f"retr{'ies' if attempt != 1 else 'y'}); {advice}.",
            url=url,
            retries=attempt,
        )
