"""Stress test: do verdicts follow a one-word or one-figure change of the claim?

Every SciFact dev claim SUPPORTED by its gold rationale (never trained or calibrated on) is
changed by one rule, and the verdict the judge gives with the numeric checker (as the gold
evidence benchmark scores it) is read against the label the change implies:

- ``original``: unchanged, SUPPORTED (the baseline: a rule that answers CONTRADICTED to
  everything would score every change and fail here);
- ``figure`` (-> CONTRADICTED): a figure the claim shares with the evidence changed;
- ``identifier`` (-> NOT_ENOUGH_INFO): the same change where the number is part of a name
  ("GATA-3" -> "GATA-4", "kinesin-8" -> "kinesin-9"): the claim is then about another entity,
  which the evidence does not speak of;
- ``direction`` (-> CONTRADICTED): a direction word flipped ("increases" -> "decreases");
- ``negation`` (-> CONTRADICTED): an auxiliary negated ("is" -> "is not") or a negation removed;
- ``opposite`` (-> CONTRADICTED): a word turned into its opposite ("stable" -> "unstable",
  "similar" -> "different");
- ``count`` (-> CONTRADICTED): a count the claim shares with the evidence ("12 patients")
  doubled;
- ``name`` (-> NOT_ENOUGH_INFO): a dataset, language, metric, model or population name
  swapped for one the evidence does not name.

The figure, direction, negation and name rules are the ones the judge's training pairs were
built with (on train claims; identifier changes were among its figure changes); the opposite
and count rules are not. Seeded (13); the data folder's SciFact files are read.

A second part runs the same changes (plus ``task``: a task family swapped, "text
classification" -> "question answering", -> NOT_ENOUGH_INFO) on claims about machine-learning
papers: each sentence of the 20 abstracts of ``data/corpus/xlt-robustness.jsonl`` (papers on
cross-lingual transfer) is a claim citing its paper, checked by the full ``verify`` pipeline
(retrieval in the cited abstract, sentence judging, aggregation, numeric checker, sibling and
bearing rules). The unchanged sentence is a restatement, so ``original`` is an easy baseline
there; the changed ones are not.

Usage (results land in reports/benchmarks/stress.json and stress.md):

    python benchmarks/eval_stress.py
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_verifier import with_numeric  # noqa: E402

from litcheck.models import Label  # noqa: E402
from litcheck.settings import load_settings  # noqa: E402
from litcheck.verify.counts import parse_counts  # noqa: E402
from litcheck.verify.data import (  # noqa: E402
    Pair,
    denegate,
    flip_claim,
    negate,
    swap_name,
    swap_number,
    test_pairs,
)
from litcheck.verify.judge import FallbackJudge, Judge  # noqa: E402
from litcheck.verify.labels import LABELS  # noqa: E402
from litcheck.verify.mismatch import numbered_names  # noqa: E402
from litcheck.verify.onnx_judge import SHIPPED_DIR, OnnxJudge  # noqa: E402
from litcheck.verify.text import negation_count  # noqa: E402

OUT_JSON = ROOT / "reports" / "benchmarks" / "stress.json"
OUT_MD = ROOT / "reports" / "benchmarks" / "stress.md"

# Opposites written as the claim would be changed (one side's word -> the other's). Written
# apart from the fallback's cue table (litcheck.verify.judge), not imported from it; many pairs
# are in both, since both list common English opposites, so the ``opposite`` row measures how
# far the verdict follows a cue the system has, more than how it meets an unknown one.
OPPOSITES = (
    ("stable", "unstable"),
    ("effective", "ineffective"),
    ("efficient", "inefficient"),
    ("sufficient", "insufficient"),
    ("consistent", "inconsistent"),
    ("similar", "different"),
    ("likely", "unlikely"),
    ("common", "rare"),
    ("necessary", "unnecessary"),
    ("possible", "impossible"),
    ("safe", "unsafe"),
    ("present", "absent"),
    ("presence", "absence"),
    ("dependent", "independent"),
    ("early", "late"),
    ("large", "small"),
    ("larger", "smaller"),
    ("greater", "smaller"),
    ("more", "fewer"),
    ("better", "worse"),
    ("high", "low"),
    ("major", "minor"),
    ("strong", "weak"),
    ("strongly", "weakly"),
    ("accurate", "inaccurate"),
    ("correlated", "uncorrelated"),
    ("positively", "negatively"),
    ("successful", "unsuccessful"),
)
_OPPOSITE = {a: b for a, b in OPPOSITES} | {b: a for a, b in OPPOSITES}


def opposite(claim: str) -> str | None:
    """The claim with its first word that has an opposite in :data:`OPPOSITES` turned over."""
    for m in re.finditer(r"[A-Za-z]+", claim):
        word = m.group(0)
        other = _OPPOSITE.get(word.lower())
        if other is not None:
            if word[0].isupper():
                other = other[0].upper() + other[1:]
            return claim[: m.start()] + other + claim[m.end() :]
    return None


def double_count(claim: str, evidence: str) -> str | None:
    """The claim with a count it shares with the evidence doubled (digits only), or None."""
    for c in parse_counts(claim):
        digits = re.match(r"\d[\d,]*", c.text)
        if digits and digits.group(0) in evidence:
            value = int(digits.group(0).replace(",", ""))
            return claim[: c.start] + str(2 * value) + claim[c.start + len(digits.group(0)) :]
    return None


def stress_pairs(pairs: list[Pair], seed: int) -> dict[str, list[Pair]]:
    """Per rule, the changed SUPPORTED pairs with the label the change implies."""
    rng = random.Random(seed)
    out: dict[str, list[Pair]] = {
        k: []
        for k in (
            "original",
            "figure",
            "identifier",
            "direction",
            "negation",
            "opposite",
            "count",
            "name",
        )
    }
    for p in pairs:
        if p.label is not Label.SUPPORTED:
            continue
        out["original"].append(p)
        changes = {
            "figure": (swap_number(p.claim, p.evidence, rng), Label.CONTRADICTED),
            "direction": (flip_claim(p.claim), Label.CONTRADICTED),
            "negation": (
                denegate(p.claim) if negation_count(p.claim) else negate(p.claim),
                Label.CONTRADICTED,
            ),
            "opposite": (opposite(p.claim), Label.CONTRADICTED),
            "count": (double_count(p.claim, p.evidence), Label.CONTRADICTED),
            "name": (swap_name(p.claim, p.evidence, rng), Label.NOT_ENOUGH_INFO),
        }
        changed = changes["figure"][0]
        if changed is not None and numbered_names(changed) != numbered_names(p.claim):
            changes["identifier"] = (changed, Label.NOT_ENOUGH_INFO)
            del changes["figure"]
        for rule, (claim, label) in changes.items():
            if claim is not None and claim != p.claim:
                out[rule].append(Pair(claim, p.evidence, label, p.source + "+" + rule, p.group))
    return out


_TASK_SWAPS = (
    ("text classification", "question answering"),
    ("question answering", "text classification"),
    ("named entity recognition", "machine translation"),
    ("machine translation", "named entity recognition"),
    ("natural language inference", "summarization"),
    ("NLI", "summarization"),
    ("NER", "machine translation"),
    ("QA", "text classification"),
)


def swap_task(claim: str) -> str | None:
    """The claim with the first task family it names replaced by another, or None."""
    for old, new in _TASK_SWAPS:
        flags = 0 if old.isupper() else re.I
        m = re.search(rf"(?<![\w-]){re.escape(old)}(?![\w-])", claim, flags)
        if m:
            return claim[: m.start()] + new + claim[m.end() :]
    return None


def _citation_or_label(before: str, after: str) -> bool:
    """Whether the number that differs between the texts is a citation year, a date or an
    enumeration label, which changes no claim."""
    a, b = before.split(), after.split()
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x != y:
            return bool(re.fullmatch(r"\(?\d{1,4}\)?\W*|\(?[\d/]+\)?'?s?\W*", x)) and (
                "(" in x or "/" in x or ")" in x
            )
    return False


def corpus_claims(corpus: Path, seed: int) -> dict[str, list[tuple[str, str, Label]]]:
    """Per rule, (claim, cited arXiv id, implied label) from the corpus abstracts' sentences."""
    from litcheck.verify.text import split_sentences

    rng = random.Random(seed)
    out: dict[str, list[tuple[str, str, Label]]] = {}
    for line in corpus.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        paper, abstract = record["arxiv_id"], record.get("abstract", "")
        for sentence in split_sentences(abstract):
            if len(sentence.split()) < 6:
                continue
            changed: dict[str, tuple[str | None, Label]] = {
                "original": (sentence, Label.SUPPORTED),
                "figure": (swap_number(sentence, abstract, rng), Label.CONTRADICTED),
                "direction": (flip_claim(sentence), Label.CONTRADICTED),
                "negation": (
                    denegate(sentence) if negation_count(sentence) else negate(sentence),
                    Label.CONTRADICTED,
                ),
                "opposite": (opposite(sentence), Label.CONTRADICTED),
                "count": (double_count(sentence, abstract), Label.CONTRADICTED),
                "name": (swap_name(sentence, abstract, rng), Label.NOT_ENOUGH_INFO),
                "task": (swap_task(sentence), Label.NOT_ENOUGH_INFO),
            }
            figure = changed["figure"][0]
            if figure is not None and _citation_or_label(sentence, figure):
                del changed["figure"]  # a year in a citation, a date, an "(1)" enumeration
            elif figure is not None and numbered_names(figure) != numbered_names(sentence):
                changed["identifier"] = (figure, Label.NOT_ENOUGH_INFO)
                del changed["figure"]
            for rule, (claim, label) in changed.items():
                if claim is not None and (rule == "original" or claim != sentence):
                    out.setdefault(rule, []).append((claim, paper, label))
    return out


def corpus_eval(
    judges: dict[str, Judge], corpus: Path, seed: int
) -> dict[str, dict[str, dict[str, Any]]]:
    """Verdicts of ``verify`` (each claim citing its paper) per judge and rule."""
    import tempfile

    from litcheck.library import Library
    from litcheck.library.importer import read_papers_file
    from litcheck.models import Claim
    from litcheck.verify.embed import Embedder
    from litcheck.verify.index import PassageIndex
    from litcheck.verify.pipeline import verify_claims

    rules = corpus_claims(corpus, seed)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "lib.sqlite")
        for paper in read_papers_file(corpus):
            lib.add_paper(paper)
        index = PassageIndex.open(
            lib, Embedder("all-MiniLM-L6-v2"), Path(tmp) / "cache", show_progress=False
        )
        for name, judge in judges.items():
            results[name] = {}
            for rule, items in rules.items():
                claims = [
                    Claim(id=f"{rule}-{i}", text=text, cites=[paper])
                    for i, (text, paper, _) in enumerate(items)
                ]
                verdicts = verify_claims(claims, lib, index, judge, show_progress=False)
                given = [v.verdict for v in verdicts]
                right = sum(g is lab for g, (_, _, lab) in zip(given, items, strict=True))
                results[name][rule] = {
                    "pairs": len(items),
                    "right": round(right / len(items), 3),
                    "given": {lab.value: sum(g is lab for g in given) for lab in LABELS},
                }
    return results


def score_rule(judge: Judge, pairs: list[Pair]) -> dict[str, Any]:
    """Share of pairs given the implied label, and the spread of the labels given."""
    if not pairs:
        return {"pairs": 0}
    claims = [p.claim for p in pairs]
    ev = [p.evidence for p in pairs]
    probs = with_numeric(claims, ev, judge.probabilities(claims, ev))
    given = [LABELS[int(k)] for k in np.argmax(probs, axis=1)]
    right = sum(g is p.label for g, p in zip(given, pairs, strict=True))
    return {
        "pairs": len(pairs),
        "right": round(right / len(pairs), 3),
        "given": {lab.value: sum(g is lab for g in given) for lab in LABELS},
    }


def _table(per_judge: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    names = list(per_judge)
    lines = [
        "| rule | implied label | claims | "
        + " | ".join(f"{n}: right" for n in names)
        + " | "
        + " | ".join(f"{n}: S / C / N given" for n in names)
        + " |",
        "|---|---|---|" + "---|" * (2 * len(names)),
    ]
    implied = {
        "original": "SUPPORTED",
        "name": "NOT_ENOUGH_INFO",
        "identifier": "NOT_ENOUGH_INFO",
        "task": "NOT_ENOUGH_INFO",
    }
    for rule in per_judge[names[0]]:
        row = [per_judge[n][rule] for n in names]
        if not row[0]["pairs"]:
            continue
        rights = " | ".join(f"{r['right']:.1%}" for r in row)
        spread = " | ".join(
            " / ".join(str(r["given"][k]) for k in ("SUPPORTED", "CONTRADICTED", "NOT_ENOUGH_INFO"))
            for r in row
        )
        lines.append(
            f"| {rule} | {implied.get(rule, 'CONTRADICTED')} | {row[0]['pairs']} | {rights} | "
            f"{spread} |"
        )
    return lines


def write_markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Stress test: one-word and one-figure changes of claims",
        "",
        f"Command: `{results['command']}` ({results['measured']}, seed {results['seed']}; "
        f"Python {results['environment']['python']} on {results['environment']['machine']}). "
        "Each claim changed by one rule; the verdict against the label the change implies. "
        "The figure, direction, negation and name rules are the ones the judge's training "
        "pairs were built with (on train claims; identifier changes were among its figure "
        "changes); opposite, count and task are not.",
        "",
        "## SciFact dev, gold evidence",
        "",
        "Each SciFact dev claim SUPPORTED by its gold rationale; the verdict with gold evidence "
        "(judge + numeric checker + sibling rule, as the gold-evidence benchmark scores it). "
        "`original` is the unchanged claim.",
        "",
        *_table(results["judges"]),
    ]
    if results.get("corpus"):
        lines += [
            "",
            f"## Machine-learning abstracts, as `verify` runs ({results['corpus_file']})",
            "",
            "Each sentence of the corpus abstracts (6 words or more) is a claim citing its "
            "paper, checked by the full pipeline; `original` is the sentence unchanged (a "
            "restatement: an easy baseline).",
            "",
            *_table(results["corpus"]),
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--judge", type=Path, default=SHIPPED_DIR, help="A judge folder (ONNX).")
    ap.add_argument("--name", default="shipped")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=None, help="Write here instead of reports/.")
    ap.add_argument(
        "--corpus",
        type=Path,
        default=ROOT / "data" / "corpus" / "xlt-robustness.jsonl",
        help="Abstracts (JSONL) whose sentences are the machine-learning claims.",
    )
    args = ap.parse_args()
    data_dir = args.data or load_settings().data_dir
    rules = stress_pairs(test_pairs(data_dir), args.seed)
    judges: dict[str, Judge] = {args.name: OnnxJudge(args.judge), "fallback": FallbackJudge()}
    results: dict[str, Any] = {
        "command": " ".join(["python benchmarks/eval_stress.py", *sys.argv[1:]]),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "seed": args.seed,
        "environment": {"machine": platform.machine(), "python": platform.python_version()},
        "judges": {
            name: {rule: score_rule(judge, pairs) for rule, pairs in rules.items()}
            for name, judge in judges.items()
        },
    }
    if args.corpus.is_file():
        corpus = args.corpus.resolve()
        results["corpus_file"] = str(
            corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus
        )
        results["corpus"] = corpus_eval(judges, corpus, args.seed)
    out_json = (args.out / "stress.json") if args.out else OUT_JSON
    out_md = (args.out / "stress.md") if args.out else OUT_MD
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(results, indent=2))
    out_md.write_text(write_markdown(results))
    print(out_md.read_text())


if __name__ == "__main__":
    main()
