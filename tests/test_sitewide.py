"""A crawl learns which "related" blocks are site-wide lists (pipelines/sitewide.py).

The site, written into a temporary folder and served on 127.0.0.1: every
post shows the same five popular posts under a "Related posts" heading (a
template's list, not a choice for the article), every note shows the two
notes that follow it (a real related block). One crawl must drop the
first and keep the second; a later run drops the list from a new post at
once; a profile that names the related block is obeyed.
"""
from __future__ import annotations

import sqlite3

import pytest

from conftest import crawl
from crawler.demosite.server import serve_directory
from pipelines.sitewide import BLOCK_SHARE, is_sitewide

POSTS = ["rivers", "kites", "bread", "clocks", "lanterns", "ferries", "orchards", "bridges", "looms", "tides"]
NOTES = ["moss", "gulls", "slate", "hedges", "wells", "barges"]


def article(title: str, related: list[tuple[str, str]]) -> str:
    paragraphs = "".join(
        f"<p>Part {n} about {title}: the town keeps a small record of how the {title} changed over the years, "
        f"and each season somebody adds a line about what they saw, what they mended and what they learned.</p>"
        for n in range(6))
    entries = "".join(f'<li><a href="{href}">{name}</a></li>' for href, name in related)
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title} - Town Notes</title></head><body>'
            f'<header><a href="/">Town Notes</a></header><main><article><h1>About {title}</h1>{paragraphs}</article>'
            f'<aside><h3>Related posts</h3><ul>{entries}</ul></aside></main></body></html>')


def write_site(root, posts=POSTS):
    popular = [(f"/posts/{name}.html", f"Notes on {name}") for name in POSTS[:5]]
    (root / "posts").mkdir(parents=True, exist_ok=True)
    (root / "notes").mkdir(exist_ok=True)
    for name in posts:
        (root / "posts" / f"{name}.html").write_text(article(name, popular), "utf-8")
    for i, name in enumerate(NOTES):
        following = [(f"/notes/{n}.html", f"Notes on {n}") for n in (NOTES * 2)[i + 1:i + 3]]
        (root / "notes" / f"{name}.html").write_text(article(name, following), "utf-8")
    links = "".join(f'<li><a href="/posts/{n}.html">{n}</a></li>' for n in posts) + "".join(
        f'<li><a href="/notes/{n}.html">{n}</a></li>' for n in NOTES)
    (root / "index.html").write_text(f"<html><head><title>Town Notes</title></head><body><ul>{links}</ul></body></html>",
                                     "utf-8")


def related(db_path) -> dict[str, list[str]]:
    with sqlite3.connect(db_path) as db:
        blocks = {url.split("/", 3)[3]: [] for url, in db.execute("SELECT url FROM articles")}
        for page, link in db.execute("SELECT a.url, l.url FROM related_links l JOIN articles a ON a.id = l.article_id"
                                     " ORDER BY a.url, l.position"):
            blocks[page.split("/", 3)[3]].append(link.split("/", 3)[3])
    return blocks


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("sitewide")
    write_site(root / "www")
    with serve_directory(root / "www") as base:
        yield root, base


@pytest.fixture(scope="module")
def crawled(site):
    root, base = site
    db_path = root / "first.db"
    crawl(base + "/", "--db", str(db_path))
    return db_path


def test_a_list_every_post_shows_is_not_stored_as_related(crawled):
    blocks = related(crawled)
    assert len(blocks) == len(POSTS) + len(NOTES)
    assert all(blocks[f"posts/{name}.html"] == [] for name in POSTS)


def test_blocks_that_change_with_the_article_are_kept(crawled):
    blocks = related(crawled)
    for i, name in enumerate(NOTES):
        assert blocks[f"notes/{name}.html"] == [f"notes/{n}.html" for n in (NOTES * 2)[i + 1:i + 3]]


def test_what_was_learned_is_in_the_archive(crawled):
    with sqlite3.connect(crawled) as db:
        learned = db.execute("SELECT url, pages, share, run_id FROM sitewide_links ORDER BY url").fetchall()
    assert sorted(url.split("/", 3)[3] for url, *_ in learned) == sorted(f"posts/{n}.html" for n in POSTS[:5])
    assert all(pages >= 9 and share > 0.5 and run_id == 1 for _, pages, share, run_id in learned)


def test_a_later_run_drops_the_list_from_a_new_post_at_once(site, tmp_path):
    root, base = site
    db_path = tmp_path / "two-runs.db"
    crawl(base + "/", "--db", str(db_path))
    write_site(root / "www", POSTS + ["kilns"])
    try:
        crawl(base + "/", "--db", str(db_path), "-s", "ARCHIVE_RECRAWL_AFTER=7d")
        blocks = related(db_path)
        assert blocks["posts/kilns.html"] == []
        with sqlite3.connect(db_path) as db:
            assert db.execute("SELECT count(*) FROM articles WHERE run_id = 2").fetchone()[0] == 1   # only the new post
    finally:
        (root / "www" / "posts" / "kilns.html").unlink()
        write_site(root / "www")


def test_a_profile_naming_the_related_block_is_obeyed(site, tmp_path):
    root, base = site
    profile = tmp_path / "town.toml"
    profile.write_text(f'name = "town"\nstart_urls = ["{base}/"]\n[selectors]\nrelated = "aside"\n', "utf-8")
    db_path = tmp_path / "profiled.db"
    crawl("--site", str(profile), "--db", str(db_path))
    assert related(db_path)["posts/ferries.html"] == [f"posts/{n}.html" for n in POSTS[:5]]
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM sitewide_links").fetchone()[0] == 0


@pytest.mark.parametrize("learned, sitewide", [(4, True), (3, False), (0, False)])
def test_a_block_is_site_wide_when_most_of_its_links_are(learned, sitewide):
    links = [f"https://example.org/{n}" for n in range(5)]
    assert BLOCK_SHARE == 0.8
    assert is_sitewide(links, set(links[:learned])) is sitewide
