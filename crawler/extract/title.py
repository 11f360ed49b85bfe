"""The article headline, and the element showing it (the body drops it).

A page declares its title (og:title, JSON-LD headline, <title>), often
with the site name or section glued on, or in a wording made for search
engines, and shows it above the article. The headline is what is shown:

1. a heading (h1 first) that agrees with a declared title, i.e. equals it
   or one of its parts between separators ("标题_频道_站名");
2. else the page's first h1 that is not page furniture (navigation, a
   breadcrumb's last crumb, hidden, the site's name, a logo link home);
3. else any element showing nothing but an agreeing text (old Chinese
   templates put the headline in a <td><b> or a <div class="title">);
4. else, when the declared title names only the site or a section (it is
   shorter than the emphasised lines just above the body's prose), the
   longest of those lines;
5. else the declared title, its site name and section affixes dropped.

A heading's kicker (a short first part set apart: "Opinion",
"Zugverkehr") is not part of the headline.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit


from .meta import has_date
from .page import Page, hidden
from .rules import (
    ARTICLE_TYPES,
    KICKER_MAX_CHARS,
    KICKER_SEPARATORS,
    SITE_NAME_META_KEYS,
    TITLE_BOUNDARY_CHARS,
    TITLE_CLASS_WORDS,
    TITLE_EMPHASIS_TAGS,
    TITLE_FURNITURE_ROLES,
    TITLE_FURNITURE_TAGS,
    TITLE_FURNITURE_WORDS,
    TITLE_LAST_LINES,
    TITLE_MAX_CHARS,
    TITLE_MIN_CHARS,
    TITLE_NOT_CHARS,
    TITLE_NOT_LAST_CHARS,
    TITLE_PROSE_UNITS,
    TITLE_SEPARATORS,
)
from .text import clean, plain_text, text_of, units

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                       "…": "...", "\u00a0": " ", "\u3000": " "})
_LATIN = re.compile("[A-Za-z]")
_ASCII = re.compile("[\x00-\x7f]")
_FOLD_START = 16
_WORD_SPLIT = re.compile("[-_]")
_SKIP = frozenset(("script", "style", "noscript", "template", "title", "head", "meta", "option", "select", "textarea"))


class Headline(NamedTuple):
    text: str | None
    element: object | None
    cue: str               # which of the rules above decided
    declared: list[str]    # the titles the page declares (JSON-LD headline, og:title, <title>)


def find_title(page: Page, body=None) -> tuple[str | None, object | None]:
    """(title, the element showing it or None); `body` is the article body's element, if found."""
    return choose_headline(page, body)[:2]


def choose_headline(page: Page, body=None) -> Headline:
    """The headline, its element, and the rule that chose it (see the module's docstring)."""
    picked = page.picked_text("title")
    if picked:
        return Headline(picked, page.picked("title"), "the site profile's selector", [])
    declared = _declared(page)
    site = site_names(page)
    levels: dict[str, list] = {tag: [] for tag in _HEADINGS}
    for h in page.root.iter(*_HEADINGS):
        levels[h.tag].append(h)
    h1s = _shown_headings(levels["h1"], site)
    # h1 before h2 ..., then the longest: a level's texts are read only when no heading above agrees
    for tag in _HEADINGS if declared else ():
        level = h1s if tag == "h1" else _shown_headings(levels[tag], site)
        for h, t in sorted(((h, t) for h, t in level if _agrees_any(t, declared)), key=lambda ht: -len(ht[1])):
            if not _furniture(page, h):
                return Headline(t, h, f"an <{h.tag}> agreeing with a declared title", declared)
    h1 = next(((h, t) for h, t in h1s if not _furniture(page, h)), None)
    shown = _shown(page, declared, site) if declared else None
    if h1 and not (shown and len(shown[1]) > len(h1[1]) and not _agrees_any(h1[1], declared, strict=False)):
        return Headline(h1[1], h1[0], "the page's first <h1> outside navigation", declared)
    if shown:
        return Headline(shown[1], shown[0], "the longest element text agreeing with a declared title", declared)
    cores = [core for core in (headline_part(title, site) for title in declared) if core]
    above = _above_prose(page, body) if body is not None else None
    if above and len(above[1]) > max(map(len, cores), default=0):
        # the declared title, shown nowhere, is the site's or a section's name
        return Headline(above[1], above[0], "the longest emphasised line above the body's prose", declared)
    if cores:
        return Headline(cores[0], None, "the declared title without site name and section", declared)
    return Headline(None, None, "no heading and no declared title", declared)


def _shown_headings(headings: list, site: set[str]) -> list[tuple]:
    """(heading, its text) of the `headings` showing a text other than the site's name."""
    return [(h, t) for h in headings if (t := _heading_text(h)) and t.casefold() not in site]


def _declared(page: Page) -> list[str]:
    """JSON-LD headline, og:title, <title>: entities left in them decoded."""
    title = next(page.root.iter("title"), None)  # (no XPath: `//title` scans the whole page)
    found = [_ld_headline(page), page.meta("og:title", "twitter:title"),
             clean(title.text_content()) if title is not None else None]
    return [clean(html.unescape(t)) for t in found if t and clean(t)]


def _ld_headline(page: Page) -> str | None:
    for obj in page.jsonld_of_type(ARTICLE_TYPES):
        if isinstance(obj.get("headline"), str) and clean(obj["headline"]):
            return obj["headline"]
    return None


def site_names(page: Page) -> set[str]:
    """The site's names, case-folded: from <meta> and the host ("example" of www.example.com)."""
    names = {clean(page.meta(key)).casefold() for key in SITE_NAME_META_KEYS if page.meta(key)}
    host = (urlsplit(page.url).hostname or "").removeprefix("www.")
    if host:
        names.add(host)
        names.add(host.split(".")[0])
    return names


def _fold_text(s: str) -> str:
    """Text as compared: NFKC, case-folded, quotes and ellipses unified, spaces collapsed."""
    return clean(unicodedata.normalize("NFKC", s).translate(_FOLD)).casefold()


# Headings and declared titles folded once: each heading of a page is compared with the same
# declared titles, and a site's menus and sidebars repeat on every page (a page's running text,
# seen once, goes through _fold_text).
_fold = lru_cache(maxsize=4096)(_fold_text)


def _fold_start(s: str) -> str:
    """_fold(s)[:TITLE_MIN_CHARS], folding only the start of a long text (a paragraph is folded
    whole otherwise, for four characters). The start is cut before an ASCII character past
    _FOLD_START: NFKC never joins one with what comes before it, and the rest of folding
    works character by character, so the folded start is the start of the folded whole."""
    cut = _ASCII.search(s, _FOLD_START) if len(s) > 2 * _FOLD_START else None
    start = _fold_text(s[:cut.start()]) if cut else ""
    return start[:TITLE_MIN_CHARS] if len(start) >= TITLE_MIN_CHARS else _fold_text(s)[:TITLE_MIN_CHARS]


_SEPARATORS = re.compile("(?:%s)|(?<![A-Za-z0-9])(?:%s)|(?:%s)(?![A-Za-z0-9])" % (
    "|".join(re.escape(s) for s in TITLE_SEPARATORS if s != s.strip()),
    *["|".join(re.escape(s) for s in TITLE_SEPARATORS if s == s.strip())] * 2))


@lru_cache(maxsize=4096)
def segments(title: str) -> tuple[str, ...]:
    """`title` split at its separators ("A - B_C" -> [A, B, C]), empty parts dropped."""
    return tuple(clean(p) for p in _SEPARATORS.split(title) if clean(p))


def headline_part(title: str, site: set[str] = frozenset()) -> str:
    """A declared title without its site name and section: its first part between separators
    that is not the site's name ("Post - Site", "Site | Post", "标题_频道_站名")."""
    parts = [p for p in segments(title) if p.casefold() not in site] or segments(title)
    return parts[0] if parts else ""


def _agrees_any(shown: str, declared: list[str], strict: bool = True) -> bool:
    return any(agrees(shown, d, strict) for d in declared)


def agrees(shown: str, declared: str, strict: bool = True) -> bool:
    """Is `shown` the declared title, or its headline part (what is left around it being
    separated from it and, if `strict`, no longer than it), or that part with a word in front?"""
    s, d = _fold(shown), _fold(declared)
    if not s:
        return False
    if s == d:
        return True
    at = d.find(s)
    while at >= 0:
        before, after = d[:at], d[at + len(s):]
        if (_cut(before, end=True) and _cut(after, end=False)
                and (not strict or all(len(p) <= len(s) for p in segments(before) + segments(after)))):
            return True
        at = d.find(s, at + 1)
    return any(len(p) >= TITLE_MIN_CHARS and 2 * len(p) >= len(s) and s.endswith(" " + p)
               for p in _folded_segments(declared))


@lru_cache(maxsize=1024)
def _folded_segments(title: str) -> tuple[str, ...]:
    """The folded segments of a declared title, asked for again with every heading of its page."""
    return tuple(map(_fold, segments(title)))


def _cut(rest: str, end: bool) -> bool:
    """Does `rest` (what a declared title has beside the shown part) end / start at a boundary?"""
    if not rest.strip():
        return True
    edge = (rest.rstrip()[-1] if end else rest.lstrip()[0])
    if edge in TITLE_BOUNDARY_CHARS:
        return True
    # only a space: enough before a Chinese site name ("标题 松花江网"), not inside a Latin sentence
    return (rest[-1] if end else rest[0]) == " " and not _LATIN.search(rest)


def _heading_text(h) -> str:
    """The heading's text (block children apart by a space), its kicker left out."""
    text = clean(plain_text(h).replace("\n", " ") if h.find(".//*") is not None else text_of(h))
    kicker = _kicker(h, text)
    return text[len(kicker):].lstrip(KICKER_SEPARATORS) if kicker else text


def _kicker(h, text: str) -> str | None:
    """The text of a heading's first child when it is set apart as a kicker."""
    if (h.text or "").strip() or not len(h) or not isinstance(h[0].tag, str) or h[0].tag == "br":
        return None
    first = clean(text_of(h[0]))
    rest = text[len(first):].lstrip(KICKER_SEPARATORS) if text.startswith(first) else ""
    if not first or not rest or len(first) > KICKER_MAX_CHARS or len(first) >= len(rest):
        return None
    if rest[0].islower() and not (text[len(first):len(first) + 2].strip() in ":：|｜" and text[len(first):].strip()):
        return None
    return first


def _furniture(page: Page, el) -> bool:
    """Navigation, a trail, hidden text, a link home: not where a headline is."""
    for node in (el, *el.iterancestors()):
        if node.tag in TITLE_FURNITURE_TAGS or hidden(node) or node.get("aria-hidden") == "true":
            return True
        if (node.get("role") or "").lower() in TITLE_FURNITURE_ROLES or "breadcrumb" in (node.get("aria-label") or "").lower():
            return True
        classes = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
        if any(TITLE_FURNITURE_WORDS.intersection(_WORD_SPLIT.split(c)) for c in classes):
            return True
    links = el.xpath(".//a[@href]")
    if len(links) == 1 and clean(text_of(links[0])) == clean(text_of(el)):
        path = urlsplit(page.absolute(links[0].get("href")) or "").path
        return path.strip("/") in ("", "index.html", "index.htm", "index.php", "en-us", "en")
    return False


def _shown(page: Page, declared: list[str], site: set[str]):
    """(element, text): the longest element text agreeing with a declared title, or None."""
    folded = [_fold(d) for d in declared]
    best = None
    for el, own in _text_owners(page.root):
        if el.tag in _SKIP or not any(_fold_start(own) in d for d in folded):
            continue  # its text does not start like a part of a declared title
        text = clean(plain_text(el).replace("\n", " "))
        if (TITLE_MIN_CHARS <= len(text) and (best is None or len(text) > len(best[1]))
                and text.casefold() not in site and _agrees_any(text, declared) and not _furniture(page, el)
                and not _links_away(page, el)):
            best = el, text
    return best


def _text_owners(root):
    """(element, its first text of its own), also text after a comment inside it, in document order."""
    seen = set()
    for node in root.iter():
        owner, own = (node, node.text) if isinstance(node.tag, str) else (node.getparent(), node.tail)
        if own and own.strip() and owner is not None and owner not in seen:
            seen.add(owner)
            yield owner, own.strip()


def _above_prose(page: Page, body):
    """(element, text): the longest of the last emphasised short lines before the body's prose."""
    lines = []
    for el, own in _text_owners(page.root):
        inside = el is body or body in el.iterancestors()
        if el.tag in _SKIP or not (inside or _emphasised(el)):
            continue  # (its text is only needed inside the body or for an emphasised line)
        text = clean(plain_text(el).replace("\n", " "))
        if inside and units(text) >= TITLE_PROSE_UNITS:
            break
        if (TITLE_MIN_CHARS <= len(text) <= TITLE_MAX_CHARS and _emphasised(el) and not has_date(text)
                and not text.endswith(TITLE_NOT_LAST_CHARS) and not any(c in text for c in TITLE_NOT_CHARS)
                and not _links_away(page, el)
                and not _furniture(page, el)):
            lines.append((el, text))
    recent = lines[-TITLE_LAST_LINES:]
    return max(recent, key=lambda line: len(line[1])) if recent else None


def _links_away(page: Page, el) -> bool:
    """Is `el` inside a link to another page (a menu entry, a teaser), not a headline of this one?"""
    for a in (el, *el.iterancestors()):
        if a.tag == "a" and a.get("href"):
            target = page.absolute(a.get("href"))
            return target is not None and target.split("#")[0] != page.url.split("#")[0]
    return False


def _emphasised(el) -> bool:
    if el.tag in TITLE_EMPHASIS_TAGS:
        return True
    words = _WORD_SPLIT.split(f"{el.get('class') or ''} {el.get('id') or ''}".lower().replace(" ", "-"))
    return bool(TITLE_CLASS_WORDS.intersection(words))


def title_headings(tree, title: str | None) -> list:
    """Headings in `tree` (another extractor's body) that repeat the title: dropped like our own h1."""
    if not title:
        return []
    return [h for h in tree.iter("h1", "h2") if clean(h.text_content()) == title]
