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
    """(charset, how it was decided: bom, header, meta, bytes or default) for an HTML body
    and its Content-Type header."""
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


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, str]:
    """(text, charset, how it was decided): `body` decoded as decide_encoding says, BOM dropped."""
    encoding, source = decide_encoding(body, content_type)
    bom, bom_bytes = read_bom(body)
    if bom:
        body = body[len(bom_bytes):]
    return body.decode(encoding, "replace"), encoding, source
