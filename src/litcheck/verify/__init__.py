"""Verify claims: hybrid evidence search, a calibrated three-way judge, a numeric checker.

Public entry points (heavy libraries load lazily, on first use):

- :func:`litcheck.verify.pipeline.verify_claims` — claims in, :class:`~litcheck.models.Verdict`
  out, evidence retrieved from the library;
- :func:`litcheck.verify.audit.audit_report` — re-verify a report's claims table;
- :func:`litcheck.verify.train.train_verifier` — fine-tune and calibrate the judge;
- :func:`litcheck.verify.judge.load_judge` — the trained judge, or the documented fallback.
"""

from __future__ import annotations

from litcheck.verify.labels import LABELS, label_index, map_label

__all__ = ["LABELS", "label_index", "map_label"]
