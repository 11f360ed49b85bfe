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
from w3lib.encoding import html_to_unicode
from w3lib.html import get_base_url, get_meta_refresh
from w3lib.url import canonicalize_url

from crawler.failures import Refused

# The start of a page Scrapy looks for a <meta refresh> in (scrapy.utils.response.get_meta_refresh), in
# characters; and the bytes read for it, which hold that many in any charset of up to 4 bytes a character.
REFRESH_CHARS = 4096
REFRESH_BYTES = 4 * REFRESH_CHARS


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
    """<meta http-equiv="refresh"> redirects, to http(s) URLs only.

    Scrapy's reads the start of response.text, which decodes the whole page
    in the crawl's process; a page is analysed (and decoded) in a worker, so
    the start is decoded here from the first bytes, and a page without a
    refresh to follow never reaches Scrapy's."""

    def process_response(self, request, response, spider=None):
        if isinstance(response, HtmlResponse):
            start = page_start(response)
            _, url = get_meta_refresh(start, get_base_url(start, response.url, response.encoding),
                                      response.encoding, ignore_tags=self._ignore_tags)
            if not url or urlsplit(url).scheme not in ("http", "https"):
                return response
        return super().process_response(request, response)


def page_start(response) -> str:
    """response.text[:REFRESH_CHARS], decoded from the first REFRESH_BYTES only (all of it in a charset that
    takes more a character: escape sequences); the end cut off mid-character is past what is kept."""
    head = response.body[:REFRESH_BYTES]
    text = html_to_unicode(f"charset={response.encoding}", head)[1]
    if len(text) <= REFRESH_CHARS and len(head) < len(response.body):
        text = response.text
    return text[:REFRESH_CHARS]
