"""OpenAlex and Semantic Scholar clients against a local server answering in their shapes."""

from __future__ import annotations

from datetime import date

import pytest

from litcheck.errors import OfflineError, ParseError, RetrievalError
from litcheck.retrieve.sources import (
    OpenAlexClient,
    SemanticScholarClient,
    parse_source_names,
    search_sources,
)
from litcheck.retrieve.sources.openalex import abstract_from_inverted_index

from .support import (
    LocalApi,
    Reply,
    openalex_list,
    openalex_work,
    s2_paper,
    s2_search,
    settings_for,
)

TITLE = "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training"


def test_openalex_search_reads_work_objects(api: LocalApi) -> None:
    works = [
        openalex_work("W3154", TITLE, doi="10.18653/v1/2021.emnlp-main.126", arxiv="2104.08645v2"),
        openalex_work("W99", "A paper without DOI or year", doi=None, year=None, venue=None),
    ]
    api.handler = lambda p, q, h: Reply(200, openalex_list(works))
    cfg = settings_for(api, openalex_mailto="team@example.org")
    with OpenAlexClient(cfg) as oa:
        recs = oa.search("robust  cross-lingual", 10, since=date(2020, 1, 1))
    path, query, _ = api.seen[0]
    assert path == "/works"
    assert query["search"] == "robust cross-lingual"
    assert query["filter"] == "from_publication_date:2020-01-01"
    assert query["mailto"] == "team@example.org"
    first, second = recs
    assert first.openalex_id == "W3154" and first.doi == "10.18653/v1/2021.emnlp-main.126"
    assert first.arxiv_id == "2104.08645" and first.venue == "Proceedings of EMNLP 2021"
    assert first.citation_count == 42 and first.year == 2021
    assert first.abstract == "We train the encoder to tolerate noise."
    assert first.authors == ["Kuan-Hao Huang", "Nanyun Peng"]
    assert second.doi is None and second.year is None and second.venue is None


def test_openalex_pages_until_count(api: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        page, per = int(q["page"]), int(q["per-page"])
        first = (page - 1) * per
        works = [openalex_work(f"W{i}", f"Paper {i}") for i in range(first, min(first + per, 250))]
        return Reply(200, openalex_list(works, count=250))

    api.handler = handler
    with OpenAlexClient(settings_for(api)) as oa:
        recs = oa.search("x", 300)
    assert len(recs) == 250 and recs[-1].source_id == "W249"
    assert [s[1]["page"] for s in api.seen] == ["1", "2"] and api.seen[0][1]["per-page"] == "200"


def test_openalex_fetch_by_doi_w_id_and_arxiv(api: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        if p == "/works/W1":
            return Reply(200, openalex_work("W1", "One"))
        if p == "/works/doi:10.1000/abc":
            return Reply(200, openalex_work("W2", "Two", doi="10.1000/ABC"))
        if p == "/works/doi:10.48550/arxiv.2104.08645":
            return Reply(200, openalex_work("W3", TITLE, doi="10.48550/arXiv.2104.08645"))
        return Reply(404, {"error": "not found"})

    api.handler = handler
    with OpenAlexClient(settings_for(api)) as oa:
        recs = oa.fetch(["W1", "https://doi.org/10.1000/ABC", "arXiv:2104.08645", "W404", "junk"])
        warnings = list(oa.warnings)
    assert [r.source_id for r in recs] == ["W1", "W2", "W3"]
    assert recs[1].doi == "10.1000/abc"
    assert recs[2].arxiv_id == "2104.08645"
    assert any("W404" in w for w in warnings) and any("junk" in w for w in warnings)


def test_openalex_malformed_answers(api: LocalApi) -> None:
    api.handler = lambda p, q, h: Reply(200, b"<html>maintenance</html>")
    with OpenAlexClient(settings_for(api)) as oa, pytest.raises(ParseError, match="not JSON"):
        oa.search("x", 5)
    api.handler = lambda p, q, h: Reply(200, {"meta": {}, "oops": []})
    with OpenAlexClient(settings_for(api)) as oa, pytest.raises(ParseError, match="results"):
        oa.search("x", 5)
    # A broken item is skipped with a reason; the good ones are kept.
    api.handler = lambda p, q, h: Reply(
        200, openalex_list([{"id": "https://openalex.org/W5"}, 7, openalex_work("W6", "Fine")])
    )
    with OpenAlexClient(settings_for(api)) as oa:
        recs = oa.search("x", 5)
        assert [r.source_id for r in recs] == ["W6"]
        assert len(oa.warnings) == 2 and "no title" in oa.warnings[0]


def test_inverted_index_tolerates_garbage() -> None:
    assert abstract_from_inverted_index({"b": [1], "a": [0], "x": "bad", "c": [2, -1]}) == "a b c"
    assert abstract_from_inverted_index(None) == ""


def test_s2_search_fields_key_and_paging(api: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        assert p == "/graph/v1/paper/search"
        if q["offset"] == "0":
            return Reply(
                200,
                s2_search(
                    [
                        s2_paper(
                            "a" * 40,
                            TITLE,
                            arxiv="2104.08645",
                            doi="10.18653/V1/2021.EMNLP-MAIN.126",
                        )
                    ],
                    0,
                    1,
                ),
            )
        return Reply(200, s2_search([s2_paper("b" * 40, "Second", year=None)], 1))

    api.handler = handler
    cfg = settings_for(api, s2_api_key="secret-key")
    with SemanticScholarClient(cfg) as s2:
        recs = s2.search("robust", 2, since=date(2021, 1, 1))
    _, query, headers = api.seen[0]
    assert headers["x-api-key"] == "secret-key"
    assert "externalIds" in query["fields"] and "citationCount" in query["fields"]
    assert query["publicationDateOrYear"] == "2021-01-01:"
    assert query["limit"] == "2"
    assert recs[0].arxiv_id == "2104.08645" and recs[0].doi == "10.18653/v1/2021.emnlp-main.126"
    assert recs[0].citation_count == 57 and recs[0].venue.startswith("Conference")
    assert recs[1].year is None


def test_s2_fetch_ids(api: LocalApi) -> None:
    seen: list[str] = []

    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        seen.append(p)
        if p.endswith("/paper/ARXIV:2104.08645"):
            return Reply(200, s2_paper("c" * 40, TITLE, arxiv="2104.08645"))
        return Reply(404, {"error": "Paper not found"})

    api.handler = handler
    with SemanticScholarClient(settings_for(api)) as s2:
        recs = s2.fetch(["2104.08645v2", "10.1000/none"])
        assert any("10.1000/none" in w for w in s2.warnings)
    assert [r.s2_id for r in recs] == ["c" * 40]
    assert seen == ["/graph/v1/paper/ARXIV:2104.08645", "/graph/v1/paper/DOI:10.1000/none"]


def test_one_source_down_the_other_goes_on(api: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        if p.startswith("/graph"):
            return Reply(429, {"message": "Too Many Requests"}, {"Retry-After": "0"})
        return Reply(200, openalex_list([openalex_work("W1", TITLE)]))

    api.handler = handler
    cfg = settings_for(api)
    oa, s2 = OpenAlexClient(cfg), SemanticScholarClient(cfg)
    found = search_sources([s2, oa], ["q1", "q2"], 5)
    oa.close()
    s2.close()
    assert [r.source_id for r in found.all_records()] == ["W1"]
    assert len(found.failures) == 1
    failure = found.failures[0]
    assert failure.source == "s2" and "429" in failure.reason and failure.query == "q1"
    # A failed source is not asked again for the next query.
    assert sum(1 for p, _, _ in api.seen if p.startswith("/graph")) == 2  # 1 try + 1 retry
    assert [(q.source, q.query) for q in found.queries] == [("openalex", "q1"), ("openalex", "q2")]


def test_connection_refused_and_offline_are_recorded() -> None:
    cfg = settings_for_url("http://127.0.0.1:9")
    with OpenAlexClient(cfg) as oa:
        found = search_sources([oa], ["q"], 5)
    assert found.failures and "could not connect" in found.failures[0].reason
    offline = settings_for_url("http://127.0.0.1:9", offline=True)
    with SemanticScholarClient(offline) as s2:
        with pytest.raises(OfflineError):
            s2.search("q", 5)
        found = search_sources([s2], ["q"], 5)
    assert "Offline" in found.failures[0].reason
    assert isinstance(OfflineError("x"), RetrievalError)


def settings_for_url(url: str, **kw: object) -> object:
    from litcheck.settings import Settings

    return Settings(
        openalex_api_url=url,
        s2_api_url=url,
        retries=0,
        backoff=0.0,
        timeout=2.0,
        openalex_request_delay=0.0,
        s2_request_delay=0.0,
        **{"offline": False, **kw},  # type: ignore[arg-type]
    )


def test_parse_source_names() -> None:
    assert parse_source_names(None) == ["arxiv"]
    assert parse_source_names("s2, arxiv,semanticscholar") == ["s2", "arxiv"]
    from litcheck.errors import BadInputError

    with pytest.raises(BadInputError, match="Unknown source 'pubmed'"):
        parse_source_names("arxiv,pubmed")
