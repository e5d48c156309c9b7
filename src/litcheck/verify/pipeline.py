"""Verify claims against the library: retrieve, select sentences, judge, check numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from litcheck.console import progress
from litcheck.library import Library
from litcheck.models import Claim, Evidence, Label, Verdict
from litcheck.settings import Settings
from litcheck.verify.aggregate import Aggregator, claim_features
from litcheck.verify.comparison import SWAP_CONFIDENCE, swapped
from litcheck.verify.index import PassageIndex
from litcheck.verify.judge import FallbackJudge, Judge
from litcheck.verify.labels import LABELS
from litcheck.verify.mismatch import MISMATCH_CONFIDENCE, mismatch
from litcheck.verify.negation import DENIAL_CONFIDENCE, denied
from litcheck.verify.numeric import (
    CONTRADICT_CONFIDENCE,
    SUPPORT_CONFIDENCE,
    NumericResult,
    check_numbers,
)
from litcheck.verify.opposites import OPPOSITE_CONFIDENCE, opposed
from litcheck.verify.restatement import RESTATEMENT_CONFIDENCE, restated
from litcheck.verify.retrieval import Candidate, HybridRetriever
from litcheck.verify.scope import SCOPE_CONFIDENCE, overstated
from litcheck.verify.selective import (
    TARGET_PRECISION,
    Thresholds,
    bearing_features,
    missing_names,
    unjoined_names,
    unnamed_terms,
)
from litcheck.verify.text import overlap

#: Longer claims are not judged: no claim is a page long, and the cross-encoder sees 128 tokens.
MAX_CLAIM_CHARS = 2000
MAX_EVIDENCE = 3
#: A quote's rank is its label probability times (this + the share of the claim it says):
#: a sentence that says all of the claim counts double. Chosen on the SciFact calibration
#: claims (first quote a gold rationale sentence, right decisive verdicts, cites / open:
#: 0.700 / 0.507 by probability alone, 0.717 / 0.507 at 0.5, 0.750 / 0.535 at 1, 0.750 /
#: 0.549 at 2; 60 and 71 verdicts).
QUOTE_BEARING_FLOOR = 1.0
BATCH = 64
#: Passages judged per claim.
TOP_PASSAGES = 3
#: Sentences judged in each passage. Three, not two: on the SciFact calibration claims a gold
#: rationale sentence is among those judged for 93 % of the claims searched among their cited
#: abstracts (87 % with two) and 77 % with open retrieval (71 %), and the fitted aggregation's
#: cross-validated macro-F1 rises from 0.569 to 0.586, for about 1.5x the judge's pairs.
SENTENCES_PER_PASSAGE = 3


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


@dataclass
class Judged:
    """One claim's retrieved candidates with the judge's view of each selected sentence.

    Attributes:
        prep: the claim with its resolved cites (``prep.problem`` set: nothing was judged).
        cands: candidate passages, best-ranked first.
        sentence_probs: per candidate, the judge's probabilities for each selected sentence.
        passage_probs: per candidate, the probabilities of its most decisive sentence.
        features: the aggregator's features (:func:`~litcheck.verify.aggregate.claim_features`).
        bearing: :func:`~litcheck.verify.selective.bearing_features` of the claim.
    """

    prep: PreparedClaim
    cands: list[Candidate]
    sentence_probs: list[list[NDArray[np.float64]]]
    passage_probs: list[NDArray[np.float64]]
    features: NDArray[np.float64] | None
    bearing: NDArray[np.float64]


def judge_claims(
    claims: Sequence[Claim],
    lib: Library,
    index: PassageIndex,
    judge: Judge,
    top_passages: int = TOP_PASSAGES,
    sentences_per_passage: int = SENTENCES_PER_PASSAGE,
    show_progress: bool = True,
) -> list[Judged]:
    """Retrieve each claim's passages and judge every selected sentence on its own.

    Each sentence is judged by itself, so the sentence a verdict rests on is the one quoted,
    never a neighbour that was merely retrieved beside it. All pairs of a chunk of claims go
    through the judge in one batch.

    Args:
        claims: claims; ``cites`` restricts the search to those papers (else whole library).
        lib: the library.
        index: the dense index over the library's passages.
        judge: the text judge.
        top_passages: passages judged per claim.
        sentences_per_passage: sentences selected (and judged) in each passage.
        show_progress: progress bar on stderr.

    Returns:
        One :class:`Judged` per claim, in input order.
    """
    prepared = prepare(lib, claims)
    retriever = HybridRetriever(lib, index, top_passages, sentences_per_passage)
    out: list[Judged] = []
    with progress(transient=True) as bar:
        task = bar.add_task("Verifying claims", total=len(prepared), visible=show_progress)
        for start in range(0, len(prepared), BATCH):
            chunk = prepared[start : start + BATCH]
            todo = [i for i, p in enumerate(chunk) if p.problem is None]
            texts = {i: chunk[i].claim.text.strip() for i in todo}
            cands = (
                retriever.retrieve([texts[i] for i in todo], [chunk[i].papers for i in todo])
                if todo
                else []
            )
            by_claim: dict[int, list[Candidate]] = dict(zip(todo, cands, strict=True))
            pairs = [
                (i, j, k)
                for i in todo
                for j, c in enumerate(by_claim[i])
                for k in range(len(c.sentences))
            ]
            probs = (
                judge.probabilities(
                    [texts[i] for i, _, _ in pairs],
                    [by_claim[i][j].sentences[k] for i, j, k in pairs],
                )
                if pairs
                else np.zeros((0, 3))
            )
            sent: dict[int, list[list[NDArray[np.float64]]]] = {
                i: [[] for _ in by_claim[i]] for i in todo
            }
            for (i, j, _), pr in zip(pairs, probs, strict=True):
                sent[i][j].append(np.asarray(pr, dtype=np.float64))
            fb_pairs = [(i, j) for i in todo for j in range(len(by_claim[i]))]
            fallback = (
                FallbackJudge().probabilities(
                    [texts[i] for i, _ in fb_pairs],
                    [" ".join(by_claim[i][j].sentences) for i, j in fb_pairs],
                )
                if fb_pairs
                else np.zeros((0, 3))
            )
            fb: dict[int, list[NDArray[np.float64]]] = {i: [] for i in todo}
            for (i, _), pr in zip(fb_pairs, fallback, strict=True):
                fb[i].append(pr)
            for i, prep in enumerate(chunk):
                if prep.problem is not None:
                    out.append(Judged(prep, [], [], [], None, np.zeros(3)))
                    continue
                cs = by_claim[i]
                passage = [sp[int(np.argmax([p[0] + p[1] for p in sp]))] for sp in sent[i]]
                feats = (
                    claim_features(passage, fb[i], [max(c.sentence_scores) for c in cs])
                    if cs
                    else None
                )
                sentences = [s for c in cs for s in c.sentences]
                scores = [x for c in cs for x in c.sentence_scores]
                out.append(
                    Judged(
                        prep,
                        cs,
                        sent[i],
                        passage,
                        feats,
                        bearing_features(texts[i], sentences, scores),
                    )
                )
            bar.advance(task, len(chunk))
    return out


def verify_claims(
    claims: Sequence[Claim],
    lib: Library,
    index: PassageIndex,
    judge: Judge,
    top_passages: int = TOP_PASSAGES,
    sentences_per_passage: int = SENTENCES_PER_PASSAGE,
    show_progress: bool = True,
    nei_shift: float | None = None,
    selective: bool = True,
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
            retrieval.
        selective: apply the judge's fitted bearing gate and abstention threshold
            (:mod:`litcheck.verify.selective`); False shows the judge's leaning as the verdict.

    A judge with a fitted ``aggregator`` decides each claim from all its candidates at once;
    otherwise the most decisive sentence (least NOT_ENOUGH_INFO after the retrieval shift)
    speaks. A claim with a figure is then decided by the numeric checker when the evidence
    states a figure for the same slot.

    Returns:
        One verdict per claim, in input order. Claims that cannot be checked (empty, too long,
        no cited paper available) get NOT_ENOUGH_INFO with ``checked`` False and the reason.
    """
    shift = float(getattr(judge, "retrieval_nei_bias", 0.0)) if nei_shift is None else nei_shift
    judged = judge_claims(
        claims, lib, index, judge, top_passages, sentences_per_passage, show_progress
    )
    thresholds = judge_thresholds(judge) if selective else Thresholds()
    aggregator: Aggregator | None = getattr(judge, "aggregator", None)
    contexts = slot_contexts(lib, [c for j in judged for c in j.cands])
    return [
        decide(j, judge.name, contexts, shift, aggregator, thresholds, selective) for j in judged
    ]


def judge_thresholds(judge: Judge) -> Thresholds:
    """The judge's fitted bearing gate and abstention threshold (none for other judges)."""
    found = getattr(judge, "thresholds", None)
    if isinstance(found, Thresholds):
        return found
    if isinstance(found, dict):
        return Thresholds.from_dict(found)
    return Thresholds()


def shift_nei(probs: NDArray[np.float64], shift: float) -> NDArray[np.float64]:
    """Multiply the NOT_ENOUGH_INFO probability by ``exp(shift)`` and renormalise.

    Retrieved passages are noisier than gold evidence: the best of several candidates looks
    decisive more often than it is, so NOT_ENOUGH_INFO needs a boost fitted for retrieval.
    """
    out = np.array(probs, dtype=np.float64)
    out[..., 2] *= np.exp(shift)
    result: NDArray[np.float64] = out / out.sum(axis=-1, keepdims=True)
    return result


def unchecked_verdict(claim: Claim, reason: str, judge: str) -> Verdict:
    """NOT_ENOUGH_INFO for a claim that could not be checked: no confidence to show.

    Args:
        claim: the claim.
        reason: why it could not be checked.
        judge: the judge's name.

    Returns:
        The verdict, ``checked`` False.
    """
    return Verdict(
        id=claim.id,
        claim=claim.text,
        verdict=Label.NOT_ENOUGH_INFO,
        confidence=0.0,
        evidence=[],
        reason=reason,
        judge=judge,
        checked=False,
    )


def slot_contexts(lib: Library, cands: list[Candidate]) -> dict[str, str]:
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


def sentence_context(sentence: str, passage: str, slots: str | None) -> str:
    """The text whose names fill the slots a sentence's figures leave empty.

    A table row reads its dataset and metric from the caption and header
    (:func:`slot_contexts`). A sentence of prose reads them only from the passage *before* it:
    "It improves accuracy by 2 points" takes the dataset the previous sentence named, while a
    later sentence ("... for Swahili") says nothing about the figures before it.

    Args:
        sentence: an evidence sentence (or a table row, its cells joined by `` | ``).
        passage: the text of the passage it is from.
        slots: that passage's slot context from :func:`slot_contexts`, if any.

    Returns:
        The context to read the sentence's figures with.
    """
    if " | " in sentence:
        return slots or passage
    at = passage.find(sentence)
    return passage[:at] if at > 0 else ""


_ROLE = {0: "supports", 1: "contradicts"}


def _evidence(cand: Candidate, text: str, score: float, role: str | None) -> Evidence:
    """An evidence sentence with its character span in the passage (when it is found there)."""
    at = cand.passage.text.find(text)
    return Evidence(
        paper=cand.passage.paper_id,
        section=cand.passage.section_title,
        text=text,
        score=round(float(score), 4),
        passage_id=cand.passage.id,
        start=at if at >= 0 else None,
        end=at + len(text) if at >= 0 else None,
        role=role,
    )


def _quotes(j: Judged, label_idx: int) -> list[Evidence]:
    """The sentences the verdict rests on, the one that bears most on the claim first.

    SUPPORTED / CONTRADICTED: every judged sentence whose probability of that label is at
    least half the strongest one's (the strongest always), ranked by that probability times
    how much of the claim the sentence says (:data:`QUOTE_BEARING_FLOOR` plus the share of
    the claim's content words it holds). The judge gives near-equal support to every
    sentence of an abstract that agrees with a claim's drift; the sentence that states the
    claim must come first, since a reader checks the first quote. NOT_ENOUGH_INFO: the
    closest sentences by retrieval score, marked as such.
    """
    claim = j.prep.claim.text
    scored = [
        (float(p[label_idx]), float(c.sentence_scores[k]), jj, k)
        for jj, (c, probs) in enumerate(zip(j.cands, j.sentence_probs, strict=True))
        for k, p in enumerate(probs)
    ]
    if not scored:
        return []
    if label_idx in _ROLE:
        top = max(t[0] for t in scored)
        keep = [t for t in scored if t[0] >= 0.5 * top]
        keep.sort(
            key=lambda t: (
                -t[0] * (QUOTE_BEARING_FLOOR + overlap(claim, j.cands[t[2]].sentences[t[3]]))
            )
        )
        return [
            _evidence(j.cands[jj], j.cands[jj].sentences[k], pr, _ROLE[label_idx])
            for pr, _, jj, k in keep[:MAX_EVIDENCE]
        ]
    scored.sort(key=lambda t: -t[1])
    return [
        _evidence(j.cands[jj], j.cands[jj].sentences[k], rs, "closest")
        for _, rs, jj, k in scored[:2]
    ]


def decide(
    j: Judged,
    judge: str,
    contexts: dict[str, str],
    shift: float = 0.0,
    aggregator: Aggregator | None = None,
    thresholds: Thresholds | None = None,
    selective: bool = True,
) -> Verdict:
    """The verdict for one judged claim: aggregation, numeric check, bearing gate, abstention.

    Args:
        j: the claim with its judged candidates (:func:`judge_claims`).
        judge: the judge's name, for the verdict.
        contexts: per passage id, the text that names its figures' slots (:func:`slot_contexts`).
        shift: the retrieval NOT_ENOUGH_INFO shift (used without an aggregator).
        aggregator: the judge's fitted aggregation over candidates.
        thresholds: the fitted bearing gate and abstention threshold.
        selective: apply the bearing rules at all (False: the judge's leaning stands).

    Returns:
        The verdict, its evidence the sentences it rests on.
    """
    prep = j.prep
    claim = prep.claim
    if prep.problem is not None:
        return unchecked_verdict(claim, prep.problem, judge)
    th = thresholds or Thresholds()
    missing_note = (
        f"cited but not in the library: {', '.join(prep.missing)}" if prep.missing else None
    )

    def verdict(
        label: Label, confidence: float, evidence: list[Evidence], reason: str | None, **kw: object
    ) -> Verdict:
        return Verdict(
            id=claim.id,
            claim=claim.text,
            verdict=label,
            confidence=round(min(max(confidence, 0.0), 1.0), 4),
            evidence=evidence[:MAX_EVIDENCE],
            reason="; ".join(x for x in (reason, missing_note) if x) or None,
            judge=judge,
            **kw,
        )

    if not j.cands:
        return verdict(
            Label.NOT_ENOUGH_INFO, 1.0, [], "no passage of the searched papers matches the claim"
        )
    if aggregator is not None and j.features is not None:
        probs = aggregator.probabilities(j.features)[0]
        label_idx = int(aggregator.labels(j.features)[0])
    else:
        shifted = [shift_nei(p, shift) for p in j.passage_probs]
        probs = shifted[int(np.argmax([p[0] + p[1] for p in shifted]))]
        label_idx = int(np.argmax(probs))
    label = LABELS[label_idx]
    confidence = float(probs[label_idx])
    sentences = [x for c in j.cands for x in c.all_sentences]
    sibling = mismatch(claim.text, sentences) if selective else None
    if sibling is not None:
        # Before the figures: a figure of GPT-2 neither states nor contradicts one of GPT-3.
        return verdict(
            Label.NOT_ENOUGH_INFO,
            MISMATCH_CONFIDENCE,
            _quotes(j, 2),
            f"no passage bears on this claim ({sibling})",
        )
    numeric = check_numbers(
        claim.text,
        [
            (s, sentence_context(s, c.passage.text, contexts.get(c.passage.id)))
            for c in j.cands
            for s in c.all_sentences
        ],
        text_label=label,
    )
    if numeric.label is not None:
        return _numeric_verdict(j, numeric, label, confidence, float(probs[2]), verdict)
    quoted = None if numeric.abstained else restated(claim.text, sentences)
    if quoted is not None:
        home = next(c for c in j.cands if quoted in c.all_sentences)
        reason = "the claim restates this sentence word for word"
        if label is not Label.SUPPORTED:
            reason += f" (the text judge alone leaned {label.value} at {confidence:.2f})"
        return verdict(
            Label.SUPPORTED,
            RESTATEMENT_CONFIDENCE,
            [_evidence(home, quoted, 1.0, "supports")],
            reason,
        )
    clash = None if numeric.abstained else textual_contradiction(claim.text, sentences)
    if clash is not None:
        sentence, reason, clash_confidence = clash
        home = next(c for c in j.cands if sentence in c.all_sentences)
        if label is not Label.CONTRADICTED:
            reason += f" (the text judge alone leaned {label.value} at {confidence:.2f})"
        return verdict(
            Label.CONTRADICTED,
            clash_confidence,
            [_evidence(home, sentence, 1.0, "contradicts")],
            reason,
        )
    unnamed = unnamed_terms(claim.text, sentences) if selective else []
    if unnamed:
        return verdict(
            Label.NOT_ENOUGH_INFO,
            0.9,
            _quotes(j, 2),
            "no passage bears on this claim (it names "
            + ", ".join(unnamed)
            + "; no retrieved passage does)",
        )
    missing = missing_names(claim.text, sentences) if selective else []
    if missing:
        return verdict(
            Label.NOT_ENOUGH_INFO,
            0.8,
            _quotes(j, 2),
            "no passage bears on all of this claim (it names "
            + ", ".join(missing)
            + "; no retrieved passage does)",
        )
    if th.gated(j.bearing):
        return verdict(
            Label.NOT_ENOUGH_INFO,
            th.gated_confidence(j.bearing),
            _quotes(j, 2),
            "no passage bears on this claim (the closest sentences share too little of it)",
        )
    evidence = _quotes(j, label_idx)
    if selective and label is Label.SUPPORTED and evidence:
        supporting = {e.paper for e in evidence if e.role == "supports"}
        unjoined = unjoined_names(
            claim.text,
            [
                [x for c in j.cands if c.passage.paper_id == paper for x in c.all_sentences]
                for paper in sorted(supporting)
            ],
        )
        if unjoined:
            return verdict(
                Label.NOT_ENOUGH_INFO,
                0.7,
                evidence,
                "no paper states all of this claim (the papers whose sentences support it never "
                "name " + ", ".join(unjoined) + ")",
                leaning=label,
                leaning_confidence=round(confidence, 4),
            )
    if (
        label is not Label.NOT_ENOUGH_INFO
        and th.abstain_below is not None
        and confidence < th.abstain_below
    ):
        return verdict(
            Label.NOT_ENOUGH_INFO,
            1.0 - confidence,
            evidence,
            f"too weak to decide: the judge leans {label.value} at {confidence:.2f}, below the "
            f"{th.abstain_below:.2f} "
            + (th.abstain_reason or f"needed for {TARGET_PRECISION:.0%} precision"),
            leaning=label,
            leaning_confidence=round(confidence, 4),
        )
    scope = (
        overstated(claim.text, evidence[0].text) if label is Label.SUPPORTED and evidence else None
    )
    if scope is not None:
        return verdict(
            Label.NOT_ENOUGH_INFO,
            SCOPE_CONFIDENCE,
            evidence,
            f"the claim says “{scope.universal}” where its evidence says only “{scope.hedge}” "
            f"(the text judge alone leaned SUPPORTED at {confidence:.2f})",
            leaning=label,
            leaning_confidence=round(confidence, 4),
        )
    return verdict(label, confidence, evidence, None)


def textual_contradiction(claim: str, sentences: Sequence[str]) -> tuple[str, str, float] | None:
    """The sentence that contradicts the claim in words, by the first rule that finds one.

    The rules, in order: a denial in place (:mod:`~litcheck.verify.negation`), an opposite in
    other words (:mod:`~litcheck.verify.opposites`), a swapped comparison
    (:mod:`~litcheck.verify.comparison`).

    Args:
        claim: the claim text.
        sentences: evidence sentences.

    Returns:
        ``(sentence, reason, confidence)``, or None when no rule finds a contradiction.
    """
    denial = denied(claim, sentences)
    if denial is not None:
        whose = (
            "the claim denies what this sentence says"
            if denial.claim_negated
            else "this sentence denies what the claim says"
        )
        return denial.sentence, f"{whose} (“{denial.phrase}”)", DENIAL_CONFIDENCE
    opposite = opposed(claim, sentences)
    if opposite is not None:
        reason = (
            f"this sentence says the opposite (“{opposite.sentence_word}” where the claim says "
            f"“{opposite.claim_word}”)"
        )
        return opposite.sentence, reason, OPPOSITE_CONFIDENCE
    swap = swapped(claim, sentences)
    if swap is not None:
        reason = (
            f"this sentence has {swap.stated.winner} ahead of {swap.stated.loser} "
            f"(“{swap.stated.cue}”); the claim has it the other way round"
        )
        return swap.sentence, reason, SWAP_CONFIDENCE
    return None


def _numeric_verdict(
    j: Judged,
    numeric: NumericResult,
    label: Label,
    confidence: float,
    nei_probability: float,
    verdict: Callable[..., Verdict],
) -> Verdict:
    """The numeric checker found the claim's figure slot in the evidence: it decides."""
    assert numeric.label is not None
    where = {s: c for c in j.cands for s in c.all_sentences}
    quoted = list(dict.fromkeys(numeric.supporting or numeric.contradicting))
    evidence: list[Evidence] = []
    for quote in quoted:
        # A delta computed from two table rows is quoted as "row / row".
        home = where.get(quote) or where.get(quote.split(" / ")[0]) or j.cands[0]
        evidence.append(_evidence(home, quote, 1.0, "figure"))
    if numeric.label is Label.SUPPORTED:
        conf = SUPPORT_CONFIDENCE
    elif numeric.label is Label.CONTRADICTED:
        conf = CONTRADICT_CONFIDENCE
    else:
        conf = max(nei_probability, 0.5)
        evidence = evidence or _quotes(j, 2)
    if numeric.label is not label:
        reason = (
            f"numeric check: {numeric.reason} (the text judge alone leaned {label.value} at "
            f"{confidence:.2f})"
        )
    else:
        reason = f"numeric check agrees: {numeric.reason}"
    return verdict(numeric.label, conf, evidence, reason)


def open_index(
    lib: Library, settings: Settings, device: str | None = None, show_progress: bool = True
) -> PassageIndex:
    """The library's passage index under the configured embedding model (built if needed)."""
    from litcheck.verify.embed import Embedder

    embedder = Embedder(
        settings.embedding_model, device=device or settings.device, cache_dir=settings.cache_dir
    )
    return PassageIndex.open(lib, embedder, settings.cache_dir, show_progress=show_progress)
