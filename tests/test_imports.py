"""The package's import graph has no cycles (module-level, TYPE_CHECKING and lazy imports)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "litcheck"


def _module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph(src: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere in its body (lazy imports too)."""
    modules = {_module_name(p, src): p for p in src.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            # A package's __init__ importing its own submodules is not a cycle worth naming.
            graph[name].update(
                t for t in targets if t in modules and t != name and not t.startswith(name + ".")
            )
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_find_cycle_sees_a_lazy_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / "litcheck"
    (pkg / "report").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "report" / "a.py").write_text("from litcheck.report.b import B\n")
    (pkg / "report" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from litcheck.report import a\n"
    )
    assert find_cycle(import_graph(pkg)) == [
        "litcheck.report.a",
        "litcheck.report.b",
        "litcheck.report.a",
    ]


def test_the_package_has_no_import_cycle() -> None:
    assert find_cycle(import_graph(SRC)) is None
