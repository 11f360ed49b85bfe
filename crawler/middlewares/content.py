"""Only HTML pages reach the spider's page callback; the rest is refused as `empty` or `not_html`.

Servers label PDFs, images and random bytes `text/html`, and answer 200
with nothing. The bytes are sniffed (magic numbers, control characters)
rather than the label believed. Checked: responses for the spider's
`parse` callback (Scrapy's default one), i.e. pages; robots.txt and
sitemaps (gzip sitemaps are binary on purpose) go to their own callbacks.
A refusal reaches the request's errback, like Scrapy's HttpError does.
"""
from __future__ import annotations

from scrapy.http import HtmlResponse
from w3lib.encoding import read_bom

from crawler.failures import Refused

# Leading bytes of formats that are never an HTML page, whatever the Content-Type says.
MAGIC_NUMBERS = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF (WebP image, audio or video)"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"PK\x03\x04", "ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xd0\xcf\x11\xe0", "legacy office document"),
    (b"%!PS", "PostScript"),
    (b"\x7fELF", "executable"),
)
# Bytes looked at, and the share of them that may be control bytes, for "is it text?".
SNIFF_BYTES = 4096
MAX_CONTROL_SHARE = 0.05
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f")


def refusal(response) -> Refused | None:
    """Why `response` is not an HTML page, or None when it is one."""
    body = response.body
    head = body.lstrip()[:16]
    if not head:
        return Refused("empty", f"HTTP {response.status} with an empty body", response)
    label = (response.headers.get("Content-Type") or b"").decode("latin-1") or "no Content-Type"
    for magic, kind in MAGIC_NUMBERS:
        if head.startswith(magic):
            return Refused("not_html", f"{kind} bytes, labelled {label!r}", response)
    if not isinstance(response, HtmlResponse):
        return Refused("not_html", f"not an HTML page: {label!r}", response)
    sample = body[:SNIFF_BYTES]
    if read_bom(sample)[0] is None:
        control = len(sample) - len(sample.translate(None, _CONTROL))
        if control > MAX_CONTROL_SHARE * len(sample):
            return Refused("not_html", f"binary bytes ({control} control bytes in the first {len(sample)}), "
                           f"labelled {label!r}", response)
    return None


def for_page(request) -> bool:
    """Whether `request` asks for a page: one for the spider's `parse` (Scrapy's default callback),
    not robots.txt, a sitemap or a feed, which have callbacks of their own."""
    callback = request.callback
    return callback is None or getattr(callback, "__name__", None) == "parse"


class ContentCheckMiddleware:
    """Spider middleware: refuses page responses that are empty or not HTML."""

    def process_spider_input(self, response, spider=None):
        if response.request is not None and not for_page(response.request):
            return
        if response.status == 304:  # an archived page unchanged: no body by design (incremental runs)
            return
        refused = refusal(response)
        if refused is not None:
            raise refused

    def process_spider_exception(self, response, exception, spider=None):
        """A refusal of a request without an errback is dropped quietly, like Scrapy's HttpError."""
        if isinstance(exception, Refused):
            return []
        return None
