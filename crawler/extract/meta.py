"""Publication date, canonical URL and language (authors: crawler.extract.authors).

Each is taken from the most explicit source that has it: profile selector,
JSON-LD, <meta>, markup (<time>), then the visible "meta line"
under the title (发布时间：...). Dates come back as ISO 8601 with
the source named, so a doubtful value can be traced.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from .page import Page
from .relative_dates import relative_date
from .rules import (
    ARTICLE_TYPES,
    CJK_LANGUAGE_SHARE,
    DATE_META_KEYS,
    DATE_TEXT_LABELS,
)
from .text import any_of, clean, han_share

_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:[T\s]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?"
)
_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_DAY_YEAR = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)", re.I)
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+((?:19|20)\d\d)", re.I)
_LABELED_DATE = any_of(DATE_TEXT_LABELS, then=r"\s*[:：]?\s*(?=\S)")
_LANG = re.compile(r"^([a-z]{2,3})(?:[-_]|$)", re.I)
_META_LINE_SIBLINGS = 3
_PAGE_TEXT_LIMIT = 20000


def iso_date(value: str | None) -> str | None:
    """ISO 8601 for the date forms pages use; None for anything unreadable."""
    value = clean(value)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
        return parsed.date().isoformat() if len(value) <= 10 else parsed.isoformat()
    except ValueError:
        pass
    return _search_date(value) or _rfc2822(value)


def _search_date(text: str, at: int | None = None) -> str | None:
    """The first date written in `text` (2024-03-05 14:30, 2025年3月5日, March 5, 2025),
    or only one starting exactly at index `at`."""
    def find(pattern: re.Pattern):
        return pattern.search(text) if at is None else pattern.match(text, at)

    m = find(_NUMERIC)
    try:
        if m:
            y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
            if h is None:
                return date(y, mo, d).isoformat()
            return datetime(y, mo, d, h, mi, s or 0).isoformat()
        m = find(_MONTH_DAY_YEAR)
        if m:
            return date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2))).isoformat()
        m = find(_DAY_MONTH_YEAR)
        if m:
            return date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1))).isoformat()
    except ValueError:  # 2024-13-45
        return None
    return None


def has_date(text: str) -> bool:
    """True when `text` shows a full date in one of the forms _search_date reads."""
    return any(p.search(text) for p in (_NUMERIC, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR))


def _rfc2822(value: str) -> str | None:
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def meta_line(title_el, body_el) -> str:
    """Text shown between the title and the body (date, author, source)."""
    if title_el is None:
        return ""
    body_line = set(body_el.iterancestors()) | {body_el} if body_el is not None else set()
    for anchor in (title_el, title_el.getparent()):
        if anchor is None:
            break
        texts = []
        for sib in anchor.itersiblings():
            if sib in body_line or len(texts) >= _META_LINE_SIBLINGS:
                break
            if isinstance(sib.tag, str):
                texts.append(" ".join(sib.itertext()))  # "<span>a</span><span>b</span>" -> "a b"
        if any(t.strip() for t in texts):
            return clean(" ".join(texts))
    return ""


def find_published(page: Page, line: str) -> tuple[str | None, str | None]:
    """(ISO date, source) from profile, JSON-LD, <meta>, <time>, text, then htmldate.

    In text an absolute date wins over a relative one ("3小时前", "昨天",
    "3月5日"), which is resolved against the crawl time (page.now).
    """
    def relative(text: str, at: int | None = None) -> str | None:
        return relative_date(text, page.now, at)

    picked = page.picked_text("published_at")
    found = iso_date(picked) or (relative(picked) if picked else None)
    if found:
        return found, "profile"
    for obj in page.jsonld_of_type(ARTICLE_TYPES):
        found = iso_date(obj.get("datePublished") if isinstance(obj.get("datePublished"), str) else None)
        if found:
            return found, "json-ld"
    found = iso_date(page.meta(*DATE_META_KEYS))
    if found:
        return found, "meta"
    for el in _dated_elements(page):
        found = iso_date(el.get("datetime") or el.get("content") or el.text_content())
        if found:
            return found, "time"
    text = page.text[:_PAGE_TEXT_LIMIT]
    found = (_labeled_date(line, _search_date) or _labeled_date(text, _search_date) or _search_date(line)
             or _labeled_date(line, relative) or _labeled_date(text, relative) or relative(line))
    if found:
        return found, "text"
    found = _htmldate(page)
    return (found, "htmldate") if found else (None, None)


def _dated_elements(page: Page):
    """Elements marked itemprop=datePublished (from the page's index), then <time datetime|pubdate>,
    in document order: no XPath scan of the whole page for `//*[@itemprop=...]` and `//time[...]`."""
    yield from page.having("itemprop", "datePublished")
    yield from (el for el in page.root.iter("time") if el.get("datetime") is not None or el.get("pubdate") is not None)


def _labeled_date(text: str, read) -> str | None:
    """A date right after a label such as 发布时间： or Posted on, as `read(text, at)` reads it."""
    for m in _LABELED_DATE.finditer(text):
        found = read(text, m.end())
        if found:
            return found
    return None


def _htmldate(page: Page) -> str | None:
    """htmldate's fast (non-extensive) search. It prunes a copy of the tree it is given (1.9 and
    later deep-copy an lxml.html element before pruning), so the page's own tree is handed over."""
    from htmldate import find_date  # imported late: only dateless pages need it

    try:
        return find_date(page.root, url=page.url, extensive_search=False, original_date=True)
    except Exception:  # htmldate is only a fallback
        return None


def find_canonical(page: Page) -> str | None:
    """<link rel=canonical> else og:url, absolute."""
    for el in page.root.iter("link"):
        if el.get("href") is None or " canonical " not in f" {(el.get('rel') or '').lower()} ":
            continue
        url = page.absolute(el.get("href"))
        if url:
            return url
    return page.absolute(page.meta("og:url"))


def find_language(page: Page, text: str) -> str | None:
    """<html lang> primary subtag, else "zh"/"en" by the share of Han characters in `text`."""
    m = _LANG.match((page.root.get("lang") or "").strip())
    if m:
        return m.group(1).lower()
    han, latin = han_share(text)
    if han + latin == 0:
        return None
    if han / (han + latin) > CJK_LANGUAGE_SHARE:
        return "zh"
    return "en" if latin / (han + latin) > 0.5 else None
