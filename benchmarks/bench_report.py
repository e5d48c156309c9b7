"""Report benchmark: time per stage and in total for a 20-paper report from imported papers.

Run: python benchmarks/bench_report.py [--papers 20] [--seed 0] [--embedding all-MiniLM-L6-v2]
Writes reports/benchmarks/report.md (and prints it).

What is measured, on this machine, with the real components (the sentence-embedding model, the
offline extractor, litcheck.verify's hybrid retrieval + judge + numeric checker):
- a library holding N synthetic full-text papers on the report's topic (6 sections of prose
  with figures and a results table each, about 20 kB per paper), imported like
  `litcheck library import` does; then
- `build_report` from the library (`litcheck --offline report ...`): cold (first report: claims
  extracted and passages embedded into the library's cache) and warm (second report: both
  reused). Model loading is timed separately.
The target (issue 7): a 20-paper report in < 60 s on 2 CPU cores after the papers are stored.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.library import Library, make_passages  # noqa: E402
from litcheck.models import Paper, Section  # noqa: E402

QUESTION = "How does robust training change zero-shot cross-lingual transfer?"
METHODS = ["robust training", "randomized smoothing", "adversarial training", "data augmentation"]
TASKS = ["PAWS-X", "XNLI", "MLQA", "XQuAD"]
LANGS = ["German", "Spanish", "French", "Chinese", "Japanese", "Korean"]
FILLER = [
    "Multilingual encoders such as mBERT and XLM-R are pre-trained on text in about one hundred "
    "languages.",
    "We fine-tune the encoder on English training data and evaluate it on other languages.",
    "The embedding spaces of different languages are not perfectly aligned.",
    "Parallel corpora are expensive to obtain for low-resource languages.",
    "We use the same hyper-parameters for every language and report the mean of three seeds.",
    "Our implementation builds on the public code of the XTREME benchmark.",
    "Table 2 lists the accuracy of every model on each target language.",
    "The learning rate is warmed up linearly during the first ten percent of the steps.",
    "Protein structures are predicted by a diffusion model conditioned on the sequence.",
    "Galaxies in the survey were classified by their spectral energy distribution.",
]


def _sentence(rng: random.Random) -> str:
    m, t, lang = rng.choice(METHODS), rng.choice(TASKS), rng.choice(LANGS)
    x = round(rng.uniform(0.3, 4.0), 1)
    acc = round(rng.uniform(60, 90), 1)
    return rng.choice(
        [
            f"{m.capitalize()} improves zero-shot cross-lingual transfer on {t} by {x} points.",
            f"With {m}, the accuracy on {t} for {lang} reaches {acc}%.",
            f"{m.capitalize()} does not improve cross-lingual transfer to {lang} on {t}.",
            f"Compared to standard fine-tuning, {m} reduces the transfer gap on {t} by {x} points.",
            f"The model trained with {m} is more robust to word substitutions in {lang}.",
        ]
    )


def synthetic_papers(n: int, seed: int) -> list[Paper]:
    """N topical papers with full text: prose with figures, and one results table each."""
    from datetime import datetime

    rng = random.Random(seed)
    papers = []
    for i in range(n):
        sections = []
        for title in (
            "1 Introduction",
            "2 Related Work",
            "3 Method",
            "4 Experiments",
            "5 Results",
            "6 Conclusion",
        ):
            paras = []
            for _ in range(4):
                sents = [
                    _sentence(rng) if rng.random() < 0.45 else rng.choice(FILLER) for _ in range(6)
                ]
                paras.append(" ".join(sents))
            sections.append(Section(title=title, text="\n\n".join(paras)))
        rows = "\n".join(
            f"{m} | " + " | ".join(f"{rng.uniform(60, 90):.1f}" for _ in TASKS) for m in METHODS
        )
        sections.append(
            Section(
                title="Table 1",
                text="Table 1: Zero-shot accuracy.\n\nMethod | " + " | ".join(TASKS) + "\n" + rows,
            )
        )
        papers.append(
            Paper(
                arxiv_id=f"2{i // 10:03d}.{10000 + i:05d}",
                version=1,
                title=f"{rng.choice(METHODS).capitalize()} for cross-lingual transfer, part {i}",
                authors=[f"Author {i}"],
                abstract=" ".join(_sentence(rng) for _ in range(4)),
                published=datetime(2021, 1 + i % 12, 1, tzinfo=UTC),
                sections=sections,
                full_text_source="import",
            )
        )
    return papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embedding", default="all-MiniLM-L6-v2")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "benchmarks" / "report.md")
    args = parser.parse_args()
    os.environ.setdefault("LITCHECK_NO_PROGRESS", "1")

    from litcheck.console import atomic_write_text
    from litcheck.report.components import default_embedder, default_extractor, default_verifier
    from litcheck.report.pipeline import ReportOptions, build_report
    from litcheck.report.sources import LibrarySource
    from litcheck.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        cfg = load_settings(home=home, offline=True, embedding_model=args.embedding)
        papers = synthetic_papers(args.papers, args.seed)
        t0 = time.perf_counter()
        lib = Library.open(cfg.library_path)
        lib.add_papers([(p, make_passages(p)) for p in papers])
        t_import = time.perf_counter() - t0
        n_passages = lib.count("passages")
        t0 = time.perf_counter()
        embedder = default_embedder(cfg)
        verifier = default_verifier(lib, cfg, embedder)
        t_load = time.perf_counter() - t0
        runs = []
        for label in ("cold", "warm"):
            t0 = time.perf_counter()
            report = build_report(
                QUESTION,
                lib,
                LibrarySource(lib, embedder),
                default_extractor(lib, cfg),
                embedder,
                verifier,
                ReportOptions(max_papers=args.papers),
            )
            runs.append((label, report, time.perf_counter() - t0))
        lib.close()

    lines = [
        "# Report benchmark",
        "",
        f"Command: `python benchmarks/bench_report.py --papers {args.papers} --seed {args.seed}"
        f" --embedding {args.embedding}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores visible (shared), "
        f"Python {platform.python_version()}.",
        f"Library: {args.papers} synthetic full-text papers, {n_passages} passages, imported in "
        f"{t_import:.2f} s. Question: “{QUESTION}”.",
        f"Models: embedding {runs[0][1].method.embedding_model}; extractor "
        f"{runs[0][1].method.extractor}; verifier {runs[0][1].method.verifier}.",
        f"Model loading (embedding model + judge): {t_load:.2f} s (not part of the totals).",
        "",
        "| stage | cold (s) | warm (s) | items (cold) |",
        "|---|---|---|---|",
    ]
    cold, warm = runs[0][1], runs[1][1]
    for a, b in zip(cold.method.timings, warm.method.timings, strict=True):
        lines.append(f"| {a.stage} | {a.seconds:.2f} | {b.seconds:.2f} | {a.items} |")
    lines.append(f"| **total** | **{runs[0][2]:.2f}** | **{runs[1][2]:.2f}** | |")
    lines += [
        "",
        f"Claims: {cold.method.claims_extracted} extracted, {cold.method.claims_relevant} "
        f"relevant, {cold.method.claims_verified} verified; "
        f"{len(cold.contradictions)} contradiction(s).",
        "",
        "Cold = first report over freshly imported papers (claims extracted and stored, passage "
        "embeddings computed and cached); warm = the same report again (both reused). Target: "
        f"< 60 s for {args.papers} papers: cold {'met' if runs[0][2] < 60 else 'NOT met'}, "
        f"warm {'met' if runs[1][2] < 60 else 'NOT met'}.",
        "",
    ]
    text = "\n".join(lines)
    atomic_write_text(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
