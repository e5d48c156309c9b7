"""The references of an audited report, resolved against the library, and what each row cites.

A report names its sources in several ways: arXiv links anywhere in the text, a reference list
whose entries carry an arXiv id, a DOI or only authors, year and title, and in the claims table
itself a Source cell holding an arXiv id, a DOI, a numbered marker (``[2]``), an author-year
citation ("Huang et al., 2021") or a title. :func:`resolve_report_references` resolves all of
them against the library first (fetching missing arXiv papers unless offline), and
:meth:`ReportReferences.cited_by` then says which references one row rests on: its own when it
names any, else every reference of the report. A reference that cannot be had carries the
command that would fetch it (``litcheck add 2104.08645``, ``litcheck search "<title>"``).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from litcheck.errors import BadInputError, LitcheckError
from litcheck.extract.report_table import ParsedReport, ReportClaim, find_arxiv_ids
from litcheck.library import Library
from litcheck.models import Claim, Paper
from litcheck.settings import Settings

__all__ = [
    "Fetcher",
    "ReferenceStatus",
    "ReportReferences",
    "arxiv_base",
    "fetch_missing_cites",
    "guess_title",
    "resolve_references",
    "resolve_report_references",
]

Fetcher = Callable[[list[str]], list[Paper]]


@dataclass
class ReferenceStatus:
    """What became of one reference of the report.

    Attributes:
        raw: the reference as the report gives it (an id, a DOI, an entry, a citation).
        paper_id: the library key it resolved to, ``None`` when the paper is not available.
        status: in words: in the library, fetched, or why it is unavailable.
        kind: ``arxiv``, ``doi``, ``title`` (a reference-list entry without id or DOI) or
            ``citation`` (an author-year citation of a row that no entry or paper matches).
        fetch: for an unavailable reference, the command that would fetch it.
        number: its number in the reference list (``"2"`` for ``[2]``), when it has one.
        title: the library paper's title, once resolved.
    """

    raw: str
    paper_id: str | None
    status: str
    kind: str = "arxiv"
    fetch: str | None = None
    number: str | None = None
    title: str | None = None

    @property
    def available(self) -> bool:
        """True when the paper is in the library."""
        return self.paper_id is not None


def arxiv_base(raw: str) -> str | None:
    """The arXiv id without version, ``None`` when ``raw`` is not an arXiv id or URL."""
    from litcheck.retrieve.ids import parse_arxiv_id

    try:
        return parse_arxiv_id(raw).base
    except BadInputError:
        return None


def resolve_references(
    lib: Library, references: list[str], settings: Settings, fetch: Fetcher | None = None
) -> list[ReferenceStatus]:
    """Make arXiv references available in the library, where possible.

    Args:
        lib: the library; fetched papers are added to it.
        references: arXiv ids as the report gives them (versions kept).
        settings: ``offline`` forbids fetching.
        fetch: fetches papers by id (default: :func:`litcheck.retrieve.fetch_papers`).

    Returns:
        One status per distinct reference: in the library, fetched, or why it is unavailable
        (then with the ``litcheck add`` command that fetches it).
    """
    out: list[ReferenceStatus] = []
    todo: list[tuple[str, str]] = []
    for raw in dict.fromkeys(references):
        base = arxiv_base(raw)
        if base is None:
            out.append(ReferenceStatus(raw, None, "not an arXiv id; cannot be resolved"))
        elif lib.has_paper(base, full_text=True):
            out.append(ReferenceStatus(raw, base, "in the library (full text)"))
        elif lib.has_paper(base):
            out.append(ReferenceStatus(raw, base, "in the library (abstract only)"))
        elif settings.offline:
            out.append(
                ReferenceStatus(
                    raw,
                    None,
                    "not in the library and offline: not fetched",
                    fetch=f"litcheck add {base}",
                )
            )
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
                    ReferenceStatus(
                        raw,
                        None,
                        f"could not be fetched: {error or 'not found'}",
                        fetch=f"litcheck add {base}",
                    )
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
    wanted: list[str] = []
    for claim in claims:
        for cite in claim.cites:
            raw = str(cite).strip()
            if not raw or lib.has_paper(raw):
                continue
            base = arxiv_base(raw)
            if base is None:
                continue  # named per claim by the pipeline ("not in the library")
            if not lib.has_paper(base):
                wanted.append(raw)
    return resolve_references(lib, wanted, settings, fetch) if wanted else []


# -- reading citations -------------------------------------------------------------------

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>()\[\]{}|,;]+)", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(?:\[(\d{1,3})\]|\((\d{1,3})\)|(\d{1,3})[.)])\s")
# "[2]", "[1, 3]", "[1-3]", "[1–3]": numbered citation markers.
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_SURNAME = r"([A-Z][a-zà-öø-ÿ'’\-]+(?:\s+(?:de|van|von|der|den|la|le|du)\s+[A-Z][a-zà-öø-ÿ'’\-]+)?)"
_YEAR = r"((?:19|20)\d{2})[a-z]?"
_AUTHOR_YEAR = [
    re.compile(_SURNAME + r"\s+et\s+al\.?,?\s*\(?" + _YEAR),
    re.compile(_SURNAME + r"\s+(?:and|&)\s+[A-Z][a-zà-öø-ÿ'’\-]+,?\s*\(?" + _YEAR),
    re.compile(r"\(" + _SURNAME + r",?\s+" + _YEAR + r"\)"),
    re.compile(_SURNAME + r"\s+\(" + _YEAR + r"\)"),
]
# Columns whose bare numbers ("2", "1, 3") are reference numbers.
_CITE_HEADER = re.compile(
    r"^(?:refs?\.?|references?|sources?|citations?|cites?|cited|papers?)$", re.I
)
_YEAR_IN_ENTRY = re.compile(r"\b((?:19|20)\d{2})[a-z]?\b")
#: A cell shorter than this many words is not read as a title.
MIN_TITLE_WORDS = 4


def _shell_quote(text: str) -> str:
    """Double quotes for plain text (as a user would type it), shell quoting otherwise."""
    if re.fullmatch(r"[\w \-.,:;()'?/+&]+", text):
        return f'"{text}"'
    return shlex.quote(text)


def guess_title(entry: str) -> str | None:
    """The title inside a reference-list entry, for a ``litcheck search`` command.

    Args:
        entry: the entry as written ("Huang et al. (2021). Improving ... Training. EMNLP.").

    Returns:
        A quoted title when there is one, else the longest sentence-like part after the
        authors and year (at least :data:`MIN_TITLE_WORDS` words), else ``None``.
    """
    quoted = re.search(r"[“\"]([^”\"]{10,300})[”\"]", entry)
    if quoted:
        return quoted.group(1).strip(" .,")
    text = re.sub(r"https?://\S+|\bdoi:\s*\S+|" + _DOI.pattern, " ", entry, flags=re.I)
    # The title is the part after the year when the entry has one ("Huang (2021). Title.").
    year = re.search(r"\(?(?:19|20)\d{2}[a-z]?\)?[.,:]\s+", text)
    if year:
        text = text[year.end() :]
    parts = [p.strip(" .,;:") for p in re.split(r"(?<=[\w)])\.\s+", text)]
    candidates = [p for p in parts if len(p.split()) >= MIN_TITLE_WORDS and "et al" not in p]
    if not candidates:
        return None
    return candidates[0] if year else max(candidates, key=len)


@dataclass
class _Entry:
    """One reference-list entry with what rows may cite it by."""

    text: str
    number: str | None
    statuses: list[ReferenceStatus]
    years: set[str]


@dataclass
class ReportReferences:
    """The report's references, resolved, and the row-level citations."""

    references: list[ReferenceStatus] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    by_arxiv: dict[str, ReferenceStatus] = field(default_factory=dict)
    by_doi: dict[str, ReferenceStatus] = field(default_factory=dict)
    row_refs: dict[int, list[ReferenceStatus]] = field(default_factory=dict)

    @property
    def report_level(self) -> list[ReferenceStatus]:
        """What a row that names no source of its own rests on: every reference of the report."""
        return [r for r in self.references if r.kind != "citation"]

    def cited_by(self, row: ReportClaim) -> tuple[list[ReferenceStatus], bool]:
        """The references one row rests on.

        Args:
            row: a row of the report's claims table.

        Returns:
            (references, whether the row names them itself); a row that names none rests on
            every reference of the report.
        """
        own = self.row_refs.get(row.index, [])
        if own:
            return own, True
        return self.report_level, False


def _entry_number(lines: Sequence[str], line: int) -> str | None:
    if 1 <= line <= len(lines):
        m = _NUMBER.match(lines[line - 1])
        if m:
            return next(g for g in m.groups() if g)
    return None


def _markers(text: str) -> list[str]:
    out: list[str] = []
    for m in _MARKER.finditer(text):
        for part in re.split(r"\s*,\s*", m.group(1)):
            span = re.split(r"\s*[–-]\s*", part)
            if len(span) == 2 and span[0].isdigit() and span[1].isdigit():
                lo, hi = int(span[0]), int(span[1])
                if 0 < hi - lo < 50:
                    out += [str(n) for n in range(lo, hi + 1)]
                    continue
            out += [p for p in span if p.isdigit()]
    return out


def _author_years(text: str) -> list[tuple[str, str, str]]:
    """(surname, year, the citation as written), in order, without repeats."""
    found: dict[tuple[str, str], str] = {}
    for pattern in _AUTHOR_YEAR:
        for m in pattern.finditer(text):
            found.setdefault((m.group(1), m.group(2)), m.group(0).strip(" ()"))
    return [(s, y, raw) for (s, y), raw in found.items()]


class _Resolver:
    """Resolves the report's and its rows' citations, with one library title list."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self._titles: list[tuple[str, str]] | None = None
        self._authors: list[tuple[str, list[str], str | None]] | None = None

    def titles(self) -> list[tuple[str, str]]:
        if self._titles is None:
            self._titles = self.lib.titles()
        return self._titles

    def match_title(self, text: str) -> str | None:
        from litcheck.extract.references import match_title

        return match_title(text, self.titles())

    def by_author_year(self, surname: str, year: str) -> str | None:
        """The one library paper whose authors include ``surname`` published in ``year``."""
        if self._authors is None:
            self._authors = []
            for pid in self.lib.paper_ids():
                paper = self.lib.get_paper(pid, with_sections=False)
                published = str(paper.published) if paper.published else None
                self._authors.append((pid, list(paper.authors), published))
        hits = [
            pid
            for pid, authors, published in self._authors
            if published
            and published.startswith(year)
            and any(a.split()[-1].lower() == surname.lower() for a in authors if a.split())
        ]
        return hits[0] if len(hits) == 1 else None


def _doi_status(res: _Resolver, doi: str, raw: str, title: str | None) -> ReferenceStatus:
    key = res.lib.find_paper_key(doi=doi)
    if key is None and title:
        key = res.match_title(title)
        if key is not None:
            return ReferenceStatus(raw, key, "in the library (matched by title)", kind="doi")
    if key is not None:
        return ReferenceStatus(raw, key, "in the library (matched by DOI)", kind="doi")
    fetch = (
        f"litcheck search {_shell_quote(title)}"
        if title
        else f"litcheck add {doi} --source openalex,s2"
    )
    return ReferenceStatus(
        raw,
        None,
        f"not resolved: DOI {doi}, and no library paper has its title",
        kind="doi",
        fetch=fetch,
    )


def resolve_report_references(
    lib: Library,
    text: str,
    report: ParsedReport,
    settings: Settings,
    fetch: Fetcher | None = None,
) -> ReportReferences:
    """Resolve every reference of a report, and of each of its rows, against the library.

    arXiv ids (anywhere in the report, or arXiv DOIs) are looked up and, unless offline,
    fetched; reference-list entries without one are matched by DOI, then by title; a row's
    Source cells are read for arXiv ids, DOIs, numbered markers (``[2]``, pointing into the
    reference list), author-year citations and titles.

    Args:
        lib: the library; fetched papers are added to it.
        text: the report's text.
        report: its parsed claims table (:func:`~litcheck.extract.report_table.parse_report`).
        settings: ``offline`` forbids fetching.
        fetch: paper fetcher (tests pass a fake).

    Returns:
        The :class:`ReportReferences`: every reference with its status (and, when unavailable,
        the command that fetches it), and per row the references it names.
    """
    from litcheck.extract.references import reference_entries
    from litcheck.retrieve.sources.base import arxiv_id_from_doi, normalise_doi

    res = _Resolver(lib)
    lines = text.splitlines()
    raw_entries = reference_entries(text)
    # arXiv ids first: everywhere in the report, plus those behind arXiv DOIs.
    arxiv_raw = list(report.references)
    entry_dois: list[str | None] = []
    for entry in raw_entries:
        from_doi = arxiv_id_from_doi(entry.doi)
        entry_dois.append(entry.doi)
        if from_doi and not entry.arxiv_ids:
            arxiv_raw.append(from_doi)
    row_dois: dict[int, list[str]] = {}
    for row in report.rows:
        cells = " ".join([row.text, *row.extra.values()])
        dois = [normalise_doi(m.group(1).rstrip(".")) for m in _DOI.finditer(cells)]
        row_dois[row.index] = [d for d in dict.fromkeys(dois) if d]
        arxiv_raw += [a for d in row_dois[row.index] if (a := arxiv_id_from_doi(d))]
    out = ReportReferences()
    for status in resolve_references(lib, arxiv_raw, settings, fetch):
        base = arxiv_base(status.raw)
        if base is not None and base not in out.by_arxiv:
            out.by_arxiv[base] = status
            out.references.append(status)
        elif base is None:
            out.references.append(status)
    # Reference-list entries: arXiv ones point at the statuses above; others by DOI or title.
    numbered = any(_entry_number(lines, e.line) for e in raw_entries)
    for pos, (entry, doi) in enumerate(zip(raw_entries, entry_dois, strict=True), 1):
        number = _entry_number(lines, entry.line) if numbered else str(pos)
        shown = entry.text if len(entry.text) <= 90 else entry.text[:87] + "..."
        statuses: list[ReferenceStatus] = []
        bases = [b for a in entry.arxiv_ids if (b := arxiv_base(a))]
        from_doi = arxiv_id_from_doi(doi)
        if from_doi:
            bases.append(from_doi)
        for base in dict.fromkeys(bases):
            known = out.by_arxiv.get(base)
            if known is not None:
                known.number = known.number or number
                statuses.append(known)
        if not statuses:
            title = guess_title(entry.text)
            if doi:
                status = _doi_status(res, doi, shown, title)
                out.by_doi.setdefault(doi, status)
            else:
                key = res.match_title(entry.text)
                if key is not None:
                    status = ReferenceStatus(
                        shown, key, "in the library (matched by title)", kind="title"
                    )
                else:
                    status = ReferenceStatus(
                        shown,
                        None,
                        "not resolved: no arXiv id or DOI, and no library paper has its title",
                        kind="title",
                        fetch=f"litcheck search {_shell_quote(title or shown)}",
                    )
            status.number = number
            out.references.append(status)
            statuses.append(status)
        out.entries.append(
            _Entry(entry.text, number, statuses, set(_YEAR_IN_ENTRY.findall(entry.text)))
        )
    for row in report.rows:
        out.row_refs[row.index] = _row_references(res, out, row, row_dois[row.index])
    titles = dict(res.titles())
    for status in out.references:
        if status.paper_id:
            status.title = titles.get(status.paper_id)
    return out


def _row_references(
    res: _Resolver, refs: ReportReferences, row: ReportClaim, dois: Iterable[str]
) -> list[ReferenceStatus]:
    """The references one row names itself, in the order it names them."""
    found: list[ReferenceStatus] = []

    def add(statuses: Iterable[ReferenceStatus]) -> None:
        for s in statuses:
            if all(s is not f for f in found):
                found.append(s)

    for raw in row.cites:
        base = arxiv_base(raw)
        if base is not None and base in refs.by_arxiv:
            add([refs.by_arxiv[base]])
    for doi in dois:
        from litcheck.retrieve.sources.base import arxiv_id_from_doi

        base = arxiv_id_from_doi(doi)
        if base is not None and base in refs.by_arxiv:
            add([refs.by_arxiv[base]])
        elif doi in refs.by_doi:
            add([refs.by_doi[doi]])
        else:
            status = _doi_status(res, doi, doi, None)
            refs.by_doi[doi] = status
            refs.references.append(status)
            add([status])
    by_number = {e.number: e for e in refs.entries if e.number}
    cells = [row.text, *row.extra.values()]
    numbers = _markers(" ".join(cells))
    for header, cell in row.extra.items():
        if _CITE_HEADER.match(header.strip()) and re.fullmatch(r"[\d\s,;–-]+", cell.strip()):
            numbers += _markers(f"[{cell.strip().replace(';', ',')}]")
    for n in numbers:
        if n in by_number:
            add(by_number[n].statuses)
    for surname, year, raw in _author_years(" ".join(cells)):
        matches = [
            e
            for e in refs.entries
            if year in e.years and re.search(rf"\b{re.escape(surname)}\b", e.text[:200])
        ]
        if matches:
            for e in matches:
                add(e.statuses)
            continue
        key = res.by_author_year(surname, year)
        if key is not None:
            status = ReferenceStatus(raw, key, "in the library (matched by author and year)")
            status.kind = "citation"
        else:
            status = ReferenceStatus(
                raw,
                None,
                "cited in the row; not in the reference list, and no library paper matches "
                "its author and year",
                kind="citation",
                fetch=f"litcheck search {_shell_quote(f'{surname} {year}')}",
            )
        refs.references.append(status)
        add([status])
    if not found:
        # A Source cell that holds a title (no id, marker or author-year citation).
        for header, cell in row.extra.items():
            if len(cell.split()) < MIN_TITLE_WORDS or find_arxiv_ids(cell):
                continue
            key = res.match_title(cell)
            if key is not None:
                status = ReferenceStatus(
                    cell, key, f"in the library (title in the row's {header} cell)", kind="title"
                )
                refs.references.append(status)
                add([status])
    return found
