"""JSON schemas of the report formats, exported from the pydantic models.

Regenerate after changing :mod:`litcheck.report.models`::

    python -m litcheck.report.schemas
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from litcheck.report.models import Report, ReverifyReport

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "data" / "schemas"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON schema of each report format."""
    out: dict[str, dict[str, Any]] = {}
    for name, model in (("report.schema.json", Report), ("reverify.schema.json", ReverifyReport)):
        schema = model.model_json_schema(mode="serialization")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://litcheck.invalid/schemas/{name}"
        out[name] = schema
    return out


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as written to disk (sorted keys, two-space indent, final newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into ``directory`` (atomically); returns the paths written."""
    from litcheck.console import atomic_write_text

    written = []
    for name, schema in schemas().items():
        path = directory / name
        atomic_write_text(path, schema_text(schema))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export_schemas():
        print(p)
