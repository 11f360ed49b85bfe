"""Is a page an article, a listing, or neither? Decides what the spider archives.

A profile's article URL patterns settle it when present. Otherwise the
page's evidence is weighed, most telling first: several full posts of one
shape (a blog front page or archive) and linked headings that outweigh a
body found outside the content containers, with no long paragraph
anywhere (a front page of teasers), make a listing whatever the page
declares; then what the page declares (JSON-LD
Article types, og:type=article) makes an article; a body that is a form is
neither; then its shape: an article
has a body with enough prose and few links (a shorter one still reads as
an article under its headline and a dated line), a listing's text sits in linked
entries (title + snippet) or links, unless a long paragraph of its own
stands beside them (a thread's reply tree, a related list under a short article).

Every verdict carries the cues that decided it, so the archive can say why
a page was not archived.
"""
from __future__ import annotations

from typing import NamedTuple

from .body import Evidence, _own_text, find_body, score
from .clean import form_fields
from .meta import has_date, meta_line
from .page import Page, xpath
from .rules import (
    ARTICLE_MAX_LINK_DENSITY,
    ARTICLE_MIN_LONE_PARAGRAPH_UNITS,
    ARTICLE_MIN_PARAGRAPH_UNITS,
    ARTICLE_MIN_UNITS,
    ARTICLE_TYPES,
    BODY_PARAGRAPHS,
    BODY_MIN_UNITS,
    BODY_TEXT_HOLDERS,
    LISTING_MIN_LINKED_ITEMS,
    LISTING_MIN_POSTS,
    LISTING_MIN_TEASERS,
    LISTING_POST_DOMINANCE,
    LISTING_TEASER_RATIO,
)
from .text import text_of, units
from .title import agrees

KINDS = ("article", "listing", "other")

_ENTRIES = xpath(".//li[.//a[@href]][not(.//li)]")
_MARKED = ("container", "profile")   # bodies the page or its profile marks as the article's text


class Verdict(NamedTuple):
    kind: str   # one of KINDS
    why: str    # the cues that decided it, for a person reading the archive


def kind_of(page: Page) -> Verdict:
    verdict = page.profile.is_article_url(page.url) if page.profile is not None else None
    if verdict is not None:
        return Verdict("article" if verdict else "listing", "the site profile's article URL patterns")
    declared = _declared(page)
    body, how = find_body(page)
    if body is None:   # a declared article keeps its chance: trafilatura may still find its text
        return Verdict("article", declared) if declared else _lone_paragraph(page, "no block of text")
    amount, link_density = score(body, page)
    found = _posts(page, body, amount) or (_teasers(page, body, amount) if how not in _MARKED else None)
    if found is not None:
        return found
    if declared:
        return Verdict("article", declared)
    form = _form(body, amount)
    if form is not None:
        return form
    if amount < ARTICLE_MIN_UNITS:
        return _brief(page, body, amount, link_density) or _lone_paragraph(page, f"too little text ({amount:.0f} units)")
    linked = _linked(body, amount, link_density)
    if linked is None:
        return Verdict("article", f"a block of {amount:.0f} units of prose")
    longest = _longest_paragraph(body)
    if longest < ARTICLE_MIN_PARAGRAPH_UNITS:
        return Verdict("listing", linked)
    return Verdict("article", f"a paragraph of {longest:.0f} units beside {linked}")


def _brief(page: Page, body, amount: float, link_density: float) -> Verdict | None:
    """A news brief: too short to read as an article by its length alone, yet shown the way
    articles are, under an <h1> that agrees with the title the page declares, with a date
    between the headline and its prose (a section page's heading has no dated line under it)."""
    if amount < BODY_MIN_UNITS or link_density > ARTICLE_MAX_LINK_DENSITY:
        return None
    headline = Evidence.of(page).chosen_headline  # the body is asked of no <h1> headline
    if headline.element is None or headline.element.tag != "h1" \
            or not any(agrees(headline.text, title) for title in headline.declared):
        return None
    if not has_date(meta_line(headline.element, body)):
        return None
    return Verdict("article", f"a headline, a dated line and {amount:.0f} units of prose")


def _lone_paragraph(page: Page, listing: str) -> Verdict:
    """An article whose body was not found, if one long paragraph shows it; else a listing for `listing`."""
    longest = _longest_paragraph(page.root)
    if longest >= ARTICLE_MIN_LONE_PARAGRAPH_UNITS:
        return Verdict("article", f"a paragraph of {longest:.0f} units, though {listing}")
    return Verdict("listing", listing)


def _declared(page: Page) -> str | None:
    if page.jsonld_of_type(ARTICLE_TYPES):
        return "declared an article (JSON-LD)"
    if (page.meta("og:type") or "").lower() == "article":
        return "declared an article (og:type)"
    return None


def _posts(page: Page, body, amount: float) -> Verdict | None:
    """Several full posts of the body's shape, none dominant: a blog front page or archive."""
    shape = body.get("class")
    if not (shape or body.tag == "article") or amount < ARTICLE_MIN_UNITS:   # a block wrapper, not a post
        return None
    nested = set(body.iterancestors())
    posts = [el for el in page.root.iter(body.tag)
             if el.get("class") == shape and el not in nested and body not in set(el.iterancestors())]
    full = sorted((t for t in (amount if el is body else score(el, page)[0] for el in posts) if t >= ARTICLE_MIN_UNITS),
                  reverse=True)
    if len(full) >= LISTING_MIN_POSTS and full[0] < LISTING_POST_DOMINANCE * full[1]:
        return Verdict("listing", f"{len(full)} full posts of one shape")
    return None


def _teasers(page: Page, body, amount: float) -> Verdict | None:
    """Linked headings outweighing the body's own text: a front page of teasers.

    A heading's card (its parent: heading + snippet, shorter than an
    article) inside the body is not the body's own text; a heading straight
    in the body (a list-heavy article's linked items) leaves its paragraphs
    to the body, and a longer "card" is a post (see _posts).
    """
    headings = _linked_headings(page.root)
    if len(headings) < LISTING_MIN_TEASERS or any(u >= ARTICLE_MIN_PARAGRAPH_UNITS for u in _paragraph_units(page.root)):
        return None
    text = sum(units(h.text_content()) for h in headings)
    around = set(body.iterancestors()) | {body}
    cards = {h if h.getparent() in around else h.getparent() for h in headings}
    inside = [c for c in cards if body in c.iterancestors() and not any(a in cards for a in c.iterancestors())]
    own = amount - sum(u for u in (units(card.text_content()) for card in inside) if u < ARTICLE_MIN_UNITS)
    if text >= LISTING_TEASER_RATIO * own:
        return Verdict("listing", f"{len(headings)} linked headings outweigh the body")
    return None


def _linked_headings(root) -> list:
    """The <h2>-<h4> holding a link, in document order: a walk to the headings and a look into each, where
    the XPath //*[self::h2 or self::h3 or self::h4][.//a[@href]] tests every element (8-100 times the cost)."""
    return [h for h in root.iter("h2", "h3", "h4") if h.find(".//a[@href]") is not None]


def _form(body, amount: float) -> Verdict | None:
    """A body of input fields and their labels (login, search, error page): neither article nor listing."""
    if fields := form_fields(body, amount):
        return Verdict("other", f"a form of {fields} fields")
    return None


def _linked(body, amount: float, link_density: float) -> str | None:
    """What makes the body look like a list of links, if anything."""
    if link_density > ARTICLE_MAX_LINK_DENSITY:
        return f"links holding {link_density:.0%} of the text"
    in_entries = sum(units(text_of(li)) for li in _ENTRIES(body)) / amount
    if in_entries > LISTING_MIN_LINKED_ITEMS:
        return f"linked entries holding {in_entries:.0%} of the text"
    return None


def _longest_paragraph(body) -> float:
    """The most unlinked text one paragraph outside the linked entries holds."""
    return max(_paragraph_units(body), default=0.0)


def _paragraph_units(body):
    """The unlinked text of each paragraph outside the linked entries: the teaser rule stops at the first long one.
    (Outside: no <li> above it, sought by a walk up in C, not an XPath evaluated per paragraph.)"""
    for el in body.iter(*BODY_PARAGRAPHS, *BODY_TEXT_HOLDERS):
        if next(el.iterancestors("li"), None) is None:
            yield units(_own_text(el))
