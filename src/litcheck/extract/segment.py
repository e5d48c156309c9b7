"""Sentence segmentation with character spans, safe on hostile input.

pysbd (rule-based, no model download) does the segmentation. Its cost grows faster than the
length of its input, so text is first cut into blocks at line breaks and, for a block with no
break (a 1 MB blob without a full stop), at whitespace every few thousand characters: the
segmenter then never sees more than one block at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd

__all__ = ["MAX_BLOCK_CHARS", "looks_binary", "sentence_spans"]

MAX_BLOCK_CHARS = 3000
_BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def looks_binary(text: str) -> bool:
    """True when ``text`` is mostly control characters or replacement characters (garbage)."""
    if not text:
        return False
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    return bad / len(sample) > 0.05


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in _BLOCK_BREAK.finditer(text):
        yield from _cap(text, pos, match.start())
        pos = match.end()
    yield from _cap(text, pos, len(text))


def _cap(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_BLOCK_CHARS:
        cut = text.rfind(" ", start + MAX_BLOCK_CHARS // 2, start + MAX_BLOCK_CHARS)
        cut = cut if cut > start else start + MAX_BLOCK_CHARS
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, in order, whitespace trimmed.

    Args:
        text: a passage (any length; blocks longer than MAX_BLOCK_CHARS are cut at whitespace).

    Returns:
        ``(start, end)`` pairs such that ``text[start:end]`` is one sentence.

    Example:
        >>> sentence_spans("XNLI has 15 languages. PAWS-X has 7.")
        [(0, 22), (23, 36)]
    """
    spans: list[tuple[int, int]] = []
    segmenter = _segmenter()
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        if not block.strip():
            continue
        pos = 0
        for sentence in segmenter.segment(block):
            piece = sentence.strip()
            if not piece:
                continue
            found = block.find(piece, pos)
            if found < 0:  # pysbd changed the text (it should not with clean=False): skip it
                continue
            spans.append((b_start + found, b_start + found + len(piece)))
            pos = found + len(piece)
    return spans
