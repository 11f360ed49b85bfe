"""A pruned copy of the body: boilerplate out, links absolute, code languages named.

Works on a copy so the spider's response tree stays intact for link
following. The elements found elsewhere (trail, related block, title h1)
are located in the copy by walking both trees in step.
"""
from __future__ import annotations

import copy
import re

from .page import Page
from .rules import (
    BOILERPLATE_SUFFIXES,
    BOILERPLATE_TEXT_MAX_CHARS,
    BOILERPLATE_TEXT_PREFIXES,
    BOILERPLATE_MAX_SHARE,
    BOILERPLATE_WORDS,
    CODE_LANGUAGE_PREFIXES,
    DROP_TAGS,
    LINK_BLOCK_MIN_DENSITY,
    LINK_BLOCK_MIN_LINKS,
    LINK_BLOCK_TAGS,
)

_DROP_TAGS = frozenset(DROP_TAGS)
_LINK_BLOCKS = frozenset(LINK_BLOCK_TAGS)
_TEXT_CHECKED = frozenset(("p", "div", "section", "span", "li", "dd", "dt", "small"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_SPLIT = re.compile(r"[-_]")
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")


def clean_body(page: Page, body, drop=()) -> object:
    """A copy of `body` without boilerplate and without the `drop` elements."""
    tree = copy.deepcopy(body)
    tree.tail = None
    drop = {d for d in drop if d is not None}
    doomed = []
    if drop:
        doomed = [c for o, c in zip(body.iter(), tree.iter()) if o in drop and o is not body]
    doomed += _boilerplate(tree)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(tree.iter("a", "img", "pre", "code")):  # _fix may drop an <img>
        _fix(page, el)
    return tree


def _boilerplate(tree) -> list:
    """Elements of `tree` (not the root, nothing inside <pre>) that are boilerplate."""
    found = []
    code = sum(len(s.text_content()) for s in tree.iter("script", "style", "noscript", "template"))
    most = (len(tree.text_content()) - code) * BOILERPLATE_MAX_SHARE
    stack = list(tree)[::-1]
    while stack:
        el = stack.pop()
        tag = el.tag
        if (not isinstance(tag, str) or tag in _DROP_TAGS or _boilerplate_text(el)
                or ((marked(el) or _link_block(el)) and len(el.text_content()) <= most)):
            found.append(el)
        elif tag != "pre":
            stack.extend(reversed(el))
    return found


def marked(el) -> bool:
    """A boilerplate class/id token, a hidden style, or the `hidden` attribute."""
    if el.get("hidden") is not None or _HIDDEN.search(el.get("style") or ""):
        return True
    names = f'{el.get("class") or ""} {el.get("id") or ""}'.lower().split()
    for name in names:
        words = _WORD_SPLIT.split(name)
        for i, w in enumerate(words):
            if w in BOILERPLATE_WORDS and all(x in BOILERPLATE_SUFFIXES for x in words[i + 1:]):
                return True
    return False


def _link_block(el) -> bool:
    if el.tag not in _LINK_BLOCKS:
        return False
    links = list(el.iter("a"))
    if len(links) < LINK_BLOCK_MIN_LINKS:
        return False
    text = len(el.text_content().strip())
    return text > 0 and sum(len(a.text_content().strip()) for a in links) / text > LINK_BLOCK_MIN_DENSITY


def _boilerplate_text(el) -> bool:
    if el.tag not in _TEXT_CHECKED or len(el) > 3:
        return False
    text = el.text_content().strip()
    return len(text) <= BOILERPLATE_TEXT_MAX_CHARS and text.startswith(BOILERPLATE_TEXT_PREFIXES)


def _fix(page: Page, el) -> None:
    if el.tag == "a":
        url = page.absolute(el.get("href"))
        if url:
            el.set("href", url)
        elif "href" in el.attrib:
            del el.attrib["href"]
    elif el.tag == "img":
        src = next((el.get(k) for k in _LAZY_SRC if el.get(k)), None) or el.get("src")
        url = page.absolute(src)
        if url:
            el.set("src", url)
        else:
            el.drop_tree()
    else:
        lang = code_language(el)
        el.attrib.pop("class", None)
        if lang:
            el.set("class", f"language-{lang}")


def code_language(el) -> str | None:
    """The language named by class="language-x" / "lang-x" on a <pre> or <code>."""
    for token in (el.get("class") or "").split():
        for prefix in CODE_LANGUAGE_PREFIXES:
            if token.startswith(prefix) and len(token) > len(prefix):
                return token[len(prefix):].lower()
    return None
