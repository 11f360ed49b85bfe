"""Write items into the archive: the only code that writes SQLite.

`ArchiveWriter` is plain Python (dicts in, rows out) so tests and a future
stand-alone writer process (scrapy-redis workers feeding one writer) can use
it without Scrapy; `StorePipeline` only wires it to a crawl's lifecycle.

Items are buffered and written `batch_size` at a time, one transaction per
batch, an article together with its breadcrumbs, related links and raw page:
a crash (even kill -9) loses at most the unwritten batch, never half an
article. The crawl_runs row is updated in the same transaction, so after a
crash it still shows how far the run got (status stays "running").
"""
from __future__ import annotations

import json
import logging
import time
import zlib
from contextlib import ExitStack
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

import sqlite_utils
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import FailureItem, ListingItem, NotModifiedItem
from crawler.runlock import run_lock
from pipelines import search
from pipelines.sitewide import SiteWideLinks
from pipelines.clusters import Clusters, stale_clusters
from pipelines.dedupe import FingerprintScheme
from pipelines.inserts import insert
from pipelines.normalize import normalize_url
from pipelines.rawpages import RawPages
from pipelines.revisions import KEPT_COLUMNS, revision_row
from pipelines.schema import open_archive
from pipelines.snippets import snippet_mismatch

logger = logging.getLogger(__name__)

# Item fields copied as they are into `articles` columns.
ARTICLE_COLUMNS = (
    "url", "canonical_url", "site", "title", "section", "published_at",
    "date_source", "author", "language", "body_text", "body_html",
    "body_markdown", "content_hash",
)

# Extracted columns outside content_hash (which covers title and body_text):
# when only these differ the content stands, but the row is brought up to date.
REFRESHED_COLUMNS = (
    "canonical_url", "section", "published_at", "date_source", "author", "language",
    "body_html", "body_markdown",
)

# Settings recorded in crawl_runs.settings: what makes two runs comparable.
RUN_SETTINGS = (
    "ARCHIVE_DB", "ARCHIVE_BATCH_SIZE", "ARCHIVE_SITE_PROFILE", "USER_AGENT",
    "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "AUTOTHROTTLE_ENABLED",
    "AUTOTHROTTLE_TARGET_CONCURRENCY", "RETRY_TIMES", "DEPTH_LIMIT",
    "CLOSESPIDER_PAGECOUNT", "CLOSESPIDER_TIMEOUT", "CLOSESPIDER_ITEMCOUNT",
    "JOBDIR", "DEDUPE_THRESHOLD", "DEDUPE_SHINGLE_SIZE", "DEDUPE_NUM_PERM", "DEDUPE_MIN_SHINGLES",
    "ARCHIVE_INCREMENTAL", "ARCHIVE_RECRAWL_AFTER", "LOG_FILE",
)

# crawl_runs columns counting what this run wrote.
COUNTS = ("new", "changed", "unchanged", "not_modified", "gone", "failed", "listings")

# An archived article answering one of these is gone (kept, marked), not a failure.
GONE_STATUSES = (404, 410)

# Upsert of a failure: counts repeats, keeps when it first failed.
_UPSERT_FAILURE = """
INSERT INTO failures (url, reason, http_status, error, bytes, attempts, seconds,
                      times_failed, first_failed, last_failed, run_id)
VALUES (:url, :reason, :http_status, :error, :bytes, :attempts, :seconds,
        1, :failed_at, :failed_at, :run_id)
ON CONFLICT(url) DO UPDATE SET
    reason = excluded.reason, http_status = excluded.http_status,
    error = excluded.error, bytes = excluded.bytes, attempts = excluded.attempts,
    seconds = excluded.seconds,
    last_failed = excluded.last_failed, run_id = excluded.run_id,
    times_failed = failures.times_failed + 1
"""

# Related links to this URL: waiting for it to be archived, or to be rechecked after it changed.
_LINKS_TO = "SELECT url, article_id, position, snippet FROM related_links WHERE url IN ({})"
_RESOLVE_LINK = ("UPDATE related_links SET target_id = ?, snippet_mismatch = ? "
                 "WHERE article_id = ? AND position = ?")

# Upsert of a page judged not an article: keeps when it was first seen so.
_UPSERT_LISTING = """
INSERT INTO listings (url, kind, why, links, first_seen, last_seen, run_id)
VALUES (:url, :kind, :why, :links, :fetched_at, :fetched_at, :run_id)
ON CONFLICT(url) DO UPDATE SET
    kind = excluded.kind, why = excluded.why, links = excluded.links,
    last_seen = excluded.last_seen, run_id = excluded.run_id
"""

# A 304, or the same content fetched again, confirms the archived article: it was seen, nothing else moves.
_SEEN_AGAIN = """
UPDATE articles SET last_seen = :fetched_at, run_id = :run_id, status = 'ok', gone_at = NULL
WHERE url = :url
"""

# The date it went stays the first one while it stays gone.
_MARK_GONE = """
UPDATE articles SET status = 'gone', gone_at = coalesce(gone_at, :failed_at) WHERE url = :url
"""

# Keeps each IN (...) list well under SQLite's bound-variable limit.
_IN_CHUNK = 500


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def close_interrupted_runs(db: sqlite_utils.Database) -> int:
    """Mark runs still `running` as `interrupted`; only for a caller that holds the run lock."""
    with db.atomic():
        return db.execute("UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running'").rowcount


class ArchiveWriter:
    """Buffers article, listing and failure dicts and writes them in batches.

    Articles are upserted by `url`: new (inserted), unchanged (same
    content_hash: only last_seen/run_id move), changed (the old content goes
    to `revisions`; columns, crumbs, related links and raw page replaced).
    A 304 only moves last_seen; a 404/410 on an archived URL marks it gone.
    A page judged not an article is upserted into `listings`; a URL ends
    in one place: archiving it removes its listings and failures rows,
    listing it removes its failures row.
    Within one batch a later article for the same URL replaces an earlier
    one, and a URL archived in a batch loses its failures row even if it
    also failed in that batch. Re-extracted articles (`archive reparse`)
    write only when an extracted column differs, and never move last_seen;
    when only REFRESHED_COLUMNS differ (a better date, author, section) the
    row is updated in place, counted as `refreshed`, no revision kept.
    Each new or changed article joins its cluster of copies (see
    `pipelines/clusters.py`) in the same transaction. A URL that redirected
    to an archived article is remembered in `redirects`. A related block
    made of links learned as site-wide is not written, and each finished
    run teaches what it shows (see `pipelines/sitewide.py`).
    """

    def __init__(self, db: sqlite_utils.Database, batch_size: int = 200,
                 scheme: FingerprintScheme | None = None, profiled_related: Iterable[str] = ()):
        """`profiled_related`: sites whose profile chooses the related block (never second-guessed)."""
        self.db = db
        self.batch_size = max(1, int(batch_size))
        self.scheme = scheme or FingerprintScheme()
        self.clusters = Clusters(db, self.scheme)
        self.sitewide = SiteWideLinks(db, exempt=profiled_related)
        self.raw_pages = RawPages(db)
        self.run_id: int | None = None
        self.counts = dict.fromkeys(COUNTS, 0)
        self.refreshed = 0   # re-extracted articles brought up to date in place (not a crawl_runs count)
        self._articles: dict[str, dict] = {}
        self._failures: list[dict] = []
        self._not_modified: dict[str, str] = {}   # url -> when the 304 came
        self._listings: dict[str, dict] = {}
        self._redirects: dict[str, tuple[str, str]] = {}   # url -> (the URL it led to, when)
        self._started = time.monotonic()

    # -- run lifecycle ----------------------------------------------------

    def start_run(self, *, site: str | None = None, start_urls: Iterable[str] = (),
                  settings: Mapping | None = None) -> int:
        """Insert this run's crawl_runs row; later rows record its id."""
        self._started = time.monotonic()
        self.run_id = self.db["crawl_runs"].insert({
            "started_at": utc_now(), "status": "running", "site": site,
            "start_urls": json.dumps(list(start_urls), ensure_ascii=False),
            "settings": json.dumps(dict(settings or {}), ensure_ascii=False, default=str),
            **self.counts,
        }).last_pk
        return self.run_id

    def finish_run(self, status: str, fetched: int | None = None, skipped: int | None = None) -> None:
        """Write what is buffered, learn the site-wide lists the run shows, then close the crawl_runs row."""
        self.flush()
        with self.db.atomic():
            self.sitewide.learn(self.run_id, utc_now())
        self.db["crawl_runs"].update(self.run_id, {
            "finished_at": utc_now(), "status": status, "fetched": fetched, "skipped": skipped,
            "duration": round(time.monotonic() - self._started, 3), **self.counts,
        })

    # -- buffering --------------------------------------------------------

    def add_article(self, item: Mapping, *, reextracted: bool = False) -> None:
        """Queue an ArticleItem-shaped mapping (see crawler/items.py); `reextracted`:
        from stored raw HTML, not from a fetch."""
        pending = _pending_article(item, self.run_id, reextracted)
        if pending["fingerprint"] is _MISSING:  # not through DedupePipeline (tests, tools)
            pending["fingerprint"] = self.scheme.signature(pending["row"]["body_text"])
        self._articles[item["url"]] = pending
        for url in item.get("redirected_from") or ():
            self.add_redirect(url, item["url"], pending["raw"]["fetched_at"])
        self._flush_when_full()

    def add_redirect(self, url: str, target: str, seen_at: str | None = None) -> None:
        """Remember that `url` redirected to `target`: a `redirects` row once `target` is archived
        (in this batch or a later one of the run; forgotten at the end of the run if never)."""
        url, target = normalize_url(url), normalize_url(target)
        if url != target:
            self._redirects[url] = (target, seen_at or utc_now())

    def add_not_modified(self, item: Mapping) -> None:
        """Queue a NotModifiedItem-shaped mapping: the archived content still stands."""
        self._not_modified[item["url"]] = item.get("fetched_at") or utc_now()
        self._flush_when_full()

    def add_listing(self, item: Mapping) -> None:
        """Queue a ListingItem-shaped mapping: a fetched page followed, not archived."""
        self._listings[item["url"]] = {
            "url": item["url"], "kind": item.get("kind") or "listing", "why": item.get("why"),
            "links": item.get("links"), "fetched_at": item.get("fetched_at") or utc_now(),
        }
        self._flush_when_full()

    def add_failure(self, item: Mapping) -> None:
        """Queue a FailureItem-shaped mapping."""
        self._failures.append({
            "url": item["url"], "reason": item.get("reason"),
            "http_status": item.get("http_status"), "error": item.get("error"),
            "bytes": item.get("bytes"), "attempts": item.get("attempts"), "seconds": item.get("seconds"),
            "failed_at": item.get("failed_at") or utc_now(),
        })
        self._flush_when_full()

    def _flush_when_full(self) -> None:
        if len(self._articles) + len(self._failures) + len(self._not_modified) + len(self._listings) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffer in one transaction (a no-op when it is empty)."""
        articles, failures, not_modified = list(self._articles.values()), self._failures, self._not_modified
        listings = list(self._listings.values())
        self._articles, self._failures, self._not_modified, self._listings = {}, [], {}, {}
        if not articles and not failures and not not_modified and not listings and not self._redirects:
            return
        with self.db.atomic():
            written = self._write_failures(failures)
            written["listings"] = self._write_listings(listings)
            written.update(self._write_articles(articles))
            # after the articles: a 304 may confirm one this very batch inserts
            written["not_modified"] = self.db.conn.executemany(_SEEN_AGAIN, [
                {"url": url, "fetched_at": at, "run_id": self.run_id} for url, at in not_modified.items()]).rowcount
            self._write_redirects()
            counts = {name: self.counts[name] + written.get(name, 0) for name in COUNTS}
            if self.run_id is not None:
                self.db["crawl_runs"].update(self.run_id, counts)
        self.counts = counts
        self.refreshed += written.get("refreshed", 0)

    # -- writing (inside the batch transaction) ---------------------------

    def _write_failures(self, failures: list[dict]) -> dict[str, int]:
        """Archived articles answering 404/410 are marked gone; the rest go to `failures`."""
        archived = {url for url, in self._select_in(
            "SELECT url FROM articles WHERE url IN ({})",
            [f["url"] for f in failures if f["http_status"] in GONE_STATUSES])}
        gone = [f for f in failures if f["url"] in archived]
        failed = [{**f, "run_id": self.run_id} for f in failures if f["url"] not in archived]
        self.db.conn.executemany(_MARK_GONE, gone)
        self.db.conn.executemany(_UPSERT_FAILURE, failed)
        return {"gone": len(gone), "failed": len(failed)}

    def _write_listings(self, listings: list[dict]) -> int:
        """Pages followed, not archived: upserted with why, their failures rows gone."""
        self.db.conn.executemany(_UPSERT_LISTING, [{**row, "run_id": self.run_id} for row in listings])
        self.db.conn.executemany("DELETE FROM failures WHERE url = ?", [(row["url"],) for row in listings])
        return len(listings)

    def _write_articles(self, articles: list[dict]) -> dict[str, int]:
        """Upsert one batch of articles; returns how many were new/changed/unchanged."""
        urls = [a["row"]["url"] for a in articles]
        known = {url: (id_, h, rest) for url, id_, h, *rest in self._select_in(
            f"SELECT url, id, content_hash, {', '.join(REFRESHED_COLUMNS)} FROM articles WHERE url IN ({{}})", urls)}
        new, changed, unchanged, refreshed = [], [], [], []
        for article in articles:
            prior = known.get(article["row"]["url"])
            if prior is None:
                new.append(article)
            elif prior[1] != article["row"]["content_hash"]:
                changed.append((prior[0], article))
            elif article["reextracted"] and list(prior[2]) != [article["row"][c] for c in REFRESHED_COLUMNS]:
                refreshed.append((prior[0], article))
            else:
                unchanged.append((prior[0], article))
        new = [a for a in new if not a["reextracted"]]   # a reparse only revisits archived rows
        insert(self.db.conn, "articles", [{**a["row"], "first_seen": a["row"]["last_seen"]} for a in new])
        new_ids = dict(self._select_in("SELECT url, id FROM articles WHERE url IN ({})",
                                       [a["row"]["url"] for a in new]))
        replaced = self._current_content([id_ for id_, _ in changed])
        self._keep_revisions(changed, replaced)
        self.db["articles"].upsert_all([{**a["row"], "id": id_} for id_, a in changed], pk="id")
        self.db.conn.executemany(_SEEN_AGAIN, [
            {"url": a["row"]["url"], "fetched_at": a["row"]["last_seen"], "run_id": self.run_id}
            for _, a in unchanged if not a["reextracted"]])
        self._refresh([(id_, known[a["row"]["url"]][2], a["row"]) for id_, a in unchanged + refreshed])
        written = [(new_ids[a["row"]["url"]], a) for a in new] + changed
        self._replace_children(written, clear=[id_ for id_, _ in changed])
        for id_, _ in changed:
            self.clusters.leave(id_)
        for id_, a in written:
            self.clusters.place(id_, a["row"]["content_hash"], a["fingerprint"])
        self._resolve_links_to(written)
        search.index_articles(self.db.conn, [(id_, a["row"]) for id_, a in written], replaced,
                              {id_: a["search_index"] for id_, a in written})
        for table in ("failures", "listings"):
            self.db.conn.executemany(f"DELETE FROM {table} WHERE url = ?", [(url,) for url in urls])
        return {"new": len(new), "changed": len(changed), "unchanged": len(unchanged), "refreshed": len(refreshed)}

    def _refresh(self, rows: list[tuple[int, tuple, dict]]) -> None:
        """Write the REFRESHED_COLUMNS that differ from the stored ones (id, stored values, new row):
        an unchanged article's markup, most of its bytes, is not rewritten on every fetch."""
        for id_, stored, row in rows:
            differ = [c for c, old in zip(REFRESHED_COLUMNS, stored) if old != row[c]]
            if differ:
                self.db.conn.execute(f"UPDATE articles SET {', '.join(f'{c} = ?' for c in differ)} WHERE id = ?",
                                     [row[c] for c in differ] + [id_])

    def _write_redirects(self) -> None:
        """The buffered redirects whose target is archived; the others wait for a later batch."""
        ids = dict(self._select_in("SELECT url, id FROM articles WHERE url IN ({})",
                                   list({target for target, _ in self._redirects.values()})))
        self.db["redirects"].upsert_all([{"url": url, "article_id": ids[target], "last_seen": at}
                                         for url, (target, at) in self._redirects.items() if target in ids], pk="url")
        self._redirects = {url: v for url, v in self._redirects.items() if v[0] not in ids}

    def _current_content(self, ids: list[int]) -> dict[int, dict]:
        """The content (KEPT_COLUMNS) these articles have until the upsert overwrites it:
        what their revisions keep and what the search index forgets."""
        return {row[0]: dict(zip(KEPT_COLUMNS, row[1:])) for row in self._select_in(
            f"SELECT id, {', '.join(KEPT_COLUMNS)} FROM articles WHERE id IN ({{}})", ids)}

    def _keep_revisions(self, changed: list[tuple[int, dict]], old: dict[int, dict]) -> None:
        """Revisions of the `changed` articles from their `old` content."""
        self.db["revisions"].insert_all(
            revision_row(id_, old[id_], a["row"], replaced_at=a["row"]["last_changed"],
                         cause="reparse" if a["reextracted"] else "fetch", run_id=self.run_id)
            for id_, a in changed)

    def _replace_children(self, written: list[tuple[int, dict]], clear: list[int]) -> None:
        """Breadcrumbs, related links, parts and raw page of the articles just written."""
        for table in ("breadcrumbs", "related_links", "article_parts"):
            self.db.conn.executemany(f"DELETE FROM {table} WHERE article_id = ?", [(i,) for i in clear])
        targets = {url: (id_, body) for url, id_, body in self._select_in(
            "SELECT url, id, body_text FROM articles WHERE url IN ({})",
            list({link["url"] for _, a in written for link in a["related"] if link["url"]}))}
        insert(self.db.conn, "breadcrumbs", [
            {"article_id": id_, "position": pos, **crumb}
            for id_, a in written for pos, crumb in enumerate(a["breadcrumbs"])])
        insert(self.db.conn, "related_links", [
            {"article_id": id_, "position": pos, **link, **_link_target(link, targets.get(link["url"]))}
            for id_, a in written for pos, link in enumerate(self.sitewide.keep(a["row"]["site"], a["related"]))])
        insert(self.db.conn, "article_parts", [
            {"article_id": id_, "part": number, **part}
            for id_, a in written for number, part in enumerate(a["parts"], start=1)])
        self.raw_pages.write((id_, a["row"]["site"], a["raw"]) for id_, a in written if not a["reextracted"])

    def _resolve_links_to(self, written: list[tuple[int, dict]]) -> None:
        """Point the links waiting for these articles at them, and check their snippets against their bodies."""
        articles = {a["row"]["url"]: (id_, a["row"]["body_text"]) for id_, a in written}
        self.db.conn.executemany(_RESOLVE_LINK, [
            (articles[url][0], snippet_mismatch(snippet, articles[url][1]), article_id, position)
            for url, article_id, position, snippet in self._select_in(_LINKS_TO, list(articles))])

    # -- maintenance (the `archive dedupe` command) --------------------------

    def recluster(self, rebuild: bool = False, chunk: int = 500) -> dict[str, int]:
        """Fingerprint and cluster every article that has no fingerprint yet,
        `chunk` articles per transaction, reading bodies from the archive (no
        network). `rebuild` first forgets every fingerprint and cluster, as
        after a change of threshold or shingling."""
        if rebuild:
            with self.db.atomic():
                self.clusters.forget_all()
        placed, last_id = 0, 0
        while True:
            batch = self.db.execute(
                """SELECT id, content_hash, body_text FROM articles AS a
                   WHERE id > ? AND NOT EXISTS (SELECT 1 FROM fingerprints AS f WHERE f.article_id = a.id)
                   ORDER BY id LIMIT ?""", [last_id, chunk]).fetchall()
            if not batch:
                break
            with self.db.atomic():
                for id_, content_hash_, body_text in batch:
                    self.clusters.place(id_, content_hash_, self.scheme.signature(body_text))
            placed += len(batch)
            last_id = batch[-1][0]
        clustered = self.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
        return {"fingerprinted": placed, "copies": clustered}

    def _select_in(self, sql: str, values: list) -> list[tuple]:
        rows = []
        for start in range(0, len(values), _IN_CHUNK):
            chunk = values[start:start + _IN_CHUNK]
            rows += self.db.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
        return rows


_MISSING = object()


def _link_target(link: Mapping, target: tuple[int, str | None] | None) -> dict:
    """target_id and snippet_mismatch of a related link whose target may already be archived."""
    if target is None:
        return {"target_id": None, "snippet_mismatch": None}
    return {"target_id": target[0], "snippet_mismatch": snippet_mismatch(link["snippet"], target[1])}


def _pending_article(item: Mapping, run_id: int | None, reextracted: bool = False) -> dict:
    """Rows of one article, built when it arrives (the raw page is compressed when written,
    with its site's dictionary as it then stands).

    A re-extracted article was not fetched: its row leaves last_seen,
    run_id and the raw page alone, and dates a content change now.
    """
    fetched_at = item.get("fetched_at") or utc_now()
    raw_html = None if reextracted else item.get("raw_html")
    if isinstance(raw_html, str):
        raw_html = raw_html.encode("utf-8")
    seen = ({"last_changed": utc_now()} if reextracted else
            {"last_seen": fetched_at, "last_changed": fetched_at, "run_id": run_id})
    return {
        "reextracted": reextracted,
        "row": {**{c: item.get(c) for c in ARTICLE_COLUMNS}, "status": "ok", "gone_at": None, **seen},
        "fingerprint": item["fingerprint"] if "fingerprint" in item else _MISSING,
        "search_index": item.get("search_index"),
        "breadcrumbs": [{"name": c.get("name"), "url": c.get("url")} for c in item.get("breadcrumbs") or ()],
        "related": [{"title": r.get("title"), "url": r.get("url"), "snippet": r.get("snippet")}
                    for r in item.get("related") or ()],
        "parts": [_part_row(p) for p in item.get("parts") or ()],
        "raw": {
            "fetched_at": fetched_at, "http_status": item.get("http_status"),
            "encoding": item.get("encoding"), "encoding_source": item.get("encoding_source"),
            "headers": json.dumps(item.get("headers") or {}, ensure_ascii=False, default=str),
            "html": raw_html,
        },
    }


def _part_row(part: Mapping) -> dict:
    """An article_parts row; a part's bytes compressed, or as stored already (a reparse)."""
    raw = part.get("raw_html")
    return {**{c: part.get(c) for c in ("url", "status", "http_status", "error", "encoding")},
            "html_zlib": zlib.compress(raw) if raw is not None else part.get("html_zlib")}


class StorePipeline:
    """Feeds items to an ArchiveWriter over one crawl.

    Holds the archive's run lock from start to finish, so `scrapy crawl
    articles` meets other runs as `archive crawl` does (which holds it
    already: taken again at no cost); a busy archive stops it at start.
    Scrapy 2.19 calls close_spider() without the close reason, so the run
    row is finished from the spider_closed signal, which carries it and
    fires after the pipelines have closed (stats are still readable).
    """

    def __init__(self, crawler, path: str, batch_size: int, run_settings: dict,
                 scheme: FingerprintScheme | None = None):
        self.crawler = crawler
        self.path = path
        self.batch_size = batch_size
        self.run_settings = run_settings
        self.scheme = scheme
        self.writer: ArchiveWriter | None = None
        self.lock = ExitStack()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        path = settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is not set")
        pipeline = cls(crawler, path, settings.getint("ARCHIVE_BATCH_SIZE", 200),
                       {name: settings.get(name) for name in RUN_SETTINGS},
                       FingerprintScheme.from_settings(settings))
        pipeline.lock.enter_context(run_lock(path))   # ArchiveBusy: another run has the archive
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def open_spider(self):
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        self.writer = ArchiveWriter(open_archive(self.path), self.batch_size, self.scheme,
                                    profiled_related=[profile.name] if profile and "related" in profile.selectors else ())
        stale = stale_clusters(self.writer.db, self.writer.scheme, self.run_settings)
        if stale:
            logger.warning("near-duplicate settings changed (%s): run `archive dedupe --rebuild` so every "
                           "fingerprint and cluster follows them", "; ".join(stale))
        self.writer.start_run(site=getattr(spider, "site", None),
                              start_urls=getattr(spider, "start_urls", ()),
                              settings=self.run_settings)
        self.crawler.stats.set_value("archive/run_id", self.writer.run_id)

    def process_item(self, item):
        if isinstance(item, FailureItem):
            self.writer.add_failure(ItemAdapter(item))
        elif isinstance(item, NotModifiedItem):
            self.writer.add_not_modified(ItemAdapter(item))
        elif isinstance(item, ListingItem):
            self.writer.add_listing(ItemAdapter(item))
        else:
            self.writer.add_article(ItemAdapter(item))
        return item

    def request_dropped(self, request, spider):
        """A redirect to a page this run already asked for (the dupefilter drops it): the link
        still leads to that page, and the next run should know without following it."""
        if self.writer is not None:
            for url in request.meta.get("redirect_urls", ()):
                self.writer.add_redirect(url, request.url)

    def close_spider(self):
        self.writer.flush()

    def spider_closed(self, spider, reason):
        if self.writer is None:
            self.lock.close()
            return
        stats = self.crawler.stats
        self.writer.finish_run(reason, fetched=stats.get_value("response_received_count", 0),
                               skipped=stats.get_value("incremental/skipped", 0))
        self.writer.db.close()
        self.writer = None
        self.lock.close()
