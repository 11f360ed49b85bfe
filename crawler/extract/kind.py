"""Is a page an article or a listing? Decides what the spider extracts.

A profile's article URL patterns settle it when present. Otherwise what the
page declares (JSON-LD Article types, og:type=article) counts, and then its
shape: an article has a body candidate with enough prose and few links; a
listing's text sits in linked entries (title + snippet) instead.
"""
from __future__ import annotations

from .body import find_body, score
from .page import Page, xpath
from .rules import ARTICLE_MAX_LINK_DENSITY, ARTICLE_MIN_UNITS, ARTICLE_TYPES, LISTING_MIN_LINKED_ITEMS
from .text import units


def kind_of(page: Page) -> str:
    verdict = page.profile.is_article_url(page.url) if page.profile is not None else None
    if verdict is not None:
        return "article" if verdict else "listing"
    if page.jsonld_of_type(ARTICLE_TYPES) or (page.meta("og:type") or "").lower() == "article":
        return "article"
    body, _ = find_body(page)
    if body is None:
        return "listing"
    amount, link_density = score(body)
    if amount < ARTICLE_MIN_UNITS or link_density > ARTICLE_MAX_LINK_DENSITY:
        return "listing"
    in_entries = sum(units(li.text_content()) for li in xpath(".//li[.//a[@href]][not(.//li)]")(body))
    return "listing" if in_entries / amount > LISTING_MIN_LINKED_ITEMS else "article"
