"""Download the PAWS-X and XNLI dev sets and write them in the layout ``load_task`` reads.

The official archives are converted as XTREME's ``utils_preprocess.py`` does:

- PAWS-X (``x-final.tar.gz``): ``x-final/<lang>/dev_2k.tsv`` without its header line becomes
  ``<data_dir>/pawsx/dev-<lang>.tsv`` with the columns ``sentence1, sentence2, label``;
- XNLI (``XNLI-1.0.zip``): ``XNLI-1.0/xnli.dev.tsv`` is split by its ``language`` column into
  ``<data_dir>/xnli/dev-<lang>.tsv`` with ``sentence1, sentence2, gold_label``, the label
  ``contradictory`` written as ``contradiction``.

Rows keep the archive's order, but every language is checked against English by the row id
(``id`` in PAWS-X, ``pairID`` in XNLI): a language listed in another order is put in English's
order, one with other ids is an error. Tabs and line breaks inside a sentence become spaces, so
every row has exactly three columns; an empty sentence stays empty.

Archives are cached under ``<home>/cache/downloads/`` (a rerun downloads nothing); a download
streams into ``<archive>.part`` and a later run resumes it with an HTTP Range request. Every
file is written through a temporary file and a rename, so a killed run leaves no half-written
file, and ``<data_dir>/<task>/PROVENANCE.json`` records where the files came from.

Example:
    >>> from litcheck.settings import load_settings
    >>> outcome = download_task("pawsx", load_settings())  # doctest: +SKIP
    >>> [(f.path.name, f.rows) for f in outcome.files][:1]  # doctest: +SKIP
    [('dev-de.tsv', 2000)]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tarfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from litcheck import __version__
from litcheck.errors import ExperimentError
from litcheck.experiments.attacks import NEIGHBOURS_FILE, NEIGHBOURS_URL
from litcheck.experiments.data import SOURCE_LANGUAGE, TASKS, TaskSpec, get_task
from litcheck.retrieve.http import parse_retry_after, status_text
from litcheck.settings import Settings

#: the official archive of each task
OFFICIAL_URLS: dict[str, str] = {
    "pawsx": "https://storage.googleapis.com/paws/pawsx/x-final.tar.gz",
    "xnli": "https://dl.fbaipublicfiles.com/XNLI/XNLI-1.0.zip",
}
PROVENANCE_FILE = "PROVENANCE.json"
#: statuses worth retrying: rate limiting and server-side trouble
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})

PAWSX_MEMBER = "x-final/{lang}/dev_2k.tsv"
XNLI_MEMBER = "XNLI-1.0/xnli.dev.tsv"
_CHUNK = 1 << 16
# Characters that end a line for csv, editors or str.splitlines; NUL makes csv fail.
_BREAKS = re.compile("[\t\n\r\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

Row = tuple[str, str, str]


@dataclass(frozen=True)
class ConvertedTask:
    """A task's dev rows in every language, in English's row order.

    Attributes:
        rows: ``{language: [(text_a, text_b, label), ...]}``, parallel by row.
        reordered: languages whose archive order differed from English's and were reordered.
        members: the archive members the rows were read from.
    """

    rows: dict[str, list[Row]]
    reordered: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class DevFile:
    """One dev file in the data directory after a download.

    Attributes:
        task: ``pawsx`` or ``xnli``.
        language: its language.
        path: where it is.
        rows: its number of rows.
        sha256: hex digest of its bytes.
        status: ``written`` (converted now), ``kept`` (already there and identical to the
            conversion, or not compared because nothing was downloaded) or ``kept-differs``
            (already there, left alone, but not what the archive converts to).
    """

    task: str
    language: str
    path: Path
    rows: int
    sha256: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values (the path as a string)."""
        return {
            "task": self.task,
            "language": self.language,
            "path": str(self.path),
            "rows": self.rows,
            "sha256": self.sha256,
            "status": self.status,
        }


@dataclass(frozen=True)
class DownloadOutcome:
    """What :func:`download_task` did.

    Attributes:
        task: the task.
        folder: ``<data_dir>/<task folder>``.
        url: the archive's URL.
        files: every dev file of the task, in the task's language order.
        archive: the cached archive, or ``None`` when every file existed and none was read.
        downloaded: whether the archive was fetched now (``False``: taken from the cache).
        reordered: languages put in English's order by row id.
        provenance: the ``PROVENANCE.json`` written, or ``None`` when nothing was converted.
    """

    task: str
    folder: Path
    url: str
    files: list[DevFile]
    archive: Path | None
    downloaded: bool
    reordered: tuple[str, ...]
    provenance: Path | None

    def messages(self) -> list[str]:
        """One-line messages for people (the CLI prints them on stderr)."""
        kept = [f.path.name for f in self.files if f.status != "written"]
        written = [f.path.name for f in self.files if f.status == "written"]
        if self.archive is None:
            return [
                f"{self.task}: all {len(kept)} dev files already exist in {self.folder}; "
                "left alone (--force rewrites them)."
            ]
        source = "downloaded" if self.downloaded else "cached"
        lines = [
            f"{self.task}: wrote {len(written)} dev file(s) to {self.folder} from the {source} "
            f"archive {self.archive}."
        ]
        if self.reordered:
            lines.append(
                f"{self.task}: put {', '.join(self.reordered)} in English's row order by row id."
            )
        if kept:
            lines.append(
                f"{self.task}: left {', '.join(kept)} alone (already there; --force rewrites)."
            )
        for f in self.files:
            if f.status == "kept-differs":
                lines.append(
                    f"{self.task}: warning: {f.path} differs from the archive's conversion; "
                    "--force rewrites it."
                )
        return lines


def select_tasks(task: str) -> list[str]:
    """Tasks named by a ``--task`` value.

    Args:
        task: ``pawsx``, ``xnli`` or ``all``.

    Returns:
        The task names, in a fixed order.

    Raises:
        ExperimentError: for any other value.
    """
    if task == "all":
        return list(TASKS)
    return [get_task(task).name]


def archive_path(settings: Settings, url: str) -> Path:
    """Where the archive downloaded from ``url`` is cached.

    Args:
        settings: source of ``home`` (the cache is ``<home>/cache/downloads``).
        url: the archive's URL; each URL gets its own folder, so a mirror never masks another.

    Returns:
        ``<home>/cache/downloads/<url hash>/<file name of the URL>``.
    """
    name = Path(urlsplit(url).path).name or "archive"
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return settings.cache_dir / "downloads" / digest / name


def fetch_archive(
    url: str,
    dest: Path,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    show_progress: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Download ``url`` to ``dest`` unless it is there already, resuming a partial download.

    The body streams into ``<dest>.part``; when that file exists, the request asks for the
    rest with a Range header and appends if the server answers 206 (on 200 it starts over).
    429 and 5xx answers, timeouts and dropped connections are retried ``settings.retries``
    times with exponential backoff; ``dest`` appears, by rename, only once complete.

    Args:
        url: the archive's URL.
        dest: the cached archive's path.
        settings: source of ``user_agent``, ``timeout``, ``retries``, ``backoff``,
            ``max_retry_after`` and ``offline``.
        client: the ``httpx.Client`` to send through (default: one made from the settings).
        show_progress: a progress bar (bytes) on stderr.
        sleep: called with the seconds to wait between retries.

    Returns:
        ``True`` when it was downloaded now, ``False`` when ``dest`` existed.

    Raises:
        ExperimentError: when offline, on a status such as 404, when retries run out, or when
            the cache directory cannot be written.
    """
    if dest.is_file():
        return False
    if settings.offline:
        raise ExperimentError(
            f"Offline mode is on (LITCHECK_OFFLINE), so {url} was not downloaded; unset it, or "
            "copy the converted dev files into the data directory (LITCHECK_DATA_DIR)."
        )
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExperimentError(
            f"Cannot create the download cache {dest.parent} ({exc.strerror}); set "
            "LITCHECK_HOME to a writable directory."
        ) from None
    part = dest.with_name(dest.name + ".part")
    http = client if client is not None else _default_client(settings)
    try:
        with _byte_progress(show_progress, f"download {dest.name}") as start_bar:
            attempt = 0
            while not _fetch_attempt(http, url, part, settings, start_bar, attempt, sleep):
                attempt += 1
        os.replace(part, dest)
    except OSError as exc:
        raise ExperimentError(
            f"Cannot write {part} ({exc.strerror}); set LITCHECK_HOME to a writable directory."
        ) from None
    finally:
        if client is None:
            http.close()
    return True


def convert_pawsx(archive: Path) -> ConvertedTask:
    """Read the PAWS-X dev sets out of ``x-final.tar.gz``.

    Args:
        archive: the downloaded tar.gz.

    Returns:
        ``(sentence1, sentence2, label)`` rows of every language, aligned to English by ``id``.

    Raises:
        ExperimentError: when the archive is unreadable (it is then removed from the cache), a
            member is missing, a row is malformed, or a language is not parallel to English.
    """
    spec = TASKS["pawsx"]
    members = {lang: PAWSX_MEMBER.format(lang=lang) for lang in spec.languages}
    data = _read_tar(archive, list(members.values()))
    rows: dict[str, list[Row]] = {}
    ids: dict[str, list[str]] = {}
    for lang, member in members.items():
        table = _Table(data[member], member, ("id", "sentence1", "sentence2", "label"))
        rows[lang], ids[lang] = [], []
        for lineno, fields in table:
            label = table.label(fields, "label", spec, lineno)
            rows[lang].append(
                (table.text(fields, "sentence1"), table.text(fields, "sentence2"), label)
            )
            ids[lang].append(fields[table.index["id"]].strip())
    aligned, reordered = _align(spec, ids, rows, "id", "x-final")
    return ConvertedTask(aligned, reordered, tuple(members.values()))


def convert_xnli(archive: Path) -> ConvertedTask:
    """Read the XNLI dev sets out of ``XNLI-1.0.zip`` (one file, split by language).

    Args:
        archive: the downloaded zip.

    Returns:
        ``(sentence1, sentence2, gold_label)`` rows of every language (``contradictory`` read as
        ``contradiction``), aligned to English by ``pairID``.

    Raises:
        ExperimentError: when the archive is unreadable (it is then removed from the cache), the
            member is missing, a row is malformed, a language has no rows, or a language is not
            parallel to English.
    """
    spec = TASKS["xnli"]
    table = _Table(
        _read_zip(archive, XNLI_MEMBER),
        XNLI_MEMBER,
        ("language", "gold_label", "sentence1", "sentence2", "pairID"),
    )
    rows: dict[str, list[Row]] = {lang: [] for lang in spec.languages}
    ids: dict[str, list[str]] = {lang: [] for lang in spec.languages}
    for lineno, fields in table:
        lang = fields[table.index["language"]].strip()
        if lang not in rows:
            continue  # a language litcheck does not evaluate
        label = table.label(
            fields, "gold_label", spec, lineno, aliases={"contradictory": "contradiction"}
        )
        rows[lang].append((table.text(fields, "sentence1"), table.text(fields, "sentence2"), label))
        ids[lang].append(fields[table.index["pairID"]].strip())
    empty = [lang for lang in spec.languages if not rows[lang]]
    if empty:
        raise ExperimentError(
            f"{XNLI_MEMBER} in {archive.name} has no rows for {', '.join(empty)}; is the URL the "
            "XNLI-1.0 zip?"
        )
    aligned, reordered = _align(spec, ids, rows, "pairID", XNLI_MEMBER)
    return ConvertedTask(aligned, reordered, (XNLI_MEMBER,))


#: the converter of each task and the sentence PROVENANCE.json gives for it
CONVERTERS: dict[str, tuple[Callable[[Path], ConvertedTask], str]] = {
    "pawsx": (
        convert_pawsx,
        "x-final/<lang>/dev_2k.tsv, header skipped, written as sentence1<TAB>sentence2<TAB>label "
        "(XTREME utils_preprocess.py pawsx_preprocess), rows in English's id order",
    ),
    "xnli": (
        convert_xnli,
        "XNLI-1.0/xnli.dev.tsv, header skipped, split by language, written as "
        "sentence1<TAB>sentence2<TAB>gold_label with contradictory -> contradiction (XTREME "
        "utils_preprocess.py xnli_preprocess), rows in English's pairID order",
    ),
}


def download_task(
    task: str,
    settings: Settings,
    *,
    url: str | None = None,
    force: bool = False,
    client: httpx.Client | None = None,
    show_progress: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> DownloadOutcome:
    """Download a task's archive (unless cached) and write its dev files into the data dir.

    Existing dev files are left alone unless ``force``; when all of them exist nothing is
    downloaded or read. A run that is killed and started again loses nothing: the download
    resumes and every file is written whole or not at all.

    Args:
        task: ``pawsx`` or ``xnli``.
        settings: source of ``data_dir``, ``home`` (the archive cache) and the HTTP settings.
        url: the archive's URL (default: the official one, :data:`OFFICIAL_URLS`).
        force: rewrite dev files that already exist.
        client: the ``httpx.Client`` to download with (default: one made from the settings).
        show_progress: a progress bar on stderr while downloading.
        sleep: called with the seconds to wait between retries.

    Returns:
        What was written, kept and downloaded.

    Raises:
        ExperimentError: for an unknown task, when offline and the archive is not cached, on
            HTTP errors, an unreadable or unexpected archive, a language that is not parallel
            to English, or a data directory that cannot be written.
    """
    spec = get_task(task)
    source = url or OFFICIAL_URLS[spec.name]
    folder = settings.data_dir / spec.folder
    paths = {lang: folder / f"dev-{lang}.tsv" for lang in spec.languages}
    if not force and all(p.is_file() for p in paths.values()):
        kept = [_existing(spec, lang, path, "kept") for lang, path in paths.items()]
        return DownloadOutcome(spec.name, folder, source, kept, None, False, (), None)
    _make_writable_dir(folder)
    archive = archive_path(settings, source)
    downloaded = fetch_archive(
        source, archive, settings, client=client, show_progress=show_progress, sleep=sleep
    )
    convert, description = CONVERTERS[spec.name]
    converted = convert(archive)
    files: list[DevFile] = []
    for lang, path in paths.items():
        data = _tsv_bytes(converted.rows[lang])
        if path.is_file() and not force:
            status = "kept" if _read_bytes(path) == data else "kept-differs"
            files.append(_existing(spec, lang, path, status))
            continue
        _write_atomic(path, data)
        digest = hashlib.sha256(data).hexdigest()
        files.append(DevFile(spec.name, lang, path, len(converted.rows[lang]), digest, "written"))
    size, archive_digest = _file_digest(archive)
    provenance = {
        "task": spec.name,
        "source_url": source,
        "archive": {"name": archive.name, "size": size, "sha256": archive_digest},
        "members": list(converted.members),
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "converter": f"litcheck {__version__} litcheck.experiments.download.{convert.__name__}",
        "conversion": description,
        "reordered_to_english": list(converted.reordered),
        "files": {
            f.path.name: {
                "language": f.language,
                "rows": f.rows,
                "sha256": f.sha256,
                "status": f.status,
            }
            for f in files
        },
    }
    provenance_path = folder / PROVENANCE_FILE
    text = json.dumps(provenance, indent=1, ensure_ascii=False) + "\n"
    _write_atomic(provenance_path, text.encode("utf-8"))
    return DownloadOutcome(
        spec.name, folder, source, files, archive, downloaded, converted.reordered, provenance_path
    )


def neighbours_hint(data_dir: Path) -> str | None:
    """Where the synonym file comes from, when it is missing from ``data_dir``.

    Args:
        data_dir: the data directory.

    Returns:
        A one-line message, or ``None`` when ``robust-xlt/counterfitted_neighbors.json`` exists.
    """
    path = data_dir / NEIGHBOURS_FILE
    if path.is_file():
        return None
    return (
        f"note: {path} is missing; RS-DA and the synonym attack need it. It has no stable direct "
        f"download: get it from {NEIGHBOURS_URL} and put it there."
    )


class _TransientError(Exception):
    """A failure worth retrying (429/5xx, timeout, dropped connection)."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.retry_after = retry_after


def _default_client(settings: Settings) -> httpx.Client:
    return httpx.Client(
        timeout=settings.timeout,
        headers={"User-Agent": settings.user_agent},
        follow_redirects=True,
    )


StartBar = Callable[[int | None, int], tuple[Progress, TaskID]]


@contextmanager
def _byte_progress(enabled: bool, description: str) -> Iterator[StartBar]:
    """Yield a function that shows the bar on first use (an error before any byte shows none)."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )
    bar: list[TaskID] = []

    def start(total: int | None, completed: int) -> tuple[Progress, TaskID]:
        if not bar:
            progress.start()
            bar.append(progress.add_task(description, total=total, completed=completed))
        else:
            progress.reset(bar[0], total=total, completed=completed)
        return progress, bar[0]

    try:
        yield start
    finally:
        if bar:
            progress.stop()


def _fetch_attempt(
    http: httpx.Client,
    url: str,
    part: Path,
    settings: Settings,
    start_bar: StartBar,
    attempt: int,
    sleep: Callable[[float], None],
) -> bool:
    """One try (a dropped stale partial file is redone at once); ``False``: retry after a wait."""
    try:
        if not _stream_once(http, url, part, settings, start_bar):
            return _stream_once(http, url, part, settings, start_bar)
        return True
    except _TransientError as exc:
        if attempt >= settings.retries:
            raise ExperimentError(
                f"{url} {exc.problem}; gave up after {attempt + 1} attempt(s); try again later "
                "(a rerun resumes the partial download)."
            ) from None
        wait = exc.retry_after
        if wait is None:
            wait = settings.backoff * 2**attempt
        elif wait > settings.max_retry_after:
            raise ExperimentError(
                f"{url} {exc.problem} and asked to wait {wait:.0f} s, longer than "
                f"max_retry_after ({settings.max_retry_after:g} s); try again later."
            ) from None
        if wait > 0:
            sleep(wait)
        return False


def _stream_once(
    http: httpx.Client, url: str, part: Path, settings: Settings, start_bar: StartBar
) -> bool:
    """One GET into ``part``; ``False`` when the partial file was dropped and must be redone."""
    have = part.stat().st_size if part.is_file() else 0
    # identity: Range offsets and Content-Length must count the archive's own bytes
    headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        with http.stream("GET", url, headers=headers, timeout=settings.timeout) as response:
            status = response.status_code
            if status in RETRY_STATUSES:
                raise _TransientError(
                    f"answered {status_text(response)}",
                    parse_retry_after(response.headers.get("Retry-After")),
                )
            if have and status == 416:
                part.unlink()  # the partial file is longer than the archive: it is stale
                return False
            if status == 206:
                if _range_start(response.headers.get("Content-Range")) != have:
                    if not have:
                        raise _TransientError("answered 206 with a Content-Range not from 0")
                    part.unlink()  # not the part we asked for: start over
                    return False
            elif status == 200:
                have = 0  # the server ignored the Range header: start from zero
            else:
                raise ExperimentError(
                    f"{urlsplit(url).netloc or url} answered {status_text(response)} to {url}; "
                    "check the URL."
                )
            length = response.headers.get("Content-Length", "")
            total = have + int(length) if length.isdigit() else None
            progress, bar = start_bar(total, have)
            with part.open("ab" if have else "wb") as fh:
                for chunk in response.iter_raw(_CHUNK):
                    fh.write(chunk)
                    progress.advance(bar, len(chunk))
    except httpx.InvalidURL as exc:
        raise ExperimentError(f"Cannot download {url!r}: {exc}; check the URL.") from None
    except httpx.UnsupportedProtocol as exc:
        raise ExperimentError(f"Cannot download {url!r}: {exc}; check the URL.") from None
    except httpx.TimeoutException:
        raise _TransientError(f"timed out after {settings.timeout:g} s") from None
    except httpx.TransportError as exc:
        raise _TransientError(f"could not be read ({type(exc).__name__}: {exc})") from None
    size = part.stat().st_size
    if total is not None and size != total:
        if size > total:
            part.unlink()
        raise _TransientError(f"sent {size} of {total} bytes")
    return True


def _range_start(value: str | None) -> int | None:
    """First byte of a ``Content-Range: bytes START-END/TOTAL`` header."""
    match = re.fullmatch(r"\s*bytes\s+(\d+)-\d+/(\d+|\*)\s*", value or "")
    return int(match.group(1)) if match else None


def _corrupt(archive: Path, kind: str, exc: BaseException) -> ExperimentError:
    # A broken archive in the cache would fail every rerun: drop it so the next run refetches.
    archive.unlink(missing_ok=True)
    detail = str(exc).replace("\n", " ") or type(exc).__name__
    return ExperimentError(
        f"{archive} is not a readable {kind} archive ({detail}); it was removed from the cache, "
        "so a rerun downloads it again (check the URL if this repeats)."
    )


def _read_tar(archive: Path, names: list[str]) -> dict[str, bytes]:
    wanted = set(names)
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # iterate instead of getmember: a gzip stream is read once, front to back
            for member in tar:
                name = member.name.removeprefix("./")
                if name in wanted and member.isfile():
                    fh = tar.extractfile(member)
                    if fh is not None:
                        found[name] = fh.read()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise _corrupt(archive, "tar.gz", exc) from None
    missing = [name for name in names if name not in found]
    if missing:
        raise ExperimentError(
            f"{archive.name} lacks {', '.join(missing)}; is the URL the PAWS-X x-final.tar.gz?"
        )
    return found


def _read_zip(archive: Path, name: str) -> bytes:
    try:
        with zipfile.ZipFile(archive) as zf:
            if name not in zf.namelist():
                raise ExperimentError(f"{archive.name} lacks {name}; is the URL the XNLI-1.0 zip?")
            return zf.read(name)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, NotImplementedError) as exc:
        raise _corrupt(archive, "zip", exc) from None


class _Table:
    """A headed, tab-separated archive member, read as XTREME does (no quoting)."""

    def __init__(self, data: bytes, member: str, needed: tuple[str, ...]) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExperimentError(
                f"{member} is not UTF-8 text (byte {exc.start}: {exc.reason})."
            ) from None
        # split on \n only: a stray \r inside a sentence must not start a new row
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.member = member
        self.header = [name.strip() for name in self.lines[0].split("\t")]
        absent = [name for name in needed if name not in self.header]
        if absent:
            raise ExperimentError(
                f"{member} has no column {', '.join(absent)} in its header line; is the URL the "
                "official archive?"
            )
        self.index = {name: self.header.index(name) for name in needed}

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for lineno, line in enumerate(self.lines[1:], 2):
            if not line.strip():
                continue
            fields = line.split("\t")
            # More columns than the header: a tab inside a sentence, so the columns after it
            # cannot be trusted. Fewer is fine while the columns read are all there (XTREME
            # strips trailing whitespace, empty trailing columns included).
            if len(fields) > len(self.header) or len(fields) <= max(self.index.values()):
                raise ExperimentError(
                    f"{self.member}:{lineno} has {len(fields)} tab-separated columns; its header "
                    f"has {len(self.header)}."
                )
            yield lineno, fields

    def text(self, fields: list[str], column: str) -> str:
        """A sentence, on one line and stripped (empty stays empty)."""
        return _BREAKS.sub(" ", fields[self.index[column]]).strip()

    def label(
        self,
        fields: list[str],
        column: str,
        spec: TaskSpec,
        lineno: int,
        aliases: dict[str, str] | None = None,
    ) -> str:
        """The row's label, checked against the task's labels."""
        label = fields[self.index[column]].strip()
        label = (aliases or {}).get(label, label)
        if label not in spec.labels:
            raise ExperimentError(
                f"{self.member}:{lineno} has label {label!r}; expected one of "
                f"{', '.join(spec.labels)}."
            )
        return label


def _align(
    spec: TaskSpec,
    ids: dict[str, list[str]],
    rows: dict[str, list[Row]],
    id_name: str,
    where: str,
) -> tuple[dict[str, list[Row]], tuple[str, ...]]:
    """Put every language in English's row order by id, or fail naming the language."""
    reference = ids[SOURCE_LANGUAGE]
    aligned: dict[str, list[Row]] = {}
    reordered: list[str] = []
    for lang in spec.languages:
        lang_ids = ids[lang]
        if lang_ids == reference:
            aligned[lang] = rows[lang]
            continue
        position = {row_id: i for i, row_id in enumerate(lang_ids)}
        if (
            len(position) != len(lang_ids)
            or len(set(reference)) != len(reference)
            or position.keys() != set(reference)
        ):
            raise ExperimentError(
                f"{spec.name}: {lang} in {where} is not parallel to English by {id_name} "
                f"({_id_difference(reference, lang_ids)}); cannot align it."
            )
        aligned[lang] = [rows[lang][position[row_id]] for row_id in reference]
        reordered.append(lang)
    return aligned, tuple(reordered)


def _id_difference(reference: list[str], other: list[str]) -> str:
    missing = sorted(set(reference) - set(other))
    extra = sorted(set(other) - set(reference))
    parts = [f"{len(other)} rows vs {len(reference)} in English"]
    if missing:
        parts.append(f"{len(missing)} missing, e.g. {missing[0]!r}")
    if extra:
        parts.append(f"{len(extra)} not in English, e.g. {extra[0]!r}")
    if not missing and not extra:
        parts.append("repeated ids")
    return "; ".join(parts)


def _tsv_bytes(rows: list[Row]) -> bytes:
    return "".join(f"{a}\t{b}\t{label}\n" for a, b, label in rows).encode("utf-8")


def _existing(spec: TaskSpec, lang: str, path: Path, status: str) -> DevFile:
    data = _read_bytes(path)
    lines = data.split(b"\n")
    rows = len(lines) - (1 if lines[-1] == b"" else 0)
    return DevFile(spec.name, lang, path, rows, hashlib.sha256(data).hexdigest(), status)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExperimentError(f"Cannot read {path} ({exc.strerror}).") from None


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _make_writable_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExperimentError(
            f"Cannot create {folder} ({exc.strerror}); choose a writable --data-dir "
            "(LITCHECK_DATA_DIR)."
        ) from None
    if not os.access(folder, os.W_OK):
        raise ExperimentError(
            f"{folder} is not writable; choose a writable --data-dir (LITCHECK_DATA_DIR)."
        )


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder and a rename (whole or not at all)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)  # left by a killed run
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:  # plain open: the file gets the umask's mode, not 0600
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExperimentError(
            f"Cannot write {path} ({exc.strerror}); choose a writable --data-dir "
            "(LITCHECK_DATA_DIR)."
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
