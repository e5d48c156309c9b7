"""Claims written as a numbered or bulleted list: "1. Claim text [1]. ✅".

Machine-written reports often give their findings as a list, not a table: one claim per item,
its citation markers ("[1]", "[2, 3]", "(arXiv:2104.08645)") inside the sentence and its
verdict at the end (a symbol, or a status word in brackets, bold, after a dash or after a
label: "— Verdict: refuted (the paper reports it can hurt)", the bracketed words a Note). Each
item becomes a row of a table with the columns Claim, Source and Status (and Note), so the row
reader treats it as any other claims table. A fallback dialect: read only when the report has
no table with a claim column, and never from a References, Bibliography or Sources section.
"""

from __future__ import annotations

import re

from litcheck.extract.report_tables.base import REFERENCE_HEADING, Dialect, Source, Table
from litcheck.extract.report_tables.marks import parse_mark

_ITEM = re.compile(r"^\s{0,3}(?:\d{1,3}[.)]|[-*+•])\s+(?P<body>\S.*)$")
_HEADING = re.compile(
    r"^\s{0,3}(?:#{1,6}\s+(?P<md>.+?)\s*#*\s*$|(?P<plain>[A-Z][^.:]{0,60}):?\s*$)"
)
_MARKER = re.compile(
    r"\s*\[(?:\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]|\s*\((?:arXiv:)?\d{4}\.\d{4,5}(?:v\d+)?\)"
)
_VERDICT_SYMBOL = r"(?P<m>[✓✔✅☑×✗✘❌✕⚠❓]\ufe0f?)"
_SYMBOL = re.compile(rf"\s*{_VERDICT_SYMBOL}\s*$")
_LEAD_SYMBOL = re.compile(rf"^{_VERDICT_SYMBOL}\s*")
#: A verdict leading the item, set apart: "**Supported**: ...", "[Refuted] ...", "Verified — ...".
_LEAD_SET_APART = re.compile(
    r"^(?:\*\*(?P<bold>[^*]{3,30})\*\*|\[(?P<bracket>[A-Za-z][^\]]{2,30})\]"
    r"|(?P<word>[A-Za-z][A-Za-z /-]{2,30}?)\s*(?=:|[–—]|\s-\s))\s*[:–—-]?\s*"
)
#: After a symbol, a plain verdict word: "✅ Supported XLM-R ...".
_LEAD_AFTER_SYMBOL = re.compile(r"^(?P<word>[A-Za-z]+(?:\s+[a-z]+)?)\s*[:–—-]?\s*")
_WORD_MARK = re.compile(
    r"\s*(?:[-–—:]\s*|\(|\[|\*\*)(?P<m>[A-Za-z][A-Za-z /-]{2,30}?)(?:\)|\]|\*\*)?\s*\.?\s*$"
)
#: A verdict after a label ending the item: "... — Verdict: refuted (the paper reports it can
#: hurt).", "... Status: **Supported**"; the words in brackets after it are a note.
_LABELLED_MARK = re.compile(
    r"\s*(?:[-–—;,.]\s*)?(?:\*\*|__)?(?:verdict|status|assessment|rating|outcome)(?:\*\*|__)?"
    r"\s*:\s*(?:\*\*|__)?(?P<m>[A-Za-z][A-Za-z /-]{2,30}?)(?:\*\*|__)?"
    r"\s*(?:\((?P<note>[^()]{1,300})\))?\s*\.?\s*$",
    re.IGNORECASE,
)
#: Words an item needs to be a claim rather than a label ("Results", "Table 2").
MIN_WORDS = 3


def _is_mark(words: str) -> bool:
    return parse_mark(words) not in (None, "unknown")


def _leading_mark(body: str) -> tuple[str, str]:
    """A verdict leading the item ("✅ **Supported**: ...", "[Refuted] ...") and the rest.

    A word leads as a verdict only when set apart (bold, bracketed, before a colon or a dash)
    or after a symbol: "Supported by two trials, X ..." is a claim.
    """
    mark = ""
    symbol = _LEAD_SYMBOL.match(body)
    if symbol:
        mark, body = symbol.group("m"), body[symbol.end() :]
    found = _LEAD_SET_APART.match(body)
    words = found and (found.group("bold") or found.group("bracket") or found.group("word"))
    if not (found and words and _is_mark(words)) and mark:
        found = _LEAD_AFTER_SYMBOL.match(body)
        words = found and found.group("word")
        if words and not _is_mark(words):
            # "✅ Partially supported X": try the first word alone.
            first = words.split()[0]
            words = first if _is_mark(first) else None
            found = re.match(rf"^{re.escape(first)}\s*[:–—-]?\s*", body) if words else None
    if found and words and _is_mark(words):
        mark = f"{mark} {words.strip()}".strip()
        body = body[found.end() :]
    return mark, body


def _trailing_mark(body: str) -> tuple[str, str, str]:
    """A verdict ending the item ("... [1]. ✅", "... — Verdict: refuted (why)"), the rest, and
    the note written in brackets after a labelled verdict ("" when none)."""
    labelled = _LABELLED_MARK.search(body)
    if labelled and _is_mark(labelled.group("m")):
        return labelled.group("m").strip(), body[: labelled.start()], labelled.group("note") or ""
    symbol = _SYMBOL.search(body)
    if symbol:
        return symbol.group("m"), body[: symbol.start()], ""
    word = _WORD_MARK.search(body)
    if word and _is_mark(word.group("m")):
        return word.group("m").strip(), body[: word.start()], ""
    return "", body, ""


def _split_item(body: str) -> tuple[str, str, str, str]:
    """(claim, citation markers, verdict as written, note on the verdict) of one list item."""
    note = ""
    mark, body = _leading_mark(body)
    if not mark:
        mark, body, note = _trailing_mark(body)
    markers = [x.strip() for x in _MARKER.findall(body)]
    claim = _MARKER.sub("", body).strip()
    claim = re.sub(r"\s+([.,;:])", r"\1", claim)
    return claim, " ".join(markers), mark, note.strip()


def _heading(line: str) -> str | None:
    h = _HEADING.match(line)
    if h is None or _ITEM.match(line):
        return None
    return (h.group("md") or h.group("plain") or "").strip()


def read(source: Source) -> list[Table]:
    """Every list of claims in the source (see the module's docstring)."""
    tables: list[Table] = []
    current: Table | None = None
    in_references = False
    for number, line in enumerate(source.lines, 1):
        heading = _heading(line)
        if heading is not None:
            in_references = REFERENCE_HEADING.match(line) is not None
            current = None
            continue
        item = _ITEM.match(line)
        if item is None:
            if line.strip():
                current = None  # a paragraph between items ends the list
            continue
        if in_references:
            continue
        claim, markers, mark, note = _split_item(item.group("body"))
        if len(claim.split()) < MIN_WORDS:
            continue
        if current is None:
            current = Table(header=["Claim", "Source", "Status"], header_line=number, format="list")
            tables.append(current)
        current.rows.append((number, [claim, markers, mark, note]))
    for table in tables:
        # A Note column only where some verdict carries one, so other lists read as before.
        if any(row[3] for _, row in table.rows):
            table.header.append("Note")
        else:
            table.rows = [(n, row[:3]) for n, row in table.rows]
    # A list counts as claims when its items cite or judge: a plain bulleted summary is not
    # a claims table.
    return [t for t in tables if any(row[1] or row[2] for _, row in t.rows)]


DIALECT = Dialect("list", read, fallback=True)
