"""SCHEDULER_MEMORY_QUEUE: the crawl's frontier held packed, not as Request objects.

A sitemap names every article of a site at once, so the scheduler holds
the whole site's requests early in a crawl: as Scrapy's LifoMemoryQueue
holds them, about 1 KB a request (the Request, its headers and meta), the
largest thing the crawl's process holds at 20,000 pages. Packed the way a
distributed crawl keeps its frontier in Redis (`RequestFields`:
Request.to_dict without the values every request has, then MessagePack and
zstd, crawler/distributed/serializer.py) a request takes about 120 bytes,
and is unpacked when the scheduler hands it out, in the same order. A
request that cannot be packed (a meta value MessagePack does not take, a
callback that is no spider method) is kept as it is.
"""
from __future__ import annotations

import inspect
from functools import cached_property

from scrapy import Request
from scrapy.utils.request import request_from_dict

from crawler.distributed.serializer import dumps, loads


_DEFAULTS = Request("http:").to_dict()


class RequestFields:
    """A spider's requests as the fields that tell them apart, and back (request_from_dict).

    The fields are Request.to_dict's without the values every request has.
    Its callback and errback are named from a table of the spider's methods:
    to_dict(spider=...) lists the spider's members to find each (99 µs a
    request; 3 µs so).
    """

    def __init__(self, spider):
        self.spider = spider

    @cached_property
    def _method_names(self) -> dict:
        """The spider's methods' names by function, the first name of each as Request.to_dict finds them."""
        names = {}
        for name, method in inspect.getmembers(self.spider, inspect.ismethod):
            names.setdefault(method.__func__, name)
        return names

    def of(self, request: Request) -> dict:
        callback, errback = request.callback, request.errback
        named = [self._method_names.get(getattr(f, "__func__", None), f) if callable(f) else f for f in (callback, errback)]
        if any(callable(f) for f in named):   # not a method the spider has: to_dict finds it or says why not
            data = request.to_dict(spider=self.spider)
        else:
            request.callback, request.errback = named
            try:
                data = request.to_dict()
            finally:
                request.callback, request.errback = callback, errback
        return {name: value for name, value in data.items() if name == "url" or _DEFAULTS.get(name, _DEFAULTS) != value}

    def request(self, fields: dict) -> Request:
        return request_from_dict(fields, spider=self.spider)


class PackedLifoMemoryQueue:
    """Scrapy's LifoMemoryQueue (its default), each request kept packed."""

    def __init__(self, spider):
        self.fields = RequestFields(spider)
        self._held: list[bytes | Request] = []

    @classmethod
    def from_crawler(cls, crawler, key: str, *args, **kwargs) -> PackedLifoMemoryQueue:
        return cls(crawler.spider)

    def push(self, request: Request) -> None:
        try:
            # an exact-size copy: zstd's output keeps its worst-case allocation (~180 bytes, not ~120)
            self._held.append(bytes(memoryview(dumps(self.fields.of(request)))))
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
        return held if isinstance(held, Request) else self.fields.request(loads(held))
