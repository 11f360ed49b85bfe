"""HTML -> the extracted fields of an ArticleItem: the calls crawler.extract names, and how they fill an item.

The spider passes response.selector so a page is parsed once. Every field is
None (or [] for breadcrumbs/related) when the page does not have it; broken
input never raises: a failure is logged and the fields found so far are kept.
`now` is when the page was fetched (default: the current UTC time): dates
the page writes relative to its reader ("3小时前", "昨天", "3月5日") are
resolved against it, here and not in the normalize pipeline, so that every
caller (spider, `archive extract`) gets published_at as ISO 8601.
"""
from __future__ import annotations

import logging
from datetime import datetime

from parsel import Selector

from .body import find_body, kin_text, trafilatura_body
from .choice import TRUSTED, prefer_other, settled
from .breadcrumbs import find_breadcrumbs, section_of
from .clean import clean_body
from .kind import Verdict, kind_of
from .markdown import to_markdown
from .authors import find_author
from .meta import find_canonical, find_language, find_published, meta_line
from .page import Page, parse
from .related import find_related
from .sanitize import sanitize
from .text import plain_text
from .title import find_title, title_headings

__all__ = ["FIELDS", "analyse_page", "extract_article", "extract_from_selector", "page_kind", "page_verdict"]

log = logging.getLogger(__name__)

FIELDS = (
    "url", "canonical_url", "title", "section", "published_at", "date_source", "author",
    "language", "body_text", "body_html", "body_markdown", "breadcrumbs", "related",
)


def extract_article(html: str | bytes, url: str, profile=None, *, encoding: str | None = None,
                    now: datetime | None = None) -> dict:
    """Decode (bytes: BOM, `encoding` from the HTTP header, <meta charset>), parse, extract."""
    try:
        sel = parse(html, encoding)
    except Exception:
        log.warning("could not parse %s", url, exc_info=True)
        sel = parse("")
    return extract_from_selector(sel, url, profile, now=now)


def extract_from_selector(sel: Selector, url: str, profile=None, *, now: datetime | None = None) -> dict:
    """The item fields extraction fills, from an already parsed page."""
    return _item(Page(sel, url, profile, now))


def page_kind(sel: Selector, url: str, profile=None) -> str:
    """"article", "listing" or "other" (see crawler.extract.kind)."""
    return page_verdict(sel, url, profile).kind


def page_verdict(sel: Selector, url: str, profile=None) -> Verdict:
    """The page's kind and the cues that decided it; a page that breaks the rules is followed, not archived."""
    return _verdict(Page(sel, url, profile))


def analyse_page(sel: Selector, url: str, profile=None, *, now: datetime | None = None) -> tuple[Verdict, dict | None]:
    """(the page's verdict, its item when it is an article): the crawl's question, on one Page,
    so what both ask for (the body choice, the class index, JSON-LD) is worked out once."""
    page = Page(sel, url, profile, now)
    verdict = _verdict(page)
    return verdict, _item(page) if verdict.kind == "article" else None


def _verdict(page: Page) -> Verdict:
    try:
        return kind_of(page)
    except Exception as exc:
        log.warning("page kind failed on %s", page.url, exc_info=True)
        return Verdict("listing", f"page kind failed: {exc!r}")


def _item(page: Page) -> dict:
    item = dict.fromkeys(FIELDS)
    item.update(url=page.url, breadcrumbs=[], related=[])
    try:
        _fill(item, page)
    except Exception:
        log.warning("extraction failed part way on %s", page.url, exc_info=True)
    return item


def _prose(tree, text: str) -> str:
    """The text the body choice weighs: code left out (its lines are short, yet not page furniture)."""
    return plain_text(tree, code=False) if tree is not None and tree.find(".//pre") is not None else text


def _fill(item: dict, page: Page) -> None:
    crumbs, trail = find_breadcrumbs(page)
    body, how = find_body(page)
    title, title_el = find_title(page, body)
    item.update(title=title, breadcrumbs=crumbs, section=section_of(crumbs, title, page.url))
    item["related"], related_els = find_related(page)
    item["canonical_url"] = find_canonical(page)
    drop = (trail, title_el, *related_els)
    tree = clean_body(page, body, drop) if body is not None else None
    text = plain_text(tree) if tree is not None else ""
    if how not in TRUSTED and not settled(prose := _prose(tree, text)):
        other = trafilatura_body(page)
        if other is not None:
            other_tree = clean_body(page, other, title_headings(other, title))
            other_text = plain_text(other_tree)
            kin = kin_text(page, body) if body is not None else ""
            if prefer_other(prose, _prose(other_tree, other_text), kin):
                tree, text = other_tree, other_text
    if text:
        item["body_text"] = text
        item["body_html"] = sanitize(tree)
        item["body_markdown"] = to_markdown(tree)
    line = meta_line(title_el, body)
    item["published_at"], item["date_source"] = find_published(page, line)
    item["author"] = find_author(page, line, item["body_text"] or "")
    item["language"] = find_language(page, item["body_text"] or title or "")
