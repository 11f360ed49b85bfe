"""Is an address another article? The URL-shape cue of related blocks.

A related entry links to another article: of another site, or of this one
with an address shaped like an article's (an id or a date in it, a slug of
several words, or the same shape as this page's own address). Not this
page, its comment or print view, the site's root, a tag/author/search page,
or an ad network's redirect.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from .rules import RELATED_NOT_PATHS, RELATED_SPONSOR_HOSTS

_DIGIT = re.compile(r"\d")
_ID = re.compile(r"\d{3,}")  # an article id, or a year
_ARTICLE_ID = re.compile(r"\d{4,}")
_YEAR = re.compile(r"(19|20)\d\d")
_MIXED_ID = re.compile(r"(?=.*\d)[A-Za-z0-9]{8,}")  # "7PKD2AyaKNe", "cv1454"
_SLUG_SPLIT = re.compile(r"[-_+]+")
_SLUG_WORDS = 3
_NOT_PATHS = re.compile("|".join(RELATED_NOT_PATHS), re.I)
# The public suffix list as the installed tldextract ships it: never fetched (nothing leaves the machine).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def article_address(url: str, page_url: str) -> bool:
    """Whether `url`, linked from the article at `page_url`, is shaped like another article's address."""
    facts = _address(url)
    if facts is None:
        return False
    parts, url_key, ids, url_site, shaped = facts
    own, own_key, own_ids, own_site = _own(page_url)
    if url_key == own_key:
        return False
    if own_ids and ids == own_ids:
        return False  # this article's comments or print view
    return url_site != own_site or shaped or _same_shape(parts, own)


@lru_cache(maxsize=4096)
def _address(url: str) -> tuple | None:
    """(parts, key, ids, site, shaped like an article) of a linked address, None for one that is no
    article's whatever the page: not the web, an ad network, a site's root, a tag or search page.
    Remembered: a site links the same addresses from page after page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.netloc.lower()
    if any(host == h or host.endswith("." + h) for h in RELATED_SPONSOR_HOSTS):
        return None
    if parts.path.strip("/") == "" and not parts.query:
        return None
    if _NOT_PATHS.search(parts.path + ("?" + parts.query if parts.query else "")):
        return None
    return parts, key(url), frozenset(_ids(parts)), site(parts.hostname), _shaped_like_article(parts)


@lru_cache(maxsize=64)
def _own(page_url: str) -> tuple:
    """(parts, key, ids, site) of the page's own address: the same for every link a page asks about."""
    own = urlsplit(page_url)
    return own, key(page_url), _ids(own), site(own.hostname)


@lru_cache(maxsize=4096)
def key(url: str) -> str:
    """One address however written: no www., no trailing slash, no fragment (remembered: related
    entries and trails ask for the same addresses several times a page, and a site's on every page)."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}?{parts.query}"


def _ids(parts) -> set[str]:
    """The numbers in an address that name an article (years left out)."""
    return {n for n in _ARTICLE_ID.findall(parts.path + parts.query) if not _YEAR.fullmatch(n)}


@lru_cache(maxsize=4096)
def site(host: str | None) -> str:
    """The site a host belongs to, its domain under the public suffix: "news.site.com.cn" and
    "www.site.com.cn" are site.com.cn, while "a.com.cn" and "b.com.cn" are two sites."""
    parts = _SUFFIXES((host or "").lower())
    return ".".join(p for p in (parts.domain, parts.suffix) if p)


def _shaped_like_article(parts) -> bool:
    """An address shaped like an article's: an id or date in it, or a slug of several words.

    Section, tag and profile pages ("/parabens", "/profile/anna-menin") have neither.
    """
    if _ID.search(parts.path) or _ID.search(parts.query):
        return True
    last = parts.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return len(_SLUG_SPLIT.split(last)) >= _SLUG_WORDS or bool(_MIXED_ID.fullmatch(last))


def _same_shape(parts, own) -> bool:
    """Shaped like this article's own address: "/hw/raid.html" beside "/hw/ssd.html"."""
    if own.query and not _ID.search(own.path):  # "ReadNews.asp?NewsID=4173": the script names the kind
        return parts.path == own.path
    mine, theirs = own.path.strip("/").split("/"), parts.path.strip("/").split("/")
    if len(mine) != len(theirs) or _extension(mine[-1]) != _extension(theirs[-1]):
        return False
    if _DIGIT.search(mine[-1]) and not _DIGIT.search(theirs[-1]):
        return False  # "/read/home" beside "/read/cv1524": an index, not an article
    return _extension(mine[-1]) != "" or (len(mine) > 1 and mine[0] == theirs[0])


def _extension(segment: str) -> str:
    return segment.rsplit(".", 1)[-1].lower() if "." in segment else ""
