"""Listing pagination: which links of a listing lead to which of its pages.

A site's listings run to hundreds of pages, and a cron run needs the first
few. The profile's `listing_pages` says how many; this module says, for each
pagination link of a listing, the number of the page it leads to: the number
it shows ("2", "第2页"), or one more than the current page for rel=next and
"下一页"/"Next" (rules.PAGINATION_TEXTS), one less for "上一页"/"Previous",
and past any limit for "尾页"/"Last".
"""
from __future__ import annotations

import math
import re
from urllib.parse import urljoin

from parsel import Selector

from crawler.extract.rules import PAGINATION_TEXTS

_PAGE_NUMBER = re.compile(r"^(?:第\s*)?\[?(\d{1,4})\]?(?:\s*页)?$")
_ARROWS = " \t»›<>←→«‹.…"
_REL = "[contains(concat(' ', normalize-space(translate(@rel, 'NEXTPRV', 'nextprv')), ' '), ' {} ')]"


def page_of(text: str, current: int) -> float | None:
    """The page a link with this text leads to, from page `current`; None when it is no pagination link."""
    text = " ".join(text.split()).lower()
    number = _PAGE_NUMBER.match(text)
    if number:
        return int(number[1])
    step = PAGINATION_TEXTS.get(text) or PAGINATION_TEXTS.get(text.strip(_ARROWS))
    return {"next": current + 1, "previous": max(1, current - 1), "last": math.inf}.get(step)


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
