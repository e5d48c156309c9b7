"""Read the claims table of a report written by someone else (``litcheck audit``'s input).

Reports that check claims one by one print them as a table, in many dialects: Markdown pipe
tables with differing columns (``Claim | Verified | Confidence``, ``# | Claim | Status | Key
evidence``, verdicts in the column headers, a verdict and a confidence in one cell), an
org-mode table (``|---+---|``), an AsciiDoc table (``|===``), a tab-separated block in a
plain-text report, a CSV file, a box-drawing table as printed by rich or tabulate
(``┏━━┳━━┓``, ``╒══╤══╕``), a reStructuredText / tabulate grid table (``+----+``, also psql),
a fixed-width table under a rule of dash groups (tabulate ``simple``, reST simple tables), an
HTML ``<table>`` (``rowspan`` cells read into each row they span), a LaTeX ``tabular`` /
``tabularx`` / ``longtable`` (``\\cite`` keys looked up in ``thebibliography``), a reST
``list-table`` / ``csv-table``, JSON (an array of objects, an object holding one, or JSON
Lines), or schema.org ``ClaimReview`` JSON-LD (a file, or the ``application/ld+json`` scripts of
a fact-checker's page). Without a table, claims may be ``Claim 1: ... / Verdict: ...`` records
(also a YAML list of claims) or a numbered or bulleted list. Footnote markers (``[^1]``) cite
their definitions; headers and verdicts may be in French, German, Spanish, Italian or
Portuguese.
:func:`parse_report` finds the table that holds claims (by its header: claim / statement /
finding), reads each row into a :class:`ReportClaim` with a normalised verdict mark and
confidence, and collects the arXiv ids the whole file mentions so that the claims can be
re-verified against those papers.

Rows wrapped over several lines (box, grid and fixed-width tables) are joined into one claim,
each cell's pieces with single spaces: under a rule between every row each block between rules
is one row; without one, a line whose first (or id) cell and verdict cell are both empty
continues the row above, as rich and tabulate print wrapped cells.

Limits of the readers, each chosen so that a table it cannot read is skipped rather than misread:

- Wrapped cells: a word the printer folded in the middle (``cross-lingu`` / ``al``) keeps a
  space. Without rules between rows, a row that really has neither an id nor a verdict is read
  as part of the one above, and a table whose first column is the claim and that has neither
  an id nor a verdict column is read one line per row. Within a block between rules, a line
  with both its id and its verdict filled starts another row (rich's sections).
- Box and grid tables: cells spanning several columns or rows (reST) are not read faithfully;
  tables without vertical separators (rich ``box.SIMPLE``, one unbroken rule) are not read.
- Fixed-width tables need a rule of dash (or ``=``) groups with at least one group of three;
  tables without one (tabulate ``plain``, pandas ``to_string``) are not read, because claims
  hold spaces and columns cannot be told apart reliably. Text may run past the last column;
  text that runs over an inner column boundary is re-split at the run of two spaces nearest
  the boundary, and cut at the rule's boundaries when there is none; over a gap of one space,
  overflowing text that happens to have a space in the gap goes unnoticed. Only a reST table
  (a rule above the header too) may have a header of several lines.
- HTML: ``colspan`` and ``rowspan`` are honoured; at the end of a truncated file the row
  being read is dropped, complete rows are kept.
- LaTeX: a table without its ``\\end{...}`` or with unbalanced braces is skipped; common
  macros are reduced to their text, unknown ones without argument to their name (``\\ours``
  -> ``ours``), Greek letters to the letter.
- JSON: the list of objects is the top-level array, or the first list of objects under a
  top-level key (``claims``, ``rows``, ``results``, ... preferred), not one nested deeper; a
  single object is one row when a claim-named key holds a string. Without a claim-named key,
  ``text`` / ``sentence`` / ``content`` / ``description`` / ``summary`` names the claim (in
  JSON only). Line numbers are those of each object's first character, counting ``\\n``; a
  JSON Lines file in which any non-blank line is not an object is not read as JSON.

A verdict cell that also states a confidence (``VERIFIED, HIGH``, ``✓ 0.16``, ``Supported
(weak)``, ``× (0.9)``, ``Refuted - low confidence``) is split into the verdict (``raw_mark``,
``mark``) and the confidence (``raw_confidence``, ``confidence`` or ``confidence_label`` and
``confidence_level``). A Markdown row whose cell count differs from its header's carries a
warning (``ReportClaim.warnings``); when reading every ``||`` inside it as text gives the
header's count, that is how it is read.

The package holds one module per dialect (``markdown``, ``org``, ``asciidoc``, ``tsv``,
``csvfile``, ``box``, ``grid``, ``rst``, ``fixed``, ``htmltable``, ``latex``, ``jsondoc``,
``claimreview``, ``records``, ``listing``; each module's docstring states its limits), each
exposing a ``DIALECT`` (:class:`~litcheck.extract.report_tables.base.Dialect`); ``registry``
lists them in the order they are tried, ``base`` holds the row model, ``layout`` picks the
claim / verdict / confidence columns, ``footnotes`` adds each row's footnote definitions,
``marks`` reads verdicts and confidences, and ``reader`` is :func:`parse_report`.
"""

from __future__ import annotations

from litcheck.extract.report_tables.base import Mark, ParsedReport, ReportClaim
from litcheck.extract.report_tables.cells import clean_cell
from litcheck.extract.report_tables.ids import find_arxiv_ids
from litcheck.extract.report_tables.marks import parse_mark
from litcheck.extract.report_tables.reader import parse_report
from litcheck.extract.report_tables.registry import REGISTRY, dialect_names

__all__ = [
    "REGISTRY",
    "Mark",
    "ParsedReport",
    "ReportClaim",
    "clean_cell",
    "dialect_names",
    "find_arxiv_ids",
    "parse_mark",
    "parse_report",
]
