"""Where the `articles` spider learns of articles besides links: sitemaps, feeds, paginated listings.

Sitemaps come from robots.txt and /sitemap.xml; feeds from the site
profile's `feeds`, from the `<link rel="alternate">` of start pages and
listings, and, when a start page announces none, from the paths sites
commonly keep them at. Both are fetched every run (they are never articles),
and their entries become article requests carrying the entry's date as
`lastmod`, so the incremental middleware asks again only for what changed.
An entry's publication date and author are kept as hints: an article page
that shows none gets the feed's (`date_source` "feed" or "sitemap").
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from parsel import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.failures import failure_item
from crawler.feeds import COMMON_FEED_PATHS, feed_links, parse_feed
from crawler.pagination import pagination_links
from crawler.sitemaps import NotASitemap, older_than, parse_sitemap

DISCOVERY_PRIORITY = 10  # sitemaps and feeds before pages: their dates decide which pages are due


def site_roots(urls) -> list[str]:
    return sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in urls})


class Discovery:
    """ArticlesSpider's sitemaps, feeds and listing pagination (a mixin: it uses the spider's `follow`, `failed`, `profile`)."""

    def discovery_requests(self):
        """The run's sitemap probes and the profile's feeds."""
        for root in site_roots(self.start_urls):
            for path in ("/robots.txt", "/sitemap.xml"):
                # Probes: a site without a sitemap is normal, not a failure.
                yield scrapy.Request(root + path, callback=self.parse_sitemap, priority=DISCOVERY_PRIORITY)
        for url in self.profile.feeds if self.profile else ():
            yield self.feed_request(url)

    # -- sitemaps ----------------------------------------------------------
    def parse_sitemap(self, response):
        """Follow the sitemaps robots.txt names, sitemap indexes (of indexes), and the pages a urlset lists.

        With the profile's `sitemap_max_age`, entries and whole sitemaps of an
        index dated longer ago are left out: a 500,000-URL site stays cheap.
        With its `listing_pages`, so are the listings it names.
        """
        response.meta["page_kind"] = "sitemap"   # no listing: its links pass on as they come (middlewares/traps.py)
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield scrapy.Request(url, callback=self.parse_sitemap, priority=DISCOVERY_PRIORITY)
            return
        try:
            body = response.body
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = parse_sitemap(body)
        except (NotASitemap, OSError, ValueError) as exc:  # gzip errors are OSErrors, its size limit a ValueError
            self.logger.info("not a sitemap: %s (%s)", response.url, exc)
            return
        max_age = self.profile.sitemap_max_age if self.profile else None
        now = datetime.now(timezone.utc)
        for entry in sitemap.entries:
            if older_than(entry, max_age, now):
                self.crawler.stats.inc_value("sitemap/too_old")
                continue
            if sitemap.kind == "sitemapindex":
                yield scrapy.Request(entry.url, callback=self.parse_sitemap, priority=DISCOVERY_PRIORITY)
                continue
            if self.listing_limited(entry.url):
                continue
            if entry.published_at:
                self.hints[entry.url] = {"published_at": entry.published_at, "source": "sitemap"}
            yield from self.follow([entry.url], lastmod=entry.lastmod)

    # -- feeds -------------------------------------------------------------
    def feed_request(self, url: str, probe: bool = False) -> scrapy.Request:
        """A feed is asked for every run; a probed path that is not there is no failure."""
        return scrapy.Request(url, callback=self.parse_feed, errback=None if probe else self.failed,
                              priority=DISCOVERY_PRIORITY, meta={"feed_probe": probe})

    def announced_feeds(self, response, sel: Selector | None = None):
        """Requests for the feeds a page announces; for a start page that announces none, the common paths.

        Read from a start page before its analysis, so that a cron run's
        feed does not wait for the analysis worker to start.
        """
        found = feed_links(sel if sel is not None else _plain_selector(response), response.url)
        for url in found:
            if url not in self.requested and self.on_site(url):
                self.requested.add(url)
                yield self.feed_request(url)
        if not found and response.meta.get("start_page") and not (self.profile and self.profile.feeds):
            for root in site_roots([response.url]):
                for path in COMMON_FEED_PATHS:
                    if root + path not in self.requested:
                        self.requested.add(root + path)
                        yield self.feed_request(root + path, probe=True)

    def parse_feed(self, response):
        """Every entry of an RSS or Atom feed, read as far as it goes; a damaged feed is also recorded."""
        response.meta["page_kind"] = "feed"
        feed = parse_feed(response.body, response.url,
                          (response.headers.get("Content-Type") or b"").decode("latin-1") or None)
        if feed.problem and not (response.meta.get("feed_probe") and not feed.entries):
            self.crawler.stats.inc_value("feeds/damaged")
            yield failure_item(response.url, "feed_error", f"{feed.problem} ({len(feed.entries)} entries read)",
                               response=response)
        self.crawler.stats.inc_value("feeds/entries", len(feed.entries))
        for entry in feed.entries:
            hints = {k: v for k, v in (("published_at", entry.published_at), ("author", entry.author)) if v}
            if hints:
                self.hints[entry.url] = {**hints, "source": "feed"}
            yield from self.follow([entry.url], lastmod=entry.updated)

    # -- listings ----------------------------------------------------------
    def listing_limited(self, url: str) -> bool:
        """A sitemap entry the profile does not call an article (a listing page, a tag page) while
        `listing_pages` limits listings: taken, the sitemap would read every page of every listing."""
        return bool(self.profile and self.profile.listing_pages and self.profile.is_article_url(url) is False)

    def follow_listing(self, response, links: list[str]):
        """Requests for a listing's feeds and links, its pagination up to the profile's `listing_pages`.

        A start page is page 1; a page reached by a pagination link is the
        page that link names; any other link keeps the current number, so a
        section link on page 3 does not start the count again.
        """
        limit = self.profile.listing_pages if self.profile else 0
        feeds_unread = not response.meta.get("start_page")  # a start page's were read before its analysis
        sel = _plain_selector(response) if feeds_unread or limit else None  # parsed once, for both
        if feeds_unread:
            yield from self.announced_feeds(response, sel)
        if not limit:
            yield from self.follow(links)
            return
        current = response.meta.get("listing_page", 1)
        pages = pagination_links(sel, response.url, current)
        for url in dict.fromkeys([*links, *pages]):
            page = current if self.profile.is_article_url(url) else pages.get(url, current)  # "12" comments
            if page > limit:
                self.crawler.stats.inc_value("pagination/past_limit")
                continue
            for request in self.follow([url]):
                request.meta["listing_page"] = page
                yield request

    # -- hints -------------------------------------------------------------
    def hints_for(self, response) -> dict | None:
        """The date and author the page's feed entry or sitemap states (for crawler.analysis.with_hints).

        Taken out as the page is read: a crawl reads a page once, and kept,
        the hints of a large sitemap would stay in memory for the whole crawl.
        """
        url = (response.meta.get("redirect_urls") or [response.url])[0]
        first, last = self.hints.pop(url, None), self.hints.pop(response.url, None)
        return first or last


def _plain_selector(response) -> Selector:
    """The page parsed without Scrapy's <base href> handling, which raises on a malformed base
    (the links read here are resolved against the page's own URL)."""
    return Selector(text=response.text, type="html")
