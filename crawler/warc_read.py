"""Read the records of one WARC source with FastWARC, going on past corrupt stretches.

FastWARC stops at the first record it cannot decompress or parse, and
hands back a truncated last record as if it were whole. Here both become
`Broken` events: a truncated record is one whose payload is shorter than
its Content-Length; after a corrupt stretch reading starts again at the
next offset where a record (a gzip member or a `WARC/1.` line) parses.
FastWARC reads about three times faster than warcio on our files (see
benchmarks/import_bench.py), which is what makes skipping cheap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from fastwarc.warc import ArchiveIterator

from crawler.warc_sources import Source

_STARTS = (b"\x1f\x8b\x08", b"WARC/1.")
_SCAN = 1 << 20


@dataclass
class Broken:
    offset: int
    error: str


@dataclass
class End:
    offset: int   # where reading ended: after the last whole record


def next_start(source: Source, offset: int) -> int | None:
    """The first offset at or after `offset` where a record may begin."""
    with source.open(offset) as stream:
        tail = b""
        while chunk := stream.read(_SCAN):
            window = tail + chunk
            hits = [i for i in (window.find(s) for s in _STARTS) if i >= 0]
            if hits:
                return offset - len(tail) + min(hits)
            tail = window[-8:]
            offset += len(chunk)
    return None


def records(source: Source, offset: int = 0, wanted: Callable = lambda record: False) -> Iterator:
    """Yield `(record, payload)` for each record (FastWARC's; `stream_pos` is its offset; `payload`
    the raw HTTP payload of the `wanted` ones, else None), a `Broken` per corrupt stretch, and `End`."""
    resyncing = False   # `offset` is only a guess at a record start after a corrupt stretch
    while True:
        last, error = None, None
        with source.open(offset) as stream:
            try:
                for record in ArchiveIterator(stream, parse_http=True, auto_decode="none", fsspec_args=False):
                    last, resyncing = record.stream_pos, False
                    payload = record.reader.read() if wanted(record) else None
                    record.reader.consume()
                    if record.reader.tell() < record.content_length:
                        yield Broken(last, "truncated: the record ends before its Content-Length")
                        yield End(last)
                        return
                    yield record, payload
            except OSError as exc:
                error = str(exc) or repr(exc)
            end = stream.tell()
        if error is None and not (resyncing and last is None):
            yield End(end)
            return
        start = offset if last is None else last + 1   # the corrupt stretch begins here
        if not resyncing:
            yield Broken(start, f"unreadable from offset {start}: {error}")
        found = next_start(source, start + (last is None))
        if found is None:
            yield End(start)
            return
        offset, resyncing = found, True
