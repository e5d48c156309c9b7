"""CSV files (``,`` or ``;``): a short header naming a claim column, rectangular rows."""

from __future__ import annotations

import csv
import io

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.layout import text_columns


def _csv_header(cells: list[str]) -> bool:
    """A CSV header: a few short labels, one naming a claim column (not a line of prose)."""
    return (
        len(cells) >= 2
        and all(0 < len(c) <= 40 for c in cells)
        and not cells[0].startswith(("-", "*", "#", ">"))
        and bool(text_columns(cells))
    )


def _csv_tables(text: str) -> list[Table]:
    tables: list[Table] = []
    for delimiter in (",", ";"):
        if delimiter not in text:
            continue
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        table: Table | None = None
        try:
            for record in reader:
                line = reader.line_num
                cells = [c.strip() for c in record]
                if table is None:
                    if _csv_header(cells):
                        table = Table(cells, line, format="csv")
                    continue
                while cells and not cells[-1] and len(cells) > len(table.header):
                    cells.pop()
                # A CSV table is rectangular; a line of prose with commas in it ends it.
                if not any(cells) or len(cells) != len(table.header):
                    if table.rows:
                        break
                    table = None
                    continue
                table.rows.append((line, cells))
        except csv.Error:
            continue
        if table is not None and table.rows:
            tables.append(table)
    return tables


def read(source: Source) -> list[Table]:
    """Every csv table of the source (see the module's docstring)."""
    return _csv_tables(source.text)


DIALECT = Dialect("csv", read, fallback=True)
