"""An archived HTTP payload decoded the way its bytes say, not the way its headers claim.

WARC files keep payloads as they came over the wire (chunked, gzip,
deflate, br), except when the crawler that wrote them had already decoded
them and kept the headers anyway (older CC-NEWS files say `gzip` and
`chunked` over plain HTML). So each framing is undone only when the bytes
bear it out: chunks that parse as chunks, gzip that starts with its magic
number, deflate and br that decompress; anything else is left as it is.
Decompression stops at `limit` bytes (a bomb in an archive is still a bomb).
"""
from __future__ import annotations

import re
import zlib

import brotli

_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]{1,16}(?:;[^\r\n]*)?\r\n")


def dechunk(body: bytes) -> bytes | None:
    """The body of a chunked message, or None when the bytes are not chunks."""
    out, pos = [], 0
    while True:
        size = _CHUNK_SIZE.match(body, pos)
        if size is None:
            return None
        length = int(size.group().split(b";")[0].strip(), 16)
        start = size.end()
        if length == 0:
            return b"".join(out)
        if body[start + length:start + length + 2] != b"\r\n":
            return None
        out.append(body[start:start + length])
        pos = start + length + 2


def _inflate(body: bytes, wbits: int, limit: int) -> bytes | None:
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(body, limit)
    except zlib.error:
        return None
    return out


def _unbrotli(body: bytes, limit: int) -> bytes | None:
    try:
        return brotli.Decompressor().process(body, output_buffer_limit=limit)
    except brotli.error:
        return None


def decode_payload(body: bytes, transfer_encoding: str = "", content_encoding: str = "",
                   limit: int = 32 * 1024 * 1024) -> bytes:
    """The entity bytes of an HTTP payload; never raises on bytes that do not match their headers."""
    if "chunked" in transfer_encoding.lower():
        unchunked = dechunk(body)
        body = body if unchunked is None else unchunked
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed(codings or ["gzip"] * (body[:2] == b"\x1f\x8b")):
        if body[:2] == b"\x1f\x8b":
            decoded = _inflate(body, 16 + zlib.MAX_WBITS, limit)
        elif coding == "deflate":   # zlib-wrapped, or raw deflate as some servers send
            decoded = _inflate(body, zlib.MAX_WBITS, limit) or _inflate(body, -zlib.MAX_WBITS, limit)
        elif coding == "br":
            decoded = _unbrotli(body, limit)
        else:
            decoded = None
        if decoded is None:
            break   # the header claims a coding the bytes do not bear: they are already decoded
        body = decoded
    return body[:limit]
