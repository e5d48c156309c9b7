"""Cut plain text (as extracted from a PDF) into sections by recognising headings.

PDF text has no markup, so headings are recognised by form and order:

- numbered headings on a line of their own: ``4 Experiments``, ``4.2 Results``,
  ``4.2. Results``; a number is accepted only where it can come next (``3`` after ``2``,
  ``3.1`` inside ``3``), which keeps table rows and list items (``2 BERT 74.3``) out;
- the usual unnumbered headings: ``Abstract``, ``References``, ``Acknowledgements``, ...;
- appendix headings (``A Hyperparameters``, ``A.1 Data``) once the references or an
  ``Appendix`` heading have been seen;
- IEEE-style roman numerals (``IV. EXPERIMENTS``).

The reference list is dropped, as the HTML parser drops the bibliography. Lines are joined
into paragraphs (blank line, or a short line ending a sentence, ends a paragraph), end-of-line
hyphenation is undone, and lone page numbers are removed. Text with no recognisable heading is
one ``Full text`` section.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from litcheck.models import Section

_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
# No dot after a bare letter: "A. Vaswani, N. Shazeer ..." is a reference, not appendix A.
_APPENDIX = re.compile(r"^(?P<number>[A-H](?:\.\d{1,2}){0,3})\s+(?P<title>[^,]+)$")
_ROMAN = re.compile(r"^(?P<number>[IVX]{1,5})\.\s+(?P<title>\S.*)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:\d{1,4}|[ivx]{1,5}|page \d+( of \d+)?)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_NUMERIC_TOKEN = re.compile(r"^[+\-±]?\d+(?:[.,]\d+)?%?$")
_CAPTION = re.compile(r"^(?:Table|Tab\.|Figure|Fig\.)\s*\d+[.:]")
_HYPHENATED = re.compile(r"(?P<word>[A-Za-z]+)-$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}

#: Unnumbered headings recognised on a line of their own (compared lower-case, no colon).
UNNUMBERED_HEADINGS: frozenset[str] = frozenset(
    {
        "abstract", "introduction", "related work", "background", "method", "methods",
        "experiments", "results", "discussion", "conclusion", "conclusions", "limitations",
        "ethics statement", "ethical considerations", "broader impact", "acknowledgements",
        "acknowledgments", "acknowledgement", "acknowledgment", "references", "bibliography",
        "appendix", "appendices", "supplementary material",
    }
)  # fmt: skip
_REFERENCE_HEADINGS = frozenset({"references", "bibliography"})
_APPENDIX_HEADINGS = frozenset({"appendix", "appendices", "supplementary material"})
# Prefixes whose end-of-line hyphen is part of the word ("cross-lingual"), not hyphenation.
_COMPOUND_PREFIXES = frozenset(
    {
        "cross", "multi", "zero", "few", "one", "two", "self", "non", "semi", "fine", "pre",
        "state", "high", "low", "large", "small", "well", "task", "language", "sentence",
        "word", "end", "data", "model", "in", "out", "co", "re", "sub", "inter", "intra",
    }
)  # fmt: skip


def _roman(text: str) -> int:
    total = 0
    for i, char in enumerate(text):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _plausible_title(title: str) -> bool:
    title = title.strip()
    if not title or len(title) > 80 or not title[0].isupper():
        return False
    if title[-1] in ".,;" or title.endswith(" and"):
        return False
    words = title.split()
    if len(words) > 12:
        return False
    if any(_NUMERIC_TOKEN.match(word) for word in words):
        return False  # table rows: "2 BERT 74.3 81.0"
    letters = sum(char.isalpha() for char in title)
    return letters >= 0.6 * len(title.replace(" ", ""))


@dataclass
class _Heading:
    number: str | None
    title: str
    kind: str  # "numbered", "appendix", "roman", "named"


@dataclass
class _State:
    """Where in the paper's outline the splitter is, so only the next numbers are accepted."""

    last: tuple[int, ...] = ()
    appendix_open: bool = False
    appendix_letter: str | None = None
    appendix_last: tuple[int, ...] = ()
    roman: int = 0
    seen_named: set[str] = field(default_factory=set)

    def accept(self, line: str) -> _Heading | None:
        stripped = line.strip()
        named = stripped.rstrip(":.").strip().lower()
        if named in UNNUMBERED_HEADINGS and named not in self.seen_named:
            self.seen_named.add(named)
            if named in _REFERENCE_HEADINGS or named in _APPENDIX_HEADINGS:
                self.appendix_open = True
            return _Heading(None, stripped.rstrip(":.").strip(), "named")
        match = _NUMBERED.match(stripped)
        if match and _plausible_title(match.group("title")):
            parts = tuple(int(p) for p in match.group("number").split("."))
            if self._next_number(parts):
                self.last = parts
                return _Heading(match.group("number"), match.group("title").strip(), "numbered")
        match = _APPENDIX.match(stripped)
        if self.appendix_open and match and _plausible_title(match.group("title")):
            letter, *rest = match.group("number").split(".")
            sub = tuple(int(p) for p in rest)
            if self._next_appendix(letter, sub):
                self.appendix_letter, self.appendix_last = letter, sub
                return _Heading(match.group("number"), match.group("title").strip(), "appendix")
        match = _ROMAN.match(stripped)
        if match and _plausible_title(match.group("title")):
            value = _roman(match.group("number"))
            if value == self.roman + 1:
                self.roman = value
                return _Heading(match.group("number"), match.group("title").strip(), "roman")
        return None

    def _next_number(self, parts: tuple[int, ...]) -> bool:
        if not self.last:
            return parts in {(1,), (0,)} or (len(parts) == 1 and parts[0] == 2)
        if len(parts) == 1:
            return parts[0] == self.last[0] + 1
        # A subsection lives in the current top-level section and moves forward by one step.
        if parts[0] != self.last[0]:
            return False
        depth = len(parts)
        previous = self.last[:depth]
        if len(previous) < depth:
            # Going one level deeper starts at 1: 3 -> 3.1, 3.2 -> 3.2.1.
            return parts[:-1] == self.last and parts[-1] == 1
        return parts[:-1] == previous[:-1] and parts[-1] == previous[-1] + 1

    def _next_appendix(self, letter: str, sub: tuple[int, ...]) -> bool:
        if not sub:
            expected = "A" if self.appendix_letter is None else chr(ord(self.appendix_letter) + 1)
            if letter == expected:
                self.appendix_last = ()
                return True
            return False
        if letter != self.appendix_letter:
            return False
        if len(self.appendix_last) < len(sub):
            return sub[:-1] == self.appendix_last and sub[-1] == 1
        previous = self.appendix_last[: len(sub)]
        return sub[:-1] == previous[:-1] and sub[-1] == previous[-1] + 1


def _is_table_row(line: str) -> bool:
    tokens = line.split()
    numeric = sum(1 for token in tokens if _NUMERIC_TOKEN.match(token.strip("()[]*†‡")))
    return numeric >= 2 and numeric >= 0.4 * len(tokens)


def _append(current: str, line: str) -> str:
    hyphen = _HYPHENATED.search(current)
    if hyphen and line[0].islower():
        if hyphen.group("word").lower() in _COMPOUND_PREFIXES:
            return current + line  # "cross-" + "lingual": keep the hyphen
        return current[:-1] + line  # "trans-" + "fer": undo hyphenation
    return f"{current} {line}"


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines into paragraphs separated by blank lines.

    Lines that look like table rows (mostly numbers) stay one per line, after their caption
    when one precedes them, so a result table's figures stay on their row.
    """
    lengths = [len(line) for line in lines if len(line) > 20]
    typical = statistics.median(lengths) if lengths else 0.0
    paragraphs: list[str] = []
    current = ""
    in_table = False

    def flush() -> None:
        nonlocal current, in_table
        if current:
            paragraphs.append(current)
        current, in_table = "", False

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
            continue
        if _is_table_row(line):
            if current and not in_table and not _CAPTION.match(current):
                flush()
            current = f"{current}\n{line}" if current else line
            in_table = True
            continue
        if in_table or _CAPTION.match(line):
            flush()
        current = _append(current, line) if current else line
        # A short line that ends a sentence ends its paragraph (the last line of a paragraph
        # rarely reaches the right margin).
        if typical and _SENTENCE_END.search(line) and len(line) < 0.75 * typical:
            flush()
    flush()
    return "\n\n".join(paragraphs)


def parse_sections_from_plaintext(text: str) -> list[Section]:
    """Split plain text into sections by heading heuristics.

    Args:
        text: the paper's text, lines as laid out (e.g. pypdf's ``extract_text`` per page,
            joined with newlines).

    Returns:
        Sections in order: text before the first heading as ``Front matter``, then one per
        heading (number '4.2' and title 'Results', or number None for 'Abstract'); the
        reference list is left out. Text without headings gives one ``Full text`` section;
        empty text gives ``[]``.

    Example:
        >>> [(s.number, s.title) for s in parse_sections_from_plaintext(
        ...     "1 Introduction\\nWe study X.\\n2 Results\\nIt works.")]
        [('1', 'Introduction'), ('2', 'Results')]
    """
    lines = [line for line in text.splitlines() if not _PAGE_NUMBER.match(line)]
    state = _State()
    blocks: list[tuple[_Heading | None, list[str]]] = [(None, [])]
    for line in lines:
        heading = state.accept(line) if line.strip() else None
        if heading is not None:
            blocks.append((heading, []))
        else:
            blocks[-1][1].append(line)

    sections: list[Section] = []
    if len(blocks) == 1:
        body = _join_lines(blocks[0][1])
        return [Section(number=None, title="Full text", text=body)] if body else []
    for heading, body_lines in blocks:
        if heading is not None and heading.title.lower() in _REFERENCE_HEADINGS:
            continue  # the reference list: citations, not claims
        body = _join_lines(body_lines)
        if heading is None:
            if body:
                sections.append(Section(number=None, title="Front matter", text=body))
            continue
        sections.append(Section(number=heading.number, title=heading.title, text=body))
    return sections
