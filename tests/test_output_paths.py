"""Output paths (-o) are checked before any work: one line, exit 2, for every writing command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli, sample_papers
from litcheck.console import atomic_write_text, check_output_path
from litcheck.errors import BadInputError

PROC = Path("/proc")


def _bad_outputs(tmp_path: Path) -> list[tuple[str, str]]:
    """(-o value, a word the error must contain) for each kind of unusable output path."""
    outdir = tmp_path / "outdir"
    outdir.mkdir(exist_ok=True)
    cases = [(str(outdir), "is a directory"), ("", "needs a file name")]
    if PROC.is_dir():
        cases.append((str(PROC / "x.md"), "no file can be created"))
    return cases


# Each writing command, with inputs that do not exist: the -o check must come first.
COMMANDS: dict[str, list[str]] = {
    "verify": ["verify", "missing-claims.jsonl"],
    "audit": ["audit", "missing-report.md"],
    "report": ["report", "How does robust training change transfer?"],
    "reverify": ["reverify", "missing-report.md", "--runs", "missing-runs"],
    "library export": ["library", "export"],
    "experiment report": ["experiment", "report", "missing-runs"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_writing_command_checks_its_output_first(command: str, tmp_path: Path) -> None:
    for value, needle in _bad_outputs(tmp_path):
        r = run_cli(*COMMANDS[command], "-o", value)
        assert r.code == 2, (command, value, r.stderr)
        assert needle in r.stderr, (command, value, r.stderr)
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) <= 2, r.stderr  # rich may wrap one line
    assert list((tmp_path / "outdir").iterdir()) == []  # nothing written there


def test_report_checks_its_cite_output_too(tmp_path: Path) -> None:
    r = run_cli("report", "a question", "-o", str(tmp_path / "r.md"), "--cite-output", "")
    assert r.code == 2
    assert "--cite-output needs a file name" in r.stderr


def test_export_still_writes_a_file_and_creates_its_directory(tmp_path: Path) -> None:
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in sample_papers()))
    assert run_cli("library", "import", str(papers)).code == 0
    out = tmp_path / "new" / "dir" / "backup.jsonl"
    r = run_cli("library", "export", "-o", str(out))
    assert r.code == 0, r.stderr
    assert len(out.read_text().splitlines()) == len(sample_papers())
    assert [p.name for p in (tmp_path / "new" / "dir").iterdir()] == ["backup.jsonl"]


def test_check_leaves_no_probe_file_behind(tmp_path: Path) -> None:
    assert check_output_path(tmp_path / "a" / "b.md") == tmp_path / "a" / "b.md"
    assert list(tmp_path.iterdir()) == []  # nothing created, not even the directory


def test_a_device_is_refused_not_replaced(tmp_path: Path) -> None:
    null = Path("/dev/null")
    if not null.exists():
        pytest.skip("no /dev/null here")
    with pytest.raises(BadInputError, match="not a regular file"):
        check_output_path(null)
    link = tmp_path / "to-null"
    link.symlink_to(null)
    with pytest.raises(BadInputError, match="not a regular file"):
        check_output_path(link)
    with pytest.raises(BadInputError, match="not a regular file"):
        atomic_write_text(link, "x")
    assert null.is_char_device()


def test_a_symlink_is_replaced_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me")
    link = tmp_path / "out.md"
    link.symlink_to(secret)
    check_output_path(link)
    atomic_write_text(link, "report")
    assert secret.read_text() == "keep me"
    assert not link.is_symlink()
    assert link.read_text() == "report"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_directory_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(BadInputError, match="no file can be created"):
            check_output_path(locked / "x.md")
    finally:
        locked.chmod(0o700)
