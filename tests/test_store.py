"""ArchiveWriter on real SQLite files, and the three pipelines in a real crawl."""
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from pipelines.dedupe import content_hash
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("articles", "breadcrumbs", "related_links", "raw_pages", "failures")


def article(url, body="body", *, title="title", fetched_at="2025-03-05T06:30:00+00:00", **fields):
    """An ArticleItem-shaped dict as it leaves the dedupe pipeline."""
    return {
        "url": url, "canonical_url": url, "site": "example", "title": title, "section": "news",
        "published_at": "2025-03-05", "date_source": "meta", "author": "张三", "language": "zh",
        "body_text": body, "body_html": f"<p>{body}</p>", "body_markdown": body,
        "content_hash": content_hash(title, body),
        "breadcrumbs": [{"name": "首页", "url": "http://example.com/"}, {"name": "正文", "url": None}],
        "related": [], "http_status": 200, "encoding": "gbk",
        "headers": {"content-type": "text/html; charset=gbk"},
        "raw_html": f"<html><p>{body}</p></html>".encode("gbk"), "fetched_at": fetched_at,
        **fields,
    }


def related(*urls):
    return [{"title": f"相关 {u}", "url": u, "snippet": "针对不同平台…"} for u in urls]


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture
def new_writer(db_path):
    """A writer on the archive with a started run; each call is a new run."""
    writers = []

    def make(batch_size=200):
        writer = ArchiveWriter(open_archive(db_path), batch_size)
        writer.start_run(site="example", start_urls=["http://example.com/"], settings={"DOWNLOAD_DELAY": 0})
        writers.append(writer)
        return writer

    yield make
    for writer in writers:
        writer.db.close()


def run(make, items, batch_size=200, failures=()):
    writer = make(batch_size)
    for item in failures:
        writer.add_failure(item)
    for item in items:
        writer.add_article(item)
    writer.finish_run("finished", fetched=len(items))
    return writer


def rows(db, sql, *params):
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


def counts(db):
    return {t: db[t].count for t in TABLES}


def test_new_article_with_crumbs_related_and_raw_page(new_writer):
    item = article("http://example.com/1", "正文", related=related("http://example.com/2", "http://example.com/3"))
    db = run(new_writer, [item]).db
    row = db["articles"].get(1)
    assert {k: row[k] for k in ("url", "title", "body_text", "content_hash", "status", "run_id", "duplicate_of")} == {
        "url": "http://example.com/1", "title": "title", "body_text": "正文",
        "content_hash": item["content_hash"], "status": "ok", "run_id": 1, "duplicate_of": None}
    assert row["first_seen"] == row["last_seen"] == row["last_changed"] == item["fetched_at"]
    assert rows(db, "SELECT position, name, url FROM breadcrumbs WHERE article_id = 1") == [
        (0, "首页", "http://example.com/"), (1, "正文", None)]
    assert rows(db, "SELECT position, url, target_id FROM related_links ORDER BY position") == [
        (0, "http://example.com/2", None), (1, "http://example.com/3", None)]
    raw = db["raw_pages"].get(1)
    assert zlib.decompress(raw["html_zlib"]) == item["raw_html"]
    assert (raw["encoding"], raw["http_status"], json.loads(raw["headers"])) == ("gbk", 200, item["headers"])


def test_unchanged_article_only_moves_last_seen(new_writer):
    first = run(new_writer, [article("http://example.com/1")])
    before = first.db["articles"].get(1)
    second = run(new_writer, [article("http://example.com/1", fetched_at="2025-03-06T00:00:00+00:00")])
    after = second.db["articles"].get(1)
    assert second.counts == {"new": 0, "changed": 0, "unchanged": 1, "not_modified": 0, "gone": 0, "failed": 0,
                             "listings": 0}
    assert after["last_seen"] == "2025-03-06T00:00:00+00:00"
    assert after["run_id"] == second.run_id
    assert {k: after[k] for k in ("first_seen", "last_changed", "body_text")} == {
        k: before[k] for k in ("first_seen", "last_changed", "body_text")}


def test_a_304_for_an_article_of_the_same_batch_is_kept(new_writer):
    """The article is written before the 304 that confirms it, whatever order they came in."""
    writer = new_writer()
    writer.add_article(article("http://example.com/1"))
    writer.add_not_modified({"url": "http://example.com/1", "fetched_at": "2025-03-06T00:00:00+00:00"})
    writer.finish_run("finished")
    assert writer.db["articles"].get(1)["last_seen"] == "2025-03-06T00:00:00+00:00"
    assert writer.counts["not_modified"] == 1


def test_an_unchanged_article_leaves_its_markup_alone(new_writer):
    """A re-fetch of the same content moves last_seen; body_html and body_markdown are not rewritten
    (they are most of a row's bytes), while a refreshed date is."""
    first = run(new_writer, [article("http://example.com/1"), article("http://example.com/2", "two")])
    first.db.execute("CREATE TABLE markup_writes (id INTEGER)")
    first.db.execute("CREATE TRIGGER markup AFTER UPDATE OF body_html, body_markdown ON articles "
                     "BEGIN INSERT INTO markup_writes VALUES (new.id); END")
    second = run(new_writer, [article("http://example.com/1", fetched_at="2025-03-06T00:00:00+00:00"),
                              article("http://example.com/2", "two", published_at="2025-03-01")])
    assert second.counts["unchanged"] == 2
    assert rows(second.db, "SELECT id FROM markup_writes") == []
    assert rows(second.db, "SELECT url, published_at, last_seen FROM articles ORDER BY id") == [
        ("http://example.com/1", "2025-03-05", "2025-03-06T00:00:00+00:00"),
        ("http://example.com/2", "2025-03-01", "2025-03-05T06:30:00+00:00")]


def test_changed_article_replaces_columns_and_children(new_writer):
    run(new_writer, [article("http://example.com/1", "old", related=related("http://example.com/2"))])
    changed = article("http://example.com/1", "new", fetched_at="2025-03-07T00:00:00+00:00",
                      breadcrumbs=[{"name": "Home", "url": "http://example.com/"}], related=[])
    writer = run(new_writer, [changed])
    row = writer.db["articles"].get(1)
    assert writer.counts["changed"] == 1
    assert (row["body_text"], row["content_hash"]) == ("new", changed["content_hash"])
    assert row["first_seen"] == "2025-03-05T06:30:00+00:00"
    assert row["last_seen"] == row["last_changed"] == "2025-03-07T00:00:00+00:00"
    assert rows(writer.db, "SELECT name FROM breadcrumbs") == [("Home",)]
    assert writer.db["related_links"].count == 0
    assert zlib.decompress(writer.db["raw_pages"].get(1)["html_zlib"]) == changed["raw_html"]


def test_rerunning_the_same_items_adds_no_rows(new_writer):
    items = [article(f"http://example.com/{i}", f"body {i % 3}", related=related(f"http://example.com/{i + 1}"))
             for i in range(10)]
    failure = {"url": "http://example.com/gone", "reason": "http_status", "http_status": 404}
    first = run(new_writer, items, batch_size=3, failures=[failure])
    before = counts(first.db)
    second = run(new_writer, items, batch_size=4)
    assert counts(second.db) == before
    assert second.counts == {"new": 0, "changed": 0, "unchanged": 10, "not_modified": 0, "gone": 0, "failed": 0,
                             "listings": 0}


def test_duplicate_of_within_one_batch(new_writer):
    db = run(new_writer, [article(f"http://example.com/{i}", "same") for i in range(3)]).db
    assert rows(db, "SELECT id, duplicate_of FROM articles ORDER BY id") == [(1, None), (2, 1), (3, 1)]


def test_duplicate_of_across_batches_and_runs(new_writer):
    run(new_writer, [article("http://example.com/a", "same"), article("http://example.com/b", "other")], batch_size=1)
    db = run(new_writer, [article("http://example.com/c", "same"), article("http://example.com/d", "other")]).db
    assert rows(db, "SELECT url, duplicate_of FROM articles ORDER BY id") == [
        ("http://example.com/a", None), ("http://example.com/b", None),
        ("http://example.com/c", 1), ("http://example.com/d", 2)]


def test_duplicate_of_follows_content_changes(new_writer):
    run(new_writer, [article(f"http://example.com/{i}", "same") for i in range(3)] +
        [article("http://example.com/x", "x")])
    # the original changes: the next-oldest copy becomes the original;
    # an older article changing into existing content points at the oldest copy.
    db = run(new_writer, [article("http://example.com/0", "x")]).db
    assert rows(db, "SELECT url, duplicate_of FROM articles ORDER BY id") == [
        ("http://example.com/0", None), ("http://example.com/1", None),
        ("http://example.com/2", 2), ("http://example.com/x", 1)]


@pytest.mark.parametrize("batches", [
    [["link"], ["target"]],      # link first
    [["target"], ["link"]],      # target first
    [["link", "target"]],        # same batch
    [["target", "link"]],
])
def test_related_target_id_whichever_arrives_first(new_writer, batches):
    pages = {"link": article("http://example.com/from", "a", related=related("http://example.com/to", "http://x.org/")),
             "target": article("http://example.com/to", "b")}
    for batch in batches:
        db = run(new_writer, [pages[name] for name in batch]).db
    target = rows(db, "SELECT id FROM articles WHERE url = 'http://example.com/to'")[0][0]
    assert rows(db, "SELECT url, target_id FROM related_links ORDER BY position") == [
        ("http://example.com/to", target), ("http://x.org/", None)]


def test_failures_upsert_then_clear_after_success(new_writer):
    fail = {"url": "http://example.com/1", "reason": "timeout", "error": "took too long", "attempts": 3}
    run(new_writer, [], failures=[{**fail, "failed_at": "2025-03-05T00:00:00+00:00"}])
    writer = run(new_writer, [], failures=[
        {**fail, "reason": "http_status", "http_status": 503, "failed_at": "2025-03-06T00:00:00+00:00"}])
    row = writer.db["failures"].get("http://example.com/1")
    assert {k: row[k] for k in ("reason", "http_status", "times_failed", "first_failed", "last_failed", "run_id")} == {
        "reason": "http_status", "http_status": 503, "times_failed": 2,
        "first_failed": "2025-03-05T00:00:00+00:00", "last_failed": "2025-03-06T00:00:00+00:00",
        "run_id": writer.run_id}
    writer = run(new_writer, [article("http://example.com/1")])
    assert writer.db["failures"].count == 0


def listing(url, fetched_at, kind="listing", why="12 linked headings outweigh the body"):
    return {"url": url, "kind": kind, "why": why, "links": 40, "fetched_at": fetched_at}


def test_listings_upsert_count_per_run_and_end_where_the_url_ends(new_writer):
    """A URL is in one place: a listing replaces its failure, an article replaces its listing."""
    writer = run(new_writer, [], failures=[{"url": "http://example.com/2", "reason": "timeout"}])
    writer = new_writer()
    writer.add_listing(listing("http://example.com/", "2025-03-05T00:00:00+00:00"))
    writer.add_listing(listing("http://example.com/2", "2025-03-05T00:00:00+00:00", "other", "a form of 4 fields"))
    writer.finish_run("finished")
    assert writer.db["failures"].count == 0
    assert writer.db["crawl_runs"].get(writer.run_id)["listings"] == 2
    writer = new_writer()
    writer.add_listing(listing("http://example.com/", "2025-03-06T00:00:00+00:00", why="3 full posts of one shape"))
    writer.finish_run("finished")
    assert rows(writer.db, "SELECT url, kind, why, links, first_seen, last_seen, run_id FROM listings ORDER BY url") == [
        ("http://example.com/", "listing", "3 full posts of one shape", 40,
         "2025-03-05T00:00:00+00:00", "2025-03-06T00:00:00+00:00", writer.run_id),
        ("http://example.com/2", "other", "a form of 4 fields", 40,
         "2025-03-05T00:00:00+00:00", "2025-03-05T00:00:00+00:00", writer.run_id - 1)]
    writer = run(new_writer, [article("http://example.com/2")])
    assert rows(writer.db, "SELECT url FROM listings") == [("http://example.com/",)]
    assert writer.db["crawl_runs"].get(writer.run_id)["listings"] == 0


def test_crawl_runs_row_tracks_the_run(new_writer):
    run(new_writer, [article("http://example.com/1")])
    writer = new_writer(batch_size=2)
    running = writer.db["crawl_runs"].get(writer.run_id)
    assert (running["status"], running["finished_at"]) == ("running", None)
    assert json.loads(running["start_urls"]) == ["http://example.com/"]
    assert json.loads(running["settings"]) == {"DOWNLOAD_DELAY": 0}
    writer.add_article(article("http://example.com/1", "changed"))
    writer.add_failure({"url": "http://example.com/9", "reason": "dns"})   # batch of 2 is written now
    assert writer.db["crawl_runs"].get(writer.run_id)["changed"] == 1      # visible mid-run
    writer.add_article(article("http://example.com/2"))
    writer.add_article(article("http://example.com/3", "body 3"))
    writer.add_article(article("http://example.com/1", "changed"))
    writer.finish_run("closespider_pagecount", fetched=7)
    done = writer.db["crawl_runs"].get(writer.run_id)
    assert {k: done[k] for k in ("status", "fetched", "new", "changed", "unchanged", "failed")} == {
        "status": "closespider_pagecount", "fetched": 7, "new": 2, "changed": 1, "unchanged": 1, "failed": 1}
    assert done["finished_at"] >= done["started_at"]


def test_a_failing_batch_writes_nothing(new_writer):
    writer = new_writer(batch_size=10)
    writer.add_article(article("http://example.com/ok"))
    writer.add_article(article("http://example.com/bad", breadcrumbs=[{"name": object(), "url": None}]))
    with pytest.raises(Exception):
        writer.flush()
    assert counts(writer.db) == dict.fromkeys(TABLES, 0)
    assert writer.db["crawl_runs"].get(writer.run_id)["new"] == 0


KILLED_WRITER = """
import itertools, sys
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter
writer = ArchiveWriter(open_archive(sys.argv[1]), 7)
writer.start_run(site="kill")
body = "正文 " * 3000
for i in itertools.count():
    writer.add_article({"url": f"http://example.com/{i}", "title": "t", "body_text": body + str(i),
                        "content_hash": str(i), "raw_html": body.encode() * 3, "fetched_at": "2025-01-01",
                        "breadcrumbs": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
                        "related": [{"url": f"http://example.com/{i + 1}"}] * 4})
    if i == 30:
        print("running", flush=True)
"""


def test_kill_9_leaves_only_whole_articles(db_path):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(db_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "running\n"
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = open_archive(db_path)
    written = db["articles"].count
    assert written >= 28 and written % 7 == 0
    assert rows(db, "SELECT count(*) FROM raw_pages") == [(written,)]
    assert rows(db, "SELECT count(*) FROM breadcrumbs") == [(3 * written,)]
    assert rows(db, "SELECT count(*) FROM related_links") == [(4 * written,)]
    assert rows(db, "SELECT status, new FROM crawl_runs") == [("running", written)]
    db.close()


CRAWL = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from crawler.items import ArticleItem, FailureItem

class Pages(scrapy.Spider):
    name = "pages"
    site = "example"
    start_urls = [f"data:text/html,<p>{i}</p>" for i in range(4)]

    def parse(self, response):
        i = int(response.css("p::text").get())
        if i == 3:
            yield FailureItem(url="HTTP://Example.com:80/missing#x", reason="http_status", http_status=404)
            return
        yield ArticleItem(
            url=f"HTTP://Example.com:80/news/{min(i, 1)}.html?utm_source=x", title=" 标题 ",
            body_text="文本向量的池化方法。", published_at="2025年3月5日 14:30", raw_html=response.body,
            breadcrumbs=[{"name": "首页", "url": "http://example.com/"}],
            related=[{"title": "r", "url": "http://example.com/news/1.html#top", "snippet": None}],
            fetched_at="2025-03-05T06:30:00+00:00")

settings = Settings()
settings.setmodule("crawler.settings")
settings.setdict({"ARCHIVE_DB": sys.argv[1], "ARCHIVE_BATCH_SIZE": 2, "SPIDER_MODULES": [], "ROBOTSTXT_OBEY": False,
                  "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "INFO"})
process = CrawlerProcess(settings)
process.crawl(Pages)
process.start()
"""


def test_pipelines_in_a_real_crawl(db_path):
    done = subprocess.run([sys.executable, "-c", CRAWL, str(db_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "requires a spider argument" not in done.stderr
    db = open_archive(db_path)
    assert rows(db, "SELECT url, title, published_at, language FROM articles ORDER BY id") == [
        ("http://example.com/news/0.html", "标题", "2025-03-05T14:30:00", "zh"),
        ("http://example.com/news/1.html", "标题", "2025-03-05T14:30:00", "zh")]
    assert rows(db, "SELECT duplicate_of FROM articles ORDER BY id") == [(None,), (1,)]
    assert rows(db, "SELECT article_id, target_id FROM related_links ORDER BY article_id") == [(1, 2), (2, 2)]
    assert rows(db, "SELECT url FROM failures") == [("http://example.com/missing",)]
    run_row = db["crawl_runs"].get(1)
    assert {k: run_row[k] for k in ("status", "site", "fetched", "new", "changed", "unchanged", "failed")} == {
        "status": "finished", "site": "example", "fetched": 4, "new": 2, "changed": 0, "unchanged": 0, "failed": 1}
    assert json.loads(run_row["settings"])["ARCHIVE_BATCH_SIZE"] == 2
    db.close()
