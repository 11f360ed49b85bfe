"""Every response of a crawl kept verbatim, as WARC records beside the archive, indexed in `captures`.

`WarcCaptureMiddleware` sits nearest the downloader, so it sees each
response before anything else touches it: articles, listings, robots.txt,
sitemaps, redirects, errors and 304s, retries included, body still
content-encoded (gzip, br) as the server sent it, with every header
(Twisted has already removed chunk framing; the `Transfer-Encoding` header
stays). Records go gzip-compressed, one member each, into
`ARCHIVE_WARC_DIR` (default: `ARCHIVE-warc/` beside the archive), a new
file once one passes `ARCHIVE_WARC_MAX_SIZE`. Their index rows are written
in batches; a row is linked to its article once the store has written it,
which it does in batches of its own: a page's row is looked for in the next
few index batches, then once more when the crawl ends (listing pages never
become articles, and asking after each of them at every batch made the
cost of a crawl grow with the square of its length).

Files rather than blobs in the archive: the archive stays small enough to
copy and serve, the files are what replay tools read and what `archive
export --wacz` copies record by record, and building (digests), compressing
and appending records run in a thread of their own, off the reactor's
(what the whole costs: benchmarks/crawl_bench.py --warc). Blobs in SQLite
were not measured.
"""
from __future__ import annotations

import io
import os
import sqlite3
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Callable

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines import captures
from pipelines.normalize import normalize_url

LINK_BATCHES = 5   # index batches a page's capture waits for its article before the end of the crawl


def warc_dir(db: str | Path, setting: str | None = None) -> Path:
    """Where a crawl of `db` writes its WARC files: the setting, else DB-warc/ beside the archive."""
    return Path(setting) if setting else Path(db).with_name(Path(db).stem + "-warc")


class WarcFiles:
    """Builds WARC records and appends them gzip-per-record to size-rotated files, in a thread: the
    digests and zlib let go of the GIL, and the crawl's own thread only hands over what it received."""

    def __init__(self, folder: Path, prefix: str, max_size: int, level: int = 6):
        self.folder, self.prefix, self.max_size, self.level = folder, prefix, max_size, level
        self.fh, self.path, self.serial = None, None, 0
        self.builder = WARCWriter(None)     # only builds records (headers, digests); _append writes them
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="warc")   # one: records stay in order

    def write(self, build: Callable[[WARCWriter], object]) -> Future:
        """A future of (WARC headers, file, offset, length) of the record `build(writer)` makes, once written."""
        return self.thread.submit(self._append, build)

    def _append(self, build) -> tuple[StatusAndHeaders, Path, int, int]:
        record = build(self.builder)
        block = io.BytesIO()
        WARCWriter(block, gzip=False).write_record(record)
        if self.fh is None or self.fh.tell() >= self.max_size:
            self._rotate()
        packer = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        member = packer.compress(block.getvalue()) + packer.flush()
        offset = self.fh.tell()
        self.fh.write(member)
        return record.rec_headers, self.path, offset, len(member)

    def _rotate(self) -> None:
        if self.fh is not None:
            self.fh.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.path = self.folder / f"{self.prefix}-{self.serial:05d}.warc.gz"
        self.fh = self.path.open("ab")

    def flush(self) -> None:
        """Wait for what was handed over, and hand the bytes to the OS."""
        self.thread.submit(lambda: self.fh and self.fh.flush()).result()

    def close(self) -> None:
        self.flush()
        self.thread.shutdown()
        if self.fh is not None:
            self.fh.close()
            self.fh = None


class WarcCaptureMiddleware:
    """Downloader middleware: each response as a WARC response record plus a `captures` row."""

    def __init__(self, crawler, db: str, folder: Path, max_size: int, batch_size: int):
        self.crawler, self.db_path, self.folder, self.batch_size = crawler, db, folder, batch_size
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self.files = WarcFiles(folder, f"crawl-{stamp}-{os.getpid()}", max_size)
        self.rows: list[dict] = []
        # record id -> normalized URL of a 200 HTML page, until linked: one dict per index batch, newest
        # last, for LINK_BATCHES batches; then `late`, tried once more at the end
        self.unlinked: deque[dict[str, str]] = deque()
        self.late: dict[str, str] = {}
        self.conn: sqlite3.Connection | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_WARC") or not settings.get("ARCHIVE_DB"):
            raise NotConfigured("ARCHIVE_WARC is off")
        db = settings.get("ARCHIVE_DB")
        middleware = cls(crawler, db, warc_dir(db, settings.get("ARCHIVE_WARC_DIR")),
                         settings.getint("ARCHIVE_WARC_MAX_SIZE"), settings.getint("ARCHIVE_BATCH_SIZE", 200))
        crawler.signals.connect(middleware.engine_stopped, signal=signals.engine_stopped)
        return middleware

    def process_response(self, request, response, spider=None):
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:   # a status Python has no name for
            reason = ""
        # the headers are copied here: a later middleware may change the response's in place
        headers = [(name.decode("latin-1"), value.decode("latin-1"))
                   for name, values in response.headers.items() for value in values]
        status_line, protocol = f"{response.status} {reason}".strip(), response.protocol or "HTTP/1.1"
        url, body = response.url, response.body
        received = {"WARC-Date": self.files.builder.curr_warc_date()}   # now, not when the thread gets to it
        written = self.files.write(lambda builder: builder.create_warc_record(
            url, "response", payload=io.BytesIO(body), warc_headers_dict=received,
            http_headers=StatusAndHeaders(status_line, headers, protocol=protocol)))
        page = response.status == 200 and b"html" in response.headers.get("Content-Type", b"")
        self.rows.append({
            "url": url, "status": response.status, "record_type": "response", "source": "crawl",
            "mime": response.headers.get("Content-Type", b"").decode("latin-1") or None,
            "page_url": normalize_url(url) if page else None, "written": written})
        if len(self.rows) >= self.batch_size:
            self.write_index()
        return response

    def write_index(self, last: bool = False) -> None:
        """The buffered rows, and links from earlier rows to the articles the store has written since
        (`last`: from every row still unlinked)."""
        self.files.flush()   # the bytes are in the file before the index points at them
        if self.conn is None:
            self.conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        run_id = self.crawler.stats.get_value("archive/run_id")
        rows, pages = [], {}
        for row in self.rows:
            h, path, offset, length = row.pop("written").result()
            page_url = row.pop("page_url")
            if page_url:
                pages[h.get_header("WARC-Record-ID")] = page_url
            rows.append({**row, "timestamp": captures.iso_date(h.get_header("WARC-Date")),
                         "digest": h.get_header("WARC-Payload-Digest"), "record_id": h.get_header("WARC-Record-ID"),
                         "file": os.path.relpath(path, Path(self.db_path).parent),
                         "offset": offset, "length": length, "run_id": run_id})
        self.unlinked.append(pages)
        waiting = [*self.unlinked, self.late] if last else self.unlinked
        with self.conn:
            self.conn.execute("BEGIN")
            captures.write(self.conn, rows)
            linked = captures.link(self.conn, {k: v for batch in waiting for k, v in batch.items()})
        self.rows = []
        for record_id in linked:
            for batch in waiting:
                batch.pop(record_id, None)
        while len(self.unlinked) > LINK_BATCHES:
            self.late.update(self.unlinked.popleft())

    def engine_stopped(self) -> None:
        """After the store's last write: index the rest, link what can be linked, close the files."""
        self.write_index(last=True)
        self.files.close()
        self.conn.close()
