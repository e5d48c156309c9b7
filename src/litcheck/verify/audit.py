"""``litcheck audit``: re-verify the claims table of someone else's report.

The report's table is read by :func:`litcheck.extract.report_table.parse_report`; its arXiv
references are looked up in the library, and the missing ones fetched (unless offline). Each
claim is verified against the papers its row cites, else against every reference of the report;
the report's own mark (✓/×, ...) is compared with our verdict. A reference that cannot be
resolved is named in the result, and claims that depend on it say so in their reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litcheck.errors import BadInputError, LitcheckError
from litcheck.library import Library
from litcheck.models import Claim, Label, Paper, Verdict
from litcheck.settings import Settings


class StrictCheckFailed(LitcheckError):
    """``audit --strict`` found claims marked verified that are not SUPPORTED (exit 1)."""

    exit_code = 1


#: What each report mark claims about a row, in our labels.
MARK_TO_LABEL: dict[str, Label] = {"verified": Label.SUPPORTED, "refuted": Label.CONTRADICTED}


@dataclass
class ReferenceStatus:
    """What became of one reference of the report."""

    raw: str
    paper_id: str | None
    status: str


@dataclass
class AuditRow:
    """One claim of the report with our verdict beside the report's mark."""

    index: int
    line: int
    mark: str | None
    raw_mark: str | None
    report_confidence: float | None
    verdict: Verdict
    disagreement: str | None
    checked: bool = True


@dataclass
class AuditResult:
    """The audit of one report."""

    source: str
    judge: str
    rows: list[AuditRow] = field(default_factory=list)
    references: list[ReferenceStatus] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(1 for r in self.rows if r.disagreement)

    @property
    def unchecked(self) -> int:
        """Rows with no evidence to check against (e.g. their papers are unavailable)."""
        return sum(1 for r in self.rows if not r.checked)

    @property
    def strict_failures(self) -> int:
        """Rows the report marks verified that we do not find SUPPORTED (``--strict``)."""
        return sum(
            1
            for r in self.rows
            if r.mark == "verified" and r.verdict.verdict is not Label.SUPPORTED
        )


Fetcher = Callable[[list[str]], list[Paper]]


def resolve_references(
    lib: Library, references: list[str], settings: Settings, fetch: Fetcher | None = None
) -> list[ReferenceStatus]:
    """Make the report's references available in the library, where possible.

    Args:
        lib: the library; fetched papers are added to it.
        references: arXiv ids as the report gives them (versions kept).
        settings: ``offline`` forbids fetching.
        fetch: fetches papers by id (default: :func:`litcheck.retrieve.fetch_papers`).

    Returns:
        One status per reference: in the library, fetched, or why it is unavailable.
    """
    from litcheck.retrieve.ids import parse_arxiv_id

    out: list[ReferenceStatus] = []
    todo: list[tuple[str, str]] = []
    for raw in dict.fromkeys(references):
        try:
            base = parse_arxiv_id(raw).base
        except BadInputError:
            out.append(ReferenceStatus(raw, None, "not an arXiv id; cannot be resolved"))
            continue
        if lib.has_paper(base, full_text=True):
            out.append(ReferenceStatus(raw, base, "in the library (full text)"))
        elif lib.has_paper(base):
            out.append(ReferenceStatus(raw, base, "in the library (abstract only)"))
        elif settings.offline:
            out.append(ReferenceStatus(raw, None, "not in the library and offline: not fetched"))
        else:
            todo.append((raw, base))
    if todo:
        if fetch is None:
            from litcheck.retrieve.pipeline import fetch_papers

            def fetch(ids: list[str]) -> list[Paper]:
                return list(fetch_papers(ids, settings))

        got: dict[str, Paper] = {}
        error = ""
        try:
            for paper in fetch([raw for raw, _ in todo]):
                lib.add_paper(paper)
                got[paper.arxiv_id] = paper
        except LitcheckError as exc:
            error = str(exc)
        for raw, base in todo:
            if base in got:
                src = got[base].full_text_source or "abstract only"
                out.append(ReferenceStatus(raw, base, f"fetched ({src})"))
            else:
                out.append(
                    ReferenceStatus(raw, None, f"could not be fetched: {error or 'not found'}")
                )
    return out


def fetch_missing_cites(
    lib: Library, claims: list[Claim], settings: Settings, fetch: Fetcher | None = None
) -> list[ReferenceStatus]:
    """Fetch the arXiv papers that claims cite and the library lacks (``verify``), unless offline.

    Args:
        lib: the library; fetched papers are added to it.
        claims: the claims; their ``cites`` are looked at.
        settings: ``offline`` forbids fetching.
        fetch: paper fetcher (tests pass a fake).

    Returns:
        The status of every cited id that was not already in the library.
    """
    from litcheck.retrieve.ids import parse_arxiv_id

    wanted: list[str] = []
    for claim in claims:
        for cite in claim.cites:
            raw = str(cite).strip()
            if not raw or lib.has_paper(raw):
                continue
            try:
                base = parse_arxiv_id(raw).base
            except BadInputError:
                continue  # named per claim by the pipeline ("not in the library")
            if not lib.has_paper(base):
                wanted.append(raw)
    return resolve_references(lib, wanted, settings, fetch) if wanted else []


def _other_references(
    lib: Library, text: str, arxiv_refs: list[str]
) -> tuple[list[ReferenceStatus], list[str]]:
    """Reference-list entries without an arXiv id, looked up by DOI, then by title.

    Returns:
        (statuses of those entries, the arXiv references extended by arXiv DOIs).
    """
    from litcheck.extract.references import match_title, reference_entries
    from litcheck.retrieve.sources.base import arxiv_id_from_doi

    arxiv = list(arxiv_refs)
    out: list[ReferenceStatus] = []
    titles: list[tuple[str, str]] | None = None
    for entry in reference_entries(text):
        if entry.arxiv_ids:
            continue
        shown = entry.text if len(entry.text) <= 90 else entry.text[:87] + "..."
        from_doi = arxiv_id_from_doi(entry.doi)
        if from_doi:
            arxiv.append(from_doi)
            continue
        key = lib.find_paper_key(doi=entry.doi) if entry.doi else None
        how = "DOI"
        if key is None:
            titles = lib.titles() if titles is None else titles
            key, how = match_title(entry.text, titles), "title"
        if key is not None:
            out.append(ReferenceStatus(shown, key, f"in the library (matched by {how})"))
        else:
            what = f"DOI {entry.doi}" if entry.doi else "no arXiv id or DOI"
            out.append(
                ReferenceStatus(
                    shown,
                    None,
                    f"not resolved: {what}, and no library paper has its title; add the paper "
                    "(`litcheck add ARXIV_ID` or `litcheck library import`) to check against it",
                )
            )
    return out, list(dict.fromkeys(arxiv))


def _disagreement(mark: str | None, raw: str | None, verdict: Verdict) -> str | None:
    if not verdict.evidence and verdict.verdict is Label.NOT_ENOUGH_INFO:
        # Nothing was there to check against: that is not a disagreement with the report.
        return None
    return _compare(mark, raw, verdict.verdict)


def _compare(mark: str | None, raw: str | None, verdict: Label) -> str | None:
    if mark is None:
        return "the report gives no mark" if raw is None else f"unknown mark {raw!r}"
    expected = MARK_TO_LABEL.get(mark)
    if expected is None:
        return None if mark == "unknown" else f"report says {mark}; we say {verdict.value}"
    if expected is not verdict:
        return f"report marks it {mark} ({raw}); we find {verdict.value}"
    return None


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
            an index and a judge); called once after references are resolved.
        judge_name: the judge's name, shown in the result.
        fetch: paper fetcher for missing references (tests pass a fake).

    Returns:
        The :class:`AuditResult`, one row per claim of the table, none dropped.

    Raises:
        BadInputError: when the file is missing, unreadable, or holds no claims table.
    """
    from litcheck.extract.report_table import parse_report

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise BadInputError(f"Cannot read the report {path}: {exc.strerror or exc}.") from None
    report = parse_report(text, str(path))
    if not report.rows:
        raise BadInputError(f"{path} has a claims table without rows; nothing to audit.")
    extra, arxiv_refs = _other_references(lib, text, report.references)
    refs = resolve_references(lib, arxiv_refs, settings, fetch) + extra
    available = [r.paper_id for r in refs if r.paper_id]
    unresolved = [r.raw for r in refs if not r.paper_id]
    default_cites = list(dict.fromkeys([*arxiv_refs, *(r.paper_id for r in extra if r.paper_id)]))
    claims: list[Claim] = []
    for row in report.rows:
        cites = list(row.cites) or default_cites
        claims.append(Claim(id=f"row{row.index}", text=row.text, cites=cites))
    if default_cites:
        note = ""
    elif refs:
        note = "none of the report's references is in the library: searched the whole library"
    else:
        note = "the report cites no paper: searched the whole library"
    verdicts = verify(claims)
    result = AuditResult(source=str(path), judge=judge_name, references=refs)
    for row, verdict in zip(report.rows, verdicts, strict=True):
        if note and not verdict.reason:
            verdict = verdict.model_copy(update={"reason": note})
        if unresolved and verdict.verdict is Label.NOT_ENOUGH_INFO and not available:
            verdict = verdict.model_copy(
                update={
                    "reason": "none of the report's references could be resolved ("
                    + ", ".join(unresolved)
                    + "); nothing to check the claim against"
                }
            )
        result.rows.append(
            AuditRow(
                index=row.index,
                line=row.line,
                mark=row.mark,
                raw_mark=row.raw_mark,
                report_confidence=row.confidence,
                verdict=verdict,
                disagreement=_disagreement(row.mark, row.raw_mark, verdict),
                checked=bool(verdict.evidence),
            )
        )
    return result
