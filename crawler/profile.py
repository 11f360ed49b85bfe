"""Site profiles: what a `sites/NAME.toml` file says about one site.

A profile is optional. Without one the spider starts from the URLs it is
given and extraction relies on generic detection; with one, its selectors
are tried first and its URL patterns decide what is an article. A bad
profile fails on load with the file and key in the message, not mid-crawl.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.durations import parse_duration

SELECTOR_FIELDS = ("title", "body", "breadcrumbs", "related", "published_at", "author")
RENDER_MODES = ("browser",)   # `render = "browser"`: pages are loaded in a browser (crawler/render.py)
_PROBE = Selector(text="<html><body></body></html>")


class ProfileError(ValueError):
    """A site profile that cannot be used, with where and why."""


@dataclass(frozen=True)
class SiteProfile:
    name: str
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_urls: tuple[re.Pattern, ...] = ()   # a URL matching one is an article page
    skip_urls: tuple[re.Pattern, ...] = ()      # never requested
    selectors: dict[str, str] = field(default_factory=dict)  # field -> CSS, or "xpath:..."
    max_pages: int = 0                          # 0 = no limit
    depth: int = 0                              # 0 = no limit
    listing_pages: int = 0                      # pages of a paginated listing read, from its first; 0 = no limit
    recrawl_after: timedelta | None = None      # a known article is fetched again after this; None = the setting
    feeds: tuple[str, ...] = ()                 # RSS/Atom feeds read every run, beside those pages announce
    sitemap_max_age: timedelta | None = None    # sitemap entries dated longer ago than this are not taken
    render: str | None = None                   # "browser": pages are rendered by Chromium; None = served HTML
    render_urls: tuple[re.Pattern, ...] = ()    # with render, only pages matching one are rendered; () = all

    def select(self, sel: Selector, name: str):
        """The SelectorList a profile selector picks in `sel` (empty when it has none)."""
        query = self.selectors.get(name)
        if not query:
            return sel.xpath("/..")  # an empty SelectorList
        if query.startswith("xpath:"):
            return sel.xpath(query[len("xpath:"):])
        return sel.css(query)

    def is_article_url(self, url: str) -> bool | None:
        """True/False when the profile has article patterns, None when it leaves it to detection."""
        if not self.article_urls:
            return None
        return any(p.search(url) for p in self.article_urls)

    def skips(self, url: str) -> bool:
        return any(p.search(url) for p in self.skip_urls)

    def renders(self, url: str) -> bool:
        """Whether the page at `url` is to be loaded in a browser rather than taken as served."""
        return self.render == "browser" and (not self.render_urls or any(p.search(url) for p in self.render_urls))


def _patterns(path: Path, key: str, values) -> tuple[re.Pattern, ...]:
    try:
        return tuple(re.compile(v) for v in values)
    except re.error as exc:
        raise ProfileError(f"{path}: {key}: bad regular expression {exc.pattern!r}: {exc}") from None


def _duration(path: Path, data: dict, key: str) -> timedelta | None:
    try:
        return parse_duration(data[key]) if key in data else None
    except ValueError as exc:
        raise ProfileError(f"{path}: {key}: {exc}") from None


def _check_selector(path: Path, name: str, query: str) -> None:
    if name not in SELECTOR_FIELDS:
        raise ProfileError(f"{path}: selectors.{name}: unknown field (known: {', '.join(SELECTOR_FIELDS)})")
    try:
        if query.startswith("xpath:"):
            _PROBE.xpath(query[len("xpath:"):])
        else:
            _PROBE.css(query)
    except Exception as exc:  # parsel/cssselect/lxml raise several types
        raise ProfileError(f"{path}: selectors.{name}: bad selector {query!r}: {exc}") from None


def profile_path(site: str | Path) -> Path:
    """`sites/NAME.toml` for a bare NAME (`--site demo`), else the path as given."""
    path = Path(site)
    if path.suffix or path.exists() or len(path.parts) > 1:
        return path
    return Path("sites") / f"{site}.toml"


def load_profile(site: str | Path) -> SiteProfile:
    """Read and validate a site profile TOML file (a path, or a NAME under sites/)."""
    path = profile_path(site)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such site profile") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    selectors = data.get("selectors", {})
    for name, query in selectors.items():
        _check_selector(path, name, query)
    recrawl_after, sitemap_max_age = (_duration(path, data, key) for key in ("recrawl_after", "sitemap_max_age"))
    start_urls = tuple(data.get("start_urls", ()))
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list) or not all(isinstance(f, str) for f in feeds):
        raise ProfileError(f"{path}: feeds: a list of URLs, e.g. [\"/feed.xml\"]")
    if not start_urls and any(not urlsplit(f).scheme for f in feeds):
        raise ProfileError(f"{path}: feeds: a relative URL needs start_urls to be relative to")
    render = data.get("render")
    if render is not None and render not in RENDER_MODES:
        raise ProfileError(f"{path}: render: {render!r} is not one of {', '.join(map(repr, RENDER_MODES))}")
    if "render_urls" in data and render is None:
        raise ProfileError(f"{path}: render_urls: needs render = \"browser\"")
    domains = data.get("allowed_domains") or sorted({urlsplit(u).hostname for u in start_urls})
    return SiteProfile(
        name=data.get("name", path.stem),
        start_urls=start_urls,
        allowed_domains=tuple(domains),
        article_urls=_patterns(path, "article_urls", data.get("article_urls", ())),
        skip_urls=_patterns(path, "skip_urls", data.get("skip_urls", ())),
        selectors=dict(selectors),
        max_pages=int(data.get("max_pages", 0)),
        depth=int(data.get("depth", 0)),
        listing_pages=int(data.get("listing_pages", 0)),
        recrawl_after=recrawl_after,
        feeds=tuple(urljoin(start_urls[0], f) if start_urls else f for f in feeds),
        sitemap_max_age=sitemap_max_age or None,
        render=render,
        render_urls=_patterns(path, "render_urls", data.get("render_urls", ())),
    )
