"""Feeds (RSS 2.0, RSS 1.0/RDF, Atom): where sites announce new articles first.

A daily run that reads a site's feed finds today's articles in one request.
Parsing is feedparser's: it reads malformed, truncated and wrongly encoded
feeds as far as they go and says what was wrong (its `bozo` flag), which
the spider records. Each entry gives the article URL, the date to compare
with the archive's last fetch (like a sitemap's lastmod), and the date and
author the page itself may not show.
"""
from __future__ import annotations

import calendar
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser
from parsel import Selector

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from crawler.decoding import decide_encoding

# <link rel="alternate" type=...> values that announce a feed.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Where sites keep a feed they do not link to; tried only when a start page points to none.
COMMON_FEED_PATHS = ("/feed", "/rss", "/atom.xml", "/index.xml", "/feed.xml", "/rss.xml")

_ALTERNATE = ("//link[contains(concat(' ', normalize-space(translate(@rel, 'ALTERNATE', 'alternate')), ' '),"
              " ' alternate ')][@href]")


@dataclass(frozen=True)
class Entry:
    """One feed entry: the article it points to and what the feed says about it."""

    url: str
    updated: str | None = None       # ISO 8601: when the entry last changed (else was published)
    published_at: str | None = None  # ISO 8601
    author: str | None = None


@dataclass
class Feed:
    entries: list[Entry] = field(default_factory=list)
    version: str = ""                # feedparser's name for the format ("rss20", "atom10", "rss10", ...)
    problem: str | None = None       # what was wrong with the bytes, when parsing had to recover


def feed_links(sel: Selector, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page announces in its <link rel="alternate">, in page order."""
    links = []
    for link in sel.xpath(_ALTERNATE):
        kind = (link.attrib.get("type") or "").split(";")[0].strip().lower()
        if kind in FEED_TYPES:
            links.append(urljoin(base_url, link.attrib["href"].strip()))
    return list(dict.fromkeys(links))


def _iso(parsed) -> str | None:
    """feedparser's UTC time.struct_time as ISO 8601."""
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc).isoformat(timespec="seconds")


def _author(entry) -> str | None:
    detail = entry.get("author_detail") or {}
    return (detail.get("name") or entry.get("author") or "").strip() or None


def _parse(body: bytes, url: str, content_type: str | None):
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    return feedparser.parse(io.BytesIO(body), response_headers=headers,
                            sanitize_html=False, resolve_relative_uris=False)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """The entries of a feed's bytes, as far as they can be read; never raises.

    The bytes are decoded by evidence, as pages are (crawler.middlewares.encoding):
    feedparser believes a charset the bytes contradict, or falls back to
    windows-1252, and either garbles Chinese. They go to feedparser as a
    stream: it would take a short bytes string for a file name and open it.
    """
    encoding, source = decide_encoding(body, content_type)
    declared = http_content_type_encoding(content_type or "") or html_body_declared_encoding(body)
    parsed = _parse(body.decode(encoding, "replace").encode("utf-8"), url, "application/xml; charset=utf-8")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or next((l.get("href") for l in entry.get("links", ()) if l.get("href")), None)
        if not link:
            continue
        # dict.get: feedparser's own get() answers updated_parsed with published_parsed, and warns
        updated = _iso(dict.get(entry, "updated_parsed"))
        published = _iso(dict.get(entry, "published_parsed")) or updated
        entries.append(Entry(url=urljoin(url, link.strip()), updated=updated or published,
                             published_at=published, author=_author(entry)))
    problems = []
    if declared and source == "bytes":
        problems.append(f"declared {declared}, but the bytes are {encoding}")
    exc = parsed.get("bozo_exception")
    if exc is not None and not isinstance(exc, feedparser.CharacterEncodingOverride):  # ours, after re-encoding
        problems.append(f"{type(exc).__name__}: {exc}")
    if not parsed.get("version") and not entries:
        problems.append("not a feed")
    return Feed(entries, parsed.get("version") or "", "; ".join(problems) or None)
