"""Crawl traps (endless calendars and pagination, ever-deeper paths) stop at limits, recorded as `trap_limit`.

Replaces Scrapy's DepthMiddleware, which drops a link over DEPTH_LIMIT
without a word: here such a link, and one over any limit in TRAP_RULES,
becomes a `trap_limit` failure instead of a request. The rules look at the
link and at the page it was found on; a limit set to 0 is off.

A listing chain counts listing pages reached through listing pages (the
spider marks each page's kind in `response.meta["page_kind"]`): a calendar
or a "next page" link that never ends makes it grow, an article resets it.
"""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from scrapy.spidermiddlewares.depth import DepthMiddleware

from crawler.failures import failure_item


def listing_hops(request, response) -> int:
    return request.meta["listing_hops"]


def path_segments(request, response) -> int:
    return len([s for s in urlsplit(request.url).path.split("/") if s])


def segment_repeats(request, response) -> int:
    counts = Counter(s for s in urlsplit(request.url).path.split("/") if s)
    return max(counts.values(), default=0)


def url_length(request, response) -> int:
    return len(request.url)


# (what is limited, the setting holding the limit, how a link measures)
TRAP_RULES = (
    ("listing pages in a row", "TRAP_MAX_LISTING_HOPS", listing_hops),
    ("path segments", "TRAP_MAX_PATH_SEGMENTS", path_segments),
    ("repeats of one path segment", "TRAP_MAX_SEGMENT_REPEATS", segment_repeats),
    ("URL length", "URLLENGTH_LIMIT", url_length),  # Scrapy's UrlLengthMiddleware would drop it silently
)


class TrapLimitMiddleware(DepthMiddleware):
    """DepthMiddleware whose limits, and TRAP_RULES', turn a link into a `trap_limit` failure."""

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.limits = [(what, setting, crawler.settings.getint(setting), measure)
                             for what, setting, measure in TRAP_RULES]
        return middleware

    def get_processed_request(self, request, response):
        if response is None:   # start requests
            return super().get_processed_request(request, response)
        from_listing = response.meta.get("page_kind") == "listing"
        request.meta["listing_hops"] = response.meta.get("listing_hops", 0) + 1 if from_listing else 0
        if super().get_processed_request(request, response) is None:
            return self.trap(request, f"depth {request.meta['depth']} is over DEPTH_LIMIT ({self.maxdepth})")
        for what, setting, limit, measure in self.limits:
            value = measure(request, response)
            if limit and value > limit:
                return self.trap(request, f"{what}: {value} is over {setting} ({limit})")
        return request

    def trap(self, request, message):
        self.stats.inc_value("trap_limit/links")
        return failure_item(request.url, "trap_limit", message, meta=request.meta, attempts=0)
