#!/usr/bin/env python3
"""Incremental runs on a 2,000-page site: a re-run's cost as a share of the first run's, measured in one go.

    .venv/bin/python benchmarks/incremental_bench.py [--pages 2000] [--changed 0.05] [--site-generator PATH]

Generates a site (the shared benchmark generator when it is there, else the
demo site) and serves it on 127.0.0.1 (nginx when installed: it answers
If-None-Match / If-Modified-Since with 304). Then, on one archive:

1. first run: everything is new;
2. re-run, nothing changed: known articles are not due (recrawl_after 7d),
   so no article is requested; every archive table but crawl_runs must be
   byte-identical afterwards;
3. re-run with ARCHIVE_RECRAWL_AFTER=0: every article asked again
   conditionally; each must answer 304, and only last_seen/run_id may move;
4. `--changed` of the article pages edited (a paragraph added, the sitemap's
   lastmod moved to now, as a CMS does): the next default run must store
   exactly those revisions.

Prints wall times and each re-run's share of the first run's.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sqlite3
import sys
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crawl_bench import REPO, SHARED_BENCH, generated_site, static_server, timed_crawl

TABLES = ("articles", "breadcrumbs", "related_links", "raw_pages", "revisions", "failures")
BODY_START = re.compile(rb'<div class="(?:article-)?content"[^>]*>')


def query(db: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def fingerprint(db: Path, ignore=()) -> dict[str, str]:
    """A hash of each archive table's rows, leaving out the `ignore` columns."""
    prints = {}
    for table in TABLES:
        columns = [c for _, c, *_ in query(db, f"PRAGMA table_info({table})") if c not in ignore]
        rows = query(db, f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
        prints[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints


def last_run(db: Path) -> dict:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())


def change_pages(site: Path, base: str, urls: list[str], share: float) -> set[str]:
    """Add a paragraph to `share` of the UTF-8 article pages and move their sitemap lastmod to now."""
    editable = []
    for url in urls:
        path = site / url[len(base) + 1:]
        data = path.read_bytes()
        if b'charset="gbk"' not in data.lower() and BODY_START.search(data):
            editable.append(url)
    chosen = set(random.Random(5).sample(sorted(editable), round(len(urls) * share)))
    for url in chosen:
        path = site / url[len(base) + 1:]
        path.write_bytes(BODY_START.sub(lambda m: m[0] + "<p>更正：本文第二节的数据已按读者来信修订。</p>".encode(),
                                        path.read_bytes(), count=1))
    sitemap = site / "sitemap.xml"
    text = sitemap.read_text("utf-8")
    now = (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat(timespec="seconds")
    for url in chosen:
        text = re.sub(rf"(<loc>{re.escape(url)}</loc>\s*<lastmod>)[^<]*(</lastmod>)", rf"\g<1>{now}\g<2>", text)
    sitemap.write_text(text, "utf-8")
    return chosen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--changed", type=float, default=0.05, help="share of articles edited before the last run")
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()

    with generated_site("incremental-bench-", a.site_generator, a.pages) as (work, site, port):
        db = work / "archive.db"
        with static_server(site, port, work) as (base, server):
            crawl = [sys.executable, "-m", "crawler.cli", "crawl", base + "/", "--db", str(db)]
            print(f"site: {a.pages} articles, served by {server} at {base}")

            first = timed_crawl(crawl, REPO)
            run1 = last_run(db)
            articles = query(db, "SELECT count(*) FROM articles")[0][0]
            print(f"1. first run:        {first['wall']:6.2f} s  (CPU {first['cpu']:.1f} s; {run1['new']} new, "
                  f"{run1['fetched']} responses)")

            ignore = ("last_seen", "run_id")
            before, before_ignoring = fingerprint(db), fingerprint(db, ignore)
            quiet = timed_crawl(crawl, REPO)
            run2 = last_run(db)
            downloaded = run2["new"] + run2["changed"] + run2["unchanged"] + run2["not_modified"] + run2["failed"]
            assert downloaded == 0 and run2["skipped"] == articles, run2
            assert fingerprint(db) == before, "a run with nothing due changed the archive"
            print(f"2. re-run, not due:  {quiet['wall']:6.2f} s  = {quiet['wall'] / first['wall']:.1%} of the first "
                  f"({run2['fetched']} responses, {run2['skipped']} articles skipped, 0 article bodies)")

            conditional = timed_crawl(crawl + ["-s", "ARCHIVE_RECRAWL_AFTER=0"], REPO)
            run3 = last_run(db)
            assert run3["not_modified"] == articles and run3["changed"] + run3["unchanged"] == 0, run3
            assert fingerprint(db, ignore) == before_ignoring, "a 304 moved more than last_seen"
            print(f"3. re-run, all due:  {conditional['wall']:6.2f} s  = {conditional['wall'] / first['wall']:.1%} "
                  f"of the first (CPU {conditional['cpu']:.1f} s; {run3['not_modified']} answered 304 Not Modified, "
                  "0 article bodies)")

            urls = [u for u, in query(db, "SELECT url FROM articles")]
            chosen = change_pages(site, base, urls, a.changed)
            edited = timed_crawl(crawl, REPO)
            run4 = last_run(db)
            revised = {u for u, in query(db, "SELECT a.url FROM revisions r JOIN articles a ON a.id = r.article_id")}
            revisions = query(db, "SELECT count(*) FROM revisions")[0][0]
            exact = revised == chosen and revisions == len(chosen)
            print(f"4. {len(chosen)} pages edited:   {edited['wall']:6.2f} s  = {edited['wall'] / first['wall']:.1%} "
                  f"of the first ({run4['changed']} changed, {revisions} revisions stored, "
                  f"exactly the edited pages: {'yes' if exact else 'NO'})")
            assert exact, (len(revised ^ chosen), revisions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
