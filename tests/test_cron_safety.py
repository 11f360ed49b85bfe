"""Cron safety: one run at a time, kill -9 at any moment loses nothing, readers never see an error."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import run_archive
from crawler.runlock import lock_path, run_lock
from crawler.serve import datasette_args, metadata_for
from livesite import LiveSite, fill, serve_live_site
from pipelines.schema import open_archive
from test_serve import free_port, get_json

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 60
SLOW = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "ARCHIVE_BATCH_SIZE=3", "-s", "AUTOTHROTTLE_ENABLED=false"]


@pytest.fixture
def slow_site():
    """60 linked articles, each answering after 0.1 s: a crawl long enough to interrupt three times."""
    with serve_live_site(LiveSite(delay=0.1)) as site:
        fill(site, ARTICLES)
        yield site


def start_crawl(site, db_path, *extra) -> subprocess.Popen:
    """`archive crawl` in a process group of its own (it and its page-analysis workers)."""
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", site.base + "/", "--db", str(db_path),
                             *SLOW, *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_second_run_exits_at_once_with_its_own_status(tmp_path, minisite):
    db_path = tmp_path / "x.db"
    with run_lock(db_path):   # held until both have exited: a run that waited for it would time out
        busy = run_archive("crawl", minisite + "/", "--db", str(db_path), timeout=60)
        reparse = run_archive("reparse", "--db", str(db_path), timeout=60)
    assert busy.returncode == 3 and reparse.returncode == 3
    assert "in use by another run" in busy.stderr and f"pid {os.getpid()}" in busy.stderr
    assert not db_path.exists() or open_archive(db_path)["crawl_runs"].count == 0   # it wrote nothing
    assert run_archive("crawl", minisite + "/", "--db", str(db_path)).returncode == 0  # free again


def test_two_real_runs_meet_the_lock(tmp_path, slow_site):
    slow_site.held = threading.Event()  # the first run stays busy until the second has met its lock
    first = start_crawl(slow_site, tmp_path / "x.db")
    try:
        lock = lock_path(tmp_path / "x.db")
        while not (lock.exists() and f"pid {first.pid}," in lock.read_text()):
            assert first.poll() is None
            time.sleep(0.05)
        second = run_archive("crawl", slow_site.base + "/", "--db", str(tmp_path / "x.db"))
        assert second.returncode == 3, second.stderr
    finally:
        slow_site.held.set()
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err[-2000:]


def snapshot(db_path) -> dict:
    """Everything a run leaves, by URL (ids differ between archives), plus integrity checks."""
    with open_archive(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        url = dict(db.execute("SELECT id, url FROM articles").fetchall())
        assert len(url) == len(set(url.values()))
        return {
            "articles": sorted(db.execute("SELECT url, content_hash, title, body_text, status FROM articles")),
            "crumbs": sorted((url[a], p, n, u) for a, p, n, u in db.execute("SELECT * FROM breadcrumbs")),
            "related": sorted((url[a], p, u, url.get(t)) for a, p, u, t in
                              db.execute("SELECT article_id, position, url, target_id FROM related_links")),
            "raw": sorted(url[a] for a, in db.execute("SELECT article_id FROM raw_pages")),
            "running": db.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0],
        }


def article_count(db_path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_kill_9_at_random_moments_then_one_run_equals_an_uninterrupted_crawl(tmp_path, slow_site):
    reference = tmp_path / "reference.db"
    done = start_crawl(slow_site, reference)
    assert done.wait(60) == 0
    killed = tmp_path / "killed.db"
    rng = random.Random(4)
    archived = 0
    for _ in range(3):
        # Random moments measured in progress (a machine under load starts slower): once the
        # run has written a few more articles, then a random fraction of a batch later.
        proc = start_crawl(slow_site, killed)
        target = archived + rng.randint(1, 6)
        while archived < target:
            assert proc.poll() is None, proc.stderr.read()[-2000:]
            time.sleep(0.02)
            archived = article_count(killed)
        time.sleep(rng.uniform(0, 0.1))
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, as a service manager kills it
        proc.communicate()
        archived = article_count(killed)
    with open_archive(killed) as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "interrupted", "running"]  # each run closes the killed ones before it
    assert archived < ARTICLES  # the kills did land mid-run
    final = start_crawl(slow_site, killed)
    out, err = final.communicate(timeout=60)
    assert final.returncode == 0, err[-2000:]
    assert snapshot(killed) == snapshot(reference)
    with open_archive(killed) as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses[-1] == "finished" and set(statuses[:-1]) <= {"interrupted"}


def test_datasette_and_sqlite_readers_never_see_an_error_during_a_crawl(tmp_path, slow_site):
    db_path = tmp_path / "archive.db"
    open_archive(db_path).close()
    port = free_port()
    datasette = subprocess.Popen(datasette_args(db_path, port=port), stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    datasette.stdin.write(json.dumps(metadata_for(db_path)))
    datasette.stdin.close()
    base = f"http://127.0.0.1:{port}/archive"
    crawl = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                get_json(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                assert time.monotonic() < deadline and datasette.poll() is None
                time.sleep(0.1)
        reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
        crawl = start_crawl(slow_site, db_path)
        seen = []
        while crawl.poll() is None:
            seen.append(get_json(base + ".json?sql=select+count(*)+as+n+from+articles&_shape=array")[0]["n"])
            with urllib.request.urlopen(base + "/articles?_sort_desc=id", timeout=5) as page:
                assert page.status == 200
            get_json(base + "/crawl_history.json")
            reader.execute("SELECT count(*) FROM articles JOIN raw_pages ON raw_pages.article_id = articles.id"
                           ).fetchone()
        reader.close()
        assert crawl.returncode == 0, crawl.stderr.read()[-2000:]
        assert len(set(seen)) > 2 and seen == sorted(seen)   # reads overlapped the writes, and saw them grow
    finally:
        if crawl and crawl.poll() is None:
            os.killpg(crawl.pid, signal.SIGKILL)
            crawl.wait()
        datasette.terminate()
        datasette.wait(10)


def test_scrapy_crawl_takes_the_run_lock_too(tmp_path, minisite):
    """`scrapy crawl articles` is the same crawl, Scrapy's way: it stops at start on a busy archive."""
    db_path = tmp_path / "x.db"
    scrapy_crawl = [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles", "-a", f"start_urls={minisite}/",
                    "-s", f"ARCHIVE_DB={db_path}", "-s", "EXTRACT_PROCESSES=0"]
    with run_lock(db_path):
        busy = subprocess.run(scrapy_crawl, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert busy.returncode != 0
    assert "in use by another run" in busy.stderr and f"pid {os.getpid()}" in busy.stderr
    assert not db_path.exists() or open_archive(db_path)["crawl_runs"].count == 0
    done = subprocess.run(scrapy_crawl, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert open_archive(db_path)["crawl_runs"].count == 1
