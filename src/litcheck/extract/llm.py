"""The optional LLM extractor: a versioned prompt sent to any OpenAI-compatible endpoint.

The prompt lives in ``prompts/extract_claims.v<N>.md`` (front matter, then a ``# System`` and
a ``# User`` part with ``{placeholders}``), not in code, so that a change of wording is a new
file and a new extractor version (``llm/1`` uses ``v1``). Each passage is one chat request;
the answer must be a JSON object ``{"claims": [...]}`` that validates against
:class:`LLMAnswer`. An invalid answer is retried once with the validation error appended; a
second failure skips the passage with a warning. Nothing else in litcheck needs this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from litcheck.errors import ExtractionError
from litcheck.models import Claim, ClaimKind, Paper, Passage, Quantity
from litcheck.settings import Settings

__all__ = ["PROMPT_VERSION", "LLMAnswer", "LLMExtractor", "load_prompt"]

PROMPT_VERSION = 1
PROMPTS_DIR = Path(__file__).resolve().parents[3] / "prompts"
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

Warn = Callable[[str], None]


class LLMClaim(BaseModel):
    """One claim as the model returns it (the extractor adds ids, spans and provenance)."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1)
    kind: ClaimKind = ClaimKind.RESULT
    polarity: Literal["positive", "negative"] = "positive"
    hedging: list[str] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)


class LLMAnswer(BaseModel):
    """The JSON object the prompt asks for."""

    model_config = ConfigDict(extra="ignore")

    claims: list[LLMClaim]


def load_prompt(version: int = PROMPT_VERSION, prompts_dir: Path | None = None) -> tuple[str, str]:
    """Read a prompt template and split it into its system and user parts.

    Args:
        version: the template version (``extract_claims.v<version>.md``).
        prompts_dir: where the templates are; default the repository's ``prompts/``.

    Returns:
        ``(system, user)`` templates with ``{placeholders}``.

    Raises:
        ExtractionError: when the file is missing or lacks a ``# System`` / ``# User`` part.
    """
    path = (prompts_dir or PROMPTS_DIR) / f"extract_claims.v{version}.md"
    if not path.is_file():
        raise ExtractionError(f"Prompt template {path} is missing; the LLM extractor needs it.")
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    parts = re.split(r"^# (System|User)\s*$", text, flags=re.MULTILINE)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if "System" not in sections or "User" not in sections:
        raise ExtractionError(f"Prompt template {path} needs a '# System' and a '# User' part.")
    return sections["System"], sections["User"]


def _parse_answer(content: str) -> LLMAnswer:
    body = content.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", body, flags=re.DOTALL)
    if fenced:
        body = fenced.group(1)
    return LLMAnswer.model_validate_json(body)


class LLMExtractor:
    """Extract claims through an OpenAI-compatible chat-completions endpoint.

    Args:
        settings: gives ``llm_base_url``, ``llm_model``, ``llm_api_key``, ``timeout``.
        client: an httpx client to use (tests pass one with a mock transport); by default one
            is made per extractor and closed by :meth:`close`.
        prompts_dir: where the prompt templates are.

    Raises:
        ExtractionError: when no endpoint is configured, or when ``offline`` is set and the
            endpoint is not on this machine.

    Example:
        >>> with LLMExtractor(settings) as llm:  # doctest: +SKIP
        ...     claims = llm.extract_claims(paper, passages)
    """

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        prompts_dir: Path | None = None,
    ) -> None:
        if not settings.llm_base_url:
            raise ExtractionError(
                "The LLM extractor needs an endpoint: set LITCHECK_LLM_BASE_URL (e.g. "
                "http://localhost:8000/v1), or use --extractor offline."
            )
        host = httpx.URL(settings.llm_base_url).host
        if settings.offline and host not in _LOCAL_HOSTS:
            raise ExtractionError(
                f"LITCHECK_OFFLINE is set and the LLM endpoint {settings.llm_base_url} is not "
                "local; unset it or use --extractor offline."
            )
        self.settings = settings
        self.name = f"llm/{PROMPT_VERSION}"
        self.system, self.user = load_prompt(PROMPT_VERSION, prompts_dir)
        self._own_client = client is None
        headers = (
            {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
        )
        self.client = client or httpx.Client(timeout=settings.timeout, headers=headers)

    def __enter__(self) -> LLMExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client if this extractor made it."""
        if self._own_client:
            self.client.close()

    def _chat(self, messages: list[dict[str, str]]) -> str:
        url = str(self.settings.llm_base_url).rstrip("/") + "/chat/completions"
        payload: dict[str, Any] = {
            "model": self.settings.llm_model,
            "messages": messages,
            "temperature": 0,
        }
        try:
            response = self.client.post(url, json=payload)
            response.raise_for_status()
            data = response.json()
            return str(data["choices"][0]["message"]["content"])
        except (httpx.HTTPError, KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
            raise ExtractionError(f"LLM endpoint {url} failed: {exc}") from exc

    def _ask(self, paper: Paper, passage: Passage, warn: Warn) -> LLMAnswer | None:
        user = self.user.format(
            paper_id=paper.versioned_id,
            section=passage.section_title,
            passage_kind=passage.kind,
            passage=passage.text,
            kinds=", ".join(f'"{k.value}"' for k in ClaimKind),
        )
        messages = [{"role": "system", "content": self.system}, {"role": "user", "content": user}]
        content = self._chat(messages)
        try:
            return _parse_answer(content)
        except ValidationError as first:
            # One retry, telling the model what was wrong with its answer.
            messages += [
                {"role": "assistant", "content": content},
                {
                    "role": "user",
                    "content": "Your answer is not valid for the schema: "
                    f"{first.errors(include_url=False)[:5]}. Reply with the corrected JSON "
                    "object only.",
                },
            ]
            try:
                return _parse_answer(self._chat(messages))
            except ValidationError as second:
                warn(
                    f"paper {paper.arxiv_id}: the LLM answered invalid JSON twice for passage "
                    f"{passage.id} ({second.error_count()} error(s)); skipped."
                )
                return None

    def extract_claims(
        self, paper: Paper, passages: Sequence[Passage], on_warning: Warn | None = None
    ) -> list[Claim]:
        """Extract the claims of one paper, one request per passage.

        Args:
            paper: the paper.
            passages: its passages.
            on_warning: called with one line per skipped passage or unusable claim.

        Returns:
            Claims whose text occurs in the passage get its span; others keep ``span=None``.

        Raises:
            ExtractionError: when the endpoint cannot be reached or answers with an error.
        """
        warn = on_warning or (lambda _: None)
        if not passages:
            warn(f"paper {paper.arxiv_id} has no passages; nothing extracted.")
            return []
        claims: dict[str, Claim] = {}
        for passage in passages:
            answer = self._ask(paper, passage, warn)
            if answer is None:
                continue
            for item in answer.claims:
                text = item.text.strip()
                start = passage.text.find(text)
                claim = Claim(
                    id=Claim.make_id(paper.versioned_id, self.name, text),
                    text=text,
                    paper_id=paper.arxiv_id,
                    paper_version=paper.version,
                    section=passage.section_title,
                    passage_id=passage.id,
                    span=(start, start + len(text)) if start >= 0 else None,
                    kind=item.kind,
                    polarity=item.polarity,
                    hedging=item.hedging,
                    quantities=item.quantities,
                    extractor=self.name,
                )
                claims.setdefault(claim.id, claim)
        return list(claims.values())
