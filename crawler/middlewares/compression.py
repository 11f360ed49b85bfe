"""Content-Encoding that is a bomb or does not decode ends as `too_large` or `decode_error`.

Scrapy's HttpCompressionMiddleware already decompresses in chunks and stops
at DOWNLOAD_MAXSIZE (so a gzip bomb never expands in memory), but says so
with a bare IgnoreRequest, and lets a corrupt body raise whatever zlib,
gzip or brotli raise. This subclass names both.
"""
from __future__ import annotations

from scrapy.downloadermiddlewares import httpcompression
from scrapy.exceptions import IgnoreRequest

from crawler.failures import Refused


class HttpCompressionMiddleware(httpcompression.HttpCompressionMiddleware):
    def process_response(self, request, response, spider=None):
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:   # the decompressed size went over DOWNLOAD_MAXSIZE
            raise Refused("too_large", str(exc), response) from exc
        except Exception as exc:  # zlib.error, OSError, EOFError, brotli.error, ...: broken encoding
            encoding = response.headers.get("Content-Encoding", b"").decode("latin-1")
            raise Refused("decode_error", f"Content-Encoding {encoding!r} does not decode: {exc!r}",
                          response) from exc
