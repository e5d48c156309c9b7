"""Author lists, dates and references as the report prints them (no "et al..")."""

from __future__ import annotations

from litcheck.report.markdown import author_list, paper_date, reference_text, short_authors
from litcheck.report.models import ReportPaper

HUANG = ["Kuan-Hao Huang", "Wasi Uddin Ahmad", "Nanyun Peng", "Kai-Wei Chang"]


def _paper(**kw: object) -> ReportPaper:
    base: dict[str, object] = {
        "arxiv_id": "2104.08645",
        "version": 2,
        "title": "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training",
        "authors": HUANG,
        "published": "2021-04-17",
        "url": "https://arxiv.org/abs/2104.08645v2",
    }
    base.update(kw)
    return ReportPaper.model_validate(base)


def test_author_lists() -> None:
    assert author_list([]) == ""
    assert author_list(["Telmo Pires"]) == "Telmo Pires"
    assert author_list(["Shijie Wu", "Mark Dredze"]) == "Shijie Wu and Mark Dredze"
    assert author_list(HUANG[:3]) == "Kuan-Hao Huang, Wasi Uddin Ahmad and Nanyun Peng"
    assert author_list(HUANG) == "Kuan-Hao Huang, Wasi Uddin Ahmad, Nanyun Peng et al."
    assert author_list(HUANG, limit=6) == (
        "Kuan-Hao Huang, Wasi Uddin Ahmad, Nanyun Peng and Kai-Wei Chang"
    )
    assert short_authors(HUANG) == "Kuan-Hao Huang et al."
    assert short_authors(["Shijie Wu", "Mark Dredze"]) == "Shijie Wu and Mark Dredze"


def test_references_never_double_a_period() -> None:
    ref = reference_text(_paper())
    assert ref == (
        "Kuan-Hao Huang, Wasi Uddin Ahmad, Nanyun Peng and Kai-Wei Chang (2021). Improving "
        "Zero-Shot Cross-Lingual Transfer Learning via Robust Training. arXiv:2104.08645v2. "
        "<https://arxiv.org/abs/2104.08645v2>"
    )
    many = [f"Author {i}" for i in range(10)]
    undated = reference_text(
        _paper(authors=many, published=None, title="How multilingual is BERT?")
    )
    assert "et al.. " not in undated and "Author 5 et al. How multilingual is BERT?" in undated
    assert "?." not in undated
    nobody = reference_text(_paper(authors=[], published=None))
    assert nobody.startswith("Improving Zero-Shot") and ".." not in nobody


def test_dates_from_the_published_date_else_the_arxiv_id() -> None:
    assert paper_date(_paper()) == ("2021-04-17", True)
    assert paper_date(_paper(arxiv_id="1904.09077", published=None)) == ("2019-04", False)
    assert paper_date(_paper(arxiv_id="doi:10.1/x", published=None)) == ("", False)
