"""An exported WACZ replays in ReplayWeb.page: the replay tool archivists use, from its npm package
(`make replay`), served on 127.0.0.1 and run in Debian's Chromium."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_archive
from livesite import LiveSite, fill, paragraphs, serve_live_site
from warcs import range_server

REPLAYWEBPAGE = Path(__file__).resolve().parents[1] / ".replaywebpage"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

# ReplayWeb.page's embed: the page loads ui.js, which registers replay/sw.js (the service worker
# that reads the WACZ in the browser) and shows the capture of `url` in a frame of its own.
EMBED = """<!doctype html><meta charset="utf-8"><title>replay</title>
<script src="ui.js"></script>
<replay-web-page source="archive.wacz" url="{url}" embed="replayonly"></replay-web-page>
"""


@pytest.fixture(scope="module")
def replay_site(tmp_path_factory):
    """A crawl of a small site exported as WACZ, served beside ReplayWeb.page; yields (server, article URL)."""
    for needed in ("ui.js", "sw.js"):
        if not (REPLAYWEBPAGE / needed).is_file():
            pytest.fail(f"ReplayWeb.page is missing ({REPLAYWEBPAGE / needed}): `make replay` installs it")
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` (or apt-get install chromium) installs it")
    work = tmp_path_factory.mktemp("replay")
    db = work / "archive.db"
    with serve_live_site(LiveSite()) as site:
        fill(site, 2)
        crawled = run_archive("crawl", site.base + "/", "--db", str(db))
        assert crawled.returncode == 0, crawled.stderr[-3000:]
        url = site.base + "/a/1.html"
    root = work / "www"
    (root / "replay").mkdir(parents=True)
    exported = run_archive("export", "--wacz", str(root / "archive.wacz"), "--db", str(db))
    assert exported.returncode == 0, exported.stderr
    check = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(root / "archive.wacz")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    shutil.copy(REPLAYWEBPAGE / "ui.js", root / "ui.js")
    shutil.copy(REPLAYWEBPAGE / "sw.js", root / "replay" / "sw.js")
    (root / "index.html").write_text(EMBED.format(url=url), encoding="utf-8")
    with range_server(root) as server:   # the live site is gone: what replays comes from the WACZ
        yield server, url


def test_an_exported_article_replays_in_replaywebpage(replay_site):
    server, url = replay_site
    text = paragraphs(1)[1]
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.goto(server + "/index.html")
            deadline, shown = time.monotonic() + 90, None
            reload_at = time.monotonic() + 30   # a busy machine can miss the service worker's first start
            while shown is None and time.monotonic() < deadline:
                shown = next((frame for frame in page.frames if frame.url.endswith("mp_/" + url)
                              and text in _body_text(frame)), None)
                if shown is None and time.monotonic() > reload_at:
                    page.reload()
                    reload_at = time.monotonic() + 30
                page.wait_for_timeout(250)
            assert shown is not None, json.dumps([frame.url for frame in page.frames])
        finally:
            browser.close()


def _body_text(frame) -> str:
    try:
        return frame.inner_text("body", timeout=1000)
    except Exception:   # a frame still loading or navigating away
        return ""
