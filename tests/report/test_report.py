"""The report pipeline: rules, bad input, golden Markdown/JSON, end to end on a local arXiv."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import run_cli
from litcheck.errors import BadInputError
from litcheck.library import Library
from litcheck.models import Evidence, Label, Verdict
from litcheck.report.components import FoundPapers, HashingEmbedder
from litcheck.report.markdown import write_json, write_markdown
from litcheck.report.models import Report, ReportClaim
from litcheck.report.pipeline import ReportOptions, assemble_row, build_report
from litcheck.report.query import expand_query
from litcheck.report.sources import LibrarySource

from .conftest import FIXED_NOW, PAPERS, QUESTION, FakeClock, StubExtractor, StubVerifier

GOLDEN = Path(__file__).parent / "golden"


def _build(lib: Library, options: ReportOptions, question: str = QUESTION) -> Report:
    emb = HashingEmbedder()
    return build_report(
        question, lib, LibrarySource(lib, emb), StubExtractor(), emb, StubVerifier(lib), options
    )


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_GOLDEN=1 to accept"


def test_supported_below_half_is_impossible() -> None:
    with pytest.raises(ValidationError, match=r"confidence >= 0\.5"):
        ReportClaim(
            id="c",
            claim="x",
            source="2104.08645",
            relevance=0.5,
            standing="corroborated",
            verdict=Label.SUPPORTED,
            confidence=0.16,
        )
    with pytest.raises(ValidationError):
        ReportClaim(
            id="c",
            claim="x",
            source="2104.08645",
            relevance=0.5,
            standing="contradicted",
            verdict=Label.CONTRADICTED,
            confidence=None,
        )
    ReportClaim(
        id="c",
        claim="x",
        source="a",
        relevance=0.5,
        standing="single source",
        verdict=Label.NOT_ENOUGH_INFO,
        confidence=None,
    )


def test_a_row_verified_by_its_own_paper_cannot_be_built() -> None:
    own = Evidence(paper="2104.08645", section="Abstract", text="x", score=1.0)
    with pytest.raises(ValidationError, match="its own paper"):
        ReportClaim(
            id="c",
            claim="x",
            source="2104.08645",
            relevance=0.5,
            standing="corroborated",
            verdict=Label.SUPPORTED,
            confidence=0.9,
            decided_by="2104.08645",
            evidence=[own],
            corroborated_by=["2104.08645"],
        )


def _verdict(label: Label, conf: float, paper: str) -> Verdict:
    ev = Evidence(paper=paper, section="4 Results", text=f"evidence from {paper}", score=1.0)
    return Verdict(id="c1", claim="claim", verdict=label, confidence=conf, evidence=[ev])


def test_verdict_rule_and_abstention() -> None:
    from litcheck.models import Claim

    claim = Claim(id="c1", text="claim", paper_id="A", section="4 Results")
    weak = assemble_row(claim, 0.5, ["B"], _verdict(Label.SUPPORTED, 0.16, "B"))
    assert weak.verdict is Label.NOT_ENOUGH_INFO and weak.confidence is None
    assert weak.standing == "single source" and "0.16" in (weak.note or "")
    row = assemble_row(claim, 0.5, ["B", "C"], _verdict(Label.CONTRADICTED, 0.6, "C"))
    assert row.verdict is Label.CONTRADICTED and row.confidence == 0.6
    assert row.standing == "contradicted" and row.contradicted_by == ["C"]
    assert row.decided_by == "C" and row.evidence[0].paper == "C"
    assert row.grounding is not None and row.grounding.label() == "stated in A, §4 Results"
    good = assemble_row(claim, 0.5, ["B"], _verdict(Label.SUPPORTED, 0.8, "B"))
    assert good.standing == "corroborated" and good.corroborated_by == ["B"]
    # Nobody else to ask: single source, never the paper's own say-so.
    alone = assemble_row(claim, 0.5, [], None)
    assert alone.standing == "single source" and alone.verdict is Label.NOT_ENOUGH_INFO
    assert alone.others is None and "no other paper" in (alone.note or "")
    # A decisive answer whose only evidence is the claim's own paper is not corroboration.
    selfish = assemble_row(claim, 0.5, ["B"], _verdict(Label.SUPPORTED, 0.9, "A"))
    assert selfish.standing == "single source" and selfish.evidence == []
    assert "own paper" in (selfish.note or "")


def test_query_expansion() -> None:
    q = expand_query(QUESTION)
    assert q.phrases[:2] == ["robust training", "zero-shot cross-lingual transfer"]
    assert "adversarial training" in q.synonyms["robust training"]
    first = q.arxiv_queries()[0]
    assert first == 'all:"robust training" AND all:"zero-shot cross-lingual transfer"'
    assert expand_query("How does it vary?").phrases == []


def test_pipeline_corroborates_and_finds_contradictions(
    lib: Library, options: ReportOptions
) -> None:
    report = _build(lib, options)
    assert [p.arxiv_id for p in report.papers] == ["2104.08645", "2201.00001", "2303.00002"]
    by_text = {c.claim: c for c in report.claims}
    pawsx = by_text[
        "Robust training improves zero-shot cross-lingual transfer accuracy on PAWS-X "
        "by 2.1 points."
    ]
    assert pawsx.verdict is Label.SUPPORTED and pawsx.corroborated_by == ["2201.00001"]
    assert pawsx.standing == "corroborated" and pawsx.source == "2104.08645"
    assert pawsx.confidence is not None and pawsx.confidence >= 0.5
    # The two papers' XNLI gains (1.6 vs 0.2 points) fill one slot: a contradiction.
    (contra,) = report.contradictions
    assert {contra.first.paper, contra.second.paper} == {"2104.08645", "2201.00001"}
    assert contra.kind == "values" and "XNLI" in contra.slot
    assert {contra.first.figure, contra.second.figure} == {"1.6 points", "0.2 points"}
    # No row is ever decided by its own paper.
    assert all(c.decided_by != c.source for c in report.claims)
    assert all(e.paper != c.source for c in report.claims for e in c.evidence)
    summary = " ".join(report.summary)
    assert "Claim 3 is corroborated by another paper" in summary
    assert "Claims 4 and 5 contradict each other on accuracy · XNLI" in summary
    assert "claims extracted" not in summary and "papers (" not in summary  # counts: method
    assert all(
        c.confidence is None or c.confidence >= 0.5
        for c in report.claims
        if c.verdict is not Label.NOT_ENOUGH_INFO
    )
    # the protein paper is not relevant; the abstract-only paper is named in the limitations
    assert not any("protein" in c.claim.lower() for c in report.claims)
    assert any("2303.00002" in line and "no full text" in line for line in report.limitations)
    stages = [t.stage for t in report.method.timings]
    assert stages[0] == "expand query" and "verify" in stages
    assert all(t.seconds == 1.0 for t in report.method.timings)  # the fake clock


def test_golden_markdown_and_json(lib: Library, options: ReportOptions) -> None:
    report = _build(lib, options)
    _check_golden("report.md", write_markdown(report))
    _check_golden("report.json", write_json(report))
    again = Report.model_validate_json(write_json(report))
    assert again == report


def test_question_that_finds_nothing_gives_an_honest_report(
    lib: Library, options: ReportOptions
) -> None:
    report = _build(lib, options, "Which quasars emit gravitational waves at millihertz?")
    assert report.papers == [] and report.claims == []
    md = write_markdown(report)
    assert "No papers were found" in md
    assert "found no papers for this question" in report.limitations[0]


def test_empty_question_is_bad_input(lib: Library, options: ReportOptions) -> None:
    with pytest.raises(BadInputError):
        _build(lib, options, "   ")
    res = run_cli("report", "  ")
    assert res.code == 2 and "empty" in res.stderr and "Traceback" not in res.stderr


def test_cli_report_from_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import write_papers

    monkeypatch.setenv("LITCHECK_EMBEDDING_MODEL", "hashing")
    assert run_cli("library", "import", str(write_papers(tmp_path / "p.jsonl"))).code == 0
    out = tmp_path / "r.json"
    res = run_cli("--offline", "report", QUESTION, "--max-papers", "4", "-o", str(out))
    assert res.code == 0, res.stderr
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    assert report.method.source == "library" and report.method.extractor.startswith("offline/")
    assert report.method.verifier.startswith("litcheck.verify")
    assert report.claims and report.papers
    md = run_cli("--offline", "report", QUESTION, "--max-papers", "4")
    assert md.code == 0 and md.stdout.startswith("<!-- litcheck-report 1 -->")


def test_reverify_reads_our_report(lib: Library, options: ReportOptions, tmp_path: Path) -> None:
    from litcheck.report.reverify import reverify

    from .test_reverify import make_runs

    report = _build(lib, options)
    runs = make_runs(tmp_path / "runs")
    for name, text in (("r.json", write_json(report)), ("r.md", write_markdown(report))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        rep = reverify(path, runs, now=FIXED_NOW)
        assert rep.report_kind == ("litcheck-json" if name == "r.json" else "litcheck-markdown")
        assert rep.claims_read == len(report.claims)
        outcomes = {f.claim: f.outcome for f in rep.figures}
        key = (
            "Robust training improves zero-shot cross-lingual transfer accuracy on PAWS-X "
            "by 2.1 points."
        )
        assert outcomes[key] == "CONFIRMED"  # rs_da - plain: +1.8 [0.7, 2.9] points


def test_schemas_are_current() -> None:
    from litcheck.report.schemas import SCHEMA_DIR, schema_text, schemas

    for name, schema in schemas().items():
        on_disk = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert on_disk == schema_text(schema), (
            f"data/schemas/{name} is stale: run `python -m litcheck.report.schemas`"
        )


# -- end to end over a local arXiv ----------------------------------------------------------

LATEXML = """<html><body><div class="ltx_page_content"><article class="ltx_document">
<h1 class="ltx_title ltx_title_document">{title}</h1>
<section class="ltx_section"><h2 class="ltx_title ltx_title_section">
<span class="ltx_tag ltx_tag_section">4 </span>Results</h2>
<div class="ltx_para"><p class="ltx_p">{text}</p></div></section>
</article></div></body></html>"""


def test_end_to_end_local_arxiv(tmp_path: Path) -> None:
    support = pytest.importorskip("retrieve.support", reason="retrieve test helpers absent")
    server = support.LocalServer().start()
    try:
        entries = [
            support.Entry(
                arxiv_id=str(p["arxiv_id"]),
                title=str(p["title"]),
                abstract=str(p["abstract"]),
                authors=tuple(p["authors"]),  # type: ignore[arg-type]
                published=str(p["published"]),
            )
            for p in PAPERS
        ]
        full = {
            str(p["arxiv_id"]): LATEXML.format(title=p["title"], text=p["sections"][0]["text"])  # type: ignore[index]
            for p in PAPERS
            if p["sections"]
        }

        def handler(path: str, query: dict[str, str]) -> object:
            if path.endswith("/api/query"):
                return support.Reply(200, support.atom_feed(entries))
            if path.startswith("/html/"):
                key = path.rsplit("/", 1)[1]
                if key in full:
                    return support.Reply(200, full[key], {"Content-Type": "text/html"})
            return support.Reply(404, "not found")

        server.handler = handler
        settings = support.make_settings(server.url)
        from litcheck.report.sources import ArxivSource

        lib = Library.open(tmp_path / "e2e.sqlite")
        emb = HashingEmbedder()
        opts = ReportOptions(max_papers=4, now=FIXED_NOW, clock=FakeClock())
        report = build_report(
            QUESTION,
            lib,
            ArxivSource(settings, lib),
            StubExtractor(),
            emb,
            StubVerifier(lib),
            opts,
        )
        assert report.method.source == "arxiv" and report.method.queries
        sources = {p.arxiv_id: p.full_text_source for p in report.papers}
        assert sources["2104.08645"] == "html" and sources["2303.00002"] is None
        assert report.contradictions
        n_requests = len(server.requests)
        # a second report makes no full-text request: the papers are stored
        build_report(
            QUESTION,
            lib,
            ArxivSource(settings, lib),
            StubExtractor(),
            emb,
            StubVerifier(lib),
            ReportOptions(max_papers=4, now=FIXED_NOW),
        )
        later = [r.path for r in server.requests[n_requests:]]
        assert all(p.endswith("/api/query") for p in later)
        assert all(
            r.path.startswith(("/api/", "/html/", "/ar5iv/", "/pdf/")) for r in server.requests
        )
        lib.close()
        assert isinstance(FoundPapers(papers=[], queries=[]).papers, list)
    finally:
        server.stop()
    json.dumps({})  # keep json imported for golden debugging
