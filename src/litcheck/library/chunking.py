"""Cut sections into passages: paragraphs, or windows of sentences for long paragraphs.

Passages keep character offsets into their section's text so that evidence can be quoted and
located exactly. Table blocks (lines with ``|`` cell separators) stay whole up to a limit,
because a results table split in half loses the row/column labels its figures need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcheck.models import Paper, Passage
from litcheck.text import sentence_spans

MAX_PASSAGE_CHARS = 1200
TABLE_MAX_CHARS = 4000
_PARA_SPLIT = re.compile(r"\n\s*\n")


def _spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in _PARA_SPLIT.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _is_table(block: str) -> bool:
    lines = [ln for ln in block.splitlines() if ln.strip()]
    return len(lines) >= 2 and sum(" | " in ln for ln in lines) >= max(2, len(lines) // 2)


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split [start, end) into windows of whole sentences no longer than MAX_PASSAGE_CHARS."""
    # A window may end where a sentence starts (the project's one splitter decides where).
    cuts = [start, *(start + s for s, _ in sentence_spans(text[start:end])[1:]), end]
    win_start = start
    prev = start
    for cut in cuts[1:]:
        if cut - win_start > MAX_PASSAGE_CHARS and prev > win_start:
            yield win_start, prev
            win_start = prev
        prev = cut
    # A run of text without sentence ends (a 1 MB blob) still gets cut, at whitespace if any.
    while end - win_start > MAX_PASSAGE_CHARS * 2:
        hard = text.rfind(" ", win_start, win_start + MAX_PASSAGE_CHARS)
        hard = hard if hard > win_start else win_start + MAX_PASSAGE_CHARS
        yield win_start, hard
        win_start = hard
    if end > win_start:
        yield win_start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def make_passages(paper: Paper) -> list[Passage]:
    """Cut a paper's abstract and sections into passages.

    Args:
        paper: a paper, with or without full-text sections.

    Returns:
        Passages in reading order; the abstract is section 0 when the paper has one and no
        section is titled "Abstract".
    """
    sections = [(s.title, s.text) for s in paper.sections]
    if paper.abstract and not any(t.strip().lower() == "abstract" for t, _ in sections):
        sections.insert(0, ("Abstract", paper.abstract))
    passages: list[Passage] = []
    for s_index, (title, text) in enumerate(sections):
        p_index = 0
        for para_start, para_end in _spans(text):
            para_start, para_end = _trim(text, para_start, para_end)
            if para_end <= para_start:
                continue
            block = text[para_start:para_end]
            is_table = _is_table(block)
            if is_table and len(block) <= TABLE_MAX_CHARS:
                pieces: Iterator[tuple[int, int]] = iter([(para_start, para_end)])
            else:
                pieces = _windows(text, para_start, para_end)
            for start, end in pieces:
                start, end = _trim(text, start, end)
                if end <= start:
                    continue
                kind = "table" if is_table else ("abstract" if title == "Abstract" else "paragraph")
                if not is_table and text[start:end].lower().startswith(("table ", "figure ")):
                    kind = "caption"
                passages.append(
                    Passage(
                        id=f"{paper.arxiv_id}:{s_index}:{p_index}",
                        paper_id=paper.arxiv_id,
                        section_index=s_index,
                        section_title=title,
                        index=p_index,
                        start=start,
                        end=end,
                        text=text[start:end],
                        kind=kind,
                    )
                )
                p_index += 1
    return passages
