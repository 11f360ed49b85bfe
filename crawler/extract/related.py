"""The in-article related-article block: a known heading, then linked entries.

Only a heading from RELATED_HEADINGS opens a block, matched as the whole
heading text (a paragraph that merely mentions "related" is not one), so a
site-wide "最新文章" / "Popular" list is never taken for related articles.
Entries come from the first linked element after the heading, or from the
run of linked siblings that follows it.
"""
from __future__ import annotations

from .page import Page, xpath
from .rules import HEADING_MAX_CHARS, RELATED_HEADINGS
from .text import clean

_HEADINGS = frozenset(h.casefold() for h in RELATED_HEADINGS)
# Short text nodes only: a heading is short, and this XPath is far cheaper
# than matching every keyword in XPath (translate() per node was ~9 ms/page).
_SHORT_TEXTS = f"//body//text()[string-length(.) <= {HEADING_MAX_CHARS * 2}]"
_ITEMS = ".//li[.//a[@href]][not(.//li)]"  # innermost list items with a link
_TRIM = " \t\r\n\u00a0\u3000:：·|-–—/[]【】「」()（）<>《》"
_SNIPPET_LEAD = " -–—|:：·"
_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CLIMB = 3  # levels above the heading searched for the entries (".hd" + ".bd" layouts)


def find_related(page: Page) -> tuple[list[dict], list]:
    """(entries as [{"title", "url", "snippet"}], the elements of the block)."""
    box = page.picked("related")
    if box is not None:
        return _parse_entries(page, _entry_elements([box])), [box]
    for text in xpath(_SHORT_TEXTS)(page.root):
        if not _is_heading_text(text):
            continue
        heading = _heading_element(text)
        found = _entries_after(heading)
        if found:
            node, boxes = found
            entries = _parse_entries(page, _entry_elements(boxes))
            if entries:
                return entries, [node, *boxes]
    return [], []


def _is_heading_text(text: str) -> bool:
    return " ".join(text.split()).strip(_TRIM).casefold() in _HEADINGS


def _heading_element(text):
    """The outermost element whose whole text is the heading (<h3><span>相关文章</span></h3> -> h3)."""
    el = text.getparent()
    if text.is_tail:
        el = el.getparent()
    wanted = clean(text)
    while el.getparent() is not None and clean(el.getparent().text_content()) == wanted:
        el = el.getparent()
    return el


def _has_link(el) -> bool:
    return isinstance(el.tag, str) and (el.tag == "a" or el.find(".//a[@href]") is not None)


def _entries_after(heading) -> tuple[object, list] | None:
    """(the heading-level node, the linked elements after it up to the next heading)."""
    node = heading
    for _ in range(_CLIMB):
        boxes = []
        for sib in node.itersiblings():
            if sib.tag in _HEADING_TAGS:
                break
            if _has_link(sib):
                boxes.append(sib)
        if boxes:
            return node, boxes
        node = node.getparent()
        if node is None or node.tag == "body":
            return None
    return None


def _entry_elements(boxes: list) -> list:
    """One element per entry: list items when the boxes hold lists, else the boxes themselves."""
    if len(boxes) == 1:
        box = boxes[0]
        items = xpath(_ITEMS)(box)
        if items:
            return items
        kids = [c for c in box if _has_link(c)]
        return kids if len(kids) > 1 else boxes
    return [item for box in boxes for item in (xpath(_ITEMS)(box) or [box])]


def _parse_entries(page: Page, elements: list) -> list[dict]:
    entries = []
    for el in elements:
        links = [el] if el.tag == "a" else xpath(".//a[@href]")(el)
        for link in links:
            title = clean(link.text_content()) or clean(link.get("title"))
            url = page.absolute(link.get("href"))
            if title and url:
                rest = clean(clean(el.text_content()).replace(title, "", 1)).lstrip(_SNIPPET_LEAD)
                entries.append({"title": title, "url": url, "snippet": rest or None})
                break
    return entries
