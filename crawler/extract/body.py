"""Where the article body is: profile selector, content containers, densest block, trafilatura.

The rule table (rules.BODY_CONTAINERS) is tried row by row, so a specific
container (.entry-content) beats a generic wrapper (main, #content) that
also holds comments and widgets. When no row fits, the block holding the
most paragraph text is taken; trafilatura, which costs about as much as
everything else together, only runs when even that finds nothing.
"""
from __future__ import annotations

import copy
import logging

import lxml.html
import trafilatura

from .clean import marked
from .page import Page, css
from .rules import BODY_CONTAINERS, BODY_MAX_LINK_DENSITY, BODY_MIN_UNITS
from .text import units

log = logging.getLogger(__name__)

_NEAR_ANCESTORS = 3
_PARAGRAPHS = ("p", "pre", "blockquote", "li", "h2", "h3", "td")


def find_body(page: Page):
    """The body element in the page tree, or None when nothing qualifies."""
    picked = page.picked("body")
    if picked is not None:
        return picked
    for row in BODY_CONTAINERS:
        scored = [(s, el) for el in css(row)(page.root) if not _in_boilerplate(el)
                  for s in [score(el)] if qualifies(s)]
        if scored:
            return max(scored, key=lambda t: t[0][0] * (1 - t[0][1]))[1]
    return densest_block(page)


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


def densest_block(page: Page):
    """The element whose paragraphs hold the most text (half credit to the grandparent)."""
    totals: dict = {}
    for p in page.root.iter(*_PARAGRAPHS):
        if p.find(".//a") is not None and p.tag in ("li", "td"):
            continue  # navigation and link lists
        u = units(p.text_content())
        parent = p.getparent()
        if parent is None or u < 5:
            continue
        totals[parent] = totals.get(parent, 0) + u
        grand = parent.getparent()
        if grand is not None:
            totals[grand] = totals.get(grand, 0) + u / 2
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    for el, _ in ranked[:3]:
        if qualifies(score(el)):
            return el
    return None


def trafilatura_body(page: Page):
    """trafilatura's main content as an HTML tree (a <body>), or None."""
    try:
        html = trafilatura.extract(
            copy.deepcopy(page.root), url=page.url, output_format="html", include_formatting=True,
            include_tables=True, include_images=True, include_links=True, with_metadata=False,
        )
    except Exception:  # trafilatura has raised on odd trees; it is only a fallback
        log.debug("trafilatura failed on %s", page.url, exc_info=True)
        return None
    if not html:
        return None
    body = lxml.html.document_fromstring(html).find("body")
    return body if body is not None and len(body) else None
