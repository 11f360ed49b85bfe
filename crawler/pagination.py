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

from lxml import etree
from parsel import Selector

from crawler.extract.pagenumbers import page_of

# [@rel] first: the string functions then run for the few links that have one, not every link.
_REL = "[@rel][contains(concat(' ', normalize-space(translate(@rel, 'NEXTPRV', 'nextprv')), ' '), ' {} ')]"
# compiled once (lxml, not parsel, which compiles the query on every call and wraps every result)
_REL_HREFS = {rel: etree.XPath(f"//a[@href]{_REL.format(rel)}/@href | //link[@href]{_REL.format(rel)}/@href")
              for rel in ("next", "prev")}


def pagination_links(sel: Selector, url: str, current: int = 1) -> dict[str, float]:
    """Absolute URL -> page number, for the pagination links of a listing that is page `current`."""
    pages: dict[str, float] = {}
    for rel, page in (("next", current + 1), ("prev", max(1, current - 1))):
        for href in _REL_HREFS[rel](sel.root):
            pages.setdefault(urljoin(url, href.strip()), page)
    for link in sel.root.iter("a"):   # lxml itself: a parsel Selector per link costs more than the rest
        text = " ".join(link.text_content().split()) or link.get("aria-label") or link.get("title")
        page = page_of(text or "", current)
        target = _join(url, link.get("href")) if page is not None else None
        if target is not None:
            pages.setdefault(target, page)
    return pages


def _join(url: str, href: str | None) -> str | None:
    """urljoin, but None for no href and for what it cannot join (a hostile page's "http://[")."""
    try:
        return urljoin(url, href.strip()) if href else None
    except ValueError:
        return None
