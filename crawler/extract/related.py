"""The related-article block: links chosen for this article, in any language, headed or not.

A heading from RELATED_HEADINGS (the whole heading, a prefix row, or one
side of "Related — 相关"; text or image alt) opens a block. Its entries are
the links that follow it, climbing only through a header bar, up to the next
heading, another headed box or prose; an inline label ("Related: <a>...</a>",
"相关新闻：...") takes its own links and the link paragraphs under it. An
unheaded box whose class names it related (RELATED_CLASS_WORDS) counts too,
unless it shows another heading ("热门文章", "Tennis latest"). Every block
found counts: an in-body box and a list after the body are both related.

A link is an entry only when it reads like another article: a title-length
text, not a citation inside running text, not hidden, not on a sponsored
card or widget, and an article's address (crawler.extract.urlshape). A
block whose entries are stamped "6小时前" is a live feed, not related.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .page import Page, xpath
from .rules import (
    HEADING_MAX_CHARS,
    RELATED_HEADINGS,
    RELATED_CLASS_WORDS,
    RELATED_FEED_TIMES,
    RELATED_MIN_TITLE_UNITS,
    RELATED_NAV_WORDS,
    RELATED_SPONSOR_HOSTS,
    RELATED_SPONSOR_LABELS,
    WORD_UNITS,
)
from .text import Phrases, clean, clean_within, runs, text_of
from .urlshape import article_address, key

_EXACT = frozenset(h.casefold() for h in RELATED_HEADINGS if not h.endswith(" "))
_PREFIXES = tuple(h.casefold() for h in RELATED_HEADINGS if h.endswith(" "))
# Short text nodes only (with room for the indentation around them), and of those
# the ones not blank (most are indentation): a heading is short.
_SHORT_TEXT = HEADING_MAX_CHARS * 4
_HEADING_MAX_TEXT = HEADING_MAX_CHARS * 2
_CARD_HEADINGS = "(.//h2|.//h3|.//h4|.//h5)[not(.//a)]"
_SOURCE_TAGS = ("script", "style", "noscript", "template")
_VISIBLE_TEXT = ".//text()[not(%s)]" % " or ".join(f"ancestor::{t}" for t in _SOURCE_TAGS)
_MARKS = frozenset(RELATED_CLASS_WORDS)
_MARK_WORDS = re.compile("|".join(map(re.escape, RELATED_CLASS_WORDS)))
_MARK_SPLIT = re.compile(r"[\s_-]+|(?<=[a-z])(?=[A-Z])")
_NAV_WORDS = frozenset(RELATED_NAV_WORDS)
_SPONSOR_NAMES = tuple(h.split(".")[0] for h in RELATED_SPONSOR_HOSTS)  # "taboola", "outbrain"
_LABEL_UNITS = 2  # lead text this long before a block's first link is its heading
_FEED_TIME = re.compile(r"\d\d*\s*(?:%s)" % "|".join(map(re.escape, RELATED_FEED_TIMES)), re.I)  # a digit first, not \d+: see text.runs
_ITEMS = ".//li[.//a[@href]][not(.//li)]"  # innermost list items with a link
_TRIM = " \t\r\n\u00a0\u3000:：·|-–—/[]【】「」()（）<>《》.…»›"
_SNIPPET_LEAD = " -–—|:：·"
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_INLINE_TAGS = frozenset(("a", "span", "strong", "b", "em", "i"))
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "button", "form", "iframe"))
_CLIMB = 3  # levels above the heading searched for the entries (".hd" + ".bd" layouts)
_BAR_UNITS = 20  # a header bar holds the heading and at most a "more" link: climb through it, not beyond
_PROSE_UNITS = 40  # a sibling with this much unlinked text is prose: the block ended
_UNITS_START = 10 * _PROSE_UNITS  # characters read first when asking whether a text holds that much
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CHARS = runs(f"[{_IDEOGRAPHS}]")  # in runs: one string per run, not per character
_WORD = runs(f"[^\\W{_IDEOGRAPHS}]")
_TITLE_SEPARATORS = re.compile(r"\s+[—–|/-]\s+")
_SPONSORS = Phrases(RELATED_SPONSOR_LABELS, whole_ascii_words=True)


class RelatedBlock(NamedTuple):
    entries: list[dict]   # the block's entries not already in an earlier block
    elements: list        # its heading-level node first, then the boxes holding its entries
    cue: str              # what made it a related block


def find_related(page: Page) -> tuple[list[dict], list]:
    """(entries as [{"title", "url", "snippet"}], the elements of the blocks)."""
    blocks = related_blocks(page)
    return [e for b in blocks for e in b.entries], [el for b in blocks for el in b.elements]


def related_blocks(page: Page) -> list[RelatedBlock]:
    """Every related block of the page, in the order found: headed blocks, then boxes marked by class."""
    box = page.picked("related")
    if box is not None:  # the site profile decides: its block is taken as it is
        return [RelatedBlock(_parse_entries(page, _entry_elements([box]), trusted=True), [box],
                             "the site profile's selector")]
    blocks, elements, seen = [], [], {key(page.url)}
    headings = _headings(page)
    for heading in headings:
        if any(heading is e or _inside(heading, e) for e in elements) or page.unseen(heading):
            continue
        found = _block_of(page, heading, headings)
        if found is None:
            continue
        node, boxes, parsed = found
        if not parsed or _live_feed(boxes, parsed):
            continue
        new = [e for e in parsed if key(e["url"]) not in seen]
        seen.update(key(e["url"]) for e in new)
        block = [node, *[b for b in boxes if b is not node]]
        elements += block
        blocks.append(RelatedBlock(new, block, f"headed {clean(heading.text_content()) or heading.get('alt')!r}"))
    for box in _marked_boxes(page):
        if any(box is e or _inside(box, e) or _inside(e, box) for e in elements) or page.unseen(box) \
                or not _unheaded_block(box):
            continue
        new = [e for e in _parse_entries(page, _entry_elements([box])) if key(e["url"]) not in seen]
        if new:
            seen.update(key(e["url"]) for e in new)
            elements.append(box)
            marks = " ".join(filter(None, (box.get("class"), box.get("id"))))
            blocks.append(RelatedBlock(new, [box], f"class or id names it related ({marks})"))
    return blocks


def _live_feed(boxes: list, entries: list) -> bool:
    """Entries stamped "6小时前" / "2 hours ago": a feed of the newest items, not picks for this article."""
    if len(entries) < 2:
        return False  # (no text read)
    stamped = sum(len(_FEED_TIME.findall(" ".join(box.itertext()))) for box in boxes)
    return stamped * 2 > len(entries)


def _marked_boxes(page: Page) -> list:
    """Linked boxes in <body> whose class or id names them related ("related-list", "xgwz"), outermost first."""
    found = []
    for el in page.marked(_names_related, ("class", "id")):
        if next(el.iterancestors("body"), None) is not None and _has_link(el) and not any(_inside(el, f) for f in found):
            found.append(el)
    return found


def _unheaded_block(box) -> bool:
    """A marked box that is a block of its own: not in a menu, not a sponsored widget, not headed otherwise.
    (Asked only of the boxes outside the headed blocks: the box around a headed block is most pages' only one.)"""
    if any(a.tag in ("nav", "header") for a in box.iterancestors()) or _sponsored(box):
        return False
    label = _box_heading(box)
    return _units(label) < _LABEL_UNITS or _is_heading_text(label)  # not "热门文章", "Tennis latest": the class misleads


def _names_related(value: str) -> bool:
    """A class token or id with a RELATED_CLASS_WORDS word in it ("related-list", "relatedPosts", "xgwz")."""
    if _MARK_WORDS.search(value.lower()) is None:
        return False  # a split word lowered is a piece of the value lowered: most values hold no such piece
    return not _MARKS.isdisjoint(w.lower() for w in _MARK_SPLIT.split(value))


def _box_heading(box) -> str:
    """The heading a block shows above its entries: its lead text, or a heading element at its top."""
    lead = _lead_text(box)
    if lead:
        return lead
    first_link = box.find(".//a[@href]")
    for head in box.iter(*_HEADING_TAGS):
        if next(head.iterancestors("a"), None) is not None or len(list(box.iter(head.tag))) > 1:
            break  # a card's title, repeated in every card
        if first_link is None or _inside(first_link, head):
            return clean(head.text_content())
        break
    return ""


def _sponsored(el) -> bool:
    """A widget of a sponsored-content network (its name in a class or id of the block or around it)."""
    for node in (el, *el.iterancestors()):
        tokens = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
        if any(_MARK_SPLIT.split(token)[0] in _SPONSOR_NAMES for token in tokens):
            return True  # "taboola-below-article", "OUTBRAIN"; not "js-outbrain-anchor", a place they fill after it
    return False


def _inside(el, box) -> bool:
    return any(a is box for a in el.iterancestors())


def _is_heading_text(text: str) -> bool:
    """Whether `text` (a plain str, not an lxml text result, which would keep its tree in the
    cache) is a related-block heading (whole, or by a prefix row)."""
    if len(text) > _HEADING_MAX_TEXT and len(text.strip()) > _HEADING_MAX_TEXT:
        return False  # sentences
    return _short_heading_text(text)


@lru_cache(maxsize=8192)
def _short_heading_text(text: str) -> bool:
    """_is_heading_text of a short text; remembered, as a site's menus and labels repeat on every page."""
    norm = " ".join(text.replace("\u2019", "'").split()).strip(_TRIM).casefold()
    if not norm:
        return False
    if norm in _EXACT or norm.startswith(_PREFIXES) or f"{norm} " in _PREFIXES:
        return True  # "More on " + <a>topic</a>: the prefix alone in its text node
    parts = _TITLE_SEPARATORS.split(norm) if " " in norm else ()  # "Related — 有關", "Related | Read further"
    return len(parts) > 1 and any(p.strip(_TRIM) in _EXACT for p in parts)


def _headings(page: Page):
    """Elements whose text (or image alt) is a related heading, in document order."""
    found = [_heading_element(el) for el in _heading_text_holders(page)]
    images = [_heading_element(img) for body in page.root.iter("body") for img in body.iter("img")
              if len(img.get("alt") or "") <= HEADING_MAX_CHARS and _is_heading_text(img.get("alt") or "")]
    if images:
        found = sorted(found + images, key=lambda e: page.order.get(e, 0))
    # a link reading "Read more" is a button, not a heading (a tab without a target is one);
    # nothing in the site's menus is
    found = [h for h in found if (h.tag != "a" or not page.absolute(h.get("href")))
             and next(h.iterancestors("nav"), None) is None]
    return list({id(e): e for e in found}.values())


def _heading_text_holders(page: Page) -> list:
    """The element holding each short text node of <body> that is a related heading, in document order.

    A walk reading each node's text and tail, where an XPath for the short
    non-blank text nodes cost three times as much; the few found are put in
    document order after (a tail comes after its element's descendants).
    """
    body = next(page.root.iter("body"), None)
    if body is None:
        return []
    found = []
    for node in body.iter():
        text, tail = node.text, node.tail
        if text and len(text) <= _SHORT_TEXT and not text.isspace() and isinstance(node.tag, str) \
                and _is_heading_text(text):  # (a comment's own text is no text node)
            found.append(((page.order[node], 0, 0), node))
        if tail and len(tail) <= _SHORT_TEXT and not tail.isspace() and node is not body and _is_heading_text(tail):
            last = node
            while len(last):
                last = last[-1]
            found.append(((page.order[last], 1, -sum(1 for _ in node.iterancestors())), node.getparent()))
    return [el for _, el in sorted(found, key=lambda f: f[0])]


def _heading_element(el):
    """The outermost element whose whole text is the heading (<h3><span>相关文章</span></h3> -> h3)."""
    text = clean(text_of(el))
    while (parent := el.getparent()) is not None and parent.tag != "body" \
            and clean_within(parent.text_content(), len(text)) == text \
            and _count_links(parent) == _count_links(el):  # image-only cards have no text, yet are no heading
        el = parent
    if el.tag in _INLINE_TAGS:  # one tab of a tabbed heading: <h4><a>Related</a><a>More from author</a></h4>
        for anc in list(el.iterancestors())[:2]:
            if anc.tag in _HEADING_TAGS:
                return anc
    return el


def _units(s: str) -> float:
    """Text units in any script: a CJK/kana/hangul character is one, a word of any other script WORD_UNITS.
    (ASCII text, most link titles and labels, is not searched for CJK.)"""
    return (0 if s.isascii() else sum(map(len, _CHARS.findall(s)))) + WORD_UNITS * len(_WORD.findall(s))


def _reaches(text: str, amount: float) -> bool:
    """_units(text) >= amount, counted on the text's start first: a block of prose gets there long before
    its end (a start never counts more than the whole: a word cut short is still one word)."""
    return (len(text) > _UNITS_START and _units(text[:_UNITS_START]) >= amount) or _units(text) >= amount


def _count_links(el) -> int:
    return len(xpath(".//a[@href]")(el)) + (el.tag == "a")



def _has_link(el) -> bool:
    return isinstance(el.tag, str) and (el.tag == "a" or el.find(".//a[@href]") is not None)


def _inline_links(heading) -> list:
    """Links inside the heading's own element other than one wrapping the heading text."""
    text = clean(heading.text_content())
    return [a for a in heading.iter("a") if a.get("href") and clean(text_of(a)) not in ("", text)]


def _lead_text(el) -> str:
    """The text before the element's first link: "Related:" in "Related: <a>...</a>"."""
    parts: list[str] = []
    _text_before_link(el, parts)
    return clean("".join(parts))


def _text_before_link(node, parts: list[str]) -> bool:
    """Adds to `parts` the text of `node` up to its first link; whether it met one.
    (A module function: a nested one calling itself is a reference cycle, left for the garbage collector.)"""
    if node.tag == "a":
        return True
    if isinstance(node.tag, str) and node.tag not in _SKIP_TAGS:  # not a comment's or a script's text
        parts.append(node.text or "")
    for child in node:
        if _text_before_link(child, parts):
            return True
        parts.append(child.tail or "")
    return False


def _block_of(page: Page, heading, headings: list) -> tuple[object, list, list[dict]] | None:
    """(the heading-level node, the elements holding its entries, the entries) or None.

    The entries come back with the block, not only tested for: parsing them
    (a hidden check and a URL shape per link) is most of what a block costs.
    """
    card = next((a for a in heading.iterancestors("a") if page.absolute(a.get("href"))), None)
    if card is not None:  # a label inside the card's own link: <a><span>Also on site.com</span> title</a>
        entries = _parse_entries(page, [card])
        return (card, [card], entries) if entries else None
    if heading.tag not in _HEADING_TAGS and _inline_links(heading) and _parse_entries(page, [heading]):
        if not _is_heading_text(_lead_text(heading)):
            return None  # "... read more here" inside a sentence is no label
        boxes = [heading, *_linked_siblings(heading, [h for h in headings if h is not heading])]
        return heading, boxes, _parse_entries(page, _entry_elements(boxes))
    node = heading
    for _ in range(_CLIMB):
        boxes = _linked_siblings(node, [h for h in headings if h is not heading])
        entries = _parse_entries(page, _entry_elements(boxes)) if boxes else []
        if entries:
            return node, boxes, entries
        parent = node.getparent()
        if parent is None or parent.tag == "body" or _beside(parent, heading) >= _BAR_UNITS:
            return None  # the heading's own box is empty (a script fills it): nothing beyond it is its list
        node = parent
    return None


def _beside(box, heading) -> float:
    """Text units in `box` besides the heading's."""
    return _units(_visible_text(box)) - _units(_visible_text(heading))


def _visible_text(el) -> str:
    """Text a reader sees: no script or style source."""
    if next(el.iter(*_SOURCE_TAGS), None) is None and next(el.iterancestors(*_SOURCE_TAGS), None) is None:
        return clean(" ".join(el.itertext()))  # nothing to leave out (most blocks): no XPath test per text node
    return clean(" ".join(xpath(_VISIBLE_TEXT)(el)))


def _linked_siblings(node, others: list) -> list:
    """The linked elements after `node`, up to the next heading (unlinked, or another related one) or prose."""
    boxes = []
    for i, sib in enumerate(el for el in node.itersiblings() if isinstance(el.tag, str)):
        if sib.tag in _SKIP_TAGS:
            continue
        linked = _has_link(sib)
        if sib.tag in _HEADING_TAGS and not linked:
            if i == 0:
                continue  # a subtitle right under the heading
            break
        if any(h is sib or _inside(h, sib) for h in others) or _headed_otherwise(sib) or _navigation(sib):
            break  # the next block, with a heading of its own, or the previous/next links
        if _prose(sib, linked):
            break
        if linked:
            boxes.append(sib)
    return boxes


def _navigation(el) -> bool:
    """Previous/next-article links, by the words of the box's class or id."""
    marks = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(_NAV_WORDS.intersection(w.lower() for w in _MARK_SPLIT.split(marks)))


def _headed_otherwise(el) -> bool:
    """A box that opens with a heading of its own ("Most read") before any link: another block."""
    for node in el.iter(*_HEADING_TAGS, "a"):
        if node.tag == "a":
            return False
        if node.find(".//a[@href]") is None:
            return not _is_heading_text(clean(text_of(node)))
    return False


def _prose(el, linked: bool) -> bool:
    """Article text resumes here: a long unlinked block, or a long paragraph with a few inline links."""
    if linked and el.tag != "p":
        return False  # a list of entries, whatever its length: its text is not read
    text = _visible_text(el)
    if not _reaches(text, _PROSE_UNITS):
        return False
    return not linked or _prose_paragraph(el, text)


def _prose_paragraph(p, text: str | None = None) -> bool:
    """A long paragraph, mostly not link text (`text`: its visible text, when known)."""
    text = _visible_text(p) if text is None else text
    link_text = sum(len(clean(text_of(a))) for a in p.iter("a"))
    return _reaches(text, _PROSE_UNITS) and link_text < len(text) / 2


def _entry_elements(boxes: list) -> list:
    """One element per entry: list items when the boxes hold lists, else the boxes' linked children."""
    out = []
    for box in boxes:
        if box.tag == "a":
            out.append(box)
            continue
        items = xpath(_ITEMS)(box)
        if items:
            out += items
            continue
        kids = [c for c in box if _has_link(c)]
        out += kids if len(kids) > 1 else [box]
    return out


def _parse_entries(page: Page, elements: list, trusted: bool = False) -> list[dict]:
    """The entries of a block; unless `trusted` (a profile's pick), only links that read like articles."""
    entries, seen = [], set()
    for el in elements:
        if not trusted and _SPONSORS.search(" ".join(el.itertext())[:300]):
            continue
        found = []
        for link in ([el] if el.tag == "a" else el.iter("a")):
            if not trusted and (page.unseen(link) or _cited(link)):
                continue
            url = page.absolute(link.get("href"))
            title = _title(link) if url is not None else ""
            if not title or not (trusted or _article_like(page, url, title)):
                continue
            k = key(url)
            if k in seen:
                continue
            seen.add(k)
            found.append((title, url))
        if len(found) == 1:  # a card: the text beside its one link is the snippet
            title, url = found[0]
            rest = clean(clean(el.text_content()).replace(title, "", 1)).lstrip(_SNIPPET_LEAD)
            rest = "" if _is_heading_text(rest) else rest  # the card's label ("Also on site.com"), no snippet
            entries.append({"title": title, "url": url, "snippet": rest or None})
        else:
            entries += ({"title": title, "url": url, "snippet": None} for title, url in found)
    return entries


def _cited(link) -> bool:
    """A link in running text (a long paragraph, words around it): a citation, not an entry of a list."""
    block = link.getparent()
    while block is not None and block.tag in _INLINE_TAGS:
        block = block.getparent()
    if block is None:
        return False
    own = clean((block.text or "") + " ".join(c.tail or "" for c in block))
    return _reaches(own, _PROSE_UNITS / 2) and _prose_paragraph(block)


def _title(link) -> str:
    """The link's text, else its image's alt, its title, or the heading of its card (an overlay link)."""
    text = clean(text_of(link))
    if not text:
        text = next((clean(img.get("alt")) for img in link.iter("img") if clean(img.get("alt"))), "")
    text = text or clean(link.get("title")) or clean(link.get("alt"))
    for node in link.iter():  # a label inside the link ("Also on site.com", "Read more:") is no part of the title
        if node is not link and node.text and _is_heading_text(node.text):
            text = clean(text.replace(clean(node.text), "", 1))
    if not text and link.getparent() is not None:
        heads = xpath(_CARD_HEADINGS)(link.getparent())
        text = clean(heads[0].text_content()) if heads else ""
    return text


def _article_like(page: Page, url: str, title: str) -> bool:
    """A link that reads like another article: a title, and an article's address."""
    if _units(title) < RELATED_MIN_TITLE_UNITS or _is_heading_text(title):
        return False
    return article_address(url, page.url)
