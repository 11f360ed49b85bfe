"""Bytes to text for every reader of a page: the crawl, extract_article, `archive extract`.

Servers and pages often name the wrong charset (a header saying
iso-8859-1 over GBK bytes, a UTF-8 page whose template still says
gb2312), and trusting the first declaration gives mojibake. The bytes
have the last word:

1. a byte order mark (UTF-8, UTF-16, UTF-32) decides;
2. bytes that are valid UTF-8 (with non-ASCII in them) are UTF-8;
3. else the HTTP header's charset, then the <meta> one, if the bytes decode
   in it; a single-byte charset (latin-1, cp1252, ...) decodes anything, so
   it loses to GB18030 when the bytes read as Chinese in GB18030;
4. else the bytes are sniffed (GB18030, then charset-normalizer's guess).

GBK and GB2312 resolve to GB18030 (a superset): pages that declare the
narrower charset but use characters outside it still decode.
"""
from __future__ import annotations

import re

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

# Share of a body's bad bytes (decoded as U+FFFD) a charset may leave and still fit it.
MAX_BAD_SHARE = 0.001
# Share of the non-ASCII characters that must be CJK for bytes to "read as Chinese".
MIN_CJK_SHARE = 0.8
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SNIFF_BYTES = 65536


class _Readings:
    """The body read in each charset asked about, once: deciding tries several
    charsets (UTF-8, the declared ones, GB18030) and decode() returns the
    winner's text, so a body is decoded at most once per charset, not once per question."""

    def __init__(self, body: bytes):
        self.body = body
        self._read: dict[str, tuple[str, int] | None] = {}

    def read(self, encoding: str) -> tuple[str, int] | None:
        """(the text, bad bytes replaced; how many were bad, 0 when it decodes cleanly), None for an unknown charset."""
        if encoding not in self._read:
            try:
                self._read[encoding] = (self.body.decode(encoding), 0)
            except UnicodeDecodeError:
                text = self.body.decode(encoding, "replace")
                self._read[encoding] = (text, text.count("\ufffd"))
            except LookupError:
                self._read[encoding] = None
        return self._read[encoding]

    def fits(self, encoding: str) -> bool:
        """Do the bytes decode in `encoding`, bar a stray bad byte or two?"""
        read = self.read(encoding)
        return read is not None and read[1] <= len(self.body) * MAX_BAD_SHARE

    def chinese(self) -> bool:
        """Do the bytes read as Chinese in GB18030 (its non-ASCII characters mostly CJK)?"""
        if not self.fits("gb18030"):
            return False
        wide = _NON_ASCII.findall(self.read("gb18030")[0])
        return bool(wide) and sum(1 for ch in wide if _CJK.match(ch)) >= MIN_CJK_SHARE * len(wide)


def single_byte(encoding: str) -> bool:
    """A charset in which every byte is one character, so any bytes 'decode'."""
    return len(b"\xc3\xa9\xb0\xa1".decode(encoding, "replace")) == 4


def _guess(body: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for bytes no declaration fits

    best = from_bytes(body[:_SNIFF_BYTES]).best()
    return resolve_encoding(best.encoding) if best else None


def decide_encoding(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(charset, how it was decided: bom, header, meta, bytes or default) for an HTML body
    and its Content-Type header."""
    return _decide(_Readings(body), content_type)


def _decide(readings: _Readings, content_type: str | None) -> tuple[str, str]:
    body = readings.body
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
    if readings.fits("utf-8"):
        return "utf-8", next((source for enc, source in declared if enc == "utf-8"), "bytes")
    for enc, source in declared:
        if readings.fits(enc) and not (single_byte(enc) and readings.chinese()):
            return enc, source
    if readings.chinese():
        return "gb18030", "bytes"
    guess = _guess(body)
    if guess:
        return guess, "bytes"
    return declared[0] if declared else ("utf-8", "default")


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """(text, charset, how it was decided): `body` decoded as decide_encoding says, BOM dropped."""
    readings = _Readings(body)
    encoding, source = _decide(readings, content_type)
    bom, bom_bytes = read_bom(body)
    if bom:
        return body[len(bom_bytes):].decode(encoding, "replace"), encoding, source
    return readings.read(encoding)[0], encoding, source  # every charset decided on is one Python knows
