"""`litcheck extract` and `litcheck claims list|show` end to end on a small imported library."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_extract_all_is_idempotent_and_listable(papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    first = run_cli("extract", "--all", "--json")
    assert first.code == 0, first.stderr
    claims = first.json_lines()
    assert claims and all(c["extractor"] == "offline/1" for c in claims)
    pawsx = [c for c in claims if "PAWS-X" in str(c["text"]) and "2.1" in str(c["text"])]
    assert pawsx and pawsx[0]["quantities"][0]["delta"] == 2.1  # type: ignore[index]
    table_rows = [c for c in claims if c["context"]]
    assert table_rows and "row: RS-DA" in str(table_rows[-1]["context"])

    listed = run_cli("claims", "list", "--json").json_lines()
    again = run_cli("extract", "--all", "--json")
    assert again.code == 0
    assert run_cli("claims", "list", "--json").json_lines() == listed  # nothing new, nothing lost
    assert {c["id"] for c in listed} == {c["id"] for c in claims}

    only = run_cli("claims", "list", "--paper", "1911.02116", "--json").json_lines()
    assert only and all(c["paper_id"] == "1911.02116" for c in only)
    accuracy = run_cli("claims", "list", "--metric", "accuracy", "--json").json_lines()
    assert accuracy and all(
        any(q["metric"] == "accuracy" for q in c["quantities"])  # type: ignore[attr-defined]
        for c in accuracy
    )
    results = run_cli("claims", "list", "--kind", "result", "--json").json_lines()
    assert all(c["kind"] == "result" for c in results)

    shown = run_cli("claims", "show", str(listed[0]["id"]), "--json")
    assert shown.code == 0 and str(listed[0]["id"]) in shown.stdout
    human = run_cli("claims", "show", str(listed[0]["id"]))
    assert human.code == 0 and "kind:" in human.stdout
    table = run_cli("extract", "2104.08645")
    assert table.code == 0 and "2104.08645" in table.stdout


def test_user_errors_exit_2(papers_jsonl: Path) -> None:
    assert run_cli("extract").code == 2
    assert run_cli("extract", "not-an-id").code == 2
    assert run_cli("extract", "2104.08645", "--extractor", "magic").code == 2
    missing = run_cli("extract", "2104.08645")
    assert missing.code == 2 and "error" in missing.stderr
    assert run_cli("claims", "show", "c_nope").code == 2
    assert run_cli("claims", "list", "--kind", "opinion").code == 2
    assert run_cli("extract", "--all", "--extractor", "llm").code == 2  # no endpoint set


def test_paper_without_passages_warns_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text('{"arxiv_id": "2101.00001", "title": "Empty", "abstract": ""}\n')
    assert run_cli("library", "import", str(path)).code == 0
    result = run_cli("extract", "2101.00001")
    assert result.code == 0
    assert "2101.00001 has no passages" in result.stderr
    assert run_cli("claims", "list", "--json").json_lines() == []
