"""The `captures` table: a CDX index of WARC records inside the archive.

One row per WARC record the archive knows (imported, or written by a crawl):
its URL, time, HTTP status, payload digest, and where its bytes are (file,
offset, length, record ID), so any capture can be read back byte for byte.
`article_id` links a capture to the article it became, by the article's
normalized URL, looked up in the transaction that writes both.
"""
from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

COLUMNS = ("url", "timestamp", "status", "mime", "digest", "file", "offset", "length", "record_id",
           "record_type", "refers_to", "source", "run_id", "import_run_id")

# A record already indexed (same WARC-Record-ID) is not indexed again.
_INSERT = (f"INSERT OR IGNORE INTO captures ({', '.join(COLUMNS)}, article_id) "
           f"VALUES ({', '.join(':' + c for c in COLUMNS)}, "
           "(SELECT id FROM articles WHERE url = :article_url))")

# The capture a revisit record points at: by record ID, else by URL and date, else by URL and digest.
_REFERRED = """
SELECT record_id, article_id FROM captures
WHERE record_id = :refers_to
   OR (url = :target_url AND timestamp = :target_date)
   OR (url = :target_url AND digest = :digest AND record_type = 'response')
ORDER BY record_id = :refers_to DESC LIMIT 1
"""


def iso_date(warc_date: str | None) -> str | None:
    """A WARC date (2024-05-01T10:00:00Z) as the archive writes times (2024-05-01T10:00:00+00:00)."""
    if not warc_date:
        return None
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def write(conn: sqlite3.Connection, rows: Iterable[Mapping]) -> None:
    """Index capture rows (dicts with COLUMNS and `article_url`, the normalized URL of their article or None)."""
    conn.executemany(_INSERT, [{c: row.get(c) for c in (*COLUMNS, "article_url")} for row in rows])


def referred(conn: sqlite3.Connection, refers_to, target_url, target_date, digest) -> tuple | None:
    """(record_id, article_id) of the indexed capture a revisit record points at, or None."""
    return conn.execute(_REFERRED, {"refers_to": refers_to, "target_url": target_url,
                                    "target_date": target_date, "digest": digest}).fetchone()


def link(conn: sqlite3.Connection, pending: Mapping[str, str]) -> list[str]:
    """Link captures (record id -> normalized page URL) to articles archived since; returns the linked ids."""
    linked = []
    items = list(pending.items())
    for start in range(0, len(items), 500):
        chunk = dict(items[start:start + 500])
        urls = list(set(chunk.values()))
        ids = dict(conn.execute(f"SELECT url, id FROM articles WHERE url IN ({', '.join('?' * len(urls))})",
                                urls).fetchall())
        found = [(ids[url], record_id) for record_id, url in chunk.items() if url in ids]
        conn.executemany("UPDATE captures SET article_id = ? WHERE record_id = ?", found)
        linked += [record_id for _, record_id in found]
    return linked


def read(row: Mapping, folder: str | Path = ".") -> tuple[object, bytes]:
    """(HTTP status and headers, payload bytes exactly as stored) of one capture; a crawl's
    `file` is relative to the archive's folder, `folder`."""
    with (Path(folder) / row["file"]).open("rb") as fh:
        fh.seek(row["offset"])
        block = fh.read(row["length"])
    record = next(iter(ArchiveIterator(io.BytesIO(block))))
    return record.http_headers, record.raw_stream.read()
