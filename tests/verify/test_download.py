"""`litcheck download-data` against a server this test starts on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from tests.conftest import run_cli

from litcheck.errors import BadInputError
from litcheck.experiments.download import archive_path
from litcheck.settings import load_settings
from litcheck.verify.download import (
    DATASETS,
    FEVER_URLS,
    DataSet,
    Remote,
    download_datasets,
    mirrored,
)


class _Files(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, bytes]] = {}
    ranges: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        start = 0
        asked = self.headers.get("Range")
        if asked:
            self.ranges.append(asked)
            start = int(asked.removeprefix("bytes=").split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        self.wfile.write(body[start:])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("LITCHECK_OFFLINE", "0")
    monkeypatch.setenv("LITCHECK_RETRIES", "0")
    _Files.files, _Files.ranges = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(base: str, url: str, body: bytes) -> None:
    _Files.files[mirrored(url, base).removeprefix(base)] = body


def test_every_set_names_an_official_https_source_and_a_licence() -> None:
    assert {d.name for d in DATASETS} >= {"scifact", "healthver", "fever", "snli", "sick"}
    for ds in DATASETS:
        assert ds.licence and ds.cite and ds.outputs
        assert all(r.url.startswith("https://") for r in ds.remotes)


def test_fever_is_joined_by_line_and_written_where_data_py_reads_it(
    server: str, tmp_path: Path
) -> None:
    evidence = b"Soul Food is a 1997 American comedy-drama film .\nParis is in France .\n"
    claims = b"Soul Food is a film.\nParis is in Spain.\n"
    _serve(server, FEVER_URLS[0], evidence)
    _serve(server, FEVER_URLS[1], claims)
    _serve(server, FEVER_URLS[2], b"entailment\nnot_entailment\n")
    data = tmp_path / "data"
    res = run_cli("download-data", "fever", "--data", str(data), "--mirror", server)
    assert res.code == 0, res.stderr
    assert "licence CC BY-SA 3.0" in res.stderr
    path = data / "nli" / "fever-rte-dev" / "fever_dev_rte.jsonl"
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[1] == {
        "id": 1,
        "evidence": "Paris is in France .",
        "claim": "Paris is in Spain.",
        "label": "not_entailment",
        "fever_label": "REFUTES",
    }
    from litcheck.verify.data import _fever

    assert [p.label.value for p in _fever(data)] == ["SUPPORTED", "CONTRADICTED"]
    prov = json.loads((path.parent / "PROVENANCE.json").read_text())
    assert prov["sources"][0]["url"] == FEVER_URLS[0]
    # A second run finds the set there and fetches nothing.
    _Files.files.clear()
    res = run_cli("download-data", "fever", "--data", str(data), "--mirror", server)
    assert res.code == 0 and "already in" in res.stderr


def test_bytes_that_are_not_the_release_are_refused(server: str, tmp_path: Path) -> None:
    sick = next(d for d in DATASETS if d.name == "sick")
    _serve(server, sick.remotes[0].url, b"pair_ID\tsentence_A\n1\tnot SICK\n")
    data = tmp_path / "data"
    res = run_cli("download-data", "sick", "--data", str(data), "--mirror", server)
    assert res.code == 2 and "SHA-256" in res.stderr and "Traceback" not in res.stderr
    assert not (data / "nli" / "sick" / "SICK.txt").exists()


def test_a_partial_download_resumes_with_a_range_request(server: str, tmp_path: Path) -> None:
    members = {"data/claims_train.jsonl": b'{"id": 1}\n' * 500, "data/corpus.jsonl": b"{}\n"}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    archive = buf.getvalue()
    url = "https://example.org/release/data.tar.gz"
    ds = DataSet(
        "mini",
        "claims/mini",
        "CC BY 4.0",
        "nobody",
        tuple(
            Remote(url, hashlib.sha256(body).hexdigest(), name, Path(name).name)
            for name, body in members.items()
        ),
        ("claims_train.jsonl", "corpus.jsonl"),
    )
    _serve(server, url, archive)
    cfg = load_settings()
    part = archive_path(cfg, mirrored(url, server))
    part = part.with_name(part.name + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(archive[:100])  # what a killed run left
    out = download_datasets(
        ["mini"], cfg, data_dir=tmp_path, mirror=server, catalogue=[ds], show_progress=False
    )
    assert out[0].status == "written"
    assert _Files.ranges == ["bytes=100-"]
    assert (tmp_path / "claims/mini/claims_train.jsonl").read_bytes() == members[
        "data/claims_train.jsonl"
    ]
    with pytest.raises(BadInputError, match="Unknown data set"):
        download_datasets(["nope"], cfg, catalogue=[ds])


def test_offline_mode_downloads_nothing(tmp_path: Path) -> None:
    res = run_cli("download-data", "scifact", "--data", str(tmp_path / "d"))
    assert res.code == 2 and "Offline mode" in res.stderr
