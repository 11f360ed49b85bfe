"""Incremental runs against a real local site that changes, vanishes and answers 304 between runs."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from conftest import crawl
from livesite import LiveSite, article_page, fill, listing_page, paragraphs, serve_live_site, sitemap
from pipelines.schema import open_archive


@pytest.fixture
def site():
    with serve_live_site(LiveSite()) as live:
        yield live


def counts(run, *names):
    return {name: run[name] for name in names}


def by_path(db, site):
    return {row["url"][len(site.base):]: row for row in db["articles"].rows}


def test_changed_page_is_revised_unchanged_answers_304_and_vanished_is_gone(site, tmp_path):
    db_path = tmp_path / "x.db"
    fill(site, 5)
    assert crawl(site.base + "/", "--db", str(db_path))["new"] == 5
    with open_archive(db_path) as db:
        before = by_path(db, site)

    site.put("/a/2.html", article_page("第2篇：老茶馆", paragraphs(2, version=2)))
    site.vanish("/a/3.html", 404)
    site.vanish("/a/4.html", 410)
    site.hits.clear()
    time.sleep(1)  # last_seen counts seconds: let it move
    run = crawl(site.base + "/", "--db", str(db_path), "-s", "ARCHIVE_RECRAWL_AFTER=0")

    assert counts(run, "new", "changed", "unchanged", "not_modified", "gone", "failed", "skipped") == {
        "new": 0, "changed": 1, "unchanged": 0, "not_modified": 2, "gone": 2, "failed": 0, "skipped": 0}
    assert sorted(site.downloaded()) == ["/a/2.html"]              # the only article body downloaded
    first = next(h for h in site.asked() if h.path == "/a/1.html")
    assert (first.status, first.if_none_match) == (304, site.pages["/a/1.html"].etag)
    with open_archive(db_path) as db:
        after = by_path(db, site)
        assert len(after) == 5                                       # nothing deleted
        one = after["/a/1.html"]
        assert one["last_seen"] > before["/a/1.html"]["last_seen"]    # a 304 moves last_seen ...
        assert {k: one[k] for k in ("last_changed", "content_hash", "body_text", "status")} == {
            k: before["/a/1.html"][k] for k in ("last_changed", "content_hash", "body_text", "status")}
        assert db["raw_pages"].get(one["id"])["fetched_at"] == before["/a/1.html"]["last_seen"]  # ... only
        two = after["/a/2.html"]
        assert two["last_changed"] == two["last_seen"] > two["first_seen"]
        assert "第2版的结尾" in two["body_text"]
        revision, = db["revisions"].rows_where("article_id = ?", [two["id"]])
        assert revision["content_hash"] == before["/a/2.html"]["content_hash"]
        assert "第1版的结尾" in revision["body_text"] and revision["cause"] == "fetch"
        assert (revision["first_seen"], revision["replaced_at"]) == (before["/a/2.html"]["last_changed"],
                                                                     two["last_changed"])
        assert "-这是第1版的结尾" in revision["diff"] and "+这是第2版的结尾" in revision["diff"]
        assert db["revisions"].count == 1                            # unchanged pages write no revision
        for path in ("/a/3.html", "/a/4.html"):
            assert (after[path]["status"], after[path]["body_text"]) == ("gone", before[path]["body_text"])
            assert after[path]["gone_at"] >= run["started_at"]
        assert db["failures"].count == 0                             # gone is not a failure

    site.restore("/a/3.html")
    time.sleep(1)
    third = crawl(site.base + "/", "--db", str(db_path), "-s", "ARCHIVE_RECRAWL_AFTER=0")
    # /a/3 is back as it was: its ETag still matches, 304, and it is ok again
    assert counts(third, "changed", "not_modified", "gone") == {"changed": 0, "not_modified": 4, "gone": 1}
    with open_archive(db_path) as db:
        again = by_path(db, site)
        assert (again["/a/3.html"]["status"], again["/a/3.html"]["gone_at"]) == ("ok", None)
        assert again["/a/4.html"]["gone_at"] == after["/a/4.html"]["gone_at"]  # the date it first went


def test_articles_not_due_are_not_requested_until_the_sitemap_says_they_changed(site, tmp_path):
    """Through a site profile: its recrawl_after decides; the sitemap's lastmod overrides it."""
    db_path = tmp_path / "x.db"
    paths = fill(site, 4, with_sitemap=True)
    profile = tmp_path / "stone.toml"
    profile.write_text(f'name = "stone"\nstart_urls = ["{site.base}/"]\nrecrawl_after = "7d"\n'
                       "article_urls = ['/a/\\d+\\.html$']\n", encoding="utf-8")
    assert crawl("--site", str(profile), "--db", str(db_path))["new"] == 4
    with open_archive(db_path) as db:
        before = by_path(db, site)

    site.hits.clear()
    quiet = crawl("--site", str(profile), "--db", str(db_path))
    assert site.asked() == []                                        # no article requested at all
    assert counts(quiet, "new", "changed", "unchanged", "not_modified", "skipped") == {
        "new": 0, "changed": 0, "unchanged": 0, "not_modified": 0, "skipped": 4}
    with open_archive(db_path) as db:
        assert by_path(db, site) == before                           # not a byte of an article moved

    site.put("/a/3.html", article_page("第3篇：旧书摊", paragraphs(3, version=2)))
    now = datetime.now(timezone.utc) + timedelta(minutes=1)
    site.put("/sitemap.xml", sitemap(site.base, {**dict.fromkeys(paths, "2020-01-01"),
                                                 "/a/3.html": now.isoformat(timespec="seconds")}),
             "application/xml")
    site.hits.clear()
    told = crawl("--site", str(profile), "--db", str(db_path))
    assert [h.path for h in site.asked()] == ["/a/3.html"]
    assert counts(told, "changed", "skipped") == {"changed": 1, "skipped": 3}
    with open_archive(db_path) as db:
        assert db["revisions"].count == 1


def test_incremental_off_downloads_everything_again(site, tmp_path):
    fill(site, 3)
    crawl(site.base + "/", "--db", str(tmp_path / "x.db"))
    site.hits.clear()
    run = crawl(site.base + "/", "--db", str(tmp_path / "x.db"), "-s", "ARCHIVE_INCREMENTAL=false")
    assert sorted(site.downloaded()) == ["/a/1.html", "/a/2.html", "/a/3.html"]
    assert all(h.if_none_match is None for h in site.asked())
    assert run["unchanged"] == 3


def test_a_redirected_link_to_an_article_is_not_downloaded_every_run(site, tmp_path):
    """The home page links /go/2 (an old address) which 301s to /a/2.html: remembered, not followed again."""
    db_path = tmp_path / "x.db"
    paths = fill(site, 3)
    site.redirects["/go/2"] = "/a/2.html"
    site.put("/", listing_page([("/go/2", "第2篇"), (paths[0], "第1篇"), (paths[2], "第3篇")]))
    assert crawl(site.base + "/", "--db", str(db_path))["new"] == 3
    with open_archive(db_path) as db:
        redirect, = db["redirects"].rows
        assert (redirect["url"], db["articles"].get(redirect["article_id"])["url"]) == (
            site.base + "/go/2", site.base + "/a/2.html")

    site.hits.clear()
    quiet = crawl(site.base + "/", "--db", str(db_path))            # nothing due (7 days)
    assert [h.path for h in site.hits if h.path.startswith("/go/")] == []
    assert quiet["skipped"] == 3

    site.hits.clear()
    due = crawl(site.base + "/", "--db", str(db_path), "-s", "ARCHIVE_RECRAWL_AFTER=0")
    assert site.downloaded() == []                                  # due: asked conditionally, 304
    assert due["not_modified"] == 3


def test_the_archive_is_asked_url_by_url(tmp_path):
    """No archive yet: nothing known. Then an article (with its validators), a URL that redirected to
    it and a later part of a split article each stand for the article; other URLs are unknown."""
    from crawler.middlewares.incremental import ArchivedUrls, Known
    from pipelines.store import ArchiveWriter
    from test_store import article

    db_path = tmp_path / "x.db"
    known = ArchivedUrls(db_path)
    assert known.get("http://example.com/a/1.html") is None and known.count() == 0
    with open_archive(db_path) as db:
        writer = ArchiveWriter(db)
        writer.start_run()
        writer.add_article(article("http://example.com/a/1.html", headers={"etag": '"v1"'},
                                   redirected_from=["http://example.com/go/1"],
                                   parts=[{"url": "http://example.com/a/1.html", "status": "ok"},
                                          {"url": "http://example.com/a/1_2.html", "status": "ok"}]))
        writer.finish_run("finished")
    seen = "2025-03-05T06:30:00+00:00"
    assert known.get("http://example.com/a/1.html") == Known(seen, '"v1"', None)
    assert known.get("http://example.com/go/1") == Known(seen, '"v1"', None)
    assert known.get("http://example.com/a/1_2.html") == Known(seen, None, None)
    assert known.get("http://example.com/a/2.html") is None and known.count() == 1
    known.close()
