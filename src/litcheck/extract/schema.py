"""Export the claim model as JSON Schema to ``data/schemas/claim.schema.json``.

Run ``python -m litcheck.extract.schema`` after changing :class:`litcheck.models.Claim`; a test
fails while the committed file differs from the model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from litcheck.models import Claim

__all__ = ["SCHEMA_PATH", "claim_schema", "render_schema", "write_schema"]

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "data" / "schemas" / "claim.schema.json"


def claim_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`~litcheck.models.Claim` (draft 2020-12, with an ``$id``)."""
    schema = Claim.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://litcheck.dev/schemas/claim.schema.json",
        **schema,
    }


def render_schema() -> str:
    """The schema file's exact text (sorted keys, two-space indent, final newline)."""
    return json.dumps(claim_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """Write the schema file atomically.

    Args:
        path: where to write it; default ``data/schemas/claim.schema.json``.

    Returns:
        The path written.
    """
    from litcheck.console import atomic_write_text

    atomic_write_text(path, render_schema())
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_PATH
    print(write_schema(target))
