"""ArxivClient against a local server: synthetic feeds (never skipped) and recorded arXiv."""

from __future__ import annotations

from datetime import date

import pytest

from litcheck.errors import BadInputError, NotFoundError
from litcheck.retrieve.arxiv_client import ArxivClient, PapersNotFoundError, build_search_query

from .support import Entry, LocalServer, Reply, atom_feed, error_feed, make_settings

CORPUS = [
    Entry(f"2101.{i:05d}v1", title=f"Testing paper {i}", published=f"2021-01-{1 + i:02d}T00:00:00Z")
    for i in range(25)
]


def paged_corpus(path: str, query: dict[str, str]) -> Reply:
    """Serve CORPUS like arXiv: search pages by start/max_results, id lists by id."""
    if query.get("id_list"):
        wanted = query["id_list"].split(",")
        hits = [e for e in CORPUS if e.arxiv_id in wanted or e.arxiv_id.split("v")[0] in wanted]
        return Reply(200, atom_feed(hits))
    start, size = int(query["start"]), int(query["max_results"])
    return Reply(200, atom_feed(CORPUS[start : start + size], total=len(CORPUS), start=start))


def client_for(server: LocalServer, **overrides: object) -> ArxivClient:
    return ArxivClient(make_settings(server.url, **overrides))


def test_search_pages_through_results(server: LocalServer) -> None:
    server.handler = paged_corpus
    with client_for(server) as client:
        papers = client.search("testing", max_results=23, page_size=10)
    assert [p.arxiv_id for p in papers] == [e.arxiv_id[:-2] for e in CORPUS[:23]]
    assert [(r.query["start"], r.query["max_results"]) for r in server.requests] == [
        ("0", "10"),
        ("10", "10"),
        ("20", "10"),
    ]
    first = server.requests[0].query
    assert first["search_query"] == "testing"
    assert first["sortBy"] == "relevance"
    assert first["sortOrder"] == "descending"
    assert server.requests[0].path == "/api/query"


def test_search_stops_when_results_run_out(server: LocalServer) -> None:
    server.handler = paged_corpus
    papers = client_for(server).search("testing", max_results=500, page_size=10)
    assert len(papers) == 25
    assert len(server.requests) == 3


def test_search_page_size_never_exceeds_max_results(server: LocalServer) -> None:
    server.handler = paged_corpus
    papers = client_for(server).search("testing", max_results=5)
    assert len(papers) == 5
    assert [r.query["max_results"] for r in server.requests] == ["5"]


def test_search_retries_an_empty_page(server: LocalServer) -> None:
    calls = {"n": 0}

    def flaky(path: str, query: dict[str, str]) -> Reply:
        calls["n"] += 1
        if calls["n"] == 1:  # arXiv sometimes answers an empty page although results exist
            return Reply(200, atom_feed([], total=25))
        return paged_corpus(path, query)

    server.handler = flaky
    papers = client_for(server).search("testing", max_results=3)
    assert len(papers) == 3
    assert len(server.requests) == 2


def test_search_with_category_and_since(server: LocalServer) -> None:
    server.handler = paged_corpus
    papers = client_for(server).search(
        "testing", max_results=50, category="cs.CL", since=date(2021, 1, 20)
    )
    assert server.requests[0].query["search_query"] == (
        "(testing) AND cat:cs.CL AND submittedDate:[202101200000 TO 999912312359]"
    )
    # The fake server ignores the filter; the client still drops older papers.
    assert papers
    assert all(p.published is not None and p.published.date() >= date(2021, 1, 20) for p in papers)


def test_search_stops_when_a_page_adds_nothing(server: LocalServer) -> None:
    server.handler = paged_corpus  # ignores the date filter; every paper is too old
    papers = client_for(server).search(
        "testing", max_results=20, page_size=5, since=date(2030, 1, 1)
    )
    assert papers == []
    assert len(server.requests) == 1


def test_build_search_query() -> None:
    assert build_search_query("  robust   training ") == "robust training"
    assert build_search_query("", category="cs.CL") == "cat:cs.CL"
    assert build_search_query("ti:bert OR ti:xlm", category="cs.CL") == (
        "(ti:bert OR ti:xlm) AND cat:cs.CL"
    )
    with pytest.raises(BadInputError, match="Empty search query"):
        build_search_query("  ")
    with pytest.raises(BadInputError, match="category"):
        build_search_query("x", category="cs CL")


def test_search_rejects_bad_sizes_before_any_request(server: LocalServer) -> None:
    client = client_for(server)
    with pytest.raises(BadInputError):
        client.search("x", max_results=0)
    with pytest.raises(BadInputError):
        client.search("x", page_size=5000)
    assert server.requests == []


def test_fetch_by_ids_in_any_form_keeps_order(server: LocalServer) -> None:
    server.handler = paged_corpus
    papers = client_for(server).fetch(
        ["https://arxiv.org/abs/2101.00007v1", "arXiv:2101.00003", "2101.00007"]
    )
    assert [p.versioned_id for p in papers] == ["2101.00007v1", "2101.00003v1", "2101.00007v1"]
    (request,) = server.requests
    assert request.query["id_list"] == "2101.00007v1,2101.00003,2101.00007"


def test_fetch_drops_repeated_ids(server: LocalServer) -> None:
    server.handler = paged_corpus
    papers = client_for(server).fetch(
        ["2101.00003", "arXiv:2101.00003", "https://arxiv.org/abs/2101.00003"]
    )
    assert [p.arxiv_id for p in papers] == ["2101.00003"]
    assert server.requests[0].query["id_list"] == "2101.00003"


def test_fetch_batches_long_id_lists(server: LocalServer) -> None:
    def echo(path: str, query: dict[str, str]) -> Reply:
        return Reply(200, atom_feed([Entry(f"{i}v1") for i in query["id_list"].split(",")]))

    server.handler = echo
    ids = [f"2101.{i:05d}" for i in range(150)]
    papers = client_for(server).fetch(ids)
    assert [p.arxiv_id for p in papers] == ids
    assert [len(r.query["id_list"].split(",")) for r in server.requests] == [100, 50]


def test_unknown_id_is_not_found(server: LocalServer) -> None:
    server.replies(Reply(200, atom_feed([], total=0)))
    with pytest.raises(NotFoundError) as info:
        client_for(server).fetch(["2101.99999"])
    assert "2101.99999" in str(info.value)
    assert isinstance(info.value, PapersNotFoundError)
    assert info.value.missing == ["2101.99999"]
    assert info.value.found == []


def test_partly_unknown_ids_carry_the_found_papers(server: LocalServer) -> None:
    server.handler = paged_corpus
    with pytest.raises(PapersNotFoundError) as info:
        client_for(server).fetch(["2101.00001", "2101.99999", "2101.00002v1"])
    assert info.value.missing == ["2101.99999"]
    assert [p.arxiv_id for p in info.value.found] == ["2101.00001", "2101.00002"]


def test_malformed_id_fails_before_any_request(server: LocalServer) -> None:
    server.handler = paged_corpus
    with pytest.raises(BadInputError, match=r"'21o4\.08645'"):
        client_for(server).fetch(["2101.00001", "21o4.08645"])
    assert server.requests == []


def test_arxiv_400_error_entry_becomes_bad_input(server: LocalServer) -> None:
    server.replies(Reply(400, error_feed("malformed query: unbalanced parentheses")))
    with pytest.raises(BadInputError, match="unbalanced parentheses"):
        client_for(server).search("(broken")
    assert len(server.requests) == 1  # a 400 is not retried


def test_garbled_api_answer_is_a_parse_error(server: LocalServer) -> None:
    from litcheck.errors import ParseError

    body = atom_feed(CORPUS[:5], total=25)
    server.replies(Reply(200, body[: len(body) // 2]))
    with pytest.raises(ParseError, match="truncated"):
        client_for(server).search("testing", max_results=5)


def test_offline_client_refuses(server: LocalServer) -> None:
    from litcheck.errors import OfflineError

    with pytest.raises(OfflineError):
        client_for(server, offline=True).search("testing")
    assert server.requests == []


# ----------------------------------------------------------------- recorded arXiv responses


@pytest.mark.shared
def test_recorded_search_pages(replay: LocalServer) -> None:
    from litcheck.retrieve.atom import parse_feed

    from .support import load_recorded

    table = load_recorded()
    pages = [
        parse_feed(table[("testing", "", str(start), "10")].data()).papers for start in (0, 10, 20)
    ]
    expected = [p.arxiv_id for page in pages for p in page]
    papers = client_for(replay).search("testing", max_results=25, page_size=10)
    assert len(papers) == 25
    assert [p.arxiv_id for p in papers] == list(dict.fromkeys(expected))[:25]
    assert papers[0].arxiv_id == "2202.12139"
    assert papers[0].doi == "10.1109/ICSTW55395.2022.00035"
    assert [r.query["start"] for r in replay.requests] == ["0", "10", "20"]


@pytest.mark.shared
def test_recorded_search_single_page(replay: LocalServer) -> None:
    papers = client_for(replay).search("testing", max_results=10)
    assert len(papers) == 10
    assert len(replay.requests) == 1


@pytest.mark.shared
@pytest.mark.parametrize(
    ("given", "arxiv_id", "version"),
    [
        ("1605.08386", "1605.08386", 1),
        ("https://arxiv.org/abs/2104.12255v1", "2104.12255", 1),
        ("astro-ph/0601001", "astro-ph/0601001", 1),
        ("arXiv:quant-ph/0201082v1", "quant-ph/0201082", 1),
    ],
)
def test_recorded_fetch(replay: LocalServer, given: str, arxiv_id: str, version: int) -> None:
    (paper,) = client_for(replay).fetch([given])
    assert (paper.arxiv_id, paper.version) == (arxiv_id, version)
    assert paper.title


@pytest.mark.shared
def test_recorded_unknown_ids(replay: LocalServer) -> None:
    client = client_for(replay)
    with pytest.raises(NotFoundError, match=r"0808\.05394"):
        client.fetch(["0808.05394"])
    with pytest.raises(PapersNotFoundError) as info:
        client.fetch(["0808.05394", "1707.08567"])
    assert info.value.missing == ["0808.05394"]
    assert [p.arxiv_id for p in info.value.found] == ["1707.08567"]
    # 0000.0000 was recorded as an empty feed; it cannot be an id, so no request is made.
    before = len(replay.requests)
    with pytest.raises(BadInputError, match="month 00"):
        client.fetch(["0000.0000"])
    assert len(replay.requests) == before
