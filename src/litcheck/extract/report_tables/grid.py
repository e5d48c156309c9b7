"""Grid tables: reST / tabulate grid, rich box.ASCII, psql (``+----+`` rules; org-mode's
``|---+---|`` tables are the org dialect's)."""

from __future__ import annotations

import functools
import itertools
from typing import Literal

from litcheck.extract.report_tables.base import Dialect, Source, Table
from litcheck.extract.report_tables.org import is_org_rule
from litcheck.extract.report_tables.ruled import display_metrics, ruled_blocks, ruled_table

_GRID_RULE_CHARS = frozenset("+-=:|")


def _grid_kind(line: str) -> Literal["rule", "row"] | None:
    stripped = line.strip()
    if not stripped:
        return None
    if (
        set(stripped) <= _GRID_RULE_CHARS
        and "+" in stripped
        and ("-" in stripped or "=" in stripped)
    ):
        return "rule"
    return "row" if "|" in stripped else None


def _grid_cells(line: str, junctions: list[int], left: bool, right: bool) -> list[str]:
    for cols in display_metrics(line):
        if all(j < len(cols) and cols[j] == "|" for j in junctions):
            cuts = ([] if left else [-1]) + junctions + ([] if right else [len(cols)])
            return ["".join(cols[a + 1 : b]).strip() for a, b in itertools.pairwise(cuts)]
    # The separators are not where the rule puts them (a hand-edited line): split on the bars.
    body = line.strip()
    if left and body.startswith("|"):
        body = body[1:]
    if right and body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


def _grid_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    for block in ruled_blocks(lines, _grid_kind):
        rules = [lines[k] for k in block if _grid_kind(lines[k]) == "rule"]
        if all(is_org_rule(r) for r in rules):
            continue  # "|---+---|": an org-mode table, read by the org dialect
        # The rule with most junctions: rich's box.ASCII draws none in its top border.
        rule = max(rules, key=lambda r: sum(ch in "+|" for ch in r))
        junctions = [i for i, ch in enumerate(rule) if ch in "+|"]
        body = rule.strip()
        left, right = body[0] in "+|", body[-1] in "+|"
        cells_of = functools.partial(_grid_cells, junctions=junctions, left=left, right=right)
        table = ruled_table(lines, block, _grid_kind, cells_of, "grid")
        if table is not None:
            tables.append(table)
    return tables


def read(source: Source) -> list[Table]:
    """Every grid table of the source (see the module's docstring)."""
    return _grid_tables(source.lines)


DIALECT = Dialect("grid", read)
