"""Footnote citations (``claim.[^1]`` with ``[^1]: Conneau et al., arXiv:1911.02116`` below).

Markdown footnotes, and plain-text reports written in their style, cite a row's source by a
marker whose definition sits elsewhere in the file. The definitions a row's markers point to
are added to its table as a "Footnotes" column, so that the row's cites (and author-year or
title citations in them) are those of its own footnotes, not every reference of the report.
"""

from __future__ import annotations

import re
from dataclasses import replace

from litcheck.extract.report_tables.base import Table

#: A footnote marker: ``[^1]``, ``[^pires]``.
MARKER = re.compile(r"\[\^([^\]\s]{1,40})\]")
_DEFINITION = re.compile(r"^\s{0,3}\[\^(?P<label>[^\]\s]{1,40})\]:\s*(?P<text>\S.*)$")
#: The column that holds a row's footnotes.
FOOTNOTES = "Footnotes"


def footnote_definitions(lines: list[str]) -> dict[str, str]:
    """The text of every footnote definition, by label (indented lines continue one).

    Args:
        lines: the report's lines.

    Returns:
        ``{"1": "Conneau et al., ... arXiv:1911.02116"}``; empty when the file has none.
    """
    notes: dict[str, str] = {}
    label: str | None = None
    for line in lines:
        found = _DEFINITION.match(line)
        if found:
            label = found.group("label")
            notes.setdefault(label, found.group("text").strip())
        elif label is not None and line.startswith(("    ", "\t")) and line.strip():
            notes[label] = f"{notes[label]} {line.strip()}"
        else:
            label = None
    return notes


def with_footnotes(table: Table, notes: dict[str, str]) -> Table:
    """``table`` with a Footnotes column holding the definitions each row's markers name.

    Args:
        table: a table as a dialect read it.
        notes: the report's footnote definitions (:func:`footnote_definitions`).

    Returns:
        The same table when no row names a defined footnote; otherwise a copy with one more
        column, each row's definitions joined with "; " in the order the row names them.
    """
    if not notes:
        return table
    cited: list[str] = []
    for _, cells in table.rows:
        labels = dict.fromkeys(m.group(1) for cell in cells for m in MARKER.finditer(cell))
        cited.append("; ".join(notes[label] for label in labels if label in notes))
    if not any(cited):
        return table
    width = max([len(table.header), *(len(cells) for _, cells in table.rows)])
    header = table.header + [""] * (width - len(table.header)) + [FOOTNOTES]
    rows = [
        (line, cells + [""] * (width - len(cells)) + [note])
        for (line, cells), note in zip(table.rows, cited, strict=True)
    ]
    return replace(table, header=header, rows=rows)
