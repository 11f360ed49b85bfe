"""SCHEDULER_MEMORY_QUEUE: the crawl's frontier held packed, not as Request objects.

A sitemap names every article of a site at once, so the scheduler holds
the whole site's requests early in a crawl: as Scrapy's LifoMemoryQueue
holds them, about 1 KB a request (the Request, its headers and meta), the
largest thing the crawl's process holds at 20,000 pages. Packed the way a
distributed crawl keeps its frontier in Redis (`pack_request`:
Request.to_dict without the values every request has, then MessagePack and
zstd, crawler/distributed/serializer.py) a request takes about 100 bytes,
and is unpacked when the scheduler hands it out, in the same order. A
request that cannot be packed (a meta value MessagePack does not take, a
callback that is no spider method) is kept as it is.
"""
from __future__ import annotations

from scrapy import Request
from scrapy.utils.request import request_from_dict

from crawler.distributed.serializer import dumps, loads


_DEFAULTS = Request("http:").to_dict()


def pack_request(request: Request, spider) -> bytes:
    """Request.to_dict without the values every request has (request_from_dict restores them), packed."""
    return dumps({name: value for name, value in request.to_dict(spider=spider).items()
                  if name == "url" or _DEFAULTS.get(name, _DEFAULTS) != value})


def unpack_request(packed: bytes, spider) -> Request:
    return request_from_dict(loads(packed), spider=spider)


class PackedLifoMemoryQueue:
    """Scrapy's LifoMemoryQueue (its default), each request kept packed."""

    def __init__(self, spider):
        self.spider = spider
        self._held: list[bytes | Request] = []

    @classmethod
    def from_crawler(cls, crawler, key: str, *args, **kwargs) -> PackedLifoMemoryQueue:
        return cls(crawler.spider)

    def push(self, request: Request) -> None:
        try:
            # an exact-size copy: zstd's output keeps its worst-case allocation (~180 bytes, not ~120)
            self._held.append(bytes(memoryview(pack_request(request, self.spider))))
        except (TypeError, ValueError):  # not packable: held as it is
            self._held.append(request)

    def pop(self) -> Request | None:
        return self._unpacked(self._held.pop()) if self._held else None

    def peek(self) -> Request | None:
        return self._unpacked(self._held[-1]) if self._held else None

    def close(self) -> None:
        self._held.clear()

    def __len__(self) -> int:
        return len(self._held)

    def _unpacked(self, held: bytes | Request) -> Request:
        return held if isinstance(held, Request) else unpack_request(held, self.spider)
