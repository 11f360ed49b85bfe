"""Redirects (HTTP and <meta refresh>) whose loops and overlong chains are recorded, not dropped.

Scrapy's redirect middlewares hand a redirect back to the scheduler, whose
dupefilter silently drops one that returns to a URL already seen, and give
up on a chain over REDIRECT_MAX_TIMES with a bare IgnoreRequest. Here both
end as `redirect_loop` failures naming the chain. A <meta refresh> to
anything but http(s) (javascript:, data:) is ignored: Scrapy 2.19 would
raise building a Request for it. Targets outside the crawl's domains are
recorded by `crawler.middlewares.offsite`.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares import redirect
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh
from w3lib.url import canonicalize_url

from crawler.failures import Refused


class LoopCheck:
    """Mixin for a Scrapy redirect middleware: loops and chains over the cap become `redirect_loop`."""

    def process_response(self, request, response, spider=None):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        try:
            result = super().process_response(request, response)
        except Refused:
            raise
        except IgnoreRequest as exc:
            raise Refused("redirect_loop", f"more than {self.max_redirect_times} redirects: "
                          + " -> ".join(chain), response) from exc
        if isinstance(result, Request):
            seen = {canonicalize_url(url) for url in chain}
            if canonicalize_url(result.url) in seen:
                raise Refused("redirect_loop", "redirect loop: " + " -> ".join([*chain, result.url]), response)
        return result


class RedirectMiddleware(LoopCheck, redirect.RedirectMiddleware):
    """HTTP 3xx redirects."""


class MetaRefreshMiddleware(LoopCheck, redirect.MetaRefreshMiddleware):
    """<meta http-equiv="refresh"> redirects, to http(s) URLs only."""

    def process_response(self, request, response, spider=None):
        if isinstance(response, HtmlResponse):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and urlsplit(url).scheme not in ("http", "https"):
                return response
        return super().process_response(request, response)
