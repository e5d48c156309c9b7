from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support import LocalApi


@pytest.fixture
def api() -> Iterator[LocalApi]:
    srv = LocalApi().start()
    try:
        yield srv
    finally:
        srv.stop()
