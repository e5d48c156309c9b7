"""benchmarks/eval_stress.py: its changes do what their names say, and the ML part runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import eval_stress  # noqa: E402

from litcheck.models import Label  # noqa: E402
from litcheck.verify.judge import FallbackJudge  # noqa: E402


def test_each_change_is_one_word_or_one_figure() -> None:
    assert eval_stress.opposite("Training is stable.") == "Training is unstable."
    assert eval_stress.opposite("Nothing to turn.") is None
    assert eval_stress.double_count("It covers 40 languages.", "40 languages") == (
        "It covers 80 languages."
    )
    assert eval_stress.double_count("It covers 40 languages.", "no count") is None
    assert eval_stress.swap_task("Gains on question answering.") == (
        "Gains on text classification."
    )
    # A citation year or an enumeration label changes no claim.
    assert eval_stress._citation_or_label(
        "BERT (Devlin, 2018) works.", "BERT (Devlin, 2373) works."
    )
    assert not eval_stress._citation_or_label("It gains 2.1 points.", "It gains 3.1 points.")


def test_the_ml_part_scores_every_rule_through_verify(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "arxiv_id": "2104.08645",
                "title": "Robust training",
                "authors": ["A"],
                "categories": ["cs.CL"],
                "abstract": (
                    "We train the encoder on 100 languages with stable optimisation. "
                    "Robust training improves zero-shot transfer on text classification tasks."
                ),
            }
        )
        + "\n",
        encoding="utf-8",
    )
    rules = eval_stress.corpus_claims(corpus, seed=13)
    assert rules["original"][0][2] is Label.SUPPORTED
    assert rules["count"][0][0] == (
        "We train the encoder on 200 languages with stable optimisation."
    )
    assert rules["task"][0][2] is Label.NOT_ENOUGH_INFO
    scored = eval_stress.corpus_eval({"fallback": FallbackJudge()}, corpus, seed=13)
    assert scored["fallback"]["count"] == {
        "pairs": 1,
        "right": 1.0,
        "given": {"SUPPORTED": 0, "CONTRADICTED": 1, "NOT_ENOUGH_INFO": 0},
    }
    assert scored["fallback"]["original"]["right"] == 1.0
