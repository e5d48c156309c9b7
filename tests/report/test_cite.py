"""BibTeX and CSL-JSON references: escaping, stable keys, papers without DOI or year."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from litcheck.library.store import PaperMeta
from litcheck.models import Paper
from litcheck.report.cite import (
    citation_keys,
    render_references,
    split_name,
    to_bibtex,
    to_csl_json,
)

HUANG = Paper(
    arxiv_id="2104.08645",
    version=2,
    title="Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training",
    authors=["Kuan-Hao Huang", "Wasi Uddin Ahmad"],
    published=datetime(2021, 4, 17, tzinfo=UTC),
    primary_category="cs.CL",
)


def test_bibtex_escapes_and_protects_capitals() -> None:
    odd = Paper(
        arxiv_id="doi:10.1000/x_y",
        title="50% of {BERT} & XLM-R_base: $x^2$ ~ #1",
        authors=["Ludwig van Beethoven", "Müller, Jürgen"],
    )
    bib = to_bibtex([odd])
    assert r"title = {50\% of {\{BERT\}} \& {XLM-R\_base:} \$x\^{}2\$ \~{} \#1}" in bib
    assert "author = {{van Beethoven}, Ludwig and Müller, Jürgen}" in bib
    assert "doi = {10.1000/x\\_y}" in bib and "@misc{beethovennd50," in bib
    assert "eprint" not in bib  # no arXiv id for a doi-keyed paper


def test_venue_from_meta_and_types() -> None:
    meta = PaperMeta(
        paper_id="2104.08645",
        venue="Proceedings of EMNLP 2021",
        year=2021,
        doi="10.18653/v1/2021.emnlp-main.126",
    )
    bib = to_bibtex([HUANG], {"2104.08645": meta})
    assert bib.startswith("@inproceedings{huang2021improving,")
    assert "booktitle = {Proceedings of EMNLP 2021}" in bib and "eprint = {2104.08645}" in bib
    (item,) = to_csl_json([HUANG], {"2104.08645": meta})
    assert item["type"] == "paper-conference" and item["DOI"] == "10.18653/v1/2021.emnlp-main.126"
    assert item["author"][0] == {"family": "Huang", "given": "Kuan-Hao"}
    assert item["issued"] == {"date-parts": [[2021, 4, 17]]}
    plain = to_csl_json([HUANG])[0]
    assert plain["type"] == "article" and plain["publisher"] == "arXiv"
    assert plain["URL"] == "https://arxiv.org/abs/2104.08645"


def test_keys_stable_and_disambiguated() -> None:
    twin = HUANG.model_copy(update={"arxiv_id": "2104.00001"})
    keys = citation_keys([HUANG, twin])
    assert keys == {"2104.00001": "huang2021improvinga", "2104.08645": "huang2021improvingb"}
    assert citation_keys([twin, HUANG]) == keys
    no_year = Paper(arxiv_id="s2:abc", title="The Untitled", authors=[])
    assert citation_keys([no_year]) == {"s2:abc": "anonnduntitled"}


def test_render_formats() -> None:
    assert json.loads(render_references([HUANG], "csl-json"))[0]["id"] == "huang2021improving"
    assert render_references([], "bibtex") == ""
    assert split_name("Plato") == ("", "Plato")
