"""A WARC of a generated site, as a web archive would hold it: what `import_bench.py` imports.

    .venv/bin/python benchmarks/warc_maker.py SITE_DIR BASE_URL OUT.warc.gz

Every file of the site becomes a request and a response record (gzip per
record); HTML payloads vary the way real captures do: most identity, every
5th gzip-encoded, every 7th chunked (both framings as real bytes). Beside
them: non-HTML responses (images, CSS), a warcinfo and metadata record, and
revisit records of pages captured again unchanged, each pointing at the
first capture by WARC-Refers-To.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import random
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def http_payload(index: int, body: bytes, content_type: str) -> tuple[list[tuple[str, str]], bytes]:
    """Headers and payload bytes of the `index`th capture: identity, gzip or chunked."""
    headers = [("Content-Type", content_type), ("Server", "bench")]
    if index % 5 == 0:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    if index % 7 == 0:
        headers.append(("Transfer-Encoding", "chunked"))
        return headers, chunked(body)
    headers.append(("Content-Length", str(len(body))))
    return headers, body


def make_warc(site: Path, base_url: str, out: Path, non_html: int = 400, revisits: int = 300,
              seed: int = 1) -> int:
    """Write the WARC; returns how many records it holds."""
    rng = random.Random(seed)
    pages = sorted(p for p in site.rglob("*") if p.is_file() and "_bench" not in p.parts)
    count = 0
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def write(record):
            nonlocal count
            writer.write_record(record)
            count += 1

        write(writer.create_warcinfo_record(out.name, {"software": "import_bench", "format": "WARC File Format 1.1"}))
        first: dict[str, tuple[str, str, str]] = {}   # url -> (record id, date, payload digest)
        for index, path in enumerate(pages):
            url = f"{base_url}/{path.relative_to(site).as_posix()}"
            kind = {".html": "text/html", ".xml": "application/xml", ".txt": "text/plain"}.get(path.suffix, "text/plain")
            request = StatusAndHeaders(f"GET /{path.relative_to(site).as_posix()} HTTP/1.1",
                                       [("Host", base_url.split("//", 1)[1]), ("User-Agent", "bench")],
                                       is_http_request=True)
            write(writer.create_warc_record(url, "request", http_headers=request))
            headers, payload = http_payload(index, path.read_bytes(), kind)
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"))
            write(response)
            first[url] = (response.rec_headers.get_header("WARC-Record-ID"),
                          response.rec_headers.get_header("WARC-Date"),
                          response.rec_headers.get_header("WARC-Payload-Digest"))
        for index in range(non_html):
            blob = rng.randbytes(rng.randint(2000, 20000))
            kind = ("image/png", "image/jpeg", "text/css", "application/javascript")[index % 4]
            write(writer.create_warc_record(
                f"{base_url}/static/{index}.{kind.split('/')[1]}", "response", payload=io.BytesIO(blob),
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", kind),
                                                         ("Content-Length", str(len(blob)))], protocol="HTTP/1.1")))
        html = [url for url in first if url.endswith(".html")]
        for url in rng.sample(html, min(revisits, len(html))):
            record_id, date, digest = first[url]
            revisit = writer.create_revisit_record(url, digest, url, date, http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"))
            revisit.rec_headers.add_header("WARC-Refers-To", record_id)  # warcio names only URI and date
            write(revisit)
        write(writer.create_warc_record(f"metadata:{hashlib.sha1(out.name.encode()).hexdigest()}", "metadata",
                                        payload=io.BytesIO(b"made-by: import_bench\n"),
                                        warc_content_type="application/warc-fields"))
    return count


if __name__ == "__main__":
    print(make_warc(Path(sys.argv[1]), sys.argv[2].rstrip("/"), Path(sys.argv[3])), "records")
