"""Items through a Redis Stream: workers add them, the one archive writer stores them.

SQLite wants one writer (two processes writing one archive lose batches to
`database is locked`), so a distributed crawl's workers do not store: the
last stage of their pipeline, `StreamPipeline`, XADDs each item, and the
writer (crawler/distributed/writer.py) hands it to ArchiveWriter with
`store`. An entry is one MessagePack map (the item's fields plus `type`; raw
HTML stays bytes, nothing is pickled), without what the writer can derive
(crawler/distributed/entries.py), compressed by `Codec`.

An entry passes Redis twice (in from a worker, out to the writer), and the
text of a page is most of it. Pages of a site share their template, so each
worker trains a zstd dictionary on its first SAMPLES article entries, unless
one is shared already, and shares it through Redis (ARCHIVE_REDIS_KEY:dicts,
by the dictionary's id, which every frame names). Measured on a 3,000-page
generated site: an article's entry is about 28 KB of MessagePack, 9.3 KB in
zstd alone, 4.2 KB with a dictionary learned from 50 articles. Articles
only: they are the stream's bytes, and a run's first entries may be mostly
listings, tiny and unlike an article (on a 10,000-page site the dictionary
learned from its first 50 entries was 2.3 KB, and left articles at 3.5-5 KB).
Entries sent before there is a dictionary cost twice as much, so a worker
learns from 30 (on the 2,000-page benchmark site, 3.78 KB an article entry
after, the same learning from 50, 8.3 KB without a dictionary), looks for one
another worker shared meanwhile every ADOPT_EVERY entries, and shares it
compressed.
"""
from __future__ import annotations

import logging

import msgpack
import zstandard
from scrapy import signals

from crawler.distributed import entries
from crawler.distributed.connection import run_client
from crawler.distributed.keys import Keys
from crawler.items import ArticleItem, FailureItem, ListingItem, NotModifiedItem
from pipelines.store import ArchiveWriter

logger = logging.getLogger(__name__)

# Item class -> the entry's type.
ITEM_TYPES = {ArticleItem: "article", FailureItem: "failure", NotModifiedItem: "not_modified", ListingItem: "listing"}
SAMPLES = 30
DICTIONARY_BYTES = 128 * 1024
LEVEL = 5
ADOPT_EVERY = 10   # article entries between two looks for a dictionary shared meanwhile, while learning one
_SHARED_LEVEL = 19   # a dictionary is shared compressed: 128 KB is about 30 KB so, sent once to each process


class Codec:
    """Stream entries to bytes and back: MessagePack in zstd frames, with the run's dictionaries."""

    def __init__(self, server, keys: Keys):
        self.server, self.keys = server, keys
        self.compressor = zstandard.ZstdCompressor(level=LEVEL)
        self.samples: list[bytes] | None = []   # None once a dictionary is trained (or could not be)
        self.decompressors = {0: zstandard.ZstdDecompressor()}   # by dictionary id; 0: none

    def encode(self, kind: str, fields: dict) -> bytes:
        data = msgpack.packb({**entries.slim(fields), "type": kind}, use_bin_type=True)
        if self.samples is not None and kind == "article":
            self.samples.append(data)
            if len(self.samples) >= SAMPLES:
                self.train()
            elif len(self.samples) % ADOPT_EVERY == 0:
                self.adopt()
        return self.compressor.compress(data)

    def adopt(self) -> bool:
        """Compress with a dictionary already shared (another worker's, or a previous run's while the stream
        held entries), if there is one, rather than learn one: a late worker need not start uncompressed."""
        shared = self.server.hgetall(self.keys.dicts)
        if not shared:
            return False
        dict_id, data = max(shared.items())   # any one will do; the same one each time
        self.compressor = zstandard.ZstdCompressor(level=LEVEL, dict_data=_dictionary(data))
        self.samples = None
        return True

    def train(self) -> None:
        if self.adopt():
            return
        samples, self.samples = self.samples, None
        try:
            dictionary = zstandard.train_dictionary(DICTIONARY_BYTES, samples)
        except zstandard.ZstdError as exc:   # too little to learn from: entries stay compressed without
            logger.info("no stream dictionary: %s", exc)
            return
        self.server.hsetnx(self.keys.dicts, dictionary.dict_id(),
                           zstandard.ZstdCompressor(level=_SHARED_LEVEL).compress(dictionary.as_bytes()))
        self.compressor = zstandard.ZstdCompressor(level=LEVEL, dict_data=dictionary)

    def decode(self, data: bytes) -> dict:
        dict_id = zstandard.get_frame_parameters(data).dict_id
        if dict_id not in self.decompressors:
            shared = self.server.hget(self.keys.dicts, dict_id)
            if shared is None:
                raise ValueError(f"stream entry compressed with dictionary {dict_id}, which {self.keys.dicts} lacks")
            self.decompressors[dict_id] = zstandard.ZstdDecompressor(dict_data=_dictionary(shared))
        return entries.restore(msgpack.unpackb(self.decompressors[dict_id].decompress(data), raw=False))


def _dictionary(shared: bytes) -> zstandard.ZstdCompressionDict:
    """A dictionary as shared in KEY:dicts (compressed)."""
    return zstandard.ZstdCompressionDict(zstandard.ZstdDecompressor().decompress(shared))


# Entry type -> how ArchiveWriter takes it (as StorePipeline hands it the item).
STORE = {
    "article": ArchiveWriter.add_article,
    "failure": ArchiveWriter.add_failure,
    "not_modified": ArchiveWriter.add_not_modified,
    "listing": ArchiveWriter.add_listing,
    "redirect": lambda writer, entry: writer.add_redirect(entry["url"], entry["target"]),
}


def store(writer: ArchiveWriter, entry: dict) -> None:
    """Hand one decoded entry to the writer."""
    kind = entry.pop("type", None)
    if kind not in STORE:
        raise ValueError(f"unknown stream entry type {kind!r}")
    STORE[kind](writer, entry)


class StreamPipeline:
    """A worker's last item pipeline: each item into the run's stream (ARCHIVE_REDIS_KEY:items)."""

    def __init__(self, server, keys: Keys):
        self.server, self.keys = server, keys
        self.codec = Codec(server, keys)
        self.codec.adopt()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(*run_client(crawler.settings))
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def process_item(self, item):
        # dict(), not ItemAdapter.asdict(): the fields hold plain values, and asdict's recursive look at each
        # (is it an item?) cost ~0.26 ms an article
        self.add(ITEM_TYPES[type(item)], dict(item))
        return item

    def request_dropped(self, request, spider):
        """A redirect to a page already asked for: recorded, as StorePipeline.request_dropped does."""
        for url in request.meta.get("redirect_urls", ()):
            self.add("redirect", {"url": url, "target": request.url})

    def add(self, kind: str, fields: dict) -> None:
        self.server.xadd(self.keys.items, {"item": self.codec.encode(kind, fields)})
