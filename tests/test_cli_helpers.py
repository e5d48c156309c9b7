"""The CLI helpers module: settings, library and dates for every stage's commands."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from litcheck.cli_helpers import open_lib, parse_date, set_overrides, settings
from litcheck.errors import BadInputError

SRC = Path(__file__).resolve().parents[1] / "src" / "litcheck"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_stage_module_imports_the_cli() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "cli.py" or path.parent != SRC
        if "litcheck.cli" in _imported_modules(path)
    ]
    assert offenders == []


def test_overrides_reach_settings_and_library(tmp_path: Path) -> None:
    set_overrides(home=tmp_path / "elsewhere", offline=None)
    try:
        assert settings().home == tmp_path / "elsewhere"
        with open_lib() as lib:
            assert lib.papers() == []
        assert settings().library_path.is_relative_to(tmp_path / "elsewhere")
    finally:
        set_overrides()


def test_parse_date() -> None:
    assert parse_date(None) is None
    assert parse_date("2021-04-18") == date(2021, 4, 18)
    with pytest.raises(BadInputError, match="--until '18/04/2021' is not a date"):
        parse_date("18/04/2021", option="--until")
