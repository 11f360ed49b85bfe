"""`archive export --wacz`: the archive's captures as a WACZ that replay tools (ReplayWeb.page, pywb) open.

The WACZ is written as a stream: each capture's record is copied from its
WARC file (a crawl's, or a local file an import read) into one
`archive/data.warc.gz`, so nothing is ever whole in memory but the index
lines. Beside it: the CDXJ index (SURT-sorted) as ZipNum, the layout
py-wacz and Browsertrix write: `indexes/index.cdx.gz` holds it in gzip
blocks of 300 lines, `indexes/index.idx` the first key of each block, so a
replay tool reads only the blocks it needs (ReplayWeb.page reads no other
kind of compressed index); `pages/pages.jsonl` (the articles' captures) and
`datapackage.json` (every file's size and SHA-256), as the WACZ 1.1.1 spec
lays them out.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3
import zipfile
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import surt
from cdxj_indexer.main import CompressedWriter

WACZ_VERSION = "1.1.1"
_COPY = 1 << 20
_BLOCK_LINES = 300   # py-wacz's and cdxj-indexer's block size

_CAPTURES = """
SELECT c.*, a.title, a.site FROM captures AS c LEFT JOIN articles AS a ON a.id = c.article_id
WHERE c.length IS NOT NULL AND c.timestamp >= :since
ORDER BY c.timestamp, c.id
"""


class _Hashed:
    """A writable zip member that counts and hashes what goes through it."""

    def __init__(self, member):
        self.member, self.sha256, self.size = member, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.member.write(data)
        self.sha256.update(data)
        self.size += len(data)

    def resource(self, path: str) -> dict:
        return {"name": Path(path).name, "path": path, "hash": "sha256:" + self.sha256.hexdigest(),
                "bytes": self.size}


def _record_bytes(row: dict, folder: Path) -> bytes | None:
    """The stored bytes of a capture as one gzip member, or None when its file is not on this machine."""
    path = Path(row["file"]) if Path(row["file"]).is_absolute() else folder / row["file"]
    if not path.is_file():   # an imported URL, a WACZ member, a moved file
        return None
    with path.open("rb") as fh:
        fh.seek(row["offset"])
        data = fh.read(row["length"])
    return data if data[:2] == b"\x1f\x8b" else gzip.compress(data, mtime=0)   # from an uncompressed .warc


def _may_pass_zip_limit(conn: sqlite3.Connection, since: str | None) -> bool:
    """Whether the WARC member may outgrow plain ZIP (2 GiB), bounding a record gzipped on the way
    (from a .warc) by its stored length plus deflate's worst-case overhead. Only then is its local
    header ZIP64: ReplayWeb.page cannot read a member whose local header is."""
    bound, = conn.execute("SELECT coalesce(sum(length + length / 1000 + 64), 0) FROM captures "
                          "WHERE length IS NOT NULL AND timestamp >= ?", [since or ""]).fetchone()
    return bound > zipfile.ZIP64_LIMIT


def _zulu(timestamp: str) -> str:
    """2024-05-01T10:00:00Z, the form pages.jsonl's examples use: ReplayWeb.page reads a page's time
    from its digits, so the archive's +00:00 would add four and find no capture."""
    return datetime.fromisoformat(timestamp).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cdxj(row: dict, offset: int, length: int) -> str:
    stamp = datetime.fromisoformat(row["timestamp"]).astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    fields = {"url": row["url"], "mime": "warc/revisit" if row["record_type"] == "revisit" else row["mime"],
              "status": str(row["status"] or ""), "digest": row["digest"], "length": str(length),
              "offset": str(offset), "filename": "data.warc.gz"}
    return f"{surt.surt(row['url'])} {stamp} {json.dumps({k: v for k, v in fields.items() if v})}\n"


def _zipnum(lines: list[str]) -> tuple[bytes, bytes]:
    """Sorted CDXJ lines as ZipNum: (the gzip blocks, the index of the blocks)."""
    blocks, block_index = io.BytesIO(), io.StringIO()
    writer = CompressedWriter(block_index, blocks, num_lines=_BLOCK_LINES, data_out_name="index.cdx.gz",
                              digest_records=True)
    for line in lines:
        writer.write(line)
    if len(lines) % _BLOCK_LINES:   # the last, partial block (a full one went when it filled)
        writer.flush()
    return blocks.getvalue(), block_index.getvalue().encode()


def export_wacz(db: str | Path, out: str | Path, site: str | None = None, since: str | None = None) -> dict:
    """Write the WACZ; returns how many captures went in and how many were left out (file not here)."""
    folder = Path(db).resolve().parent
    conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    index, pages, kept, missing = [], [], 0, 0
    with closing(conn), zipfile.ZipFile(out, "w", allowZip64=True) as wacz:
        hosts = None if site is None else {   # a site's listings, robots.txt, ... come along with its articles
            urlsplit(url).netloc for url, in conn.execute("SELECT url FROM articles WHERE site = ?", [site])}
        resources = []
        with wacz.open(zipfile.ZipInfo("archive/data.warc.gz"), "w",
                       force_zip64=_may_pass_zip_limit(conn, since)) as member:
            warc = _Hashed(member)
            for row in map(dict, conn.execute(_CAPTURES, {"since": since or ""})):
                if hosts is not None and row["site"] != site and urlsplit(row["url"]).netloc not in hosts:
                    continue
                data = _record_bytes(row, folder)
                if data is None:
                    missing += 1
                    continue
                index.append(_cdxj(row, warc.size, len(data)))
                warc.write(data)
                kept += 1
                if row["article_id"] and row["status"] == 200:
                    pages.append({"url": row["url"], "ts": _zulu(row["timestamp"]), "title": row["title"]})
            resources.append(warc.resource("archive/data.warc.gz"))
        blocks, block_index = _zipnum(sorted(index))
        for path, body, stored in (
                ("indexes/index.cdx.gz", blocks, True),
                ("indexes/index.idx", block_index, False),
                ("pages/pages.jsonl", "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in (
                    {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}, *pages)).encode(), False)):
            info = zipfile.ZipInfo(path)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with wacz.open(info, "w") as member:
                written = _Hashed(member)
                written.write(body)
            resources.append(written.resource(path))
        wacz.writestr("datapackage.json", json.dumps({
            "profile": "data-package", "wacz_version": WACZ_VERSION, "software": "article-archive",
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "title": Path(out).stem, "resources": resources}, indent=1))
    return {"captures": kept, "pages": len(pages), "not_on_this_machine": missing}
