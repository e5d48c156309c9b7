"""The project's one sentence splitter, shared by every stage (library, extract, verify, report).

It is a regular expression, not a model: deterministic, offline, and linear in the length of
its input (a 1 MB passage without a full stop costs one scan), so hostile text cannot stall a
stage. What it does, on the cases that scientific prose is full of:

- **Line by line.** Every line break ends a sentence. Upstream, wrapped lines are already joined
  into paragraphs (``retrieve.plaintext``; ``report.reverify_read`` joins a report paragraph's
  lines before splitting), so a line break left in a passage is a real one: a table row, a
  list item, a heading.
- **Tables.** A line with a `` | `` cell separator is one sentence, whole, however many full
  stops its cells hold (``"mBERT | 84.2 | 86.3"``).
- **Where a sentence ends.** After ``.``, ``!`` or ``?`` (and any closing quote or bracket right
  after it, which stays with its sentence), at whitespace, when the next word starts a
  sentence: a capital letter or a digit (``"It fell. 3 runs failed."``), optionally behind an
  opening quote or bracket, or a lower-case word with a capital or a digit inside, the way
  model and gene names start sentences (``"mBERT"``, ``"mT5"``, ``"miR-31"``, ``"p62"``).
  A plain lower-case word never starts a sentence, so ``"Huang et al. showed"`` stays whole.
- **Abbreviations.** No break after ``e.g.``, ``i.e.``, ``et al.``, ``cf.``, ``vs.``/``v.``,
  ``approx.``, ``resp.``, ``Fig.``/``Figs.``, ``Eq.``/``Eqs.``, ``Tab.``, ``Sec.``/``Secs.``,
  ``Ref.``/``Refs.``, ``No.`` (any case), so ``"as shown in Fig. 2 and Eq. 3"`` is one
  sentence. The price: a sentence that really ends in one of them (``"... by Huang et al. We
  ..."``) is joined to the next.
- **Numbers.** A break needs whitespace after the stop, so decimals (``"2.1 points"``,
  ``"74.4%"``), versions (``"v2.1"``) and ids (``"2104.08645"``) never split.

Measured against SciFact's gold segmentation (5,183 abstracts, 45,952 sentences, sentences
joined by one space): see ``tests/test_text.py`` for the cases it is held to.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans", "split_sentences"]

# A boundary is the whitespace after a stop (plus any closing quote or bracket); the lookahead
# asks that the next word can start a sentence.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"')\]”’]*(\s+)(?=[\"'(\[“‘]?(?:[A-Z0-9]|[a-z]+[A-Z0-9]))",
)
# Abbreviations are checked on the few characters before the stop only (a window, not the
# whole sentence so far), which keeps the splitter linear on text with many of them.
_ABBREV = re.compile(
    r"(?<![\w.])(?:e\.g|i\.e|et al|cf|vs?|approx|resp|figs?|eqs?|tab|secs?|refs?|no)\.\Z",
    re.IGNORECASE,
)
_ABBREV_WINDOW = 12  # longer than the longest abbreviation plus the character before it


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text`` with its surrounding whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, in order, whitespace trimmed.

    Args:
        text: a passage, a paragraph, or a whole section (any length; lines are split
            separately, see the module docstring for the rules).

    Returns:
        ``(start, end)`` pairs such that ``text[start:end]`` is one non-empty sentence.

    Example:
        >>> text = "XNLI has 15 languages (Fig. 2). PAWS-X has 7."
        >>> [text[s:e] for s, e in sentence_spans(text)]
        ['XNLI has 15 languages (Fig. 2).', 'PAWS-X has 7.']
    """
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _line_spans(text):
        if " | " in text[line_start:line_end]:
            spans.append((line_start, line_end))
            continue
        start = line_start
        for match in _BOUNDARY.finditer(text, line_start, line_end):
            stop = match.start()  # just after the full stop, before any closing quote
            if _ABBREV.search(text, max(line_start, stop - _ABBREV_WINDOW), stop):
                continue
            spans.append((start, match.start(1)))
            start = match.end(1)
        spans.append((start, line_end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans` for the rules).

    Args:
        text: a passage.

    Returns:
        Non-empty sentences in order; a table row (a line with `` | ``) is one sentence.

    Example:
        >>> split_sentences("Accuracy rose to 74.4% (e.g. on XNLI). It fell on MLQA.")
        ['Accuracy rose to 74.4% (e.g. on XNLI).', 'It fell on MLQA.']
    """
    return [text[start:end] for start, end in sentence_spans(text)]
