"""Merge quality: duplicates merged and false merges on the merge test set.

Run: ``python benchmarks/bench_merge.py`` (writes reports/benchmarks/merge.md).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge_pairs import Pair, all_pairs

from litcheck.retrieve.merge import merge_records

OUT = Path(__file__).resolve().parents[1] / "reports" / "benchmarks" / "merge.md"


def evaluate(pairs: list[Pair]) -> dict[str, object]:
    """Merge each pair on its own; count merged duplicates and merged non-duplicates."""
    dup_total = dup_merged = non_total = false_merges = 0
    missed: list[str] = []
    wrong: list[str] = []
    rules: Counter[str] = Counter()
    cases: Counter[str] = Counter()
    for p in pairs:
        merged = merge_records([p.a, p.b])
        joined = len(merged) == 1
        if p.same:
            dup_total += 1
            dup_merged += joined
            if joined:
                rules.update(merged[0].matched_by)
            else:
                missed.append(f"{p.case}: {p.a.title!r} / {p.b.title!r}")
        else:
            non_total += 1
            cases[p.case.split(",")[0]] += 1
            if joined:
                false_merges += 1
                wrong.append(f"{p.case}: {p.a.title!r} / {p.b.title!r}")
    return {
        "dup_total": dup_total,
        "dup_merged": dup_merged,
        "non_total": non_total,
        "false_merges": false_merges,
        "missed": missed,
        "wrong": wrong,
        "rules": rules,
        "cases": cases,
    }


def main() -> None:
    pairs = all_pairs()
    t0 = time.perf_counter()
    r = evaluate(pairs)
    seconds = time.perf_counter() - t0
    # One pool of all records: no pair's records may join another pair's paper.
    pool = [rec for p in pairs for rec in (p.a, p.b)]
    t1 = time.perf_counter()
    pooled = merge_records(pool)
    pool_seconds = time.perf_counter() - t1
    cluster = {id(rec): k for k, paper in enumerate(pooled) for rec in paper.records}
    pool_dup = sum(1 for p in pairs if p.same and cluster[id(p.a)] == cluster[id(p.b)])
    pool_false = sum(1 for p in pairs if not p.same and cluster[id(p.a)] == cluster[id(p.b)])
    dup_rate = r["dup_merged"] / r["dup_total"]  # type: ignore[operator]
    lines = [
        "# Merge quality (records of one paper from several sources)",
        "",
        "Command: `python benchmarks/bench_merge.py`",
        "",
        "Test set: `benchmarks/merge_pairs.py` (titles, authors and years of real papers; "
        "identifiers synthetic). Each pair is merged on its own with "
        "`litcheck.retrieve.merge.merge_records`.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| duplicate pairs | {r['dup_total']} |",
        f"| duplicates merged | {r['dup_merged']} ({dup_rate:.1%}; target >= 99%) |",
        f"| hard non-duplicate pairs | {r['non_total']} |",
        f"| false merges | {r['false_merges']} (target 0) |",
        f"| time, all pairs | {seconds * 1000:.0f} ms |",
        f"| all {len(pool)} records pooled in one merge: duplicate pairs joined | "
        f"{pool_dup} / {r['dup_total']} |",
        f"| pooled: non-duplicate pairs joined (false merges) | {pool_false} |",
        f"| time, pooled merge | {pool_seconds * 1000:.0f} ms |",
        "",
        "Rules that joined the duplicates: "
        + ", ".join(f"{k} {v}" for k, v in sorted(r["rules"].items())),  # type: ignore[attr-defined]
        "",
        "Non-duplicate kinds: " + ", ".join(f"{k} ({v})" for k, v in sorted(r["cases"].items())),  # type: ignore[attr-defined]
        "",
        "## Duplicates not merged",
        "",
        *([f"- {m}" for m in r["missed"]] or ["none"]),  # type: ignore[union-attr]
        "",
        "## False merges",
        "",
        *([f"- {m}" for m in r["wrong"]] or ["none"]),  # type: ignore[union-attr]
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[6:14]))


if __name__ == "__main__":
    main()
