"""Row spans (HTML rowspan, LaTeX group rows), footnote and bibliography citations, verdicts
after a label in lists, headers and verdicts in other languages, decimal commas, JSON lists."""

from __future__ import annotations

from litcheck.extract.report_table import parse_report

HTML_ROWSPAN = """<html><head><title>Claim review</title></head><body><table>
<tr><th>Paper</th><th>Claim</th><th>Verdict</th></tr>
<tr><td rowspan="2">arXiv:1906.01502</td><td>M-BERT is good at zero-shot transfer.</td>
<td>Supported</td></tr>
<tr><td>M-BERT transfers best between similar languages.</td><td>Supported</td></tr>
<tr><td rowspan="2">arXiv:2005.09093</td><td>mBERT beats baselines on low-resource languages.</td>
<td rowspan="2">Refuted</td></tr>
<tr><td>Low-resource means the bottom 30% by Wikipedia size.</td></tr>
<tr><td>arXiv:1911.02116</td><td>XLM-R outperforms mBERT.</td><td>Supported</td></tr>
</table></body></html>
"""


def test_html_rowspan_cells_are_read_into_every_row_they_span() -> None:
    report = parse_report(HTML_ROWSPAN)
    assert [r.text for r in report.rows] == [
        "M-BERT is good at zero-shot transfer.",
        "M-BERT transfers best between similar languages.",
        "mBERT beats baselines on low-resource languages.",
        "Low-resource means the bottom 30% by Wikipedia size.",
        "XLM-R outperforms mBERT.",
    ]
    assert [r.cites for r in report.rows] == [
        ["1906.01502"],
        ["1906.01502"],
        ["2005.09093"],
        ["2005.09093"],
        ["1911.02116"],
    ]
    assert [r.mark for r in report.rows] == [
        "verified",
        "verified",
        "refuted",
        "refuted",
        "verified",
    ]


LATEX_GROUPS = r"""\documentclass{article}
\title{Claim audit}
\begin{document}
\begin{tabular}{p{8cm}ll}
\toprule
\multicolumn{1}{c}{\textbf{Claim}} & \textbf{Reference} & \textbf{Verdict} \\
\midrule
\multicolumn{3}{l}{\emph{Multilingual encoders}} \\
mBERT generalizes well across languages \cite{wu2019beto}. & \cite{wu2019beto} & Supported \\
\multicolumn{3}{l}{\emph{Benchmarks}} \\
XTREME evaluates 40 languages on 9 tasks. & \citep[see][]{hu2020xtreme,k2020} & Supported \\
Lexical overlap matters little. & none & Supported \\
\bottomrule
\end{tabular}
\begin{thebibliography}{9}
\bibitem{wu2019beto} S. Wu and M. Dredze. Beto, Bentz, Becas. arXiv:1904.09077, 2019.
\bibitem[Hu et al.(2020)]{hu2020xtreme} J. Hu et al. XTREME. arXiv:2003.11080.
\bibitem{k2020} K. Karthikeyan et al. Cross-Lingual Ability of Multilingual BERT.
  \emph{ICLR}, 2020. arXiv:1912.07840
\end{thebibliography}
\end{document}
"""


def test_latex_group_rows_are_skipped_and_cite_keys_read_from_the_bibliography() -> None:
    report = parse_report(LATEX_GROUPS)
    assert report.format == "latex"
    assert [r.text for r in report.rows] == [
        "mBERT generalizes well across languages [wu2019beto].",
        "XTREME evaluates 40 languages on 9 tasks.",
        "Lexical overlap matters little.",
    ]
    assert [r.mark for r in report.rows] == ["verified"] * 3
    assert [r.cites for r in report.rows] == [
        ["1904.09077"],
        ["2003.11080", "1912.07840"],
        [],
    ]
    assert report.rows[0].extra["Cited works"].startswith("S. Wu and M. Dredze. Beto")
    assert report.rows[2].extra["Cited works"] == ""
    assert [r.line for r in report.rows] == [9, 11, 12]


def test_a_latex_table_without_bibliography_has_no_cited_works_column() -> None:
    text = "\\begin{tabular}{ll}\nClaim & Verdict \\\\\nX holds \\cite{a}. & Supported \\\\\n"
    report = parse_report(text + "\\end{tabular}\n")
    assert report.rows[0].extra == {}


MARKDOWN_FOOTNOTES = """# Related-work audit

| Claim | Verdict |
|---|---|
| mBERT transfers well between scripts.[^pires] | Supported |
| English is usually the best source language.[^turc][^pires] | Refuted |
| XTREME-R has 10 tasks. | Supported |

[^pires]: Pires et al. (2019). How multilingual is Multilingual BERT? arXiv:1906.01502
[^turc]: Turc et al. (2021), Revisiting the Primacy of English,
    https://arxiv.org/abs/2106.16171
"""


def test_footnote_markers_cite_their_definitions() -> None:
    report = parse_report(MARKDOWN_FOOTNOTES)
    assert report.format == "markdown"
    assert [r.text for r in report.rows] == [
        "mBERT transfers well between scripts.",
        "English is usually the best source language.",
        "XTREME-R has 10 tasks.",
    ]
    assert [r.cites for r in report.rows] == [
        ["1906.01502"],
        ["2106.16171", "1906.01502"],
        [],
    ]
    assert report.rows[1].extra["Footnotes"].startswith("Turc et al. (2021), Revisiting")
    assert report.rows[2].extra["Footnotes"] == ""
    assert [r.mark for r in report.rows] == ["verified", "refuted", "verified"]


EMAIL_LIST = """Subject: Re: fact check of section 2

Hi Dana, summary below.

1. XLM-R outperforms mBERT on XNLI and MLQA.[^1] — Verdict: supported.
2. Intermediate-task training always helps.[^2] — Verdict: refuted (the paper reports it can hurt).
3. First Align, then Predict finds alignment in lower layers.[^3] Status: **Supported**

[^1]: Conneau et al., arXiv:1911.02116
[^2]: Pruksachatkun et al., arXiv:2005.00628
[^3]: Muller et al., arXiv:2101.11109
"""


def test_list_items_with_a_labelled_verdict_and_footnotes() -> None:
    report = parse_report(EMAIL_LIST)
    assert report.format == "list"
    assert [r.text for r in report.rows] == [
        "XLM-R outperforms mBERT on XNLI and MLQA.",
        "Intermediate-task training always helps.",
        "First Align, then Predict finds alignment in lower layers.",
    ]
    assert [r.mark for r in report.rows] == ["verified", "refuted", "verified"]
    assert [r.raw_mark for r in report.rows] == ["supported", "refuted", "Supported"]
    assert report.rows[1].extra["Note"] == "the paper reports it can hurt"
    assert [r.cites for r in report.rows] == [["1911.02116"], ["2005.00628"], ["2101.11109"]]


def test_a_list_without_notes_keeps_its_three_columns() -> None:
    report = parse_report("1. XLM-R beats mBERT on XNLI [1]. ✅\n2. PAWS-X has six languages. ❌\n")
    assert list(report.rows[0].extra) == ["Source"]


def test_headers_and_verdicts_in_other_languages() -> None:
    french = (
        "| Affirmation | Source | Verdict |\n|---|---|---|\n"
        "| XLM-R surpasse mBERT sur XNLI. | arXiv:1911.02116 | Confirmé |\n"
        "| L'anglais est toujours la meilleure langue source. | arXiv:2106.16171 | Réfuté |\n"
        "| PAWS-X couvre six langues. | arXiv:1908.11828 | Partiellement vrai |\n"
    )
    report = parse_report(french)
    assert [r.mark for r in report.rows] == ["verified", "refuted", "partial"]
    assert report.rows[1].text == "L'anglais est toujours la meilleure langue source."
    german = (
        "| Behauptung | Quelle | Bewertung | Konfidenz |\n|---|---|---|---|\n"
        "| XNLI umfasst 15 Sprachen. | 1809.05053 | bestätigt | 0,9 |\n"
        "| STILTs schadet GLUE. | 1811.01088 | widerlegt | 85 % |\n"
    )
    report = parse_report(german)
    assert [r.mark for r in report.rows] == ["verified", "refuted"]
    assert [r.confidence for r in report.rows] == [0.9, 0.85]
    assert report.rows[0].extra == {"Quelle": "1809.05053"}


def test_a_semicolon_csv_with_decimal_commas() -> None:
    text = (
        "Claim;Source;Verdict;Confidence\n"
        '"XLM-R beats mBERT; most on low-resource languages.";arXiv:1911.02116;Supported;0,9\n'
        '"Lexical overlap drives mBERT transfer.";arXiv:1912.07840;Refuted;0,75\n'
    )
    report = parse_report(text)
    assert report.format == "csv"
    assert report.rows[0].text == "XLM-R beats mBERT; most on low-resource languages."
    assert [r.confidence for r in report.rows] == [0.9, 0.75]
    assert [r.mark for r in report.rows] == ["verified", "refuted"]


def test_json_lists_of_sources_read_as_cell_text() -> None:
    text = (
        '{"claims": [{"assertion": "Robust training improves zero-shot transfer.", '
        '"citations": ["arXiv:2104.08645", "Huang et al. 2021"], "assessment": "SUPPORTED"}]}'
    )
    report = parse_report(text)
    row = report.rows[0]
    assert row.text == "Robust training improves zero-shot transfer."
    assert row.mark == "verified" and row.cites == ["2104.08645"]
    assert row.extra["citations"] == "arXiv:2104.08645; Huang et al. 2021"
