"""`litcheck report`: search flow, scorecard, references export, sources; offline throughout."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from conftest import run_cli
from litcheck.library import Library
from litcheck.models import Label
from litcheck.report.components import HashingEmbedder
from litcheck.report.html import write_html
from litcheck.report.models import Report
from litcheck.report.pipeline import ReportOptions, build_report
from litcheck.report.sources import MultiSourcePaperSource
from litcheck.retrieve.sources import SourceRecord

from .conftest import QUESTION, StubExtractor, StubVerifier, write_papers
from .test_report import _build
from .test_search_flow import FakeSource

DIMENSIONS = [
    "evidence strength",
    "citation grounding",
    "numerical consistency",
    "benchmark validity",
    "uncertainty disclosure",
    "reproducibility",
]


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A library imported through the CLI (the test's own papers file)."""
    monkeypatch.setenv("LITCHECK_EMBEDDING_MODEL", "hashing")
    papers = write_papers(tmp_path / "papers.jsonl")
    res = run_cli("library", "import", str(papers))
    assert res.code == 0, res.stderr
    return tmp_path


def _report(*args: str) -> tuple[int, str, str]:
    res = run_cli("--offline", "report", QUESTION, "--max-papers", "4", *args)
    return res.code, res.stdout, res.stderr


def test_cli_report_has_search_flow_and_scorecard(imported: Path) -> None:
    out = imported / "r.json"
    code, _, err = _report("-o", str(out))
    assert code == 0, err
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    flow, card = report.search_flow, report.scorecard
    assert flow is not None and card is not None
    assert flow.queries and {q.source for q in flow.queries} == {"library"}
    assert flow.records_found == sum(q.records for q in flow.queries)
    assert flow.unique_papers == len(report.papers)
    assert set(flow.contributed_claims) == {p.arxiv_id for p in report.papers if p.claims_kept}
    assert set(flow.full_texts_read) == {p.arxiv_id for p in report.papers if p.full_text_source}
    assert [d.name for d in card.dimensions] == DIMENSIONS and card.claims == len(report.claims)
    by_name = {d.name: d for d in card.dimensions}
    supported = sum(
        1
        for c in report.claims
        if c.verdict is Label.SUPPORTED and c.confidence is not None and c.confidence >= 0.5
    )
    assert by_name["evidence strength"].numerator == supported
    assert by_name["reproducibility"].value is None  # no --runs
    assert by_name["citation grounding"].inputs["citations_checked"]

    md = imported / "r.md"
    assert _report("-o", str(md))[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "## Search flow" in text and "| records found |" in text
    assert "## Scorecard" in text and "| dimension | score /10 | share | formula | inputs |" in text
    assert text.index("## Method") < text.index("## Search flow") < text.index("## Papers")
    assert text.index("## Contradictions") < text.index("## Scorecard") < text.index("## Limit")

    page = imported / "r.html"
    assert _report("-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert 'id="search-flow"' in html and 'id="scorecard"' in html
    assert "Search flow (PRISMA-style)" in html  # the inline SVG diagram


def test_cli_report_runs_measure_reproducibility(imported: Path) -> None:
    from .test_reverify import make_runs

    runs = make_runs(imported / "runs")
    out = imported / "r.json"
    code, _, err = _report("--runs", str(runs), "-o", str(out))
    assert code == 0, err
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    assert report.measured
    assert report.scorecard is not None
    repro = report.scorecard.dimensions[-1]
    assert repro.name == "reproducibility" and repro.denominator == len(report.measured)
    assert repro.inputs["confirmed"] == sum(1 for f in report.measured if f.outcome == "CONFIRMED")


def test_cite_format_bibtex_on_stdout_and_csl_json_to_file(imported: Path) -> None:
    out = imported / "r.json"
    code, stdout, err = _report("-o", str(out), "--cite-format", "bibtex")
    assert code == 0, err
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    entries = re.findall(r"^@(article|misc|inproceedings)\{([^,]+),$", stdout, flags=re.M)
    assert len(entries) == len(report.papers) == stdout.count("\n@") + 1
    assert all(kind in {"article", "misc"} for kind, _ in entries)
    assert stdout.count("{") == stdout.count("}")  # balanced braces: parseable
    assert "eprint = {2104.08645}" in stdout

    refs = imported / "refs.json"
    code, stdout, err = _report("-o", str(out), "--cite-output", str(refs))
    assert code == 0, err
    assert stdout == ""  # nothing on stdout: both went to files
    items = json.loads(refs.read_text(encoding="utf-8"))
    assert isinstance(items, list) and len(items) == len(report.papers)
    assert {i["number"] for i in items} == {f"arXiv:{p.arxiv_id}" for p in report.papers}
    assert all(i["title"] and i["author"] and i["type"] for i in items)
    assert not list(imported.glob(".refs.json.*.tmp"))  # atomic write leaves no temp file

    bib = imported / "refs.txt"
    code, _, err = _report("-o", str(out), "--cite-format", "bibtex", "--cite-output", str(bib))
    assert code == 0, err
    assert bib.read_text(encoding="utf-8").count("\n@") + 1 == len(report.papers)


def test_cite_options_bad_input(imported: Path) -> None:
    code, stdout, err = _report("--cite-format", "bibtex")  # report and refs both on stdout
    assert code == 2 and "--cite-output" in err and stdout == ""
    code, _, err = _report("-o", str(imported / "r.md"), "--cite-format", "ris")
    assert code == 2 and "bibtex, csl-json" in err
    code, _, err = _report("--cite-output", str(imported / "refs.txt"))
    assert code == 2 and "suffix" in err
    assert not (imported / "r.md").exists()  # checked before any work
    code, _, err = _report("--source", "arxiv,scopus")
    assert code == 2 and "scopus" in err
    code, _, err = _report("--source", "arxiv,openalex", "-o", str(imported / "r.md"))
    assert code == 0 and "ignored" in err  # offline: the library, said so


def _r(source: str, sid: str, **kw: object) -> SourceRecord:
    return SourceRecord(source=source, source_id=sid, **kw)  # type: ignore[arg-type]


def test_multi_source_report_records_failure_and_goes_on(tmp_path: Path) -> None:
    from litcheck.settings import Settings

    abstract = (
        "Robust training improves zero-shot cross-lingual transfer accuracy on PAWS-X by 2.1 "
        "points. Randomized smoothing makes multilingual encoders tolerate noise."
    )
    oa = FakeSource(
        "openalex",
        [
            _r(
                "openalex",
                "W1",
                title="Robust Training for Zero-Shot Cross-Lingual Transfer",
                year=2021,
                doi="10.1/robust",
                abstract=abstract,
                authors=["Kuan-Hao Huang"],
            ),
            _r("openalex", "W2", title="A Paper Without Text", year=2022, doi="10.1/none"),
        ],
    )
    s2 = FakeSource(
        "s2",
        [
            _r(
                "s2",
                "a" * 40,
                title="robust training for zero-shot cross-lingual transfer",
                year=2021,
                doi="10.1/robust",
                venue="Findings of ACL",
                citation_count=9,
            )
        ],
    )
    down = FakeSource("arxiv", None, fail="export.arxiv.org answered 503 Service Unavailable")
    emb = HashingEmbedder()
    with Library.open(tmp_path / "lib.sqlite") as lib:
        source = MultiSourcePaperSource(
            Settings(full_text=False), lib, ["arxiv", "openalex", "s2"], [down, oa, s2]
        )
        report = build_report(
            QUESTION, lib, source, StubExtractor(), emb, StubVerifier(lib), ReportOptions()
        )
        from litcheck.report.commands import report_references

        bib = report_references(report, lib, "bibtex")
    flow = report.search_flow
    assert flow is not None
    assert flow.records_per_source == {"arxiv": 0, "openalex": 2, "s2": 1}
    assert flow.duplicates_removed == 1
    assert [f.source for f in flow.failures][:1] == ["arxiv"]
    assert flow.screened_counts == {"no text": 1}
    assert [p.arxiv_id for p in report.papers] == ["doi:10.1/robust"]
    assert any("source arxiv failed" in line for line in report.limitations)
    assert report.claims and report.scorecard is not None
    assert "journal = {Findings of ACL}" in bib and "doi = {10.1/robust}" in bib
    html = write_html(report)
    svg = html[html.index("<svg", html.index("Search flow")) :]
    ET.fromstring(svg[: svg.index("</svg>") + len("</svg>")])
    assert "Source failures" in svg


def test_flagged_citation_is_shown(lib: Library, options: ReportOptions) -> None:
    """A claim naming an off-topic paper's arXiv id: the citation is flagged with its reason."""
    from litcheck.models import Claim, Paper, Passage

    class CitingExtractor(StubExtractor):
        def extract(self, paper: Paper, passages: list[Passage]) -> list[Claim]:  # type: ignore[override]
            return [
                c.model_copy(update={"cites": ["2305.00003"]})
                for c in super().extract(paper, passages)
            ]

    emb = HashingEmbedder()
    from litcheck.report.sources import LibrarySource

    report = build_report(
        QUESTION, lib, LibrarySource(lib, emb), CitingExtractor(), emb, StubVerifier(lib), options
    )
    assert report.flagged_citations
    assert {c.paper for c in report.flagged_citations} == {"2305.00003"}
    assert all("cannot bear" in c.reason for c in report.flagged_citations)
    from litcheck.report.markdown import write_markdown

    md = write_markdown(report)
    assert "Flagged citations (cannot bear on their claim):" in md and "2305.00003" in md
    card = report.scorecard
    assert card is not None
    assert card.dimensions[1].inputs["citations_flagged"] == len(report.flagged_citations)
    assert _build(lib, options).flagged_citations == []


def test_memo_embedder_encodes_each_text_once() -> None:
    from litcheck.report.pipeline import MemoEmbedder

    class Counting(HashingEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
            self.seen += list(texts)
            return super().encode(texts)

    inner = Counting()
    known = {"claim one": inner.encode(["claim one"])[0]}
    inner.seen.clear()
    memo = MemoEmbedder(inner, known)
    first = memo.encode(["claim one", "paper text", "paper text"])
    again = memo.encode(["paper text", "claim one"])
    assert inner.seen == ["paper text"]
    assert first.shape == (3, inner.dim) and np.allclose(first[1], again[0])
    assert np.allclose(first[0], HashingEmbedder().encode(["claim one"])[0])
