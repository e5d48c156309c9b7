"""Exceptions a caller can catch by type.

Every error that a user can cause (bad input, a missing file, an unreachable service) is a
:class:`LitcheckError`; its message is one sentence that says what was wrong and what to do.
``cli.py`` turns these into a one-line message and exit code 2.
"""

from __future__ import annotations


class LitcheckError(Exception):
    """Base class of every error litcheck raises on purpose."""

    exit_code: int = 2


class BadInputError(LitcheckError):
    """The user gave input litcheck cannot use (a malformed id, an unreadable file, ...)."""


class ConfigError(LitcheckError):
    """A setting or config file is invalid."""


class LibraryError(LitcheckError):
    """The library file is missing, corrupted or from an unknown schema version."""


class NotFoundError(LitcheckError):
    """A paper, claim or run that was asked for does not exist."""


class RetrievalError(LitcheckError):
    """A remote source could not be reached or answered with something unusable.

    Attributes:
        url: the URL of the failing request, when there was one.
        retries: how many retries were made before giving up.
    """

    def __init__(self, message: str, url: str | None = None, retries: int = 0) -> None:
        super().__init__(message)
        self.url = url
        self.retries = retries


class OfflineError(RetrievalError):
    """A network request was needed but ``LITCHECK_OFFLINE`` forbids it."""


class ParseError(RetrievalError):
    """A response (Atom feed, HTML page, PDF) could not be parsed."""


class ExtractionError(LitcheckError):
    """Claims could not be extracted (e.g. an LLM endpoint answered with garbage twice)."""


class VerificationError(LitcheckError):
    """A claim could not be verified for a reason the user can fix (e.g. no model)."""


class ExperimentError(LitcheckError):
    """An experiment config, data directory or run directory is unusable."""
