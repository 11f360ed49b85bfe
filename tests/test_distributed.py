"""Distributed crawls: workers sharing a frontier through a real redis-server, one writer storing.

The single-process crawl of the same small generated site is the reference:
a distributed archive must hold the same articles, content, clusters,
trails, related-link targets and search rows.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from conftest import run_archive
from crawler.demosite.generate import build_site
from crawler.demosite.server import serve_directory
from redisserver import RedisServer

PAGES = 40


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    with serve_directory(root) as base:
        build_site(root, pages=PAGES, base_url=base)
        yield base + "/"


@pytest.fixture(scope="module")
def single(site, tmp_path_factory):
    """The reference: the same site crawled by one process."""
    db = tmp_path_factory.mktemp("single") / "archive.db"
    result = run_archive("crawl", site, "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


def snapshot(db) -> dict:
    """What must not depend on how the archive was crawled (row ids and the order of arrival may)."""
    with sqlite3.connect(db) as conn:
        clusters: dict = {}
        for url, original in conn.execute("SELECT a.url, coalesce(o.url, a.url) FROM articles a"
                                          " LEFT JOIN articles o ON o.id = a.duplicate_of"):
            clusters.setdefault(original, set()).add(url)
        return {
            "articles": sorted(conn.execute("SELECT url, content_hash, title, section, published_at FROM articles")),
            "clusters": sorted(sorted(urls) for urls in clusters.values()),
            "breadcrumbs": sorted(conn.execute("SELECT a.url, b.position, b.name, b.url FROM breadcrumbs b"
                                               " JOIN articles a ON a.id = b.article_id")),
            "related": sorted(conn.execute("SELECT a.url, r.position, r.url, t.url FROM related_links r"
                                           " JOIN articles a ON a.id = r.article_id"
                                           " LEFT JOIN articles t ON t.id = r.target_id")),
            "search": sorted(conn.execute("SELECT a.url, f.title FROM articles_fts f JOIN articles a ON a.id = f.rowid")),
            "listings": sorted(conn.execute("SELECT url, kind FROM listings")),
            "failures": sorted(conn.execute("SELECT url, reason FROM failures")),
        }


def pending(server) -> dict:
    client = server.client()
    return {"stream": client.xlen("archive:items"),
            "unacknowledged": client.xpending("archive:items", "writers")["pending"],
            "leases": client.zcard("archive:deadlines"), "queued": client.zcard("archive:requests")}


def test_two_workers_and_a_writer_archive_what_one_process_does(site, single, redis_server, tmp_path):
    db = tmp_path / "archive.db"
    result = run_archive("crawl", site, "--redis", redis_server.url, "--workers", "2", "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout)
    assert run["status"] == "finished" and run["workers"] == [0, 0]
    # each article reached the writer once: fetched by one worker only
    assert (run["new"], run["changed"], run["unchanged"]) == (PAGES, 0, 0)
    assert snapshot(db) == snapshot(single)
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leases": 0, "queued": 0}
