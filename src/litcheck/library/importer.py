"""Read papers from files: JSONL records or saved arXiv Atom feeds (no network needed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from litcheck.errors import BadInputError, LitcheckError
from litcheck.models import Paper, Section


class _SectionRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")
    title: str
    text: str
    number: str | None = None


class PaperRecord(BaseModel):
    """One line of an import JSONL file."""

    model_config = ConfigDict(extra="ignore")
    arxiv_id: str
    title: str
    authors: list[str] = Field(default_factory=list)
    abstract: str = ""
    sections: list[_SectionRecord] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    doi: str | None = None
    full_text_source: str | None = None


def paper_to_record(paper: Paper) -> dict[str, Any]:
    """The JSONL record of a paper (what `library export` writes and `import` reads)."""
    return {
        "arxiv_id": paper.versioned_id,
        "title": paper.title,
        "authors": paper.authors,
        "abstract": paper.abstract,
        "categories": paper.categories,
        "published": paper.published.isoformat() if paper.published else None,
        "updated": paper.updated.isoformat() if paper.updated else None,
        "doi": paper.doi,
        "full_text_source": paper.full_text_source,
        "sections": [
            {"number": s.number, "title": s.title, "text": s.text} for s in paper.sections
        ],
    }


def _record_to_paper(rec: PaperRecord, where: str) -> Paper:
    from litcheck.retrieve.ids import parse_arxiv_id

    try:
        aid = parse_arxiv_id(rec.arxiv_id)
    except BadInputError as exc:
        raise BadInputError(f"{where}: {exc}") from None
    try:
        return Paper.model_validate(
            {
                "arxiv_id": aid.base,
                "version": aid.version,
                "title": rec.title.strip(),
                "authors": rec.authors,
                "abstract": rec.abstract.strip(),
                "categories": rec.categories,
                "primary_category": rec.categories[0] if rec.categories else None,
                "published": rec.published,
                "updated": rec.updated,
                "doi": rec.doi,
                "sections": [
                    Section(number=s.number, title=s.title, text=s.text) for s in rec.sections
                ],
                "full_text_source": rec.full_text_source or ("import" if rec.sections else None),
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise BadInputError(f"{where}: field {field!r}: {first['msg']}.") from None


#: Called with the error of each record skipped (see :func:`read_papers_file`).
OnBadRecord = Callable[[LitcheckError], None]


def read_jsonl_papers(
    path: Path, text: str, on_bad_record: OnBadRecord | None = None
) -> list[Paper]:
    """Parse a JSONL file of paper records, naming the line of the first bad one.

    Args:
        path: the file, named in messages.
        text: its content.
        on_bad_record: see :func:`read_papers_file`.

    Returns:
        The papers, one per id (a later line for the same paper wins).
    """
    papers: dict[str, Paper] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"{where} is not valid JSON ({exc.msg}).") from None
        if not isinstance(obj, dict):
            raise BadInputError(f"{where} is not a paper object.")
        try:
            rec = PaperRecord.model_validate(obj)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise BadInputError(
                f"{where} is not a paper: {field!r} {first['msg'].lower()} "
                '(expected {"arxiv_id", "title", "authors", "abstract", "sections"}).'
            ) from None
        try:
            paper = _record_to_paper(rec, where)
        except BadInputError as exc:
            if on_bad_record is None:
                raise
            on_bad_record(exc)
            continue
        papers[paper.arxiv_id] = paper  # a later line for the same paper wins
    return list(papers.values())


def read_papers_file(path: Path, on_bad_record: OnBadRecord | None = None) -> list[Paper]:
    """Read papers from a JSONL file or a saved Atom feed.

    Args:
        path: the file.
        on_bad_record: when given, a record that is well formed but holds a bad value (a
            malformed arXiv id, a version out of range, an unreadable date) is passed to it as
            the error naming the record, and skipped; without it, that error is raised. A line
            that is not a paper record at all always stops the read.

    Returns:
        The papers, validated; nothing is written.

    Raises:
        BadInputError: an unreadable file, or a line that is not a paper (with its number).
        ParseError: an Atom feed that is not well-formed XML.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8 text; expected JSONL or an Atom feed.") from None
    head = text.lstrip()[:200]
    if head.startswith("<"):
        from litcheck.retrieve.atom import parse_feed

        feed = parse_feed(text, on_bad_entry=on_bad_record, source=str(path))
        return list(feed.papers)
    if not head:
        raise BadInputError(f"{path} is empty; expected JSONL or an Atom feed.")
    return read_jsonl_papers(path, text, on_bad_record)
