"""The shipped judge's model card states the benchmark figures it is given."""

from __future__ import annotations

import json

from litcheck.verify.onnx_judge import SHIPPED_DIR
from litcheck.verify.ship import model_card


def test_the_card_states_the_ml_claims_figures_when_measured() -> None:
    card = json.loads((SHIPPED_DIR / "card.json").read_text())
    ml = {"cites": {"claims": 96, "macro_f1": 0.7821}, "open": {"claims": 92, "macro_f1": 0.6642}}
    text = model_card(card, {"ml_claims": ml})
    line = next(x for x in text.splitlines() if "machine-learning papers" in x)
    assert "96 claims" in line and "0.782 citing" in line and "0.664 with open" in line
    assert "machine-learning papers (`benchmarks" not in model_card(card, {})
