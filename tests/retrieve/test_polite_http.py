"""The polite HTTP layer against a real local server: spacing, retries, Retry-After, timeouts."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from litcheck.errors import OfflineError, RetrievalError
from litcheck.retrieve.http import HttpStatusError, PoliteHttp, parse_retry_after

from .support import FakeClock, LocalServer, Reply, make_settings


def test_offline_refuses_before_any_request(server: LocalServer) -> None:
    server.replies(Reply(200, b"ok"))
    http = PoliteHttp(make_settings(server.url, offline=True))
    with pytest.raises(OfflineError) as info:
        http.get(f"{server.url}/api/query", {"id_list": "2104.08645"})
    assert server.requests == []
    assert "id_list=2104.08645" in (info.value.url or "")
    assert "LITCHECK_OFFLINE" in str(info.value)


def test_user_agent_and_query_are_sent(server: LocalServer) -> None:
    server.replies(Reply(200, b"ok"))
    with PoliteHttp(make_settings(server.url, user_agent="litcheck-test/1")) as http:
        response = http.get(f"{server.url}/x", {"q": "a b", "n": 3})
    assert response.text == "ok"
    (seen,) = server.requests
    assert seen.query == {"q": "a b", "n": "3"}
    assert seen.headers["User-Agent"] == "litcheck-test/1"


def test_requests_are_spaced_by_the_delay_fake_clock(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(200, b"ok"))
    http = PoliteHttp(make_settings(server.url, request_delay=3.0), sleep=clock.sleep, clock=clock)
    for _ in range(3):
        http.get(f"{server.url}/x")
    # The first request goes at once; each later one waits the full delay (the fake clock
    # does not move between requests).
    assert clock.sleeps == [3.0, 3.0]


def test_requests_are_spaced_by_the_delay_real_clock(server: LocalServer) -> None:
    server.replies(Reply(200, b"ok"))
    http = PoliteHttp(make_settings(server.url, request_delay=0.15))
    for _ in range(3):
        http.get(f"{server.url}/x")
    arrivals = [seen.at for seen in server.requests]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert all(gap >= 0.15 for gap in gaps), gaps


def test_one_request_at_a_time_across_threads(server: LocalServer) -> None:
    server.replies(Reply(200, b"ok", delay=0.05))
    http = PoliteHttp(make_settings(server.url))
    threads = [threading.Thread(target=http.get, args=(f"{server.url}/x",)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(server.requests) == 4
    assert server.max_active == 1


def test_429_then_success_waits_retry_after(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(429, b"slow down", {"Retry-After": "7"}), Reply(200, b"ok"))
    http = PoliteHttp(
        make_settings(server.url, request_delay=3.0, backoff=1.0), sleep=clock.sleep, clock=clock
    )
    response = http.get(f"{server.url}/x")
    assert response.text == "ok"
    assert len(server.requests) == 2
    # Retry-After (7 s) is honoured instead of the backoff (1 s); it also covers the delay.
    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date(server: LocalServer, clock: FakeClock) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server.replies(Reply(503, b"busy", {"Retry-After": when}), Reply(200, b"ok"))
    http = PoliteHttp(make_settings(server.url), sleep=clock.sleep, clock=clock)
    assert http.get(f"{server.url}/x").text == "ok"
    (wait,) = clock.sleeps
    assert 27.0 <= wait <= 30.0


def test_retry_after_longer_than_the_cap_gives_up(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(429, b"", {"Retry-After": "3600"}), Reply(200, b"ok"))
    http = PoliteHttp(
        make_settings(server.url, max_retry_after=60.0), sleep=clock.sleep, clock=clock
    )
    with pytest.raises(RetrievalError) as info:
        http.get(f"{server.url}/x")
    assert len(server.requests) == 1
    assert clock.sleeps == []
    assert "3600" in str(info.value)
    assert "max_retry_after" in str(info.value)


def test_503_storm_gives_up_with_url_and_retries(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(503, b"down"))
    http = PoliteHttp(
        make_settings(server.url, retries=3, backoff=2.0), sleep=clock.sleep, clock=clock
    )
    url = f"{server.url}/api/query?id_list=2104.08645"
    with pytest.raises(RetrievalError) as info:
        http.get(url)
    error = info.value
    assert len(server.requests) == 4  # the first try and three retries
    assert clock.sleeps == [2.0, 4.0, 8.0]  # exponential backoff
    assert error.url == url
    assert error.retries == 3
    message = str(error)
    assert "503" in message
    assert url in message
    assert "3 retries" in message
    assert "try again later" in message
    assert "\n" not in message


def test_non_retryable_status_raises_at_once(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(404, b"missing"))
    http = PoliteHttp(make_settings(server.url, retries=3), sleep=clock.sleep, clock=clock)
    with pytest.raises(HttpStatusError) as info:
        http.get(f"{server.url}/x")
    assert info.value.status_code == 404
    assert info.value.body == "missing"
    assert len(server.requests) == 1
    assert clock.sleeps == []


def test_slow_server_hits_the_timeout(server: LocalServer, clock: FakeClock) -> None:
    server.replies(Reply(200, b"late", delay=1.0))
    http = PoliteHttp(
        make_settings(server.url, timeout=0.2, retries=1, backoff=0.5),
        sleep=clock.sleep,
        clock=clock,
    )
    started = time.monotonic()
    with pytest.raises(RetrievalError) as info:
        http.get(f"{server.url}/slow")
    elapsed = time.monotonic() - started
    assert elapsed < 0.9  # neither attempt waited for the 1 s answer
    assert len(server.requests) == 2
    assert clock.sleeps == [0.5]
    assert info.value.retries == 1
    assert "timed out after 0.2 s" in str(info.value)
    assert "LITCHECK_TIMEOUT" in str(info.value)


def test_connection_refused_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as sock:  # find a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/query"
    http = PoliteHttp(make_settings(retries=2, backoff=1.0), sleep=clock.sleep, clock=clock)
    with pytest.raises(RetrievalError) as info:
        http.get(url)
    assert clock.sleeps == [1.0, 2.0]
    assert info.value.retries == 2
    assert "could not connect" in str(info.value)
    assert info.value.url == url


def test_bad_url_scheme_is_a_clear_error() -> None:
    http = PoliteHttp(make_settings())
    with pytest.raises(RetrievalError, match="check the URL setting"):
        http.get("ftp://127.0.0.1/x")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("12", 12.0),
        ("1.5", 1.5),
        ("-3", 0.0),
        ("Wed, 21 Oct 2026 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 10, 21, 7, 28, 0, tzinfo=UTC)
    assert parse_retry_after(value, now) == expected


@pytest.mark.parametrize(
    "cause",
    [
        socket.gaierror(-3, "Temporary failure in name resolution"),
        OSError(101, "Network is unreachable"),
    ],
)
def test_no_network_fails_at_once_with_a_hint(clock: FakeClock, cause: OSError) -> None:
    import httpx

    calls: list[str] = []

    def no_network(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        raise httpx.ConnectError(str(cause), request=request) from cause

    client = httpx.Client(transport=httpx.MockTransport(no_network))
    http = PoliteHttp(
        make_settings(retries=3, backoff=5.0), client=client, sleep=clock.sleep, clock=clock
    )
    url = "http://127.0.0.1:9/api/query"
    with pytest.raises(RetrievalError) as info:
        http.get(url)
    assert len(calls) == 1  # no retries
    assert clock.sleeps == []  # no backoff: it fails in well under a second
    message = str(info.value)
    assert "\n" not in message
    assert "--offline" in message and "LITCHECK_OFFLINE" in message
    assert message.count(url) == 1
