"""The library: SQLite store of papers, passages, claims and embeddings."""

from litcheck.library.chunking import make_passages
from litcheck.library.store import SCHEMA_VERSION, Library, fts_terms, open_library

__all__ = ["SCHEMA_VERSION", "Library", "fts_terms", "make_passages", "open_library"]
