"""The HTML report in a real headless browser: the claims table renders, sorts and filters;
the search-flow diagram and the scorecard table render.

Needs Chromium (Debian: ``apt-get install -y chromium``); skipped cleanly when it is absent.
The page is loaded from a file with a small test script appended that clicks a header,
changes the verdict filter and types into the text filter through real DOM events, then writes
what it saw into the DOM; ``--dump-dom`` returns that DOM. No network is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from litcheck.library import Library
from litcheck.report.html import write_html
from litcheck.report.pipeline import ReportOptions

from .test_report import _build

PROBE = """
<script>
(function(){
  var out = {};
  var table = document.getElementById('claims');
  function visible(){ return Array.prototype.filter.call(table.tBodies[0].rows,
                                                       function(r){ return !r.hidden; }); }
  out.rows = table.tBodies[0].rows.length;
  out.svgs = document.querySelectorAll('svg').length;
  var flow = document.querySelector('.flow svg');
  out.flowBoxes = flow ? flow.querySelectorAll('rect').length : 0;
  out.flowWidth = flow ? flow.getBoundingClientRect().width : 0;
  out.scorecardRows = document.getElementById('scorecard').tBodies[0].rows.length;
  out.flowRows = document.getElementById('search-flow').tBodies[0].rows.length;
  var conf = Array.prototype.filter.call(table.tHead.rows[0].cells, function(th){
    return /Confidence/.test(th.textContent); })[0];
  conf.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  out.ascending = visible().map(function(r){ return r.getAttribute('data-confidence'); });
  out.sortState1 = conf.getAttribute('aria-sort');
  conf.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  out.descending = visible().map(function(r){ return r.getAttribute('data-confidence'); });
  out.sortState2 = conf.getAttribute('aria-sort');
  var pick = document.getElementById('claims-verdict');
  pick.value = 'CONTRADICTED'; pick.dispatchEvent(new Event('change', {bubbles: true}));
  out.contradicted = visible().map(function(r){ return r.getAttribute('data-verdict'); });
  out.shownText = document.getElementById('claims-shown').textContent;
  pick.value = ''; pick.dispatchEvent(new Event('change', {bubbles: true}));
  var text = document.getElementById('claims-filter');
  text.value = 'PAWS-X'; text.dispatchEvent(new Event('input', {bubbles: true}));
  out.pawsx = visible().length;
  var details = table.querySelector('details'); details.open = true;
  out.detailsOpen = details.open && details.querySelector('li') !== null;
  var pre = document.createElement('pre'); pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>
"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _dump_dom(browser: str, page: Path, profile: Path) -> str:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(profile)}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env, check=False)
    if done.returncode != 0 and not done.stdout:
        pytest.fail(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


@pytest.mark.slow
def test_html_table_sorts_and_filters_in_chromium(
    lib: Library, options: ReportOptions, tmp_path: Path
) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium installed (Debian: apt-get install -y chromium)")
    report = _build(lib, options)
    html = write_html(report)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "<link" not in html and "src=" not in html  # self-contained
    page = tmp_path / "report.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _dump_dom(browser, page, tmp_path / "profile")
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    n = len(report.claims)
    assert seen["rows"] == n and seen["svgs"] >= 3  # verdicts, confidences, search flow
    assert seen["flowBoxes"] >= 5 and seen["flowWidth"] > 0  # the flow diagram is laid out
    assert seen["scorecardRows"] == 6 and seen["flowRows"] == 8

    # A row with no confidence (single source: not judged) sorts as the lowest value.
    def num(c: str) -> float:
        return float(c) if c else float("-inf")

    confs = [num(c) for c in seen["ascending"]]
    assert confs == sorted(confs) and seen["sortState1"] == "ascending"
    assert [num(c) for c in seen["descending"]] == sorted(confs, reverse=True)
    assert seen["sortState2"] == "descending"
    n_contra = sum(1 for c in report.claims if c.verdict.value == "CONTRADICTED")
    assert seen["contradicted"] == ["CONTRADICTED"] * n_contra and n_contra > 0
    assert seen["shownText"] == f"{n_contra} of {n} shown"
    assert seen["pawsx"] == sum(1 for c in report.claims if "PAWS-X" in c.claim)
    assert seen["detailsOpen"] is True


LAYOUT_PROBE = """
<script>
(function(){
  function top(el){ return el ? el.getBoundingClientRect().top + window.scrollY : -1; }
  function texts(sel){ return Array.prototype.map.call(document.querySelectorAll(sel),
                                                      function(e){ return e.textContent; }); }
  var out = {};
  out.viewport = [window.innerWidth, window.innerHeight];
  out.summaryTop = top(document.getElementById('sec-summary'));
  out.claimsTop = top(document.getElementById('claims'));
  out.firstRowBottom = (function(){
    var r = document.querySelector('#claims tbody tr');
    return r ? r.getBoundingClientRect().bottom + window.scrollY : -1; })();
  out.nav = Array.prototype.map.call(document.querySelectorAll('nav.toc a'),
                                     function(a){ return a.getAttribute('href'); });
  out.navTargets = out.nav.filter(function(h){
    return document.getElementById(h.slice(1)) !== null; }).length;
  out.authors = texts('#papers td.authors');
  out.dates = texts('#papers td.date');
  out.references = texts('#sec-references + ol li');
  var pre = document.createElement('pre'); pre.id = 'probe-result';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>
"""

WINDOW = (1280, 900)


def _run_browser(
    browser: str, page: Path, profile: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--virtual-time-budget=3000",
        *args,
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(profile)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env, check=False)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


@pytest.mark.slow
def test_html_first_screen_authors_and_dates_in_chromium(
    lib: Library, options: ReportOptions, tmp_path: Path
) -> None:
    """Summary and the claims table's top within the first screen, under a contents bar;
    author lists and dates printed properly (a 1280x900 window, as a laptop shows it)."""
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium installed (Debian: apt-get install -y chromium)")
    report = _build(lib, options)
    html = write_html(report)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "first-screen.png"
    done = _run_browser(browser, page, tmp_path / "profile-shot", f"--screenshot={shot}")
    assert shot.is_file(), done.stderr[-2000:]
    assert _png_size(shot) == WINDOW and shot.stat().st_size > 10_000  # drawn, not blank

    probed = tmp_path / "probed.html"
    probed.write_text(html.replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    done = _run_browser(browser, probed, tmp_path / "profile-dom", "--dump-dom")
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, (done.stdout + done.stderr)[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert seen["viewport"][1] <= WINDOW[1]
    assert 0 <= seen["summaryTop"] < seen["claimsTop"] <= 900
    assert seen["firstRowBottom"] <= 900 + 400  # the first row starts on the first screen
    assert seen["nav"][:2] == ["#sec-summary", "#sec-claims"]
    assert seen["navTargets"] == len(seen["nav"]) >= 7
    assert seen["authors"] == [
        "Kuan-Hao Huang et al.",
        "Ada Lovelace",
        "Grace Hopper and Alan Turing",
    ]
    assert seen["dates"] == ["2021-04-18", "2022-01-03", "2023-03-01"]
    refs = seen["references"]
    assert refs[0].startswith(
        "Kuan-Hao Huang, Wasi Uddin Ahmad, Nanyun Peng and Kai-Wei Chang (2021)."
    )
    assert all(".." not in r and "et al.." not in r for r in refs)
