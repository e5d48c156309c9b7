"""`litcheck search/add --source ...` against local OpenAlex / S2 servers."""

from __future__ import annotations

import pytest

from conftest import run_cli

from .support import LocalApi, Reply, openalex_list, openalex_work, s2_paper

TITLE = "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training"


@pytest.fixture
def env(api: LocalApi, monkeypatch: pytest.MonkeyPatch) -> LocalApi:
    monkeypatch.setenv("LITCHECK_OPENALEX_API_URL", api.url)
    monkeypatch.setenv("LITCHECK_S2_API_URL", api.url + "/graph/v1")
    monkeypatch.setenv("LITCHECK_ARXIV_API_URL", "http://127.0.0.1:9/api/query")
    for name in ("REQUEST_DELAY", "OPENALEX_REQUEST_DELAY", "S2_REQUEST_DELAY", "BACKOFF"):
        monkeypatch.setenv(f"LITCHECK_{name}", "0")
    monkeypatch.setenv("LITCHECK_RETRIES", "0")
    monkeypatch.setenv("LITCHECK_FULL_TEXT", "0")
    return api


def test_search_merges_sources_and_names_a_failing_one(env: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        if p.startswith("/graph"):
            return Reply(503, {"message": "down"})
        return Reply(
            200,
            openalex_list(
                [
                    openalex_work(
                        "W1", TITLE, doi="10.18653/v1/2021.emnlp-main.126", arxiv="2104.08645"
                    ),
                    openalex_work("W2", "Venue-only Paper Without arXiv Copy", doi="10.1000/xyz"),
                ]
            ),
        )

    env.handler = handler
    r = run_cli("--online", "search", "robust transfer", "--source", "openalex,s2", "--json")
    assert r.code == 0, r.stderr
    rows = r.json_lines()
    assert [row["key"] for row in rows] == ["2104.08645", "doi:10.1000/xyz"]
    assert rows[0]["venue"] == "Proceedings of EMNLP 2021" and rows[0]["citation_count"] == 42
    assert "s2 failed" in r.stderr and "503" in r.stderr
    assert run_cli("library", "show", "2104.08645", "--json").code == 0


def test_search_all_sources_fail_is_one_line(env: LocalApi) -> None:
    env.handler = lambda p, q, h: Reply(429, {"message": "slow down"}, {"Retry-After": "0"})
    r = run_cli("--online", "search", "robust", "--source", "openalex,s2")
    assert r.code == 2 and "Every source failed" in r.stderr and "Traceback" not in r.stderr


def test_add_with_s2_merges_and_reports_missing(env: LocalApi) -> None:
    def handler(p: str, q: dict[str, str], h: dict[str, str]) -> Reply:
        if p == "/graph/v1/paper/DOI:10.18653/v1/2021.emnlp-main.126":
            return Reply(200, s2_paper("a" * 40, TITLE, doi="10.18653/v1/2021.emnlp-main.126"))
        return Reply(404, {"error": "Paper not found"})

    env.handler = handler
    r = run_cli(
        "--online",
        "add",
        "10.18653/v1/2021.emnlp-main.126",
        "10.1000/none",
        "--source",
        "s2",
        "--json",
    )
    assert r.code == 2 and "10.1000/none" in r.stderr
    rows = r.json_lines()
    assert rows[0]["key"] == "doi:10.18653/v1/2021.emnlp-main.126"
    assert rows[0]["citation_count"] == 57


def test_add_rejects_unknown_id_kinds_before_any_request(env: LocalApi) -> None:
    r = run_cli("--online", "add", "not-an-id", "--source", "openalex")
    assert r.code == 2 and "not an arXiv id, DOI" in r.stderr
    assert env.seen == []
    r = run_cli("search", "x", "--source", "pubmed")
    assert r.code == 2 and "Unknown source" in r.stderr
