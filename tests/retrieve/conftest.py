"""Fixtures for the retrieve tests (helpers live in ``support.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support import FakeClock, LocalServer, Reply, load_recorded, request_key

RecordedTable = dict[tuple[str, str, str, str], Reply]


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1; set ``server.handler`` or call ``server.replies``."""
    srv = LocalServer().start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recorded() -> RecordedTable:
    """The recorded arXiv answers from ../shared; skips the test when they are absent."""
    table = load_recorded()
    if not table:
        pytest.skip("../shared/data/arxiv-recorded is absent")
    return table


@pytest.fixture
def replay(server: LocalServer, recorded: RecordedTable) -> LocalServer:
    """The local server answering API queries with the recorded arXiv responses."""

    def handler(path: str, query: dict[str, str]) -> Reply:
        found = recorded.get(request_key(query))
        if found is None:
            return Reply(404, f"no recording for {request_key(query)}")
        return found

    server.handler = handler
    return server
