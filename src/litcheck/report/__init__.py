"""Synthesis reports (question -> papers -> claims -> verdicts) and ``reverify`` of figures.

Public entry points:

- :func:`litcheck.report.pipeline.build_report` — build a :class:`~litcheck.report.models.Report`
  from a question, with pluggable paper source, extractor, embedder and verifier;
- :func:`litcheck.report.slots.slot_contradictions` — contradictions between papers, slot by
  slot; :func:`litcheck.report.summary.summarize` — the summary in sentences;
- :func:`litcheck.report.markdown.write_markdown`, :func:`~litcheck.report.markdown.write_json`,
  :func:`litcheck.report.html.write_html` — the three formats;
- :func:`litcheck.report.reverify.reverify` — a report's figures against a runs directory;
- :func:`litcheck.report.schemas.export_schemas` — the JSON schemas under ``data/schemas/``.
"""

from __future__ import annotations

from litcheck.report.models import (
    DECISIVE_MIN,
    MeasuredFigure,
    Report,
    ReportClaim,
    ReverifyReport,
)

__all__ = ["DECISIVE_MIN", "MeasuredFigure", "Report", "ReportClaim", "ReverifyReport"]
