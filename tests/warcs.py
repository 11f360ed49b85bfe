"""WARC files written for tests with warcio, and a file server on 127.0.0.1 that answers Range requests."""
from __future__ import annotations

import io
import json
import mimetypes
import re
import threading
import zipfile
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from livesite import article_page, paragraphs


def article(n: int, version: int = 1) -> bytes:
    return article_page(f"第{n}篇：小城散记", paragraphs(n, version)).encode("utf-8")


def response(writer: WARCWriter, url: str, payload: bytes, headers: list[tuple[str, str]] = (),
             status: str = "200 OK", date: str | None = None):
    """A response record; `payload` goes in as given (already chunked or compressed when the headers say so)."""
    headers = list(headers) or [("Content-Type", "text/html; charset=utf-8")]
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                       http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))
    if date:
        record.rec_headers.replace_header("WARC-Date", date)
    return record


def revisit(writer: WARCWriter, of, date: str | None = None):
    """A revisit record of the response record `of` (identical payload)."""
    h = of.rec_headers
    record = writer.create_revisit_record(h.get_header("WARC-Target-URI"), h.get_header("WARC-Payload-Digest"),
                                          h.get_header("WARC-Target-URI"), h.get_header("WARC-Date"),
                                          http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                                                        protocol="HTTP/1.1"))
    record.rec_headers.add_header("WARC-Refers-To", h.get_header("WARC-Record-ID"))
    if date:
        record.rec_headers.replace_header("WARC-Date", date)
    return record


def write_warc(path: Path, build, gzip: bool = True) -> list:
    """Write the records `build(writer)` returns; returns them."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        made = build(writer)
        for record in made:
            writer.write_record(record)
    return made


def articles_warc(path: Path, count: int, base: str = "http://blog.example") -> Path:
    write_warc(path, lambda w: [response(w, f"{base}/a/{n}.html", article(n)) for n in range(count)])
    return path


def wacz(path: Path, warcs: list[Path]) -> Path:
    """A minimal WACZ holding `warcs` (stored, as WACZ files store them)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for warc in warcs:
            z.write(warc, f"archive/{warc.name}")
        z.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
    return path


class _RangeHandler(BaseHTTPRequestHandler):
    root: Path
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.do_GET(body=False)

    def do_GET(self, body: bool = True):
        path = self.root / self.path.split("?", 1)[0].lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        start, end = (int(wanted[1]), int(wanted[2] or len(data) - 1)) if wanted else (0, len(data) - 1)
        self.send_response(206 if wanted else 200)
        if wanted:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Accept-Ranges", "bytes")
        # a browser runs scripts (a service worker's above all) only when served as JavaScript
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Length", str(end + 1 - start))
        self.end_headers()
        if not body:
            return
        try:
            self.wfile.write(data[start:end + 1])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format, *args):
        pass


@contextmanager
def range_server(root: Path):
    """Serve `root` on 127.0.0.1, answering Range requests as file servers and object stores do."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_RangeHandler,), {"root": root}))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
