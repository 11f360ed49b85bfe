"""Where the article body is: profile selector, content containers, generic wrappers, densest block.

The container table (rules.BODY_CONTAINERS, most specific first) is tried
row by row, so `.entry-content` beats a wrapper that also holds comments
(within a row the first that qualifies: on a blog archive or a thread
the first post is the page's own); then the generic wrappers (rules.BODY_WRAPPERS: <article>, a post's .entry, <main>, #content).
When none fits, the densest block wins: every paragraph credits its text
(links left out) to its parent and, at half weight, its grandparent, as
readability does, and text written straight into a <div> between <br>s
(old portals, forums) counts as a paragraph. find_body says how it found
the body, so a guess (wrapper, densest) can be checked against trafilatura.
"""
from __future__ import annotations

import copy
import logging
import weakref
from functools import cached_property
from typing import NamedTuple

import lxml.html
from lxml import etree
import trafilatura

from .clean import comment_items, hidden, holds_prose, marked, named
from .code import copy_with_code_as_pre
from .page import Page
from .title import choose_headline
from .rules import (
    BODY_CONTAINER_PARAGRAPHS,
    BODY_CONTAINERS,
    BODY_HEADLINE_LEVELS,
    BODY_LIKE_SIBLING_MIN_CHARS,
    BODY_LIKE_SIBLING_MIN_SHARE,
    BODY_WRAPPER_MIN_SHARE,
    BODY_MAX_LINK_DENSITY,
    BODY_MIN_UNITS,
    BODY_OUTWEIGHED,
    BODY_PARTS_MIN_SHARE,
    BODY_SURE_SHARE,
    BODY_WIDGET_MAX_SHARE,
    BODY_WIDGET_WORDS,
    BODY_PARAGRAPH_MIN_UNITS,
    BODY_PARAGRAPHS,
    BODY_TEXT_HOLDERS,
    BODY_WRAPPERS,
    LINK_BLOCK_MIN_DENSITY,
    LINK_BLOCK_MIN_LINKS,
)
from .text import BLOCK_TAGS, Memo, clean, text_of, units

log = logging.getLogger(__name__)

_NEAR_ANCESTORS = 3
_HEADINGS = frozenset(("h1", "h2", "h3", "h4"))
_RANKED = 8
_WRAPPED_SHARE = 0.9  # a container with this share of a marked ancestor's prose is what the ancestor wraps
_PROSE_ENOUGH = 2  # times BODY_MIN_UNITS of text outside links: a container's article, whatever its links
_PARAGRAPHS = frozenset(BODY_PARAGRAPHS)
_HOLDERS = frozenset(BODY_TEXT_HOLDERS)
_ALWAYS_WIDGETS = frozenset(BODY_WIDGET_WORDS)
_SPACES = (" ", "\n", "\t", "\r", "\xa0", "\u3000")
# Plain strings: only their characters are counted, and a "smart" one (it knows its parent) makes the query ~40% slower.
_NOT_PROSE = etree.XPath(".//a//text() | .//script//text() | .//style//text()", smart_strings=False)
_LINKED_HEADINGS = etree.XPath(".//*[self::h1 or self::h2 or self::h3 or self::h4][.//a[@href]]")
# Elements whose class or id may name a comment box (the first letter left out: "Comments" too); named() decides.
_COMMENT_LIKE = etree.XPath("//*[" + " or ".join(
    f"contains(@{a}, '{w[1:]}')" for a in ("class", "id") for w in BODY_WIDGET_WORDS
    if not any(o != w and o[1:] in w[1:] for o in BODY_WIDGET_WORDS)) + "]")
_PER_PARAGRAPH = frozenset(BODY_CONTAINER_PARAGRAPHS)
_CELL_BLOCKS = BLOCK_TAGS - {"br"}
_SKIP = frozenset(("script", "style", "noscript", "template", "textarea", "select", "option", "button"))


def find_body(page: Page):
    """(body element, how it was found) in the page tree; (None, None) when nothing qualifies.

    How: "profile" (the site's selector), "container" (a specific content
    container), "wrapper" (a generic one such as <main>) or "densest".
    A profile's selector is authoritative; a rule's candidate is only a
    hint, taken when the page's evidence agrees (see Evidence).
    """
    if "body" not in page.found:
        page.found["body"] = next(((c.element, c.how) for c in body_candidates(page) if c.fits), (None, None))
    return page.found["body"]


class BodyCandidate(NamedTuple):
    element: object
    how: str                 # "profile", "container", "wrapper" or "densest"
    rule: str                # the selector (a BODY_CONTAINERS / BODY_WRAPPERS row) or the rule that found it
    fits: bool               # enough text, few enough links, not in boilerplate
    units: float | None      # text units (None: not weighed, it sits in boilerplate)
    link_density: float | None
    why_not: str = ""        # why it does not fit, when it does not


def body_candidates(page: Page):
    """The elements find_body tries, in its order, each with whether it fits; it stops at the first that does."""
    picked = page.picked("body")
    if picked is not None:
        yield BodyCandidate(picked, "profile", "the site profile's selector", True, *score(picked, page))
        return
    evidence = Evidence.of(page)
    for how, rows in (("container", BODY_CONTAINERS), ("wrapper", BODY_WRAPPERS)):
        for row in rows:
            matched = list(_containers(page.select(row)))
            found = [el for el in matched if not evidence.in_widget(el, wrapped=how == "container")]
            for el in matched:
                if el not in found:
                    yield BodyCandidate(el, how, row, False, None, None, "inside a widget (comments, sidebar, share bar...)")
                    continue
                s = score(el, page)
                if not qualifies(s) and not (how == "container" and (
                        qualifies(score(el, page, _link_lists(el)))
                        or (_prose_enough(s) and evidence.under_headline(el) is not None))):
                    yield BodyCandidate(el, how, row, False, *s, "too little text or too many links")
                    continue
                body = _with_parts(el, found) if how == "container" else el
                if not evidence.holds_the_article(body, found):
                    yield BodyCandidate(body, how, row, False, *s, "the page's densest block holds many times its prose")
                elif how == "wrapper" and evidence.away_from_headline(body):
                    yield BodyCandidate(body, how, row, False, *s, "a small block away from the page's headline")
                elif how == "wrapper" and (inner := evidence.narrower(body)) is not None:
                    yield BodyCandidate(body, how, row, False, *s, "its densest block holds only part of its prose")
                    yield BodyCandidate(inner, "densest", "the densest block in a wrapper, with its like siblings",
                                        True, *score(inner, page))
                    return
                elif body is el:
                    yield BodyCandidate(el, how, row, True, *s)
                else:
                    yield BodyCandidate(body, how, f"{row}, its parts joined", True, *score(body, page))
    block = evidence.densest
    if block is not None:
        yield BodyCandidate(block, "densest", "the most paragraph text, by link density", True, *score(block, page))


def _containers(matched: list) -> dict:
    """The matched elements in document order, a paragraph standing for its parent (a class set per paragraph).

    The first that qualifies is the body: on a page of several posts (a
    blog archive, a thread) the first is the page's own.
    """
    return dict.fromkeys(el.getparent() if el.tag in _PER_PARAGRAPH and el.getparent() is not None else el
                         for el in matched)


class Evidence:
    """What the page itself says about a candidate body, worked out once and only when asked.

    prose(el) is the text of `el` outside links: a menu or a teaser list
    has little of it, an article much. It is remembered per element: the
    densest block and its ancestors are weighed by every candidate.
    """

    def __init__(self, page: Page):
        self.root = page.root
        # weakly: the page keeps its Evidence (page.found), and a cycle back to it would hold the page
        # and its whole tree until the garbage collector came, whose passes over the pages left so
        # cost ~1.7 of 9.7 ms a page on the crawl benchmark's site
        self.page = weakref.proxy(page)
        self._comments: dict = {}  # parent -> its children that are comment items
        texts = page.texts         # (the page's texts, shared with its units and lengths: not read through self.page)
        self.prose = Memo(lambda el: prose(el, texts[el]))   # element -> prose(element)

    @classmethod
    def of(cls, page: Page) -> "Evidence":
        """The page's one Evidence: finding the body and checking trafilatura's pick weigh the same blocks."""
        if "evidence" not in page.found:
            page.found["evidence"] = cls(page)
        return page.found["evidence"]

    @cached_property
    def chosen_headline(self):
        """title.choose_headline's answer without a body (page kind asks it too): with a non-furniture
        <h1> on the page, what the body would add (an emphasised line above it) is never consulted."""
        return choose_headline(self.page)

    @cached_property
    def headline(self):
        """The heading showing the page's declared title (or its first <h1>), or None: the article sits under it."""
        found = self.chosen_headline
        return found.element if found.element is not None and found.element.tag in _HEADINGS else None

    def led_by_headline(self, el, other) -> bool:
        """Does the headline stand right above `el` (or in it), and nearer to it than to `other`?

        A short post under its own title beside a long "about the author"
        box or a subscribe module: the box holds more prose, but the title
        leads to the post.
        """
        h = self.headline
        if h is None or h is other or other in h.iterancestors():
            return False
        common = self.under_headline(el)
        return common is not None and other is not common and common not in other.iterancestors()

    def away_from_headline(self, el) -> bool:
        """Is `el` a small block (under BODY_SURE_SHARE of the page's prose) that neither holds the
        page's headline nor stands right under it: a teaser <article> in the footer, not the post?"""
        return (self.headline is not None and self.under_headline(el) is None
                and self.share_under(self.prose[el], BODY_SURE_SHARE))

    def under_headline(self, el):
        """The nearest of `el` and its BODY_HEADLINE_LEVELS ancestors holding the headline that stands
        above `el` (or in it); None when the headline is elsewhere."""
        h = self.headline
        if h is None:
            return None
        near = [el, *(a for a, _ in zip(el.iterancestors(), range(BODY_HEADLINE_LEVELS)))]
        common = next((a for a in near if a is h or a in h.iterancestors()), None)
        if common is None or (common is not el and self.page.order[h] > self.page.order[el]):
            return None
        return common

    @cached_property
    def all_prose(self) -> int:
        return self.prose[self.root]

    @cached_property
    def page_prose(self) -> int:
        """The page's prose outside comment boxes (under a short post they can be most of the page)."""
        boxes = [el for el in _COMMENT_LIKE(self.root) if named(el, _ALWAYS_WIDGETS)]
        inner = set(boxes)
        outer = [el for el in boxes if not any(a in inner for a in el.iterancestors())]
        return self.all_prose - sum(self.prose[el] for el in outer)

    def share_under(self, amount: int, share: float) -> bool:
        """Is `amount` of prose under `share` of the page's? (The page's total first: comment boxes are sought only when it matters.)"""
        return amount < self.all_prose * share and amount < self.page_prose * share

    @cached_property
    def densest(self):
        return densest_block(self)

    def in_comments(self, el) -> bool:
        """Is `el`, or one of its near ancestors, an item of a comment section (known by what it shows)?

        Under a short post one long reply can hold more prose than the post.
        """
        for a, _ in zip((el, *el.iterancestors()), range(_NEAR_ANCESTORS + 1)):
            parent = a.getparent()
            if parent is None:
                return False
            if parent not in self._comments:
                self._comments[parent] = comment_items(parent)
            if a in self._comments[parent]:
                return True
        return False

    def in_widget(self, el, wrapped: bool = False) -> bool:
        """Inside (or being) a comment box, a sidebar widget, a share bar...: not the body.

        Only near ancestors count, and only when they hold a small share of
        the page's prose or the page's headline stands elsewhere: <body
        class="has-sidebar">, a theme's "content-sidebar-wrap" or a post
        classed "tag-articles" wrap the article (and its headline) and say
        nothing about it, while a sidebar's text box beside a short post can
        hold most of the page's prose. A comment box is a widget
        whatever its share (under a short post the comments can be most of
        the page), and so is a hidden block (a print or share copy).
        When `wrapped` (`el` is a content container), a marked ancestor whose
        prose is nearly all in `el` is the post's wrapper ("post-meta"), not a widget.
        """
        if marked(el):
            return True
        return any(marked(a) and (hidden(a) or named(a, _ALWAYS_WIDGETS) or (
                       (self.headline is not None or self.share_under(self.prose[a], BODY_WIDGET_MAX_SHARE))
                       and not self.holds_headline(a)
                       and not (wrapped and self.prose[el] >= self.prose[a] * _WRAPPED_SHARE)))
                   for a, _ in zip(el.iterancestors(), range(_NEAR_ANCESTORS)))

    def holds_headline(self, el) -> bool:
        """Does `el` hold the page's headline? A post's wrapper named "post-meta" does: it is the article, not a widget."""
        h = self.headline
        return h is not None and el in h.iterancestors()

    def narrower(self, el):
        """The article inside generic wrapper `el` when `el` holds much else (a card sidebar, a profile), or None.

        It is the page's densest block, grown to the parent of its
        ancestor that has siblings of its shape holding prose of like size
        (an article in cards or numbered parts; not a narrow grid column
        beside the article's), when that holds under
        BODY_WRAPPER_MIN_SHARE of the wrapper's prose, and the page's
        headline, if the wrapper holds it, stands in the same branch.
        """
        d = self.densest
        if d is None or d is el or el not in d.iterancestors():
            return None
        block = d
        for a in (d, *d.iterancestors()):
            parent = a.getparent()
            if parent is el or parent is None:
                break
            least = max(BODY_LIKE_SIBLING_MIN_CHARS, self.prose[a] * BODY_LIKE_SIBLING_MIN_SHARE)
            if any(_shape(s) == _shape(a) and self.prose[s] >= least for s in parent if s is not a):
                block = parent
        if block.getparent() is not el and any(x is not block and _shape(x) == _shape(block) for x in el.iter(block.tag)):
            block = block.getparent()  # a "content" div that the comments below repeat: its own wrapper names the article
        if self.prose[block] >= self.prose[el] * BODY_WRAPPER_MIN_SHARE:
            return None
        h = self.headline
        if h is not None and el in h.iterancestors() and block not in h.iterancestors() and not any(
                a in h.iterancestors() for a in block.iterancestors() if a is not el and el in a.iterancestors()):
            return None  # the headline stands in another branch of the wrapper: the block is a box beside the post
        return block

    def holds_the_article(self, el, found: list) -> bool:
        """True unless the page has, outside `el` or around it, much more prose of another kind.

        A rule's candidate may be a tweet embed classed "entry-content", a
        sidebar block classed "content" or one photo caption: the densest
        block of the page then holds many times its prose. Prose in the
        rule's other candidates in the same place of the same list (the
        replies of a thread) is of the same kind and does not count against
        `el`: the first post of a thread is the page's own. Teasers of
        other posts above the article sit elsewhere and lose to it.
        """
        mine = self.prose[el]
        if not self.share_under(mine, BODY_SURE_SHARE):
            return True
        other = self.densest
        if other is None or other is el or el in other.iterancestors():
            return True
        if self.led_by_headline(el, other):
            return True
        rival = self.prose[other]
        for c in found:
            if c is el or c in el.iterancestors() or el in c.iterancestors() or not _same_place(el, c):
                continue
            if c is other or c in other.iterancestors():
                return True
            if other in c.iterancestors():
                rival -= self.prose[c]
        return rival < mine * BODY_OUTWEIGHED


def _with_parts(el, found: list):
    """`el`, or the nearest element holding it and the other parts of an article split on one page.

    Parts are candidates of the same container rule close to `el` (a newspaper's
    body in several <div class="articleBody"> around an ad, a "continue
    reading" fold); they are joined when their common ancestor is near and
    holds little prose besides them. A post of a listing or a thread (its
    branch carries a heading or a byline of its own) is not a part.
    """
    parts = [o for o in found if o is not el and units(o.text_content()) >= BODY_PARAGRAPH_MIN_UNITS
             and el not in o.iterancestors() and o not in el.iterancestors()]
    if not parts:
        return el
    chain = [el, *(a for a, _ in zip(el.iterancestors(), range(_NEAR_ANCESTORS)))]
    joined, members = el, [el]
    for part in parts:
        common = next((a for a in chain if a in part.iterancestors()), None)
        if common is None or _is_item(part, common) or _is_item(el, common):
            continue
        members.append(part)
        if chain.index(common) > chain.index(joined):
            joined = common
    if joined is el or sum(prose(m) for m in members) < prose(joined) * BODY_PARTS_MIN_SHARE:
        return el
    return joined


def kin_text(page: Page, el) -> str:
    """The text of the other items of the list `el` is one of (a thread's replies beside its first post):
    elements of its shape in the same place, whitespace collapsed."""
    shape = _shape(el)
    return "\n".join(clean(o.text_content()) for o in page.root.iter(el.tag)
                     if o is not el and _shape(o) == shape and _same_place(el, o))


def _shape(el) -> tuple:
    """Tag and first class: blocks of one shape are items of one list (cards, sections, posts)."""
    return el.tag, *(el.get("class") or "").split()[:1]


def _same_place(a, b) -> bool:
    """Do `a` and `b` sit alike under their common ancestor (items of one list: the same tags on both paths)?"""
    while a is not None and b is not None and a is not b:
        if a.tag != b.tag:
            return False
        a, b = a.getparent(), b.getparent()
    return a is b


def _is_item(el, common) -> bool:
    """Is `el` one item of a list under `common`: its branch there holds text of its own (a byline),
    or a heading that links elsewhere (a post's title, however short)?"""
    branch = el
    while branch.getparent() is not common:
        branch = branch.getparent()
    if branch is el:
        return False
    return (units(branch.text_content()) - units(el.text_content()) >= BODY_PARAGRAPH_MIN_UNITS
            or any(el not in h.iterancestors() for h in _LINKED_HEADINGS(branch)))


def prose(el, text: str | None = None) -> int:
    """Characters of text of `el` (`text`, when known) outside links, spaces, script and style left out.

    Only compared with the prose of other parts of the same page, so
    characters serve as well as units, at a fraction of the cost.
    """
    text = el.text_content() if text is None else text
    return max(_chars(text) - _chars("".join(_NOT_PROSE(el))), 0)


def _chars(text: str) -> int:
    return len(text) - sum(map(text.count, _SPACES))


def score(el, page: Page, skip=()) -> tuple[float, float]:
    """(text units, link density) of an element of the page, script and style text left out, and the `skip` blocks in it."""
    length = page.chars[el]
    code = "".join(s.text_content() for s in (*el.iter("script", "style"), *skip))
    if length <= len(code):
        return 0.0, 1.0
    linked = sum(page.chars[a] for a in el.iter("a")) - sum(page.chars[a] for s in skip for a in s.iter("a"))
    return page.units[el] - units(code), min(linked / (length - len(code)), 1.0)


def _link_lists(el) -> list:
    """The lists in `el` made of links (a "related posts" list under a post), outermost first.

    A post with such a list at its foot can carry more link text than
    prose; the list is cleaned away later, and the post stays the body.
    """
    found = []
    for lst in el.iter("ul", "ol"):
        if any(lst in f.iterancestors() for f in found):
            continue
        links = list(lst.iter("a"))
        text = len(lst.text_content())
        if len(links) >= LINK_BLOCK_MIN_LINKS and text and sum(len(text_of(a)) for a in links) / text > LINK_BLOCK_MIN_DENSITY:
            found.append(lst)
    return found


def qualifies(s: tuple[float, float]) -> bool:
    return s[0] >= BODY_MIN_UNITS and s[1] <= BODY_MAX_LINK_DENSITY


def _prose_enough(s: tuple[float, float]) -> bool:
    """Does a content container hold a body's worth of text outside its links, however many links it has?

    A story whose photos each carry a linked credit ("courtesy of ..."), or
    that quotes tweets, is mostly link text; a menu has next to no other.
    Taken only under the page's headline: a roundup of links elsewhere on
    the page has text too.
    """
    return s[0] * (1 - s[1]) >= BODY_MIN_UNITS * _PROSE_ENOUGH


def _own_text(el) -> str:
    """Text written straight into `el` (its text and its inline children's), not its blocks'."""
    parts = [el.text or ""]
    for child in el:
        if (isinstance(child.tag, str) and child.tag not in BLOCK_TAGS and child.tag not in _SKIP and child.tag != "a"
                and not hidden(child)):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _credit(page: Page) -> dict:
    """Readability's paragraph credit: each paragraph's text (links left out) to its parent, half to the grandparent.

    A text holder (<div>, <td>...) without block children is a paragraph;
    with block children, its loose text between them (<br>-separated
    posts on old portals and forums) is a paragraph of its own. A layout
    table's column (see _column) is such a holder, not a paragraph of its row.
    """
    credit: dict = {}
    for el in page.root.iter(*_PARAGRAPHS, *_HOLDERS):
        tag = el.tag
        if hidden(el):
            continue  # a slide of a slideshow, a collapsed panel: not what the reader is shown
        if tag in _PARAGRAPHS and not _column(el, page):
            u = page.units[el]
            if u >= BODY_PARAGRAPH_MIN_UNITS:  # links only take text away: a short paragraph's are not weighed
                u -= sum(page.units[a] for a in el.iter("a"))
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


def _column(el, page: Page) -> bool:
    """Is `el` a column of a layout table: a cell holding blocks (paragraphs, a table) beside another cell with text?

    Such a cell is a container, not a paragraph of its row: were its text
    credited to the row, the row would win with the menu and the sidebar
    cells beside the article. A cell alone in its row stays a paragraph,
    so an article laid out as a text table and a data table below it in
    one cell is still credited whole to that cell's row.
    """
    if el.tag != "td" or not any(c.tag in _CELL_BLOCKS for c in el):
        return False
    return any(c is not el and c.tag == "td" and page.units[c] >= BODY_PARAGRAPH_MIN_UNITS for c in el.getparent())


def densest_block(evidence: Evidence):
    """The element of the page with the most paragraph credit, discounted by its link density."""
    ranked = sorted(_credit(evidence.page).items(), key=lambda kv: -kv[1])[:_RANKED]
    best, best_value = None, 0.0
    for el, total in ranked:
        if evidence.in_widget(el) or evidence.in_comments(el):
            continue
        s = score(el, evidence.page)
        value = total * (1 - s[1])
        if qualifies(s) and value > best_value:
            best, best_value = el, value
    return best


def trafilatura_body(page: Page):
    """trafilatura's main content (favor_precision: measured best on both benchmarks) as a <body> tree, or None.

    Comments left out: trafilatura appends the comment section it finds to
    the text by default, and a page's comments are never its body.
    """
    try:
        html = trafilatura.extract(
            _trafilatura_input(page), url=page.url, favor_precision=True, output_format="html", include_formatting=True,
            include_tables=True, include_images=True, include_links=True, include_comments=False,
            with_metadata=False,
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


def _trafilatura_input(page: Page):
    """The page tree as trafilatura is given it: listed code as <pre>, and a <form> holding paragraphs as a <div>.

    trafilatura drops every form with what it holds; one around paragraphs
    (a whole-page form, or one that broken markup left open) wraps the article.
    """
    tree = copy_with_code_as_pre(page)
    wrappers = [i for i, form in enumerate(tree.iter("form")) if holds_prose(form)]
    if wrappers:
        tree = copy.deepcopy(tree) if tree is page.root else tree
        forms = list(tree.iter("form"))
        for i in wrappers:
            forms[i].tag = "div"
    return tree
