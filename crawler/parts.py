"""Articles split over several pages: which part a page is, where its next part is, and the parts joined.

Sites cut long articles into pages numbered under the body ("1 2 3 下一页",
"Next", rel=next) at addresses that vary the article's own: `_2.html`,
`?page=2`, `/2/` (rules.PART_PATH_SHAPES, rules.PART_QUERY_PARAMS). A
link leads to a part of this article only on two counts of evidence: its
address is this page's with another part number, and its text (or rel)
says that same number (crawler.pagination). So the next article's
rel=next, a "下一页" to another address and a footnote "[1]" are no parts;
the crawl then also checks that each part shows the article's headline
(`same_headline`) before it joins it, so a listing's pages are never
taken as an article's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit

from parsel import Selector

from crawler.extract.rules import PART_PATH_SHAPES, PART_QUERY_PARAMS
from crawler.pagination import pagination_links

_PATH_SHAPES = tuple(re.compile(shape, re.I) for shape in PART_PATH_SHAPES.values())
_NOT_HEADLINE = re.compile(r"[\W\d_]+")

# The body fields of the parts, joined in order; every other field is part 1's.
JOINED = {"body_text": "\n", "body_html": "\n", "body_markdown": "\n\n"}   # as paragraphs are within a part


@dataclass(frozen=True)
class Parts:
    """Where a page sits in a split article."""

    number: int         # which part the page is: 1 is the article's own address
    first: str          # the address of part 1
    next: str | None    # the address of the following part; None on the last


def part_of(url: str) -> tuple[tuple, int]:
    """(the address with its part number taken out, the part number): two addresses with
    the same first are parts of one article. An address of no part shape is part 1."""
    parts = urlsplit(urldefrag(url)[0])
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (name, value) in enumerate(query):
        if name.lower() in PART_QUERY_PARAMS and value.isdigit() and len(value) <= 2:
            return (parts.scheme, parts.netloc, parts.path.rstrip("/"), urlencode(query[:i] + query[i + 1:])), int(value)
    path, number = parts.path, 1
    for shape in _PATH_SHAPES:
        found = shape.search(path)
        if found:
            path, number = path[:found.start()] + path[found.end():], int(found["n"])
            break
    return (parts.scheme, parts.netloc, path.rstrip("/"), urlencode(query)), number


def find_parts(sel: Selector, url: str) -> Parts | None:
    """Where the page at `url` sits in its split article; None when it is no part of one.

    A later part must link back to part 1 (the "1" or "上一页" of its
    page numbers): a page whose address merely ends in a number, with
    "Previous"/"Next" to its neighbours, is an article of its own.
    """
    key, number = part_of(url)
    here = urldefrag(url)[0]
    found: dict[int, str] = {}
    for link, page in pagination_links(sel, url, number).items():
        link = urldefrag(link)[0]
        if link != here and part_of(link) == (key, page):
            found.setdefault(page, link)
    first = here if number == 1 else found.get(1)
    following = found.get(number + 1)
    if first is None or (number == 1 and following is None):
        return None
    return Parts(number, first, following)


def same_headline(first: str | None, part: str | None) -> bool:
    """Whether a part's headline is the article's: equal once digits, spaces and punctuation are
    gone, or one leading the other ("标题（第2页）", "Title - Page 2")."""
    a, b = (_NOT_HEADLINE.sub("", (t or "").casefold()) for t in (first, part))
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def join_parts(items: list[dict]) -> dict:
    """One article from its parts' items, in order: part 1's fields, every part's body."""
    joined = dict(items[0])
    for field, separator in JOINED.items():
        joined[field] = separator.join(item[field] for item in items if item.get(field))
    return joined
