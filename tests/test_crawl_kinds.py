"""A crawl of a blog whose articles look like listings and whose listings look like articles.

tests/fixtures/kindsite, served on 127.0.0.1: a short article that is
mostly a list of links, a list-heavy article (its metadata says article), a
front page and a monthly archive of full-text posts (the archive's template
says og:type=article), a topic page of teaser cards (og:type=article too)
and a login form. Every fetched page must end in the archive as what it is,
and the "Pages not archived" query must say why the others are not there.
"""
from __future__ import annotations

import json
import sqlite3

import pytest
import yaml

from conftest import FIXTURES, run_archive
from crawler.demosite.server import serve_directory
from crawler.serve import METADATA_TEMPLATE

ARTICLES = ["/2025/02/clock.html", "/2025/03/links.html", "/2025/03/tools-list.html"]
NOT_ARTICLES = {                     # path -> (kind, start of why)
    "/": ("listing", "3 full posts of one shape"),
    "/archive/2025-02.html": ("listing", "3 full posts of one shape"),
    "/topics/tools.html": ("listing", "8 linked headings outweigh the body"),
    "/login.html": ("other", "a form of 4 fields"),
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("kinds") / "archive.db"
    with serve_directory(FIXTURES / "kindsite") as base:
        result = run_archive("crawl", base + "/", "--db", str(db_path))
        assert result.returncode == 0, result.stderr[-3000:]
        db = sqlite3.connect(db_path)
        db.row_factory = sqlite3.Row
        yield base, json.loads(result.stdout), db
        db.close()


def paths(base, rows):
    return sorted(r["url"][len(base):] for r in rows)


def test_article_pages_that_look_like_listings_are_archived(crawled):
    base, _, db = crawled
    rows = db.execute("SELECT url, title, body_text FROM articles").fetchall()
    assert paths(base, rows) == ARTICLES
    by_path = {r["url"][len(base):]: r for r in rows}
    assert by_path["/2025/03/links.html"]["title"] == "修好那只旧闹钟之后"
    assert "外婆留下的那只铁皮闹钟" in by_path["/2025/03/links.html"]["body_text"]
    assert "万用表" in by_path["/2025/03/tools-list.html"]["body_text"]


def test_listings_that_look_like_articles_are_recorded_with_why(crawled):
    base, run, db = crawled
    rows = db.execute("SELECT url, kind, why, links, run_id FROM listings").fetchall()
    got = {r["url"][len(base):] or "/": (r["kind"], r["why"]) for r in rows}
    assert got == NOT_ARTICLES
    assert all(r["links"] > 0 and r["run_id"] == run["id"] for r in rows)
    assert (run["new"], run["listings"]) == (len(ARTICLES), len(NOT_ARTICLES))   # the run's crawl_runs row


def test_every_fetched_page_ends_in_exactly_one_place(crawled):
    base, run, db = crawled
    places = [r[0][len(base):] or "/" for r in db.execute(
        "SELECT url FROM articles UNION ALL SELECT url FROM listings UNION ALL SELECT url FROM failures")]
    assert len(places) == len(set(places))
    root = FIXTURES / "kindsite"
    site = {"/" + str(p.relative_to(root)).replace("index.html", "") for p in root.rglob("*.html")}
    assert site <= set(places)
    dead = set(places) - site                  # links to pages the site does not have
    assert {r[0][len(base):] for r in db.execute("SELECT url FROM failures WHERE http_status = 404")} == dead
    assert run["failed"] == len(dead)


def test_pages_not_archived_query_says_why(crawled):
    base, _, db = crawled
    sql = yaml.safe_load(METADATA_TEMPLATE.read_text("utf-8"))["databases"]["archive"]["queries"]["not_archived"]["sql"]
    rows = db.execute(sql).fetchall()
    outcomes = {r["url"][len(base):] or "/": (r["outcome"], r["why"]) for r in rows}
    for path, (kind, why) in NOT_ARTICLES.items():
        assert outcomes[path] == (kind, why)
    # The archive's links to posts that are not there (404) show as failures beside them.
    assert outcomes["/2025/02/radio.html"] == ("failure", "http_status: HTTP 404")
