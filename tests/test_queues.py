"""The packed frontier (crawler/queues.py) hands out the requests it was given, in Scrapy's LIFO order."""
from __future__ import annotations

import scrapy
from scrapy.utils.test import get_crawler

from crawler.queues import PackedLifoMemoryQueue


class NewsSpider(scrapy.Spider):
    name = "news"

    def parse(self, response):
        pass

    def failed(self, failure):
        pass


def _queue():
    crawler = get_crawler(NewsSpider)
    crawler.spider = NewsSpider()
    return PackedLifoMemoryQueue.from_crawler(crawler, "requests/0"), crawler.spider


def test_requests_come_back_whole_and_last_in_first_out():
    queue, spider = _queue()
    sent = [scrapy.Request(f"http://127.0.0.1/文章/{i}.html", callback=spider.parse, errback=spider.failed,
                           meta={"lastmod": "2026-11-0{i}", "depth": i}, headers={"Referer": "http://127.0.0.1/"},
                           priority=-i)
            for i in range(1, 4)]
    for request in sent:
        queue.push(request)
    assert len(queue) == 3
    assert queue.peek().url == sent[-1].url
    got = [queue.pop() for _ in range(3)]
    assert [r.url for r in got] == [r.url for r in reversed(sent)]
    for request, back in zip(reversed(sent), got):
        assert back.callback == spider.parse and back.errback == spider.failed
        assert back.meta == request.meta and back.priority == request.priority
        assert back.headers.get("Referer") == b"http://127.0.0.1/"
    assert queue.pop() is None and len(queue) == 0


def test_a_request_that_cannot_be_packed_is_kept_as_it_is():
    queue, spider = _queue()
    marker = object()
    odd = scrapy.Request("http://127.0.0.1/a.html", callback=spider.parse, meta={"marker": marker})
    plain = scrapy.Request("http://127.0.0.1/b.html", callback=spider.parse)
    queue.push(odd)
    queue.push(plain)
    assert queue.pop().url == plain.url
    assert queue.pop() is odd


def test_the_frontier_is_held_packed():
    """What the queue holds for a sitemap-sized frontier: a small fraction of the Request objects."""
    import tracemalloc

    queue, spider = _queue()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(2000):   # each request gone once queued, as the scheduler leaves it
            queue.push(scrapy.Request(f"http://127.0.0.1/posts/2026/{i:05d}.html", callback=spider.parse,
                                      errback=spider.failed, meta={"lastmod": "2026-11-01"}))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held / len(queue) < 200   # bytes a request; a Request object with its meta is ~650
