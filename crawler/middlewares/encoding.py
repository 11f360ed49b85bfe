"""Decide a page's charset from the evidence, and record how it was decided.

Scrapy (through w3lib) trusts the HTTP header first and replaces whatever
does not decode, so a server that says iso-8859-1 or utf-8 over GBK bytes
gives mojibake. Here the bytes have the last word:

1. a byte order mark (UTF-8, UTF-16, UTF-32) decides;
2. bytes that are valid UTF-8 (with non-ASCII in them) are UTF-8;
3. else the header's charset, then the <meta> one, if the bytes decode in
   it; a single-byte charset (latin-1, cp1252, ...) decodes anything, so it
   loses to GB18030 when the bytes read as Chinese in GB18030;
4. else the bytes are sniffed (GB18030, then charset-normalizer's guess).

The decision goes to the response (`response.encoding`) and, as `bom`,
`header`, `meta`, `bytes` or `default`, to `request.meta["encoding_source"]`;
the archive keeps both in raw_pages.
"""
from __future__ import annotations

import re

from scrapy.http import HtmlResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# Share of a body's bad bytes (decoded as U+FFFD) a charset may leave and still fit it.
MAX_BAD_SHARE = 0.001
# Share of the non-ASCII characters that must be CJK for bytes to "read as Chinese".
MIN_CJK_SHARE = 0.8
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SNIFF_BYTES = 65536


def fits(body: bytes, encoding: str) -> bool:
    """Do the bytes decode in `encoding`, bar a stray bad byte or two?"""
    try:
        body.decode(encoding)
        return True
    except UnicodeDecodeError:
        bad = body.decode(encoding, "replace").count("\ufffd")
        return bad <= len(body) * MAX_BAD_SHARE
    except LookupError:
        return False


def single_byte(encoding: str) -> bool:
    """A charset in which every byte is one character, so any bytes 'decode'."""
    return len(b"\xc3\xa9\xb0\xa1".decode(encoding, "replace")) == 4


def reads_as_chinese(body: bytes) -> bool:
    if not fits(body, "gb18030"):
        return False
    wide = _NON_ASCII.findall(body.decode("gb18030", "replace"))
    return bool(wide) and sum(1 for ch in wide if _CJK.match(ch)) >= MIN_CJK_SHARE * len(wide)


def _guess(body: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for bytes no declaration fits

    best = from_bytes(body[:_SNIFF_BYTES]).best()
    return resolve_encoding(best.encoding) if best else None


def decide_encoding(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(charset, how it was decided) for an HTML body and its Content-Type header."""
    bom, _ = read_bom(body)
    if bom:
        return bom, "bom"
    # UTF-16/32 declared without a BOM is ignored, as browsers do: markup is ASCII here.
    declared = [(enc, source) for enc, source in (
        (resolve_encoding(http_content_type_encoding(content_type) or ""), "header"),
        (resolve_encoding(html_body_declared_encoding(body) or ""), "meta"),
    ) if enc and "<".encode(enc) == b"<"]
    if body.isascii():
        return declared[0] if declared else ("utf-8", "default")
    if fits(body, "utf-8"):
        return "utf-8", next((source for enc, source in declared if enc == "utf-8"), "bytes")
    for enc, source in declared:
        if fits(body, enc) and not (single_byte(enc) and reads_as_chinese(body)):
            return enc, source
    if reads_as_chinese(body):
        return "gb18030", "bytes"
    guess = _guess(body)
    if guess:
        return guess, "bytes"
    return declared[0] if declared else ("utf-8", "default")


class EncodingMiddleware:
    """Downloader middleware: HTML responses decoded by evidence (see the module docstring)."""

    def process_response(self, request, response, spider=None):
        if not isinstance(response, HtmlResponse):
            return response
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        encoding, source = decide_encoding(response.body, content_type)
        request.meta["encoding_source"] = source
        return response.replace(encoding=encoding)
