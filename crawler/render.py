"""Pages that exist only once their scripts have run: loaded in Debian's Chromium through scrapy-playwright.

Opt-in per site profile (`render = "browser"`, narrowed by `render_urls`).
Without it nothing here is installed and no browser starts; a page that
turns out to be a script shell is then a `needs_browser` failure
(crawler/middlewares/shells.py). With it, the spider hands http(s) to
scrapy-playwright's download handler, which passes every request not
marked for the browser on to Scrapy's own downloader, and installs
`RenderMiddleware` to mark the profile's page requests (`use_browser`):
robots.txt, sitemaps and feeds stay plain HTTP. This module (and
Playwright, about a second to import) is loaded only by such a crawl. The rendered DOM comes back as the response body
and goes through the same middlewares, extraction and sanitizing as a
served page.

A page has PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT to load and then at most
RENDER_SETTLE_TIMEOUT for its network to go quiet (the data its scripts
fetch and insert); a page that polls forever is taken as it is by then.
It loads nothing the text does not need (images, fonts, media) and nothing
off the crawl's domains (trackers, ads, other sites), so a rendered crawl
talks to the same hosts a plain one does.
"""
from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from playwright.async_api import Error as BrowserError, TimeoutError as BrowserTimeoutError
from scrapy.exceptions import CannotResolveHostError, DownloadFailedError, DownloadTimeoutError, NotConfigured
from scrapy_playwright.page import PageMethod

from crawler.middlewares.content import for_page

HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
MIDDLEWARE_ORDER = 900   # it only marks requests on their way down, so its place matters little
# Resource types (as Chromium names them) a rendered page is not allowed to load.
BLOCKED_RESOURCE_TYPES = frozenset(("image", "media", "font"))
# The browser's errors as the Scrapy errors of the same cause, so crawler/failures.py
# records `timeout`, `dns` and `connection` for a rendered page as for a fetched one:
# (browser error type, text its message holds or None, Scrapy error).
BROWSER_ERRORS = (
    (BrowserTimeoutError, None, DownloadTimeoutError),
    (BrowserError, "net::ERR_NAME_NOT_RESOLVED", CannotResolveHostError),
    (BrowserError, "net::ERR_CONNECTION_", DownloadFailedError),   # refused, reset, closed
)


class BlockedRequests:
    """PLAYWRIGHT_ABORT_REQUEST: refuses what a rendered page asks for that its text does not need, or off the crawl's hosts."""

    def __init__(self, on_site):
        self.on_site = on_site   # the spider's test of a URL against its allowed_domains

    def __call__(self, request) -> bool:
        return request.resource_type in BLOCKED_RESOURCE_TYPES or not self.on_site(request.url)


def use_browser(settings, on_site) -> None:
    """Settings of a crawl whose profile renders pages: http(s) through scrapy-playwright's handler,
    which starts Chromium at the first page marked for it, and RenderMiddleware. Called from the
    spider's from_crawler, before the settings freeze; a command-line -s still wins."""
    handlers = {**settings.getdict("DOWNLOAD_HANDLERS"), "http": HANDLER, "https": HANDLER}
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), f"{__name__}.RenderMiddleware": MIDDLEWARE_ORDER}
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")
    settings.set("PLAYWRIGHT_ABORT_REQUEST", BlockedRequests(on_site), priority="spider")


def check_browser(settings) -> None:
    """Refuse to start a rendering crawl on a machine without the browser it names (one error, not one per page)."""
    path = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS").get("executable_path")
    if path and not Path(path).is_file():
        raise FileNotFoundError(f'render = "browser" needs Chromium at {path} (apt-get install chromium), '
                                "or PLAYWRIGHT_LAUNCH_OPTIONS naming another executable_path")


async def settle(page, timeout_ms: float) -> None:
    """Wait until the page's network is quiet, at most `timeout_ms`; a page still busy then is taken as it is."""
    with suppress(BrowserTimeoutError):
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)


class RenderMiddleware:
    """Downloader middleware: marks the page requests of a rendering profile for the browser."""

    def __init__(self, profile, settle_ms: float):
        self.profile = profile
        self.settle_ms = settle_ms

    @classmethod
    def from_crawler(cls, crawler):
        profile = getattr(crawler.spider, "profile", None)
        if not (profile and profile.render):
            raise NotConfigured("no site profile asks for a browser")
        return cls(profile, crawler.settings.getfloat("RENDER_SETTLE_TIMEOUT") * 1000)

    def process_request(self, request, spider=None):
        if for_page(request) and self.profile.renders(request.url):
            request.meta["playwright"] = True
            request.meta["playwright_page_methods"] = [PageMethod(settle, self.settle_ms)]

    def process_exception(self, request, exception, spider=None):
        """A browser error raised again as Scrapy's error of the same cause (see BROWSER_ERRORS)."""
        for types, text, scrapy_error in BROWSER_ERRORS:
            if isinstance(exception, types) and (text is None or text in str(exception)):
                raise scrapy_error(str(exception).splitlines()[0]) from exception
        return None
