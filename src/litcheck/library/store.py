"""The library: one SQLite file holding papers, sections, passages, claims and embeddings.

Every write happens inside one transaction (``with self._tx():``), so a killed process leaves
each paper either complete or absent, and a rerun picks up where it stopped. The schema carries
a version; :data:`MIGRATIONS` are numbered and applied in order, each idempotent.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from litcheck.errors import BadInputError, LibraryError, NotFoundError
from litcheck.library.chunking import make_passages
from litcheck.models import Claim, Paper, Passage, Section

SCHEMA_VERSION = 3

MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE IF NOT EXISTS papers (
        arxiv_id TEXT PRIMARY KEY,
        version INTEGER,
        title TEXT NOT NULL,
        authors TEXT NOT NULL,
        abstract TEXT NOT NULL,
        categories TEXT NOT NULL,
        primary_category TEXT,
        published TEXT,
        updated TEXT,
        doi TEXT,
        journal_ref TEXT,
        comment TEXT,
        full_text_source TEXT,
        added_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sections (
        paper_id TEXT NOT NULL REFERENCES papers(arxiv_id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        number TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (paper_id, idx)
    );
    CREATE TABLE IF NOT EXISTS passages (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        paper_id TEXT NOT NULL REFERENCES papers(arxiv_id) ON DELETE CASCADE,
        section_index INTEGER NOT NULL,
        section_title TEXT NOT NULL,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS passages_paper ON passages(paper_id);
    CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
        text, content='passages', content_rowid='rowid', tokenize='unicode61'
    );
    CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.rowid, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    END;
    """,
    2: """
    CREATE TABLE IF NOT EXISTS claims (
        id TEXT PRIMARY KEY,
        paper_id TEXT REFERENCES papers(arxiv_id) ON DELETE CASCADE,
        extractor TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL,
        metrics TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS claims_paper ON claims(paper_id, extractor);
    CREATE TABLE IF NOT EXISTS term_df (
        term TEXT PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS embeddings (
        passage_id TEXT NOT NULL,
        model TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (passage_id, model)
    );
    """,
    # Metadata from several sources (OpenAlex, Semantic Scholar, arXiv) merged into one paper.
    # paper_id is the papers key: the arXiv id, else 'doi:<doi>' (or 'openalex:W..', 's2:..').
    3: """
    CREATE TABLE IF NOT EXISTS paper_meta (
        paper_id TEXT PRIMARY KEY REFERENCES papers(arxiv_id) ON DELETE CASCADE,
        arxiv_id TEXT,
        doi TEXT,
        openalex_id TEXT,
        s2_id TEXT,
        venue TEXT,
        year INTEGER,
        citation_count INTEGER,
        sources TEXT NOT NULL,
        conflicts TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS paper_meta_doi ON paper_meta(doi);
    CREATE INDEX IF NOT EXISTS paper_meta_arxiv ON paper_meta(arxiv_id);
    """,
}


class PaperMeta(BaseModel):
    """What the literature sources say about a stored paper beyond arXiv's record.

    ``paper_id`` is the paper's library key (``Paper.arxiv_id``): its arXiv id, or
    ``doi:<doi>`` for a paper found only in OpenAlex or Semantic Scholar.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    paper_id: str
    arxiv_id: str | None = None
    doi: str | None = None
    openalex_id: str | None = None
    s2_id: str | None = None
    venue: str | None = None
    year: int | None = None
    citation_count: int | None = None
    sources: list[str] = Field(default_factory=list, description="Sources that found it.")
    conflicts: list[dict[str, Any]] = Field(
        default_factory=list, description="Metadata the sources disagreed on, and the choice."
    )


#: The largest integer SQLite stores (a signed 64-bit value); a bigger one overflows the insert.
_SQLITE_MAX_INT = 2**63 - 1

#: How many rowids a salvage export probes one by one when the papers table cannot be scanned.
_MAX_SALVAGE_ROWS = 1_000_000

_P = ParamSpec("_P")
_R = TypeVar("_R")


def damaged_message(path: Path, detail: str) -> str:
    """The one-line message for a library file SQLite reports as damaged.

    Args:
        path: the library file.
        detail: what SQLite said (e.g. "database disk image is malformed").

    Returns:
        The message: what is wrong, how to check it, how to recover.
    """
    return (
        f"The library {path} is damaged ({detail}): run `litcheck library check` to see the "
        "damage; save what can still be read with `litcheck library export -o papers.jsonl` "
        "and import it into a new library (or restore a backup)."
    )


def library_error(path: Path, exc: sqlite3.Error) -> LibraryError | None:
    """The :class:`LibraryError` a user should see for a SQLite error, or None for a bug.

    Damage (SQLITE_CORRUPT, SQLITE_NOTADB), a busy file, a full disk or an unreadable file is
    the user's to fix; anything else (a wrong query) is a bug and stays a traceback.

    Args:
        path: the library file.
        exc: the error SQLite raised.

    Returns:
        The error to raise instead, or None to let ``exc`` propagate.
    """
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    if code == sqlite3.SQLITE_NOTADB:
        # Its header is gone (or it never was one): nothing in it can be exported.
        return LibraryError(
            f"The library file {path} is not a readable litcheck library ({text}): it is "
            "damaged beyond reading or another program's file; restore it from a backup, or "
            "move it aside (or set LITCHECK_HOME) to start a new library."
        )
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in text:
        return LibraryError(damaged_message(path, text))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return LibraryError(
            f"The library {path} is busy ({text}): another litcheck is writing to it; "
            "try again when it has finished."
        )
    if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY):
        return LibraryError(
            f"The library {path} cannot be written ({text}); free disk space or check the "
            "file's permissions, then rerun."
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return LibraryError(
            f"The library {path} cannot be opened ({text}); check that its directory exists "
            "and is writable, or set LITCHECK_HOME to another directory."
        )
    return None


def _refuse_empty_file(path: Path) -> None:
    # litcheck creates a library complete (see _create_library), so an empty file was
    # truncated or made by something else; SQLite would silently treat it as a new library.
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return  # SQLite names the problem when it opens the file
    if empty:
        raise LibraryError(
            f"The library file {path} is empty (0 bytes): litcheck never leaves a library "
            "empty, so it was truncated or made by another program; restore it from a backup, "
            "or delete it to start a new library."
        )


def _create_library(path: Path) -> None:
    """Create a migrated library at ``path`` all at once: built beside it, then linked in.

    The file therefore never exists half-made (or empty), and a concurrent creator's library
    is never replaced: the link fails when ``path`` already exists, and ours is dropped.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(fd)
    tmp = Path(name)
    try:
        conn = sqlite3.connect(tmp, timeout=30.0, isolation_level=None)
        try:
            Library(conn, tmp)._migrate()
        finally:
            conn.close()
        os.chmod(tmp, _file_mode())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError:
            # A file system without hard links: rename, unless another process won meanwhile.
            if not path.exists():
                os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _guarded(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn the SQLite errors a user can fix, raised by a :class:`Library` method, into
    :class:`LibraryError` (one line, exit 2), so no command shows a traceback for them."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            lib = args[0]
            error = library_error(lib.path, exc) if isinstance(lib, Library) else None
            if error is None:
                raise
            raise error from exc

    return wrapper


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Library:
    """A litcheck library file.

    Example:
        >>> with Library.open(Path("library.sqlite")) as lib:
        ...     lib.add_paper(paper)
        ...     lib.search_passages("robust training PAWS-X")

    Args:
        path: the SQLite file; created (with its directory) when missing.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Library:
        """Open (or create) the library at ``path`` and migrate it to the current schema.

        Args:
            path: the SQLite file; created (with its directory) when missing, unless
                ``read_only``.
            read_only: open an existing file without writing to it (no migration): what
                ``library check`` and ``library export`` use, so a damaged file is read as it
                is.

        Returns:
            The open library.

        Raises:
            LibraryError: when the file is empty, damaged, not a SQLite database, busy, or has
                a newer schema.
        """
        if read_only and not path.is_file():
            raise LibraryError(
                f"There is no library at {path}; set LITCHECK_HOME (or --home) to the "
                "directory that holds library.sqlite."
            )
        if not read_only and not path.exists():
            try:
                _create_library(path)
            except sqlite3.Error as exc:
                raise (library_error(path, exc) or LibraryError(str(exc))) from None
            except OSError as exc:
                raise LibraryError(
                    f"Cannot create the library {path} ({exc.strerror or exc}); check that "
                    "its directory is writable, or set LITCHECK_HOME to another directory."
                ) from None
        _refuse_empty_file(path)
        conn: sqlite3.Connection | None = None
        try:
            if read_only:
                conn = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
                )
            else:
                conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            lib = cls(conn, path)
            if read_only:
                lib._check_schema()
            else:
                lib._migrate()
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            error = library_error(path, exc)
            if error is None:
                error = LibraryError(
                    f"The library file {path} is not a readable litcheck library ({exc}); "
                    "move it aside or set LITCHECK_HOME to another directory."
                )
            raise error from None
        except BaseException:
            if conn is not None:
                conn.close()
            raise
        return lib

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE so two writers never interleave half-papers."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
            self._conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back (on a damaged page, a full disk): a second
            # ROLLBACK would fail with "no transaction is active" and hide the real error.
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            raise

    def _check_schema(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        current = int(row[0]) if row else 0
        if current > SCHEMA_VERSION:
            raise LibraryError(
                f"The library {self.path} has schema version {current}, newer than this "
                f"litcheck ({SCHEMA_VERSION}); upgrade litcheck."
            )
        return current

    def _migrate(self) -> None:
        self._conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        current = self._check_schema()
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self._tx() as conn:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                    (str(version),),
                )

    @property
    def schema_version(self) -> int:
        row = self._conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0])

    # -- papers ---------------------------------------------------------------------------

    def add_paper(self, paper: Paper) -> list[Passage]:
        """Store a paper with its sections and passages, replacing any earlier copy.

        Args:
            paper: the paper; its passages are cut here.

        Returns:
            The passages stored.
        """
        passages = make_passages(paper)
        self.add_papers([(paper, passages)])
        return passages

    def add_papers(self, items: Iterable[tuple[Paper, Sequence[Passage]]]) -> int:
        """Store many papers in one transaction (fast bulk import). Returns the count."""
        count = 0
        with self._tx() as conn:
            for paper, passages in items:
                self._write_paper(conn, paper, passages)
                count += 1
        return count

    def _write_paper(
        self, conn: sqlite3.Connection, paper: Paper, passages: Sequence[Passage]
    ) -> None:
        if paper.version is not None and not 0 <= paper.version <= _SQLITE_MAX_INT:
            raise BadInputError(
                f"Paper {paper.arxiv_id}: version {paper.version} is out of range; arXiv "
                "versions are small numbers (v1, v2, ...)."
            )
        # Claims and embeddings of an older copy are stale once its passages change.
        old_texts = [
            r[0]
            for r in conn.execute("SELECT text FROM passages WHERE paper_id = ?", (paper.arxiv_id,))
        ]
        _update_df(conn, old_texts, -1)
        conn.execute("DELETE FROM passages WHERE paper_id = ?", (paper.arxiv_id,))
        conn.execute("DELETE FROM sections WHERE paper_id = ?", (paper.arxiv_id,))
        conn.execute(
            """INSERT INTO papers (arxiv_id, version, title, authors, abstract, categories,
                   primary_category, published, updated, doi, journal_ref, comment,
                   full_text_source, added_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(arxiv_id) DO UPDATE SET version=excluded.version,
                   title=excluded.title, authors=excluded.authors, abstract=excluded.abstract,
                   categories=excluded.categories, primary_category=excluded.primary_category,
                   published=excluded.published, updated=excluded.updated, doi=excluded.doi,
                   journal_ref=excluded.journal_ref, comment=excluded.comment,
                   full_text_source=excluded.full_text_source""",
            (
                paper.arxiv_id,
                paper.version,
                paper.title,
                json.dumps(paper.authors),
                paper.abstract,
                json.dumps(paper.categories),
                paper.primary_category,
                _iso(paper.published),
                _iso(paper.updated),
                paper.doi,
                paper.journal_ref,
                paper.comment,
                paper.full_text_source,
                _now(),
            ),
        )
        conn.executemany(
            "INSERT INTO sections (paper_id, idx, number, title, text) VALUES (?,?,?,?,?)",
            [(paper.arxiv_id, i, s.number, s.title, s.text) for i, s in enumerate(paper.sections)],
        )
        conn.executemany(
            """INSERT INTO passages (id, paper_id, section_index, section_title, idx, start,
                   "end", text, kind) VALUES (?,?,?,?,?,?,?,?,?)""",
            [
                (
                    p.id,
                    p.paper_id,
                    p.section_index,
                    p.section_title,
                    p.index,
                    p.start,
                    p.end,
                    p.text,
                    p.kind,
                )
                for p in passages
            ],
        )
        _update_df(conn, [p.text for p in passages], +1)
        live = {p.id for p in passages}
        stale = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT passage_id FROM embeddings WHERE passage_id LIKE ?",
                (paper.arxiv_id + ":%",),
            )
            if r[0] not in live
        ]
        conn.executemany("DELETE FROM embeddings WHERE passage_id = ?", [(s,) for s in stale])

    def has_paper(self, arxiv_id: str, full_text: bool = False) -> bool:
        """True when the paper is stored (with full text, if ``full_text``)."""
        row = self._conn.execute(
            "SELECT full_text_source FROM papers WHERE arxiv_id = ?", (arxiv_id,)
        ).fetchone()
        if row is None:
            return False
        return not full_text or row[0] is not None

    def get_paper(self, arxiv_id: str, with_sections: bool = True) -> Paper:
        """Return a stored paper.

        Raises:
            NotFoundError: when the library has no such paper.
        """
        return self._read_paper(arxiv_id, with_sections)

    def _read_paper(self, arxiv_id: str, with_sections: bool) -> Paper:
        row = self._conn.execute("SELECT * FROM papers WHERE arxiv_id = ?", (arxiv_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"Paper {arxiv_id} is not in the library; add it with `litcheck add {arxiv_id}` "
                "or `litcheck library import FILE`."
            )
        sections: list[Section] = []
        if with_sections:
            sections = [
                Section(number=r["number"], title=r["title"], text=r["text"])
                for r in self._conn.execute(
                    "SELECT number, title, text FROM sections WHERE paper_id = ? ORDER BY idx",
                    (arxiv_id,),
                )
            ]
        return _paper_from_row(row, sections)

    def papers(self, with_sections: bool = False) -> list[Paper]:
        """All stored papers, most recently added first."""
        rows = self._conn.execute(
            "SELECT * FROM papers ORDER BY added_at DESC, arxiv_id"
        ).fetchall()
        if not with_sections:
            return [_paper_from_row(r, []) for r in rows]
        return [self.get_paper(r["arxiv_id"]) for r in rows]

    def titles(self) -> list[tuple[str, str]]:
        """(paper id, title) of every stored paper."""
        return [
            (str(r[0]), str(r[1]))
            for r in self._conn.execute("SELECT arxiv_id, title FROM papers ORDER BY arxiv_id")
        ]

    def paper_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT arxiv_id FROM papers ORDER BY arxiv_id")]

    def count(self, table: str) -> int:
        if table not in {"papers", "sections", "passages", "claims", "embeddings"}:
            raise ValueError(table)
        return int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def delete_paper(self, arxiv_id: str) -> None:
        with self._tx() as conn:
            old = [
                r[0]
                for r in conn.execute("SELECT text FROM passages WHERE paper_id = ?", (arxiv_id,))
            ]
            _update_df(conn, old, -1)
            conn.execute("DELETE FROM passages WHERE paper_id = ?", (arxiv_id,))
            conn.execute("DELETE FROM embeddings WHERE passage_id LIKE ?", (arxiv_id + ":%",))
            conn.execute("DELETE FROM papers WHERE arxiv_id = ?", (arxiv_id,))

    # -- metadata from several sources ---------------------------------------------------

    def put_paper_meta(self, meta: PaperMeta) -> None:
        """Store (replace) a paper's merged source metadata; the paper must be stored first.

        Raises:
            NotFoundError: when the paper is not in the library.
        """
        if not self.has_paper(meta.paper_id):
            raise NotFoundError(f"Paper {meta.paper_id} is not in the library; add it first.")
        with self._tx() as conn:
            conn.execute(
                """INSERT OR REPLACE INTO paper_meta (paper_id, arxiv_id, doi, openalex_id, s2_id,
                       venue, year, citation_count, sources, conflicts, updated_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    meta.paper_id,
                    meta.arxiv_id,
                    meta.doi,
                    meta.openalex_id,
                    meta.s2_id,
                    meta.venue,
                    meta.year,
                    meta.citation_count,
                    json.dumps(meta.sources),
                    json.dumps(meta.conflicts, ensure_ascii=False),
                    _now(),
                ),
            )

    def get_paper_meta(self, paper_id: str) -> PaperMeta | None:
        """A paper's merged source metadata, or ``None`` when none was stored."""
        row = self._conn.execute(
            "SELECT * FROM paper_meta WHERE paper_id = ?", (paper_id,)
        ).fetchone()
        return _meta_from_row(row) if row is not None else None

    def paper_metas(self, paper_ids: Sequence[str] | None = None) -> dict[str, PaperMeta]:
        """Merged source metadata of the given papers (or all), keyed by paper id."""
        sql = "SELECT * FROM paper_meta"
        args: list[Any] = []
        if paper_ids is not None:
            sql += f" WHERE paper_id IN ({','.join('?' * len(paper_ids))})"
            args = list(paper_ids)
        return {r["paper_id"]: _meta_from_row(r) for r in self._conn.execute(sql, args)}

    def find_paper_key(self, *, doi: str | None = None, arxiv_id: str | None = None) -> str | None:
        """The library key of a stored paper with this DOI or arXiv id, if any.

        Args:
            doi: a normalised DOI (lower case, no ``https://doi.org/``).
            arxiv_id: an arXiv id without version.

        Returns:
            The paper's key (``papers.arxiv_id``), or ``None``.
        """
        if arxiv_id and self.has_paper(arxiv_id):
            return arxiv_id
        for column, value in (("arxiv_id", arxiv_id), ("doi", doi)):
            if value:
                row = self._conn.execute(
                    f"SELECT paper_id FROM paper_meta WHERE {column} = ?", (value,)
                ).fetchone()
                if row is not None:
                    return str(row[0])
        if doi:
            row = self._conn.execute(
                "SELECT arxiv_id FROM papers WHERE lower(doi) = ?", (doi.lower(),)
            ).fetchone()
            if row is not None:
                return str(row[0])
        return None

    def term_document_frequency(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        """How many passages hold each term (FTS5 tokens), and the number of passages.

        Returns:
            (``{term: passages holding it}`` for the known terms, total passages).
        """
        out: dict[str, int] = {}
        for term in dict.fromkeys(terms):
            row = self._conn.execute("SELECT df FROM term_df WHERE term = ?", (term,)).fetchone()
            if row is not None:
                out[term] = int(row[0])
        return out, self.count("passages")

    # -- passages -------------------------------------------------------------------------

    def passages(self, paper_ids: Sequence[str] | None = None) -> list[Passage]:
        """Passages in reading order, of the given papers or of the whole library."""
        sql = "SELECT * FROM passages"
        args: list[Any] = []
        if paper_ids is not None:
            sql += f" WHERE paper_id IN ({','.join('?' * len(paper_ids))})"
            args = list(paper_ids)
        sql += " ORDER BY paper_id, section_index, idx"
        return [_passage_from_row(r) for r in self._conn.execute(sql, args)]

    def get_passages(self, ids: Sequence[str]) -> list[Passage]:
        """Passages by id, in the order given (unknown ids are skipped)."""
        found: dict[str, Passage] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = list(ids[chunk_start : chunk_start + 500])
            for r in self._conn.execute(
                f"SELECT * FROM passages WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                found[r["id"]] = _passage_from_row(r)
        return [found[i] for i in ids if i in found]

    def search_passages(
        self, query: str, limit: int = 20, paper_ids: Sequence[str] | None = None
    ) -> list[tuple[Passage, float]]:
        """Keyword search over passages with FTS5 (BM25).

        Args:
            query: free text; it is turned into an OR of its word tokens, so punctuation in
                user text never becomes FTS5 syntax.
            limit: how many passages to return.
            paper_ids: restrict to these papers.

        Returns:
            (passage, score) pairs, best first; score is the negated BM25 rank (higher better).
        """
        terms = self._selective_terms(fts_terms(query))
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        # Rank inside the FTS table first (FTS5 optimises `ORDER BY rank LIMIT`), then join.
        sql = "SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH ?"
        args: list[Any] = [match]
        if paper_ids is not None:
            sql += (
                " AND rowid IN (SELECT rowid FROM passages WHERE paper_id IN "
                f"({','.join('?' * len(paper_ids))}))"
            )
            args.extend(paper_ids)
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit)
        ranked = self._conn.execute(sql, args).fetchall()
        if not ranked:
            return []
        rows = {
            r["rowid"]: r
            for r in self._conn.execute(
                f"SELECT rowid, * FROM passages WHERE rowid IN ({','.join('?' * len(ranked))})",
                [r[0] for r in ranked],
            )
        }
        return [(_passage_from_row(rows[rid]), -float(rank)) for rid, rank in ranked if rid in rows]

    def _selective_terms(
        self, terms: list[str], budget: int = 4000, max_terms: int = 12
    ) -> list[str]:
        """Keep the rarest query terms, within a budget of passages to score.

        FTS5 scores every passage that holds any query term, so a term found in most passages
        costs time while BM25 gives it almost no weight. Terms are taken rarest first until the
        passages they hold add up to ``budget`` (always at least one term); unknown terms
        match nothing and are dropped. This bounds a query's work as the library grows.
        """
        df: dict[str, int] = {}
        for term in terms:
            # A quoted "paws-x" is the phrase (paws, x): it is no commoner than its rarest word.
            parts = _index_tokens(term)
            counts = []
            for part in parts:
                row = self._conn.execute(
                    "SELECT df FROM term_df WHERE term = ?", (part,)
                ).fetchone()
                counts.append(int(row[0]) if row else 0)
            if counts and min(counts) > 0:
                df[term] = min(counts)
        chosen: list[str] = []
        spent = 0
        for term in sorted(df, key=lambda t: df[t]):
            if chosen and (spent + df[term] > budget or len(chosen) >= max_terms):
                break
            chosen.append(term)
            spent += df[term]
        return chosen

    # -- claims ---------------------------------------------------------------------------

    def replace_claims(self, paper_id: str, extractor: str, claims: Sequence[Claim]) -> int:
        """Replace, in one transaction, the claims one extractor made from one paper.

        Extractor names look like ``offline/1``; every version of the same extractor family
        (the part before ``/``) is replaced, so a new extractor version supersedes its own
        earlier claims while claims of other extractors stay.

        Returns:
            The number of claims stored.
        """
        family = extractor.split("/", 1)[0]
        with self._tx() as conn:
            conn.execute(
                "DELETE FROM claims WHERE paper_id = ? AND (extractor = ? OR extractor LIKE ?)",
                (paper_id, family, family + "/%"),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO claims (id, paper_id, extractor, kind, text, metrics, data)"
                " VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        c.id,
                        paper_id,
                        c.extractor,
                        c.kind.value,
                        c.text,
                        json.dumps(sorted({q.metric for q in c.quantities if q.metric})),
                        c.model_dump_json(),
                    )
                    for c in claims
                ],
            )
        return len(claims)

    def claims(
        self,
        paper_id: str | None = None,
        kind: str | None = None,
        metric: str | None = None,
        extractor: str | None = None,
    ) -> list[Claim]:
        """Stored claims, filtered by paper, kind, metric (case-insensitive) or extractor."""
        sql = "SELECT data FROM claims WHERE 1=1"
        args: list[Any] = []
        if paper_id is not None:
            sql += " AND paper_id = ?"
            args.append(paper_id)
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        if extractor is not None:
            sql += " AND (extractor = ? OR extractor LIKE ?)"
            args.extend([extractor, extractor + "/%"])
        sql += " ORDER BY paper_id, rowid"
        out = [Claim.model_validate_json(r[0]) for r in self._conn.execute(sql, args)]
        if metric is not None:
            wanted = metric.lower()
            out = [c for c in out if any((q.metric or "").lower() == wanted for q in c.quantities)]
        return out

    def get_claim(self, claim_id: str) -> Claim:
        row = self._conn.execute("SELECT data FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if row is None:
            raise NotFoundError(
                f"Claim {claim_id} is not in the library; see `litcheck claims list`."
            )
        return Claim.model_validate_json(row[0])

    # -- embeddings -----------------------------------------------------------------------

    def get_embeddings(
        self, model: str, passage_ids: Sequence[str]
    ) -> dict[str, NDArray[np.float32]]:
        """Cached embeddings of the given passages under ``model`` (missing ones are absent)."""
        out: dict[str, NDArray[np.float32]] = {}
        for chunk_start in range(0, len(passage_ids), 500):
            chunk = list(passage_ids[chunk_start : chunk_start + 500])
            rows = self._conn.execute(
                f"SELECT passage_id, vector FROM embeddings WHERE model = ? AND passage_id IN "
                f"({','.join('?' * len(chunk))})",
                [model, *chunk],
            )
            for pid, blob in rows:
                out[pid] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_embeddings(self, model: str, items: Iterable[tuple[str, NDArray[np.float32]]]) -> None:
        """Store embeddings (one transaction); existing ones for the same passage are replaced."""
        with self._tx() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (passage_id, model, dim, vector) "
                "VALUES (?,?,?,?)",
                [
                    (pid, model, int(vec.shape[0]), np.asarray(vec, np.float32).tobytes())
                    for pid, vec in items
                ],
            )

    def embedding_models(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT model FROM embeddings")]

    def _readable_paper_ids(self) -> list[str]:
        """The ids of the stored papers, read past damaged pages where possible."""
        # 1. a plain scan; 2. the primary-key index alone (intact when only table pages are
        # damaged); 3. one seek per rowid, which steps over each damaged leaf page.
        for query in (
            "SELECT arxiv_id FROM papers ORDER BY rowid",
            "SELECT arxiv_id FROM papers INDEXED BY sqlite_autoindex_papers_1",
        ):
            try:
                return [str(r[0]) for r in self._conn.execute(query)]
            except sqlite3.DatabaseError:
                continue
        try:
            top = int(self._conn.execute("SELECT max(rowid) FROM papers").fetchone()[0] or 0)
        except sqlite3.DatabaseError as exc:
            raise LibraryError(
                f"Not even the list of papers in {self.path} can be read ({exc}); restore the "
                "library from a backup, or re-add the papers to a new one."
            ) from None
        ids: list[str] = []
        for rowid in range(1, min(top, _MAX_SALVAGE_ROWS) + 1):
            try:
                row = self._conn.execute(
                    "SELECT arxiv_id FROM papers WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row is not None:
                ids.append(str(row[0]))
        return ids

    # -- health -----------------------------------------------------------------------------

    def integrity_problems(self, limit: int = 20) -> list[str]:
        """Run SQLite's integrity check over the whole file.

        Args:
            limit: report at most this many problems.

        Returns:
            The problems SQLite found (empty when the file is sound).
        """
        try:
            rows = self._conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
        except sqlite3.DatabaseError as exc:
            # A file damaged badly enough fails the check itself: that is its one finding.
            return [str(exc)]
        problems = [str(r[0]) for r in rows]
        return [] if problems == ["ok"] else problems

    def readable_papers(self, on_error: Callable[[str, str], None]) -> list[Paper]:
        """Every paper that can still be read, with its sections (what a salvage exports).

        A paper whose rows sit on a damaged page is skipped and named through ``on_error``.

        Args:
            on_error: called with (paper id, what went wrong) for each paper left out.

        Returns:
            The papers read in full, in the order they were stored.

        Raises:
            LibraryError: when not even the list of papers can be read.
        """
        ids = self._readable_paper_ids()
        papers: list[Paper] = []
        for pid in ids:
            try:
                papers.append(self._read_paper(pid, with_sections=True))
            except (sqlite3.DatabaseError, ValueError) as exc:
                on_error(str(pid), str(exc))
        return papers


# Every public method turns the SQLite errors a user can fix (a damaged or busy file, a full
# disk) into one LibraryError, so each command says what is wrong instead of a traceback.
for _name, _member in list(vars(Library).items()):
    if _name.startswith("_") or _name in ("open", "close", "integrity_problems"):
        continue
    if isinstance(_member, property) and _member.fget is not None:
        setattr(Library, _name, property(_guarded(_member.fget), doc=_member.__doc__))
    elif callable(_member):
        setattr(Library, _name, _guarded(_member))


# Words that match nearly every passage: they cost FTS5 time and add nothing to BM25 ranking.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "we",
        "our",
        "us",
        "via",
        "using",
        "use",
        "used",
    ]
)


def fts_terms(text: str) -> list[str]:
    """Word tokens of ``text`` safe to quote in an FTS5 query (deduplicated, in order).

    Stopwords are dropped unless nothing else is left.
    """
    seen: dict[str, None] = {}
    for token in re.findall(r"[\w][\w\-.]*[\w]|[\w]", text.lower()):
        token = token.replace('"', "")
        if len(token) > 1 or token.isdigit():
            seen.setdefault(token, None)
    content = [t for t in seen if t not in STOPWORDS]
    return content or list(seen)


_INDEX_TOKEN = re.compile(r"[^\W_]+")


def _index_tokens(text: str) -> set[str]:
    """Tokens as FTS5's unicode61 tokenizer cuts them (letters and digits, lower case)."""
    return {t.lower() for t in _INDEX_TOKEN.findall(text)}


def _update_df(conn: sqlite3.Connection, texts: Sequence[str], sign: int) -> None:
    """Add (sign=+1) or remove (-1) passages' terms from the document-frequency table."""
    counts: dict[str, int] = {}
    for text in texts:
        for token in _index_tokens(text):
            counts[token] = counts.get(token, 0) + 1
    if not counts:
        return
    conn.executemany(
        "INSERT INTO term_df(term, df) VALUES (?, ?) "
        "ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        [(t, sign * c) for t, c in counts.items()],
    )
    if sign < 0:
        conn.execute("DELETE FROM term_df WHERE df <= 0")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    out: list[str] = []
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def _paper_from_row(row: sqlite3.Row, sections: list[Section]) -> Paper:
    return Paper(
        arxiv_id=row["arxiv_id"],
        version=row["version"],
        title=row["title"],
        authors=json.loads(row["authors"]),
        abstract=row["abstract"],
        categories=json.loads(row["categories"]),
        primary_category=row["primary_category"],
        published=datetime.fromisoformat(row["published"]) if row["published"] else None,
        updated=datetime.fromisoformat(row["updated"]) if row["updated"] else None,
        doi=row["doi"],
        journal_ref=row["journal_ref"],
        comment=row["comment"],
        full_text_source=row["full_text_source"],
        sections=sections,
    )


def _meta_from_row(row: sqlite3.Row) -> PaperMeta:
    return PaperMeta(
        paper_id=row["paper_id"],
        arxiv_id=row["arxiv_id"],
        doi=row["doi"],
        openalex_id=row["openalex_id"],
        s2_id=row["s2_id"],
        venue=row["venue"],
        year=row["year"],
        citation_count=row["citation_count"],
        sources=json.loads(row["sources"]),
        conflicts=json.loads(row["conflicts"]),
    )


def _passage_from_row(row: sqlite3.Row) -> Passage:
    return Passage(
        id=row["id"],
        paper_id=row["paper_id"],
        section_index=row["section_index"],
        section_title=row["section_title"],
        index=row["idx"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        kind=row["kind"],
    )


def open_library(path: Path) -> Library:
    """Open the library at ``path`` (see :meth:`Library.open`)."""
    return Library.open(path)


__all__ = ["SCHEMA_VERSION", "Library", "PaperMeta", "fts_terms", "open_library"]
