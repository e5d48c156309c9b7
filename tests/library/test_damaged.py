"""A damaged library: every command says so in one line; check, export and recovery work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import CliResult, run_cli
from litcheck.errors import LibraryError
from litcheck.library import Library
from litcheck.library.importer import read_papers_file

N_PAPERS = 120


def _papers_file(path: Path) -> Path:
    records = [
        {
            "arxiv_id": f"2104.{10000 + i}",
            "title": f"Robust transfer study {i}",
            "authors": ["A. Author"],
            "abstract": "Randomized smoothing improves accuracy by 2.1 points on PAWS-X. " * 3,
            "sections": [{"title": "Results", "text": f"Result number {i} holds. " * 150}],
        }
        for i in range(N_PAPERS)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _leaf_pages(path: Path, table: str) -> list[int]:
    with sqlite3.connect(path) as conn:
        try:
            rows = conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
                (table,),
            ).fetchall()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find a page to damage")
        size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    return [int(r[0]) * size - size for r in rows]  # byte offsets of the pages


def _damage(path: Path, tables: tuple[str, ...]) -> None:
    """Overwrite one leaf page in the middle of each table with a fixed garbage pattern."""
    offsets = [(pages := _leaf_pages(path, t))[len(pages) // 2] for t in tables]
    garbage = bytes(range(7, 256, 3)) * 60
    with path.open("r+b") as fh:
        for offset in offsets:
            fh.seek(offset)
            fh.write(garbage[:4096])


@pytest.fixture
def damaged_library(tmp_path: Path, _isolated_home: Path) -> Path:
    assert run_cli("library", "import", str(_papers_file(tmp_path / "p.jsonl"))).code == 0
    path = _isolated_home / "library.sqlite"
    assert not path.with_name(path.name + "-wal").exists()  # checkpointed on close
    _damage(path, ("papers", "passages"))
    return path


def _assert_damaged_one_liner(r: CliResult) -> None:
    assert r.code == 2, (r.code, r.stderr)
    assert "Traceback" not in r.stderr
    assert "is damaged" in r.stderr
    assert "litcheck library check" in r.stderr
    assert "litcheck library export" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_every_command_says_the_library_is_damaged(damaged_library: Path, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"id": "c1", "claim": "Accuracy improves by 2.1 points."}))
    _assert_damaged_one_liner(run_cli("library", "list"))
    _assert_damaged_one_liner(run_cli("extract", "--all"))
    _assert_damaged_one_liner(run_cli("verify", str(claims), "--fallback"))


def test_check_names_the_damage_and_export_saves_the_rest(
    damaged_library: Path, tmp_path: Path
) -> None:
    check = run_cli("library", "check")
    assert check.code == 1, check.stderr
    assert "damaged" in check.stderr and "library export" in check.stderr
    as_json = run_cli("library", "check", "--json").json_lines()[0]
    assert as_json["ok"] is False and as_json["problems"]

    out = tmp_path / "saved.jsonl"
    export = run_cli("library", "export", "-o", str(out))
    assert export.code == 2  # some papers were lost: say so
    assert "could not be read" in export.stderr
    saved = out.read_text().splitlines()
    assert 0 < len(saved) < N_PAPERS
    lost = export.stderr.count("cannot read paper")
    assert len(saved) + lost == N_PAPERS
    assert f"{lost} paper(s) could not be read" in " ".join(export.stderr.split())

    # Recovery as the message says: move the damaged file aside, import the export.
    damaged_library.rename(damaged_library.with_name("damaged.sqlite"))
    assert run_cli("library", "import", str(out)).code == 0
    assert run_cli("library", "check").code == 0
    assert len(run_cli("library", "list", "--json").json_lines()) == len(saved)


def test_check_of_a_sound_library(tmp_path: Path) -> None:
    assert run_cli("library", "import", str(_papers_file(tmp_path / "p.jsonl"))).code == 0
    r = run_cli("library", "check")
    assert r.code == 0
    assert f"({N_PAPERS} papers)" in r.stderr


def test_a_zero_byte_file_is_not_a_new_library(_isolated_home: Path) -> None:
    _isolated_home.mkdir(parents=True)
    path = _isolated_home / "library.sqlite"
    path.write_bytes(b"")
    r = run_cli("library", "list")
    assert r.code == 2
    assert "is empty (0 bytes)" in r.stderr
    assert path.stat().st_size == 0  # left as found, not turned into a library
    with pytest.raises(LibraryError, match="empty"):
        Library.open(path)


def test_a_new_library_is_never_left_empty(tmp_path: Path) -> None:
    path = tmp_path / "new" / "library.sqlite"
    with Library.open(path) as lib:
        assert lib.papers() == []
    assert path.stat().st_size > 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["library.sqlite"]


def test_rollback_keeps_the_real_error(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library.sqlite") as lib:
        with pytest.raises(ZeroDivisionError), lib._tx() as conn:
            conn.execute("ROLLBACK")  # what SQLite does by itself on some errors
            _ = 1 / 0
        # and the library still works after it
        papers = read_papers_file(_papers_file(tmp_path / "p.jsonl"))
        lib.add_paper(papers[0])
        assert lib.paper_ids() == [papers[0].arxiv_id]


def test_a_version_sqlite_cannot_store_is_bad_input(tmp_path: Path) -> None:
    from litcheck.errors import BadInputError

    paper = read_papers_file(_papers_file(tmp_path / "p.jsonl"))[0]
    with Library.open(tmp_path / "library.sqlite") as lib:
        with pytest.raises(BadInputError, match=r"version \d+ is out of range"):
            lib.add_paper(paper.model_copy(update={"version": 10**20}))
        assert lib.paper_ids() == []


def test_a_library_error_is_not_raised_for_a_bug(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library.sqlite") as lib, pytest.raises(sqlite3.Error):
        lib.has_paper(object())  # type: ignore[arg-type]
