"""`experiment download-data` against a local HTTP server serving tiny archives in the official
layouts (PAWS-X x-final.tar.gz, XNLI-1.0.zip): conversion, alignment, resume, reruns, errors."""

from __future__ import annotations

import io
import json
import random
import re
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from litcheck.experiments import cli
from litcheck.experiments.data import TASKS, load_task
from litcheck.experiments.download import PROVENANCE_FILE, archive_path
from litcheck.settings import load_settings

PAWSX = TASKS["pawsx"].languages
XNLI = TASKS["xnli"].languages
XNLI_HEADER = (
    "language",
    "gold_label",
    "sentence1_binary_parse",
    "sentence2_binary_parse",
    "sentence1_parse",
    "sentence2_parse",
    "sentence1",
    "sentence2",
    "promptID",
    "pairID",
    "genre",
    "label1",
    "label2",
    "label3",
    "label4",
    "label5",
    "sentence1_tokenized",
    "sentence2_tokenized",
    "match",
)
N_PAWSX = 6
N_PREMISES = 3  # three hypotheses each: 9 XNLI rows per language


def pawsx_archive(
    skip: str | None = None, shuffled: str = "zh", tab_in: str | None = None
) -> bytes:
    """x-final.tar.gz with dev_2k.tsv for every language (``skip`` left out)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for lang in PAWSX:
            if lang == skip:
                continue
            rows = []
            for i in range(1, N_PAWSX + 1):
                s1 = f"{lang} first {i}"
                s2 = f"{lang} second {i}"
                if lang == "ja" and i == 2:
                    s2 = ""  # the real translated files have a few empty sentences
                if lang == "ko" and i == 3:
                    s1 = f"{lang} first\r{i}"  # a stray carriage return inside a sentence
                if lang == tab_in and i == 4:
                    s1 = f"{lang} first\t{i}"  # a tab: the columns after it are unknowable
                rows.append(f"{i}\t{s1}\t{s2}\t{i % 2}")
            if lang == shuffled:
                random.Random(1).shuffle(rows)
            text = "id\tsentence1\tsentence2\tlabel\n" + "\n".join(rows) + "\n"
            data = text.encode()
            info = tarfile.TarInfo(f"x-final/{lang}/dev_2k.tsv")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("x-final/en/train.tsv")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"x\ty"))
    return buf.getvalue()


XNLI_LABELS = ("entailment", "neutral", "contradiction")


def xnli_rows(lang: str) -> list[str]:
    rows = []
    for p in range(N_PREMISES):
        for h, label in enumerate(XNLI_LABELS):
            pair = p * 3 + h + 1
            if lang == "fr" and label == "contradiction":
                label = "contradictory"  # the train files' spelling, mapped by XTREME
            fields = {name: "-" for name in XNLI_HEADER}
            fields.update(
                language=lang,
                gold_label=label,
                sentence1=f"{lang} premise {p}",
                sentence2=f"{lang} hypothesis {pair}",
                promptID=str(p + 1),
                pairID=str(pair),
            )
            line = "\t".join(fields[name] for name in XNLI_HEADER)
            if lang == "vi" and pair == 2:
                line = line.rsplit("\t", 3)[0]  # trailing columns dropped: still readable
            rows.append(line)
    return rows


def xnli_archive(drop_pair_in: str | None = None) -> bytes:
    """XNLI-1.0.zip: one xnli.dev.tsv, languages interleaved, de's rows shuffled."""
    by_lang = {lang: xnli_rows(lang) for lang in XNLI}
    random.Random(2).shuffle(by_lang["de"])
    random.Random(3).shuffle(by_lang["ar"])
    if drop_pair_in is not None:
        by_lang[drop_pair_in] = by_lang[drop_pair_in][1:]
    lines = ["\t".join(XNLI_HEADER)]
    order = list(XNLI)
    random.Random(4).shuffle(order)
    for i in range(N_PREMISES * 3):
        lines.extend(by_lang[lang][i] for lang in order if i < len(by_lang[lang]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("XNLI-1.0/xnli.dev.tsv", "\n".join(lines) + "\n")
        zf.writestr("XNLI-1.0/xnli.test.tsv", "\t".join(XNLI_HEADER) + "\n")
    return buf.getvalue()


class ArchiveServer:
    """A local HTTP server of fixed files that honours ``Range: bytes=N-`` and logs requests."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[tuple[str, str | None, int]] = []  # path, Range, status
        self.honour_range = True
        self.fail_first = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body, headers = server.answer(self.path, self.headers.get("Range"))
                server.requests.append((self.path, self.headers.get("Range"), status))
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, path: str, range_header: str | None) -> tuple[int, bytes, dict[str, str]]:
        if self.fail_first > 0:
            self.fail_first -= 1
            return 503, b"busy", {"Retry-After": "0"}
        data = self.files.get(path.lstrip("/"))
        if data is None:
            return 404, b"not found", {}
        match = re.fullmatch(r"bytes=(\d+)-", range_header or "")
        if match and self.honour_range:
            start = int(match.group(1))
            if start >= len(data):
                return 416, b"", {"Content-Range": f"bytes */{len(data)}"}
            return (
                206,
                data[start:],
                {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"},
            )
        return 200, data, {}

    def url(self, name: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server() -> Iterator[ArchiveServer]:
    srv = ArchiveServer({"x-final.tar.gz": pawsx_archive(), "XNLI-1.0.zip": xnli_archive()})
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITCHECK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LITCHECK_BACKOFF", "0")
    monkeypatch.delenv("LITCHECK_OFFLINE", raising=False)
    monkeypatch.setenv("LITCHECK_CONFIG", str(_empty_config(tmp_path)))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def _empty_config(tmp_path: Path) -> Path:
    path = tmp_path / "litcheck.toml"
    path.write_text("")
    return path


def args(server: ArchiveServer, data_dir: Path, *extra: str) -> list[str]:
    return [
        "download-data",
        "--data-dir",
        str(data_dir),
        "--url-pawsx",
        server.url("x-final.tar.gz"),
        "--url-xnli",
        server.url("XNLI-1.0.zip"),
        "--no-progress",
        *extra,
    ]


def run_main(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run the module's entry point (one-line errors, exit 2) and return code, stdout, stderr."""
    monkeypatch.setattr("sys.argv", ["experiment", *argv])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_download_converts_parallel_files_that_load(server: ArchiveServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    argv = args(server, data_dir)
    argv.remove("--no-progress")  # exercise the progress bar too
    res = CliRunner().invoke(cli.app, argv)
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(records) == len(PAWSX) + len(XNLI)
    assert {r["status"] for r in records} == {"written"}
    assert "uclanlp/Robust-XLT" in res.stderr and "RS-DA" in res.stderr

    pawsx = load_task(data_dir, "pawsx")
    assert pawsx.n_rows == N_PAWSX
    for lang in PAWSX:
        for i, ex in enumerate(pawsx.rows[lang], 1):  # zh was shuffled: back in id order
            assert ex.text_a.endswith(f" {i}") and ex.label == i % 2
    assert pawsx.rows["ja"][1].text_b == ""
    assert pawsx.rows["ko"][2].text_a == "ko first 3"

    xnli = load_task(data_dir, "xnli")
    assert xnli.n_rows == N_PREMISES * 3
    english = [(ex.text_b.split()[-1], ex.label) for ex in xnli.rows["en"]]
    assert [pair for pair, _ in english] == [str(i) for i in range(1, 10)]
    for lang in XNLI:  # de and ar were shuffled in the zip
        assert [(ex.text_b.split()[-1], ex.label) for ex in xnli.rows[lang]] == english
    contradiction = TASKS["xnli"].labels.index("contradiction")
    assert xnli.rows["fr"][2].label == contradiction  # written from "contradictory"
    assert "de" in res.stderr and "English's row order" in res.stderr

    provenance = json.loads((data_dir / "xnli" / PROVENANCE_FILE).read_text())
    assert provenance["source_url"] == server.url("XNLI-1.0.zip")
    assert provenance["archive"]["size"] == len(server.files["XNLI-1.0.zip"])
    assert set(provenance["reordered_to_english"]) == {"de", "ar"}
    assert provenance["date_utc"].endswith("Z") and "convert_xnli" in provenance["converter"]
    for lang, digest in xnli.files.items():
        entry = provenance["files"][f"dev-{lang}.tsv"]
        assert entry["sha256"] == digest and entry["rows"] == 9
    assert not list(data_dir.rglob("*.tmp"))


def test_rerun_downloads_nothing_and_force_rewrites(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "data"
    assert run_main(args(server, data_dir), monkeypatch, capsys)[0] == 0
    assert len(server.requests) == 2
    good = (data_dir / "pawsx" / "dev-de.tsv").read_bytes()

    code, out, err = run_main(args(server, data_dir), monkeypatch, capsys)
    assert code == 0 and len(server.requests) == 2
    assert "already exist" in err and "--force" in err
    assert {json.loads(line)["status"] for line in out.splitlines()} == {"kept"}

    (data_dir / "pawsx" / "dev-de.tsv").write_text("edited\tby\t0\n")
    (data_dir / "pawsx" / "dev-fr.tsv").unlink()  # as if killed before fr was written
    code, out, err = run_main(args(server, data_dir, "--task", "pawsx"), monkeypatch, capsys)
    assert code == 0 and len(server.requests) == 2  # the cached archive is used
    status = {json.loads(line)["language"]: json.loads(line)["status"] for line in out.splitlines()}
    assert status["fr"] == "written" and status["de"] == "kept-differs" and status["en"] == "kept"
    assert "differs from the archive" in err
    assert (data_dir / "pawsx" / "dev-de.tsv").read_bytes() == b"edited\tby\t0\n"

    code, out, err = run_main(args(server, data_dir, "--force"), monkeypatch, capsys)
    assert code == 0 and len(server.requests) == 2
    assert (data_dir / "pawsx" / "dev-de.tsv").read_bytes() == good
    assert {json.loads(line)["status"] for line in out.splitlines()} == {"written"}


def test_partial_download_resumes_with_range(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = server.url("XNLI-1.0.zip")
    full = server.files["XNLI-1.0.zip"]
    cached = archive_path(load_settings(), url)
    cached.parent.mkdir(parents=True)
    part = cached.with_name(cached.name + ".part")
    part.write_bytes(full[:1000])
    code, _, err = run_main(args(server, tmp_path / "d", "--task", "xnli"), monkeypatch, capsys)
    assert code == 0, err
    assert server.requests == [("/XNLI-1.0.zip", "bytes=1000-", 206)]
    assert cached.read_bytes() == full and not part.exists()
    assert load_task(tmp_path / "d", "xnli").n_rows == 9


def test_server_ignoring_range_restarts_from_zero(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.honour_range = False
    url = server.url("x-final.tar.gz")
    cached = archive_path(load_settings(), url)
    cached.parent.mkdir(parents=True)
    cached.with_name(cached.name + ".part").write_bytes(b"stale bytes of another file")
    code, _, err = run_main(args(server, tmp_path / "d", "--task", "pawsx"), monkeypatch, capsys)
    assert code == 0, err
    assert [status for _, _, status in server.requests] == [200]
    assert cached.read_bytes() == server.files["x-final.tar.gz"]


def test_retries_5xx_then_succeeds(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.fail_first = 2
    code, _, err = run_main(args(server, tmp_path / "d", "--task", "pawsx"), monkeypatch, capsys)
    assert code == 0, err
    assert [status for _, _, status in server.requests] == [503, 503, 200]
    server.fail_first = 10
    monkeypatch.setenv("LITCHECK_RETRIES", "1")
    code, _, err = run_main(args(server, tmp_path / "e", "--task", "xnli"), monkeypatch, capsys)
    assert code == 2 and err.count("\n") == 1
    assert "503" in err and "gave up after 2 attempt(s)" in err


def one_line_error(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    code, out, err = run_main(argv, monkeypatch, capsys)
    assert code == 2, err
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_http_404_is_one_line(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = args(server, tmp_path / "d", "--task", "xnli")
    argv[argv.index("--url-xnli") + 1] = server.url("nope.zip")
    err = one_line_error(argv, monkeypatch, capsys)
    assert "404" in err and "nope.zip" in err


def test_corrupt_archive_is_one_line_and_leaves_the_cache(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.files["x-final.tar.gz"] = b"\x1f\x8b not really gzip" * 50
    server.files["XNLI-1.0.zip"] = server.files["XNLI-1.0.zip"][:-300]
    for task, name in (("pawsx", "x-final.tar.gz"), ("xnli", "XNLI-1.0.zip")):
        err = one_line_error(args(server, tmp_path / "d", "--task", task), monkeypatch, capsys)
        assert "not a readable" in err and "rerun downloads it again" in err
        assert not archive_path(load_settings(), server.url(name)).exists()
    assert not list((tmp_path / "d").rglob("dev-*.tsv"))


def test_missing_member_and_non_parallel_language(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.files["x-final.tar.gz"] = pawsx_archive(skip="ko")
    err = one_line_error(args(server, tmp_path / "d", "--task", "pawsx"), monkeypatch, capsys)
    assert "x-final/ko/dev_2k.tsv" in err
    server.files["XNLI-1.0.zip"] = xnli_archive(drop_pair_in="sw")
    err = one_line_error(args(server, tmp_path / "d", "--task", "xnli"), monkeypatch, capsys)
    assert "xnli: sw" in err and "pairID" in err
    assert not (tmp_path / "d" / "xnli").exists() or not any((tmp_path / "d" / "xnli").iterdir())


def test_offline_refuses_without_a_request(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LITCHECK_OFFLINE", "1")
    err = one_line_error(args(server, tmp_path / "d"), monkeypatch, capsys)
    assert "Offline mode is on" in err and server.requests == []


def test_unwritable_data_dir_and_unknown_task(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    err = one_line_error(args(server, blocker / "data"), monkeypatch, capsys)
    assert "writable --data-dir" in err and server.requests == []
    err = one_line_error(args(server, tmp_path / "d", "--task", "mnli"), monkeypatch, capsys)
    assert "Unknown task 'mnli'" in err


def test_no_neighbours_note_when_the_file_exists(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = tmp_path / "d"
    (data_dir / "robust-xlt").mkdir(parents=True)
    (data_dir / "robust-xlt" / "counterfitted_neighbors.json").write_text("{}")
    code, _, err = run_main(args(server, data_dir, "--task", "pawsx"), monkeypatch, capsys)
    assert code == 0 and "Robust-XLT" not in err


def test_tab_inside_a_sentence_is_one_line(
    server: ArchiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.files["x-final.tar.gz"] = pawsx_archive(shuffled="", tab_in="fr")
    err = one_line_error(args(server, tmp_path / "d", "--task", "pawsx"), monkeypatch, capsys)
    assert "x-final/fr/dev_2k.tsv:5 has 5 tab-separated columns" in err
