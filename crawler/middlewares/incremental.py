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
and a download slot spend anything on it. The archive is read once, read-only,
when the crawl starts: what was known then decides, whatever this run writes.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.durations import parse_duration
from pipelines.normalize import normalize_url

logger = logging.getLogger(__name__)

# A page is due a little early, so a daily cron with recrawl_after = 1d does
# not slide to every other day when one run starts seconds before the last.
DUE_SLACK = 0.05

_KNOWN_ARTICLES = """
SELECT a.url, a.last_seen, json_extract(r.headers, '$.etag'), json_extract(r.headers, '$."last-modified"')
FROM articles AS a LEFT JOIN raw_pages AS r ON r.article_id = a.id
"""
# URLs that redirected to an archived article: a link to one stands for the article.
_KNOWN_REDIRECTS = """
SELECT d.url, a.last_seen, json_extract(r.headers, '$.etag'), json_extract(r.headers, '$."last-modified"')
FROM redirects AS d JOIN articles AS a ON a.id = d.article_id LEFT JOIN raw_pages AS r ON r.article_id = a.id
"""

# Later parts of split articles: a link to one stands for the article, unconditionally.
_KNOWN_PARTS = """
SELECT p.url, a.last_seen, NULL, NULL
FROM article_parts AS p JOIN articles AS a ON a.id = p.article_id WHERE p.part > 1
"""


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


def load_known(db_path) -> dict[str, Known]:
    """Article URLs of the archive, and the URLs that redirected to them or are their later parts,
    with the article's last fetch and validators; empty when there is no archive."""
    path = Path(db_path)
    if not path.is_file():
        return {}
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        conn.execute("PRAGMA busy_timeout=10000")
        known = {url: Known(*rest) for sql in (_KNOWN_PARTS, _KNOWN_REDIRECTS) for url, *rest in _rows(conn, sql)}
        known.update((url, Known(*rest)) for url, *rest in _rows(conn, _KNOWN_ARTICLES))
        return known


def _rows(conn, sql: str) -> list:
    try:
        return conn.execute(sql).fetchall()
    except sqlite3.OperationalError as exc:  # a new archive has no tables yet, an older one not this table
        if "no such table" in str(exc):
            return []
        raise


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Drops requests for archived articles that are not due; makes the others conditional."""

    def __init__(self, crawler, known: dict[str, Known], recrawl_after: timedelta):
        super().__init__(crawler)
        self.known = known
        self.recrawl_after = recrawl_after
        self.due_before = datetime.now(timezone.utc) - recrawl_after * (1 - DUE_SLACK)
        self.stats = crawler.stats
        self.skipped: set[str] = set()  # a page is linked from listings and the sitemap alike

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_INCREMENTAL") or not settings.get("ARCHIVE_DB"):
            raise NotConfigured("incremental runs are off (ARCHIVE_INCREMENTAL) or there is no ARCHIVE_DB")
        recrawl_after = parse_duration(settings.get("ARCHIVE_RECRAWL_AFTER") or 0)
        known = load_known(settings.get("ARCHIVE_DB"))
        logger.info("incremental: %d archived articles, re-fetched after %s", len(known), recrawl_after)
        return cls(crawler, known, recrawl_after)

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
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)
        request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", ()), 304]
        return request

    def is_due(self, known: Known, lastmod: datetime | None) -> bool:
        """Fetched long enough ago, or changed since, as the sitemap says."""
        last_seen = parse_time(known.last_seen)
        if last_seen is None:
            return True
        return last_seen <= self.due_before or (lastmod is not None and lastmod > last_seen)
