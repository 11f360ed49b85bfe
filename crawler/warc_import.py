"""`archive import`: articles out of WARC and WACZ files, through the crawl's own stages.

Each HTML response record (2xx) is decoded (crawler.payload), analysed as
the crawl analyses a page, in the crawl's worker processes
(crawler.workers.PageAnalyser, `EXTRACT_PROCESSES`), normalized, deduped
and stored by ArchiveWriter, with the record's WARC-Date as `fetched_at`.
Analysis is three quarters of an import's CPU: in a worker it overlaps the
reading, deduplication and store of the pages around it, which stay in
WARC order (a few pages are in the workers at a time).
Other records are skipped before their payload is read. A revisit record
is resolved to the capture it points at (this input or an earlier import)
and counts as that article seen again; one whose target is unknown is
indexed with its pointer. Every HTML or revisit record gets a `captures`
row (file, offset, length, record ID).

Progress is committed with the articles it covers, in one transaction:
`import_files.offset` is the record the next run starts at, so a killed
import resumes where it stopped and a finished file is never read again.
Corrupt stretches and truncated files become `import_errors` rows.
"""
from __future__ import annotations

import json
import re
import time
from collections import deque
from datetime import datetime
from urllib.parse import urlsplit

from fastwarc.warc import WarcRecordType

from crawler.failures import failure_item
from crawler.items import ArticleItem
from crawler.decoding import decide_encoding
from crawler.payload import decode_payload
from crawler.spiders.articles import KEPT_HEADERS
from crawler.warc_read import Broken, End, records
from crawler.warc_sources import sources
from crawler.workers import PageAnalyser
from pipelines import captures
from pipelines.dedupe import DedupePipeline, FingerprintScheme
from pipelines.normalize import NormalizePipeline
from pipelines.store import ArchiveWriter, utc_now

HTML_TYPES = ("text/html", "application/xhtml+xml")
RUN_COUNTS = ("records", "articles", "skipped", "revisits", "failed")


def _wanted(record) -> bool:
    """An HTML response worth reading the payload of (the --match filter comes before this)."""
    return (record.record_type == WarcRecordType.response and record.http_headers is not None
            and 200 <= (record.http_headers.status_code or 0) < 300
            and (record.http_content_type or "").split(";")[0].strip().lower() in HTML_TYPES)


class WarcImport:
    """One `archive import` run over an open archive."""

    def __init__(self, db, profile=None, match: str | None = None, batch_size: int = 200,
                 max_size: int = 32 * 1024 * 1024, scheme: FingerprintScheme | None = None, processes: int = 0):
        self.db = db
        self.profile = profile
        self.match = re.compile(match) if match else None
        self.batch_size = batch_size
        self.max_size = max_size
        scheme = scheme or FingerprintScheme()
        self.stages = (NormalizePipeline(), DedupePipeline(scheme=scheme))
        self.writer = ArchiveWriter(db, batch_size=1 << 62, scheme=scheme)   # flushed by commit() only
        self.counts = dict.fromkeys(RUN_COUNTS, 0)
        self.run_id = None
        self._captures: list[dict] = []    # this batch's capture rows
        self._open: dict | None = None     # the last of them, until the next record gives its length
        self._errors: list[dict] = []
        self._since_commit = 0
        self.analyser = PageAnalyser(processes, profile, scheme)
        self._analysing: deque = deque()   # (analysis future, capture row, URL, page facts), in WARC order
        self._ahead = 4 * max(processes, 1)   # pages in the workers at once: enough to keep them busy

    # -- a run ----------------------------------------------------------------

    def run(self, locations) -> dict:
        """Import every location (path or URL of a .warc, .warc.gz or .wacz); returns the import_runs row."""
        started = time.monotonic()
        with self.db.atomic():   # the caller holds the run lock: a run still "running" was killed
            self.db.execute("UPDATE import_runs SET status = 'interrupted' WHERE status = 'running'")
        self.run_id = self.db["import_runs"].insert({
            "started_at": utc_now(), "status": "running", "sources": json.dumps(list(locations)),
            "site": self.profile.name if self.profile else None,
            "match": self.match.pattern if self.match else None}).last_pk
        status = "finished"
        try:
            for location in locations:
                for source in sources(location):
                    self.import_source(source)
        except BaseException:
            status = "interrupted"
            raise
        finally:
            self.analyser.close()
            with self.db.atomic():
                self.db["import_runs"].update(self.run_id, {
                    "finished_at": utc_now(), "status": status,
                    "duration": round(time.monotonic() - started, 3), **self._run_counts()})
        return self.db["import_runs"].get(self.run_id)

    def import_source(self, source) -> None:
        """One WARC file, from where an earlier run left it; a finished file is not read again."""
        state = next(self.db.query("SELECT offset, status, records FROM import_files WHERE file = ?", [source.name]), None)
        if state and state["status"] in ("done", "truncated"):
            return
        self.file, status, self._file_records = source.name, "done", state["records"] if state else 0
        wanted = _wanted if self.match is None else (lambda r: _wanted(r) and self._matches(r))
        for event in records(source, state["offset"] if state else 0, wanted):
            if isinstance(event, End):
                self._close_capture(event.offset)
                self.commit(event.offset, status)
            elif isinstance(event, Broken):
                self._close_capture(None)   # where the last good record ends is lost in the broken stretch
                status = "truncated" if event.error.startswith("truncated") else status
                self._errors.append({"offset": event.offset, "error": event.error})
                self.counts["failed"] += 1
            else:
                record, payload = event
                self._close_capture(record.stream_pos)
                if self._since_commit >= self.batch_size:
                    self.commit(record.stream_pos, "partial")
                self.take(record, payload)   # may commit up to this record: count it after
                self.counts["records"] += 1
                self._file_records += 1
                self._since_commit += 1

    def _matches(self, record) -> bool:
        return bool(self.match.search(record.headers.get("WARC-Target-URI") or ""))

    # -- one record -------------------------------------------------------------

    def take(self, record, payload: bytes | None) -> None:
        url = record.headers.get("WARC-Target-URI") or ""
        if record.record_type == WarcRecordType.revisit and (self.match is None or self.match.search(url)):
            self._finish_analyses()   # its target may be a page still in the workers
            self.revisit(record, url)
        elif payload is None or not self._on_site(url):
            self.counts["skipped"] += 1
        else:
            self.response(record, url, payload)

    def _on_site(self, url: str) -> bool:
        if self.profile is None:
            return True
        host = urlsplit(url).hostname or ""
        domains = self.profile.allowed_domains
        return (not domains or any(host == d or host.endswith("." + d) for d in domains)) \
            and not self.profile.skips(url)

    def response(self, record, url: str, payload: bytes) -> None:
        """Decoded and handed to the analysis; stored once analysed (`_finish_analysis`), in WARC order."""
        headers = {name.lower(): value for name, value in record.http_headers.items()}
        body = decode_payload(payload, headers.get("transfer-encoding", ""),
                              headers.get("content-encoding", ""), self.max_size)
        fetched_at = captures.iso_date(record.headers.get("WARC-Date"))
        encoding, source = decide_encoding(body, headers.get("content-type"))
        analysis = self.analyser.submit(body.decode(encoding, "replace"), url, datetime.fromisoformat(fetched_at))
        page = {"http_status": record.http_headers.status_code, "encoding": encoding,
                "encoding_source": source, "raw_html": body, "fetched_at": fetched_at,
                "headers": {h: headers[h] for h in KEPT_HEADERS if h in headers}}
        self._analysing.append((analysis, self._capture(record, url, fetched_at, article_url=None), url, page))
        if len(self._analysing) > self._ahead:
            self._finish_analysis(*self._analysing.popleft())

    def _finish_analysis(self, analysis, capture: dict, url: str, page: dict) -> None:
        """Store the analysed page as an article (or a failure), and link its capture row to it."""
        analysed = analysis.result()
        if analysed.kind != "article":
            self.counts["skipped"] += 1
        elif analysed.error or not analysed.item["body_text"]:
            self.writer.add_failure(failure_item(
                url, "extract_error", analysed.error or "an article page without article text"))
            self.counts["failed"] += 1
        else:
            item = ArticleItem(**analysed.item, **page,
                               site=self.profile.name if self.profile else urlsplit(url).netloc)
            for stage in self.stages:
                item = stage.process_item(item)
            self.writer.add_article(item)
            capture["article_url"] = item["url"]
            self.counts["articles"] += 1

    def _finish_analyses(self) -> None:
        while self._analysing:
            self._finish_analysis(*self._analysing.popleft())

    def revisit(self, record, url: str) -> None:
        """Counts as its target article seen again at this record's date; else only indexed."""
        fetched_at = captures.iso_date(record.headers.get("WARC-Date"))
        target = (record.headers.get("WARC-Refers-To"), record.headers.get("WARC-Refers-To-Target-URI") or url,
                  captures.iso_date(record.headers.get("WARC-Refers-To-Date")), record.headers.get("WARC-Payload-Digest"))
        found = self._pending_target(*target)
        if found and found[1]:   # the store writes "seen again" before new articles: commit the article first
            self.commit(record.stream_pos, "partial")
        found = found or captures.referred(self.db.conn, *target)
        refers_to, article_url = found if found else (target[0] or target[1], None)
        if isinstance(article_url, int):   # from the index: the article's id
            row = self.db.execute("SELECT url FROM articles WHERE id = ?", [article_url]).fetchone()
            article_url = row[0] if row else None
        if article_url is not None:
            self.writer.add_not_modified({"url": article_url, "fetched_at": fetched_at})
        self.counts["revisits"] += 1
        self._capture(record, url, fetched_at, article_url=article_url, refers_to=refers_to)

    def _pending_target(self, refers_to, target_url, target_date, digest) -> tuple | None:
        """(record_id, article_url) of the not yet committed capture a revisit points at."""
        for row in reversed(self._captures):
            if row["record_id"] == refers_to or row["url"] == target_url and (
                    row["timestamp"] == target_date or row["digest"] == digest and row["record_type"] == "response"):
                return row["record_id"], row.get("article_url")
        return None

    def _capture(self, record, url: str, timestamp: str, **extra) -> dict:
        self._open = {
            "url": url, "timestamp": timestamp, "record_type": record.headers.get("WARC-Type"),
            "status": record.http_headers.status_code if record.http_headers else None,
            "mime": record.http_content_type, "digest": record.headers.get("WARC-Payload-Digest"),
            "file": self.file, "offset": record.stream_pos, "record_id": record.record_id,
            "source": "import", "import_run_id": self.run_id, **extra}
        self._captures.append(self._open)
        return self._open

    def _close_capture(self, offset: int | None) -> None:
        """The last capture row's record ends where the next one starts (None: unknown)."""
        if self._open is not None:
            self._open["length"] = None if offset is None else offset - self._open["offset"]
            self._open = None

    # -- commits -----------------------------------------------------------------

    def commit(self, offset: int, status: str) -> None:
        """Articles, captures, errors and the resume point of this file in one transaction."""
        self._finish_analyses()   # every record before `offset` is stored with it
        with self.db.atomic():
            self.writer.flush()
            captures.write(self.db.conn, self._captures)
            self.db["import_errors"].insert_all(
                {**e, "import_run_id": self.run_id, "file": self.file, "failed_at": utc_now()} for e in self._errors)
            self.db["import_files"].upsert({
                "file": self.file, "import_run_id": self.run_id, "offset": offset, "status": status,
                "records": self._file_records, "updated_at": utc_now(),
                "error": self._errors[-1]["error"] if self._errors else None}, pk="file")
            self.db["import_runs"].update(self.run_id, self._run_counts())
        self._captures, self._errors, self._since_commit = [], [], 0

    def _run_counts(self) -> dict:
        return {**self.counts, **{k: self.writer.counts[k] for k in ("new", "changed", "unchanged")}}
