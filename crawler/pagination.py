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

_REL = "[contains(concat(' ', normalize-space(translate(@rel, 'NEXTPRV', 'nextprv')), ' '), ' {} ')]"


def pagination_links(sel: Selector, url: str, current: int = 1) -> dict[str, float]:
    """Absolute URL -> page number, for the pagination links of a listing that is page `current`."""
    pages: dict[str, float] = {}
    for rel, page in (("next", current + 1), ("prev", max(1, current - 1))):
        for href in sel.xpath(f"//a[@href]{_REL.format(rel)}/@href | //link[@href]{_REL.format(rel)}/@href").getall():
            pages.setdefault(urljoin(url, href.strip()), page)
    for link in sel.xpath("//a[@href]"):
        text = link.xpath("normalize-space(string())").get() or link.attrib.get("aria-label") or link.attrib.get("title")
        page = page_of(text or "", current)
        if page is not None:
            pages.setdefault(urljoin(url, link.attrib["href"].strip()), page)
    return pages
