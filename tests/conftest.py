"""Shared fixtures: real HTTP servers on 127.0.0.1 and real `archive` runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.demosite.server import serve_directory

FIXTURES = Path(__file__).parent / "fixtures"


def run_archive(*args: str, cwd=None, timeout=180) -> subprocess.CompletedProcess:
    """Run the `archive` command line in a fresh process, as a user (or cron) would."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


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
