"""Citation relevance: the example report's off-topic references are flagged.

The two off-topic papers (2508.11281, a French toxicity dataset; 2505.15090, a sparse
fine-tuning method) are described in tests/data/example_references.jsonl with descriptions
written for these tests: their real abstracts are not available offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from litcheck.library import Library
from litcheck.library.importer import PaperRecord, _record_to_paper  # type: ignore[attr-defined]
from litcheck.models import Evidence
from litcheck.verify.citations import (
    check_citations,
    citations_markdown,
    flagged_citations,
    reference_summary,
    tfidf_similarity,
)

REFS = Path(__file__).resolve().parents[1] / "data" / "example_references.jsonl"
CITED = ["2104.08645v2", "2508.11281v3", "2505.15090v1"]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "lib.sqlite")
    for line in REFS.read_text().splitlines():
        library.add_paper(_record_to_paper(PaperRecord.model_validate_json(line), "fixture"))
    return library


def test_off_topic_references_flagged_for_pawsx_claim(lib: Library) -> None:
    checks = check_citations(
        "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.", CITED, lib, []
    )
    status = {c.paper: c.status for c in checks}
    assert status == {"2104.08645": "on-topic", "2508.11281": "flagged", "2505.15090": "flagged"}
    flagged = [c for c in checks if c.flagged]
    assert all("cannot bear on the claim" in c.reason for c in flagged)


def test_dataset_never_named_flags_even_when_topic_is_close(lib: Library) -> None:
    checks = check_citations(
        "The cross-lingual transfer performance improves by 1.6 points on XNLI.",
        CITED,
        lib,
        [],
        threshold=0.0,
    )
    by = {c.paper: c for c in checks}
    assert by["2104.08645"].status == "on-topic"  # its description names XNLI
    assert by["2505.15090"].status == "flagged" and "XNLI" in by["2505.15090"].reason


def test_evidence_use_grounds_a_citation(lib: Library) -> None:
    ev = [Evidence(paper="2104.08645v2", text="x", score=0.9)]
    checks = check_citations(
        "Robust training improves cross-lingual transfer.", ["2104.08645"], lib, ev
    )
    assert checks[0].status == "grounded" and checks[0].evidence_used == 1
    # Evidence from an off-topic paper does not ground it: the verdict resting on it is suspect.
    off = check_citations(
        "Robust training improves cross-lingual transfer.",
        ["2508.11281"],
        lib,
        [Evidence(paper="2508.11281", text="x", score=0.9)],
    )
    assert off[0].status == "flagged" and "suspect" in off[0].reason


def test_missing_paper_is_unavailable_not_flagged(lib: Library) -> None:
    checks = check_citations("A claim.", ["9999.99999", "2104.08645v2", "2104.08645"], lib, [])
    assert [c.paper for c in checks] == ["9999.99999", "2104.08645"]
    assert checks[0].status == "unavailable" and "not in the library" in checks[0].reason


class _FakeEmbedder:
    """Bag-of-letters vectors: deterministic, unit length."""

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[i, ord(ch) - 97] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_embedder_path_and_threshold(lib: Library) -> None:
    checks = check_citations("robust training", ["2104.08645"], lib, [], _FakeEmbedder())
    assert checks[0].method == "embedding" and checks[0].threshold == 0.26
    assert 0.0 < (checks[0].similarity or 0) <= 1.0


def test_summary_and_markdown(lib: Library) -> None:
    claims = [
        "Robust training remarkably improves generalized cross-lingual transfer.",
        "The cross-lingual transfer performance improves by 2.1 points on PAWS-X.",
    ]
    per_claim = [check_citations(c, CITED, lib, []) for c in claims]
    summary = {r["paper"]: r for r in reference_summary(per_claim)}
    assert summary["2508.11281"]["bears_on_none"] is True
    assert summary["2104.08645"]["bears_on_none"] is False
    md = citations_markdown(per_claim, "Flagged citations")
    assert "bears on none of its claims" in md and "2508.11281" in md
    assert len(flagged_citations(per_claim)) >= 2


def test_tfidf_similarity_edges() -> None:
    assert tfidf_similarity("", "anything") == 0.0
    assert tfidf_similarity("robust training", "Robust training!") == pytest.approx(1.0)
    assert json.dumps(tfidf_similarity("a b", "c d")) == "0.0"
