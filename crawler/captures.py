"""Every response of a crawl kept verbatim, as WARC records beside the archive, indexed in `captures`.

`WarcCaptureMiddleware` sits nearest the downloader, so it sees each
response before anything else touches it: articles, listings, robots.txt,
sitemaps, redirects, errors and 304s, retries included, body still
content-encoded (gzip, br) as the server sent it, with every header
(Twisted has already removed chunk framing; the `Transfer-Encoding` header
stays). Records go gzip-compressed, one member each, into
`ARCHIVE_WARC_DIR` (default: `ARCHIVE-warc/` beside the archive), a new
file once one passes `ARCHIVE_WARC_MAX_SIZE`. Their index rows are written
in batches; a row is linked to its article once the store has written it.

Files rather than blobs in the archive: the archive stays small enough to
copy and serve, the files are what replay tools read and what `archive
export --wacz` copies record by record, and compressing and appending run
in a thread of their own, off the crawl's (what the whole costs:
benchmarks/crawl_bench.py --warc). Blobs in SQLite were not measured.
"""
from __future__ import annotations

import io
import os
import sqlite3
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines import captures
from pipelines.normalize import normalize_url


def warc_dir(db: str | Path, setting: str | None = None) -> Path:
    """Where a crawl of `db` writes its WARC files: the setting, else DB-warc/ beside the archive."""
    return Path(setting) if setting else Path(db).with_name(Path(db).stem + "-warc")


class WarcFiles:
    """Appends gzip-per-record WARC records to size-rotated files, compressing and writing in a thread
    (zlib lets go of the GIL: the crawl's own thread only serializes)."""

    def __init__(self, folder: Path, prefix: str, max_size: int, level: int = 6):
        self.folder, self.prefix, self.max_size, self.level = folder, prefix, max_size, level
        self.fh, self.path, self.serial = None, None, 0
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="warc")   # one: records stay in order

    def write(self, record) -> Future:
        """A future of (file, offset, length) of the record once written."""
        block = io.BytesIO()
        WARCWriter(block, gzip=False).write_record(record)
        return self.thread.submit(self._append, block.getvalue())

    def _append(self, block: bytes) -> tuple[Path, int, int]:
        if self.fh is None or self.fh.tell() >= self.max_size:
            self._rotate()
        packer = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        member = packer.compress(block) + packer.flush()
        offset = self.fh.tell()
        self.fh.write(member)
        return self.path, offset, len(member)

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
        self.writer = WARCWriter(None)     # only builds records (headers, digests); WarcFiles writes them
        self.rows: list[dict] = []
        self.unlinked: dict[str, str] = {}  # record id -> normalized URL of a 200 HTML page, until linked
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
        headers = [(name.decode("latin-1"), value.decode("latin-1"))
                   for name, values in response.headers.items() for value in values]
        record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(response.body),
            http_headers=StatusAndHeaders(f"{response.status} {reason}".strip(), headers,
                                          protocol=response.protocol or "HTTP/1.1"))
        written = self.files.write(record)
        h = record.rec_headers
        record_id = h.get_header("WARC-Record-ID")
        self.rows.append({
            "url": response.url, "timestamp": captures.iso_date(h.get_header("WARC-Date")),
            "status": response.status, "mime": response.headers.get("Content-Type", b"").decode("latin-1") or None,
            "digest": h.get_header("WARC-Payload-Digest"), "record_id": record_id, "record_type": "response",
            "source": "crawl", "written": written})
        if response.status == 200 and b"html" in response.headers.get("Content-Type", b""):
            self.unlinked[record_id] = normalize_url(response.url)
        if len(self.rows) >= self.batch_size:
            self.write_index()
        return response

    def write_index(self) -> None:
        """The buffered rows, and links from earlier rows to the articles the store has written since."""
        self.files.flush()   # the bytes are in the file before the index points at them
        if self.conn is None:
            self.conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        run_id = self.crawler.stats.get_value("archive/run_id")
        rows = []
        for row in self.rows:
            path, offset, length = row.pop("written").result()
            rows.append({**row, "file": os.path.relpath(path, Path(self.db_path).parent),
                         "offset": offset, "length": length, "run_id": run_id})
        with self.conn:
            self.conn.execute("BEGIN")
            captures.write(self.conn, rows)
            linked = captures.link(self.conn, self.unlinked)
        self.rows = []
        for record_id in linked:
            del self.unlinked[record_id]

    def engine_stopped(self) -> None:
        """After the store's last write: index the rest, link what can be linked, close the files."""
        self.write_index()
        self.files.close()
        self.conn.close()
