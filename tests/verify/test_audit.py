"""Audit says what it could check (issue 15 item 4): references first, cited papers only,
"cited paper not available" with the fetch command, "elsewhere in the library" apart, no
confidence on unchecked rows, HTML tables, ClaimReview JSON-LD.

The library is built here from two papers (tests/conftest.py) plus a third written for the
tests; claims are judged by the fast fallback judge over a hashing embedder.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from tests.conftest import run_cli
from tests.verify.conftest import HashEmbedder

from litcheck.library import Library
from litcheck.models import Claim, Label, Paper, Section, Verdict
from litcheck.settings import load_settings
from litcheck.verify.audit import AuditResult, audit_report
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge
from litcheck.verify.pipeline import verify_claims
from litcheck.verify.render import (
    agreement_text,
    audit_json,
    audit_markdown,
    claimreview_jsonld,
    render_audit,
)
from litcheck.verify.report_refs import guess_title

# The example synthesis report's shape: tab-separated claims, ✓/× marks with a confidence,
# references by arXiv link; the library holds only the second reference.
SYNTHESIS = (
    "Cross-Lingual Transfer Robustness\n\n5 Extracted Claims\n\n"
    "Claim\tVerified\tConfidence\n"
    "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.\t✓\t0.16\n"
    "The cross-lingual transfer performance improves by 1.9 points on XNLI.\t✓\t0.13\n"
    "Multilingual encoders do not align words precisely.\t×\t0.20\n"
    "\nReferences\n\n"
    "- <http://arxiv.org/abs/2508.11281v3>\n"
    "- <http://arxiv.org/abs/2104.08645v2>\n"
    "- <http://arxiv.org/abs/2505.15090v1>\n"
)

# A report whose references are none of them in the library, although the library holds a
# paper (2104.08645) that bears on its claims.
ABSENT = (
    "Claim\tVerified\tConfidence\n"
    "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.\t✓\t0.16\n"
    "The cross-lingual transfer performance improves by 1.9 points on XNLI.\t✓\t0.13\n"
    "\nReferences\n\n"
    "- <http://arxiv.org/abs/2508.11281v3>\n"
    "- <http://arxiv.org/abs/2505.15090v1>\n"
)

# A hand-written review: a Source column with numbered markers, an author-year citation and
# a DOI; a numbered reference list with an arXiv id, a title-only entry and a DOI entry.
SOURCED = """# Robust transfer: what the papers say

| # | Claim | Source | Verdict |
|---|---|---|---|
| 1 | Randomized smoothing improves accuracy by 2.1 points on PAWS-X. | [1] | VERIFIED |
| 2 | XLM-R outperforms mBERT on XNLI by 14.6% average accuracy. | Conneau et al., 2020 | VERIFIED |
| 3 | Multilingual BERT transfers surprisingly well across languages. | [3] | VERIFIED |
| 4 | Code-switching helps zero-shot transfer. | doi:10.24963/ijcai.2020/533 | VERIFIED |

## References

[1] Huang, K.-H., Ahmad, W. U., Peng, N., Chang, K.-W. (2021). Improving Zero-Shot
    Cross-Lingual Transfer Learning via Robust Training. EMNLP. arXiv:2104.08645
[2] Conneau, A., Khandelwal, K., et al. (2020). Unsupervised Cross-lingual Representation
    Learning at Scale. ACL.
[3] Wu, S., Dredze, M. (2019). Beto, Bentz, Becas: The Surprising Cross-Lingual
    Effectiveness of BERT. EMNLP.
"""


def _library(tmp_path: Path) -> Library:
    from tests.conftest import sample_papers

    from litcheck.library.importer import read_papers_file

    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in sample_papers()), encoding="utf-8")
    lib = Library.open(tmp_path / "lib.sqlite")
    for paper in read_papers_file(path):
        lib.add_paper(paper)
    return lib


def _audit(tmp_path: Path, text: str, lib: Library | None = None) -> tuple[AuditResult, Library]:
    lib = lib or _library(tmp_path)
    index = PassageIndex.open(lib, HashEmbedder(), tmp_path / "cache", show_progress=False)
    judge = FallbackJudge()
    asked: list[list[Claim]] = []

    def run(claims: list[Claim]) -> list[Verdict]:
        asked.append(claims)
        return verify_claims(claims, lib, index, judge, show_progress=False)

    report = tmp_path / "report.txt"
    report.write_text(text, encoding="utf-8")
    cfg = load_settings(home=tmp_path / "home", offline=True)
    result = audit_report(report, lib, cfg, run, judge.name)
    assert len(asked) <= 1  # the verifier is called once, elsewhere claims included
    return result, lib


def test_rows_are_checked_against_their_cited_papers_only(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, SYNTHESIS)
    assert [r.status for r in result.rows] == ["checked"] * 3
    for row in result.rows:
        assert row.verdict.evidence, row
        # 1911.02116 (XLM-R) is in the library but not cited by the report: never evidence.
        assert {e.paper for e in row.verdict.evidence} == {"2104.08645"}
        assert "2505.15090v1" in (row.verdict.reason or "") and row.elsewhere is None
        assert "litcheck add 2508.11281 2505.15090" in (row.verdict.reason or "")
    first, second, _ = result.rows
    assert first.verdict.verdict is Label.SUPPORTED and first.disagreement is None
    # The paper says 1.6 points on XNLI: a disagreement with the report's ✓, found in the
    # cited paper, counts towards --strict.
    assert second.verdict.verdict is Label.CONTRADICTED and second.disagreement
    assert result.strict_failures == 1 and result.not_available == 0


def test_cited_paper_not_available_is_no_disagreement(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, ABSENT)
    assert result.not_available == 2 and result.disagreements == 0
    assert result.strict_failures == 0  # nothing was found against the report's ✓
    for row in result.rows:
        assert row.status == "cited paper not available" and not row.checked
        assert row.verdict.evidence == [] and row.verdict.verdict is Label.NOT_ENOUGH_INFO
        reason = row.verdict.reason or ""
        assert "cited paper not available" in reason
        assert "`litcheck add 2508.11281 2505.15090`" in reason
    assert result.fetch_commands == ["litcheck add 2508.11281 2505.15090"]
    assert agreement_text(result.rows[0]).count("cited paper not available") == 1
    # The rest of the library holds 2104.08645: its verdicts are shown apart.
    elsewhere = [r.elsewhere for r in result.rows]
    assert all(e is not None for e in elsewhere)
    assert elsewhere[0] is not None and elsewhere[0].verdict is Label.SUPPORTED
    assert elsewhere[1] is not None and elsewhere[1].verdict is Label.CONTRADICTED
    assert all(e is not None and e.evidence[0].paper == "2104.08645" for e in elsewhere)


def test_unchecked_rows_show_no_confidence(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, ABSENT)
    md = audit_markdown(result)
    claims = md.split("## Claims")[1].split("## Elsewhere")[0]
    rows = [line for line in claims.splitlines() if line.startswith("| 1 ") or "| 2 |" in line]
    assert len(rows) == 2
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[4] == "not checked" and cells[5] == "—"
        assert "1.00" not in line and "0.00" not in line
    objs = audit_json(result)
    assert all(o["confidence"] is None and o["checked"] is False for o in objs[:-1])
    assert objs[0]["status"] == "cited paper not available"
    assert objs[0]["elsewhere"]["verdict"] == "SUPPORTED"
    assert objs[0]["elsewhere"]["counts_as_disagreement"] is False
    assert objs[-1]["cited_paper_not_available"] == 2 and objs[-1]["disagreements"] == 0
    # The elsewhere results have a section of their own, labelled as such.
    section = md.split("## Elsewhere in the library (not the cited papers)")[1]
    assert "never a disagreement" in section and "| 1 |" in section and "SUPPORTED" in section


def test_checked_rows_show_their_confidence(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, SYNTHESIS)
    objs = audit_json(result)
    assert all(isinstance(o["confidence"], float) for o in objs[:-1])
    assert objs[0]["confidence"] == pytest.approx(result.rows[0].verdict.confidence, abs=1e-4)


def test_row_sources_resolve_by_marker_author_year_and_doi(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, SOURCED)
    by_index = {r.index: r for r in result.rows}
    one, two, three, four = (by_index[i] for i in (1, 2, 3, 4))
    assert one.cites_own and [r.paper_id for r in one.cited] == ["2104.08645"]
    assert one.status == "checked" and one.verdict.verdict is Label.SUPPORTED
    assert {e.paper for e in one.verdict.evidence} == {"2104.08645"}
    # "Conneau et al., 2020" is entry [2], a title-only entry matched to the library by title.
    assert [r.paper_id for r in two.cited] == ["1911.02116"] and two.status == "checked"
    assert {e.paper for e in two.verdict.evidence} == {"1911.02116"}
    # [3] is not in the library: the fetch command searches its title.
    assert three.status == "cited paper not available" and three.disagreement is None
    assert three.cited[0].fetch == (
        'litcheck search "Beto, Bentz, Becas: The Surprising Cross-Lingual Effectiveness of BERT"'
    )
    assert three.cited[0].fetch in (three.verdict.reason or "")
    # A DOI in the row that no library paper carries.
    assert four.status == "cited paper not available" and four.cited[0].kind == "doi"
    assert "10.24963/ijcai.2020/533" in (four.cited[0].fetch or "")
    numbers = {r.number: r.paper_id for r in result.references if r.number}
    assert numbers == {"1": "2104.08645", "2": "1911.02116", "3": None}


def test_report_without_references_is_not_checked(tmp_path: Path) -> None:
    text = (
        "| Claim | Verified |\n|---|---|\n"
        "| XLM-R outperforms mBERT on XNLI by 14.6% average accuracy. | ✗ |\n"
    )
    result, _ = _audit(tmp_path, text)
    (row,) = result.rows
    assert row.status == "no cited paper" and row.disagreement is None
    assert row.elsewhere is not None and row.elsewhere.verdict is Label.SUPPORTED
    assert result.disagreements == 0 and result.strict_failures == 0


def test_guess_title_from_reference_entries() -> None:
    assert guess_title(
        "Huang, K.-H. et al. (2021). Improving Zero-Shot Cross-Lingual Transfer Learning via "
        "Robust Training. EMNLP. https://doi.org/10.18653/v1/2021.emnlp-main.126"
    ) == ("Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training")
    assert guess_title('Pires, T. "How multilingual is Multilingual BERT?" ACL 2019.') == (
        "How multilingual is Multilingual BERT?"
    )
    assert guess_title("Devlin et al. 2019. BERT.") is None


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[str] = []
        self.rows: dict[str, int] = {}
        self.pre = 0
        self._table: str | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or "?"
            self.tables.append(self._table)
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body and self._table:
            self.rows[self._table] = self.rows.get(self._table, 0) + 1
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False


def test_audit_html_uses_the_report_renderer(tmp_path: Path) -> None:
    from litcheck.report.audit_html import write_audit_html
    from litcheck.report.html import STYLE
    from litcheck.report.scorecard import audit_scorecard

    result, lib = _audit(tmp_path, ABSENT)
    card = audit_scorecard(result, lib, ABSENT)
    page = write_audit_html(result, card)
    parsed = _Tables()
    parsed.feed(page)
    assert parsed.pre == 0 and "|---" not in page and "## " not in page
    assert {"claims", "elsewhere", "references", "scorecard"} <= set(parsed.tables)
    assert parsed.rows["claims"] == 2 and parsed.rows["elsewhere"] == 2
    assert STYLE.strip()[:40] in page and 'class="sortable"' in page
    data = page.split('id="report-data">')[1].split("</script>")[0]
    assert json.loads(data)[0]["status"] == "cited paper not available"
    assert 'data-verdict="cited paper not available"' in page


def test_claimreview_jsonld_one_review_per_row(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, SYNTHESIS)
    doc = json.loads(render_audit(result, "claimreview"))
    assert doc == json.loads(render_audit(result, "jsonld"))
    assert doc["@context"] == "https://schema.org"
    reviews = doc["@graph"]
    assert len(reviews) == len(result.rows)
    for review, row in zip(reviews, result.rows, strict=True):
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == row.verdict.claim
        rating = review["reviewRating"]
        assert rating["alternateName"] == row.verdict.verdict.value
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert "fallback" in review["author"]["name"] and "litcheck" in review["author"]["name"]
        urls = {a.get("url"): a for a in review["itemReviewed"]["appearance"]}
        assert urls["https://arxiv.org/abs/2104.08645"]["name"].startswith("Improving Zero-Shot")
        assert "https://arxiv.org/abs/2505.15090" in urls  # cited, even though unavailable
        assert row.verdict.evidence[0].text in review["reviewBody"]
    supported, contradicted = reviews[0]["reviewRating"], reviews[1]["reviewRating"]
    assert supported["ratingValue"] == supported["bestRating"] == 3
    assert contradicted["ratingValue"] == contradicted["worstRating"] == 1


def test_claimreview_of_unchecked_rows_says_why(tmp_path: Path) -> None:
    result, _ = _audit(tmp_path, ABSENT)
    reviews = claimreview_jsonld(result)["@graph"]
    for review in reviews:
        assert review["reviewRating"]["alternateName"] == "NOT_ENOUGH_INFO"
        assert "cited paper not available" in review["reviewBody"]
        assert "confidence" not in review["reviewRating"]["ratingExplanation"]


def test_title_in_a_source_cell_is_resolved(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    lib.add_paper(
        Paper(
            arxiv_id="1906.01502",
            title="How multilingual is Multilingual BERT?",
            abstract="Multilingual BERT transfers well between languages with shared words.",
            sections=[Section(title="Abstract", text="M-BERT transfers across scripts.")],
        )
    )
    text = (
        "| Claim | Paper | Verified |\n|---|---|---|\n"
        "| Multilingual BERT transfers between languages. | How multilingual is "
        "Multilingual BERT? | ✓ |\n"
    )
    result, _ = _audit(tmp_path, text, lib)
    (row,) = result.rows
    assert [r.paper_id for r in row.cited] == ["1906.01502"] and row.status == "checked"
    assert {e.paper for e in row.verdict.evidence} == {"1906.01502"}


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def imported(papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0


def test_cli_strict_ignores_elsewhere_and_writes_claimreview(
    imported: None, tmp_path: Path
) -> None:
    report = tmp_path / "absent.txt"
    report.write_text(ABSENT, encoding="utf-8")
    res = run_cli("audit", str(report), "--fallback", "--strict", "--format", "json")
    assert res.code == 0, res.stderr  # the CONTRADICTED elsewhere is not a --strict failure
    rows = res.json_lines()
    assert rows[-1]["strict_failures"] == 0 and rows[-1]["unchecked"] == 2
    assert rows[1]["elsewhere"]["verdict"] == "CONTRADICTED" and rows[1]["disagreement"] is None
    assert "litcheck add 2508.11281 2505.15090" in res.stderr
    out = tmp_path / "audit.jsonld"
    res = run_cli("audit", str(report), "--fallback", "--format", "claimreview", "-o", str(out))
    assert res.code == 0, res.stderr
    assert len(json.loads(out.read_text())["@graph"]) == 2
    html = tmp_path / "audit.html"
    res = run_cli("audit", str(report), "--fallback", "--format", "html", "-o", str(html))
    assert res.code == 0, res.stderr
    page = html.read_text()
    assert "<pre>" not in page and '<table id="claims"' in page and "Elsewhere in the" in page
