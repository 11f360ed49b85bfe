"""Shared fixtures: real HTTP servers on 127.0.0.1 and real `archive` runs."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demosite.server import serve_directory
from pipelines.schema import MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures"


def archive_before(path: Path, step: str) -> sqlite_utils.Database:
    """An archive as a release without migration `step` left it: the steps before it run, user_version set."""
    old = sqlite_utils.Database(sqlite3.connect(path))
    before = [m.__name__ for m in MIGRATIONS].index(step)
    for migrate in MIGRATIONS[:before]:
        migrate(old)
    old.conn.execute(f"PRAGMA user_version={before}")
    return old


def run_archive(*args: str, cwd=None, timeout=180) -> subprocess.CompletedProcess:
    """Run the `archive` command line in a fresh process, as a user (or cron) would."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def crawl(*args: str) -> dict:
    """`archive crawl ARGS` that must succeed; returns the run's `crawl_runs` row as it printed it."""
    result = run_archive("crawl", *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(proc: subprocess.Popen, ready_url: str, log, timeout: float = 20):
    """Wait until a started server answers `ready_url`; always stop it (and close its log) afterwards."""
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                log.seek(0)
                assert proc.poll() is None and time.monotonic() < deadline, log.read()
                time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def minisite():
    """A small hand-written site in the DESIGN anatomy, with a 404 and a 500 among its links."""
    with serve_directory(FIXTURES / "minisite",
                         overrides={"/a/error.html": (500, {}, b"internal error")}) as base:
        yield base


@pytest.fixture
def read_db():
    """Open an archive file read-only-ish for assertions (closed after the test)."""
    opened = []

    def _open(path) -> sqlite_utils.Database:
        db = sqlite_utils.Database(path)
        opened.append(db)
        return db

    yield _open
    for db in opened:
        db.close()
