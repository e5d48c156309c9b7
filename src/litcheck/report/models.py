"""The types of a synthesis report and of a reverify report (exported as JSON schemas).

A report row's confidence is the verifier's calibrated probability of the verdict shown, never a
decoration: :class:`ReportClaim` refuses a SUPPORTED or CONTRADICTED verdict whose confidence is
below :data:`DECISIVE_MIN` (the pipeline turns such verdicts into NOT_ENOUGH_INFO first), so a
"✓ 0.16" row cannot be built.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from litcheck.models import Evidence, Label
from litcheck.report.scorecard import Scorecard
from litcheck.report.search_flow import SearchFlow
from litcheck.verify.citations import CitationCheck

#: A decisive verdict (SUPPORTED / CONTRADICTED) needs at least this calibrated probability.
DECISIVE_MIN = 0.5

REPORT_SCHEMA_VERSION = 1
REVERIFY_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaperVerdict(_Model):
    """What one paper says about a claim: the verifier's verdict against that paper alone."""

    paper: str = Field(description="arXiv id (without version) of the paper checked.")
    verdict: Label
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated probability of the verdict.")
    evidence: list[Evidence] = Field(default_factory=list, description="Best sentences first.")


class ReportClaim(_Model):
    """One row of the claims table."""

    id: str = Field(description="Claim id (stable hash of paper version, extractor, sentence).")
    claim: str = Field(description="The claim as extracted.")
    source: str | None = Field(description="arXiv id of the paper that makes the claim.")
    section: str | None = Field(default=None, description="Section of the source it came from.")
    relevance: float = Field(description="Relevance score to the question (see method).")
    verdict: Label = Field(description="Verdict shown; see the report's method for the rule.")
    confidence: float | None = Field(
        ge=0.0,
        le=1.0,
        description=(
            "Verifier's calibrated probability of the verdict shown; null when the verdict is "
            "NOT_ENOUGH_INFO because the verifier's decisive answer fell below 0.5."
        ),
    )
    decided_by: str | None = Field(
        default=None, description="arXiv id of the paper whose verification gave the verdict."
    )
    evidence: list[Evidence] = Field(
        default_factory=list, description="Evidence of the deciding verification, best first."
    )
    own: PaperVerdict | None = Field(
        default=None, description="Verification against the source paper itself."
    )
    others: list[PaperVerdict] = Field(
        default_factory=list,
        description="Verifications against the other retrieved papers that were candidates.",
    )
    agreeing: list[str] = Field(
        default_factory=list, description="Other papers that support the claim."
    )
    disagreeing: list[str] = Field(
        default_factory=list, description="Other papers that contradict the claim."
    )
    note: str | None = Field(default=None, description="Why the verdict is what it is, if unusual.")

    @model_validator(mode="after")
    def _decisive_needs_confidence(self) -> ReportClaim:
        if self.verdict is not Label.NOT_ENOUGH_INFO and (
            self.confidence is None or self.confidence < DECISIVE_MIN
        ):
            raise ValueError(
                f"a {self.verdict.value} verdict needs a calibrated confidence >= {DECISIVE_MIN}, "
                f"got {self.confidence}"
            )
        return self


class ReportPaper(_Model):
    """One row of the papers table."""

    arxiv_id: str
    version: int | None = None
    title: str
    authors: list[str] = Field(default_factory=list)
    published: str | None = Field(default=None, description="Submission date, YYYY-MM-DD.")
    url: str
    full_text_source: str | None = Field(
        default=None, description="html, ar5iv, pdf, import, or null (abstract only)."
    )
    claims_extracted: int = Field(default=0, ge=0)
    claims_kept: int = Field(default=0, ge=0)


class StageTiming(_Model):
    """Wall time of one pipeline stage."""

    stage: str
    seconds: float = Field(ge=0.0)
    items: int = Field(default=0, ge=0, description="How many things the stage processed.")


class ReportMethod(_Model):
    """How the report was made: enough to rerun it and to judge it."""

    queries: list[str] = Field(description="Search queries sent (arXiv) or run (library).")
    source: Literal["arxiv", "library"] = Field(
        description="Where papers came from: arXiv search, or the local library (offline)."
    )
    since: str | None = Field(default=None, description="Only papers submitted on/after this.")
    max_papers: int
    papers_found: int = Field(ge=0)
    papers_with_full_text: int = Field(ge=0)
    claims_extracted: int = Field(ge=0)
    claims_relevant: int = Field(ge=0)
    claims_verified: int = Field(ge=0)
    relevance_threshold: float = Field(description="Minimum relevance score a claim needs.")
    relevance_rule: str = Field(description="How relevance is computed.")
    verdict_rule: str = Field(description="How the shown verdict is chosen.")
    embedding_model: str = Field(description="Embedding model name (and version).")
    extractor: str = Field(description="Claim extractor name and version.")
    verifier: str = Field(description="Verifier (judge) name and version.")
    litcheck_version: str
    timings: list[StageTiming] = Field(default_factory=list)


class Contradiction(_Model):
    """A claim of one paper that another retrieved paper contradicts."""

    claim_id: str
    claim: str
    source: str | None
    contradicted_by: list[PaperVerdict]
    supported_by: list[str] = Field(
        default_factory=list, description="Papers (the source included) that support it."
    )


class Report(_Model):
    """A synthesis report: the JSON format of `litcheck report --format json`."""

    schema_version: Literal[1] = 1
    question: str
    generated_at: datetime
    method: ReportMethod
    papers: list[ReportPaper]
    claims: list[ReportClaim]
    contradictions: list[Contradiction]
    limitations: list[str]
    measured: list[MeasuredFigure] = Field(
        default_factory=list,
        description="Reported-vs-measured figures, when a runs directory was given.",
    )
    search_flow: SearchFlow | None = Field(
        default=None,
        description=(
            "How the papers were found, PRISMA-style: queries and records per source, source "
            "failures, duplicates removed, papers screened out (with reasons), full texts read, "
            "papers that contributed claims. Null only in reports made before it was recorded."
        ),
    )
    scorecard: Scorecard | None = Field(
        default=None,
        description=(
            "Six measured dimensions (evidence strength, citation grounding, numerical "
            "consistency, benchmark validity, uncertainty disclosure, reproducibility), each "
            "with its formula and inputs; no overall score. Null only in older reports."
        ),
    )
    flagged_citations: list[CitationCheck] = Field(
        default_factory=list,
        description=(
            "Citations that cannot bear on their claim, with the reason (a row cites its source "
            "paper, the papers shown agreeing or disagreeing, and any arXiv id its claim names)."
        ),
    )


# -- reverify ------------------------------------------------------------------------------

Outcome = Literal["CONFIRMED", "REFUTED", "UNMATCHED"]


class Slot(_Model):
    """A cell of the experiment grid (one RunResult key without the seed)."""

    task: str
    metric: str
    language: str
    method: str
    intermediate: str
    split: str = "eval"

    def label(self) -> str:
        """Short human label, e.g. 'pawsx accuracy all rs_da/romance'."""
        return f"{self.task} {self.metric} {self.language} {self.method}/{self.intermediate}" + (
            "" if self.split == "eval" else f" [{self.split}]"
        )


class Measurement(_Model):
    """Mean and 95% t-interval of one slot (or of a difference of two slots) over seeds."""

    mean: float = Field(description="Mean over seeds, as a fraction.")
    low: float = Field(description="Lower end of the 95% t confidence interval.")
    high: float = Field(description="Upper end of the 95% t confidence interval.")
    n: int = Field(ge=1, description="Seeds.")
    seeds: list[int] = Field(default_factory=list)
    paired: bool | None = Field(
        default=None, description="For a difference: paired over common seeds, else Welch."
    )


class MeasuredFigure(_Model):
    """One figure of a report set beside the runs: the rows of `litcheck reverify`."""

    index: int = Field(ge=0, description="Position of the figure in the report's reading order.")
    claim: str = Field(description="The sentence or table row the figure comes from.")
    line: int | None = Field(default=None, description="Line in the report file, when known.")
    figure: str = Field(description="The figure as written, e.g. '74.4%' or '+2.1 points'.")
    kind: Literal["value", "delta"]
    reported: float = Field(description="The reported figure as a fraction (74.4% -> 0.744).")
    tolerance: float = Field(ge=0.0, description="Half a unit of the last digit written.")
    slot: Slot | None = None
    baseline: Slot | None = Field(default=None, description="For a delta: what it is against.")
    measured: Measurement | None = None
    outcome: Outcome
    reason: str = Field(description="Why: the interval test, or what could not be matched.")


class SkippedFile(_Model):
    """A results file of the runs directory that could not be read."""

    path: str
    reason: str


class ReverifyReport(_Model):
    """The JSON format of `litcheck reverify --format json`."""

    schema_version: Literal[1] = 1
    report: str = Field(description="The report file checked.")
    report_kind: Literal["litcheck-json", "litcheck-markdown", "table", "prose"]
    runs: str = Field(description="The runs directory.")
    generated_at: datetime
    results_files: list[str] = Field(description="Results files read.")
    skipped_files: list[SkippedFile] = Field(default_factory=list)
    slots_measured: int = Field(ge=0, description="Distinct grid cells with at least one seed.")
    claims_read: int = Field(ge=0, description="Claims (rows or sentences) read from the report.")
    figures: list[MeasuredFigure]
    counts: dict[str, int] = Field(description="CONFIRMED / REFUTED / UNMATCHED counts.")
    notes: list[str] = Field(default_factory=list)


Report.model_rebuild()
