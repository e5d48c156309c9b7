"""`extract --all --json` on a paper whose text holds numbers no double holds (issue 18 item 1).

Before the fix, ``1e999`` raised OverflowError in the quantity parser (stopping ``extract
--all`` for the whole library), a 5,000-digit exponent raised ValueError, and a 400-digit
percentage was printed as ``Infinity``, which is not JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

ABSTRACT = (
    "Robust training improves accuracy by 2.1 points on PAWS-X. "
    "A diverging run reports a loss of 1e999 on XNLI. "
    "One log line reads an accuracy of 3e" + "7" * 5000 + " on MLQA. "
    "A broken script printed an accuracy of " + "9" * 400 + "% on XNLI."
)


def _strict(line: str) -> dict[str, object]:
    def refuse(name: str) -> object:
        raise AssertionError(f"non-standard JSON constant {name}")

    loaded: dict[str, object] = json.loads(line, parse_constant=refuse)
    return loaded


def test_extract_json_keeps_huge_numbers_as_text(tmp_path: Path) -> None:
    papers = tmp_path / "papers.jsonl"
    record = {"arxiv_id": "2104.08645", "title": "Huge numbers", "abstract": ABSTRACT}
    papers.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert run_cli("library", "import", str(papers)).code == 0
    result = run_cli("extract", "--all", "--json")
    assert result.code == 0, result.stderr
    claims = [_strict(line) for line in result.stdout.splitlines() if line.strip()]
    quantities = [q for c in claims for q in c["quantities"]]  # type: ignore[attr-defined]
    assert any(q["delta"] == 2.1 for q in quantities)  # the ordinary figure is still read
    kept = [q for q in quantities if not q["numeric"]]
    # 1e999 and the 400-digit percentage; the 5,000-digit run is skipped as garbage (no
    # sentence end in 1,500 characters) with a warning, not a traceback.
    assert len(kept) == 2 and all("kept as text" in q["note"] for q in kept)
    assert "without a sentence end" in result.stderr
    listed = run_cli("claims", "list")
    assert listed.code == 0, listed.stderr
    for line in run_cli("claims", "list", "--json").stdout.splitlines():
        _strict(line)
