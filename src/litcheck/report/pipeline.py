"""From a question to a :class:`~litcheck.report.models.Report`.

Stages (each timed, each with a progress bar): expand the question into queries, find papers
(arXiv or the library), extract claims, keep the relevant ones, pick corroboration candidates,
verify every claim against its own paper and its candidates, then assemble the rows, the
contradictions and the limitations from what happened.

Relevance (documented in every report's method): ``0.7 * cos(question, claim) + 0.3 * keywords``
where ``keywords`` is the share of the question's key phrases that the claim mentions (a phrase
counts when one of its stems, or a synonym's, occurs in the claim). Claims scoring at least
:data:`RELEVANCE_THRESHOLD` are kept, best first, at most ``max_claims``.

Verdict shown (also documented): a claim taken from paper P is *grounded* in P ("stated in P,
§section"), never verified by it. Its verdict comes only from the report's other papers: the
claims of P are verified with ``cites`` = every other paper of the report (never P), so the
retrieval cannot reach P's passages, and evidence from P (or a verbatim copy of the claim)
would be dropped if any came back. An answer is *decisive* when it is SUPPORTED or CONTRADICTED
with calibrated confidence >= 0.5: SUPPORTED makes the claim *corroborated* by the paper of its
strongest evidence sentence, CONTRADICTED makes it *contradicted* by it; anything else (no other
paper, NOT_ENOUGH_INFO, a weaker answer) leaves it *single source*, shown as NOT_ENOUGH_INFO.
The confidence shown is always the probability of one real verifier answer.

A *contradiction between papers* is listed only when two claims of different papers fill the
same slot (metric, dataset, language, setting, model / method, baseline: read from their
quantities) with incompatible values or opposite directions (:mod:`litcheck.report.slots`),
with both quotes. The summary (:mod:`litcheck.report.summary`) answers the question in
sentences and cites the corroborated and contested claims by number.

Every report also records its search flow (:mod:`litcheck.report.search_flow`) and its
scorecard (:mod:`litcheck.report.scorecard`). For the scorecard, each row is scored on the
answer of the other papers (its verdict, calibrated confidence and evidence; a row whose answer
fell below 0.5, or that no other paper decides, counts as NOT_ENOUGH_INFO), so only independent
corroboration counts; a row *cites* its source paper, the papers it shows as corroborating or
contradicting it, and any arXiv id its claim names; each citation is
checked with :func:`~litcheck.verify.citations.check_citations` (TF-IDF similarity unless a
sentence-embedding model is loaded) against the evidence of a decisive answer. With ``runs`` the
claims' figures are set beside the runs (``reverify``) and the reproducibility dimension is
measured.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from litcheck import __version__
from litcheck.console import progress
from litcheck.errors import BadInputError
from litcheck.library import Library
from litcheck.models import Claim, Label, Paper, Verdict
from litcheck.report.components import (
    ClaimExtractor,
    ClaimVerifier,
    Embedder,
    FoundPapers,
    PaperSource,
)
from litcheck.report.models import (
    DECISIVE_MIN,
    Grounding,
    MeasuredFigure,
    PaperVerdict,
    Report,
    ReportClaim,
    ReportMethod,
    ReportPaper,
    StageTiming,
)
from litcheck.report.query import ExpandedQuery, expand_query, stem
from litcheck.report.runs import RunsIndex, load_runs
from litcheck.report.scorecard import Scorecard, build_scorecard
from litcheck.report.search_flow import FlowQuery, ScreenedPaper, SearchFlow
from litcheck.report.slots import slot_contradictions
from litcheck.report.summary import summarize
from litcheck.verify.citations import CitationCheck, TextEmbedder, check_citations

RELEVANCE_THRESHOLD = 0.30
RELEVANCE_WEIGHT_EMBEDDING = 0.7
MAX_CLAIMS = 60
EVIDENCE_KEPT = 3

RELEVANCE_RULE = (
    f"relevance = {RELEVANCE_WEIGHT_EMBEDDING} x cosine(question, claim) + "
    f"{1 - RELEVANCE_WEIGHT_EMBEDDING:.1f} x share of the question's key phrases the claim "
    "mentions; claims at or above the threshold are kept, best first"
)
VERDICT_RULE = (
    "a claim from paper P is stated in P (grounding) and verified only against the report's "
    "other papers (cites = every paper but P); an answer is decisive when SUPPORTED or "
    f"CONTRADICTED with confidence >= {DECISIVE_MIN}: SUPPORTED means corroborated by the paper "
    "of the strongest evidence, CONTRADICTED contradicted by it, anything else single source "
    "(shown NOT_ENOUGH_INFO); confidence is that answer's calibrated probability"
)


@dataclass
class ReportOptions:
    """Knobs of :func:`build_report`.

    Attributes:
        max_papers: most papers to include.
        since: only papers submitted on or after this date.
        max_claims: most claims to verify (the most relevant).
        relevance_threshold: minimum relevance score of a kept claim.
        now: the report's timestamp (inject a fixed one for reproducible output).
        clock: a monotonic clock for stage timings (inject a fake one in tests).
        runs: a runs directory: the claims' figures are set beside it (``measured``) and the
            scorecard's reproducibility is measured.
    """

    max_papers: int = 10
    since: date | None = None
    max_claims: int = MAX_CLAIMS
    relevance_threshold: float = RELEVANCE_THRESHOLD
    now: datetime | None = None
    clock: Callable[[], float] = time.perf_counter
    runs: Path | None = None


@dataclass
class _Timer:
    clock: Callable[[], float]
    timings: list[StageTiming] = field(default_factory=list)
    _start: float = 0.0

    def start(self) -> None:
        self._start = self.clock()

    def stop(self, stage: str, items: int) -> None:
        end = self.clock()
        self.timings.append(
            StageTiming(stage=stage, seconds=round(end - self._start, 3), items=items)
        )
        self._start = end


def build_report(
    question: str,
    lib: Library,
    source: PaperSource,
    extractor: ClaimExtractor,
    embedder: Embedder,
    verifier: ClaimVerifier,
    options: ReportOptions | None = None,
) -> Report:
    """Build a synthesis report for ``question``.

    Args:
        question: the research question (not empty).
        lib: the library the papers are stored in (passages for keyword search).
        source: where papers come from (:class:`~litcheck.report.sources.ArxivSource` or
            :class:`~litcheck.report.sources.LibrarySource`).
        extractor: turns papers into claims.
        embedder: embeds the question and the claims (relevance).
        verifier: judges claims against papers (calibrated confidence).
        options: sizes, date filter, threshold, injectable timestamp and clock.

    Returns:
        The report; with no papers or no relevant claims it says so in its limitations.

    Raises:
        BadInputError: when the question is empty or has no key terms.

    Example:
        >>> report = build_report("How does robust training change cross-lingual transfer?",
        ...                       lib, LibrarySource(lib, emb), extractor, emb, verifier)
        >>> write_markdown(report)  # doctest: +SKIP
    """
    opts = options or ReportOptions()
    question = question.strip()
    if not question:
        raise BadInputError(
            "The question is empty; ask something, e.g. `litcheck report "
            '"How does robust training change cross-lingual transfer?"`.'
        )
    if opts.max_papers < 1:
        raise BadInputError(f"--max-papers must be at least 1 (got {opts.max_papers}).")
    # Read the runs first: a bad runs directory fails before any paper is searched.
    runs_index = load_runs(opts.runs) if opts.runs is not None else None
    timer = _Timer(opts.clock)
    timer.start()
    query = expand_query(question)
    if not query.phrases:
        raise BadInputError(
            f"The question {question!r} has no key terms to search for; name the topic, "
            "e.g. 'robust training cross-lingual transfer'."
        )
    timer.stop("expand query", len(query.phrases))

    found = source.find(query, opts.max_papers, opts.since)
    timer.stop("find papers", len(found.papers))
    papers = found.papers

    claims_by_paper: dict[str, list[Claim]] = {}
    with progress(transient=True) as bar:
        task = bar.add_task("Extracting claims", total=len(papers))
        for paper in papers:
            claims_by_paper[paper.arxiv_id] = extractor.extract(
                paper, lib.passages([paper.arxiv_id])
            )
            bar.advance(task)
    all_claims = [c for p in papers for c in claims_by_paper[p.arxiv_id]]
    timer.stop("extract claims", len(all_claims))

    relevance = score_relevance(query, all_claims, embedder, lib)
    ranked = sorted(
        (i for i in range(len(all_claims)) if relevance[i] >= opts.relevance_threshold),
        key=lambda i: (-relevance[i], i),
    )
    n_relevant = len(ranked)
    kept = [all_claims[i] for i in ranked[: opts.max_claims]]
    kept_rel = {all_claims[i].id: float(relevance[i]) for i in ranked[: opts.max_claims]}
    timer.stop("relevance filter", len(all_claims))

    paper_ids = [p.arxiv_id for p in papers]
    answers = verify_against_others(verifier, kept, paper_ids)
    timer.stop("verify", sum(1 for a in answers.values() if a[1] is not None))

    # "assemble": the rows, their figures against the runs, citation checks and scorecard.
    rows = [assemble_row(claim, kept_rel[claim.id], *answers[claim.id]) for claim in kept]
    numbers = {row.id: i for i, row in enumerate(rows, 1)}
    contradictions = slot_contradictions(kept, numbers)
    measured = measure_rows(rows, runs_index) if runs_index is not None else None
    citation_embedder = (
        None
        if embedder.name.startswith("hashing")
        else MemoEmbedder(embedder, _claim_vectors(lib, embedder, kept))
    )
    checks = check_row_citations(lib, kept, rows, citation_embedder)
    card = report_scorecard(kept, rows, checks, measured)
    timer.stop("assemble", len(rows))

    method = ReportMethod(
        queries=found.queries,
        source="arxiv" if source.kind == "arxiv" else "library",
        since=opts.since.isoformat() if opts.since else None,
        max_papers=opts.max_papers,
        papers_found=len(papers),
        papers_with_full_text=sum(1 for p in papers if p.full_text_source),
        claims_extracted=len(all_claims),
        claims_relevant=n_relevant,
        claims_verified=len(rows),
        relevance_threshold=opts.relevance_threshold,
        relevance_rule=RELEVANCE_RULE,
        verdict_rule=VERDICT_RULE,
        embedding_model=embedder.name,
        extractor=extractor.name,
        verifier=verifier.name,
        litcheck_version=__version__,
        timings=timer.timings,
    )
    kept_per_paper: dict[str, int] = {}
    for row in rows:
        if row.source:
            kept_per_paper[row.source] = kept_per_paper.get(row.source, 0) + 1
    paper_rows = [
        _paper_row(p, len(claims_by_paper[p.arxiv_id]), kept_per_paper.get(p.arxiv_id, 0))
        for p in papers
    ]
    report = Report(
        question=question,
        generated_at=opts.now or datetime.now(UTC).replace(microsecond=0),
        method=method,
        papers=paper_rows,
        claims=rows,
        summary=summarize(query, rows, contradictions),
        contradictions=contradictions,
        limitations=limitations(found, papers, claims_by_paper, rows, n_relevant, opts, method),
        measured=measured or [],
        scorecard=card,
        flagged_citations=[c for per in checks for c in per if c.flagged],
    )
    return report.model_copy(update={"search_flow": flow_from_report(report, found.flow)})


def flow_from_report(report: Report, flow: SearchFlow | None = None) -> SearchFlow:
    """Complete a flow (or build one) from a finished report.

    Without ``flow`` (a single-source report), the queries are the report's method queries and
    the records its papers. Papers whose claims all fell below the relevance threshold are
    screened out as off-topic; papers with no claim extracted as "no text" (no full text, or
    nothing checkable in it).

    Args:
        report: the report.
        flow: the flow of its search, when one was recorded.

    Returns:
        The flow with screening, full texts read and papers that contributed claims.
    """
    m = report.method
    base = flow or SearchFlow(
        queries=[FlowQuery(source=m.source, query=q, records=0) for q in m.queries],
        records_per_source={m.source: m.papers_found},
    )
    screened = list(base.screened_out)
    for p in report.papers:
        if p.claims_extracted == 0:
            detail = (
                "abstract only, no claim extracted"
                if not p.full_text_source
                else ("no checkable claim in its text")
            )
            screened.append(
                ScreenedPaper(paper=p.arxiv_id, title=p.title, reason="no text", detail=detail)
            )
        elif p.claims_kept == 0:
            screened.append(
                ScreenedPaper(
                    paper=p.arxiv_id,
                    title=p.title,
                    reason="off-topic",
                    detail=f"none of its {p.claims_extracted} claims reached relevance "
                    f"{m.relevance_threshold:.2f}",
                )
            )
    return base.model_copy(
        update={
            "screened_out": screened,
            "full_texts_read": [p.arxiv_id for p in report.papers if p.full_text_source],
            "contributed_claims": [p.arxiv_id for p in report.papers if p.claims_kept > 0],
        }
    )


class MemoEmbedder:
    """An embedder that encodes each distinct text once (citation checks repeat paper texts).

    Args:
        inner: the embedder doing the work.
        known: vectors already computed, by text (e.g. the claims' from the relevance stage).
    """

    def __init__(
        self, inner: TextEmbedder, known: dict[str, NDArray[np.float32]] | None = None
    ) -> None:
        self.inner = inner
        self.known: dict[str, NDArray[np.float32]] = dict(known or {})

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit rows for ``texts``; only texts not seen before reach the inner embedder."""
        todo = [t for t in dict.fromkeys(texts) if t not in self.known]
        if todo:
            for text, vec in zip(todo, self.inner.encode(todo), strict=True):
                self.known[text] = np.asarray(vec, dtype=np.float32)
        return np.stack([self.known[t] for t in texts]).astype(np.float32)


def _claim_vectors(
    lib: Library, embedder: Embedder, claims: Sequence[Claim]
) -> dict[str, NDArray[np.float32]]:
    """The claims' vectors cached by :func:`score_relevance`, by claim text."""
    cached = lib.get_embeddings(f"claim:{embedder.name}", [c.id for c in claims])
    return {c.text: cached[c.id] for c in claims if c.id in cached}


def measure_rows(rows: Sequence[ReportClaim], runs: RunsIndex) -> list[MeasuredFigure]:
    """The figures of the claims set beside the runs (``reverify`` over the claims table).

    Args:
        rows: the claims table.
        runs: the loaded runs directory (:func:`~litcheck.report.runs.load_runs`).

    Returns:
        One row per in-scope figure: CONFIRMED, REFUTED or UNMATCHED with the reason.
    """
    from litcheck.report.reverify import Unit, reverify_units

    return reverify_units([Unit(r.claim, None, r.source or "") for r in rows], runs)


def row_citations(claim: Claim, row: ReportClaim) -> list[str]:
    """What a row cites: its source paper, the papers it shows as corroborating or contradicting
    it, and the arXiv ids its claim names (in that order, no repeats)."""
    cited = [row.source] if row.source else []
    return list(dict.fromkeys([*cited, *row.corroborated_by, *row.contradicted_by, *claim.cites]))


def _deciding_answer(row: ReportClaim) -> PaperVerdict | None:
    """The other papers' answer that decided the row; ``None`` for a single-source row."""
    if row.decided_by is None or row.others is None:
        return None
    return row.others.model_copy(update={"evidence": list(row.evidence)})


def scored_verdict(row: ReportClaim) -> Verdict:
    """The other papers' answer that decided a row, as the scorecard reads it.

    Its own label and calibrated confidence and its evidence (never from the row's source); a
    single-source row (nobody else decided it, or the answer fell below 0.5) is
    NOT_ENOUGH_INFO with confidence 0, so the scorecard counts only independent corroboration.
    """
    answer = _deciding_answer(row)
    if answer is None:
        return Verdict(id=row.id, claim=row.claim, verdict=Label.NOT_ENOUGH_INFO, confidence=0.0)
    return Verdict(
        id=row.id,
        claim=row.claim,
        verdict=answer.verdict,
        confidence=answer.confidence,
        evidence=list(answer.evidence),
    )


def check_row_citations(
    lib: Library,
    claims: Sequence[Claim],
    rows: Sequence[ReportClaim],
    embedder: TextEmbedder | None = None,
) -> list[list[CitationCheck]]:
    """Check every row's citations (:func:`row_citations`) against the row's evidence.

    Args:
        lib: the library holding the papers.
        claims: the kept claims, in the order of ``rows``.
        rows: the claims table.
        embedder: a sentence embedder (thresholds are set for all-MiniLM-L6-v2); TF-IDF when
            ``None``.

    Returns:
        Per row, one check per cited paper. Only a decisive answer's evidence counts as used.
    """
    out: list[list[CitationCheck]] = []
    with progress(transient=True) as bar:
        task = bar.add_task("Checking citations", total=len(rows))
        for claim, row in zip(claims, rows, strict=True):
            answer = _deciding_answer(row)
            used = answer.evidence if answer is not None and _decisive(answer) else []
            out.append(
                check_citations(
                    row.claim, row_citations(claim, row), lib, used, embedder, claim_id=row.id
                )
            )
            bar.advance(task)
    return out


def report_scorecard(
    claims: Sequence[Claim],
    rows: Sequence[ReportClaim],
    checks: Sequence[Sequence[CitationCheck]],
    measured: Sequence[MeasuredFigure] | None = None,
) -> Scorecard:
    """The scorecard of a report's claims table (see the module docstring for what is scored).

    Args:
        claims: the kept claims, in the order of ``rows`` (figures, hedges, citations).
        rows: the claims table.
        checks: per row, its citation checks (:func:`check_row_citations`).
        measured: reverify rows of the claims' figures, or ``None`` without runs.

    Returns:
        The :class:`~litcheck.report.scorecard.Scorecard`.
    """
    from litcheck.extract.quantities import parse_quantities

    scored = [
        c.model_copy(update={"cites": row_citations(c, r)})
        if c.quantities
        else c.model_copy(
            update={"cites": row_citations(c, r), "quantities": parse_quantities(c.text)}
        )
        for c, r in zip(claims, rows, strict=True)
    ]
    return build_scorecard(
        scored,
        [scored_verdict(r) for r in rows],
        citation_checks=checks,
        measured=measured,
    )


def score_relevance(
    query: ExpandedQuery,
    claims: Sequence[Claim],
    embedder: Embedder,
    lib: Library | None = None,
) -> list[float]:
    """Relevance of each claim to the question (see the module docstring for the rule).

    Args:
        query: the expanded question.
        claims: the candidate claims.
        embedder: embeds the question and the claims.
        lib: when given, claim vectors are cached in the library (keyed by claim id under
            ``claim:<model>``), so a second report over the same papers embeds nothing.

    Returns:
        One score per claim, in order.
    """
    if not claims:
        return []
    key = f"claim:{embedder.name}"
    cached = lib.get_embeddings(key, [c.id for c in claims]) if lib is not None else {}
    todo = [c for c in claims if c.id not in cached]
    with progress(transient=True) as bar:
        task = bar.add_task("Scoring relevance", total=len(claims))
        bar.advance(task, len(claims) - len(todo))
        qvec = embedder.encode([query.question])[0]
        for start in range(0, len(todo), 256):
            chunk = todo[start : start + 256]
            vecs = embedder.encode([c.text for c in chunk])
            fresh = {
                c.id: np.asarray(v, dtype=np.float32) for c, v in zip(chunk, vecs, strict=True)
            }
            cached.update(fresh)
            if lib is not None:
                lib.put_embeddings(key, list(fresh.items()))
            bar.advance(task, len(chunk))
    cos = np.stack([cached[c.id] for c in claims]) @ qvec
    phrase_stems = [
        {stem(w) for name in [p, *query.synonyms.get(p, [])] for w in re.split(r"[\s-]+", name)}
        for p in query.phrases
    ]
    scores: list[float] = []
    for i, claim in enumerate(claims):
        words = {stem(w) for w in re.findall(r"[a-z0-9]+", claim.text.lower())}
        hit = sum(1 for stems in phrase_stems if stems & words)
        kw = hit / len(phrase_stems) if phrase_stems else 0.0
        w = RELEVANCE_WEIGHT_EMBEDDING
        scores.append(round(w * float(cos[i]) + (1 - w) * kw, 4))
    return scores


def verify_against_others(
    verifier: ClaimVerifier, claims: Sequence[Claim], paper_ids: Sequence[str]
) -> dict[str, tuple[list[str], Verdict | None]]:
    """Verify each claim against the report's papers other than its own.

    The claims of one source paper go to the verifier in one call, with ``paper_ids`` = every
    other paper of the report (``cites`` in :func:`litcheck.verify.pipeline.verify_claims`), so
    the claim's own passages are never searched. A claim whose paper is the only one gets no
    call at all (an empty ``cites`` would mean "the whole library", own paper included).

    Args:
        verifier: the judge behind :class:`~litcheck.report.components.ClaimVerifier`.
        claims: the kept claims.
        paper_ids: the report's papers.

    Returns:
        claim id -> (papers searched, the verdict or ``None`` when there was nobody to ask).
    """
    by_source: dict[str | None, list[Claim]] = {}
    for claim in claims:
        by_source.setdefault(claim.paper_id, []).append(claim)
    out: dict[str, tuple[list[str], Verdict | None]] = {}
    with progress(transient=True) as bar:
        task = bar.add_task("Verifying claims against the other papers", total=len(claims))
        for source, batch in by_source.items():
            others = [p for p in paper_ids if p != _base_id(source)]
            if not others:
                for claim in batch:
                    out[claim.id] = ([], None)
                bar.advance(task, len(batch))
                continue
            verdicts = verifier.verify(batch, others)
            for claim, verdict in zip(batch, verdicts, strict=True):
                out[claim.id] = (others, verdict)
            bar.advance(task, len(batch))
    return out


def _base_id(pid: str | None) -> str | None:
    if pid is None:
        return None
    return re.sub(r"v\d+$", "", pid) if re.match(r"^\d{4}\.\d{4,5}v\d+$", pid) else pid


def _same_sentence(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()

    return norm(a) == norm(b)


def _decisive(v: PaperVerdict) -> bool:
    return v.verdict is not Label.NOT_ENOUGH_INFO and v.confidence >= DECISIVE_MIN


def assemble_row(
    claim: Claim,
    relevance: float,
    searched: Sequence[str] = (),
    verdict: Verdict | None = None,
) -> ReportClaim:
    """One claims-table row: grounded in its paper, decided by the others (module docstring).

    Args:
        claim: the claim.
        relevance: its relevance score.
        searched: the other papers it was verified against (never its own).
        verdict: the verifier's answer over ``searched``; ``None`` when nothing was searched.

    Returns:
        The row; a decisive label always carries a confidence >= 0.5 and evidence from another
        paper than the claim's.
    """
    source = _base_id(claim.paper_id)
    grounding = (
        Grounding(
            paper=source,
            section=claim.section,
            passage_id=claim.passage_id,
            span=claim.span,
        )
        if source is not None
        else None
    )
    base: dict[str, Any] = {
        "id": claim.id,
        "claim": claim.text,
        "source": source,
        "section": claim.section,
        "grounding": grounding,
        "relevance": relevance,
    }
    if verdict is None:
        return ReportClaim(
            **base,
            standing="single source",
            verdict=Label.NOT_ENOUGH_INFO,
            confidence=None,
            note="single source: the report has no other paper to check it against",
        )
    own = [e for e in verdict.evidence if _base_id(e.paper) == source]
    copies = [e for e in verdict.evidence if e not in own and _same_sentence(e.text, claim.text)]
    evidence = [e for e in verdict.evidence if e not in own and e not in copies][:EVIDENCE_KEPT]
    answer = PaperVerdict(
        paper=evidence[0].paper if evidence else next(iter(searched), ""),
        papers=list(searched),
        verdict=verdict.verdict,
        confidence=verdict.confidence,
        evidence=evidence,
        reason=verdict.reason,
    )
    n = len(searched)
    checked = f"checked against {n} other paper{'s' if n != 1 else ''}"
    if _decisive(answer) and evidence:
        decider = evidence[0].paper
        corroborated = answer.verdict is Label.SUPPORTED
        return ReportClaim(
            **base,
            standing="corroborated" if corroborated else "contradicted",
            verdict=answer.verdict,
            confidence=round(answer.confidence, 4),
            decided_by=decider,
            evidence=evidence,
            others=answer,
            corroborated_by=[decider] if corroborated else [],
            contradicted_by=[] if corroborated else [decider],
        )
    if _decisive(answer):
        why = (
            "the same sentence in another paper is a copy, not independent corroboration"
            if copies
            else "its only evidence came from the claim's own paper"
        )
        note = f"single source: {checked}; the verifier said {answer.verdict.value}, but {why}"
    elif answer.verdict is not Label.NOT_ENOUGH_INFO:
        note = (
            f"single source: {checked}; the verifier said {answer.verdict.value} with "
            f"confidence {answer.confidence:.2f} < {DECISIVE_MIN}, too weak to decide"
        )
    else:
        note = f"single source: {checked}; none decides it" + (
            f" ({verdict.reason})" if verdict.reason else ""
        )
    return ReportClaim(
        **base,
        standing="single source",
        verdict=Label.NOT_ENOUGH_INFO,
        confidence=None,
        evidence=evidence,
        others=answer,
        note=note,
    )


def limitations(
    found: FoundPapers,
    papers: Sequence[Paper],
    claims_by_paper: dict[str, list[Claim]],
    rows: Sequence[ReportClaim],
    n_relevant: int,
    opts: ReportOptions,
    method: ReportMethod,
) -> list[str]:
    """Limitations generated from what actually happened in this run."""
    out: list[str] = []
    failures = found.flow.failures if found.flow is not None else []
    for name in dict.fromkeys(f.source for f in failures):
        mine = [f for f in failures if f.source == name]
        out.append(
            f"The source {name} failed on {len(mine)} quer{'y' if len(mine) == 1 else 'ies'} "
            f"({mine[0].reason}); the report goes on with the other sources' papers."
        )
    if not papers:
        queries = "; ".join(f"`{q}`" for q in found.queries) or "(none)"
        out.append(
            f"The search found no papers for this question (queries: {queries}), so no claim "
            "could be extracted or checked. Rephrase the question with the terms papers use, "
            "or import papers with `litcheck library import`."
        )
        return out
    if found.empty_queries:
        out.append(
            f"{len(found.empty_queries)} of {len(found.queries)} queries found nothing: "
            + "; ".join(f"`{q}`" for q in found.empty_queries)
            + "."
        )
    if len(papers) < opts.max_papers:
        out.append(
            f"Only {len(papers)} paper(s) were found (up to {opts.max_papers} were asked for)."
        )
    no_text = [p.arxiv_id for p in papers if not p.full_text_source]
    if no_text:
        out.append(
            f"{len(no_text)} of {len(papers)} papers had no full text ({', '.join(no_text)}): "
            "their claims and their evidence come from the abstract only."
        )
    no_claims = [pid for pid, cs in claims_by_paper.items() if not cs]
    if no_claims:
        out.append(
            f"No claims could be extracted from {len(no_claims)} paper(s): {', '.join(no_claims)}."
        )
    total = sum(len(cs) for cs in claims_by_paper.values())
    if total and not rows:
        out.append(
            f"None of the {total} extracted claims reached the relevance threshold "
            f"({opts.relevance_threshold}); the papers found may not address the question."
        )
    if n_relevant > len(rows):
        out.append(
            f"{n_relevant} claims were relevant; only the {len(rows)} most relevant were verified "
            "(raise --max-claims to check more)."
        )
    single = [r for r in rows if r.standing == "single source"]
    if single:
        out.append(
            f"{len(single)} of {len(rows)} claims are single source: no other paper of the "
            "report decides them (a paper is never taken to corroborate itself), so they are "
            "shown NOT_ENOUGH_INFO, grounded in their own paper only."
        )
    weak = [
        r
        for r in single
        if r.others is not None
        and r.others.verdict is not Label.NOT_ENOUGH_INFO
        and r.others.confidence < DECISIVE_MIN
    ]
    if weak:
        out.append(
            f"{len(weak)} of those were verifier answers below confidence {DECISIVE_MIN}, "
            "shown without a confidence rather than as a weak ✓/✗."
        )
    alone = [r for r in rows if r.others is None]
    if rows and alone:
        out.append(f"{len(alone)} claim(s) had no other paper in the report to be checked against.")
    if method.embedding_model.startswith("hashing"):
        out.append(
            "Relevance used the keyword-hashing fallback, not a sentence-embedding model: "
            "claims worded differently from the question may have been missed."
        )
    if "fallback" in method.verifier.lower():
        out.append(
            "The verifier ran its documented fallback judge (no trained model was found): "
            "confidences are those of the fallback's calibration."
        )
    if method.source == "library":
        out.append(
            "Papers came from the local library (no arXiv search in this run): work not "
            "imported into the library is missing."
        )
    out.append(
        "Verdicts are machine judgements over the retrieved papers only; consult the primary "
        "sources before relying on a claim."
    )
    return out


def _paper_row(paper: Paper, extracted: int, kept: int) -> ReportPaper:
    return ReportPaper(
        arxiv_id=paper.arxiv_id,
        version=paper.version,
        title=paper.title,
        authors=paper.authors,
        published=paper.published.date().isoformat() if paper.published else None,
        url=paper.url,
        full_text_source=paper.full_text_source,
        claims_extracted=extracted,
        claims_kept=kept,
    )
