"""Claims written as records of ``Key: value`` lines, one record per claim (YAML included).

Reports that do not print a table often give each claim as a small block::

    Claim 1: XLM-R significantly outperforms multilingual BERT ...
    Source: Conneau et al. (2019), arXiv:1911.02116
    Verdict: Supported

in plain text, in Markdown (``**Claim 1.** ...`` / ``*Verdict:* Supported``, or a heading
``### Claim 1`` over the claim's paragraph and its ``**Verdict:**`` lines), or as a YAML list
of mappings (``- claim: ...`` / ``  verdict: refuted``, block scalars ``>-`` and nested lists
of sources included, read without a YAML library). Each record becomes a row whose columns
are its keys, so the row reader treats it as any other claims table: the claim key (Claim,
Statement, Finding, ...) is the claim, a number written with it (``Claim 2``) is the row's
id, Verdict / Status / Confidence / Source keys are read as in a table.

A record starts at a line whose key names a claim, or at a YAML list item (``- id: C1``), and
runs over the ``Key: value`` lines after it (blank lines between them allowed); a line that is
not ``Key: value`` continues the value above when it is indented or follows it directly, and
otherwise ends the record, as does a heading. A key holding an empty value (``claims:``)
opens no record. A fallback dialect: read only when the report has no table with a claim
column, never from a References section, and only records with a claim and at least one other
key count, so that a stray "Note: ..." line in prose is no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litcheck.extract.report_tables.base import REFERENCE_HEADING, Dialect, Source, Table
from litcheck.extract.report_tables.layout import text_columns

#: A key's prefix: indentation, a YAML / Markdown list dash, a Markdown heading's hashes.
_PREFIX = re.compile(r"^(?P<indent>[ \t]*)(?P<dash>[-*+][ \t]+)?(?P<hashes>#{1,6}[ \t]+)?")
_EMPHASIS = r"(?:\*\*|__|\*|_)"
#: ``Key: value`` after the prefix, the key maybe emphasised and numbered: "**Claim 2.** ...",
#: "*Verdict:* ...", "Claim 1: ...", "verdict: refuted", "### Claim 3".
_FIELD = re.compile(
    rf"^(?P<open>{_EMPHASIS})?(?P<key>[^\W\d_][\w'’/ -]{{0,38}}?)"
    r"(?:[ \t]+#?(?P<num>\d{1,3}[a-z]?))?"
    rf"[ \t]*(?P<close1>{_EMPHASIS})?[ \t]*(?P<sep>[:.])?[ \t]*(?P<close2>{_EMPHASIS})?"
    r"(?:[ \t]+(?P<value>\S.*?)|[ \t]*)$"
)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_BLOCK_SCALAR = re.compile(r"^[>|][-+]?\d?$")
_QUOTED = re.compile(r"^(?P<q>[\"'])(?P<inner>.*)(?P=q)$")
#: Keys longer than this many words are a sentence with a colon, not a key.
MAX_KEY_WORDS = 4


@dataclass
class _Field:
    indent: int
    dash: bool
    heading: bool
    key: str
    number: str | None
    value: str
    claim: bool


@dataclass
class _Record:
    line: int
    indent: int
    values: dict[str, str] = field(default_factory=dict)
    number: str | None = None
    claim_key: str | None = None
    last: str | None = None
    # The indentation of the last key's line: deeper lines continue its value.
    last_indent: int = 0


def _unquote(value: str) -> str:
    """A YAML value as text: quotes and block-scalar indicators dropped, flow lists joined."""
    value = value.strip()
    if _BLOCK_SCALAR.match(value):
        return ""
    quoted = _QUOTED.match(value)
    if quoted:
        inner = quoted.group("inner")
        return inner.replace('\\"', '"') if quoted.group("q") == '"' else inner.replace("''", "'")
    if value.startswith("[") and value.endswith("]"):
        return "; ".join(_unquote(v) for v in value[1:-1].split(",") if v.strip())
    return value


def _field(line: str) -> _Field | None:
    """``line`` as a ``Key: value`` line, or None when it is not one."""
    prefix = _PREFIX.match(line)
    if prefix is None:  # pragma: no cover - the pattern matches every line
        return None
    rest = line[prefix.end() :]
    found = _FIELD.match(rest)
    if found is None:
        return None
    key = found.group("key").strip()
    number, sep, value = found.group("num"), found.group("sep"), found.group("value") or ""
    opened = found.group("open")
    closed = found.group("close1") or found.group("close2")
    if (opened or closed) and opened != closed:
        return None  # "*Verdict: Supported" is emphasised text, not a key
    if len(key.split()) > MAX_KEY_WORDS:
        return None
    heading = bool(prefix.group("hashes"))
    claim = bool(text_columns([key]))
    # "Claims:" (a list's label) and "Claim." in prose name no claim; a numbered key does.
    if claim and number is None and not value and not heading:
        claim = False
    if sep == "." and number is None:
        return None  # "Results. The ..." is a sentence; only "Claim 2." numbers a claim
    if sep is None and not (number and claim and (heading or opened) and not value):
        return None  # without a colon only a heading or bold "Claim 2" alone is a key
    return _Field(
        indent=len(prefix.group("indent").expandtabs(4)),
        dash=bool(prefix.group("dash")),
        heading=heading,
        key=key,
        number=number,
        value=_unquote(value),
        claim=claim,
    )


class _Reader:
    """Collects the records of one source, line by line."""

    def __init__(self) -> None:
        self.records: list[_Record] = []
        self.current: _Record | None = None
        self.title: str | None = None
        self.gap = False

    def close(self) -> None:
        self.current = None

    def start(self, number: int, found: _Field) -> None:
        self.current = _Record(number, found.indent)
        self.records.append(self.current)

    def add(self, found: _Field) -> None:
        record = self.current
        assert record is not None
        key = found.key
        if found.claim and record.claim_key is None:
            record.claim_key = key
            record.number = record.number or found.number
        if key.lower() in (k.lower() for k in record.values):
            key = f"{key} ({len(record.values) + 1})"
        record.values[key] = found.value
        record.last, record.last_indent = key, found.indent

    def extend(self, text: str, item: bool = False) -> None:
        record = self.current
        assert record is not None and record.last is not None
        before = record.values[record.last]
        glue = "; " if item and before else " "
        record.values[record.last] = f"{before}{glue}{text}".strip()

    def feed(self, number: int, line: str) -> None:
        if not line.strip():
            self.gap = True
            return
        gap, self.gap = self.gap, False
        found = _field(line)
        record = self.current
        if found is not None and found.claim:
            if record is None or record.claim_key is not None:
                self.start(number, found)
            self.add(found)
            return
        if _HEADING.match(line):
            self.close()
            return
        indent = len(line) - len(line.lstrip())
        if record is not None and found is not None and found.dash and indent > record.indent:
            # A nested list item ("  - arXiv:1911.02116" under "sources:") is part of a value.
            self.extend(_unquote(line.strip()[1:]), item=True)
            return
        if found is not None and found.dash and (record is None or indent == record.indent):
            # A YAML list item starts a record even before its claim key ("- id: C1").
            self.start(number, found)
            self.add(found)
            return
        if found is not None and record is not None:
            self.add(found)
            return
        if found is not None:
            if found.key.lower() == "title" and self.title is None and not self.records:
                self.title = found.value
            return
        if record is not None and record.last is not None:
            empty = not record.values[record.last]
            stripped = line.strip()
            if indent > record.last_indent and re.match(r"[-*+]\s", stripped):
                # An item of a list under the key ("sources:" / "  - arXiv:1911.03310").
                self.extend(_unquote(stripped[2:]), item=True)
                return
            if indent > record.last_indent or not gap or empty:
                self.extend(stripped)
                return
        self.close()


def read(source: Source) -> list[Table]:
    """The claims given as ``Key: value`` records in the source (see the module's docstring)."""
    reader = _Reader()
    in_references = False
    for number, line in enumerate(source.lines, 1):
        # An indented "sources:" is a key of a YAML record, not the report's reference list.
        if REFERENCE_HEADING.match(line) and not line[:1].isspace():
            in_references = True
            reader.close()
            continue
        if in_references:
            if _HEADING.match(line):
                in_references = False
            else:
                continue
        reader.feed(number, line)
    records = [r for r in reader.records if r.claim_key is not None and r.values[r.claim_key]]
    if not any(len(r.values) > 1 for r in records):
        return []
    # Records name their claim differently ("Claim", "Statement"): one column for all.
    claim_header = next(r.claim_key for r in records if r.claim_key)
    header: list[str] = ["#"] if any(r.number for r in records) else []
    header.append(claim_header)
    by_lower: dict[str, int] = {claim_header.lower(): len(header) - 1}
    for record in records:
        for key in record.values:
            if key != record.claim_key and key.lower() not in by_lower:
                by_lower[key.lower()] = len(header)
                header.append(key)
    rows: list[tuple[int, list[str]]] = []
    for record in records:
        cells = [""] * len(header)
        if header[0] == "#":
            cells[0] = record.number or ""
        for key, value in record.values.items():
            column = by_lower[claim_header.lower() if key == record.claim_key else key.lower()]
            cells[column] = value
        rows.append((record.line, cells))
    return [Table(header, records[0].line, rows, format="records", title=reader.title)]


DIALECT = Dialect("records", read, fallback=True)
