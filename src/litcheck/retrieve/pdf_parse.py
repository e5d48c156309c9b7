"""Extract a PDF's text with pypdf and cut it into sections.

The PDF is the last full-text fallback: layout is lost, so sections come from the heading
heuristics of :func:`~litcheck.retrieve.plaintext.parse_sections_from_plaintext`.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from litcheck.errors import ParseError
from litcheck.models import Section
from litcheck.retrieve.plaintext import parse_sections_from_plaintext

log = logging.getLogger(__name__)

__all__ = ["extract_pdf_text", "parse_pdf", "parse_sections_from_plaintext"]


def extract_pdf_text(data: bytes) -> list[str]:
    """Extract the text of each page of a PDF.

    Args:
        data: the PDF file's bytes.

    Returns:
        One string per page, in page order ('' for a page without text).

    Raises:
        ParseError: when the bytes are not a readable PDF.
    """
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError("The response is not a PDF (no %PDF header).")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Most arXiv PDFs that are "encrypted" only carry permission flags: an empty
            # password opens them.
            reader.decrypt("")
        pages: list[str] = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except (PyPdfError, ValueError, KeyError, TypeError) as exc:
                # One broken page should not cost the rest of the paper.
                log.warning("could not extract text of PDF page %d: %s", number, exc)
                pages.append("")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ParseError(f"The PDF could not be read ({exc}).") from exc
    return pages


def parse_pdf(data: bytes) -> list[Section]:
    """Extract a PDF's text and split it into sections.

    Args:
        data: the PDF file's bytes.

    Returns:
        Sections by numbered-heading heuristics, or one ``Full text`` section when no heading
        is recognised.

    Raises:
        ParseError: when the bytes are not a readable PDF or hold no text (a scanned paper).

    Example:
        >>> sections = parse_pdf(open("2104.08645v2.pdf", "rb").read())
        >>> sections[1].title
        'Introduction'
    """
    pages = extract_pdf_text(data)
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError("The PDF holds no extractable text (it may be scanned images).")
    return parse_sections_from_plaintext(text)
