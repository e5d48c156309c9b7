"""library import: a record with a bad id is named and skipped; the rest of the file goes in."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli, sample_papers


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_huge_versions_are_named_and_the_rest_is_imported(tmp_path: Path) -> None:
    good = sample_papers()
    bad = [
        {**good[0], "arxiv_id": "2104.09999v99999999999999999999"},
        {**good[0], "arxiv_id": "2104.09998v" + "7" * 5000},
    ]
    path = _write(tmp_path / "papers.jsonl", [good[0], *bad, good[1]])
    r = run_cli("library", "import", str(path))
    assert r.code == 2, r.stderr
    assert "Traceback" not in r.stderr
    flat = " ".join(r.stderr.split())
    assert "line 2" in flat and "line 3" in flat  # each bad record named
    assert "version out of range" in flat
    assert "2 record(s)" in flat
    assert len(r.stderr) < 3000  # the 5,000-digit id is not echoed
    ids = sorted(p["arxiv_id"] for p in run_cli("library", "list", "--json").json_lines())
    assert ids == sorted(str(p["arxiv_id"]).split("v")[0] for p in good)


def test_a_clean_file_still_exits_0(tmp_path: Path) -> None:
    r = run_cli("library", "import", str(_write(tmp_path / "p.jsonl", sample_papers())))
    assert r.code == 0, r.stderr


def _entry(arxiv_id: str, title: str) -> str:
    return (
        f"<entry><id>http://arxiv.org/abs/{arxiv_id}</id><title>{title}</title>"
        "<summary>An abstract.</summary><published>2021-04-18T00:00:00Z</published>"
        "<updated>2021-04-18T00:00:00Z</updated><author><name>A. Author</name></author>"
        '<category term="cs.CL"/></entry>'
    )


def test_an_atom_feed_with_one_bad_entry_imports_the_others(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        + _entry("2104.08645v2", "Good one")
        + _entry("2104.08646v99999999999999999999", "Bad one")
        + _entry("2104.08647v1", "Good two")
        + "</feed>"
    )
    r = run_cli("library", "import", str(feed))
    assert r.code == 2, r.stderr
    assert "2104.08646v99999999999999999999" in " ".join(r.stderr.split())
    ids = sorted(p["arxiv_id"] for p in run_cli("library", "list", "--json").json_lines())
    assert ids == ["2104.08645", "2104.08647"]


def test_an_undefined_entity_is_named_not_called_truncated(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&e;</title></feed>'
    )
    r = run_cli("library", "import", str(feed))
    assert r.code == 2
    flat = " ".join(r.stderr.split())
    assert "&e;" in flat and "not defined" in flat
    assert "truncated" not in flat and "in transit" not in flat
    assert "Traceback" not in r.stderr


def test_library_show_prints_no_unknown_date(tmp_path: Path) -> None:
    record = {**sample_papers()[0]}
    record.pop("published", None)
    assert run_cli("library", "import", str(_write(tmp_path / "p.jsonl", [record]))).code == 0
    r = run_cli("library", "show", "2104.08645")
    assert r.code == 0, r.stderr
    assert "published: ?" not in r.stdout
    assert "?" not in r.stdout.splitlines()[2]
