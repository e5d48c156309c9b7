from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from litcheck.errors import LibraryError, NotFoundError
from litcheck.library import SCHEMA_VERSION, Library, make_passages
from litcheck.models import Claim, ClaimKind, Paper, Quantity, Section


def _paper(text: str = "Accuracy rises to 74.4 on XNLI.") -> Paper:
    return Paper(
        arxiv_id="2104.08645",
        version=2,
        title="Robust training",
        abstract="We study robustness. It helps transfer.",
        sections=[
            Section(number="1", title="Intro", text=text),
            Section(
                title="Results", text="Model | en | de\nmBERT | 81.4 | 70.2\nours | 82.0 | 71.9"
            ),
        ],
        full_text_source="import",
    )


def test_add_is_idempotent_and_searchable(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.add_paper(_paper())
        lib.add_paper(_paper())
        assert lib.count("papers") == 1
        assert lib.count("passages") == 3
        hits = lib.search_passages("XNLI accuracy")
        assert hits and hits[0][0].paper_id == "2104.08645"
        # FTS5 rows follow deletions: the replaced copy leaves no stale hit.
        lib.add_paper(_paper("Nothing numeric here."))
        assert lib.search_passages("XNLI") == []
        assert lib.count("passages") == 3


def test_table_passage_kept_whole_with_figures(tmp_path: Path) -> None:
    passages = make_passages(_paper())
    table = [p for p in passages if p.kind == "table"]
    assert len(table) == 1 and "71.9" in table[0].text and "mBERT" in table[0].text


def test_passage_offsets_point_into_section_text() -> None:
    paper = _paper("First paragraph here.\n\n  Second one, indented.  \n\nThird.")
    sections = {"Intro": paper.sections[0].text}
    for p in make_passages(paper):
        if p.section_title in sections:
            assert sections[p.section_title][p.start : p.end] == p.text


def test_long_text_without_full_stop_is_windowed() -> None:
    blob = ("word " * 200_000).strip()
    paper = Paper(arxiv_id="2101.00001", title="t", sections=[Section(title="S", text=blob)])
    passages = make_passages(paper)
    assert len(passages) > 100
    assert max(len(p.text) for p in passages) <= 2400


def test_search_tolerates_fts_syntax_in_user_text(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.add_paper(_paper())
        assert lib.search_passages('"unbalanced AND (OR NEAR* -x') == []
        hits = lib.search_passages("mBERT: +81.4 points?")
        assert [h[0].kind for h in hits] == ["table"]


def test_claims_replaced_per_extractor_family(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        lib.add_paper(_paper())
        q = Quantity(value=74.4, unit="%", metric="accuracy", dataset="XNLI")
        c1 = Claim(id="c1", text="a", paper_id="2104.08645", extractor="offline/1", quantities=[q])
        c2 = Claim(
            id="c2", text="b", paper_id="2104.08645", extractor="offline/2", kind=ClaimKind.METHOD
        )
        c3 = Claim(id="c3", text="c", paper_id="2104.08645", extractor="llm/1")
        lib.replace_claims("2104.08645", "offline/1", [c1])
        lib.replace_claims("2104.08645", "llm/1", [c3])
        lib.replace_claims("2104.08645", "offline/2", [c2])
        assert {c.id for c in lib.claims()} == {"c2", "c3"}
        assert [c.id for c in lib.claims(kind="method")] == ["c2"]
        lib.replace_claims("2104.08645", "offline/2", [c1, c2])
        assert [c.id for c in lib.claims(metric="Accuracy")] == ["c1"]
        assert lib.get_claim("c3").text == "c"
        with pytest.raises(NotFoundError):
            lib.get_claim("nope")


def test_embeddings_cache_roundtrip_and_stale_cleanup(tmp_path: Path) -> None:
    import numpy as np

    with Library.open(tmp_path / "lib.sqlite") as lib:
        passages = lib.add_paper(_paper())
        lib.put_embeddings(
            "m", [(p.id, np.ones(4, np.float32) * i) for i, p in enumerate(passages)]
        )
        got = lib.get_embeddings("m", [p.id for p in passages])
        assert len(got) == 3 and float(got[passages[2].id][0]) == 2.0
        lib.add_paper(Paper(arxiv_id="2104.08645", title="shorter", abstract="One."))
        assert lib.count("embeddings") == 1


def test_corrupted_file_is_a_library_error(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError, match="not a readable litcheck library"):
        Library.open(path)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    Library.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 5,))
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="newer"):
        Library.open(path)


def test_migrations_from_version_1(tmp_path: Path) -> None:
    from litcheck.library import store

    path = tmp_path / "lib.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    for stmt in store._statements(store.MIGRATIONS[1]):
        conn.execute(stmt)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.close()
    with Library.open(path) as lib:
        assert lib.schema_version == SCHEMA_VERSION
        assert lib.count("claims") == 0


def test_default_data_dir_is_shared_beside_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout beside ../shared/data reads it; anywhere else the user's data folder."""
    from litcheck.settings import _default_home, load_settings

    monkeypatch.delenv("LITCHECK_DATA_DIR", raising=False)
    root = Path(__file__).resolve().parents[2]
    shared = root.parent / "shared" / "data"
    expected = shared if shared.is_dir() else _default_home() / "data"
    assert load_settings().data_dir == expected
