"""LLM extractor against a mock OpenAI-compatible endpoint (no network)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from litcheck.errors import ExtractionError
from litcheck.extract.llm import LLMExtractor, load_prompt
from litcheck.models import ClaimKind, Paper, Passage
from litcheck.settings import Settings

PAPER = Paper(arxiv_id="2104.08645", version=2, title="Robust training")
TEXT = "Robust training improves accuracy by 2.1 points on PAWS-X. See Table 2."
PASSAGE = Passage(
    id="2104.08645:0:0",
    paper_id="2104.08645",
    section_index=0,
    section_title="Abstract",
    index=0,
    start=0,
    end=len(TEXT),
    text=TEXT,
    kind="abstract",
)
GOOD = {
    "claims": [
        {
            "text": "Robust training improves accuracy by 2.1 points on PAWS-X.",
            "kind": "result",
            "quantities": [{"delta": 2.1, "unit": "points", "dataset": "PAWS-X"}],
        }
    ]
}


def settings(**kw: Any) -> Settings:
    return Settings(llm_base_url="http://127.0.0.1:9/v1", llm_model="m", **kw)


def client(answers: list[str], seen: list[dict[str, Any]]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        content = answers[min(len(seen) - 1, len(answers) - 1)]
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_valid_answer_becomes_claims() -> None:
    seen: list[dict[str, Any]] = []
    with LLMExtractor(settings(), client=client([json.dumps(GOOD)], seen)) as llm:
        claims = llm.extract_claims(PAPER, [PASSAGE])
    assert len(seen) == 1 and seen[0]["model"] == "m" and seen[0]["temperature"] == 0
    assert TEXT in seen[0]["messages"][1]["content"]
    (claim,) = claims
    assert claim.extractor == "llm/1" and claim.kind == ClaimKind.RESULT
    assert claim.span == (0, len(claim.text)) and claim.quantities[0].delta == 2.1


def test_invalid_json_is_retried_once_with_the_error() -> None:
    seen: list[dict[str, Any]] = []
    answers = ["not json", "```json\n" + json.dumps(GOOD) + "\n```"]
    with LLMExtractor(settings(), client=client(answers, seen)) as llm:
        claims = llm.extract_claims(PAPER, [PASSAGE])
    assert len(seen) == 2 and "not valid" in seen[1]["messages"][-1]["content"]
    assert len(claims) == 1


def test_twice_invalid_is_skipped_with_a_warning() -> None:
    seen: list[dict[str, Any]] = []
    warnings: list[str] = []
    bad = json.dumps({"claims": [{"text": "", "kind": "opinion"}]})
    with LLMExtractor(settings(), client=client([bad], seen)) as llm:
        assert llm.extract_claims(PAPER, [PASSAGE], on_warning=warnings.append) == []
    assert len(seen) == 2 and "2104.08645" in warnings[0] and "skipped" in warnings[0]


def test_configuration_errors() -> None:
    with pytest.raises(ExtractionError, match="LITCHECK_LLM_BASE_URL"):
        LLMExtractor(Settings())
    with pytest.raises(ExtractionError, match="OFFLINE"):
        LLMExtractor(Settings(llm_base_url="https://api.example.com/v1", offline=True))
    system, user = load_prompt()
    assert "JSON" in system and "{passage}" in user


def test_endpoint_error_is_an_extraction_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="boom")

    mock = httpx.Client(transport=httpx.MockTransport(handler))
    with (
        LLMExtractor(settings(), client=mock) as llm,
        pytest.raises(ExtractionError, match="failed"),
    ):
        llm.extract_claims(PAPER, [PASSAGE])
