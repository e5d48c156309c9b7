"""Scorecards and flagged citations of the example reports, as `litcheck audit` would print them.

For each report in ../shared/examples/ (the synthesis report and reports/*.txt), offline:
audit its claims table (fallback judge, MiniLM embeddings), check every row's citations, and
compute the scorecard beside the report's own marks and self-reported scores. The library is a
fresh one holding tests/data/example_references.jsonl: descriptions of the synthesis report's
three references written for litcheck (the real abstracts were not available offline), so
other reports' references are unresolved and their claims cannot be checked (said so).

Run: ``python benchmarks/audit_scorecards.py`` (writes reports/scorecards/*.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT.parent / "shared" / "examples"
REFS = ROOT / "tests" / "data" / "example_references.jsonl"
OUT = ROOT / "reports" / "scorecards"
COMMAND = "python benchmarks/audit_scorecards.py"


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="litcheck-scorecards-"))
    os.environ["LITCHECK_HOME"] = str(home)
    os.environ["LITCHECK_OFFLINE"] = "1"
    from litcheck.library import Library
    from litcheck.library.importer import read_papers_file
    from litcheck.models import Claim, Verdict
    from litcheck.report.scorecard import audit_scorecard, scorecard_markdown
    from litcheck.settings import load_settings
    from litcheck.verify.audit import audit_report
    from litcheck.verify.citations import citations_markdown
    from litcheck.verify.judge import load_judge
    from litcheck.verify.pipeline import open_index, verify_claims

    cfg = load_settings()
    reports = [EXAMPLES / "synthesis-report.txt", *sorted((EXAMPLES / "reports").glob("*.txt"))]
    OUT.mkdir(parents=True, exist_ok=True)
    summary: list[str] = []
    with Library.open(cfg.library_path) as lib:
        for paper in read_papers_file(REFS):
            lib.add_paper(paper)
        judge = load_judge(cfg, fallback=True)
        index = open_index(lib, cfg, "cpu", show_progress=False)

        def run(claims: list[Claim]) -> list[Verdict]:
            return verify_claims(claims, lib, index, judge)

        for path in reports:
            t0 = time.perf_counter()
            text = path.read_text(encoding="utf-8", errors="replace")
            result = audit_report(path, lib, cfg, run, judge.name)
            card = audit_scorecard(result, lib, text, index.embedder)
            seconds = time.perf_counter() - t0
            rel = path.relative_to(ROOT.parent)
            lines = [
                f"# Scorecard of `{rel}`",
                "",
                f"Command: `{COMMAND}` (offline; fallback judge `{judge.name}`; library = "
                "tests/data/example_references.jsonl only). Once wired into the CLI: "
                f"`litcheck --offline audit ../{rel} --fallback`.",
                "",
                "Library note: the three references of the synthesis report are stored as "
                "descriptions written for litcheck, not their real abstracts (unavailable "
                "offline). References of the other reports are not in the library, so their "
                "claims could not be checked against any paper.",
                "",
                scorecard_markdown(card.scorecard, "Scorecard (measured)"),
                citations_markdown(card.citation_checks, "Citations"),
                "## The report's claims beside ours",
                "",
                "| # | claim | report's mark | report's confidence | our verdict | confidence |",
                "|---|---|---|---|---|---|",
            ]
            for row, claim in zip(result.rows, card.claims, strict=True):
                conf = "" if row.report_confidence is None else f"{row.report_confidence:.2f}"
                lines.append(
                    f"| {row.index} | {claim.text.replace('|', '/')[:160]} | "
                    f"{row.raw_mark or ''} | {conf} | {row.verdict.verdict.value} | "
                    f"{row.verdict.confidence:.2f} |"
                )
            refs = "; ".join(f"{r.raw}: {r.status}" for r in result.references) or "none"
            lines += ["", f"References: {refs}", "", f"Time: {seconds:.1f} s", ""]
            out = OUT / f"{path.stem}.md"
            out.write_text("\n".join(lines), encoding="utf-8")
            dims = {d.name: d for d in card.scorecard.dimensions}
            flagged = sum(c.flagged for per in card.citation_checks for c in per)

            cells = [
                "—" if d.value is None else f"{d.score} ({d.numerator}/{d.denominator})"
                for d in dims.values()
            ]
            summary.append(
                f"| [{path.stem}]({out.name}) | {len(result.rows)} | "
                + " | ".join(cells)
                + f" | {flagged} | {'; '.join(card.scorecard.self_reported) or '—'} |"
            )
            print(path.name, f"{seconds:.1f}s", file=sys.stderr)
    head = [
        "# Scorecards of the example reports",
        "",
        f"Command: `{COMMAND}`. Scores are x/10 = 10 x the measured share (numerator/"
        "denominator); — = nothing to measure. Dimensions and formulas: "
        "`src/litcheck/report/scorecard.py`.",
        "",
        "| report | claims | evidence strength | citation grounding | numerical consistency | "
        "benchmark validity | uncertainty disclosure | reproducibility | flagged citations | "
        "report's own score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    (OUT / "README.md").write_text("\n".join(head + summary) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
