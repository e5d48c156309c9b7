"""JSON: an array of objects, an object holding one, a single claim object, or JSON Lines."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.layout import text_columns

_JSON_LIST_KEYS = (
    "claims",
    "rows",
    "results",
    "findings",
    "statements",
    "items",
    "data",
    "records",
    "entries",
)
_JSON_TEXT_KEYS = ("text", "claim_text", "sentence", "content", "description", "summary")
_JSON_WS = " \t\r\n"


def _json_skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _JSON_WS:
        i += 1
    return i


def _json_items(text: str, i: int) -> list[tuple[int, Any]]:
    """Elements of the JSON array opening at ``text[i]``, each with its start offset."""
    decoder = json.JSONDecoder()
    items: list[tuple[int, Any]] = []
    i = _json_skip(text, i + 1)
    while i < len(text) and text[i] != "]":
        value, end = decoder.raw_decode(text, i)
        items.append((i, value))
        i = _json_skip(text, end)
        if text[i : i + 1] == ",":
            i = _json_skip(text, i + 1)
    return items


def _json_members(text: str, i: int) -> dict[str, int]:
    """Start offsets of the values of the JSON object opening at ``text[i]``, by key."""
    decoder = json.JSONDecoder()
    offsets: dict[str, int] = {}
    i = _json_skip(text, i + 1)
    while i < len(text) and text[i] != "}":
        key, end = decoder.raw_decode(text, i)
        i = _json_skip(text, _json_skip(text, end) + 1)  # past the colon
        _, end = decoder.raw_decode(text, i)
        offsets.setdefault(str(key), i)
        i = _json_skip(text, end)
        if text[i : i + 1] == ",":
            i = _json_skip(text, i + 1)
    return offsets


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        # A list of sources ("citations": ["arXiv:2104.08645", "Wu et al. 2019"]) as the
        # text a table cell would hold.
        return "; ".join(value)
    return json.dumps(value, ensure_ascii=False)


def _json_records(text: str) -> tuple[list[tuple[int, dict[str, Any]]], str] | None:
    """The objects that form the table, with their offsets, and a title; None if not JSON."""
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        return None
    start = len(text) - len(stripped)
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
        records: list[tuple[int, dict[str, Any]]] = []
        offset = 0
        # JSON Lines are "\n"-separated; splitlines() would also cut at U+2028 inside a string.
        for line in text.split("\n"):
            if line.strip():
                value = json.loads(line)
                if not isinstance(value, dict):
                    return None
                records.append((offset + len(line) - len(line.lstrip()), value))
            offset += len(line) + 1
        return records, ""
    if isinstance(whole, list):
        items = _json_items(text, start)
        return [(o, v) for o, v in items if isinstance(v, dict)], ""
    if not isinstance(whole, dict):
        return None
    title = whole.get("title") if isinstance(whole.get("title"), str) else ""
    lists = [
        k for k, v in whole.items() if isinstance(v, list) and any(isinstance(x, dict) for x in v)
    ]
    key = next((k for k in _JSON_LIST_KEYS if k in lists), lists[0] if lists else None)
    if key is None:
        # A single object is one row (as a JSON Lines file of one line), if it states a claim.
        named = [k for k, v in whole.items() if isinstance(v, str) and text_columns([k])]
        return ([(start, whole)] if named else []), str(title)
    items = _json_items(text, _json_members(text, start)[key])
    return [(o, v) for o, v in items if isinstance(v, dict)], str(title)


def _json_tables(text: str) -> list[Table]:
    try:
        found = _json_records(text)
    except (ValueError, RecursionError, KeyError, IndexError):
        # Invalid JSON that only looks like JSON: the other readers may still find a table.
        return []
    if not found or not found[0]:
        return []
    records, title = found
    header: list[str] = list(dict.fromkeys(k for _, r in records for k in r))
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    rows = [
        (bisect.bisect_right(starts, offset), [_json_cell(r.get(k)) for k in header])
        for offset, r in records
    ]
    hint = None
    if not text_columns(header):
        hint = next((i for i, k in enumerate(header) if k.strip().lower() in _JSON_TEXT_KEYS), None)
    return [Table(header, rows[0][0], rows, format="json", title=title, text_hint=hint)]


def read(source: Source) -> list[Table]:
    """Every json table of the source (see the module's docstring)."""
    return _json_tables(source.text)


DIALECT = Dialect("json", read)
