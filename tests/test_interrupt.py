"""Kill `litcheck add` mid-run (SIGKILL) and rerun it: every paper once, none refetched."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieve.support import Entry, LocalServer, Reply, atom_feed
from retrieve.test_html_parse import LATEXML_PAGE

IDS = [f"2104.0{n:04d}" for n in range(1, 7)]


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_add_then_rerun_completes_without_duplicates(tmp_path: Path) -> None:
    server = LocalServer().start()
    try:
        feed = atom_feed([Entry(arxiv_id=f"{i}v1", title=f"Paper {i}") for i in IDS])

        def handler(path: str, query: dict[str, str]) -> Reply:
            if path == "/api/query":
                return Reply(200, feed)
            if path.startswith("/html/"):
                return Reply(200, LATEXML_PAGE, delay=0.4)  # slow enough to kill mid-run
            return Reply(404, b"")

        server.handler = handler
        home = tmp_path / "home"
        env = {
            **os.environ,
            "LITCHECK_HOME": str(home),
            "LITCHECK_OFFLINE": "0",
            "LITCHECK_ARXIV_API_URL": f"{server.url}/api/query",
            "LITCHECK_ARXIV_HTML_URL": f"{server.url}/html",
            "LITCHECK_AR5IV_URL": f"{server.url}/ar5iv",
            "LITCHECK_ARXIV_PDF_URL": f"{server.url}/pdf",
            "LITCHECK_REQUEST_DELAY": "0",
            "LITCHECK_RETRIES": "0",
            "LITCHECK_NO_PROGRESS": "1",
        }
        cmd = [sys.executable, "-m", "litcheck.cli", "add", *IDS]
        db = home / "library.sqlite"
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _count(db, "SELECT COUNT(*) FROM papers") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored_before = _count(db, "SELECT COUNT(*) FROM papers")
        assert 2 <= stored_before < len(IDS), "the kill should land mid-run"
        # Every stored paper is complete: its sections and passages are there.
        assert _count(db, "SELECT COUNT(DISTINCT paper_id) FROM passages") == stored_before

        html_before = sum(r.path.startswith("/html/") for r in server.requests)
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert _count(db, "SELECT COUNT(*) FROM papers") == len(IDS)
        assert (
            _count(
                db, "SELECT COUNT(*) FROM (SELECT id FROM passages GROUP BY id HAVING COUNT(*) > 1)"
            )
            == 0
        )
        html_after = sum(r.path.startswith("/html/") for r in server.requests)
        # Only the papers not stored before the kill were fetched again.
        assert html_after - html_before == len(IDS) - stored_before

        # A third run makes no request at all.
        n_requests = len(server.requests)
        again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0
        assert len(server.requests) == n_requests
    finally:
        server.stop()
