"""Items through a Redis Stream: workers add them, the one archive writer stores them.

SQLite wants one writer (two processes writing one archive lose batches to
`database is locked`), so a distributed crawl's workers do not store: the
last stage of their pipeline, `StreamPipeline`, XADDs each item, and the
writer (crawler/distributed/writer.py) hands it to ArchiveWriter with
`store`. An entry is one MessagePack map, zlib-compressed: the item's
fields plus `type` (raw HTML and MinHash stay bytes, nothing is pickled).
Compressed, an article (its raw page, body as text, HTML and Markdown) costs
Redis about 9 KB instead of 50 on the shared benchmark site.
"""
from __future__ import annotations

import zlib

import msgpack
from itemadapter import ItemAdapter
from scrapy import signals

from crawler.distributed.connection import run_client
from crawler.distributed.keys import Keys
from crawler.items import ArticleItem, FailureItem, ListingItem, NotModifiedItem
from pipelines.store import ArchiveWriter

# Item class -> the entry's type.
ITEM_TYPES = {ArticleItem: "article", FailureItem: "failure", NotModifiedItem: "not_modified", ListingItem: "listing"}


def encode(kind: str, fields: dict) -> bytes:
    return zlib.compress(msgpack.packb({**fields, "type": kind}, use_bin_type=True))


def decode(data: bytes) -> dict:
    return msgpack.unpackb(zlib.decompress(data), raw=False)


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

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(*run_client(crawler.settings))
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def process_item(self, item):
        self.add(ITEM_TYPES[type(item)], ItemAdapter(item).asdict())
        return item

    def request_dropped(self, request, spider):
        """A redirect to a page already asked for: recorded, as StorePipeline.request_dropped does."""
        for url in request.meta.get("redirect_urls", ()):
            self.add("redirect", {"url": url, "target": request.url})

    def add(self, kind: str, fields: dict) -> None:
        self.server.xadd(self.keys.items, {"item": encode(kind, fields)})
