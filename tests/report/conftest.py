"""Fixtures for the report tests: a small imported library, stub extractor and verifier.

The stubs are deliberately simple and deterministic (word overlap and number comparison): the
tests check the report pipeline's plumbing, rules and formats, not the quality of
``litcheck.verify``'s judge.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from litcheck.library import Library
from litcheck.models import Claim, Evidence, Label, Paper, Passage, Verdict
from litcheck.report.components import HashingEmbedder
from litcheck.report.pipeline import ReportOptions

FIXED_NOW = datetime(2026, 7, 6, 12, 0, 0, tzinfo=UTC)

PAPERS: list[dict[str, object]] = [
    {
        "arxiv_id": "2104.08645v2",
        "title": "Improving Zero-Shot Cross-Lingual Transfer Learning via Robust Training",
        "authors": ["Kuan-Hao Huang", "Wasi Uddin Ahmad", "Nanyun Peng", "Kai-Wei Chang"],
        "published": "2021-04-18T00:00:00Z",
        "abstract": "We study robust training for zero-shot cross-lingual transfer.",
        "sections": [
            {
                "title": "4 Results",
                "text": (
                    "Robust training improves zero-shot cross-lingual transfer accuracy on PAWS-X "
                    "by 2.1 points. Robust training improves zero-shot cross-lingual transfer "
                    "accuracy on XNLI by 1.6 points. Randomized smoothing makes multilingual "
                    "encoders tolerate noise in the context of cross-lingual transfer."
                ),
            },
        ],
    },
    {
        "arxiv_id": "2201.00001v1",
        "title": "Revisiting Robust Training for Cross-Lingual Transfer",
        "authors": ["Ada Lovelace"],
        "published": "2022-01-03T00:00:00Z",
        "abstract": "We replicate robust training for zero-shot cross-lingual transfer.",
        "sections": [
            {
                "title": "3 Replication",
                "text": (
                    "Robust training improves zero-shot cross-lingual transfer accuracy on PAWS-X "
                    "by 2.1 points in our replication. Robust training improves zero-shot "
                    "cross-lingual transfer accuracy on XNLI by 0.2 points only."
                ),
            },
        ],
    },
    {
        "arxiv_id": "2303.00002v1",
        "title": "Intermediate Fine-Tuning on Romance Languages for Transfer",
        "authors": ["Grace Hopper", "Alan Turing"],
        "published": "2023-03-01T00:00:00Z",
        "abstract": (
            "Intermediate fine-tuning on Romance languages helps zero-shot cross-lingual "
            "transfer to Spanish and French."
        ),
        "sections": [],
    },
    {
        "arxiv_id": "2305.00003v1",
        "title": "Protein Folding with Diffusion Models",
        "authors": ["Rosalind Franklin"],
        "published": "2023-05-01T00:00:00Z",
        "abstract": "Diffusion models predict protein structures from amino acid sequences.",
        "sections": [
            {
                "title": "2 Method",
                "text": (
                    "Our diffusion model predicts protein backbone coordinates from sequence "
                    "embeddings with high fidelity on the benchmark."
                ),
            },
        ],
    },
]

QUESTION = "How does robust training change zero-shot cross-lingual transfer?"


def write_papers(path: Path, papers: Sequence[dict[str, object]] = PAPERS) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    return path


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z-]+", text.lower()) if len(w) > 2}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


class StubExtractor:
    """Every sentence of six words or more becomes a claim."""

    name = "stub-extractor/1"

    def extract(self, paper: Paper, passages: Sequence[Passage]) -> list[Claim]:
        out: list[Claim] = []
        for p in passages:
            for s in _sentences(p.text):
                if len(s.split()) >= 6:
                    out.append(
                        Claim(
                            id=Claim.make_id(paper.versioned_id, self.name, s),
                            text=s,
                            paper_id=paper.arxiv_id,
                            paper_version=paper.version,
                            section=p.section_title,
                            passage_id=p.id,
                            extractor=self.name,
                        )
                    )
        return out


class StubVerifier:
    """Best-overlap sentence of the paper: same numbers -> SUPPORTED, other numbers ->
    CONTRADICTED, weak overlap -> a low-confidence SUPPORTED (to exercise abstention)."""

    name = "stub-verifier/1"

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.calls: list[tuple[int, tuple[str, ...]]] = []

    def verify(self, claims: Sequence[Claim], paper_ids: Sequence[str]) -> list[Verdict]:
        self.calls.append((len(claims), tuple(paper_ids)))
        passages = self.lib.passages(list(paper_ids))
        out: list[Verdict] = []
        for claim in claims:
            best: tuple[float, str, Passage | None] = (0.0, "", None)
            cw = _words(claim.text)
            for p in passages:
                for s in _sentences(p.text):
                    ov = len(cw & _words(s)) / max(len(cw), 1)
                    if ov > best[0]:
                        best = (ov, s, p)
            ov, sentence, passage = best
            evidence = []
            if passage is not None:
                evidence = [
                    Evidence(
                        paper=passage.paper_id,
                        section=passage.section_title,
                        text=sentence,
                        score=round(ov, 3),
                        passage_id=passage.id,
                    )
                ]
            if ov >= 0.75:
                same = _numbers(claim.text) == _numbers(sentence)
                label = Label.SUPPORTED if same else Label.CONTRADICTED
                conf = round(0.55 + 0.4 * ov, 3)
            elif ov >= 0.5:
                label, conf = Label.SUPPORTED, 0.42
            else:
                label, conf = Label.NOT_ENOUGH_INFO, 0.7
            out.append(
                Verdict(
                    id=claim.id,
                    claim=claim.text,
                    verdict=label,
                    confidence=conf,
                    evidence=evidence,
                    judge=self.name,
                )
            )
        return out


class FakeClock:
    """Each reading is one second after the previous one."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return float(next(self._ticks))


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    from litcheck.library import make_passages
    from litcheck.library.importer import read_papers_file

    papers = read_papers_file(write_papers(tmp_path / "papers.jsonl"))
    library = Library.open(tmp_path / "lib.sqlite")
    library.add_papers([(p, make_passages(p)) for p in papers])
    try:
        yield library
    finally:
        library.close()


@pytest.fixture
def options() -> ReportOptions:
    return ReportOptions(max_papers=4, now=FIXED_NOW, clock=FakeClock())


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()
