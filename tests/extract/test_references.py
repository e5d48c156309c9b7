"""Reference-list entries of a report: arXiv ids, DOIs, titles."""

from __future__ import annotations

from litcheck.extract.references import match_title, reference_entries

REPORT = """\
# A report

| Claim | Verified |
|---|---|
| Robust training helps. | ✓ |

## References

1. Huang, K.-H., Ahmad, W. U., Peng, N., Chang, K.-W. (2021). Improving Zero-Shot
   Cross-Lingual Transfer Learning via Robust Training. EMNLP. https://doi.org/10.18653/v1/2021.emnlp-main.126.
2. Conneau et al. Unsupervised Cross-lingual Representation Learning at Scale. arXiv:1911.02116
[3] Devlin et al. (2019). BERT. NAACL.
- Someone (2024). A preprint. doi:10.48550/arXiv.2401.01234

## Appendix

- Not a reference.
"""


def test_entries_under_the_references_heading() -> None:
    entries = reference_entries(REPORT)
    assert [e.line for e in entries] == [9, 11, 12, 13]
    first = entries[0]
    assert first.text.startswith("Huang, K.-H.") and "via Robust Training. EMNLP." in first.text
    assert first.doi == "10.18653/v1/2021.emnlp-main.126" and first.arxiv_ids == []
    assert entries[1].arxiv_ids == ["1911.02116"] and entries[1].doi is None
    assert entries[2].text == "Devlin et al. (2019). BERT. NAACL." and entries[2].doi is None
    assert entries[3].doi == "10.48550/arxiv.2401.01234"


def test_bibliography_without_markers_and_no_section() -> None:
    text = "Text.\n\nBibliography:\nSmith J. A study of things. 2020.\n\nJones K. Other. 2021.\n"
    assert [e.text for e in reference_entries(text)] == [
        "Smith J. A study of things. 2020.",
        "Jones K. Other. 2021.",
    ]
    assert reference_entries("| Claim | Verified |\n|---|---|\n| x | ✓ |\n") == []


def test_match_title_takes_the_longest_whole_title() -> None:
    titles = [
        ("2104.08645", "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training"),
        ("x1", "Robust Training"),  # too short to trust
        ("x2", "Cross-Lingual Transfer Learning"),
    ]
    entry = reference_entries(REPORT)[0].text
    assert match_title(entry, titles) == "2104.08645"
    assert match_title("Devlin et al. BERT.", titles) is None
