"""The one label map: every dataset's label spelling -> the verifier's three labels.

SciFact says SUPPORT/CONTRADICT, HealthVer Supports/Refutes/Neutral, SNLI entailment/neutral/
contradiction, SEM-TAB-FACTS entailed/refuted/unknown, COVID-Fact's RTE files entailment/
not_entailment (its not_entailment rows are the automatically refuted claims). All of them are
mapped here and nowhere else, so the model's output index means the same thing everywhere.
"""

from __future__ import annotations

from litcheck.models import Label

#: Model output order: index i of a judge's probability vector is LABELS[i].
LABELS: tuple[Label, Label, Label] = (
    Label.SUPPORTED,
    Label.CONTRADICTED,
    Label.NOT_ENOUGH_INFO,
)

_RAW: dict[str, Label] = {}
for _name in ("support", "supports", "supported", "entailment", "entailed", "true", "verified"):
    _RAW[_name] = Label.SUPPORTED
for _name in (
    "contradict",
    "contradicts",
    "contradicted",
    "contradiction",
    "refute",
    "refutes",
    "refuted",
    "false",
    "not_entailment",
):
    _RAW[_name] = Label.CONTRADICTED
for _name in (
    "neutral",
    "nei",
    "not_enough_info",
    "not enough info",
    "not enough information",
    "unknown",
    "not_enough_information",
):
    _RAW[_name] = Label.NOT_ENOUGH_INFO


def map_label(raw: str) -> Label:
    """Map a dataset's label name onto the verifier's labels.

    Args:
        raw: a label as a dataset writes it, any case ("SUPPORT", "Refutes", "neutral").

    Returns:
        The :class:`~litcheck.models.Label`.

    Raises:
        KeyError: for a label name no dataset here uses (a loader bug, not user input).
    """
    key = raw.strip().lower().replace("-", "_")
    if key in _RAW:
        return _RAW[key]
    return _RAW[key.replace("_", " ")]


def label_index(label: Label) -> int:
    """Position of ``label`` in a judge's probability vector."""
    return LABELS.index(label)
