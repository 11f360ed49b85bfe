"""Incremental runs: ask a site only for what may have changed since the archive last saw it.

Listing pages and sitemaps are never rows of `articles`, so they are fetched
every run and discovery goes on from them. A request for an archived article
is

- dropped when the article is not due: the archive fetched it less than
  `recrawl_after` (site profile, else ARCHIVE_RECRAWL_AFTER) before this run
  started, and no sitemap `lastmod` is newer than that fetch;
- made conditional when it is due: If-None-Match / If-Modified-Since from the
  validators stored with its raw page, so an unchanged page answers 304 with
  no body, which the spider turns into a NotModifiedItem (only last_seen moves).

A link to a URL that once redirected to an archived article (`redirects`)
counts as a request for that article: without it, every run would follow
the redirect and download the article again. So does a link to a later part
of a split article (`article_parts`: a sitemap naming every part), though
never conditionally (the validators are part 1's); the spider's requests
for the parts of an article it is reading are never dropped.

A spider middleware rather than a downloader one: a request that is not due
is dropped where the spider yields it, before the scheduler, the dupefilter
and a download slot spend anything on it. The archive is asked, read-only and
by index, about each URL a request is made for, rather than read whole at the
start: a crawl's memory stays flat however large the archive grows. An
article this run has already written counts as just fetched (not due), so
another spelling of its URL is not downloaded again.
"""
from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.durations import parse_duration
from pipelines.normalize import normalize_url

logger = logging.getLogger(__name__)

# A page is due a little early, so a daily cron with recrawl_after = 1d does
# not slide to every other day when one run starts seconds before the last.
DUE_SLACK = 0.05

# What the archive holds about one URL, asked in this order: an article of its own, a URL that
# redirected to an article (a link to it stands for the article), a later part of a split article
# (a link to it stands for the article, unconditionally).
# An article's validators, from its raw page `r` (crawler/distributed/archived.py publishes the same).
VALIDATORS = "json_extract(r.headers, '$.etag'), json_extract(r.headers, '$.\"last-modified\"')"
_LOOKUPS = (
    f"""SELECT a.last_seen, {VALIDATORS}
       FROM articles AS a LEFT JOIN raw_pages AS r ON r.article_id = a.id WHERE a.url = ?""",
    f"""SELECT a.last_seen, {VALIDATORS}
       FROM redirects AS d JOIN articles AS a ON a.id = d.article_id LEFT JOIN raw_pages AS r ON r.article_id = a.id
       WHERE d.url = ?""",
    """SELECT a.last_seen, NULL, NULL FROM article_parts AS p JOIN articles AS a ON a.id = p.article_id
       WHERE p.url = ? AND p.part > 1 LIMIT 1""",
)
# The three asked in one statement, the first that knows the URL winning: one round trip per link,
# where most links are to URLs the archive does not hold and each would have asked all three.
_LOOKUP = ("SELECT * FROM ("
           + " UNION ALL ".join(f"SELECT {rank} AS rank, * FROM ({sql})" for rank, sql in enumerate(_LOOKUPS))
           + ") ORDER BY rank LIMIT 1")


class Known(NamedTuple):
    """What the archive holds about one article URL."""

    last_seen: str
    etag: str | None
    last_modified: str | None


def parse_time(value: str | None) -> datetime | None:
    """An aware datetime from ISO 8601 / W3C sitemap dates; a bare date counts to its day's end."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if len(value.strip()) == 10:  # 2025-03-05: changed some time that day
        when += timedelta(days=1)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def recrawl_after(settings) -> timedelta:
    """How long an archived article is not due after a fetch (a site profile sets ARCHIVE_RECRAWL_AFTER)."""
    return parse_duration(settings.get("ARCHIVE_RECRAWL_AFTER") or 0)


def due_before(recrawl_after: timedelta) -> datetime:
    """An archived article last fetched before this is due in a run starting now (DUE_SLACK early).
    Distributed workers decide with it too (crawler/distributed/queue.py)."""
    return datetime.now(timezone.utc) - recrawl_after * (1 - DUE_SLACK)


def make_conditional(request, etag: str | None, last_modified: str | None) -> None:
    """Ask for a due article only if it changed since its archived copy; the 304 reaches the spider."""
    if etag:
        request.headers.setdefault("If-None-Match", etag)
    if last_modified:
        request.headers.setdefault("If-Modified-Since", last_modified)
    request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]


class ArchivedUrls:
    """What the archive holds about a URL, asked of it (read-only, by index) when a request for
    the URL is made: the archive's URLs are never all in memory, so a crawl's memory does not
    grow with the archive. Nothing is known while there is no archive, or no such table yet."""

    def __init__(self, db_path):
        self.path = Path(db_path)
        self.conn: sqlite3.Connection | None = None

    def get(self, url: str) -> Known | None:
        conn = self._connect()
        found = rows(conn, _LOOKUP, [url] * len(_LOOKUPS)) if conn else []
        return Known(*found[0][1:]) if found else None   # (rank, last_seen, ...)

    def count(self) -> int:
        conn = self._connect()
        return (rows(conn, "SELECT count(*) FROM articles") or [(0,)])[0][0] if conn else 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connect(self) -> sqlite3.Connection | None:
        if self.conn is None and self.path.is_file():
            self.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            self.conn.execute("PRAGMA busy_timeout=10000")
        return self.conn


def rows(conn, sql: str, params=()) -> list[tuple]:
    """The rows of `sql`; none when the archive lacks a table it reads (a new archive has no tables yet,
    an older one not every table)."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Drops requests for archived articles that are not due; makes the others conditional."""

    def __init__(self, crawler, known, recrawl_after: timedelta):
        """`known`: what the archive holds about a URL (`ArchivedUrls`, or a dict), by `get(url)`."""
        super().__init__(crawler)
        self.known = known
        self.recrawl_after = recrawl_after
        self.due_before = due_before(recrawl_after)
        self.stats = crawler.stats
        self.skipped: set[str] = set()  # a page is linked from listings and the sitemap alike

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_INCREMENTAL") or not settings.get("ARCHIVE_DB"):
            raise NotConfigured("incremental runs are off (ARCHIVE_INCREMENTAL) or there is no ARCHIVE_DB")
        known, after = ArchivedUrls(settings.get("ARCHIVE_DB")), recrawl_after(settings)
        logger.info("incremental: %d archived articles, re-fetched after %s", known.count(), after)
        crawler.signals.connect(known.close, signal=signals.spider_closed)
        return cls(crawler, known, after)

    def get_processed_request(self, request, response):
        url = normalize_url(request.url)
        known = self.known.get(url)
        if known is None or "split_article" in request.meta:  # a part is read whole, or its article is cut
            return request
        due = self.is_due(known, parse_time(request.meta.get("lastmod")))
        # a link may skip a page that the sitemap's lastmod then makes due
        (self.skipped.discard if due else self.skipped.add)(url)
        self.stats.set_value("incremental/skipped", len(self.skipped))
        if not due:
            return None
        self.stats.inc_value("incremental/conditional")
        make_conditional(request, known.etag, known.last_modified)
        return request

    def is_due(self, known: Known, lastmod: datetime | None) -> bool:
        """Fetched long enough ago, or changed since, as the sitemap says."""
        last_seen = parse_time(known.last_seen)
        if last_seen is None:
            return True
        return last_seen <= self.due_before or (lastmod is not None and lastmod > last_seen)
