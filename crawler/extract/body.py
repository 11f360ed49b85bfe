"""Where the article body is: profile selector, content containers, generic wrappers, densest block.

The container table (rules.BODY_CONTAINERS, most specific first) is tried
row by row, so `.entry-content` beats a wrapper that also holds comments
(within a row the first that qualifies: on a blog archive or a thread
the first post is the page's own); then the generic wrappers (rules.BODY_WRAPPERS: <article>, <main>, #content).
When none fits, the densest block wins: every paragraph credits its text
(links left out) to its parent and, at half weight, its grandparent, as
readability does, and text written straight into a <div> between <br>s
(old portals, forums) counts as a paragraph. find_body says how it found
the body, so a guess (wrapper, densest) can be checked against trafilatura.
"""
from __future__ import annotations

import logging
from typing import NamedTuple

import lxml.html
import trafilatura

from .clean import marked
from .code import copy_with_code_as_pre
from .page import Page
from .rules import (
    BODY_CONTAINER_PARAGRAPHS,
    BODY_CONTAINERS,
    BODY_MAX_LINK_DENSITY,
    BODY_MIN_UNITS,
    BODY_PARAGRAPH_MIN_UNITS,
    BODY_PARAGRAPHS,
    BODY_TEXT_HOLDERS,
    BODY_WRAPPERS,
)
from .text import BLOCK_TAGS, units

log = logging.getLogger(__name__)

_NEAR_ANCESTORS = 3
_RANKED = 8
_PARAGRAPHS = frozenset(BODY_PARAGRAPHS)
_HOLDERS = frozenset(BODY_TEXT_HOLDERS)
_PER_PARAGRAPH = frozenset(BODY_CONTAINER_PARAGRAPHS)
_SKIP = frozenset(("script", "style", "noscript", "template", "textarea", "select", "option", "button"))


def find_body(page: Page):
    """(body element, how it was found) in the page tree; (None, None) when nothing qualifies.

    How: "profile" (the site's selector), "container" (a specific content
    container), "wrapper" (a generic one such as <main>) or "densest".
    """
    for candidate in body_candidates(page):
        if candidate.fits:
            return candidate.element, candidate.how
    return None, None


class BodyCandidate(NamedTuple):
    element: object
    how: str                 # "profile", "container", "wrapper" or "densest"
    rule: str                # the selector (a BODY_CONTAINERS / BODY_WRAPPERS row) or the rule that found it
    fits: bool               # enough text, few enough links, not in boilerplate
    units: float | None      # text units (None: not weighed, it sits in boilerplate)
    link_density: float | None


def body_candidates(page: Page):
    """The elements find_body tries, in its order, each with whether it fits; it stops at the first that does."""
    picked = page.picked("body")
    if picked is not None:
        yield BodyCandidate(picked, "profile", "the site profile's selector", True, *score(picked))
        return
    for how, rows in (("container", BODY_CONTAINERS), ("wrapper", BODY_WRAPPERS)):
        for row in rows:
            for el in _containers(page.select(row)):
                if _in_boilerplate(el):
                    yield BodyCandidate(el, how, row, False, None, None)
                    continue
                s = score(el)
                yield BodyCandidate(el, how, row, qualifies(s), *s)
    block = densest_block(page.root)
    if block is not None:
        yield BodyCandidate(block, "densest", "the most paragraph text, by link density", True, *score(block))


def _containers(matched: list) -> dict:
    """The matched elements in document order, a paragraph standing for its parent (a class set per paragraph).

    The first that qualifies is the body: on a page of several posts (a
    blog archive, a thread) the first is the page's own.
    """
    return dict.fromkeys(el.getparent() if el.tag in _PER_PARAGRAPH and el.getparent() is not None else el
                         for el in matched)


def _in_boilerplate(el) -> bool:
    """Inside (or being) a comment box, sidebar widget...: an <article> there is not the body.

    Only near ancestors count: <body class="has-sidebar"> says nothing about its content.
    """
    return marked(el) or any(marked(a) for a, _ in zip(el.iterancestors(), range(_NEAR_ANCESTORS)))


def score(el) -> tuple[float, float]:
    """(text units, link density) of an element, script and style text left out."""
    text = el.text_content()
    code = "".join(s.text_content() for s in el.iter("script", "style"))
    if len(text) <= len(code):
        return 0.0, 1.0
    linked = sum(len(a.text_content()) for a in el.iter("a"))
    return units(text) - units(code), min(linked / (len(text) - len(code)), 1.0)


def qualifies(s: tuple[float, float]) -> bool:
    return s[0] >= BODY_MIN_UNITS and s[1] <= BODY_MAX_LINK_DENSITY


def _own_text(el) -> str:
    """Text written straight into `el` (its text and its inline children's), not its blocks'."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and child.tag not in _SKIP and child.tag != "a":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _credit(root) -> dict:
    """Readability's paragraph credit: each paragraph's text (links left out) to its parent, half to the grandparent.

    A text holder (<div>, <td>...) without block children is a paragraph;
    with block children, its loose text between them (<br>-separated
    posts on old portals and forums) is a paragraph of its own.
    """
    credit: dict = {}
    for el in root.iter(*_PARAGRAPHS, *_HOLDERS):
        tag = el.tag
        if tag in _PARAGRAPHS:
            u = units(el.text_content()) - sum(units(a.text_content()) for a in el.iter("a"))
            target = el.getparent()
        elif any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            u, target = units(_own_text(el)), el
        else:
            u = units(_own_text(el))
            target = el.getparent()
        if u < BODY_PARAGRAPH_MIN_UNITS or target is None:
            continue
        credit[target] = credit.get(target, 0) + u
        grand = target.getparent()
        if grand is not None:
            credit[grand] = credit.get(grand, 0) + u / 2
    return credit


def densest_block(root):
    """The element with the most paragraph credit, discounted by its link density."""
    ranked = sorted(_credit(root).items(), key=lambda kv: -kv[1])[:_RANKED]
    best, best_value = None, 0.0
    for el, total in ranked:
        if _in_boilerplate(el):
            continue
        s = score(el)
        value = total * (1 - s[1])
        if qualifies(s) and value > best_value:
            best, best_value = el, value
    return best


def trafilatura_body(page: Page):
    """trafilatura's main content (favor_precision: measured best on both benchmarks) as a <body> tree, or None."""
    try:
        html = trafilatura.extract(
            copy_with_code_as_pre(page), url=page.url, favor_precision=True, output_format="html", include_formatting=True,
            include_tables=True, include_images=True, include_links=True, with_metadata=False,
        )
    except Exception:  # trafilatura has raised on odd trees; it is only a fallback
        log.debug("trafilatura failed on %s", page.url, exc_info=True)
        return None
    if not html:
        return None
    body = lxml.html.document_fromstring(html).find("body")
    if body is None or not len(body):
        return None
    for inner in body.iter("pre"):  # trafilatura writes <pre><code> as <pre><pre>
        if inner.getparent().tag == "pre":
            inner.tag = "code"
    return body
