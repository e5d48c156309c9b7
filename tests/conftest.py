"""Shared fixtures: an isolated LITCHECK_HOME per test and a CLI runner."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_DATA = SHARED / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("LITCHECK_HOME", str(home))
    monkeypatch.setenv("LITCHECK_OFFLINE", "1")
    monkeypatch.setenv("LITCHECK_NO_PROGRESS", "1")
    monkeypatch.delenv("LITCHECK_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    yield home


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json_lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def run_cli(*args: str) -> CliResult:
    """Run the litcheck CLI in-process, capturing stdout/stderr and the exit code."""
    from litcheck import console
    from litcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = console.err_console.file
    console.err_console.file = err
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        console.err_console.file = old
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli() -> type[CliResult]:
    return CliResult


def sample_papers() -> list[dict[str, object]]:
    """Two small papers in the import JSONL format, written by the tests themselves."""
    return [
        {
            "arxiv_id": "2104.08645v2",
            "title": "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training",
            "authors": ["Kuan-Hao Huang", "Wasi Uddin Ahmad", "Nanyun Peng", "Kai-Wei Chang"],
            "abstract": (
                "We propose robust training for zero-shot cross-lingual transfer. Randomized "
                "smoothing improves accuracy by 2.1 points on PAWS-X and 1.6 points on XNLI."
            ),
            "sections": [
                {
                    "title": "1 Introduction",
                    "text": "Multilingual encoders such as mBERT and "
                    "XLM-R transfer across languages.\n\nThey do not align words precisely.",
                },
                {
                    "title": "4 Results",
                    "text": "Table 1: Accuracy on PAWS-X.\n\n"
                    "Model | en | de | es | fr\nmBERT | 94.0 | 85.7 | 87.4 | 87.0\n"
                    "RS-DA | 94.4 | 87.6 | 89.6 | 89.5",
                },
            ],
        },
        {
            "arxiv_id": "1911.02116",
            "title": "Unsupervised Cross-lingual Representation Learning at Scale",
            "authors": ["Alexis Conneau"],
            "abstract": "XLM-R outperforms mBERT on XNLI by 14.6% average accuracy.",
            "sections": [],
        },
    ]


@pytest.fixture
def papers_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in sample_papers()), encoding="utf-8")
    return path
