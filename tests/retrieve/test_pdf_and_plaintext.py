"""PDF text extraction (a PDF written by the test) and the plain-text section splitter."""

from __future__ import annotations

import pytest

from litcheck.errors import ParseError
from litcheck.retrieve.pdf_parse import extract_pdf_text, parse_pdf
from litcheck.retrieve.plaintext import parse_sections_from_plaintext

from .support import make_pdf

PAGES = [
    [
        "Improving Zero-Shot Cross-Lingual Transfer (Huang et al.)",
        "Abstract",
        "We study robust training for zero-shot transfer.",
        "1 Introduction",
        "Multilingual encoders transfer well across lan-",
        "guages and cross-",
        "lingual settings.",
    ],
    [
        "2 Method",
        "We use randomized smoothing.",
        "2.1 Data Augmentation",
        "Synonyms replace words.",
        "3 Experiments",
        "3.1 Results",
        "Table 1: Accuracy on PAWS-X",
        "mBERT 94.0 85.7 87.4",
        "RS-DA 94.4 87.6 89.6",
        "RS-DA improves accuracy by 2.1 points.",
        "2",
    ],
    [
        "4 Conclusion",
        "Robust training helps.",
        "References",
        "A. Vaswani, N. Shazeer. Attention is all you need.",
        "J. Devlin. BERT. 2019.",
        "A Hyperparameters",
        "Learning rate 2e-5.",
    ],
]


def test_pdf_pages_are_extracted() -> None:
    pages = extract_pdf_text(make_pdf(PAGES))
    assert len(pages) == 3
    assert "1 Introduction" in pages[0]
    assert "RS-DA 94.4 87.6 89.6" in pages[1]


def test_pdf_is_split_into_numbered_sections() -> None:
    sections = parse_pdf(make_pdf(PAGES))
    assert [(s.number, s.title) for s in sections] == [
        (None, "Front matter"),
        (None, "Abstract"),
        ("1", "Introduction"),
        ("2", "Method"),
        ("2.1", "Data Augmentation"),
        ("3", "Experiments"),
        ("3.1", "Results"),
        ("4", "Conclusion"),
        ("A", "Hyperparameters"),
    ]
    by_number = {s.number: s.text for s in sections}
    # Hyphenation undone, compound hyphen kept.
    assert (
        by_number["1"]
        == "Multilingual encoders transfer well across languages and cross-lingual settings."
    )
    # The table keeps its caption and one row per line; the lone page number "2" is gone.
    assert by_number["3.1"] == (
        "Table 1: Accuracy on PAWS-X\nmBERT 94.0 85.7 87.4\nRS-DA 94.4 87.6 89.6\n\n"
        "RS-DA improves accuracy by 2.1 points."
    )
    # The reference list is dropped.
    assert all("Vaswani" not in s.text for s in sections)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"<html>not a pdf</html>", "not a PDF"),
        (b"%PDF-1.4\n garbage without objects", "could not be read"),
        (make_pdf([[]]), "no extractable text"),
    ],
)
def test_unreadable_pdfs_are_parse_errors(data: bytes, needle: str) -> None:
    with pytest.raises(ParseError, match=needle):
        parse_pdf(data)


def test_plaintext_rejects_table_rows_and_out_of_order_numbers() -> None:
    text = "\n".join(
        [
            "1 Introduction",
            "We train for 3 epochs.",
            "3 Experiments",  # skips 2: not a heading here
            "2 BERT 74.3 81.0",  # a table row
            "2 Related Work",
            "2.2 Skipped Subsection",  # 2.1 is missing
            "2.1 Multilingual Encoders",
            "5 GB",
        ]
    )
    sections = parse_sections_from_plaintext(text)
    assert [(s.number, s.title) for s in sections] == [
        ("1", "Introduction"),
        ("2", "Related Work"),
        ("2.1", "Multilingual Encoders"),
    ]
    assert "3 Experiments" in sections[0].text
    assert "2 BERT 74.3 81.0" in sections[0].text
    assert "2.2 Skipped Subsection" in sections[1].text
    assert sections[2].text == "5 GB"


def test_plaintext_heading_forms() -> None:
    text = "\n".join(
        [
            "A Title Line",
            "1. Introduction",
            "Intro text.",
            "1.1. Background and Notation",
            "Notation text.",
            "1.1.1 Sets",
            "Sets text.",
            "1.2 Scope",
            "Scope text.",
            "2 Results and Discussion",
            "Result text.",
            "Acknowledgements:",
            "Thanks.",
        ]
    )
    sections = parse_sections_from_plaintext(text)
    assert [(s.number, s.title) for s in sections] == [
        (None, "Front matter"),
        ("1", "Introduction"),
        ("1.1", "Background and Notation"),
        ("1.1.1", "Sets"),
        ("1.2", "Scope"),
        ("2", "Results and Discussion"),
        (None, "Acknowledgements"),
    ]
    assert sections[-1].text == "Thanks."


def test_plaintext_roman_numeral_headings() -> None:
    text = "I. INTRODUCTION\nText one.\nII. RELATED WORK\nText two.\nIV. SKIPPED\nText three."
    sections = parse_sections_from_plaintext(text)
    assert [(s.number, s.title) for s in sections] == [
        ("I", "INTRODUCTION"),
        ("II", "RELATED WORK"),
    ]
    assert sections[-1].text == "Text two. IV. SKIPPED Text three."


def test_plaintext_without_headings_is_one_section() -> None:
    (section,) = parse_sections_from_plaintext("Just some text\nwrapped over lines.")
    assert (section.number, section.title) == (None, "Full text")
    assert section.text == "Just some text wrapped over lines."
    assert parse_sections_from_plaintext("  \n \n") == []


def test_plaintext_paragraphs() -> None:
    long_line = "This line is long enough to reach the right margin of the page and"
    text = "\n".join(
        [
            "1 Introduction",
            long_line,
            "ends here.",
            long_line,
            "goes on",
            "",
            "New paragraph after a blank line.",
        ]
    )
    (section,) = parse_sections_from_plaintext(text)
    assert section.text.split("\n\n") == [
        f"{long_line} ends here.",
        f"{long_line} goes on",
        "New paragraph after a blank line.",
    ]
