"""The shared row model of the report-table readers, and the shape of a dialect."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from litcheck.models import Quantity

#: A heading that opens a report's reference list ("## References", "**Sources:**").
REFERENCE_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\d+(?:\.\d+)*\.?\s+)?\**\s*(references|bibliography|works cited|"
    r"sources|citations|literature cited|cited (?:papers|works))\s*\**\s*:?\s*$",
    re.IGNORECASE,
)

Mark = Literal["verified", "refuted", "partial", "blocked", "unknown"]
#: A worded confidence as a level (very high / strong -> high, moderate -> medium, weak -> low).
ConfidenceLevel = Literal["high", "medium", "low"]


class ReportClaim(BaseModel):
    """One row of a report's claims table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int = Field(ge=1, description="Position of the row in the claims table, from 1.")
    text: str = Field(description="The claim, cleaned of Markdown, HTML entities and numbering.")
    mark: Mark | None = Field(
        default=None, description="The report's verdict, normalised; None when it gives none."
    )
    raw_mark: str | None = Field(
        default=None,
        description="The verdict as the report wrote it, without a confidence written in the "
        "same cell ('VERIFIED, HIGH' -> 'VERIFIED'; see raw_confidence).",
    )
    confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Numeric confidence in [0, 1] (99% -> 0.99)."
    )
    confidence_label: str | None = Field(
        default=None, description="A worded confidence as written: HIGH, MEDIUM, LOW, WEAK, ..."
    )
    raw_confidence: str | None = Field(
        default=None,
        description="The confidence as the report wrote it: its confidence cell, or the part of "
        "a composite verdict cell ('✓ 0.16' -> '0.16', 'Supported (weak)' -> 'weak'); for "
        "ClaimReview, the rating ('1 of 1-5').",
    )
    confidence_level: ConfidenceLevel | None = Field(
        default=None,
        description="confidence_label as a level: high, medium or low (None for a number).",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="What could not be read faithfully in this row (e.g. a Markdown row with "
        "more cells than its header), each a sentence; empty when the row read cleanly.",
    )
    cites: list[str] = Field(default_factory=list, description="arXiv ids named in the row.")
    extra: dict[str, str] = Field(
        default_factory=dict, description="The row's other cells, keyed by column header."
    )
    line: int = Field(ge=1, description="Line number of the row in the file, from 1.")
    quantities: list[Quantity] = Field(
        default_factory=list, description="Figures the claim states (see extract.quantities)."
    )


class ParsedReport(BaseModel):
    """A report's claims table and the arXiv ids the report mentions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str | None = Field(default=None, description="The report's title (first heading).")
    rows: list[ReportClaim] = Field(default_factory=list)
    references: list[str] = Field(
        default_factory=list,
        description="arXiv ids found anywhere in the file, in order, versions kept when given.",
    )
    format: str = Field(
        description="Dialect of the claims table: markdown, org (org-mode), asciidoc, tsv, csv, "
        "box (box-drawing), grid (reST / tabulate grid, psql), rst (reST list-table or "
        "csv-table), simple (fixed-width under a dashed rule), html, latex, json (JSON and JSON "
        "Lines), claimreview (schema.org ClaimReview JSON-LD), records ('Claim: ... / Verdict: "
        "...' blocks, YAML lists of claims) or list (a numbered or bulleted list of claims)."
    )
    source: str = Field(default="<report>", description="Where the report was read from.")


@dataclass
class Table:
    """A table one dialect found: its header, and each row with the line it starts on."""

    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    format: str = "markdown"
    # The dialect's own idea of the title (HTML <title>, LaTeX \title, a JSON "title" key);
    # "" when the file has none, None to take it from the lines above the table.
    title: str | None = None
    # JSON keys such as "text" name the claim without a claim word; only JSON uses this, so that
    # a "Text" column elsewhere does not turn an ordinary table into a claims table.
    text_hint: int | None = None
    # Parse warnings of single rows, by the row's position in ``rows`` (ReportClaim.warnings).
    row_warnings: dict[int, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """A report's text as every reader sees it: without its BOM, and cut into lines."""

    text: str
    lines: list[str]

    @classmethod
    def of(cls, text: str) -> Source:
        """The source of ``text`` (a leading BOM dropped)."""
        text = text.lstrip("\ufeff")
        return cls(text, text.splitlines())

    @property
    def joined(self) -> str:
        """The lines joined with ``\n`` (``\r\n`` and other line ends normalised)."""
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Dialect:
    """One table dialect: its name (``ParsedReport.format``) and its reader.

    A reader returns every table of its dialect in the source, malformed ones skipped (never
    raised); :mod:`litcheck.extract.report_tables.registry` holds the order they are tried in.
    """

    name: str
    read: Callable[[Source], list[Table]]
    #: Tried only when no other dialect found a table with a claim column (CSV: any text with
    #: commas would otherwise compete).
    fallback: bool = False
