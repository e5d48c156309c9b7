"""Verify claims against the library: retrieve, select sentences, judge, check numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from litcheck.console import progress
from litcheck.library import Library
from litcheck.models import Claim, Evidence, Label, Verdict
from litcheck.settings import Settings
from litcheck.verify.aggregate import Aggregator, claim_features
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge, Judge
from litcheck.verify.labels import LABELS
from litcheck.verify.numeric import CONTRADICT_CONFIDENCE, SUPPORT_CONFIDENCE, check_numbers
from litcheck.verify.retrieval import Candidate, HybridRetriever

#: Longer claims are not judged: no claim is a page long, and the cross-encoder sees 128 tokens.
MAX_CLAIM_CHARS = 2000
MAX_EVIDENCE = 3
BATCH = 64


@dataclass(frozen=True)
class PreparedClaim:
    """A claim with its cites resolved against the library."""

    claim: Claim
    papers: list[str] | None
    problem: str | None
    missing: list[str]


def resolve_cites(lib: Library, cites: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split cited ids into library paper ids and ids the library does not hold.

    Args:
        lib: the library.
        cites: ids as written (``2104.08645v2``, URLs, ``arXiv:...``, or library ids).

    Returns:
        (found paper ids, missing ids as written).
    """
    from litcheck.errors import BadInputError
    from litcheck.retrieve.ids import parse_arxiv_id

    found: list[str] = []
    missing: list[str] = []
    for raw in cites:
        cite = str(raw).strip()
        if lib.has_paper(cite):
            found.append(cite)
            continue
        try:
            base = parse_arxiv_id(cite).base
        except BadInputError:
            missing.append(cite)
            continue
        (found if lib.has_paper(base) else missing).append(base if lib.has_paper(base) else cite)
    return list(dict.fromkeys(found)), missing


def prepare(lib: Library, claims: Sequence[Claim]) -> list[PreparedClaim]:
    """Check each claim's text and cites; problems become per-claim reasons, never errors."""
    out = []
    for c in claims:
        text = c.text.strip()
        if not text:
            out.append(PreparedClaim(c, None, "the claim is empty", []))
            continue
        if len(text) > MAX_CLAIM_CHARS:
            out.append(
                PreparedClaim(
                    c,
                    None,
                    f"the claim is {len(text):,} characters long (limit "
                    f"{MAX_CLAIM_CHARS:,}); split it into checkable claims",
                    [],
                )
            )
            continue
        if not c.cites:
            out.append(PreparedClaim(c, None, None, []))
            continue
        found, missing = resolve_cites(lib, c.cites)
        if not found:
            out.append(
                PreparedClaim(
                    c,
                    [],
                    "none of the cited papers is in the library ("
                    + ", ".join(missing)
                    + "); add them with `litcheck add` or `litcheck library import`",
                    missing,
                )
            )
            continue
        out.append(PreparedClaim(c, found, None, missing))
    return out


def verify_claims(
    claims: Sequence[Claim],
    lib: Library,
    index: PassageIndex,
    judge: Judge,
    top_passages: int = 3,
    sentences_per_passage: int = 2,
    show_progress: bool = True,
    nei_shift: float | None = None,
    record_probs: dict[str, list[NDArray[np.float64]]] | None = None,
    record_features: dict[str, NDArray[np.float64]] | None = None,
) -> list[Verdict]:
    """Verify claims against the library.

    Example:
        >>> index = PassageIndex.open(lib, Embedder("all-MiniLM-L6-v2"), settings.cache_dir)
        >>> verify_claims([Claim(id="c1", text="...", cites=["2104.08645"])], lib, index,
        ...               load_judge(settings))

    Args:
        claims: claims; ``cites`` restricts the search to those papers (else whole library).
        lib: the library.
        index: the dense index over the library's passages.
        judge: the text judge (trained or fallback).
        top_passages: passages judged per claim.
        sentences_per_passage: evidence sentences per passage given to the judge.
        show_progress: progress bar on stderr.
        nei_shift: log-factor on NOT_ENOUGH_INFO for retrieved (not gold) evidence; default
            the judge's ``retrieval_nei_bias``, fitted on the calibration claims with
            retrieval (``python benchmarks/eval_verifier.py --fit-open``).
        record_probs: when given, filled with each claim's per-passage probabilities (before
            the shift), for fitting.
        record_features: when given, filled with each claim's aggregation features
            (:func:`~litcheck.verify.aggregate.claim_features`), for fitting the aggregator.

    A judge with a fitted ``aggregator`` (``python benchmarks/eval_verifier.py --fit-open``)
    decides each claim from all its candidates at once; otherwise the most decisive passage
    (least NOT_ENOUGH_INFO after the retrieval shift) speaks.

    Returns:
        One verdict per claim, in input order. Claims that cannot be checked (empty, too long,
        no cited paper available, nothing retrieved) get NOT_ENOUGH_INFO with the reason.
    """
    shift = float(getattr(judge, "retrieval_nei_bias", 0.0)) if nei_shift is None else nei_shift
    prepared = prepare(lib, claims)
    retriever = HybridRetriever(lib, index, top_passages, sentences_per_passage)
    verdicts: list[Verdict] = []
    with progress(transient=True) as bar:
        task = bar.add_task("Verifying claims", total=len(prepared), visible=show_progress)
        for start in range(0, len(prepared), BATCH):
            chunk = prepared[start : start + BATCH]
            todo = [i for i, p in enumerate(chunk) if p.problem is None]
            cands = (
                retriever.retrieve(
                    [chunk[i].claim.text.strip() for i in todo], [chunk[i].papers for i in todo]
                )
                if todo
                else []
            )
            by_claim: dict[int, list[Candidate]] = dict(zip(todo, cands, strict=True))
            pairs = [(i, j) for i in todo for j in range(len(by_claim[i]))]
            probs = (
                judge.probabilities(
                    [chunk[i].claim.text.strip() for i, _ in pairs],
                    [" ".join(by_claim[i][j].sentences) for i, j in pairs],
                )
                if pairs
                else np.zeros((0, 3))
            )
            per: dict[int, list[np.ndarray]] = {i: [] for i in todo}
            for (i, _), p in zip(pairs, probs, strict=True):
                per[i].append(p)
            if record_probs is not None:
                for i in todo:
                    record_probs[chunk[i].claim.id] = list(per[i])
            agg: dict[int, NDArray[np.float64]] = {}
            aggregator: Aggregator | None = getattr(judge, "aggregator", None)
            if pairs and (aggregator is not None or record_features is not None):
                agg = _aggregate(chunk, todo, by_claim, pairs, per, aggregator, record_features)
            for i in todo:
                per[i] = [shift_nei(p, shift) for p in per[i]]
            for i, prep in enumerate(chunk):
                if prep.problem is not None:
                    verdicts.append(_nei(prep.claim, prep.problem, judge.name))
                else:
                    verdicts.append(
                        _decide(
                            prep,
                            by_claim[i],
                            per[i],
                            judge.name,
                            _contexts(lib, by_claim[i]),
                            agg.get(i),
                        )
                    )
            bar.advance(task, len(chunk))
    return verdicts


def _aggregate(
    chunk: list[PreparedClaim],
    todo: list[int],
    by_claim: dict[int, list[Candidate]],
    pairs: list[tuple[int, int]],
    per: dict[int, list[np.ndarray]],
    aggregator: Aggregator | None,
    record: dict[str, NDArray[np.float64]] | None,
) -> dict[int, NDArray[np.float64]]:
    """Per claim, the aggregator's label probabilities (and the features, when recording)."""
    fallback = FallbackJudge().probabilities(
        [chunk[i].claim.text.strip() for i, _ in pairs],
        [" ".join(by_claim[i][j].sentences) for i, j in pairs],
    )
    fb: dict[int, list[np.ndarray]] = {i: [] for i in todo}
    for (i, _), p in zip(pairs, fallback, strict=True):
        fb[i].append(p)
    out: dict[int, NDArray[np.float64]] = {}
    for i in todo:
        if not per[i]:
            continue
        x = claim_features(per[i], fb[i], [max(c.sentence_scores) for c in by_claim[i]])
        if record is not None:
            record[chunk[i].claim.id] = x
        if aggregator is not None:
            out[i] = aggregator.probabilities(x)[0]
    return out


def shift_nei(probs: NDArray[np.float64], shift: float) -> NDArray[np.float64]:
    """Multiply the NOT_ENOUGH_INFO probability by ``exp(shift)`` and renormalise.

    Retrieved passages are noisier than gold evidence: the best of several candidates looks
    decisive more often than it is, so NOT_ENOUGH_INFO needs a boost fitted for retrieval.
    """
    out = np.array(probs, dtype=np.float64)
    out[..., 2] *= np.exp(shift)
    result: NDArray[np.float64] = out / out.sum(axis=-1, keepdims=True)
    return result


def _nei(claim: Claim, reason: str, judge: str) -> Verdict:
    return Verdict(
        id=claim.id,
        claim=claim.text,
        verdict=Label.NOT_ENOUGH_INFO,
        confidence=1.0,
        evidence=[],
        reason=reason,
        judge=judge,
    )


def _contexts(lib: Library, cands: list[Candidate]) -> dict[str, str]:
    """Per passage, the text naming its slots: a table's caption is often the passage before."""
    out: dict[str, str] = {}
    wanted: dict[str, str] = {}
    for c in cands:
        p = c.passage
        out[p.id] = p.text
        if p.index > 0 and (" | " in p.text or p.kind == "table"):
            wanted[f"{p.paper_id}:{p.section_index}:{p.index - 1}"] = p.id
    for prev in lib.get_passages(list(wanted)):
        out[wanted[prev.id]] = prev.text + "\n" + out[wanted[prev.id]]
    return out


def _decide(
    prep: PreparedClaim,
    cands: list[Candidate],
    probs: list[np.ndarray],
    judge: str,
    contexts: dict[str, str],
    agg: NDArray[np.float64] | None = None,
) -> Verdict:
    claim = prep.claim
    missing_note = (
        f"; cited but not in the library: {', '.join(prep.missing)}" if prep.missing else ""
    )
    if not cands:
        return _nei(
            claim, "no passage of the searched papers matches the claim" + missing_note, judge
        )
    if agg is not None:
        # The fitted aggregator decides from all candidates; the passage that most supports
        # (or contradicts) the claim is quoted first.
        label_idx = int(np.argmax(agg))
        confidence = float(agg[label_idx])
        best = int(np.argmax([p[label_idx] for p in probs])) if label_idx != 2 else 0
        nei_probability = float(agg[2])
    else:
        # Without one, the passage whose evidence is most decisive (least NOT_ENOUGH_INFO)
        # speaks.
        best = int(np.argmax([p[0] + p[1] for p in probs]))
        label_idx = int(np.argmax(probs[best]))
        confidence = float(probs[best][label_idx])
        nei_probability = float(probs[best][2])
    label = LABELS[label_idx]
    order = [best] + [j for j in range(len(cands)) if j != best]
    evidence = [
        Evidence(
            paper=cands[j].passage.paper_id,
            section=cands[j].passage.section_title,
            text=s,
            score=round(float(probs[j][0] + probs[j][1]), 4),
            passage_id=cands[j].passage.id,
        )
        for j in order
        for s in cands[j].sentences
    ][:MAX_EVIDENCE]
    reason: str | None = None
    numeric = check_numbers(
        claim.text,
        [(s, contexts.get(c.passage.id, c.passage.text)) for c in cands for s in c.all_sentences],
    )
    if numeric.label is not None:
        quoted = numeric.supporting or numeric.contradicting
        if quoted:
            where = {s: c for c in cands for s in c.all_sentences}
            first = []
            for quote in dict.fromkeys(quoted):
                # A delta computed from two table rows is quoted as "row / row".
                home = where.get(quote) or where.get(quote.split(" / ")[0]) or cands[0]
                first.append(
                    Evidence(
                        paper=home.passage.paper_id,
                        section=home.passage.section_title,
                        text=quote,
                        score=1.0,
                        passage_id=home.passage.id,
                    )
                )
            evidence = (first + [e for e in evidence if e.text not in quoted])[:MAX_EVIDENCE]
        if numeric.label is Label.SUPPORTED:
            confidence = SUPPORT_CONFIDENCE
        elif numeric.label is Label.CONTRADICTED:
            confidence = CONTRADICT_CONFIDENCE
        else:
            confidence = max(nei_probability, 0.5)
        if numeric.label is not label:
            reason = f"numeric check overrides the text judge ({label.value}): {numeric.reason}"
        else:
            reason = f"numeric check agrees: {numeric.reason}"
        label = numeric.label
    return Verdict(
        id=claim.id,
        claim=claim.text,
        verdict=label,
        confidence=round(min(max(confidence, 0.0), 1.0), 4),
        evidence=evidence,
        reason="; ".join(part for part in (reason, missing_note.removeprefix("; ")) if part)
        or None,
        judge=judge,
    )


def open_index(
    lib: Library, settings: Settings, device: str | None = None, show_progress: bool = True
) -> PassageIndex:
    """The library's passage index under the configured embedding model (built if needed)."""
    from litcheck.verify.embed import Embedder

    embedder = Embedder(settings.embedding_model, device=device or settings.device)
    return PassageIndex.open(lib, embedder, settings.cache_dir, show_progress=show_progress)
