"""The plain text of a table cell (Markdown, HTML tags and entities removed)."""

from __future__ import annotations

import html
import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ANGLE_URL = re.compile(r"<((?:https?|ftp)://[^>]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`+([^`]*)`+")
_NUMBERING = re.compile(r"^\s*(?:#?\d{1,3})\s*(?:·|\.|\)|:|–|—|-)\s+(?=\S)")
SPACES = re.compile(r"\s+")


def clean_cell(cell: str) -> str:
    """Plain text of a table cell: no Markdown emphasis, links, code ticks, tags or entities."""
    text = cell.replace("\\|", "|")
    text = _LINK.sub(r"\1", text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _CODE.sub(r"\1", text)
    # Emphasis can nest (***x***): strip until stable, a few rounds at most.
    for _ in range(3):
        new = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
        if new == text:
            break
        text = new
    text = html.unescape(text)
    return SPACES.sub(" ", text).strip()


_FOOTNOTE_MARKER = re.compile(r"\[\^[^\]\s]{1,40}\]")


def claim_text(cell: str) -> str:
    # A footnote marker ("[^1]") cites; its definition is read into the row's Footnotes.
    return _NUMBERING.sub("", clean_cell(_FOOTNOTE_MARKER.sub("", cell))).strip()
