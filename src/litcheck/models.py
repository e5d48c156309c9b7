"""The types that cross stages: papers, passages, claims, quantities, verdicts, run results.

Everything here is a pydantic model so that it validates on the way in (JSONL imports, LLM
answers, results files) and serialises to the JSON that users and scripts read.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Section(Frozen):
    """A section of a paper's full text."""

    number: str | None = Field(default=None, description="Section number as printed, e.g. '4.2'.")
    title: str = Field(description="Section heading, e.g. 'Experiments'.")
    text: str = Field(description="Plain text of the section, tables and captions included.")


class Passage(Frozen):
    """A retrievable unit of text: a paragraph or a window of sentences of one section."""

    id: str = Field(description="Stable id: '<paper_id>:<section_index>:<passage_index>'.")
    paper_id: str = Field(description="arXiv id without version.")
    section_index: int = Field(ge=0)
    section_title: str
    index: int = Field(ge=0, description="Position of the passage within its section.")
    start: int = Field(ge=0, description="Character offset of the passage in its section text.")
    end: int = Field(ge=0, description="End offset (exclusive) in the section text.")
    text: str
    kind: Literal["paragraph", "table", "caption", "abstract"] = "paragraph"


class Paper(Frozen):
    """A paper's metadata and, once fetched, its full text."""

    arxiv_id: str = Field(description="Canonical arXiv id without version, e.g. '2104.08645'.")
    version: int | None = Field(default=None, description="Latest version seen, e.g. 2 for v2.")
    title: str
    authors: list[str] = Field(default_factory=list)
    abstract: str = ""
    categories: list[str] = Field(default_factory=list)
    primary_category: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    sections: list[Section] = Field(default_factory=list)
    full_text_source: str | None = Field(
        default=None,
        description="Source of the full text: html, ar5iv, pdf, import; None = abstract only.",
    )

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.versioned_id}"


class ClaimKind(str, Enum):
    RESULT = "result"
    COMPARISON = "comparison"
    METHOD = "method"
    DATASET = "dataset"
    BACKGROUND = "background"
    DEFINITION = "definition"
    LIMITATION = "limitation"


class Quantity(Frozen):
    """A figure a claim states, with the slot (metric, dataset, language, ...) it belongs to."""

    # Figures are finite (allow_inf_nan=False): JSON has no Infinity, and an out-of-range
    # number is kept as text (numeric=False) instead.
    value: float | None = Field(
        default=None, allow_inf_nan=False, description="The stated value, e.g. 74.4."
    )
    delta: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="A stated change, signed: +2.1 for 'improves by 2.1 points'.",
    )
    low: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="Lower end of a range ('between 3 and 5', '3-5%'; of a change's size when "
        "direction is set).",
    )
    high: float | None = Field(
        default=None, allow_inf_nan=False, description="Upper end of a range."
    )
    error: float | None = Field(
        default=None, allow_inf_nan=False, description="Stated uncertainty, e.g. 0.3 for ±0.3."
    )
    baseline_value: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="The value a change starts from: 72.3 in 'rises from 72.3 to 74.4'.",
    )
    relative: bool = Field(
        default=False,
        description="A relative change ('a 2.4% relative improvement'): a share of the baseline "
        "value, not points.",
    )
    direction: Literal["increase", "decrease", "none"] = Field(
        default="none", description="Which way a stated change goes; 'none' for values."
    )
    bound: Literal["at most", "at least"] | None = Field(
        default=None,
        description="The figure bounds the quantity: 'within 1.1 points' (at most, a difference), "
        "'more than 9 BLEU' (at least).",
    )
    numeric: bool = Field(
        default=True,
        description="False when the number cannot be compared as a number (out of range, e.g. "
        "1e999): it is kept as text, with the reason in note.",
    )
    note: str | None = Field(default=None, description="Why the figure is not numeric.")
    unit: Literal["%", "points", "absolute", "x"] | None = Field(
        default=None, description="'%' for percentages, 'points' for point changes, 'x' for ratios."
    )
    precision: int = Field(default=0, ge=0, description="Decimal places as written (tolerance).")
    metric: str | None = Field(default=None, description="accuracy, F1, BLEU, EM, ...")
    dataset: str | None = Field(default=None, description="PAWS-X, XNLI, MLQA, ...")
    languages: list[str] = Field(default_factory=list, description="ISO 639-1 codes.")
    model: str | None = None
    method: str | None = None
    baseline: str | None = Field(default=None, description="What a delta is measured against.")
    setting: str | None = Field(
        default=None, description="zero-shot, few-shot, generalized, translate-train, ..."
    )
    text: str = Field(default="", description="The span the quantity was read from.")


class Claim(Frozen):
    """A statement extracted from a paper (or given by a user) that can be checked."""

    id: str = Field(description="Stable id: hash of paper version, extractor and sentence.")
    text: str
    paper_id: str | None = None
    paper_version: int | None = None
    section: str | None = None
    passage_id: str | None = None
    span: tuple[int, int] | None = Field(
        default=None, description="Character span of the sentence within its passage."
    )
    kind: ClaimKind = ClaimKind.RESULT
    polarity: Literal["positive", "negative"] = "positive"
    hedging: list[str] = Field(default_factory=list, description="Hedge cues, e.g. ['may'].")
    quantities: list[Quantity] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list, description="arXiv ids the claim rests on.")
    extractor: str = Field(default="user", description="Extractor name and version.")
    context: str | None = Field(
        default=None, description="Row/column labels for claims read from a table."
    )

    @staticmethod
    def make_id(paper_versioned_id: str, extractor: str, text: str) -> str:
        digest = hashlib.sha1(f"{paper_versioned_id}\x1f{extractor}\x1f{text}".encode()).hexdigest()
        return f"c_{digest[:16]}"


class Label(str, Enum):
    SUPPORTED = "SUPPORTED"
    CONTRADICTED = "CONTRADICTED"
    NOT_ENOUGH_INFO = "NOT_ENOUGH_INFO"


class Evidence(Frozen):
    """A sentence from a paper that bears on a claim."""

    paper: str = Field(description="arXiv id of the paper the sentence comes from.")
    section: str | None = None
    text: str
    score: float = Field(description="Retrieval or judge score of this sentence.")
    passage_id: str | None = None
    start: int | None = Field(
        default=None, ge=0, description="Character offset of the sentence in its passage's text."
    )
    end: int | None = Field(
        default=None, ge=0, description="End offset (exclusive) in the passage."
    )
    role: Literal["supports", "contradicts", "closest", "figure"] | None = Field(
        default=None,
        description="What the sentence does for the verdict: the sentence it rests on "
        "(supports / contradicts / figure) or, for NOT_ENOUGH_INFO, the closest one found.",
    )


class Verdict(Frozen):
    """The verifier's decision on one claim."""

    id: str
    claim: str
    verdict: Label
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated probability of the verdict.")
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="Why, when the numeric checker decided.")
    judge: str | None = Field(default=None, description="Which judge decided (model or fallback).")
    checked: bool = Field(
        default=True,
        description="False when the claim could not be checked (empty, too long, cited papers "
        "unavailable): its confidence then means nothing and is not shown.",
    )
    leaning: Label | None = Field(
        default=None,
        description="For NOT_ENOUGH_INFO given because the evidence was too weak to decide: the "
        "verdict the judge leaned to.",
    )
    leaning_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0, description="The confidence of that leaning."
    )


class RunResult(Frozen):
    """One measured figure of an experiment run; the rows of a run's results.json."""

    run_id: str
    task: str = Field(description="pawsx or xnli.")
    metric: str = Field(description="accuracy, robust_accuracy, ...")
    language: str = Field(description="ISO code, or a group name: romance, germanic, other, all.")
    method: str = Field(description="plain, rs_da, rs_rp, at.")
    intermediate: str = Field(description="none, english, romance, germanic, germanic_en.")
    seed: int
    value: float = Field(description="Fraction in [0, 1] for accuracies.")
    split: str = Field(default="eval")
