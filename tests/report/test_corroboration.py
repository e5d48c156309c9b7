"""Synthesis is corroboration, not self-agreement; contradictions need a shared slot.

Every sentence here is a real abstract sentence (see data/corpus/README.md for the sources),
except where a test says it flips one word to make the opposite claim.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from litcheck.library import Library, make_passages
from litcheck.library.importer import read_papers_file
from litcheck.models import Claim, Evidence, Label, Verdict
from litcheck.report.components import HashingEmbedder
from litcheck.report.markdown import write_markdown
from litcheck.report.models import Report
from litcheck.report.pipeline import build_report
from litcheck.report.scorecard import build_scorecard, independent_verdicts
from litcheck.report.slots import slot_contradictions
from litcheck.report.sources import LibrarySource

from .conftest import FIXED_NOW, FakeClock, StubExtractor, StubVerifier

# 2104.08645 (Huang et al.), two sentences of its abstract.
HUANG = (
    "Pre-trained multilingual language encoders, such as multilingual BERT and XLM-R, show "
    "great potential for zero-shot cross-lingual transfer. The experimental results demonstrate "
    "that robust training improves zero-shot cross-lingual transfer on text classification tasks."
)
# 2005.00633 (Lauscher et al.), first sentence of its abstract.
LAUSCHER = (
    "Massively multilingual transformers pretrained with language modeling objectives (e.g., "
    "mBERT, XLM-R) have become a de facto default transfer paradigm for zero-shot cross-lingual "
    "transfer in NLP, offering unmatched transfer performance."
)
# First sentence of the abstract of "On the ability of monolingual models to learn
# language-agnostic representations" (deeplearn.org/arxiv/231382); the id is a stand-in.
MONOLINGUAL = (
    "Pretrained multilingual models have become a de facto default approach for zero-shot "
    "cross-lingual transfer."
)
QUESTION = "How robust is zero-shot cross-lingual transfer with multilingual models?"


class RecordingVerifier(StubVerifier):
    """The stub judge, remembering which papers each claim was checked against."""

    def __init__(self, lib: Library) -> None:
        super().__init__(lib)
        self.searched: dict[str, tuple[str, ...]] = {}

    def verify(self, claims: Sequence[Claim], paper_ids: Sequence[str]) -> list[Verdict]:
        for c in claims:
            self.searched[c.id] = tuple(paper_ids)
        return super().verify(claims, paper_ids)


def _library(tmp_path: Path, records: list[dict[str, object]]) -> Library:
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    lib = Library.open(tmp_path / "lib.sqlite")
    lib.add_papers([(p, make_passages(p)) for p in read_papers_file(path)])
    return lib


def _paper(aid: str, title: str, abstract: str) -> dict[str, object]:
    return {"arxiv_id": aid, "title": title, "authors": ["A. Author"], "abstract": abstract}


def _report(lib: Library, verifier: StubVerifier) -> Report:
    emb = HashingEmbedder()
    from litcheck.report.pipeline import ReportOptions

    opts = ReportOptions(max_papers=5, now=FIXED_NOW, clock=FakeClock(), relevance_threshold=0.0)
    return build_report(
        QUESTION, lib, LibrarySource(lib, emb), StubExtractor(), emb, verifier, opts
    )


def test_a_paper_never_verifies_its_own_claims(tmp_path: Path) -> None:
    lib = _library(
        tmp_path,
        [
            _paper("2104.08645v2", "Improving Zero-Shot Cross-Lingual Transfer", HUANG),
            _paper("2005.00633v1", "From Zero to Hero", LAUSCHER),
            _paper("2109.00001v1", "On the Ability of Monolingual Models", MONOLINGUAL),
        ],
    )
    verifier = RecordingVerifier(lib)
    report = _report(lib, verifier)
    rows = {r.claim: r for r in report.claims}
    # Every claim went to the judge with the other papers only.
    for row in report.claims:
        assert row.source not in verifier.searched[row.id]
        assert len(verifier.searched[row.id]) == 2
    # Against its own abstract this sentence is a verbatim match (the stub would say SUPPORTED
    # at 0.95); against the other papers nothing decides it: single source.
    robust = rows[
        "The experimental results demonstrate that robust training improves zero-shot "
        "cross-lingual transfer on text classification tasks."
    ]
    assert robust.standing == "single source" and robust.verdict is Label.NOT_ENOUGH_INFO
    assert robust.confidence is None and robust.decided_by is None
    assert all(e.paper != "2104.08645" for e in robust.evidence)
    assert robust.grounding is not None
    assert robust.grounding.label() == "stated in 2104.08645, §Abstract"
    # Another paper's sentence corroborates the short claim: corroboration, with its quote.
    mono = rows[MONOLINGUAL]
    assert mono.standing == "corroborated" and mono.corroborated_by == ["2005.00633"]
    assert mono.evidence[0].paper == "2005.00633" and "de facto default" in mono.evidence[0].text
    md = write_markdown(report)
    assert "| 2104.08645 §Abstract | ? single source (NOT_ENOUGH_INFO) |" in md
    assert "✓ corroborated by 2005.00633" in md
    # The scorecard counts the one independent corroboration, nothing else.
    assert report.scorecard is not None
    strength = report.scorecard.dimensions[0]
    assert strength.name == "evidence strength" and strength.numerator == 1
    assert "another paper" in strength.formula


def test_a_copy_of_the_same_sentence_is_not_corroboration(tmp_path: Path) -> None:
    # The same abstract under a second id (a mirror, a re-upload) agrees with itself only.
    lib = _library(
        tmp_path,
        [
            _paper("2005.00633v1", "From Zero to Hero", LAUSCHER),
            _paper("2201.00009v1", "From Zero to Hero (copy)", LAUSCHER),
        ],
    )
    report = _report(lib, RecordingVerifier(lib))
    (row, *_) = [r for r in report.claims if r.source == "2005.00633"]
    assert row.standing == "single source"
    assert "copy" in (row.note or "")


def test_one_paper_alone_is_single_source_without_searching_the_library(
    tmp_path: Path,
) -> None:
    lib = _library(tmp_path, [_paper("2104.08645v2", "Improving", HUANG)])
    verifier = RecordingVerifier(lib)
    report = _report(lib, verifier)
    assert report.claims and verifier.searched == {}  # an empty cites would mean everything
    assert {r.standing for r in report.claims} == {"single source"}
    assert any("no other paper" in (r.note or "") for r in report.claims)


def test_the_scorecard_drops_a_claims_own_paper_from_its_evidence() -> None:
    claim = Claim(id="c", text=MONOLINGUAL, paper_id="2109.00001")
    own = Evidence(paper="2109.00001v1", section="Abstract", text=MONOLINGUAL, score=1.0)
    other = Evidence(paper="2005.00633", section="Abstract", text=LAUSCHER, score=0.8)

    def verdict(*evidence: Evidence) -> Verdict:
        return Verdict(
            id="c",
            claim=MONOLINGUAL,
            verdict=Label.SUPPORTED,
            confidence=0.9,
            evidence=list(evidence),
        )

    (selfish,) = independent_verdicts([claim], [verdict(own)])
    assert selfish.verdict is Label.NOT_ENOUGH_INFO and selfish.confidence == 0.0
    card = build_scorecard([claim], [verdict(own)])
    assert card.dimensions[0].numerator == 0
    card = build_scorecard([claim], [verdict(own, other)])
    assert card.dimensions[0].numerator == 1
    # A user's claim (no source paper) is scored as it is.
    free = claim.model_copy(update={"paper_id": None})
    assert build_scorecard([free], [verdict(own)]).dimensions[0].numerator == 1


# -- slots ----------------------------------------------------------------------------------

# 1911.02116: the arXiv v2 abstract and the ACL 2020 abstract state different figures.
XLMR_V2 = (
    "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a variety "
    "of cross-lingual benchmarks, including +14.6% average accuracy on XNLI, +13% average F1 "
    "score on MLQA, and +2.4% F1 score on NER."
)
XLMR_ACL = (
    "Our model, dubbed XLM-R, significantly outperforms multilingual BERT (mBERT) on a variety "
    "of cross-lingual benchmarks, including +13.8% average accuracy on XNLI, +12.3% average F1 "
    "score on MLQA, and +2.1% average F1 score on NER."
)
# 1908.11828 (PAWS-X): the pair the old report called "a contradiction between papers".
PAWSX = (
    "Multilingual BERT fine-tuned on PAWS English plus machine-translated data performs the "
    "best, with a range of 83.1-90.8 accuracy across the non-English languages and an average "
    "accuracy gain of 23% over the next best model."
)
# 1911.02116 again: per-language figures, a different slot from the average.
XLMR_LOW = (
    "XLM-R performs particularly well on low-resource languages, improving 15.7% in XNLI "
    "accuracy for Swahili and 11.4% for Urdu over previous XLM models."
)


def _claim(cid: str, text: str, paper: str) -> Claim:
    return Claim(id=cid, text=text, paper_id=paper, section="Abstract")


def test_two_papers_filling_one_slot_with_different_figures_contradict() -> None:
    found = slot_contradictions(
        [_claim("a", XLMR_V2, "1911.02116"), _claim("b", XLMR_ACL, "2020.acl-main.747")],
        {"a": 1, "b": 2},
    )
    slots = {c.slot: c for c in found}
    xnli = slots["accuracy · XNLI · XLM-R over mBERT"]
    assert xnli.kind == "values" and (xnli.first.row, xnli.second.row) == (1, 2)
    assert {xnli.first.figure, xnli.second.figure} == {"+14.6%", "+13.8%"}
    assert xnli.first.quote == XLMR_V2 and xnli.second.quote == XLMR_ACL
    # One entry per pair of claims (their first shared slot), not one per figure.
    assert len(found) == 1
    # Without the XNLI figures, MLQA is the shared slot; NER names no dataset: no slot.
    v2 = XLMR_V2.replace("+14.6% average accuracy on XNLI, ", "")
    acl = XLMR_ACL.replace("+13.8% average accuracy on XNLI, ", "")
    (mlqa,) = slot_contradictions(
        [_claim("a", v2, "1911.02116"), _claim("b", acl, "2020.acl-main.747")]
    )
    assert mlqa.slot == "F1 · MLQA · XLM-R over mBERT"


def test_claims_of_different_slots_never_contradict() -> None:
    claims = [
        _claim("p", PAWSX, "1908.11828"),
        _claim("x", XLMR_V2, "1911.02116"),
        _claim("l", XLMR_LOW, "1911.02116"),
    ]
    assert slot_contradictions(claims) == []
    # The same paper's own figures are not a contradiction between papers either.
    same = [_claim("a", XLMR_V2, "1911.02116"), _claim("b", XLMR_ACL, "1911.02116")]
    assert slot_contradictions(same) == []


def test_figures_within_rounding_agree() -> None:
    rounded = XLMR_V2.replace("+14.6%", "+14.64%")
    found = slot_contradictions(
        [_claim("a", XLMR_V2, "1911.02116"), _claim("b", rounded, "2001.00001")]
    )
    assert not any("XNLI" in c.slot for c in found)


def test_opposite_directions_in_one_slot_contradict() -> None:
    # The real sentence, and the same sentence with its XNLI gain turned into a drop.
    flipped = XLMR_V2.replace("+14.6% average accuracy", "a drop of 14.6% average accuracy")
    found = slot_contradictions(
        [_claim("a", XLMR_V2, "1911.02116"), _claim("b", flipped, "2001.00001")]
    )
    xnli = [c for c in found if "XNLI" in c.slot]
    assert xnli and xnli[0].kind == "direction"
    assert "increase" in xnli[0].reason and "decrease" in xnli[0].reason
