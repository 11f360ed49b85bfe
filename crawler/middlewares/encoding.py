"""Downloader middleware: a page's charset decided from the evidence (crawler.decoding).

Scrapy (through w3lib) trusts the HTTP header first and replaces whatever
does not decode, so a server that says iso-8859-1 or utf-8 over GBK bytes
gives mojibake. The charset decide_encoding picks goes to the response
(`response.encoding`, so response.text and the selector use it) and how it
was decided (`bom`, `header`, `meta`, `bytes` or `default`) to
`request.meta["encoding_source"]`; the archive keeps both in raw_pages.
"""
from __future__ import annotations

from scrapy.http import HtmlResponse

from crawler.decoding import decide_encoding


class EncodingMiddleware:
    """Downloader middleware: HTML responses decoded by evidence (see the module docstring)."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, HtmlResponse):
            return response
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        encoding, source = decide_encoding(response.body, content_type)
        request.meta["encoding_source"] = source
        return response.replace(encoding=encoding)
