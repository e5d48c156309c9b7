"""experiment show accepts every name experiment list prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

PUBLISHED = Path(__file__).resolve().parents[2] / "reports" / "runs" / "cpu-grid"


@pytest.mark.skipif(not PUBLISHED.is_dir(), reason="no published runs in this checkout")
def test_every_listed_name_can_be_shown() -> None:
    listed = run_cli("experiment", "list", str(PUBLISHED), "--json")
    assert listed.code == 0, listed.stderr
    names = [row["run_id"] for row in listed.json_lines()]
    assert names
    for name in names[:: max(1, len(names) // 6)]:  # a spread of them, to stay fast
        shown = run_cli("experiment", "show", str(name), "--root", str(PUBLISHED), "--json")
        assert shown.code == 0, (name, shown.stderr)
        assert shown.stdout.strip().startswith("[")


def test_an_unknown_name_is_one_line(tmp_path: Path) -> None:
    r = run_cli("experiment", "show", "no-such-run", "--root", str(tmp_path))
    assert r.code == 2
    assert "No run 'no-such-run'" in r.stderr
    assert "Traceback" not in r.stderr
