"""Tab-separated blocks in a plain-text report (a header line, then rows)."""

from __future__ import annotations

from litcheck.extract.report_tables.base import Dialect, Source, Table


def _tsv_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        # A tab after some text, not only tabs of indentation (LaTeX, HTML, JSON sources).
        if "\t" in lines[i].lstrip() and lines[i].strip():
            table = Table(
                header=[c.strip() for c in lines[i].split("\t")], header_line=i + 1, format="tsv"
            )
            j = i + 1
            while j < len(lines) and lines[j].strip() and "\t" in lines[j]:
                table.rows.append((j + 1, [c.strip() for c in lines[j].split("\t")]))
                j += 1
            tables.append(table)
            i = j
        else:
            i += 1
    return tables


def read(source: Source) -> list[Table]:
    """Every tsv table of the source (see the module's docstring)."""
    return _tsv_tables(source.lines)


DIALECT = Dialect("tsv", read)
