"""One parsed page and the facts every extractor shares.

Decoding and parsing happen once (the spider hands over response.selector);
the base URL and the JSON-LD objects are worked out once and then read by
title, breadcrumbs, dates and page kind alike.
"""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from urllib.parse import urljoin, urlsplit

import cssselect
from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from crawler.decoding import decode as decode_bytes
from crawler.parsing import html_selector

from .rules import HIDDEN_CLASSES
from .text import Memo, clean, text_of, units


_CSS = HTMLTranslator()
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_CLASSES = frozenset(c.lower() for c in HIDDEN_CLASSES)
# Attributes indexed: class and rel (by token), id, and what marks a trail or structured data;
# Page.marked looks at the first five unless told.
_MARKS = ("class", "id", "aria-label", "itemtype", "typeof")
_INDEXED = (*_MARKS, "itemprop", "rel")
_TOKENS = frozenset(("class", "rel"))
_WHOLE_VALUES = frozenset(_INDEXED) - _TOKENS  # indexed by their whole value: "[itemprop=x]" looks it up
# An address whose join depends on the base's scheme and host only: a path from the root, or a host
# (not "//" alone, which keeps the base's path; no tab or newline, which urlsplit deletes).
_FROM_ROOT = re.compile(r"(?:/(?!/)|(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#])[^\t\r\n]*\Z")


@lru_cache(maxsize=None)
def xpath(query: str) -> etree.XPath:
    """`query` compiled once: el.xpath(str) recompiles on every call, which adds up per page."""
    return etree.XPath(query)


@lru_cache(maxsize=None)
def css(query: str) -> etree.XPath:
    """A CSS selector from the rule tables, translated and compiled once."""
    return etree.XPath(_CSS.css_to_xpath(query))


def _anchor(tree) -> tuple[str, str] | None:
    """The class, id or whole value of an indexed attribute ("[itemprop=articleBody]") a simple selector
    requires; None when it has none of them, or combinators."""
    while tree is not None:
        if isinstance(tree, cssselect.parser.Class):
            return "class", tree.class_name
        if isinstance(tree, cssselect.parser.Hash):
            return "id", tree.id
        if (isinstance(tree, cssselect.parser.Attrib) and tree.operator == "=" and tree.namespace is None
                and tree.flag is None and tree.attrib.lower() in _WHOLE_VALUES and tree.value.value):
            return tree.attrib.lower(), tree.value.value
        if isinstance(tree, cssselect.parser.CombinedSelector):
            return None
        tree = getattr(tree, "selector", None)
    return None


@lru_cache(maxsize=None)
def _index_plan(query: str) -> tuple | None:
    """((anchor, test of one element), ...) per selector of `query`; None when one lacks an anchor."""
    plan = []
    for selector in cssselect.parse(query):
        anchor = _anchor(selector.parsed_tree)
        if anchor is None:
            return None
        plan.append((anchor, etree.XPath(_CSS.selector_to_xpath(selector, prefix="self::"))))
    return tuple(plan)


_TEXTS = etree.XPath("text()", smart_strings=False)


def decode(body: bytes, encoding: str | None = None) -> str:
    """Bytes to text the crawl's way (crawler.decoding); `encoding` is the HTTP header's charset."""
    return decode_bytes(body, f"text/html; charset={encoding}" if encoding else None)[0]


def parse(html: str | bytes, encoding: str | None = None) -> Selector:
    """A parsel Selector for any input, however broken (never raises)."""
    if isinstance(html, bytes):
        html = decode(html, encoding)
    return html_selector(html)


def hidden(el) -> bool:
    """Not shown: the `hidden` attribute, a display:none or visibility:hidden style, or a class
    of rules.HIDDEN_CLASSES. One check, so trail, headline and related block agree on what a reader sees."""
    if el.get("hidden") is not None:
        return True
    style, classes = el.get("style"), el.get("class")  # most elements have neither: no regex, no split
    return bool(style and _HIDDEN_STYLE.search(style)) or bool(
        classes and not _HIDDEN_CLASSES.isdisjoint(classes.lower().split()))


def _aware(now: datetime) -> datetime:
    """A naive time is taken as UTC."""
    return now if now.tzinfo is not None else now.replace(tzinfo=timezone.utc)


class Page:
    """The selector, its URL, the time it was read (for "3小时前") and what is derived from them once."""

    def __init__(self, sel: Selector, url: str, profile=None, now: datetime | None = None):
        self.sel = sel
        self.root = sel.root
        self.url = url
        self.profile = profile
        self.now = _aware(now) if now is not None else datetime.now(timezone.utc)
        self.found: dict = {}   # a finder's result that page kind and extraction both ask for, worked out once
        self._unseen: dict = {}     # element -> hidden itself or by an ancestor (see unseen)
        self._absolute: dict = {}   # href -> absolute URL (see absolute)
        # Element -> its text, and the units / length of it: finding the body weighs a paragraph, its links
        # and the blocks around them again and again (credit, score, layout columns), and a block's score asks
        # both measures of one text. Safe to remember because extraction never edits the page's own tree
        # (cleaning edits a copy); they go with the page.
        texts = self.texts = Memo(text_of)  # (not read through self: no reference cycle)
        self.units = Memo(lambda el: units(texts[el]))
        self.chars = Memo(lambda el: len(texts[el]))

    def picked(self, name: str):
        """The first element the profile's `name` selector picks, or None."""
        found = self.profile.select(self.sel, name) if self.profile is not None else []
        node = found[0].root if found else None
        return None if isinstance(node, str) else node

    def picked_text(self, name: str) -> str | None:
        """The text (or content/datetime value) the profile's `name` selector picks, or None."""
        found = self.profile.select(self.sel, name) if self.profile is not None else []
        if not found:
            return None
        node = found[0].root
        if not isinstance(node, str):
            node = node.get("datetime") or node.get("content") or " ".join(node.itertext())
        return clean(node) or None

    def select(self, query: str) -> list:
        """Elements matching a CSS rule from the tables, in document order.

        Class, id and indexed attribute ("[itemprop=articleBody]") selectors
        are answered from an index of the page built in one pass: as XPath,
        each class name costs a scan of the whole tree, and the tables name
        dozens (~8 ms a page).
        """
        plan = _index_plan(query)
        if plan is None:
            return css(query)(self.root)
        found: dict[int, object] = {}
        for (attr, value), test in plan:
            for pos, el in self._index[attr].get(value, ()):
                if pos not in found and test(el):
                    found[pos] = el
        return [found[pos] for pos in sorted(found)]

    def marked(self, test, attrs: tuple[str, ...] = _MARKS) -> list:
        """Elements whose `attrs` (class tokens, id, aria-label, itemtype, typeof) hold a value passing
        `test(value)`, in document order; each distinct value is tested once."""
        found = {pos: el for attr in attrs for value, els in self._index[attr].items() if test(value) for pos, el in els}
        return [found[pos] for pos in sorted(found)]

    def having(self, attr: str, value: str) -> list:
        """Elements whose `attr` (of _INDEXED) is `value` (class, rel: has the token), in document order:
        from the index, where an XPath `//*[@itemprop="author"]` scans the whole page."""
        return [el for _, el in self._index[attr].get(value, ())]

    @cached_property
    def order(self) -> dict:
        """Each node of the page -> its position in document order, from one walk.

        Comparing two positions answers "does this come before that" where an
        XPath axis (following::) scans the rest of the page per question; and
        the walk keeps lxml's element proxies alive, so later walks and XPath
        results reuse them instead of building each again.
        """
        return {el: i for i, el in enumerate(self.root.iter())}

    @cached_property
    def _index(self) -> dict[str, dict[str, list]]:
        """Attribute (of _INDEXED) -> its value (a class: each token) -> [(document position, element)]."""
        index: dict[str, dict[str, list]] = {attr: {} for attr in _INDEXED}
        for el, pos in self.order.items():
            for attr, value in el.items():
                if value and attr in index:
                    for token in value.split() if attr in _TOKENS else (value,):
                        index[attr].setdefault(token, []).append((pos, el))
        return index

    @property
    def text(self) -> str:
        """All the page's text, scripts included: a cheap check before a costly search for a word
        (the body evidence weighs the page's prose in it too)."""
        return self.texts[self.root]

    @cached_property
    def body_text(self) -> str:
        """The text of <body>, scripts included: where a search for what a body text node may hold
        need look (the <head>'s scripts and styles are over half a news page's text)."""
        body = next(self.root.iter("body"), None)
        return self.texts[body] if body is not None else ""

    @cached_property
    def base_url(self) -> str:
        base = next((href for el in self.root.iter("base") if (href := el.get("href")) is not None), None)
        return self.join(self.url, base) or self.url if base is not None else self.url

    def unseen(self, el) -> bool:
        """Hidden itself or by an ancestor: an A/B variant the reader never sees.

        Remembered per element of this page: the links of one block share
        their ancestors, and asking each ancestor again for every link was
        most of what checking a related block cost.
        """
        chain = []
        node, above = el, False
        while node is not None:
            if node in self._unseen:
                above = self._unseen[node]
                break
            chain.append(node)
            node = node.getparent()
        for node in reversed(chain):
            above = above or hidden(node)
            self._unseen[node] = above
        return above

    def absolute(self, href: str | None) -> str | None:
        """`href` made absolute against the page (and its <base>); None for non-web links.
        Remembered per href: a page links to one address from its menu, body and related block."""
        if href not in self._absolute:
            self._absolute[href] = self._made_absolute(href)
        return self._absolute[href]

    def _made_absolute(self, href: str | None) -> str | None:
        if not href:
            return None
        href = href.strip()
        if not href or href.startswith(("javascript:", "#", "data:", "about:", "vbscript:")):
            return None
        return self.join(self.base_url, href)

    @staticmethod
    def join(base: str, href: str) -> str | None:
        """urljoin, but None for what it cannot join (e.g. a broken IPv6 host).

        A link from the root ("/news/1.html") or with a host of its own joins
        the same against any page of a site: joined against the site's origin
        and remembered, a site's menus and lists are joined once, not on every page.
        """
        href = href.strip()
        try:
            if _FROM_ROOT.match(href):
                parts = urlsplit(base)
                if parts.scheme in ("http", "https"):
                    base = f"{parts.scheme}://{parts.netloc}"
            return _join(base, href)
        except ValueError:
            return None

    def meta(self, *keys: str) -> str | None:
        """First non-empty <meta> content whose name/property/itemprop is one of `keys` (lower-case)."""
        found = self._meta_index
        for key in keys:
            if found.get(key):
                return found[key]
        return None

    @cached_property
    def _meta_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for el in self.root.iter("meta"):
            content = clean(el.get("content"))
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
            if key and content:
                index.setdefault(key.strip().lower(), content)
        return index

    @cached_property
    def jsonld(self) -> list[dict]:
        """Every JSON-LD object on the page, @graph members and nested lists flattened."""
        objects: list[dict] = []
        scripts = (el for el in self.root.iter("script") if "ld+json" in (el.get("type") or ""))
        for raw in (text for el in scripts for text in _TEXTS(el)):
            try:
                data = json.loads(raw, strict=False)
            except ValueError:
                continue
            _flatten(data, objects)
        return objects

    def jsonld_of_type(self, types: frozenset[str] | set[str]) -> list[dict]:
        return [o for o in self.jsonld if ld_types(o) & types]


@lru_cache(maxsize=8192)
def _join(base: str, href: str) -> str:
    return urljoin(base, href)


def ld_types(obj: dict) -> set[str]:
    """The lower-cased @type names of a JSON-LD object."""
    t = obj.get("@type")
    names = t if isinstance(t, list) else [t]
    return {n.rsplit("/", 1)[-1].lower() for n in names if isinstance(n, str)}


def _flatten(data, out: list[dict]) -> None:
    if isinstance(data, list):
        for d in data:
            _flatten(d, out)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten(data["@graph"], out)
