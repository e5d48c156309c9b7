"""Search flow: counts from a multi-source search with a failing source; table and SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from litcheck.errors import RetrievalError
from litcheck.library import Library
from litcheck.report.query import expand_query
from litcheck.report.search_flow import (
    SearchFlow,
    search_flow_markdown,
    search_flow_svg,
)
from litcheck.report.sources import MultiSourcePaperSource
from litcheck.retrieve.sources import SourceRecord

TITLE = "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training"


class FakeSource:
    def __init__(self, name: str, records: list[SourceRecord] | None, fail: str = "") -> None:
        self.name = name
        self.records = records or []
        self.fail = fail
        self.warnings: list[str] = []

    def search(self, query: str, max_results: int, since: date | None = None) -> list[SourceRecord]:
        if self.fail:
            raise RetrievalError(self.fail)
        return self.records[:max_results]

    def fetch(self, ids: list[str]) -> list[SourceRecord]:
        return []

    def close(self) -> None:
        pass


def _r(source: str, sid: str, **kw: object) -> SourceRecord:
    return SourceRecord(source=source, source_id=sid, **kw)  # type: ignore[arg-type]


def test_multi_source_flow(tmp_path: Path) -> None:
    oa = FakeSource(
        "openalex",
        [
            _r(
                "openalex",
                "W1",
                title=TITLE,
                year=2021,
                doi="10.1/robust",
                abstract="Robust training.",
                authors=["Kuan-Hao Huang"],
            ),
            _r(
                "openalex",
                "W2",
                title="Old Paper on Transfer",
                year=2015,
                abstract="Old.",
                doi="10.1/old",
            ),
            _r("openalex", "W3", title="No Text Paper", year=2022, doi="10.1/none"),
        ],
    )
    s2 = FakeSource(
        "s2",
        [
            _r("s2", "a" * 40, title=TITLE.lower(), year=2021, doi="10.1/robust", citation_count=9),
        ],
    )
    down = FakeSource("arxiv", None, fail="export.arxiv.org answered 503 Service Unavailable")
    with Library.open(tmp_path / "lib.sqlite") as lib:
        src = MultiSourcePaperSource(
            _settings(),  # type: ignore[arg-type]
            lib,
            ["arxiv", "openalex", "s2"],
            [down, oa, s2],
        )
        found = src.find(
            expand_query("How does robust training change cross-lingual transfer?"),
            10,
            date(2020, 1, 1),
        )
        assert [p.arxiv_id for p in found.papers] == ["doi:10.1/robust"]
        assert lib.get_paper_meta("doi:10.1/robust").citation_count == 9  # type: ignore[union-attr]
    flow = src.flow
    assert flow.records_per_source == {"arxiv": 0, "openalex": 3, "s2": 1}
    assert flow.duplicates_removed == 1 and flow.unique_papers == 3
    assert flow.failures[0].source == "arxiv" and "503" in flow.failures[0].reason
    assert flow.screened_counts == {"out of date range": 1, "no text": 1}
    md = search_flow_markdown(flow)
    assert "| duplicates removed | 1 |" in md and "arxiv: export.arxiv.org answered 503" in md
    svg = search_flow_svg(flow)
    root = ET.fromstring(svg)  # well-formed, self-contained
    assert root.tag.endswith("svg") and "href" not in svg and "Source failures" in svg


def _settings() -> object:
    from litcheck.settings import Settings

    return Settings(full_text=False)


def test_svg_escapes_text() -> None:
    flow = SearchFlow(records_per_source={"<script>": 1})
    svg = search_flow_svg(flow)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)
