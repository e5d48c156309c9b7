"""Tables on stdout are not cut at 80 columns when stdout is a file or a pipe."""

from __future__ import annotations

import io

from rich.table import Table

from litcheck.console import PIPE_WIDTH, StdoutConsole


def _table() -> Table:
    table = Table("arXiv id", "title")
    table.add_row("2104.08645", "Improving Zero-Shot Cross-Lingual Transfer Learning via " * 3)
    return table


def test_a_piped_table_keeps_whole_rows() -> None:
    buffer = io.StringIO()  # not a terminal, like `> file` or `| grep`
    StdoutConsole(file=buffer).print(_table())
    rows = [line for line in buffer.getvalue().splitlines() if "2104.08645" in line]
    assert len(rows) == 1  # one line per row, not wrapped at 80 columns
    assert "Learning via Improving" in rows[0]
    assert 80 < len(rows[0]) < PIPE_WIDTH


def test_an_explicit_width_still_wins() -> None:
    buffer = io.StringIO()
    StdoutConsole(file=buffer, width=60).print(_table())
    assert max(len(line) for line in buffer.getvalue().splitlines()) <= 60
