"""The dialects :func:`~litcheck.extract.report_tables.parse_report` tries, in order.

Every dialect reads the whole report; every table found is a candidate, and the claims table is
the best-scoring one (see :mod:`~litcheck.extract.report_tables.layout`), ties going to the one
that starts first. Tables starting on the same line tie in the order below: a tab-indented
HTML, LaTeX or JSON source also looks like a tab-separated block, so TSV comes last; a
ClaimReview object is also a JSON (or HTML) table, so ClaimReview comes before both. Fallback
dialects (CSV, ``Key: value`` records, then lists of claims) are read only when no other dialect
found a table with a claim column. To add a dialect, write a module with a ``DIALECT`` and name
it here.
"""

from __future__ import annotations

from litcheck.extract.report_tables import (
    asciidoc,
    box,
    claimreview,
    csvfile,
    fixed,
    grid,
    htmltable,
    jsondoc,
    latex,
    listing,
    markdown,
    org,
    records,
    rst,
    tsv,
)
from litcheck.extract.report_tables.base import Dialect

#: Every dialect, in the order that breaks ties between tables starting on the same line.
REGISTRY: tuple[Dialect, ...] = (
    markdown.DIALECT,
    org.DIALECT,
    asciidoc.DIALECT,
    box.DIALECT,
    grid.DIALECT,
    rst.DIALECT,
    fixed.DIALECT,
    claimreview.DIALECT,
    htmltable.DIALECT,
    latex.DIALECT,
    jsondoc.DIALECT,
    tsv.DIALECT,
    csvfile.DIALECT,
    records.DIALECT,
    listing.DIALECT,
)
DIALECTS: tuple[Dialect, ...] = tuple(d for d in REGISTRY if not d.fallback)
FALLBACK_DIALECTS: tuple[Dialect, ...] = tuple(d for d in REGISTRY if d.fallback)


def dialect_names() -> list[str]:
    """The names of every dialect (the values ``ParsedReport.format`` takes), in order."""
    return [d.name for d in REGISTRY]
