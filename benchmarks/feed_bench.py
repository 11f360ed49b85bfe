#!/usr/bin/env python3
"""A cron-style daily run that reads only a site's feed and sitemap dates: its cost against the first run's.

    .venv/bin/python benchmarks/feed_bench.py [--pages 2000] [--new 20] [--site-generator PATH]

Generates a site (the shared benchmark generator when it is there, else the
demo site), adds what news sites have and the generator does not write: an
RSS feed of the latest 50 articles (`/feed.xml`, announced by a `<link
rel="alternate">` on the home page). It is served on 127.0.0.1 (nginx when
installed) and crawled through a site profile that reads one page of each
listing (`listing_pages = 1`), as a daily cron job would, on one archive:

1. first run: the sitemap and the feed name every article; all are new;
2. a day passes: `--new` articles are published, reachable only through
   the feed (the latest 50 again) and the sitemap (dated now); the home page
   and the listings do not change;
3. the daily re-run: known articles are not due (recrawl_after 7d) and their
   feed and sitemap dates are older than their last fetch, so only the feed,
   the sitemap, the start pages and the new articles are fetched. It runs
   with `-s EXTRACT_PROCESSES=0`, as such a cron job should: analysing a
   few dozen pages in process costs less than starting the analysis worker
   (which on a busy 2-core machine was about half of this run's time).

Prints both runs' wall time and responses, the re-run's share of the first
run's time (whole process, and the crawl alone without Python's start-up), and whether every new article was archived; exits non-zero when
the re-run fetches more than 60 pages, takes more than 10% of the first
run's time, or misses a new article.
"""
from __future__ import annotations

import argparse
import html
import random
import re
import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from crawl_bench import REPO, SHARED_BENCH, generated_site, static_server, timed_crawl
from incremental_bench import BODY_START, last_run, query

FEED_SIZE = 50
MAX_PAGES = 60
MAX_SHARE = 0.10
_ENTRY = re.compile(r"<url><loc>([^<]+)</loc><lastmod>([^<]+)</lastmod></url>")
_TITLE = re.compile(rb"<h1[^>]*>.*?</h1>", re.S)


def latest(site: Path) -> list[tuple[str, str]]:
    """(URL, date) of the sitemap's articles, newest first (the generator writes them so)."""
    entries = _ENTRY.findall((site / "sitemap.xml").read_text("utf-8"))
    return sorted(entries, key=lambda e: e[1], reverse=True)


def write_feed(site: Path, base: str, items: list[tuple[str, str, datetime]]) -> None:
    """An RSS 2.0 feed of (URL, title, published) items."""
    entries = "".join(f"<item><title>{html.escape(title)}</title><link>{url}</link><guid>{url}</guid>"
                      f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate></item>\n"
                      for url, title, when in items)
    (site / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>码问技术文摘</title>'
        f"<link>{base}/</link><description>最新文章</description>\n{entries}</channel></rss>\n", "utf-8")


def announce_feed(site: Path) -> None:
    home = site / "index.html"
    home.write_text(home.read_text("utf-8").replace(
        "</head>", '<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">\n</head>', 1),
        "utf-8")


def day_date(text: str) -> datetime:
    return datetime.fromisoformat(text[:10]).replace(tzinfo=timezone.utc)


def publish(site: Path, base: str, count: int, old_latest: list[tuple[str, str]]) -> list[str]:
    """`count` new article pages, in the feed (latest 50 again) and the sitemap (dated now); their URLs."""
    rng = random.Random(13)
    sources = [p for p in sorted((site / "news").glob("[0-9]*.html"))
               if b'charset="gbk"' not in p.read_bytes().lower() and BODY_START.search(p.read_bytes())]
    now = datetime.now(timezone.utc).replace(microsecond=0)
    new = []
    for n, source in enumerate(rng.sample(sources, count)):
        path = f"/news/{900000 + n}.html"
        title = f"今日新文第{n + 1}篇：把定时任务改成按订阅源增量抓取"
        data = _TITLE.sub(f"<h1>{title}</h1>".encode(), source.read_bytes(), count=1)
        data = BODY_START.sub(lambda m: m[0] + f"<p>这是今天发布的第{n + 1}篇文章，此前从未出现在本站。</p>".encode(),
                              data, count=1)
        (site / path.lstrip("/")).write_bytes(data)
        new.append((base + path, title, now - timedelta(minutes=count - n)))
    old = [(url, "旧文", day_date(when)) for url, when in old_latest[:FEED_SIZE - count]]
    write_feed(site, base, (new + old)[:FEED_SIZE])
    sitemap = site / "sitemap.xml"
    added = "".join(f"<url><loc>{url}</loc><lastmod>{when.isoformat()}</lastmod></url>\n" for url, _, when in new)
    sitemap.write_text(sitemap.read_text("utf-8").replace("</urlset>", added + "</urlset>"), "utf-8")
    return [url for url, _, _ in new]


def in_crawl(run: dict) -> float:
    """Seconds from the crawl's start to its end as crawl_runs has them (Python's and Scrapy's start-up left out)."""
    return (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--new", type=int, default=20, help="articles published between the two runs")
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()

    with generated_site("feed-bench-", a.site_generator, a.pages) as (work, site, port):
        db, profile = work / "archive.db", work / "daily.toml"
        with static_server(site, port, work) as (base, server):
            old_latest = latest(site)
            write_feed(site, base, [(url, "旧文", day_date(when)) for url, when in old_latest[:FEED_SIZE]])
            announce_feed(site)
            profile.write_text(f'name = "daily"\nstart_urls = ["{base}/"]\nlisting_pages = 1\n'
                               f'recrawl_after = "7d"\narticle_urls = [\'/news/\\d+\\.html$\']\n', "utf-8")
            crawl = [sys.executable, "-m", "crawler.cli", "crawl", "--site", str(profile), "--db", str(db)]
            print(f"site: {a.pages} articles, a feed of the latest {FEED_SIZE}, served by {server} at {base}")

            first = timed_crawl(crawl, REPO)
            run1 = last_run(db)
            print(f"1. first run:   {first['wall']:6.2f} s  (CPU {first['cpu']:.1f} s; {run1['new']} new articles, "
                  f"{run1['fetched']} responses)")
            assert run1["new"] >= a.pages * 0.99, run1

            new = publish(site, base, a.new, old_latest)
            daily = timed_crawl(crawl + ["-s", "EXTRACT_PROCESSES=0"], REPO)
            run2 = last_run(db)
            archived = {u for u, in query(db, "SELECT url FROM articles")}
            missing = [u for u in new if u not in archived]
            share = daily["wall"] / first["wall"]
            print(f"2. daily re-run (EXTRACT_PROCESSES=0): {daily['wall']:6.2f} s  = {share:.1%} of the first (CPU {daily['cpu']:.1f} s; "
                  f"{run2['fetched']} responses, {run2['new']} new, {run2['skipped']} known articles not requested; "
                  f"every new article archived: {'yes' if not missing else f'NO, {len(missing)} missing'})")
            print(f"   in the crawl itself (crawl_runs start to end): {in_crawl(run2):.1f} s = "
                  f"{in_crawl(run2) / in_crawl(run1):.1%} of the first run's {in_crawl(run1):.1f} s")
            ok = run2["fetched"] <= MAX_PAGES and share <= MAX_SHARE and not missing
            print(f"bounds: <= {MAX_PAGES} responses, <= {MAX_SHARE:.0%} of the first run's time, no new article "
                  f"missed: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
