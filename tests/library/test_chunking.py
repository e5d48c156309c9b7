"""Long paragraphs and long tables are cut into passages where the one sentence splitter says."""

from __future__ import annotations

from litcheck.library.chunking import MAX_PASSAGE_CHARS, TABLE_MAX_CHARS, make_passages
from litcheck.models import Paper, Section
from litcheck.text import split_sentences


def _paper(text: str) -> Paper:
    return Paper(
        arxiv_id="2104.08645",
        version=2,
        title="Robust training",
        sections=[Section(number="4", title="Results", text=text)],
    )


def test_long_paragraph_windows_end_at_sentence_ends_not_after_abbreviations() -> None:
    # Every sentence holds "et al. (2021)" and "Fig. 3": a splitter blind to abbreviations
    # would end a window inside a sentence there.
    sentences = [
        f"Run {i} follows Huang et al. (2021) and, as Fig. 3 shows, gains 2.{i} points on XNLI."
        for i in range(40)
    ]
    text = " ".join(sentences)
    assert len(text) > 2 * MAX_PASSAGE_CHARS
    passages = make_passages(_paper(text))
    assert len(passages) >= 3
    rebuilt = [s for p in passages for s in split_sentences(p.text)]
    assert rebuilt == sentences
    for p in passages:
        assert p.text.startswith("Run ") and p.text.endswith("points on XNLI.")
        assert len(p.text) <= MAX_PASSAGE_CHARS
        assert text[p.start : p.end] == p.text


def test_oversized_table_is_cut_between_rows() -> None:
    rows = ["Model | en | de | fr"] + [
        f"model-{i:03d} variant with a long name | 8{i % 10}.4 | 7{i % 10}.1 | 6{i % 10}.9"
        for i in range(120)
    ]
    text = "\n".join(rows)
    assert len(text) > TABLE_MAX_CHARS
    passages = make_passages(_paper(text))
    assert len(passages) > 1
    # Each passage is whole rows: no row is split across two passages.
    assert [line for p in passages for line in p.text.split("\n")] == rows
