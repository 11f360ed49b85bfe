"""Sitemaps as sites write them: news and image extensions, indexes of indexes, any date format.

Scrapy's `Sitemap` reads `<loc>` and `<lastmod>` only. A Google News
sitemap dates its entries in `<news:publication_date>` instead, an image
sitemap nests `<image:loc>` URLs that are not pages, and CMSs write
`lastmod` in whatever format they like (W3C, RFC 822, "2025/03/05 10:00",
epoch seconds). Here every date comes out as ISO 8601, ready for the
incremental middleware, and a truncated sitemap gives the entries before
the cut (lxml's recovering parser).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lxml import etree

from crawler.middlewares.incremental import parse_time
from pipelines.normalize import to_iso8601

_CLOSED = re.compile(rb"</(?:[\w.-]+:)?(?:urlset|sitemapindex)\s*>\s*$")  # the root's end: not cut off
_PARSER = dict(recover=True, remove_comments=True, resolve_entities=False, no_network=True, huge_tree=True)


class NotASitemap(ValueError):
    """Bytes that are not a sitemap (an HTML error page, a robots.txt, garbage)."""


@dataclass(frozen=True)
class SitemapEntry:
    """One `<url>` of a urlset, or one `<sitemap>` of an index."""

    url: str
    lastmod: str | None = None        # ISO 8601: lastmod, else the news publication date
    published_at: str | None = None   # ISO 8601, from <news:publication_date>
    images: tuple[str, ...] = ()      # <image:loc> URLs: the page's images, never pages themselves


@dataclass
class Sitemap:
    kind: str                         # "urlset" or "sitemapindex"
    entries: list[SitemapEntry] = field(default_factory=list)


def sitemap_date(value: str | None) -> str | None:
    """A sitemap date in any format sites write, as ISO 8601 (date-only stays date-only); None if unreadable."""
    text = (value or "").strip()
    if text.isdigit() and len(text) == 10:  # epoch seconds
        return datetime.fromtimestamp(int(text), timezone.utc).isoformat(timespec="seconds")
    return to_iso8601(text)


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element) -> str:
    return (element.text or "").strip()


def _entry(element) -> SitemapEntry | None:
    fields = {"loc": "", "lastmod": None, "publication_date": None}
    images = []
    for child in element:
        name = _local(child)
        if name in ("loc", "lastmod"):
            fields[name] = _text(child)
        elif name == "news":
            for part in child.iter():
                if _local(part) == "publication_date":
                    fields["publication_date"] = _text(part)
        elif name == "image":
            images += [_text(part) for part in child if _local(part) == "loc" and _text(part)]
    if not fields["loc"]:
        return None
    published = sitemap_date(fields["publication_date"])
    return SitemapEntry(fields["loc"], sitemap_date(fields["lastmod"]) or published, published, tuple(images))


def parse_sitemap(body: bytes) -> Sitemap:
    """The entries of a sitemap's (already gunzipped) bytes; NotASitemap when it is none."""
    parser = etree.XMLParser(**_PARSER)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise NotASitemap(str(exc)) from None
    kind = _local(root) if root is not None else ""
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"root element <{kind or '?'}>")
    entries = [e for e in map(_entry, root) if e is not None]
    if parser.error_log and not _CLOSED.search(body[-256:]):
        entries = entries[:-1]  # cut off: the last entry may be cut too (half a URL)
    return Sitemap(kind, entries)


def older_than(entry: SitemapEntry, max_age: timedelta | None, now: datetime) -> bool:
    """Is the entry dated before `max_age` ago? An undated one never is: nothing says it is old."""
    when = parse_time(entry.lastmod)
    return bool(max_age) and when is not None and when < now - max_age
