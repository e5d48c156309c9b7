"""The committed corpus (data/corpus/): well-formed records with their sources, importable,
and a report over it in which no claim is verified by its own paper."""

from __future__ import annotations

import json
import re
from pathlib import Path

from litcheck.library import Library, make_passages
from litcheck.library.importer import read_papers_file
from litcheck.report.components import HashingEmbedder
from litcheck.report.pipeline import ReportOptions, build_report
from litcheck.report.sources import LibrarySource

from .conftest import FIXED_NOW, FakeClock, StubExtractor, StubVerifier

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
QUESTION = (
    "How does the robustness of zero-shot cross-lingual transfer vary when intermediate "
    "fine-tuning uses Romance versus Germanic languages?"
)


def _records() -> list[dict[str, object]]:
    text = (CORPUS / "xlt-robustness.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_corpus_records_name_their_sources() -> None:
    records = _records()
    assert len(records) >= 20
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    ids = set()
    for r in records:
        aid = str(r["arxiv_id"])
        base = re.sub(r"v\d+$", "", aid)
        assert re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", aid), aid
        assert r["source_url"] == f"https://arxiv.org/abs/{base}"
        assert str(r["abstract_source"]).startswith(("http://", "https://"))
        assert r["title"] and r["authors"] and len(str(r["abstract"])) > 300
        assert f"[{aid}]" in readme and str(r["abstract_source"]) in readme
        if "published" in r:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(r["published"]))
            assert str(r["published"])[2:4] == base[:2]  # the year the id encodes
        ids.add(base)
    assert len(ids) == len(records)
    assert len({r["abstract"] for r in records}) == len(records)


def test_a_report_over_the_corpus_never_self_verifies(tmp_path: Path) -> None:
    papers = read_papers_file(CORPUS / "xlt-robustness.jsonl")
    lib = Library.open(tmp_path / "lib.sqlite")
    lib.add_papers([(p, make_passages(p)) for p in papers])
    emb = HashingEmbedder()
    opts = ReportOptions(max_papers=20, now=FIXED_NOW, clock=FakeClock())
    report = build_report(
        QUESTION, lib, LibrarySource(lib, emb), StubExtractor(), emb, StubVerifier(lib), opts
    )
    assert len(report.papers) == 20 and report.claims
    assert all(p.published or re.match(r"\d{4}\.", p.arxiv_id) for p in report.papers)
    for row in report.claims:
        assert row.decided_by != row.source
        assert all(e.paper != row.source for e in row.evidence)
        assert row.others is None or row.source not in row.others.papers
    assert report.summary
    lib.close()
