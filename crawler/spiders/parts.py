"""How the `articles` spider reads an article split over pages (crawler/parts.py says which pages are parts).

Part 1 asks for part 2, part 2 for part 3, one request at a time and in
order, each carrying the items of the parts before it in
`meta["split_article"]`; the last yields one ArticleItem at part 1's
address with the bodies joined and every part in its `parts` list. So the
parts are never archived as articles of their own, and a later part reached
on its own (a sitemap, a listing) is not archived either: part 1 is asked
for instead, which reads them all.

The chain stops, and the article is archived with the parts read so far,
when a part fails (a 404, a timeout, a refusal: also a failures row), when
a page it reached does not show the article's headline or leads back to a
part already read (it is no part), at the DEPTH_LIMIT and at
ARCHIVE_MAX_PARTS; each stop is said in the `parts` list.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy

from crawler.failures import from_failure
from crawler.items import ArticleItem
from crawler.parts import Parts, join_parts, same_headline


class SplitArticles:
    """ArticlesSpider's multi-page articles (a mixin: it uses the spider's `analyser`, `follow`, `settings`)."""

    def article_or_parts(self, article: ArticleItem, parts: Parts | None, response):
        """What an article page yields: the article; or, on part 1 of a split article, the request
        for part 2; or, on a later part, the request for part 1."""
        if parts is None:
            yield article
        elif parts.number > 1:
            self.crawler.stats.inc_value("parts/later_part_reached")
            yield from self.follow([parts.first])
        else:
            state = {"items": [dict(article)], "parts": [_part(response.url, "ok", response.status)]}
            yield from self.next_part(state, parts.next, response)

    def next_part(self, state: dict, url: str | None, response):
        """The request for the part at `url`, or the joined article when the chain ends here."""
        why_not = url and self.unread(state, response)
        if url and not why_not:
            yield scrapy.Request(url, callback=self.parse_part, errback=self.part_failed, dont_filter=True,
                                 meta={"split_article": state})
            return
        if why_not:
            self.crawler.stats.inc_value("parts/stopped")
            state["parts"].append(_part(url, "not_read", error=why_not))
        yield self.joined(state)

    def unread(self, state: dict, response) -> str | None:
        """Why the next part is not asked for; None when it is."""
        most, depth_limit = self.settings.getint("ARCHIVE_MAX_PARTS"), self.settings.getint("DEPTH_LIMIT")
        if most and len(state["parts"]) >= most:
            return f"over ARCHIVE_MAX_PARTS ({most})"
        if depth_limit and response.meta.get("depth", 0) + 1 > depth_limit:
            return f"over DEPTH_LIMIT ({depth_limit})"   # the trap middleware would drop it without a word here
        return None

    async def parse_part(self, response):
        """A later part: joined when it is one, then on to the next."""
        state = response.meta["split_article"]
        page = await self.analyser.analyse(response.body, response.url, datetime.now(timezone.utc), part=True,
                                           encoding=response.encoding)
        why_not = _not_a_part(page, response.url, state)
        if why_not:
            state["parts"].append(_part(response.url, "not_part", response.status, why_not))
            yield self.joined(state)
            return
        state["items"].append(page.item)
        # its bytes kept with it, as part 1's are in raw_pages: `archive reparse` joins the parts again
        state["parts"].append({**_part(response.url, "ok", response.status),
                               "raw_html": response.body, "encoding": response.encoding})
        # numbers rise by one from part to part, so the chain cannot loop
        in_order = page.parts is not None and page.parts.number == len(state["parts"])
        for out in self.next_part(state, page.parts.next if in_order else None, response):
            yield out

    def part_failed(self, failure):
        """A part that could not be read: its failures row, and the article with the parts before it."""
        state = failure.request.meta["split_article"]
        failed = from_failure(failure)
        yield failed
        state["parts"].append(_part(failure.request.url, "failed", failed["http_status"], failed["error"]))
        yield self.joined(state)

    def joined(self, state: dict) -> ArticleItem:
        self.crawler.stats.inc_value("parts/articles")
        return ArticleItem(**join_parts(state["items"]), parts=state["parts"])


def _not_a_part(page, url: str, state: dict) -> str | None:
    """Why a page the chain reached is no part of its article; None when it is one."""
    headline, item = state["items"][0].get("title"), page.item or {}
    if page.error:
        return page.error
    if url in {p["url"] for p in state["parts"]}:
        return "redirected back to a part already read"
    if not item.get("body_text"):
        return "no article text"
    if not same_headline(headline, item.get("title")):
        return f"its headline {item.get('title')!r} is not the article's {headline!r}"
    return None


def _part(url: str, status: str, http_status: int | None = None, error: str | None = None) -> dict:
    """One row of an article's `parts` (see README, article_parts)."""
    return {"url": url, "status": status, "http_status": http_status, "error": error}
