"""The command-line contract: import, list, show, export, and bad input as one line + exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, sample_papers


def test_import_list_show_export_roundtrip(papers_jsonl: Path, tmp_path: Path) -> None:
    r = run_cli("library", "import", str(papers_jsonl))
    assert r.code == 0, r.stderr
    assert "Imported 2 paper(s)" in r.stderr

    r = run_cli("library", "list", "--json")
    assert r.code == 0
    ids = {row["arxiv_id"] for row in r.json_lines()}
    assert ids == {"2104.08645", "1911.02116"}

    r = run_cli("library", "show", "2104.08645", "--json")
    assert r.code == 0
    shown = json.loads(r.stdout)
    assert shown["version"] == 2
    assert [s["title"] for s in shown["sections"]] == ["1 Introduction", "4 Results"]
    assert any(p["kind"] == "table" and "89.6" in p["text"] for p in shown["passages"])

    r = run_cli("library", "show", "https://arxiv.org/abs/2104.08645v2")
    assert r.code == 0 and "4 Results" in r.stdout

    out = tmp_path / "export.jsonl"
    assert run_cli("library", "export", "-o", str(out)).code == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(exported) == 2
    # An export imports back to the same library contents.
    assert run_cli("library", "import", str(out)).code == 0
    assert len(run_cli("library", "list", "--json").json_lines()) == 2


def test_reimport_adds_no_duplicates(papers_jsonl: Path) -> None:
    for _ in range(3):
        assert run_cli("library", "import", str(papers_jsonl)).code == 0
    from litcheck.library import Library
    from litcheck.settings import load_settings

    with Library.open(load_settings().library_path) as lib:
        assert lib.count("papers") == 2
        n = lib.count("passages")
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    with Library.open(load_settings().library_path) as lib:
        assert lib.count("passages") == n


def _assert_one_line_error(r: object, needle: str) -> None:
    from conftest import CliResult

    assert isinstance(r, CliResult)
    assert r.code == 2, (r.code, r.stderr)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2  # rich may wrap one long line


def test_bad_jsonl_line_named_and_nothing_written(tmp_path: Path) -> None:
    good = json.dumps(sample_papers()[0])
    path = tmp_path / "bad.jsonl"
    path.write_text(good + "\n" + json.dumps({"title": "no id"}) + "\n")
    _assert_one_line_error(run_cli("library", "import", str(path)), "line 2")
    r = run_cli("library", "list", "--json")
    assert r.json_lines() == []


def test_not_json_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n")
    _assert_one_line_error(run_cli("library", "import", str(path)), "line 1")


def test_unreadable_and_missing_import_files(tmp_path: Path) -> None:
    _assert_one_line_error(
        run_cli("library", "import", str(tmp_path / "nope.jsonl")), "Cannot read"
    )
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage\x81")
    _assert_one_line_error(run_cli("library", "import", str(binary)), "not UTF-8")


def test_malformed_id_rejected_before_any_request() -> None:
    _assert_one_line_error(run_cli("add", "not-an-id"), "not-an-id")
    _assert_one_line_error(run_cli("library", "show", "12345"), "12345")


def test_show_unknown_paper() -> None:
    _assert_one_line_error(run_cli("library", "show", "2101.00001"), "not in the library")


def test_show_paper_stored_under_a_doi_key(_isolated_home: Path) -> None:
    from litcheck.library import Library
    from litcheck.library.chunking import make_passages
    from litcheck.models import Paper

    _isolated_home.mkdir(parents=True, exist_ok=True)
    lib = Library.open(_isolated_home / "library.sqlite")
    paper = Paper(
        arxiv_id="doi:10.18653/v1/2021.emnlp-main.116",
        title="Robust training (venue copy)",
        abstract="Robust training improves zero-shot cross-lingual transfer.",
    )
    lib.add_papers([(paper, make_passages(paper))])
    lib.close()
    r = run_cli("library", "show", "doi:10.18653/v1/2021.emnlp-main.116", "--json")
    assert r.code == 0, r.stderr
    assert json.loads(r.stdout)["title"] == "Robust training (venue copy)"


def test_corrupted_library(tmp_path: Path, _isolated_home: Path) -> None:
    _isolated_home.mkdir(parents=True, exist_ok=True)
    (_isolated_home / "library.sqlite").write_bytes(b"garbage" * 1000)
    _assert_one_line_error(run_cli("library", "list"), "not a readable litcheck library")


def test_bad_setting_is_one_line(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setenv("LITCHECK_REQUEST_DELAY", "-3")
    try:
        _assert_one_line_error(run_cli("library", "list"), "request_delay")
    finally:
        mp.undo()


def test_offline_add_of_unstored_paper_fails_cleanly() -> None:
    r = run_cli("add", "2104.08645")
    assert r.code == 2 and "offline" in r.stderr.lower()


def test_offline_add_of_stored_paper_makes_no_request(papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0
    r = run_cli("add", "2104.08645v2", "--json")
    assert r.code == 0, r.stderr
    assert r.json_lines()[0]["arxiv_id"] == "2104.08645"


def test_help_has_examples() -> None:
    for args in (
        ["search"],
        ["add"],
        ["library", "list"],
        ["library", "show"],
        ["library", "import"],
        ["library", "export"],
    ):
        r = run_cli(*args, "--help")
        assert r.code == 0
        assert "Example" in r.stdout, args


def test_exit_code_of_a_command_is_returned() -> None:
    import typer

    from litcheck.cli import app, main

    @app.command("zz-exit-probe", hidden=True)
    def _probe() -> None:
        raise typer.Exit(1)

    try:
        assert main(["zz-exit-probe"]) == 1
    finally:
        app.registered_commands = [c for c in app.registered_commands if c.name != "zz-exit-probe"]


def test_usage_errors_are_one_line_exit_2() -> None:
    for args, words in [
        (("library", "list", "--bogus"), ["No such option: --bogus", "litcheck library list"]),
        (("nosuch",), ["No such command 'nosuch'"]),
        (("experiment", "nosuch"), ["No such command 'nosuch'", "litcheck experiment"]),
        (("search",), ["Missing argument"]),
        (("verify", "x.jsonl", "--format", "pdf"), ["pdf"]),
    ]:
        res = run_cli(*args)
        assert res.code == 2, args
        lines = [line for line in res.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), (args, res.stderr)
        assert all(w in lines[0] for w in words), (args, lines[0])
        assert "Traceback" not in res.stderr


def test_no_arguments_shows_help_without_an_error_line() -> None:
    res = run_cli()
    assert res.code == 2
    assert "error:" not in res.stderr


def test_experiment_cli_usage_error_alone() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "litcheck.experiments.cli", "list", "--bogus"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "No such option: --bogus" in lines[0]
