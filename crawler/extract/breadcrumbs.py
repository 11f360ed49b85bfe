"""The breadcrumb trail, and the section it implies.

Sources, best first: the profile selector; schema.org BreadcrumbList
(JSON-LD, microdata, RDFa), since markup states the trail unambiguously;
then a visible trail (a known container or a "当前位置:" label). When the
structured and visible trails agree, the visible one wins because it also
shows the current-page crumb ("正文"), which markup usually leaves out.
"""
from __future__ import annotations

import re

from .page import Page, xpath
from .rules import (
    BREADCRUMB_CONTAINERS,
    BREADCRUMB_LABELS,
    BREADCRUMB_SEPARATORS,
    BREADCRUMB_SEPARATORS_ANYWHERE,
)
from .text import clean

_LABEL = re.compile(
    r"^\s*(?:%s)\s*[:：]?\s*" % "|".join(re.escape(x) for x in sorted(BREADCRUMB_LABELS, key=len, reverse=True)),
    re.I,
)
_SPLIT = re.compile(
    r"\s*(?:%s)\s*|\s+(?:%s)\s+" % (
        "|".join(re.escape(s) for s in BREADCRUMB_SEPARATORS_ANYWHERE),
        "|".join(re.escape(s) for s in BREADCRUMB_SEPARATORS),
    )
)
_SEP_CHARS = "".join(BREADCRUMB_SEPARATORS) + " \t\r\n\u00a0\u3000"
_LABEL_XPATH = "//body//text()[%s]" % " or ".join(f'contains(., "{x}")' for x in BREADCRUMB_LABELS)
_MAX_TRAIL_CHARS = 300
# (type attribute, property attribute) for microdata and RDFa.
_MARKUP = (("itemtype", "itemprop"), ("typeof", "property"))


def find_breadcrumbs(page: Page) -> tuple[list[dict], object | None]:
    """(crumbs as [{"name", "url"}], the element showing the trail or None)."""
    picked = page.picked("breadcrumbs")
    if picked is not None:
        return parse_trail(page, picked), picked
    element, visible = _visible(page)
    structured, markup_el = _jsonld(page) or _markup(page)
    if element is None:
        element = markup_el
    if structured and not _agree(structured, visible):
        return structured, element
    return visible or structured, element


def section_of(crumbs: list[dict], title: str | None, url: str) -> str | None:
    """Crumb names strictly between the home crumb and the current page, joined by " > "."""
    inner = crumbs[1:]
    if inner and (inner[-1]["url"] in (None, url) or inner[-1]["name"] == title):
        inner = inner[:-1]
    return " > ".join(c["name"] for c in inner) or None


def _agree(structured: list[dict], visible: list[dict]) -> bool:
    """True when the visible trail shows the structured one (maybe plus the current page)."""
    names = [c["name"].casefold() for c in visible]
    return bool(visible) and names[: len(structured)] == [c["name"].casefold() for c in structured]


def _visible(page: Page) -> tuple[object | None, list[dict]]:
    for row in BREADCRUMB_CONTAINERS:
        for el in page.select(row):
            crumbs = _usable(page, el)
            if crumbs:
                return el, crumbs
    if not any(label in page.text for label in BREADCRUMB_LABELS):
        return None, []
    for text in xpath(_LABEL_XPATH)(page.root):
        el = text.getparent()
        for _ in range(3):  # "<span>当前位置：</span><a>..": climb to the element holding links
            if el.find(".//a") is not None or el.getparent() is None:
                break
            el = el.getparent()
        crumbs = _usable(page, el)
        if crumbs:
            return el, crumbs
    return None, []


def _usable(page: Page, el) -> list[dict]:
    """The trail in `el`, when `el` looks like one (short, linked, 2+ crumbs)."""
    if len(el.text_content()) > _MAX_TRAIL_CHARS or el.find(".//a") is None:
        return []
    crumbs = parse_trail(page, el)
    return crumbs if len(crumbs) >= 2 else []


def parse_trail(page: Page, el) -> list[dict]:
    """Crumbs shown in `el`: each link, and each text between separators (url None)."""
    tokens: list[tuple[str, str | None] | str] = []  # (name, url) for links, str for text runs
    _tokens(page, el, tokens)
    for i, tok in enumerate(tokens):  # the label and whatever precedes it are not crumbs
        if isinstance(tok, str) and _LABEL.search(tok):
            tokens = [_LABEL.sub("", tok)] + tokens[i + 1:]
            break
    crumbs = []
    for tok in tokens:
        if isinstance(tok, tuple):
            crumbs.append({"name": tok[0], "url": tok[1]})
            continue
        for piece in _SPLIT.split(tok):
            name = clean(piece.strip(_SEP_CHARS))
            if name:
                crumbs.append({"name": name, "url": None})
    return crumbs


def _tokens(page: Page, el, out: list) -> None:
    """Links and text runs of `el` in order; an element boundary ends a text run."""
    if el.text:
        out.append(el.text)
    for child in el:
        if child.tag == "a" and child.get("href") is not None:
            name = clean(child.text_content()) or clean(child.get("title") or child.get("aria-label"))
            if name:
                out.append((name, page.absolute(child.get("href"))))
        elif isinstance(child.tag, str) and child.tag not in ("script", "style"):
            _tokens(page, child, out)
        if child.tail:
            out.append(child.tail)


def _jsonld(page: Page) -> tuple[list[dict], None] | None:
    for obj in page.jsonld_of_type({"breadcrumblist"}):
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        items = sorted((i for i in items if isinstance(i, dict)), key=_position)
        crumbs = [c for c in (_ld_crumb(page, i) for i in items) if c]
        if crumbs:
            return crumbs, None
    return None


def _position(item: dict) -> float:
    try:
        return float(item.get("position"))
    except (TypeError, ValueError):
        return float("inf")  # unnumbered items keep their order, after numbered ones


def _ld_crumb(page: Page, item: dict) -> dict | None:
    target = item.get("item")
    url = target if isinstance(target, str) else None
    name = item.get("name")
    if isinstance(target, dict):
        url = target.get("@id") or target.get("url")
        name = name or target.get("name")
    name = clean(name) if isinstance(name, str) else ""
    return {"name": name, "url": page.absolute(url) if isinstance(url, str) else None} if name else None


def _markup(page: Page) -> tuple[list[dict], object | None]:
    for type_attr, prop_attr in _MARKUP:
        for trail in page.root.xpath(f'//*[contains(@{type_attr}, "BreadcrumbList")]'):
            crumbs = []
            for item in trail.xpath(f'.//*[@{prop_attr}="itemListElement"]'):
                names = item.xpath(f'.//*[@{prop_attr}="name"]')
                name = clean(names[0].get("content") or names[0].text_content()) if names else ""
                links = item.xpath(f'descendant-or-self::*[@{prop_attr}="item"]') or item.xpath(".//a")
                href = (links[0].get("href") or links[0].get("resource") or links[0].get("itemid")) if links else None
                if name:
                    crumbs.append({"name": name, "url": page.absolute(href)})
            if crumbs:
                return crumbs, trail
    return [], None
