"""Hand-labelled claims about machine-learning papers, checked by ``verify`` as a user runs it.

Each claim of ``data/benchmarks/ml-claims.jsonl`` was written by hand against one abstract of
``data/corpus/xlt-robustness.jsonl`` (see ``data/benchmarks/README.md``) and carries the label
that abstract alone decides. The abstracts are imported into a fresh library and every claim
goes through the full ``verify`` pipeline twice: citing its paper (``cites``, as a report's
claim is checked) and citing nothing (open retrieval over the 20 abstracts). Judges, scored in
the same run:

- the shipped judge (the default of a fresh install);
- the lexical fallback (``--judge fallback``);
- a word-overlap rule (a floor: SUPPORTED when some sentence of the searched abstracts holds
  at least half of the claim's content stems, otherwise NOT_ENOUGH_INFO; never CONTRADICTED).

Reported: macro-F1, per-class F1, accuracy, ECE of the verdicts' confidences, the confusion
matrix and accuracy per kind of claim (paraphrase, figure, direction, wrong-paper, ...).

Usage (results land in reports/benchmarks/ml-claims.json and ml-claims.md):

    python benchmarks/eval_ml_claims.py
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from litcheck.library import Library  # noqa: E402
from litcheck.library.importer import read_papers_file  # noqa: E402
from litcheck.models import Claim, Label, Verdict  # noqa: E402
from litcheck.verify.calibration import ece, per_class_f1  # noqa: E402
from litcheck.verify.embed import Embedder  # noqa: E402
from litcheck.verify.index import PassageIndex  # noqa: E402
from litcheck.verify.judge import FallbackJudge, Judge  # noqa: E402
from litcheck.verify.labels import LABELS  # noqa: E402
from litcheck.verify.onnx_judge import SHIPPED_DIR, OnnxJudge  # noqa: E402
from litcheck.verify.pipeline import verify_claims  # noqa: E402
from litcheck.verify.text import split_sentences, stems  # noqa: E402

OUT_JSON = ROOT / "reports" / "benchmarks" / "ml-claims.json"
OUT_MD = ROOT / "reports" / "benchmarks" / "ml-claims.md"
OVERLAP_FLOOR = 0.5


def read_claims(path: Path) -> list[dict[str, Any]]:
    """The labelled claims, one JSON object per line."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        row["label"] = Label(row["label"])
    return rows


def _number(claim_id: str) -> int:
    digits = "".join(ch for ch in claim_id if ch.isdigit())
    return int(digits) if digits else 0


def overlap_verdicts(
    rows: list[dict[str, Any]], abstracts: dict[str, str], open_search: bool
) -> list[tuple[Label, float]]:
    """The word-overlap floor: SUPPORTED where a sentence holds half the claim's stems."""
    out = []
    for row in rows:
        papers = list(abstracts) if open_search else [c.split("v")[0] for c in row["cites"]]
        claim = stems(row["claim"])
        best = 0.0
        for paper in papers:
            for sentence in split_sentences(abstracts.get(paper, "")):
                if claim:
                    best = max(best, len(claim & stems(sentence)) / len(claim))
        label = Label.SUPPORTED if best >= OVERLAP_FLOOR else Label.NOT_ENOUGH_INFO
        out.append((label, best if label is Label.SUPPORTED else 1.0 - best))
    return out


def score(rows: list[dict[str, Any]], given: list[tuple[Label, float]]) -> dict[str, Any]:
    """Macro-F1, per-class F1, accuracy, ECE, confusion and per-kind accuracy."""
    gold = np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64)
    pred = np.array([LABELS.index(g) for g, _ in given], dtype=np.int64)
    conf = np.array([c for _, c in given], dtype=np.float64)
    f1 = per_class_f1(gold, pred)
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, p, g in zip(rows, pred, gold, strict=True):
        per_kind[row.get("kind", "?")][0] += int(p == g)
        per_kind[row.get("kind", "?")][1] += 1
    confusion = {
        gl.value: {pl.value: int(np.sum((gold == i) & (pred == j))) for j, pl in enumerate(LABELS)}
        for i, gl in enumerate(LABELS)
    }
    return {
        "claims": len(rows),
        "macro_f1": round(float(np.mean(f1)), 3),
        "f1": {lab.value: round(v, 3) for lab, v in zip(LABELS, f1, strict=True)},
        "accuracy": round(float(np.mean(pred == gold)), 3),
        "ece": round(ece(conf, pred == gold), 3),
        "confusion": confusion,
        "per_kind": {k: {"right": r, "of": n} for k, (r, n) in sorted(per_kind.items())},
    }


def scored_with_halves(
    rows: list[dict[str, Any]], given: list[tuple[Label, float]]
) -> dict[str, Any]:
    """:func:`score`, plus the macro-F1 of the odd-id and the even-id halves."""
    out = score(rows, given)
    for half, parity in (("odd", 1), ("even", 0)):
        keep = [i for i, r in enumerate(rows) if _number(r["id"]) % 2 == parity]
        out[f"macro_f1_{half}"] = score([rows[i] for i in keep], [given[i] for i in keep])[
            "macro_f1"
        ]
    return out


def run(claims_path: Path, corpus: Path, judge_dir: Path) -> dict[str, Any]:
    """Every judge and setting over the labelled claims; returns the results object."""
    every = read_claims(claims_path)
    papers = list(read_papers_file(corpus))
    abstracts = {p.arxiv_id.split("v")[0]: p.abstract for p in papers}
    judges: dict[str, Judge] = {"shipped": OnnxJudge(judge_dir), "fallback": FallbackJudge()}
    results: dict[str, Any] = {}
    wrong: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "lib.sqlite")
        for paper in papers:
            lib.add_paper(paper)
        index = PassageIndex.open(
            lib, Embedder("all-MiniLM-L6-v2"), Path(tmp) / "cache", show_progress=False
        )
        for setting in ("cites", "open"):
            # A wrong-paper claim is stated by another of the abstracts: searched openly, its
            # label (judged against the cited abstract) no longer holds.
            rows = [r for r in every if setting == "cites" or r.get("kind") != "wrong-paper"]
            claims = [
                Claim(id=r["id"], text=r["claim"], cites=r["cites"] if setting == "cites" else [])
                for r in rows
            ]
            for name, judge in judges.items():
                verdicts: list[Verdict] = verify_claims(
                    claims, lib, index, judge, show_progress=False
                )
                given = [(v.verdict, v.confidence) for v in verdicts]
                results[f"{name}/{setting}"] = scored_with_halves(rows, given)
                wrong[f"{name}/{setting}"] = [
                    {
                        "id": r["id"],
                        "kind": r.get("kind"),
                        "gold": r["label"].value,
                        "given": v.verdict.value,
                        "confidence": v.confidence,
                        "claim": r["claim"],
                        "reason": v.reason,
                    }
                    for r, v in zip(rows, verdicts, strict=True)
                    if v.verdict is not r["label"]
                ]
            results[f"word overlap/{setting}"] = scored_with_halves(
                rows, overlap_verdicts(rows, abstracts, setting == "open")
            )
    labels = dict(Counter(r["label"].value for r in every))
    return {"results": results, "wrong": wrong, "labels": labels}


def write_markdown(out: dict[str, Any]) -> str:
    """The human-readable table."""
    lines = [
        "# Hand-labelled claims about machine-learning papers",
        "",
        f"Command: `{out['command']}`, measured {out['measured']} on "
        f"{out['environment']['machine']} (Python {out['environment']['python']}). "
        f"Claims: `{out['claims_file']}` ({sum(out['labels'].values())}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(out["labels"].items()))
        + "), written by hand against the 20 abstracts of "
        f"`{out['corpus_file']}`; no judge was trained, calibrated or tuned on them.",
        "",
        "`cites`: each claim cites its paper, as a report's claims are checked. "
        "`open`: no citation, the 20 abstracts are searched (the wrong-paper claims left out: "
        "another abstract states them).",
        "",
        "Odd / even: macro-F1 on the claims with odd and even ids. Only the odd half's wrong "
        "verdicts were read while the verifier's rules were being written (2026-12-06); the "
        "even half is the held-out check of those rules.",
        "",
        "| judge | setting | claims | macro-F1 | odd / even | F1 S / C / NEI | accuracy | ECE |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for key, r in out["results"].items():
        name, setting = key.split("/")
        f = r["f1"]
        lines.append(
            f"| {name} | {setting} | {r['claims']} | {r['macro_f1']:.3f} | "
            f"{r['macro_f1_odd']:.3f} / "
            f"{r['macro_f1_even']:.3f} | {f['SUPPORTED']:.2f} / "
            f"{f['CONTRADICTED']:.2f} / {f['NOT_ENOUGH_INFO']:.2f} | {r['accuracy']:.3f} | "
            f"{r['ece']:.3f} |"
        )
    kinds = sorted({k for r in out["results"].values() for k in r["per_kind"]})
    keys = [k for k in out["results"] if k.endswith("/cites")]
    lines += [
        "",
        "Right per kind of claim (`cites`):",
        "",
        "| kind | " + " | ".join(k.split("/")[0] for k in keys) + " |",
        "|---|" + "---|" * len(keys),
    ]
    for kind in kinds:
        cells = []
        for key in keys:
            pk = out["results"][key]["per_kind"].get(kind, {"right": 0, "of": 0})
            cells.append(f"{pk['right']}/{pk['of']}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    c = out["results"]["shipped/cites"]["confusion"]
    lines += [
        "",
        "Confusion, shipped judge, `cites` (rows gold, columns given):",
        "",
        "| gold | SUPPORTED | CONTRADICTED | NOT_ENOUGH_INFO |",
        "|---|---|---|---|",
    ]
    for gold, row in c.items():
        lines.append(
            f"| {gold} | {row['SUPPORTED']} | {row['CONTRADICTED']} | {row['NOT_ENOUGH_INFO']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=Path, default=ROOT / "data" / "benchmarks" / "ml-claims.jsonl")
    ap.add_argument(
        "--corpus", type=Path, default=ROOT / "data" / "corpus" / "xlt-robustness.jsonl"
    )
    ap.add_argument("--judge", type=Path, default=SHIPPED_DIR, help="A judge folder (ONNX).")
    ap.add_argument("--out", type=Path, default=None, help="Write here instead of reports/.")
    args = ap.parse_args()

    def shown(p: Path) -> str:
        p = p.resolve()
        return str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p)

    out: dict[str, Any] = {
        "command": " ".join(["python benchmarks/eval_ml_claims.py", *sys.argv[1:]]),
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "environment": {"machine": platform.machine(), "python": platform.python_version()},
        "claims_file": shown(args.claims),
        "corpus_file": shown(args.corpus),
    }
    out |= run(args.claims, args.corpus, args.judge)
    out_json = (args.out / "ml-claims.json") if args.out else OUT_JSON
    out_md = (args.out / "ml-claims.md") if args.out else OUT_MD
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(json.dumps(out, indent=2))
    out_md.write_text(write_markdown(out))
    print(out_md.read_text())


if __name__ == "__main__":
    main()
