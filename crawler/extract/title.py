"""The article title, and the <h1> that shows it (the body drops that h1).

The page's h1 is the title as readers see it, but a page may have several
(a logo in an h1, a sidebar heading): an h1 counts when it agrees with what
the page declares (og:title, JSON-LD headline, <title>). Without such an h1
the declared titles are used, <title> minus its site-name suffix last.
"""
from __future__ import annotations

from .page import Page
from .rules import ARTICLE_TYPES, TITLE_SUFFIX_MAX_CHARS, TITLE_SUFFIX_SEPARATORS
from .text import clean


def find_title(page: Page) -> tuple[str | None, object | None]:
    """(title, the h1 element showing it or None)."""
    picked = page.picked_text("title")
    if picked:
        return picked, page.picked("title")
    og, headline, html_title = page.meta("og:title"), _headline(page), _html_title(page)
    declared = [t for t in (og, headline, html_title) if t]
    h1s = [(clean(h.text_content()), h) for h in page.root.iter("h1")]
    h1s = [(t, h) for t, h in h1s if t]
    for text, h1 in h1s:
        if any(_agree(text, d) for d in declared):
            return text, h1
    if og or headline:
        return og or headline, None
    if html_title:
        return strip_site_name(page, html_title), None
    return h1s[0] if h1s else (None, None)


def _agree(h1: str, declared: str) -> bool:
    return h1 == declared or declared.startswith(h1) or h1.startswith(declared)


def _headline(page: Page) -> str | None:
    for obj in page.jsonld_of_type(ARTICLE_TYPES):
        if isinstance(obj.get("headline"), str) and clean(obj["headline"]):
            return clean(obj["headline"])
    return None


def _html_title(page: Page) -> str | None:
    titles = page.root.xpath("//title")
    return clean(titles[0].text_content()) or None if titles else None


def strip_site_name(page: Page, title: str) -> str:
    """`title` without a trailing " - Site" / " | Site" / "_站名" part."""
    site = page.meta("og:site_name")
    for sep in TITLE_SUFFIX_SEPARATORS:
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)].strip() or title
    for sep in TITLE_SUFFIX_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if sep == sep.strip() and " " in tail.strip():
            continue  # "snake_case tips": a bare "_" or "|" only before a one-word site name
        if found and head.strip() and 0 < len(tail.strip()) <= TITLE_SUFFIX_MAX_CHARS:
            return head.strip()
    return title


def title_headings(tree, title: str | None) -> list:
    """Headings in `tree` (another extractor's body) that repeat the title: dropped like our own h1."""
    if not title:
        return []
    return [h for h in tree.iter("h1", "h2") if clean(h.text_content()) == title]
