"""Index, hybrid retrieval and the verify pipeline, with a hashing embedder (no model files)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from litcheck.library import Library
from litcheck.models import Claim, Label, Paper, Section
from litcheck.verify.index import PassageIndex, build_faiss_index
from litcheck.verify.judge import FALLBACK_NAME, FallbackJudge
from litcheck.verify.pipeline import verify_claims
from litcheck.verify.retrieval import HybridRetriever, rrf

from .conftest import HashEmbedder


def test_index_caches_embeddings_and_rebuilds_on_change(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    first_calls = embedder.calls
    assert len(index) == library.count("passages") and first_calls == len(index)
    again = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    assert embedder.calls == first_calls and again.ids == index.ids  # loaded from disk
    library.add_paper(Paper(arxiv_id="2001.00001", title="New", abstract="A new passage here."))
    grown = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    assert len(grown) == len(index) + 1 and embedder.calls == first_calls + 1  # incremental
    other = HashEmbedder(dim=32, name="other-model")
    switched = PassageIndex.open(library, other, tmp_path / "cache", show_progress=False)
    assert switched.vectors.shape[1] == 32  # model change: its own cache and index


def test_restricted_search_only_returns_cited_papers(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    q = embedder.encode(["XLM-R outperforms mBERT on XNLI"])
    hits = index.search(q, 5, restrict=index.ids_of_papers(["2104.08645"]))[0]
    assert hits and all(pid.startswith("2104.08645:") for pid, _ in hits)
    assert index.search(q, 1)[0][0][0].startswith("1911.02116:")


def test_hnsw_matches_exact_on_small_data() -> None:
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(2000, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    exact = build_faiss_index(vecs, exact=True)
    _, e = exact.search(vecs[:50], 10)
    for kind, name in (("hnsw", "IndexHNSWFlat"), ("ivf", "IndexIVFFlat")):
        ann = build_faiss_index(vecs, exact=False, kind=kind)
        _, a = ann.search(vecs[:50], 10)
        recall = np.mean([len(set(e[i]) & set(a[i])) / 10 for i in range(50)])
        assert type(ann).__name__ == name and recall > 0.6


def test_rrf_fuses_rankings() -> None:
    fused = rrf([["a", "b", "c"], ["b", "d"]])
    assert fused[0][0] == "b" and {k for k, _ in fused} == {"a", "b", "c", "d"}


def test_retriever_selects_sentences(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    cands = HybridRetriever(library, index).retrieve(
        ["Randomized smoothing improves accuracy by 2.1 points on PAWS-X."], [["2104.08645"]]
    )[0]
    assert cands and "2.1 points" in " ".join(cands[0].sentences)
    assert len(cands[0].sentences) <= 2
    # Sentence embeddings are cached in the library under a separate model key.
    assert any(m.endswith("#sentences") for m in library.embedding_models())


def test_pipeline_verdicts_never_drop_a_claim(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    claims = [
        Claim(
            id="ok",
            text="Robust training improves accuracy by 2.1 points on PAWS-X.",
            cites=["2104.08645v2"],
        ),
        Claim(
            id="wrong",
            text="Robust training improves accuracy by 3.5 points on PAWS-X.",
            cites=["https://arxiv.org/abs/2104.08645"],
        ),
        Claim(id="empty", text="   "),
        Claim(id="long", text="word " * 5000),
        Claim(id="missing", text="Anything.", cites=["2401.99999"]),
        Claim(id="partly", text="XLM-R outperforms mBERT on XNLI.", cites=["1911.02116", "bogus"]),
    ]
    verdicts = verify_claims(claims, library, index, FallbackJudge(), show_progress=False)
    by_id = {v.id: v for v in verdicts}
    assert [v.id for v in verdicts] == [c.id for c in claims]
    assert by_id["ok"].verdict is Label.SUPPORTED and by_id["ok"].evidence[0].paper == "2104.08645"
    assert by_id["wrong"].verdict is Label.CONTRADICTED and "3.5" in (by_id["wrong"].reason or "")
    assert by_id["empty"].verdict is Label.NOT_ENOUGH_INFO and "empty" in (
        by_id["empty"].reason or ""
    )
    assert "characters long" in (by_id["long"].reason or "")
    assert "2401.99999" in (by_id["missing"].reason or "")
    assert "bogus" in (by_id["partly"].reason or "")
    assert all(v.judge == FALLBACK_NAME for v in verdicts)
    assert all(0.0 <= v.confidence <= 1.0 for v in verdicts)
    # Claims that could not be checked say so and carry no meaningful confidence.
    assert not by_id["empty"].checked and not by_id["missing"].checked and by_id["ok"].checked
    # The quote is the sentence the verdict rests on, with its span in the passage.
    ev = by_id["ok"].evidence[0]
    assert ev.start is not None and ev.end is not None and ev.role in ("supports", "figure")


def test_table_caption_gives_rows_their_dataset(tmp_path: Path, embedder: HashEmbedder) -> None:
    lib = Library.open(tmp_path / "t.sqlite")
    lib.add_paper(
        Paper(
            arxiv_id="2104.08645",
            title="T",
            sections=[
                Section(
                    title="Results",
                    text="Table 1: Accuracy on PAWS-X.\n\nModel | en | de\n"
                    "mBERT | 94.0 | 85.7\nRS-DA | 94.4 | 87.6",
                )
            ],
        )
    )
    index = PassageIndex.open(lib, embedder, tmp_path / "cache", show_progress=False)
    verdicts = verify_claims(
        [
            Claim(id="a", text="RS-DA reaches 87.6 on German PAWS-X.", cites=["2104.08645"]),
            Claim(id="b", text="RS-DA improves German PAWS-X by 1.9 points.", cites=["2104.08645"]),
        ],
        lib,
        index,
        FallbackJudge(),
        show_progress=False,
    )
    assert [v.verdict for v in verdicts] == [Label.SUPPORTED, Label.SUPPORTED]


def test_retrieval_nei_shift_and_recorded_probabilities(
    library: Library, embedder: HashEmbedder, tmp_path: Path
) -> None:
    from litcheck.verify.pipeline import shift_nei

    p = shift_nei(np.array([0.5, 0.25, 0.25]), float(np.log(3.0)))
    assert np.allclose(p, [0.4, 0.2, 0.6] / np.sum([0.4, 0.2, 0.6]))
    index = PassageIndex.open(library, embedder, tmp_path / "cache", show_progress=False)
    from litcheck.verify.pipeline import judge_claims

    claim = Claim(id="x", text="XLM-R outperforms mBERT on XNLI.")
    judged = judge_claims([claim], library, index, FallbackJudge(), show_progress=False)[0]
    assert judged.passage_probs and all(len(sp) >= 1 for sp in judged.sentence_probs)
    base = verify_claims(
        [claim], library, index, FallbackJudge(), nei_shift=0.0, show_progress=False
    )[0]
    assert base.verdict is Label.SUPPORTED
    shifted = verify_claims(
        [claim], library, index, FallbackJudge(), nei_shift=8.0, show_progress=False
    )[0]
    assert shifted.verdict is Label.NOT_ENOUGH_INFO


def test_the_first_quote_is_the_sentence_that_states_the_claim() -> None:
    # The judge often supports every sentence of an abstract that agrees with the claim's
    # drift about equally; the sentence that says what the claim says must be quoted first.
    from litcheck.models import Passage
    from litcheck.verify.pipeline import Judged, PreparedClaim, _quotes
    from litcheck.verify.retrieval import Candidate

    drift = "XLM-R performs particularly well on low-resource languages such as Swahili."
    states = "We train a masked language model on one hundred languages."
    text = f"{drift} {states}"
    passage = Passage(
        id="p:0:0", paper_id="p", section_index=0, section_title="Abstract", index=0,
        start=0, end=len(text), text=text, kind="abstract",
    )  # fmt: skip
    cand = Candidate(passage, 1.0, [drift, states], [0.9, 0.8], [drift, states])
    claim = Claim(id="c", text="XLM-R covers one hundred languages.")
    probs = [np.array([0.52, 0.1, 0.38]), np.array([0.47, 0.1, 0.43])]
    judged = Judged(PreparedClaim(claim, None, None, []), [cand], [probs], [probs[0]], None,
                    np.zeros(3))  # fmt: skip
    quotes = _quotes(judged, 0)
    assert [q.text for q in quotes] == [states, drift]
    assert quotes[0].score == 0.47 and quotes[0].start == len(drift) + 1
    # Probability still rules when the sentences say the claim equally.
    even = Judged(PreparedClaim(Claim(id="d", text="Languages."), None, None, []),
                  [cand], [probs], [probs[0]], None, np.zeros(3))  # fmt: skip
    assert _quotes(even, 0)[0].text == drift
