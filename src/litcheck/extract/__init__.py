"""Extract stage: passages -> claims (offline extractor, LLM extractor, quantities, reports).

Public entry points:

- :func:`litcheck.extract.offline.extract_claims` — the default, deterministic extractor;
- :func:`litcheck.extract.quantities.parse_quantities` — numbers with their slots;
- :func:`litcheck.extract.report_table.parse_report` — a foreign report's claims table.

Submodules are imported lazily by callers so that ``import litcheck.extract`` stays cheap.
"""

from __future__ import annotations
