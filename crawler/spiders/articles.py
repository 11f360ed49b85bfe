"""The `articles` spider: discover article pages and hand each one, extracted, to the pipelines.

Discovery, in the order a site usually offers it: the sitemaps named in
robots.txt (and /sitemap.xml) and the site's feeds (crawler/spiders/discovery.py),
the start pages and the paginated listings they link to, and the
related-article blocks inside articles. An article split over pages is
read part by part and archived as one (crawler/spiders/parts.py). Which pages
are articles is the site profile's call when it has URL patterns, else
`crawler.extract.page_kind`'s. Listings (and pages that are neither) are
followed, never archived: a `ListingItem` records each one and why.
Every request that fails ends as a `FailureItem`, so the archive says why:
the middlewares in `crawler/middlewares` refuse what is not an HTML page,
loops, traps and the like, and the errback records it. Archived articles
that are not due are never requested (crawler/middlewares/incremental.py);
one that answers 304 becomes a `NotModifiedItem`, its empty page not followed.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy

from crawler.extract.rulecheck import check_rules
from crawler.failures import failure_item, from_failure, utc_now
from crawler.items import ArticleItem, ListingItem, NotModifiedItem
from crawler.middlewares.traps import without_session
from crawler.profile import load_profile
from crawler.spiders.discovery import Discovery
from crawler.spiders.parts import SplitArticles
from crawler.workers import PageAnalyser

KEPT_HEADERS = ("content-type", "etag", "last-modified")


class ArticlesSpider(Discovery, SplitArticles, scrapy.Spider):
    name = "articles"

    def __init__(self, start_urls: str | list[str] = (), site: str | None = None, **kwargs):
        """`start_urls`: a list, or a comma-separated string (`-a start_urls=A,B`);
        `site`: a path to a site profile TOML file."""
        super().__init__(**kwargs)
        self.profile = load_profile(site) if site else None
        if isinstance(start_urls, str):
            start_urls = [u for u in start_urls.split(",") if u]
        self.start_urls = list(start_urls) or list(self.profile.start_urls if self.profile else ())
        if not self.start_urls:
            raise ValueError("nothing to crawl: give start URLs or a site profile with start_urls")
        domains = self.profile.allowed_domains if self.profile else ()
        self.allowed_domains = list(domains) or sorted({urlsplit(u).hostname for u in self.start_urls})
        self.site = self.profile.name if self.profile else urlsplit(self.start_urls[0]).netloc
        # URLs this process already asked for. Scrapy's dupefilter (swappable,
        # shared under scrapy-redis) stays the authority; this only spares
        # building a Request it would drop: a page links ~20 already-seen URLs.
        self.requested: set[str] = set()
        self.hints: dict[str, dict] = {}  # article URL -> the date and author its feed entry states
        # In process until from_crawler sets up the configured worker pool.
        self.analyser = PageAnalyser(0, self.profile)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        check_rules()   # `scrapy crawl` too stops at start on a rule selector that does not compile
        kwargs.setdefault("site", crawler.settings.get("ARCHIVE_SITE_PROFILE"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.profile:
            # A profile's limits apply unless the command line set its own.
            for setting, value in (("CLOSESPIDER_PAGECOUNT", spider.profile.max_pages),
                                   ("DEPTH_LIMIT", spider.profile.depth)):
                if value and not crawler.settings.getint(setting):
                    crawler.settings.set(setting, value, priority="spider")
            if spider.profile.recrawl_after is not None:  # a command-line -s still wins
                crawler.settings.set("ARCHIVE_RECRAWL_AFTER", spider.profile.recrawl_after.total_seconds(),
                                     priority="spider")
            if spider.profile.render:
                from crawler.render import use_browser  # Playwright is imported only by crawls that render
                use_browser(crawler.settings, spider.on_site)
        spider.analyser = PageAnalyser.from_crawler(crawler, spider.profile)
        return spider

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True,
                                 meta={"start_page": True})
        for request in self.discovery_requests():
            yield request

    # -- discovery ---------------------------------------------------------
    def follow(self, urls, lastmod: str | None = None):
        """Requests for the http(s) URLs on the crawl's domains the profile does not skip; Scrapy drops seen ones.

        A sitemap's `lastmod` (or a feed entry's date) rides in the request's meta for the incremental
        middleware; it may make due a page that a link without one did not.
        """
        meta = {"lastmod": lastmod} if lastmod else None
        for url in urls:
            # seen as the traps middleware will request it: a session id in every link makes no new page
            seen_as = without_session(url)[0] if url else url
            if not url or (seen_as in self.requested and not meta):
                continue
            self.requested.add(seen_as)
            if (urlsplit(url).scheme in ("http", "https") and self.on_site(url)
                    and not (self.profile and self.profile.skips(url))):
                yield scrapy.Request(url, callback=self.parse, errback=self.failed, meta=meta)

    def on_site(self, url: str) -> bool:
        """On one of allowed_domains or a subdomain (as Scrapy's offsite check has it)."""
        host = urlsplit(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    # -- pages -------------------------------------------------------------
    async def parse(self, response):
        """An HTML page (crawler.middlewares.content lets nothing else through): archive it or follow it;
        or an archived article's 304 Not Modified."""
        if response.status == 304:
            yield NotModifiedItem(url=response.url, fetched_at=utc_now())
            return
        if response.meta.get("start_page"):
            for request in self.announced_feeds(response):
                yield request
        fetched_at = datetime.now(timezone.utc)  # also what "3小时前" on the page is counted back from
        page = await self.analyser.analyse(response.body, response.url, fetched_at, self.hints_for(response),
                                           encoding=response.encoding)
        response.meta["page_kind"] = page.kind
        if page.kind != "article":
            yield ListingItem(url=response.url, kind=page.kind, why=page.why, links=len(page.links),
                              fetched_at=fetched_at.isoformat(timespec="seconds"))
            for request in self.follow_listing(response, page.links):
                yield request
            return
        if page.error:
            self.logger.error("extraction failed: %s: %s", response.url, page.error)
            yield failure_item(response.url, "extract_error", page.error, response=response)
            return
        item = page.item   # normalized and fingerprinted already (crawler/analysis.py)
        if not item["body_text"]:   # never a half-stored article
            yield failure_item(response.url, "extract_error", "an article page without article text",
                               response=response)
            return
        article = ArticleItem(
            **item,
            site=self.site,
            http_status=response.status,
            encoding=response.encoding,
            encoding_source=response.meta.get("encoding_source"),
            headers={h: response.headers.get(h).decode("latin-1")
                     for h in KEPT_HEADERS if response.headers.get(h)},
            raw_html=response.body,
            redirected_from=response.meta.get("redirect_urls", []),
            fetched_at=fetched_at.isoformat(timespec="seconds"),
        )
        for out in self.article_or_parts(article, page.parts, response):  # one article of all its pages
            yield out
        for request in self.follow([r["url"] for r in item["related"]] + [c["url"] for c in item["breadcrumbs"]]):
            yield request

    # -- failures ----------------------------------------------------------
    def failed(self, failure):
        yield from_failure(failure)
