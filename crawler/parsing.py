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
"""
from __future__ import annotations

import re
import warnings

import html5lib
import lxml.etree
from parsel import Selector

# Characters XML 1.0 forbids (C0 controls but tab, newline, return; U+FFFE, U+FFFF).
# A regex: ten times faster than str.translate on a page that has none.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_END_TAG = re.compile(r"</(?:body|html)\s*>", re.I)
# What may follow the end of a document without being content.
_AFTER_END_IGNORABLE = re.compile(r"</(?:body|html)\s*>|<!--.*?-->|\s+", re.I | re.S)
# A start tag of an HTML5 void element libxml2 does not know (quoted attribute values may hold ">").
_HTML5_VOID = re.compile(r"<(wbr|source|embed|track|keygen)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)/?>", re.I)


def content_after_end(text: str) -> bool:
    """Is there markup or text after the first </body> or </html>?"""
    end = _END_TAG.search(text)
    return end is not None and bool(_AFTER_END_IGNORABLE.sub("", text[end.end():]))


def html5_normalized(text: str) -> str:
    """The document as an HTML5 parser builds it, serialized: one body, one end."""
    with warnings.catch_warnings():   # html5lib warns for every odd attribute name it renames
        warnings.simplefilter("ignore", html5lib.constants.DataLossWarning)
        tree = html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False)
    return lxml.etree.tostring(tree, method="html", encoding="unicode")


def close_html5_voids(text: str) -> str:
    return _HTML5_VOID.sub(r"<\1\2></\1>", text)


def html_selector(text: str) -> Selector:
    """A Selector over the whole page (never raises)."""
    text = _NOT_XML.sub("", text)
    try:
        if content_after_end(text):
            text = html5_normalized(text)
        else:
            text = close_html5_voids(text)
        return Selector(text=text or "<html></html>", type="html")
    except Exception:  # lxml refuses some pathological documents
        return Selector(text="<html></html>", type="html")
