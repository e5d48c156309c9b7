"""Read the claims table of a report written by someone else (``litcheck audit``'s input).

The readers live in :mod:`litcheck.extract.report_tables`, one module per dialect behind a
registry; this module keeps the names other stages import from it.
"""

from __future__ import annotations

from litcheck.extract.report_tables import (
    Mark,
    ParsedReport,
    ReportClaim,
    clean_cell,
    find_arxiv_ids,
    parse_mark,
    parse_report,
)

__all__ = [
    "Mark",
    "ParsedReport",
    "ReportClaim",
    "clean_cell",
    "find_arxiv_ids",
    "parse_mark",
    "parse_report",
]
