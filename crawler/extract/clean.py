"""A pruned copy of the body: boilerplate out, links absolute, code as <pre> with its language named.

Works on a copy so the spider's response tree stays intact for link
following. The elements found elsewhere (trail, related block, title h1)
are located in the copy by walking both trees in step.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache

from lxml import etree

from .code import code_lists_as_pre, has_code_lists
from .meta import has_date
from .page import Page
from .pagenumbers import page_of
from .text import Memo, Phrases, any_of, clean, clean_within, plain_text, text_of, units
from .rules import (
    BOILERPLATE_SUFFIXES,
    BOILERPLATE_TEXT_MAX_CHARS,
    BOILERPLATE_TEXT_PHRASES,
    BODY_TEASER_LEADS,
    BODY_TEASER_LIST_MIN_ITEMS,
    BODY_TEASER_MAX_UNITS,
    BODY_TEASER_MIN_LINKED,
    BOILERPLATE_TEXT_PREFIXES,
    BOILERPLATE_MAX_SHARE,
    BOILERPLATE_LINES,
    BOILERPLATE_WORDS,
    BREADCRUMB_LABELS,
    BODY_END_HEADINGS,
    BODY_BIO_WORDS,
    BODY_END_MAX_SHARE,
    BODY_MIN_UNITS,
    COMMENT_HEADINGS,
    BODY_NOTICE_MAX_CHARS,
    BODY_NOTICE_PHRASES,
    BODY_SLIDES_MIN_ITEMS,
    BODY_SLIDES_WORDS,
    BODY_WIDGET_WORDS,
    HEADING_MAX_CHARS,
    RELATED_HEADINGS,
    CHOICE_LONG_LINE_UNITS,
    CODE_LANGUAGE_PREFIXES,
    COMMENT_AVATAR_WORDS,
    COMMENT_COUNT_WORDS,
    COMMENT_CUES,
    COMMENT_MIN_ITEMS,
    COMMENT_MIN_SHARE,
    COMMENT_SAYS,
    FOLD_MIN_PARAGRAPHS,
    DROP_TAGS,
    FORM_MAX_PROSE_LINES,
    FORM_MAX_UNITS_PER_FIELD,
    FORM_MIN_FIELDS,
    LINK_BLOCK_MIN_DENSITY,
    LINK_BLOCK_MIN_LINKS,
    LINK_BLOCK_TAGS,
    LINK_PROSE_MIN_UNITS,
    META_LINE_LABELS,
    META_LINE_MAX_CHARS,
    PAGE_NUMBER_LABELS,
    PHOTO_STORY_MIN_CAPTIONS,
)

_DROP_TAGS = frozenset(DROP_TAGS)
_ALWAYS_WIDGETS = frozenset(BODY_WIDGET_WORDS)  # a comment box goes whatever its size
_SLIDES = frozenset(BODY_SLIDES_WORDS)
_CAPTIONS = frozenset(("caption",))  # named for a picture's caption: "wp-caption", "caption-text"
_FURNITURE = BOILERPLATE_WORDS | frozenset(BODY_BIO_WORDS)  # what cleaning drops by name
_NOTICE = Phrases(BODY_NOTICE_PHRASES)
_LINK_BLOCKS = frozenset(LINK_BLOCK_TAGS)
_TEXT_CHECKED = frozenset(("p", "div", "section", "span", "li", "dd", "dt", "small"))
_LINE_CHECKED = frozenset(("a", "h2", "h3", "h4", "h5", "h6", "strong", "b"))  # only a whole line: "<a>Continue reading…</a>"
_META_CHECKED = frozenset(("em", "i", "time", "font"))  # only for the meta line: "<em>发表于 2024-5-20</em>"
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD_SPLIT = re.compile(r"[-_]|(?<=[a-z])(?=[A-Z])")  # "share-bar", "share_bar", "shareBar"
_PREFIXES = tuple(p.casefold() for p in (*BOILERPLATE_TEXT_PREFIXES, *BREADCRUMB_LABELS))  # a trail too short to parse
_LEAD = " \t\r\n\u00a0\u3000(（[【«‹"  # "（ 责任编辑：… ）", "【编辑:…】", "« Previous post"
_META_LABEL = any_of(META_LINE_LABELS)
_SENTENCE_END = re.compile(r"[。！？]|[a-z][.!?]\s+[A-Z]")
_LINES = frozenset(t.casefold() for t in BOILERPLATE_LINES)
_TEASER_LEADS = tuple(t.casefold() for t in (*BODY_TEASER_LEADS, *RELATED_HEADINGS))
_END_EXACT = frozenset(h.casefold() for h in (*RELATED_HEADINGS, *BODY_END_HEADINGS) if not h.endswith(" "))
_END_PREFIXES = tuple(h.casefold() for h in BODY_END_HEADINGS if h.endswith(" "))
_REPLIES_EXACT = frozenset(h.casefold() for h in COMMENT_HEADINGS if not h.endswith(" "))
_REPLIES_PREFIXES = tuple(h.casefold() for h in COMMENT_HEADINGS if h.endswith(" "))
_COUNT_WORDS = "|".join(COMMENT_COUNT_WORDS)
_COUNT_LINE = re.compile(rf"(?:(?:\d+|no|one)\s+(?:{_COUNT_WORDS})(?:\s+(?:yet|so far))?\.?|(?:{_COUNT_WORDS})\s*[(\[]\d+[)\]])")
_COUNT = re.compile(r"^(?:\d+|no|one)\s+|\s*[(\[]?\d+[)\]]?$")  # "12 comments", "comments (0)"
_SIGNATURE_TAGS = ("p", "div", "li", "dd", "dt", "span", "td", "cite", "small", "h3", "h4", "h5", "h6")
_HEADING_LIKE = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "header", "li", "dt")
_INLINE = frozenset(("span", "strong", "b"))
_HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_WORD = re.compile(r"[^\W\d_]{2}")  # two letters in a row: a word, not a bar or a bracket
_BOX_HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6", "p", "div"))
_INLINE_HOLDERS = frozenset(("span", "a", "em", "i", "b", "strong", "small", "font", "label"))
_LINE_BREAKS = frozenset(("br", "p", "div", "table", "ul", "ol", "blockquote", "h2", "h3", "h4"))
_TRIM = " \t\r\n\u00a0\u3000:：·|-–—/[]【】»›>"
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-actualsrc")
_PAGE_LABELS = frozenset(PAGE_NUMBER_LABELS)
_BACK_ARROWS, _ON_ARROWS = ("«", "‹"), ("»", "›")
_NAV_SEPARATORS = " \t\r\n\u00a0|·«»‹›"
_NAV_MAX_LINKS = 3  # previous, the blog's main page, next
_NOT_A_WORD = re.compile(r"[\W\d_]+")   # numbers too: "第2页" -> 第, 页
_PAGE_NUMBERS_HOLDERS = frozenset(("div", "p", "nav", "ul", "ol", "span", "section", "center"))
_COMMENT_CUE = Phrases(COMMENT_CUES, whole_ascii_words=True)
_NAME_SAYS = re.compile(r"(\S+\s){1,4}(%s)\b" % "|".join(COMMENT_SAYS), re.I)
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
_COMMENT_ITEM_TAGS = frozenset(("div", "li", "dd", "dt", "article", "section", "table", "tr"))
_COMMENT_HEADER_CHARS = 150  # a comment's name and date stand at its start or its end
_MANY_CHILDREN = etree.XPath("descendant-or-self::*[count(*) >= $n]")
# What may be a caption (_caption): the few elements with a class or id, not every element of the body.
_CAPTION_LIKE = etree.XPath("descendant::*[self::figcaption or @class or @id]")
_FIELDS = etree.XPath(".//input[not(@type) or not(contains(' hidden submit button image reset ', "
                      "concat(' ', @type, ' ')))] | .//textarea | .//select")


def clean_body(page: Page, body, drop=()) -> object:
    """A copy of `body` without boilerplate and without the `drop` elements."""
    tree = copy.deepcopy(body)
    tree.tail = None
    if has_code_lists(page):
        code_lists_as_pre(tree)
    drop = {d for d in drop if d is not None}
    doomed = []
    if drop:
        doomed = [c for o, c in zip(body.iter(), tree.iter()) if o in drop and o is not body]
    for el in list(tree.iter("script", "style", "template")):  # never shown: their text would make a line look long
        if el is not tree:
            el.drop_tree()
    texts = Memo(text_of)  # dropped before the first element is: never read from an edited tree
    found, headings = _boilerplate(tree, texts)
    doomed += found
    doomed += _tail_after_end_heading(tree, set(doomed), texts)  # a box's heading still marks where the tail starts
    doomed += headings
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(tree.iter("a", "img", "pre", "code")):  # _fix may drop an <img>
        _fix(page, el)
    return tree


def _boilerplate(tree, texts: Memo) -> tuple[list, list]:
    """Elements of `tree` (not the root, nothing inside <pre>) that are boilerplate, and the headings of its boxes.

    The comment section is found first: a marked block may hold at most a
    share of the article's text, and comments under a short post would
    otherwise let the post's own wrapper (left open and named "meta") go.
    Captions (a <figcaption>, a block named for one) go as furniture, unless they are the story (_photo_story).
    """
    comments = _comment_sections(tree)
    found, headings = list(comments), []
    code = sum(len(s.text_content()) for s in tree.iter("noscript"))  # scripts and styles are gone already
    prose = len(texts[tree]) - code - sum(len(texts[c]) for c in comments)
    most = prose * BOILERPLATE_MAX_SHARE
    story = _photo_story(tree, texts, prose)
    furniture = _FURNITURE - _CAPTIONS if story else _FURNITURE
    headed = _headed(tree)
    stack = [c for c in reversed(tree) if c not in comments]
    while stack:
        el = stack.pop()
        tag = el.tag
        if (not isinstance(tag, str) or tag in _DROP_TAGS or _boilerplate_text(el, texts)
                or _page_numbers(el, texts)):
            found.append(el)
        elif tag == "form" and form_fields(el, units(texts[el])):
            found.append(el)
            if (heading := _heading_of(el, texts)) is not None:
                headings.append(heading)
        elif named(el, _ALWAYS_WIDGETS) or (
                (marked(el, furniture) or (tag == "figcaption" and not story))
                and not _swallowed(el, texts) and not _fold(el) and not _in_sentence(el)
                and (len(texts[el]) <= most or _slides(el))):
            found.append(el)
        elif ((_link_block(el, texts) and len(texts[el]) <= most)
              or (_teaser_list(el, texts, headed) and units(texts[tree]) - units(texts[el]) >= BODY_MIN_UNITS)):
            found.append(el)
            if (heading := _heading_of(el, texts)) is not None:
                headings.append(heading)
        elif tag != "pre":
            stack.extend(c for c in reversed(el) if c not in comments)
    return found, headings


def form_fields(el, amount: float) -> int:
    """How many input fields `el` holds when it is a form of them (0 when not): a login, a search page,
    a comment or contact form under a post. FORM_MIN_FIELDS or more, and less than
    FORM_MAX_UNITS_PER_FIELD of text (`amount`) each: a page builder's form around a whole article has far more.
    Nor does it hold paragraphs of sentences (FORM_MAX_PROSE_LINES): those are an article's, whatever wraps them."""
    fields = len(_FIELDS(el))
    if fields < FORM_MIN_FIELDS or amount >= FORM_MAX_UNITS_PER_FIELD * fields:
        return 0
    return fields if not holds_prose(el) else 0


def holds_prose(form) -> bool:
    """Does `form` hold paragraphs of sentences (more than FORM_MAX_PROSE_LINES), not just what its fields are for?"""
    return sum(units(line) >= CHOICE_LONG_LINE_UNITS for line in plain_text(form).split("\n")) > FORM_MAX_PROSE_LINES


def _photo_story(tree, texts: Memo, prose: float) -> bool:
    """A photo story: its captions (PHOTO_STORY_MIN_CAPTIONS or more) hold more of the body's `prose` than the rest."""
    captions = [el for el in _CAPTION_LIKE(tree) if _caption(el)
                and not any(_caption(a) for a in el.iterancestors() if a is not tree)]
    return len(captions) >= PHOTO_STORY_MIN_CAPTIONS and sum(len(texts[c]) for c in captions) * 2 > prose


def _caption(el) -> bool:
    """A picture's caption: a <figcaption>, or a block named for one."""
    return el.tag == "figcaption" or named(el, _CAPTIONS)


def _heading_of(box, texts: Memo):
    """The heading standing right before a block of links that goes ("Popular Articles" over a list): it goes too.

    Only a heading of its own (h2-h6, or a paragraph or div of one short
    line that ends no sentence) with nothing but whitespace between them.
    """
    before = box.getprevious()
    while before is not None and not isinstance(before.tag, str):  # a comment between them
        before = before.getprevious()
    if before is None or (before.tail or "").strip() or before.tag not in _BOX_HEADINGS:
        return None
    text = clean_within(texts[before], HEADING_MAX_CHARS)
    if not text or (before.tag in ("p", "div") and (
            len(before) > 1 or text.endswith((".", "!", "?", "。")))):
        return None
    return before


def _comment_sections(tree) -> set:
    """The outermost items of comment sections in `tree` (nothing inside <pre>)."""
    items = {i for parent in _item_parents(tree) for i in comment_items(parent)}
    return {i for i in items if not any(a in items for a in i.iterancestors())}


def _item_parents(tree) -> list:
    """Elements of `tree` (itself too) with COMMENT_MIN_ITEMS or more children of _COMMENT_ITEM_TAGS, none in a <pre>.
    A walk testing the count only where there are that many children: an XPath counted them for every element."""
    return [el for el in tree.iter() if len(el) >= COMMENT_MIN_ITEMS
            and sum(c.tag in _COMMENT_ITEM_TAGS for c in el) >= COMMENT_MIN_ITEMS
            and el.tag != "pre" and next(el.iterancestors("pre"), None) is None]


def comment_items(el) -> list:
    """Children of `el` that are the items of a comment section, known by what they show.

    Items of one shape (tag and first class), most of them each showing a
    date or a time and a commenter's cue near its start or end ("Posted
    by", "回复", an avatar), or opening with "Anna said,": however the
    section is named.
    """
    items = []
    for group in _shapes(el, _COMMENT_ITEM_TAGS):
        if len(group) < COMMENT_MIN_ITEMS:
            continue
        misses = len(group) * (1 - COMMENT_MIN_SHARE)  # stop at the first miss too many
        for item in group:
            if not _comment_like(item):
                misses -= 1
                if misses < 0:
                    break
        else:
            items += group
    return items


def _shapes(el, tags=None) -> list:
    """The children of `el` (those of `tags`, or any element) grouped by shape: tag and first class."""
    shapes: dict = {}
    for child in el:
        if isinstance(child.tag, str) and (tags is None or child.tag in tags):
            shapes.setdefault((child.tag, *(child.get("class") or "").split()[:1]), []).append(child)
    return list(shapes.values())


def _slides(el) -> bool:
    """A slideshow: named so, and holding a run of items of one shape (the slides), at any depth."""
    return named(el, _SLIDES) and any(
        len(group) >= BODY_SLIDES_MIN_ITEMS
        for holder in _MANY_CHILDREN(el, n=BODY_SLIDES_MIN_ITEMS) for group in _shapes(holder))


def _comment_like(el) -> bool:
    text = text_of(el)
    n = _COMMENT_HEADER_CHARS
    head = " ".join(text[:2 * n].split())
    if _NAME_SAYS.match(head):
        return True
    ends = head[:n] + " " + " ".join(text[-2 * n:].split())[-n:]
    cue = _COMMENT_CUE.search(ends) is not None or any(
        any(w in f'{img.get("class") or ""} {img.get("src") or ""}'.lower() for w in COMMENT_AVATAR_WORDS)
        for img in el.iter("img"))
    return cue and (_CLOCK.search(ends) is not None or has_date(ends))


def _swallowed(el, texts: Memo) -> bool:
    """An inline element holding lines of text: a tag the page left open, whose class names only its first words.

    A "byline" <span> that was never closed holds the article after it;
    it is not dropped for its class (its blocks are still checked).
    """
    return (el.tag in _INLINE_HOLDERS and len(texts[el]) > BOILERPLATE_TEXT_MAX_CHARS
            and any(d.tag in _LINE_BREAKS for d in el.iterdescendants()))


def _in_sentence(el) -> bool:
    """A link with words on both sides: part of a sentence ("of deep <a class="textTag">space travel</a>, but"), whatever its name."""
    return el.tag == "a" and all(_WORD.search(side) is not None for side in _beside(el))


def _beside(el) -> tuple[str, str]:
    """The text right before `el` (its previous sibling's tail, or its parent's text) and right after it (its tail)."""
    before, parent = el.getprevious(), el.getparent()
    text = before.tail if before is not None else (parent.text if parent is not None else None)
    return text or "", el.tail or ""


def _fold(el) -> bool:
    """The rest of the article hidden behind a "continue reading" button: hidden, named for nothing, paragraphs of prose."""
    if not hidden(el) or named(el, BOILERPLATE_WORDS):
        return False
    return sum(units(p.text_content()) >= CHOICE_LONG_LINE_UNITS for p in el.iter("p")) >= FOLD_MIN_PARAGRAPHS


def _tail_after_end_heading(tree, doomed: set, texts: Memo) -> list:
    """A "Most read" / "You may also like" / "Comments" heading (or one named for the replies, id="respond")
    late in the body, and everything after it. "Late": at most BODY_END_MAX_SHARE of the body's text
    follows it, blocks dropped already (a sidebar in the post's template) counted neither after it nor in the body.

    After a comments heading followed by commenters' signature lines, the
    rest goes however long it is: a flat stream of replies (a comment's
    text and its "Posted by" line as siblings, items nothing groups).
    """
    outer = [d for d in doomed if isinstance(d.tag, str) and not any(a in doomed for a in d.iterancestors())]
    total = len(texts[tree]) - sum(len(texts[d]) for d in outer)  # what is left after it, of what is left
    # what goes with a block dropped already is never the heading: not read (its text not even worked out)
    inside = {d for o in outer for d in o.iterdescendants(*_HEADING_LIKE)}
    for el in tree.iter(*_HEADING_LIKE):
        if el in inside:
            continue
        text = _heading_line(texts[el])
        if not text:
            continue
        replies = _replies_heading(text) or (el.tag in _HEADINGS and named(el, _ALWAYS_WIDGETS))
        if not (replies or text in _END_EXACT or text.startswith(_END_PREFIXES)):
            continue
        if el in doomed and not replies:
            continue  # a comments heading named so (id="comments") is dropped, and still marks where they start
        block = el
        while block.getparent() is not None and block.getparent() is not tree \
                and texts[block.getparent()].strip(_TRIM).casefold() == texts[el].strip(_TRIM).casefold():
            block = block.getparent()
        if block.tag in _INLINE:
            continue  # a bold lead-in inside a paragraph ("<b>Related:</b> an article title")
        after = [block, *block.itersiblings()]
        for anc in block.iterancestors():
            if anc is tree:
                break
            after += list(anc.itersiblings())
        after = [a for a in after if isinstance(a.tag, str)]
        size = sum(len(texts[a]) for a in after if a not in doomed)  # a sidebar dropped is no article going on
        if size <= total * BODY_END_MAX_SHARE or (replies and _replies_follow(tree, after, texts)):
            return after
    return []


def _heading_line(text: str) -> str:
    """`text` as a heading line: trimmed, spaces collapsed, case-folded; "" when longer than HEADING_MAX_CHARS.
    (Every paragraph and block of the body is asked: a long one is never folded; folding never shortens a text.)"""
    line = clean_within(text.strip(_TRIM), HEADING_MAX_CHARS)
    line = line.casefold() if line else ""
    return line if len(line) <= HEADING_MAX_CHARS else ""


def _replies_heading(text: str) -> bool:
    """A heading opening the readers' part (COMMENT_HEADINGS), a count beside it left out.
    (Every heading line of the body is asked: the count's regex, tried at each character, runs only
    when the line opens with a number or a "no"/"one", or closes with a digit, a bracket or a line end.)"""
    if text[:1].isdecimal() or text.startswith(("no", "one")) or text[-1:] in ")]\n" or text[-1:].isdecimal():
        text = _COUNT.sub("", text)
    return text in _REPLIES_EXACT or text.startswith(_REPLIES_PREFIXES)


def _replies_follow(tree, after: list, texts: Memo) -> bool:
    """Commenters' signature lines follow, and an article stands before them."""
    before = units(texts[tree]) - sum(units(texts[a]) for a in after)
    if before < BODY_MIN_UNITS:
        return False  # a "comments" link over the article: what follows is the article
    found = []
    for a in after:
        found += (el for el in a.iter(*_SIGNATURE_TAGS)
                  if len(texts[el]) <= 2 * _COMMENT_HEADER_CHARS and _comment_like(el))
    shown = set(found)
    return sum(not any(x in shown for x in el.iterancestors()) for el in found) >= COMMENT_MIN_ITEMS


def marked(el, words: frozenset = BOILERPLATE_WORDS) -> bool:
    """A boilerplate class/id token (one of `words`), a hidden style, or the `hidden` attribute."""
    return hidden(el) or named(el, words)


def hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")  # most elements have none: no regex
    return bool(style) and _HIDDEN.search(style) is not None


def named(el, words: frozenset) -> bool:
    """A class/id token made of one of `words` and only BOILERPLATE_SUFFIXES after it ("comment-list", "shareBar").
    (Most elements have neither: no string to build and look up for them.)"""
    classes, ident = el.get("class"), el.get("id")
    return bool(classes or ident) and not words.isdisjoint(_named_for(f'{classes or ""} {ident or ""}'))


@lru_cache(maxsize=4096)
def _named_for(names: str) -> frozenset:
    """Every word a class/id value may be named for: a part of a token followed only by BOILERPLATE_SUFFIXES.

    Cleaning asks each element whether it is named for a widget, furniture,
    a slideshow...: one lookup of its class and id (which repeat from
    element to element and page to page) answers them all.
    """
    found = set()
    for name in names.split():
        parts = [part.lower() for part in _WORD_SPLIT.split(name)]
        found.update(w for i, w in enumerate(parts) if all(x in BOILERPLATE_SUFFIXES for x in parts[i + 1:]))
    return frozenset(found)


def _link_block(el, texts: Memo) -> bool:
    if el.tag not in _LINK_BLOCKS:
        return False
    links = list(el.iter("a"))
    if len(links) < LINK_BLOCK_MIN_LINKS:
        return False
    text = len(clean(texts[el]))  # collapsed: a template's indentation is no text
    if not (text > 0 and sum(len(clean(texts[a])) for a in links) / text > LINK_BLOCK_MIN_DENSITY):
        return False
    return el.tag != "p" or not _cites_links(el, texts)


def _headed(tree) -> set:
    """The elements of `tree` holding a linked heading (h2-h6), worked out once (none when too few for a list of cards)."""
    headings = [h for h in tree.iter(*_HEADINGS) if h is not tree and (
        h.find(".//a[@href]") is not None or ((p := h.getparent()) is not None and p.tag == "a" and "href" in p.attrib))]
    if len(headings) < BODY_TEASER_LIST_MIN_ITEMS:
        return set()
    return {a for h in headings for a in (h, *h.iterancestors())}


def _teaser_list(el, texts: Memo, headed: set) -> bool:
    """Cards of other posts ("Recently published", "More videos"), however the list is named: at least
    BODY_TEASER_LIST_MIN_ITEMS items, most of them a linked heading (in `headed`) and a short excerpt
    (under BODY_TEASER_MAX_UNITS)."""
    if el not in headed or el.tag not in _LINK_BLOCKS:
        return False
    items = [c for c in el if isinstance(c.tag, str)]
    if len(items) < BODY_TEASER_LIST_MIN_ITEMS:
        return False
    cards = sum(1 for c in items if c in headed and units(texts[c]) < BODY_TEASER_MAX_UNITS)
    return cards >= BODY_TEASER_LIST_MIN_ITEMS and cards * 2 > len(items)


def _cites_links(el, texts: Memo) -> bool:
    """A paragraph with words of its own around its links ("As noted in our story on <a>…</a>, the…"):
    prose citing its sources, not a row of links separated by bars and dots, nor a "Tags: …" line."""
    rest = texts[el]
    if rest.lstrip(_LEAD).casefold().startswith(_PREFIXES):
        return False
    for a in el.iter("a"):
        rest = rest.replace(texts[a], " ", 1)
    return units(rest) >= LINK_PROSE_MIN_UNITS


def _page_numbers(el, texts: Memo) -> bool:
    """Page numbers under a split article ("上一页 1 2 3 下一页", "Pages: 1 2 Next"), whatever its class:
    every link says a page (pagenumbers.page_of), and the text beside them is numbers and labels."""
    if el.tag not in _PAGE_NUMBERS_HOLDERS:
        return False
    rest = texts[el]
    if len(rest) > BOILERPLATE_TEXT_MAX_CHARS and (rest := clean_within(rest, BOILERPLATE_TEXT_MAX_CHARS)) is None:
        return False  # measured as shown: a template's indentation around the numbers is no text
    links = [clean(texts[a]) for a in el.iter("a")]
    # a number among them: a lone "Next" may be a link the article makes
    if not any(t.strip().isdigit() for t in links) or any(page_of(t, 1) is None for t in links):
        return False
    for text in links:
        rest = rest.replace(text, " ", 1)
    return all(w in _PAGE_LABELS for w in _NOT_A_WORD.split(rest.casefold()) if w)


def _boilerplate_text(el, texts: Memo) -> bool:
    """A line of furniture: a notice, a meta line, post navigation, a "Posted in"/"Tags:" line. A block of
    more than three children is read only when its text is short ("Posted in: <a>…</a>, <a>…</a> | …")."""
    if el.tag in _LINE_CHECKED:
        return _own_line(el) and _notice_line(clean(texts[el]))
    if el.tag not in _TEXT_CHECKED or (len(el) > 3 and len(texts[el]) > BOILERPLATE_TEXT_MAX_CHARS):
        return el.tag in _META_CHECKED and _meta_line(texts[el].strip())
    text = texts[el].strip()
    if len(text) > BOILERPLATE_TEXT_MAX_CHARS:
        text = clean_within(text, BODY_NOTICE_MAX_CHARS)  # measured as shown: a template's indentation is no text
        if text is None:
            return False
    if _notice_line(text) or _meta_line(text) or _post_nav(el, text, texts):
        return True
    if len(text) > BOILERPLATE_TEXT_MAX_CHARS:
        return False
    lead = text.lstrip(_LEAD).casefold()
    return lead.startswith(_PREFIXES) or any(p in text for p in BOILERPLATE_TEXT_PHRASES) or (
        lead.startswith(_TEASER_LEADS) and _linked_share(el, text, texts) >= BODY_TEASER_MIN_LINKED)


def _post_nav(el, text: str, texts: Memo) -> bool:
    """Links to the previous and next posts: "« Older title | Main | Newer title »", two or three links
    and separators only, an arrow opening or closing the line (one link so marked may be the article's own
    "Read the rest »")."""
    if not (text.startswith(_BACK_ARROWS) or text.endswith(_ON_ARROWS)):
        return False
    links = [texts[a] for a in el.iter("a")]
    if not 2 <= len(links) <= _NAV_MAX_LINKS:
        return False
    rest = text
    for link in links:
        rest = rest.replace(link, " ", 1)
    return not rest.strip(_NAV_SEPARATORS)


def _own_line(el) -> bool:
    """Nothing but whitespace beside `el` in its parent's text: a link or heading standing alone, not words in a sentence."""
    return not any(side.strip() for side in _beside(el))


def _notice_line(text: str) -> bool:
    """A whole line of page furniture (BOILERPLATE_LINES), a count of comments (COMMENT_COUNT_WORDS)
    or a short notice (BODY_NOTICE_PHRASES)."""
    line = text.strip(_TRIM).casefold()
    return line in _LINES or (len(text) <= BODY_NOTICE_MAX_CHARS and (
        _NOTICE.search(text) is not None or _COUNT_LINE.fullmatch(" ".join(line.split())) is not None))


def _linked_share(el, text: str, texts: Memo) -> float:
    return sum(len(texts[a].strip()) for a in el.iter("a")) / len(text) if text else 0.0


def _meta_line(text: str) -> bool:
    return (len(text) <= META_LINE_MAX_CHARS and _META_LABEL.search(text) is not None
            and not _SENTENCE_END.search(text) and has_date(text))


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
