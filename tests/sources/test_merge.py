"""Merging records of one paper from several sources; the library keeps their metadata."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from litcheck.library import Library
from litcheck.models import Paper
from litcheck.retrieve.merge import merge_records, paper_key, store_merged, title_key
from litcheck.retrieve.sources import SourceRecord
from litcheck.retrieve.sources.arxiv import record_from_paper

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
TITLE = "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training"


def _load_pairs() -> object:
    spec = importlib.util.spec_from_file_location("merge_pairs", BENCH / "merge_pairs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["merge_pairs"] = module
    spec.loader.exec_module(module)
    return module


def test_merge_benchmark_targets() -> None:
    pairs = _load_pairs().all_pairs()  # type: ignore[attr-defined]
    dups = [p for p in pairs if p.same]
    nons = [p for p in pairs if not p.same]
    assert len(dups) >= 100 and len(nons) >= 100
    merged = sum(len(merge_records([p.a, p.b])) == 1 for p in dups)
    false = [p.case for p in nons if len(merge_records([p.a, p.b])) == 1]
    assert merged / len(dups) >= 0.99
    assert false == []


def _rec(source: str, sid: str, **kw: object) -> SourceRecord:
    return SourceRecord(source=source, source_id=sid, **kw)  # type: ignore[arg-type]


def test_conflicts_resolved_by_priority_and_recorded() -> None:
    arxiv = _rec(
        "arxiv",
        "2104.08645",
        title=TITLE,
        authors=["Kuan-Hao Huang"],
        year=2021,
        arxiv_id="2104.08645",
        abstract="arXiv abstract.",
    )
    oa = _rec(
        "openalex",
        "W1",
        openalex_id="W1",
        title=TITLE.upper(),
        authors=["K. Huang"],
        year=2021,
        doi="10.18653/v1/2021.emnlp-main.126",
        venue="EMNLP",
        citation_count=40,
        arxiv_id="2104.08645",
    )
    s2 = _rec(
        "s2",
        "f" * 40,
        s2_id="f" * 40,
        title=TITLE,
        authors=["Kuan-Hao Huang"],
        year=2022,
        doi="10.18653/v1/2021.emnlp-main.126",
        venue="Conference on Empirical Methods in Natural Language Processing",
        citation_count=57,
    )
    (paper,) = merge_records([oa, s2, arxiv])
    assert paper.key == "2104.08645" and paper.sources == ["arxiv", "s2", "openalex"]
    assert paper.title == TITLE and paper.abstract == "arXiv abstract."
    assert paper.year == 2022  # s2 > openalex > arxiv
    assert paper.venue.startswith("Conference on Empirical")
    assert paper.citation_count == 57 and paper.doi == "10.18653/v1/2021.emnlp-main.126"
    fields = {c.field: c for c in paper.conflicts}
    assert fields["title"].kind == "formatting"
    assert fields["year"].kind == "content" and fields["year"].values["arxiv:2104.08645"] == "2021"
    assert set(fields) >= {"title", "year", "venue", "citation_count", "authors"}
    assert "doi" in paper.matched_by and "arxiv id" in paper.matched_by


def test_distinct_identifiers_never_merge() -> None:
    a = _rec("openalex", "W1", title=TITLE, doi="10.1/a", year=2021)
    b = _rec("s2", "x", title=TITLE, doi="10.1/b", year=2021)
    c = _rec("arxiv", "2104.00001", title=TITLE, arxiv_id="2104.00001", year=2021)
    d = _rec("arxiv", "2104.00002", title=TITLE, arxiv_id="2104.00002", year=2021)
    assert len(merge_records([a, b])) == 2
    assert len(merge_records([c, d])) == 2
    # A title-only record cannot chain the two arXiv records together either.
    e = _rec("s2", "y", title=TITLE, year=2021)
    assert len(merge_records([c, e, d])) == 2


def test_paper_without_doi_or_year_is_kept() -> None:
    rec = _rec("s2", "abc", s2_id="abc", title="Untitled workshop note")
    (paper,) = merge_records([rec])
    assert paper.key == "s2:abc" and paper.year is None and paper.to_paper().published is None
    assert paper_key(None, "10.1/x") == "doi:10.1/x"
    with pytest.raises(ValueError):
        paper_key(None, None)


def test_title_key_normalisation() -> None:
    assert title_key("<i>Réseaux</i> de Neurones: $\\alpha$-Pre-training & More") == title_key(
        "RESEAUX DE NEURONES alpha pretraining and more"
    )


def test_store_merged_keeps_full_text_and_files_doi_papers(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib.sqlite") as lib:
        assert lib.schema_version == 3
        full = Paper(
            arxiv_id="2104.08645",
            title=TITLE,
            authors=["Kuan-Hao Huang"],
            full_text_source="html",
            sections=[],
        )
        lib.add_paper(full)
        oa = _rec(
            "openalex",
            "W1",
            openalex_id="W1",
            title=TITLE,
            authors=["Kuan-Hao Huang"],
            year=2021,
            doi="10.18653/v1/2021.emnlp-main.126",
            venue="EMNLP",
            citation_count=40,
            arxiv_id="2104.08645",
        )
        venue_only = _rec(
            "openalex",
            "W2",
            openalex_id="W2",
            title="A Venue-Only Paper on Robust Transfer",
            authors=["Ana Lopez"],
            doi="10.1000/xyz",
            year=None,
            abstract="We study robust transfer across languages.",
        )
        stored = store_merged(lib, merge_records([record_from_paper(full), oa, venue_only]))
        assert stored == [("2104.08645", False), ("doi:10.1000/xyz", True)]
        assert lib.get_paper("2104.08645").full_text_source == "html"
        meta = lib.get_paper_meta("2104.08645")
        assert meta is not None and meta.venue == "EMNLP" and meta.citation_count == 40
        assert meta.sources == ["arxiv", "openalex"]
        doi_paper = lib.get_paper("doi:10.1000/xyz")
        assert doi_paper.doi == "10.1000/xyz" and doi_paper.published is None
        assert lib.find_paper_key(doi="10.1000/xyz") == "doi:10.1000/xyz"
        assert lib.find_paper_key(doi="10.18653/v1/2021.emnlp-main.126") == "2104.08645"
        # Storing again finds both by their identifiers: nothing new.
        again = store_merged(lib, merge_records([oa, venue_only]))
        assert [new for _, new in again] == [False, False]
        assert set(lib.paper_metas()) == {"2104.08645", "doi:10.1000/xyz"}
        # A doi-keyed paper's passages are searchable like any other.
        assert lib.passages(["doi:10.1000/xyz"])
        lib.delete_paper("doi:10.1000/xyz")
        assert lib.get_paper_meta("doi:10.1000/xyz") is None


def test_migration_from_version_2(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with Library.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE paper_meta")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Library.open(path) as lib:
        assert lib.schema_version == 3 and lib.paper_metas() == {}
