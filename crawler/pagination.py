"""Listing pagination: which links of a listing lead to which of its pages.

A site's listings run to hundreds of pages, and a cron run needs the first
few. The profile's `listing_pages` says how many; this module says, for each
pagination link of a listing, the number of the page it leads to: rel=next
and rel=prev count one more and one less than the current page, other links
what their text says (crawler.extract.pagenumbers: "2", "第2页", "下一页",
"Previous", "尾页").
"""
from __future__ import annotations

from urllib.parse import urljoin

from parsel import Selector

from crawler.extract.pagenumbers import page_of
from crawler.extract.text import text_of

# A rel value's tokens as XPath's normalize-space splits them, the letters of "next" and "prev" in any case.
_REL_SPACES = str.maketrans("\t\r\nNEXTPRV", "   nextprv")


def pagination_links(sel: Selector, url: str, current: int = 1) -> dict[str, float]:
    """Absolute URL -> page number, for the pagination links of a listing that is page `current`."""
    pages: dict[str, float] = {}
    rels = _rel_hrefs(sel.root)
    for rel, page in (("next", current + 1), ("prev", max(1, current - 1))):
        for href in rels[rel]:
            pages.setdefault(urljoin(url, href.strip()), page)
    for link in sel.root.iter("a"):   # lxml itself: a parsel Selector per link costs more than the rest
        text = " ".join(text_of(link).split()) or link.get("aria-label") or link.get("title")
        page = page_of(text or "", current)
        target = _join(url, link.get("href")) if page is not None else None
        if target is not None:
            pages.setdefault(target, page)
    return pages


def _rel_hrefs(root) -> dict[str, list[str]]:
    """The href of each <a> and <link> whose rel says "next" / "prev", in one walk of the page's links:
    an XPath for each, with its string functions, scanned the whole page four times."""
    found: dict[str, list[str]] = {"next": [], "prev": []}
    for el in root.iter("a", "link"):
        rel, href = el.get("rel"), el.get("href")
        if rel and href is not None:
            tokens = rel.translate(_REL_SPACES).split(" ")
            for name, hrefs in found.items():
                if name in tokens:
                    hrefs.append(href)
    return found


def _join(url: str, href: str | None) -> str | None:
    """urljoin, but None for no href and for what it cannot join (a hostile page's "http://[")."""
    try:
        return urljoin(url, href.strip()) if href else None
    except ValueError:
        return None
