"""Parse LaTeXML HTML (arXiv's HTML rendering and ar5iv) into sections of plain text.

Both renderings come from LaTeXML, whose markup is regular:

- ``<section class="ltx_section">`` (and ``ltx_subsection``, ``ltx_subsubsection``,
  ``ltx_appendix``) with a heading ``<h2 class="ltx_title">`` whose ``<span class="ltx_tag">``
  holds the number;
- ``<div class="ltx_para">`` paragraphs of ``<p class="ltx_p">``;
- ``<figure class="ltx_table">`` with a ``<figcaption>`` and ``ltx_tabular`` tables (as
  ``table/tr/td`` or as ``span.ltx_tr/span.ltx_td`` inside inline blocks);
- ``<math alttext="...">`` with the TeX source also in an ``<annotation>``.

Tables are rendered as text, one row per line and cells separated by `` | ``, after their
caption: result tables are where the figures that users check live, so they must survive as
searchable text. Math becomes its TeX alttext. Footnotes, the bibliography and page chrome are
dropped: they would interleave unrelated text into sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

from litcheck.errors import ParseError
from litcheck.models import Section

#: LaTeXML classes of elements that start a new :class:`Section`.
SECTION_CLASSES: frozenset[str] = frozenset(
    {"ltx_chapter", "ltx_section", "ltx_subsection", "ltx_subsubsection", "ltx_appendix"}
)
#: Classes of elements whose text is not part of the paper's running text.
SKIP_CLASSES: frozenset[str] = frozenset(
    {
        "ltx_bibliography",
        "ltx_note",  # footnotes: LaTeXML inlines them mid-sentence
        "ltx_authors",
        "ltx_dates",
        "ltx_page_header",
        "ltx_page_footer",
        "ltx_page_navbar",
        "ltx_TOC",
        "ltx_role_footnote",
        "ltx_ERROR",
    }
)
SKIP_TAGS: frozenset[str] = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "button", "svg", "img", "head"}
)
#: Tags after which running text breaks into a new paragraph.
BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "figure", "figcaption",
        "h1", "h2", "h3", "h4", "h5", "h6", "li", "ol", "p", "pre", "section", "table", "ul",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u200b]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([.,;:!?)\]])(?=\s|$)")
_SPACE_AFTER_OPEN = re.compile(r"([(\[]) +")
_APPENDIX_TAG = re.compile(r"^appendix\s+", re.IGNORECASE)


@dataclass
class LatexmlDocument:
    """What a LaTeXML page holds.

    Attributes:
        title: the paper's title, when the page has one.
        abstract: the abstract's text ('' when absent).
        sections: sections in document order (subsections are sections of their own).
    """

    title: str | None = None
    abstract: str = ""
    sections: list[Section] = field(default_factory=list)


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def _has_class(tag: Tag, names: frozenset[str]) -> bool:
    return any(name in names for name in _classes(tag))


def _is_section(tag: Tag) -> bool:
    return _has_class(tag, SECTION_CLASSES)


def _is_tabular(tag: Tag) -> bool:
    return "ltx_tabular" in _classes(tag)


def _is_table_figure(tag: Tag) -> bool:
    # A float holding a tabular is a results table whatever LaTeX environment produced it
    # (table, figure with a tabular, wraptable ...).
    if tag.name != "figure":
        return False
    classes = _classes(tag)
    if "ltx_table" in classes:
        return True
    return tag.find(class_="ltx_tabular") is not None


def _should_skip(tag: Tag) -> bool:
    if tag.name in SKIP_TAGS:
        return True
    return _has_class(tag, SKIP_CLASSES)


def _math_text(tag: Tag) -> str:
    alttext = tag.get("alttext")
    if isinstance(alttext, str) and alttext.strip():
        return alttext.strip()
    annotation = tag.find("annotation", attrs={"encoding": "application/x-tex"})
    if isinstance(annotation, Tag):
        return annotation.get_text().strip()
    return tag.get_text(" ", strip=True)


def _normalise(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = " ".join(line for line in lines if line)
    # Markup boundaries (math, citations) leave spaces before punctuation: "10^{-5} ." -> ".".
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACE_AFTER_OPEN.sub(r"\1", joined))


class _Renderer:
    """Collects paragraphs of running text from a LaTeXML subtree."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = _normalise("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.paragraphs.append(text)

    def walk(self, node: Tag | NavigableString, *, stop_at_sections: bool = True) -> None:
        if isinstance(node, (Comment, Doctype, ProcessingInstruction)):
            return
        if isinstance(node, NavigableString):
            self._buffer.append(str(node))
            return
        if _should_skip(node):
            return
        if stop_at_sections and _is_section(node):
            return
        if node.name == "math":
            self._buffer.append(f" {_math_text(node)} ")
            return
        if _is_table_figure(node) or (_is_tabular(node) and node.find_parent("figure") is None):
            self.flush()
            rendered = render_table(node)
            if rendered:
                self.paragraphs.append(rendered)
            return
        block = node.name in BLOCK_TAGS
        if block:
            self.flush()
        if node.name == "br":
            self._buffer.append(" ")
        for child in node.children:
            if isinstance(child, (Tag, NavigableString)):
                self.walk(child, stop_at_sections=stop_at_sections)
        if block:
            self.flush()
        elif _is_cell(node):
            self._buffer.append(" ")


def inline_text(node: Tag) -> str:
    """The running text of an element on one line, math as alttext, footnotes dropped.

    Args:
        node: any element (a heading, a caption, a table cell).

    Returns:
        Its text with whitespace collapsed.
    """
    renderer = _Renderer()
    for child in node.children:
        if isinstance(child, (Tag, NavigableString)):
            renderer.walk(child, stop_at_sections=False)
    renderer.flush()
    return " ".join(renderer.paragraphs)


def _nearest(tag: Tag, predicate: Callable[[Tag], bool]) -> Tag | None:
    parent = tag.parent
    while parent is not None:
        if predicate(parent):
            return parent
        parent = parent.parent
    return None


def _is_row(tag: Tag) -> bool:
    return tag.name == "tr" or "ltx_tr" in _classes(tag)


def _is_cell(tag: Tag) -> bool:
    return tag.name in {"td", "th"} or "ltx_td" in _classes(tag)


def _rows(tabular: Tag) -> list[str]:
    rows: list[str] = []
    for row in tabular.find_all(_is_row):
        if not isinstance(row, Tag) or _nearest(row, _is_tabular) is not tabular:
            continue  # a row of a nested tabular: rendered with its own table
        cells = [
            inline_text(cell)
            for cell in row.find_all(_is_cell)
            if isinstance(cell, Tag) and _nearest(cell, _is_row) is row
        ]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def render_table(node: Tag) -> str:
    """Render a table float (or a bare tabular) as text: caption, then one line per row.

    Args:
        node: a ``figure.ltx_table`` (or any float holding a tabular) or an ``ltx_tabular``.

    Returns:
        ``caption\\nrow1 cell | cell\\nrow2 ...``; '' for an empty table.
    """
    lines: list[str] = []
    caption = node.find("figcaption") if node.name == "figure" else None
    if isinstance(caption, Tag):
        text = inline_text(caption)
        if text:
            lines.append(text)
    if _is_tabular(node):
        tabulars = [node]
    else:
        tabulars = [
            t
            for t in node.find_all(class_="ltx_tabular")
            if isinstance(t, Tag) and _nearest(t, _is_tabular) is None
        ]
    for tabular in tabulars:
        lines.extend(_rows(tabular))
    if not tabulars and node.name == "figure" and not lines:
        return ""
    return "\n".join(lines)


def _heading(section: Tag) -> tuple[str | None, str]:
    heading = section.find(
        lambda t: t.name in {"h1", "h2", "h3", "h4", "h5", "h6"} and "ltx_title" in _classes(t)
    )
    if not isinstance(heading, Tag) or _nearest(heading, _is_section) is not section:
        return None, ""
    number: str | None = None
    tag = heading.find(class_="ltx_tag")
    if isinstance(tag, Tag):
        number_text = _normalise(tag.get_text())
        number_text = _APPENDIX_TAG.sub("", number_text).rstrip(".:").strip()
        number = number_text or None
        tag.extract()  # so the title below does not repeat the number
    title = inline_text(heading)
    return number, title


def _collect(section: Tag, out: list[Section]) -> None:
    number, title = _heading(section)
    renderer = _Renderer()
    children: list[Tag] = []
    for child in section.children:
        if isinstance(child, Tag):
            if _is_section(child):
                children.append(child)
                continue
            if child.name in {"h1", "h2", "h3", "h4", "h5", "h6"} and "ltx_title" in _classes(
                child
            ):
                continue
            renderer.walk(child)
            # Subsections wrapped in a div still count as subsections.
            children.extend(
                t for t in child.find_all(_is_section) if _nearest(t, _is_section) is section
            )
        elif isinstance(child, NavigableString):
            renderer.walk(child)
    renderer.flush()
    text = "\n\n".join(renderer.paragraphs)
    if text or children:
        fallback = f"Section {number}" if number else "Untitled"
        out.append(Section(number=number, title=title or fallback, text=text))
    for child in children:
        _collect(child, out)


def parse_latexml(html: str | bytes) -> LatexmlDocument:
    """Parse a LaTeXML page (arXiv HTML or ar5iv) into title, abstract and sections.

    Args:
        html: the page.

    Returns:
        The document; each section's text has paragraphs separated by blank lines and tables
        as caption plus ``cell | cell`` rows.

    Raises:
        ParseError: when the page is not LaTeXML output or holds no text (e.g. arXiv's
            "no HTML for this paper" page, or ar5iv's redirect to the abstract page).

    Example:
        >>> doc = parse_latexml(open("2104.08645.html", "rb").read())
        >>> [(s.number, s.title) for s in doc.sections][:2]
        [('1', 'Introduction'), ('2', 'Related Work')]
    """
    soup = BeautifulSoup(html, "lxml")
    root = soup.find(class_="ltx_document") or soup.find(class_="ltx_page_content")
    if not isinstance(root, Tag):
        raise ParseError("The page is not a LaTeXML rendering of a paper (no ltx_document).")

    title_tag = root.find(class_="ltx_title_document")
    title = inline_text(title_tag) if isinstance(title_tag, Tag) else None
    abstract_tag = root.find(class_="ltx_abstract")
    abstract = ""
    if isinstance(abstract_tag, Tag):
        heading = abstract_tag.find(class_="ltx_title_abstract")
        if isinstance(heading, Tag):
            heading.extract()
        renderer = _Renderer()
        renderer.walk(abstract_tag, stop_at_sections=False)
        renderer.flush()
        abstract = " ".join(renderer.paragraphs)
        abstract_tag.extract()
    if isinstance(title_tag, Tag):
        title_tag.extract()

    sections: list[Section] = []
    top = [t for t in root.find_all(_is_section) if _nearest(t, _is_section) is None]
    for section in top:
        if _nearest(section, _should_skip) is None:
            _collect(section, sections)
    if not sections:
        # A paper without \section: its paragraphs are one section.
        renderer = _Renderer()
        renderer.walk(root)
        renderer.flush()
        text = "\n\n".join(renderer.paragraphs)
        if text:
            sections.append(Section(number=None, title="Full text", text=text))
    if not sections:
        raise ParseError("The LaTeXML page holds no section text.")
    return LatexmlDocument(title=title or None, abstract=abstract, sections=sections)
