"""Crawl traps (endless calendars, ever-deeper paths, session ids, faceted queries) stop at limits, recorded as `trap_limit`.

Replaces Scrapy's DepthMiddleware, which drops a link over DEPTH_LIMIT
without a word: here such a link, and one over any limit in TRAP_RULES,
becomes a `trap_limit` failure instead of a request. The rules look at the
link and at the page it was found on; a limit set to 0 is off.

A trap is a region of a site that makes listing pages without end and
leads nowhere new. The measures:

- a listing chain counts listing pages reached through listing pages (the
  spider marks each page's kind in `response.meta["page_kind"]`); an
  article resets it;
- a barren listing is one whose new links all share its own URL pattern
  (its path with every number as N, the query left out): a calendar month
  linking only the months around it, a facet page linking only more
  facets of itself. Links from barren listings into their own pattern are
  counted per pattern, so a trap that fans out stops as soon as one that
  runs in a line; a listing that yields articles (another pattern) is not
  barren, so real pagination is never counted;
- a path chain counts listing pages in a row each found on the one above
  it in the path (/a/ -> /a/b/ -> /a/b/c/);
- a session id in a link (SESSION_PARAMS) makes every page a new URL:
  the link is followed without it, and the first one per site and
  parameter is recorded.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.spidermiddlewares.depth import DepthMiddleware

from crawler.failures import failure_item

# Query parameters (lower-cased) and ;path parameters that carry a visitor's session, not a page.
SESSION_PARAMS = frozenset((
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "sessid", "aspsessionid",
    "cfid", "cftoken", "zenid", "oscsid", "s_id",
))
_PATH_SESSION = re.compile(r";(%s)=[^/?#]*" % "|".join(SESSION_PARAMS), re.I)
_NUMBER = re.compile(r"\d+")


def listing_hops(request, response) -> int:
    return request.meta["listing_hops"]


def barren_links(request, response) -> int:
    return request.meta.get("barren_links", 0)


def path_hops(request, response) -> int:
    return request.meta.get("path_hops", 0)


def path_segments(request, response) -> int:
    return len(_split(request.url)[2])


def segment_repeats(request, response) -> int:
    counts = Counter(_split(request.url)[2])
    return max(counts.values(), default=0)


def url_length(request, response) -> int:
    return len(request.url)


# (what is limited, the setting holding the limit, how a link measures)
TRAP_RULES = (
    ("listing pages in a row", "TRAP_MAX_LISTING_HOPS", listing_hops),
    ("links from barren listings into their own URL pattern", "TRAP_MAX_BARREN_LINKS", barren_links),
    ("listing pages in a row, each below the last in the path", "TRAP_MAX_PATH_HOPS", path_hops),
    ("path segments", "TRAP_MAX_PATH_SEGMENTS", path_segments),
    ("repeats of one path segment", "TRAP_MAX_SEGMENT_REPEATS", segment_repeats),
    ("URL length", "URLLENGTH_LIMIT", url_length),  # Scrapy's UrlLengthMiddleware would drop it silently
)


@lru_cache(maxsize=1 << 12)  # every rule, and the survey, asks about the same link, soon after each other
def _split(url: str) -> tuple[str, str, tuple[str, ...]]:
    """(host, path with every number as N, path segments) of a URL, split once."""
    parts = urlsplit(url)
    return parts.netloc, _NUMBER.sub("N", parts.path), tuple(s for s in parts.path.split("/") if s)


def url_pattern(url: str) -> tuple[str, str]:
    """(host, path with every number as N): what the pages of a calendar or a facet share."""
    return _split(url)[:2]


def below(url: str, parent: str) -> bool:
    """Is `url` deeper in the path than `parent`, under it, on the same host?"""
    (host, _, inner), (parent_host, _, outer) = _split(url), _split(parent)
    return host == parent_host and len(inner) > len(outer) and inner[:len(outer)] == outer


def without_session(url: str) -> tuple[str, list[str]]:
    """(`url` without its session-id parameters, their names); a URL with no parameters at all
    (most links) is returned at once."""
    if ";" not in url and "?" not in url:
        return url, []
    parts = urlsplit(url)
    found = [m.group(1).lower() for m in _PATH_SESSION.finditer(parts.path)]
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
    found += [k.lower() for k, _ in pairs if k.lower() in SESSION_PARAMS]
    if not found:
        return url, []
    query = urlencode(kept) if len(kept) < len(pairs) else parts.query
    return urlunsplit((parts.scheme, parts.netloc, _PATH_SESSION.sub("", parts.path), query, parts.fragment)), found


class TrapLimitMiddleware(DepthMiddleware):
    """DepthMiddleware whose limits, and TRAP_RULES', turn a link into a `trap_limit` failure."""

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        middleware.limits = [(what, setting, crawler.settings.getint(setting), measure)
                             for what, setting, measure in TRAP_RULES]
        middleware.barren = Counter()          # URL pattern -> links from barren listings into it
        middleware.sessions_seen: set[tuple[str, str]] = set()
        return middleware

    def process_spider_output(self, response, result, spider=None):
        if response is None:
            yield from super().process_spider_output(response, result)
            return
        yield from super().process_spider_output(response, self._surveyed(response, result))

    async def process_spider_output_async(self, response, result, spider=None):
        if response is None:
            async for o in super().process_spider_output_async(response, result):
                yield o
            return
        async for o in super().process_spider_output_async(response, self._surveyed_async(response, result)):
            yield o

    # A listing's output is held until it ends, to tell whether the listing is barren (its new links all
    # of its own URL pattern) before any of its links is measured; any other page's (a sitemap's 50,000
    # links) passes as it comes, once its kind is known, not all at once in memory.
    def _surveyed(self, response, result):
        held = []
        for o in result:
            held += self._unsessioned(o)
            if self._streams(response):
                yield from held
                held = []
        yield from self._survey_end(response, held)

    async def _surveyed_async(self, response, result):
        held = []
        async for o in result:
            held += self._unsessioned(o)
            if self._streams(response):
                for out in held:
                    yield out
                held = []
        for out in self._survey_end(response, held):
            yield out

    @staticmethod
    def _streams(response) -> bool:
        """Whether the page's kind is known and not a listing (then it is not barren)."""
        kind = response.meta.get("page_kind")
        if kind is None or kind == "listing":
            return False
        response.meta["barren"] = False
        return True

    @staticmethod
    def _survey_end(response, held: list) -> list:
        """What was held back, the page marked barren or not (a page whose kind is never known is not)."""
        own = url_pattern(response.url)
        response.meta["barren"] = (response.meta.get("page_kind") == "listing"
                                   and all(url_pattern(o.url) == own for o in held if isinstance(o, Request)))
        return held

    def _unsessioned(self, o) -> list:
        """`o`, a link without its session ids; the first such link of a site and parameter also recorded."""
        if not isinstance(o, Request):
            return [o]
        url, names = without_session(o.url)
        if not names:
            return [o]
        key = (_split(url)[0], names[0])
        if key in self.sessions_seen:
            return [o.replace(url=url)]
        self.sessions_seen.add(key)
        return [self.trap(o, f"session id in the URL ({names[0]}): followed without it"), o.replace(url=url)]

    def get_processed_request(self, request, response):
        if response is None:   # start requests
            return super().get_processed_request(request, response)
        from_listing = response.meta.get("page_kind") == "listing"
        request.meta["listing_hops"] = response.meta.get("listing_hops", 0) + 1 if from_listing else 0
        request.meta["path_hops"] = (response.meta.get("path_hops", 0) + 1
                                     if from_listing and below(request.url, response.url) else 0)
        if response.meta.get("barren"):
            pattern = url_pattern(request.url)
            self.barren[pattern] += 1
            request.meta["barren_links"] = self.barren[pattern]
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
