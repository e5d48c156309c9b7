"""Choose and measure the citation-relevance thresholds of ``litcheck.verify.citations``.

Data built for the purpose:
- SciFact dev (../shared/data/claims/scifact): each claim against the abstract it cites (on
  topic) and against a random other abstract (off topic), 200 claims, seeded;
- hand-written NLP set: the 11 claims of ../shared/examples/synthesis-report.txt against a
  description of the paper they come from (2104.08645, on topic) and against descriptions of
  the two off-topic references (a French toxicity dataset, a sparse fine-tuning method); the
  descriptions are written for litcheck (tests/data/example_references.jsonl), not the papers'
  abstracts, which were not available offline.

The threshold of each method is the largest value (0.01 grid) that flags at most 2.5% of the
SciFact on-topic citations.
Run: ``python benchmarks/bench_citations.py`` (writes reports/benchmarks/citations.md).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from litcheck.verify.citations import _terms, tfidf_similarity

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "claims" / "scifact"
EXAMPLE = ROOT.parent / "shared" / "examples" / "synthesis-report.txt"
REFS = ROOT / "tests" / "data" / "example_references.jsonl"
OUT = ROOT / "reports" / "benchmarks" / "citations.md"


def scifact_pairs(n: int = 200, seed: int = 5) -> tuple[list[tuple[str, str, bool]], list[str]]:
    corpus = {}
    for line in (DATA / "corpus.jsonl").open():
        d = json.loads(line)
        corpus[d["doc_id"]] = f"{d['title']}. {' '.join(d['abstract'])}"
    claims = [json.loads(x) for x in (DATA / "claims_dev.jsonl").open()]
    rng = random.Random(seed)
    rng.shuffle(claims)
    ids = list(corpus)
    pairs: list[tuple[str, str, bool]] = []
    for c in claims[:n]:
        cited = [d for d in c["cited_doc_ids"] if d in corpus]
        if not cited:
            continue
        pairs.append((c["claim"], corpus[cited[0]], True))
        other = rng.choice(ids)
        while other in c["cited_doc_ids"]:
            other = rng.choice(ids)
        pairs.append((c["claim"], corpus[other], False))
    return pairs, list(corpus.values())


def nlp_pairs() -> list[tuple[str, str, bool]]:
    from litcheck.extract.report_table import parse_report

    rows = parse_report(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE)).rows
    refs = [json.loads(x) for x in REFS.open()]
    texts = {r["arxiv_id"].split("v")[0]: f"{r['title']}. {r['abstract']}" for r in refs}
    out = []
    for row in rows:
        out.append((row.text, texts["2104.08645"], True))
        out.append((row.text, texts["2508.11281"], False))
        out.append((row.text, texts["2505.15090"], False))
    return out


def _df(docs: list[str]) -> tuple[dict[str, int], int]:
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(_terms(d)))
    return dict(df), len(docs)


def rates(sims: list[float], labels: list[bool], threshold: float) -> tuple[float, float]:
    pos = [s for s, y in zip(sims, labels, strict=True) if y]
    neg = [s for s, y in zip(sims, labels, strict=True) if not y]
    false_flags = sum(s < threshold for s in pos) / len(pos)
    caught = sum(s < threshold for s in neg) / len(neg)
    return false_flags, caught


def choose_threshold(on_topic: list[float], budget: float = 0.025) -> float:
    """Largest threshold on a 0.01 grid that flags at most ``budget`` of on-topic citations."""
    best = 0.0
    for step in range(1, 100):
        thr = step / 100
        if sum(s < thr for s in on_topic) / len(on_topic) <= budget:
            best = thr
        else:
            break
    return best


def main() -> None:
    if not DATA.is_dir():
        sys.exit(f"{DATA} is absent")
    sci, corpus = scifact_pairs()
    nlp = nlp_pairs()
    df, n = _df(corpus)
    results: dict[str, dict[str, object]] = {}
    t0 = time.perf_counter()
    tf_sci = [tfidf_similarity(c, d, df, n) for c, d, _ in sci]
    tf_nlp = [tfidf_similarity(c, d, df, n) for c, d, _ in nlp]
    results["tfidf"] = {"sci": tf_sci, "nlp": tf_nlp, "seconds": time.perf_counter() - t0}
    try:
        from litcheck.verify.embed import Embedder

        emb = Embedder("all-MiniLM-L6-v2")
        t0 = time.perf_counter()

        def cos(pairs: list[tuple[str, str, bool]]) -> list[float]:
            texts = sorted({t for c, d, _ in pairs for t in (c, d)})
            vecs = emb.encode(texts)
            at = {t: i for i, t in enumerate(texts)}
            return [float(vecs[at[c]] @ vecs[at[d]]) for c, d, _ in pairs]

        results["embedding"] = {"sci": cos(sci), "nlp": cos(nlp), "seconds": 0.0}
        results["embedding"]["seconds"] = time.perf_counter() - t0
    except Exception as exc:  # no model available: report TF-IDF only
        print(f"embedding skipped: {exc}")
    sci_y = [y for *_, y in sci]
    nlp_y = [y for *_, y in nlp]
    lines = [
        "# Citation relevance: thresholds and how well they separate",
        "",
        "Command: `python benchmarks/bench_citations.py`",
        "",
        f"SciFact dev: {sum(sci_y)} claims against their cited abstract (on topic) and a random "
        "abstract (off topic). NLP set: the 11 claims of the example synthesis report against a "
        "description of their source paper (on topic) and descriptions of a French toxicity "
        "dataset paper and a sparse fine-tuning paper (off topic; descriptions written for "
        "litcheck in tests/data/example_references.jsonl, not the real abstracts). TF-IDF IDF "
        "from the 5,183 SciFact abstracts. Threshold = largest value on a 0.01 grid that "
        "flags at most 2.5% of the SciFact on-topic citations.",
        "",
        "| method | threshold | SciFact on-topic flagged | SciFact random flagged | "
        "NLP on-topic flagged | NLP off-topic flagged | on-topic median | off-topic median | "
        "time |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        sims_sci: list[float] = r["sci"]  # type: ignore[assignment]
        sims_nlp: list[float] = r["nlp"]  # type: ignore[assignment]
        pos = [s for s, y in zip(sims_sci, sci_y, strict=True) if y]
        thr = choose_threshold(pos)
        ff, caught = rates(sims_sci, sci_y, thr)
        nff, ncaught = rates(sims_nlp, nlp_y, thr)
        neg = [s for s, y in zip(sims_sci, sci_y, strict=True) if not y]
        lines.append(
            f"| {name} | {thr:.2f} | {ff:.1%} | {caught:.1%} | {nff:.1%} | {ncaught:.1%} | "
            f"{np.median(pos):.2f} | {np.median(neg):.2f} | {r['seconds']:.1f} s |"
        )
    lines += [
        "",
        "Per NLP claim (embedding cosine when available, else TF-IDF): on-topic / toxicity / "
        "sparse-FT",
        "",
    ]
    key = "embedding" if "embedding" in results else "tfidf"
    sims_nlp = results[key]["nlp"]  # type: ignore[assignment]
    for i in range(0, len(nlp), 3):
        a, b, c = sims_nlp[i : i + 3]  # type: ignore[index]
        lines.append(f"- {nlp[i][0]} — {a:.2f} / {b:.2f} / {c:.2f}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[9:13]))


if __name__ == "__main__":
    main()
