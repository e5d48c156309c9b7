"""verify / audit / train-verifier end to end (real MiniLM embedder, fallback judge)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import run_cli

CLAIMS = [
    {
        "id": "c1",
        "claim": "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.",
        "cites": ["2104.08645"],
    },
    {
        "id": "c2",
        "claim": "Robust training improves XNLI by 1.9 points.",
        "cites": ["2104.08645v2"],
    },
    {"id": "c3", "claim": "XLM-R outperforms mBERT on XNLI.", "cites": []},
    {"id": "c4", "claim": "accuracy", "cites": []},
    {"id": "c5", "claim": "z" * 20000, "cites": []},
    {"id": "c6", "claim": "Cats purr.", "cites": ["2401.00001"]},
]

REPORT = (
    "A report\n\n5 Extracted Claims\n\nClaim\tVerified\tConfidence\n"
    "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.\t✓\t0.16\n"
    "The cross-lingual transfer performance improves by 1.9 points on XNLI.\t✓\t0.13\n"
    "Multilingual encoders do not align words precisely.\t×\t0.20\n"
    "\nReferences\n\n- <http://arxiv.org/abs/2104.08645v2>\n- <http://arxiv.org/abs/2505.15090v1>\n"
)


@pytest.fixture
def imported(papers_jsonl: Path) -> None:
    assert run_cli("library", "import", str(papers_jsonl)).code == 0


def test_verify_json_has_the_design_shape(imported: None, tmp_path: Path) -> None:
    claims = tmp_path / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in CLAIMS))
    res = run_cli("verify", str(claims), "--format", "json", "--fallback")
    assert res.code == 0, res.stderr
    rows = res.json_lines()
    assert [r["id"] for r in rows] == [c["id"] for c in CLAIMS]
    for r in rows:
        assert list(r)[:5] == ["id", "claim", "verdict", "confidence", "evidence"]
        assert r["verdict"] in {"SUPPORTED", "CONTRADICTED", "NOT_ENOUGH_INFO"}
        assert r["confidence"] is None if not r["checked"] else 0 <= r["confidence"] <= 1
        keys = {"paper", "section", "text", "score", "passage", "start", "end", "role"}
        assert all(set(e) == keys for e in r["evidence"])
        for e in r["evidence"]:
            # The span locates the quote in its passage.
            assert e["start"] is None or e["end"] - e["start"] == len(e["text"])
        assert "fallback" in r["judge"]
    assert rows[0]["verdict"] == "SUPPORTED" and rows[1]["verdict"] == "CONTRADICTED"
    assert rows[3]["verdict"] == rows[4]["verdict"] == rows[5]["verdict"] == "NOT_ENOUGH_INFO"
    out = tmp_path / "out.html"
    res = run_cli("verify", str(claims), "--format", "html", "-o", str(out), "--fallback")
    assert res.code == 0 and out.read_text().startswith("<!doctype html>")
    assert "&lt;" not in out.read_text()[:50]


def test_verify_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "claim": "fine"}\nnot json\n')
    res = run_cli("verify", str(bad))
    assert res.code == 2 and "bad.jsonl:2" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("verify", str(tmp_path / "missing.jsonl"))
    assert res.code == 2 and "does not exist" in res.stderr


def test_audit_marks_disagreements_and_strict_fails(imported: None, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT)
    out = tmp_path / "audit.md"
    res = run_cli("audit", str(report), "--fallback", "-o", str(out))
    assert res.code == 0, res.stderr
    text = out.read_text()
    assert "2505.15090v1" in text and "offline" in text  # unresolvable reference named
    assert "| 1 |" in text and "| 2 |" in text and "| 3 |" in text  # no claim dropped
    res = run_cli("audit", str(report), "--fallback", "--format", "json", "--strict")
    assert res.code == 1
    rows = res.json_lines()
    assert rows[-1]["summary"] and rows[-1]["strict_failures"] >= 1
    assert rows[1]["verdict"] == "CONTRADICTED" and rows[1]["disagreement"]
    # The measured scorecard sits beside the report's own claims (issue 8).
    dims = {d["name"] for d in rows[-1]["scorecard"]["dimensions"]}
    assert {"evidence strength", "citation grounding", "reproducibility"} <= dims
    assert isinstance(rows[-1]["flagged_citations"], list)
    assert "## Scorecard (measured)" in text and "## Citations" in text


def test_audit_without_table_is_exit_2(tmp_path: Path) -> None:
    report = tmp_path / "plain.txt"
    report.write_text("Just prose, no table at all.\n")
    res = run_cli("audit", str(report))
    assert res.code == 2 and "claims table" in res.stderr


def test_help_has_examples() -> None:
    for cmd in ("verify", "audit", "train-verifier"):
        res = run_cli(cmd, "--help")
        assert res.code == 0 and "Example" in res.stdout


def test_audit_resolves_references_by_doi_and_title(imported: None, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(
        "| Claim | Verified |\n|---|---|\n"
        "| Robust training improves zero-shot cross-lingual transfer. | ✓ |\n\n"
        "## References\n\n"
        "1. Huang et al. (2021). Improving Zero-Shot Cross-Lingual Transfer Learning via "
        "Robust Training. EMNLP. https://doi.org/10.18653/v1/2021.emnlp-main.126\n"
        "2. Devlin et al. (2019). BERT. NAACL.\n"
    )
    res = run_cli("audit", str(report), "--fallback", "--format", "json")
    assert res.code == 0, res.stderr
    rows = res.json_lines()
    refs = {r["raw"].split()[0]: r for r in rows[-1]["references"]}
    assert refs["Huang"]["paper_id"] == "2104.08645" and "title" in refs["Huang"]["status"]
    assert refs["Devlin"]["paper_id"] is None and "not resolved" in refs["Devlin"]["status"]
    assert rows[0]["evidence"] and rows[0]["evidence"][0]["paper"] == "2104.08645"
