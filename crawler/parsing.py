"""Markup -> parsel Selector that keeps the whole page, however broken the markup.

lxml (libxml2) is fast but stops at the first `</body>` or `</html>`: a
page with a stray or repeated closing tag loses everything after it, which
a browser still shows. Such pages, and only those, are parsed the HTML5
way (html5lib, as a browser does; about 35 times slower than lxml) and
handed to lxml re-serialized, so extractors see the same element classes
either way. NUL and the other control characters XML forbids are dropped
first: lxml parses them but refuses them later (setting an attribute that
holds one raises), which would break extraction part way.

libxml2 also does not know HTML5's void elements (<wbr>, <source>,
<embed>, <track>, <keygen>): it nests everything after one inside it, so a
<wbr> in a sentence, or an <embed> that cleaning removes, would take the
rest of the article along. They are closed explicitly before lxml parses.

An element that extraction drops with its content (rules.DROP_TAGS and
trafilatura's list: a <svg onload>, a <button>, a <nav>, a <label>, an
<iframe>...) that the page never closes would take every paragraph after
it along: libxml2 nests them inside it up to its parent's end, and reads a
raw-text one (<iframe>, <textarea>, <title>...) as text to the end of the
page. Such an element is closed where it opens; an unclosed <script> or
<style>, whose content is code, at the next tag. A link left open is
closed before the next block, or every paragraph after it would be link
text (and no longer count as the article's).
"""
from __future__ import annotations

import re
import warnings
from functools import cache
from itertools import groupby

import html5lib
import lxml.etree
import lxml.html
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import namespaces, tokenTypes
from parsel import Selector
from parsel.selector import create_root_node

from trafilatura.settings import MANUALLY_CLEANED

# Characters XML 1.0 forbids (C0 controls but tab, newline, return; U+FFFE, U+FFFF),
# and the same in UTF-8 bytes, where C code finds them without the regex engine.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r")
_NOT_XML_UTF8 = ("\ufffe".encode(), "\uffff".encode())
_END_TAG = re.compile(r"</(?:body|html)\s*>", re.I)
# What may follow the end of a document without being content.
_AFTER_END_IGNORABLE = re.compile(r"</(?:body|html)\s*>|<!--.*?-->|\s+", re.I | re.S)


def _either_case(name: str) -> str:
    """A regex for `name` (ASCII letters) in any mix of upper and lower case: "ab" -> "[aA][bB]"."""
    return "".join(f"[{c}{c.upper()}]" for c in name)


# A start tag of an HTML5 void element libxml2 does not know (quoted attribute values may hold ">").
_HTML5_VOID = re.compile(r"<(%s)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)/?>"
                         % "|".join(map(_either_case, ("wbr", "source", "embed", "track", "keygen"))))
# What libxml2 reads as raw text up to its end tag; of which code, whose text is never the page's.
_RAW_TEXT = frozenset(("script", "style", "iframe", "textarea", "title", "xmp", "noembed", "noframes", "plaintext"))
_CODE = frozenset(("script", "style"))
# Where a </body> or </html> in the markup ends no document: in a comment or raw text.
_COMMENT_OR_RAW_TEXT = re.compile(r"<!--|<(%s)(?=[\s/>])" % "|".join(sorted(_RAW_TEXT)), re.I)
_COMMENT_END = re.compile("-->")
# A tag's attributes after its name (quoted values may hold ">" and "<").
_ATTRIBUTES = re.compile(r"((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>?")
_ANY_TAG = re.compile(r"<[a-zA-Z/!]")
_CHARACTERS = tokenTypes["Characters"]
_FOREIGN = tuple("{%s}*" % namespace for namespace in (namespaces["svg"], namespaces["mathml"]))


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids.

    Almost no page has one, and asking its UTF-8 bytes (bytes.translate, bytes.find)
    is about twice as fast as a regex search over the text.
    """
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _NOT_XML_BYTES)) == len(data) and not any(c in data for c in _NOT_XML_UTF8):
        return text
    return _NOT_XML.sub("", text)


def content_after_end(text: str) -> bool:
    """Is there markup or text after the document's first </body> or </html>?

    One written inside a script ('document.write("</body></html>")'), a
    style or a comment ends nothing (libxml2 reads on), so the costly HTML5
    path is not taken for it; that is looked into only on the few pages that
    have something after the first such tag anywhere.
    """
    end = _END_TAG.search(text)
    if end is None or not _AFTER_END_IGNORABLE.sub("", text[end.end():]):
        return False
    at = _document_end(text)
    return at >= 0 and bool(_AFTER_END_IGNORABLE.sub("", text[at:]))


def _document_end(text: str) -> int:
    """Where the first </body> or </html> outside raw text and comments ends; -1 when there is none."""
    pos = 0
    while (end := _END_TAG.search(text, pos)) is not None:
        skipped = _COMMENT_OR_RAW_TEXT.search(text, pos, end.start())
        if skipped is None:
            return end.end()
        name = skipped.group(1)
        closer = _COMMENT_END if name is None else re.compile(rf"</{name}[\s/>]", re.I)
        found = closer.search(text, skipped.start() + 2)  # from inside "<!--": "<!-->" ends where it starts
        if found is None:
            return -1
        pos = found.end()
    return -1


class _TextRunTokenizer(HTMLTokenizer):
    """html5lib's tokenizer, a run of text tokens given as one.

    It cuts text at every "<" and "&" it looks at (a script is hundreds of
    pieces), and the lxml tree builder adds each piece by reading and
    rewriting the element's whole text: a quarter of a page's parse went
    there. The parser does with the joined run what it does with its pieces,
    one after the other; a run is only held while the tree's current node is
    HTML (or there is none), where inserting text cannot change what the
    tokenizer reads next (only a foreign element's <![CDATA[ depends on the tree).
    """

    def __iter__(self):
        run: list[str] = []
        for token in super().__iter__():
            if token["type"] == _CHARACTERS and token["data"] != "\0" and (run or self._html_current()):
                run.append(token["data"])
                continue
            if run:
                yield {"type": _CHARACTERS, "data": "".join(run)}
                run = []
            yield token
        if run:
            yield {"type": _CHARACTERS, "data": "".join(run)}

    def _html_current(self) -> bool:
        tree = self.parser.tree
        return not tree.openElements or tree.openElements[-1].namespace == tree.defaultNamespace


class _HTML5Parser(html5lib.HTMLParser):
    """html5lib's parser, reading its tokens through _TextRunTokenizer."""

    def mainLoop(self):
        self.tokenizer.__class__ = _TextRunTokenizer  # HTMLParser._parse builds the tokenizer; its state is the same
        super().mainLoop()


def html5_normalized(text: str) -> str:
    """The document as an HTML5 parser builds it, serialized: one body, one end.

    html5lib puts <svg> and <math> and what they hold in their XML namespaces,
    which serialize as <ns0:svg xmlns:ns0=...>: parsed again by lxml, an
    element no extractor knows (trafilatura cut an article's last paragraphs
    at one). They get the plain names libxml2 gives them on any other page.
    """
    with warnings.catch_warnings():   # html5lib warns for every odd attribute name it renames
        warnings.simplefilter("ignore", html5lib.constants.DataLossWarning)
        parser = _HTML5Parser(html5lib.treebuilders.getTreeBuilder("lxml"), namespaceHTMLElements=False)
        tree = parser.parse(text)
    for el in tree.iter(_FOREIGN):
        el.tag = lxml.etree.QName(el).localname
    lxml.etree.cleanup_namespaces(tree)
    return lxml.etree.tostring(tree, method="html", encoding="unicode")


def close_html5_voids(text: str) -> str:
    return _HTML5_VOID.sub(r"<\1\2></\1>", text)


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """(the start of a tag of a swallowing element or "a", a block tag): swallowing is
    what extraction (ours and trafilatura's) drops with its content, and the raw-text elements.

    The first finds, in C, the starts of tags ("<", the "/" of an end tag, a name that runs to
    whitespace, "/" or ">") that may be theirs: a Python step for each of the page's tags was most
    of close_left_open's time. The names are grouped by first letter, which the regex engine
    tries once, not once per name. Each letter is a class of its two ASCII cases (HTML's names are
    ASCII case-insensitive), not re.I: the engine skips a group whose first class misses without
    entering it, where it enters each group for a case-insensitive letter (a third more work).
    """
    from crawler.extract.rules import DROP_TAGS, IMPLIED_END_TAGS  # crawler.extract imports this module
    from crawler.extract.text import BLOCK_TAGS

    swallowing = (frozenset(DROP_TAGS) | frozenset(MANUALLY_CLEANED) | _RAW_TEXT) - frozenset(IMPLIED_END_TAGS)
    watched = swallowing | {"a"}
    names = "|".join(f"{_either_case(first)}(?:{'|'.join(_either_case(name[1:]) for name in group)})"
                     for first, group in groupby(sorted(watched), key=lambda name: name[0]))
    return (re.compile(r"<(/?)(?=[a-zA-Z])(%s)(?=[\s/>]|\Z)" % names),
            re.compile(r"</?(?:%s)(?=[\s/>])" % "|".join(sorted(BLOCK_TAGS)), re.I))


def close_left_open(text: str) -> str:
    """`text` with an end tag added for each swallowing element and link the page leaves open."""
    tags, block = _patterns()
    inserts: list[tuple[int, str]] = []
    open_: dict[str, list[int]] = {}
    link_at, pos = None, 0

    def close_link(before: int) -> None:
        found = block.search(text, link_at, before)
        if found is not None or before < len(text):
            inserts.append((found.start() if found else before, "</a>"))

    for m in tags.finditer(text):
        name = m.group(2).lower()
        if m.start() < pos:
            continue
        if text.rfind(">", 0, m.start()) < text.rfind("<", 0, m.start()):
            continue   # inside another tag's attribute value (or name: "<b<a"): not a tag
        end_tag, attrs = m.group(1), _ATTRIBUTES.match(text, m.end()).group(1)
        pos = m.end() + len(attrs) + 1
        if name == "a":
            if link_at is not None and not end_tag:
                close_link(m.start())
            link_at = None if end_tag else pos
        elif end_tag:
            if open_.get(name):
                open_[name].pop()
        elif attrs.endswith("/") and (attrs == "/" or attrs[-2] in " \t\r\n\"'"):
            continue   # <use href="#i"/>: closed as it opens
        elif name not in _RAW_TEXT:
            open_.setdefault(name, []).append(pos)
        else:
            end = re.compile(rf"</{name}[\s/>]", re.I).search(text, pos)
            # Opened again before its end: left open (but scripts write "<script" strings).
            if end is not None and (name == "script" or not re.search(rf"<{name}[\s/>]", text[pos:end.start()], re.I)):
                pos = end.end()
                continue
            if name in _CODE:
                stop = _ANY_TAG.search(text, pos)
                pos = stop.start() if stop else len(text)
            inserts.append((pos, f"</{name}>"))
    if link_at is not None:
        close_link(len(text))
    inserts += [(at, f"</{name}>") for name, starts in open_.items() for at in starts]
    return _inserted(text, inserts)


def _inserted(text: str, inserts: list[tuple[int, str]]) -> str:
    """`text` with each (position, string) inserted."""
    if not inserts:
        return text
    parts, last = [], 0
    for at, tag in sorted(inserts):
        parts += (text[last:at], tag)
        last = at
    return "".join(parts) + text[last:]


class _HTMLParser(lxml.html.HTMLParser):
    """lxml.html's parser, the class of each element found in C.

    lxml.html looks the class up in Python, for every element the first time
    a walk, an XPath result or a copy of the tree touches it (a few thousand
    calls a page, all of them for HtmlElement: the <form>, <input>, <select>,
    <textarea> and <label> classes it picks besides add form handling no
    extractor uses). The default lookup in C gives the same HtmlElement and
    its comment, processing-instruction and entity kin.
    """

    def __init__(self, **options):
        super().__init__(**options)
        self.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))


def _selector(text: str) -> Selector:
    """Selector(text=text, type="html") as parsel builds it, with _HTMLParser."""
    return Selector(root=create_root_node(text, _HTMLParser), type="html")


def html_selector(text: str) -> Selector:
    """A Selector over the whole page (never raises)."""
    text = close_left_open(xml_safe(text))
    try:
        if content_after_end(text):
            text = html5_normalized(text)
        else:
            text = close_html5_voids(text)
        return _selector(text or "<html></html>")
    except Exception:  # lxml refuses some pathological documents
        return _selector("<html></html>")
