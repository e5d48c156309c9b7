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

REPORT_SCHEMA_VERSION = 2
REVERIFY_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaperVerdict(_Model):
    """What other papers say about a claim: the verifier's verdict against them alone."""

    paper: str = Field(
        description="arXiv id of the paper whose sentence decided (the strongest evidence's)."
    )
    papers: list[str] = Field(
        default_factory=list,
        description="Every paper searched (never the claim's own), in the report's order.",
    )
    verdict: Label
    confidence: float = Field(ge=0.0, le=1.0, description="Calibrated probability of the verdict.")
    evidence: list[Evidence] = Field(default_factory=list, description="Best sentences first.")
    reason: str | None = Field(default=None, description="The verifier's reason, when it gave one.")


Standing = Literal["corroborated", "contradicted", "single source"]


class Grounding(_Model):
    """Where a claim is stated: grounding, not verification (a paper never verifies itself)."""

    paper: str = Field(description="arXiv id (without version) of the paper that states it.")
    section: str | None = Field(default=None, description="Section it was read from.")
    passage_id: str | None = Field(default=None, description="Library passage holding it.")
    span: tuple[int, int] | None = Field(
        default=None, description="Character span of the sentence within that passage."
    )

    def label(self) -> str:
        """'stated in 2104.08645, §Abstract'."""
        return f"stated in {self.paper}" + (f", §{self.section}" if self.section else "")


class ReportClaim(_Model):
    """One row of the claims table."""

    id: str = Field(description="Claim id (stable hash of paper version, extractor, sentence).")
    claim: str = Field(description="The claim as extracted.")
    source: str | None = Field(description="arXiv id of the paper that makes the claim.")
    section: str | None = Field(default=None, description="Section of the source it came from.")
    grounding: Grounding | None = Field(
        default=None, description="Where the claim is stated (its source paper and section)."
    )
    relevance: float = Field(description="Relevance score to the question (see method).")
    standing: Standing = Field(
        description=(
            "corroborated (another paper decisively supports it), contradicted (another paper "
            "decisively contradicts it) or single source (no other paper decides it)."
        )
    )
    verdict: Label = Field(description="Verdict shown; see the report's method for the rule.")
    confidence: float | None = Field(
        ge=0.0,
        le=1.0,
        description=(
            "Verifier's calibrated probability of the verdict shown; null when the verdict is "
            "NOT_ENOUGH_INFO (single source, or an answer below 0.5)."
        ),
    )
    decided_by: str | None = Field(
        default=None, description="arXiv id of the other paper whose sentence gave the verdict."
    )
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Evidence from other papers than the source, best first (never the source).",
    )
    others: PaperVerdict | None = Field(
        default=None,
        description="The verification against the report's other papers; null when there were "
        "none to search.",
    )
    corroborated_by: list[str] = Field(
        default_factory=list, description="Other papers whose sentences support the claim."
    )
    contradicted_by: list[str] = Field(
        default_factory=list, description="Other papers whose sentences contradict the claim."
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

    @model_validator(mode="after")
    def _never_self_verified(self) -> ReportClaim:
        # Agreement of a paper with itself is grounding, not corroboration.
        if self.source is not None and (
            self.decided_by == self.source
            or self.source in self.corroborated_by
            or self.source in self.contradicted_by
            or any(e.paper == self.source for e in self.evidence)
        ):
            raise ValueError(f"claim {self.id} is verified against its own paper {self.source}")
        return self

    @property
    def agreeing(self) -> list[str]:
        """Other papers that support the claim (alias of ``corroborated_by``)."""
        return list(self.corroborated_by)

    @property
    def disagreeing(self) -> list[str]:
        """Other papers that contradict the claim (alias of ``contradicted_by``)."""
        return list(self.contradicted_by)


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


class SlotClaim(_Model):
    """One side of a contradiction: a claim with the figure it states, and its quote."""

    claim_id: str
    row: int | None = Field(default=None, description="Its number in the claims table (1-based).")
    paper: str = Field(description="arXiv id of the paper that states it.")
    section: str | None = None
    quote: str = Field(description="The sentence, as the paper states it.")
    figure: str = Field(description="The figure or direction as written, e.g. '+14.6%'.")


class Contradiction(_Model):
    """Two claims of different papers that fill the same slot incompatibly."""

    slot: str = Field(
        description="The slot both fill: metric, dataset, language, setting, model, method, "
        "baseline (those stated), e.g. 'accuracy · XNLI · XLM-R over mBERT'."
    )
    kind: Literal["values", "direction"] = Field(
        description="values: incompatible figures; direction: one says up, the other down."
    )
    first: SlotClaim
    second: SlotClaim
    reason: str = Field(description="Why the two cannot both hold, in figures.")


class Report(_Model):
    """A synthesis report: the JSON format of `litcheck report --format json`."""

    schema_version: Literal[2] = 2
    question: str
    generated_at: datetime
    summary: list[str] = Field(
        default_factory=list,
        description="The answer to the question in sentences, citing claims by their number.",
    )
    method: ReportMethod
    papers: list[ReportPaper]
    claims: list[ReportClaim]
    contradictions: list[Contradiction] = Field(
        description="Pairs of claims of different papers that fill the same slot (metric, "
        "dataset, language, setting, model) with incompatible values or opposite directions."
    )
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
    grid_warning: str | None = Field(
        default=None,
        description="Set when the runs of one task come from different grids (configs that "
        "differ in more than method, intermediate subset and seed); also one of the notes.",
    )


Report.model_rebuild()
