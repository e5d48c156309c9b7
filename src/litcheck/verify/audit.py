"""``litcheck audit``: re-verify the claims table of someone else's report.

The report's table is read by :func:`litcheck.extract.report_table.parse_report`. Its
references are resolved first (:func:`~litcheck.verify.report_refs.resolve_report_references`:
arXiv ids, DOIs and titles, in the reference list and in the rows; missing arXiv papers are
fetched unless offline). Each row is then verified against the papers it cites (its own, else
every reference of the report), and only those: the report's mark is compared with that verdict.

A row whose cited papers are not in the library is not checked: it says "cited paper not
available" with the command that fetches them, shows no verdict confidence, and is never a
disagreement. Such a row (and a row of a report that cites nothing) is also verified against
the whole library, shown apart as the "elsewhere in the library" result: another paper agreeing
or disagreeing with a claim says nothing about the paper the report cites, so that result never
counts as a disagreement nor as a ``--strict`` failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from litcheck.errors import BadInputError, LitcheckError
from litcheck.library import Library
from litcheck.models import Claim, Label, Verdict
from litcheck.settings import Settings
from litcheck.verify.report_refs import (
    Fetcher,
    ReferenceStatus,
    fetch_missing_cites,
    resolve_references,
    resolve_report_references,
)

__all__ = [
    "MARK_TO_LABEL",
    "AuditResult",
    "AuditRow",
    "CheckStatus",
    "Fetcher",
    "ReferenceStatus",
    "StrictCheckFailed",
    "audit_report",
    "fetch_missing_cites",
    "resolve_references",
]


class StrictCheckFailed(LitcheckError):
    """``audit --strict`` found claims marked verified that are not SUPPORTED (exit 1)."""

    exit_code = 1


#: What each report mark claims about a row, in our labels.
MARK_TO_LABEL: dict[str, Label] = {"verified": Label.SUPPORTED, "refuted": Label.CONTRADICTED}

#: How far a row could be checked against the papers it cites.
CheckStatus = Literal["checked", "cited paper not available", "no cited paper", "not checked"]


@dataclass
class AuditRow:
    """One claim of the report with our verdict beside the report's mark.

    Attributes:
        index: the row's position in the claims table, from 1.
        line: its line in the report file.
        mark: the report's verdict, normalised (``verified``, ``refuted``, ...).
        raw_mark: the report's verdict as written.
        report_confidence: the report's numeric confidence, when it gives one.
        verdict: our verdict against the cited papers; for a row that was not checked a
            NOT_ENOUGH_INFO without evidence whose reason says why (its confidence means
            nothing and is never shown).
        disagreement: how the report's mark disagrees with ``verdict``; only for checked rows.
        status: how far the row could be checked (see :data:`CheckStatus`).
        cited: the references the row rests on (its own, else the report's).
        elsewhere: the verdict against the whole library, for rows not checked against their
            cited papers: shown apart, never a disagreement.
        report_confidence_label: the report's worded confidence (HIGH, ...), when it gives one.
        note: what the report's mark says beside ours when it is no disagreement ("the report
            gives no mark").
        cites_own: True when the row names its sources itself (else it rests on every
            reference of the report).
        parse_warnings: what the table reader could not read faithfully in the row (e.g. a
            Markdown row with more cells than its header), from ``ReportClaim.warnings``.
    """

    index: int
    line: int
    mark: str | None
    raw_mark: str | None
    report_confidence: float | None
    verdict: Verdict
    disagreement: str | None
    status: CheckStatus = "checked"
    cited: list[ReferenceStatus] = field(default_factory=list)
    elsewhere: Verdict | None = None
    report_confidence_label: str | None = None
    note: str | None = None
    cites_own: bool = False
    parse_warnings: list[str] = field(default_factory=list)

    @property
    def checked(self) -> bool:
        """True when the row was verified against its cited papers."""
        return self.status == "checked"

    @property
    def missing(self) -> list[ReferenceStatus]:
        """The cited references that are not in the library."""
        return [r for r in self.cited if not r.available]


@dataclass
class AuditResult:
    """The audit of one report."""

    source: str
    judge: str
    rows: list[AuditRow] = field(default_factory=list)
    references: list[ReferenceStatus] = field(default_factory=list)
    title: str | None = None

    @property
    def disagreements(self) -> int:
        """Checked rows whose report mark disagrees with our verdict."""
        return sum(1 for r in self.rows if r.disagreement)

    @property
    def unchecked(self) -> int:
        """Rows that could not be verified against their cited papers."""
        return sum(1 for r in self.rows if not r.checked)

    @property
    def not_available(self) -> int:
        """Rows whose cited papers are none of them in the library."""
        return sum(1 for r in self.rows if r.status == "cited paper not available")

    @property
    def strict_failures(self) -> int:
        """Checked rows the report marks verified that we do not find SUPPORTED (``--strict``).

        Rows not checked against their cited papers are not counted: nothing was found against
        them (they are counted in :attr:`unchecked`), and an "elsewhere in the library" verdict
        is about other papers.
        """
        return sum(
            1
            for r in self.rows
            if r.checked and r.mark == "verified" and r.verdict.verdict is not Label.SUPPORTED
        )

    @property
    def fetch_commands(self) -> list[str]:
        """The commands that would fetch the unavailable references, arXiv ids joined."""
        ids: list[str] = []
        others: list[str] = []
        for ref in self.references:
            if ref.available or not ref.fetch:
                continue
            if ref.fetch.startswith("litcheck add ") and " --" not in ref.fetch:
                ids.append(ref.fetch.removeprefix("litcheck add "))
            else:
                others.append(ref.fetch)
        out = [f"litcheck add {' '.join(dict.fromkeys(ids))}"] if ids else []
        return out + list(dict.fromkeys(others))


def decided(verdict: Verdict) -> bool:
    """True when the judge looked at evidence for the claim (its confidence means something).

    False for a claim that could not be run (empty, too long, no cited paper in the library:
    the pipeline's ``checked`` flag).
    """
    return verdict.checked


def _compare(mark: str | None, raw: str | None, verdict: Label) -> tuple[str | None, str | None]:
    """(disagreement, note) between the report's mark and our verdict."""
    if mark is None:
        return None, "the report gives no mark" if raw is None else f"unknown mark {raw!r}"
    expected = MARK_TO_LABEL.get(mark)
    if expected is None:
        if mark == "unknown":
            return None, None
        return f"report says {mark}; we say {verdict.value}", None
    if expected is not verdict:
        return f"report marks it {mark} ({raw}); we find {verdict.value}", None
    return None, None


def _fetch_hint(missing: list[ReferenceStatus]) -> str:
    ids = [
        r.fetch.removeprefix("litcheck add ")
        for r in missing
        if r.fetch and r.fetch.startswith("litcheck add ") and " --" not in r.fetch
    ]
    cmds = [f"`litcheck add {' '.join(dict.fromkeys(ids))}`"] if ids else []
    cmds += [
        f"`{r.fetch}`"
        for r in missing
        if r.fetch and not (r.fetch.startswith("litcheck add ") and " --" not in r.fetch)
    ]
    return " or ".join(dict.fromkeys(cmds)) if cmds else "`litcheck library import FILE`"


def _named(refs: list[ReferenceStatus]) -> str:
    return ", ".join(r.raw for r in refs)


def _unavailable(claim: Claim, reason: str, judge: str) -> Verdict:
    # Nothing was judged: checked False (renderers show no confidence).
    from litcheck.verify.pipeline import unchecked_verdict

    return unchecked_verdict(claim, reason, judge)


def audit_report(
    path: Path,
    lib: Library,
    settings: Settings,
    verify: Callable[[list[Claim]], list[Verdict]],
    judge_name: str,
    fetch: Fetcher | None = None,
) -> AuditResult:
    """Audit one report file.

    Args:
        path: the report: any dialect :func:`~litcheck.extract.report_table.parse_report` reads
            (Markdown, tab-separated, CSV, box-drawing, grid, fixed-width, HTML, LaTeX, JSON).
        lib: the library.
        settings: settings (offline, ...).
        verify: verifies claims (e.g. :func:`~litcheck.verify.pipeline.verify_claims` bound to
            an index and a judge); called once after references are resolved, with the rows
            restricted to their cited papers and the "elsewhere in the library" claims (ids
            ending ``-elsewhere``, no cites).
        judge_name: the judge's name, shown in the result.
        fetch: paper fetcher for missing references (tests pass a fake).

    Returns:
        The :class:`AuditResult`, one row per claim of the table, none dropped.

    Raises:
        BadInputError: when the file is missing, unreadable, or holds no claims table.

    Example:
        >>> result = audit_report(Path("report.md"), lib, settings, run, judge.name)
        >>> [(r.index, r.status, r.disagreement) for r in result.rows]
        [(1, 'checked', None), (2, 'cited paper not available', None)]
    """
    from litcheck.extract.report_table import parse_report

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BadInputError(f"Cannot read the report {path}: {exc.strerror or exc}.") from None
    report = parse_report(text, str(path))
    if not report.rows:
        raise BadInputError(f"{path} has a claims table without rows; nothing to audit.")
    refs = resolve_report_references(lib, text, report, settings, fetch)
    library_holds_papers = bool(lib.paper_ids())
    claims: list[Claim] = []
    plan: list[tuple[list[ReferenceStatus], bool, Claim | None, Claim | None]] = []
    for row in report.rows:
        cited, cites_own = refs.cited_by(row)
        available = list(dict.fromkeys(r.paper_id for r in cited if r.paper_id))
        own = Claim(id=f"row{row.index}", text=row.text, cites=available) if available else None
        # A row not checkable against its citations gets the whole library, shown apart.
        other = (
            Claim(id=f"row{row.index}-elsewhere", text=row.text, cites=[])
            if own is None and library_holds_papers
            else None
        )
        claims += [c for c in (own, other) if c is not None]
        plan.append((cited, cites_own, own, other))
    verdicts = {v.id: v for v in verify(claims)} if claims else {}
    result = AuditResult(
        source=str(path), judge=judge_name, references=refs.references, title=report.title
    )
    for row, (cited, cites_own, own, other) in zip(report.rows, plan, strict=True):
        missing = [r for r in cited if not r.available]
        claim = Claim(id=f"row{row.index}", text=row.text)
        status: CheckStatus
        if own is not None:
            verdict = verdicts[own.id]
            status = "checked" if decided(verdict) else "not checked"
            if missing:
                extra = (
                    f"not checked against {_named(missing)} (not in the library; fetch with "
                    f"{_fetch_hint(missing)})"
                )
                reason = f"{verdict.reason}; {extra}" if verdict.reason else extra
                verdict = verdict.model_copy(update={"reason": reason})
        elif cited:
            status = "cited paper not available"
            verdict = _unavailable(
                claim,
                f"cited paper not available: {_named(missing)}; fetch it with "
                f"{_fetch_hint(missing)}, then rerun the audit",
                judge_name,
            )
        else:
            status = "no cited paper"
            verdict = _unavailable(
                claim,
                "the report cites no paper for this claim, so there is nothing to check it "
                "against; add the paper it rests on (`litcheck add ARXIV_ID`) and name it in "
                "the report",
                judge_name,
            )
        disagreement, note = (
            _compare(row.mark, row.raw_mark, verdict.verdict)
            if status == "checked"
            else (None, None)
        )
        result.rows.append(
            AuditRow(
                index=row.index,
                line=row.line,
                mark=row.mark,
                raw_mark=row.raw_mark,
                report_confidence=row.confidence,
                report_confidence_label=row.confidence_label,
                verdict=verdict,
                disagreement=disagreement,
                note=note,
                status=status,
                cited=list(cited),
                cites_own=cites_own,
                elsewhere=verdicts.get(other.id) if other is not None else None,
                parse_warnings=list(row.warnings),
            )
        )
    return result
