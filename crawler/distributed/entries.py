"""An item stream entry without what the writer can derive from the rest of it.

Every byte of an entry passes Redis twice (in from a worker, out to the
writer), and the writer is what bounds how many workers a crawl can use, so
a field is left out only where the writer remakes it exactly, and cheaply:

- the search index (pipelines/search.py prepared_values): the writer's
  ArchiveWriter makes it from the title and body_text when an item comes
  without it (segmented text, a regex pass each, and the jieba words). The
  words are cut by the writer's own jieba, which is also the one that must
  cut them again when the archive later replaces the row (a contentless
  index forgets a row only given the tokens it was indexed with): a worker
  with another jieba could not be trusted with them anyway. Sent before,
  as each word's offset and length, they were 7% of an entry after zstd;
- body_text, where the sanitized body_html, parsed again, renders to it
  (crawler/extract's own plain_text): the worker checks that before it
  leaves it out, so a page where it does not sends it as before. The
  analysis process checks it beside extraction (`body_text_from_html`,
  crawler/analysis.py), off the crawl's busier main process; an item it
  did not check (a split article's joined parts) is checked here. The
  body's text went three times into each entry (text, HTML, Markdown);
  zstd matched the copies, but each paragraph and tag broke a match: about
  300 bytes a copy. body_markdown stays: its renderer costs twice
  plain_text's on both sides, for about as many bytes;
- the MinHash stays (remade by the writer it cost ~1.5 ms an article), its
  uint32 values sent as byte planes, high bytes first: a minimum of
  thousands of hashes is small, so its high bytes are mostly zero.

Measured on the 2,000-page benchmark site (zstd with a dictionary learned
from 30 entries): 4.6 KB an article entry before these, 3.8 KB after; the
writer spends about 0.55 ms more an article (jieba 0.26, the text 0.29),
the worker about 0.3 ms more checking the text and 0.2 less on the words.
"""
from __future__ import annotations

import lxml.html
import numpy as np
from lxml import etree

from crawler.extract.text import plain_text


def _text_of(body_html: str) -> str | None:
    """body_text as the extraction renders it from body_html's tree; None if body_html is not one element."""
    try:
        return plain_text(lxml.html.fragment_fromstring(body_html))
    except (etree.ParserError, ValueError):   # (the sanitizer's output always is one)
        return None


def _planes(fingerprint: bytes) -> bytes:
    return np.frombuffer(fingerprint, "<u4").astype(">u4").view(np.uint8).reshape(-1, 4).T.tobytes()


def _unplanes(planes: bytes) -> bytes:
    return np.frombuffer(planes, np.uint8).reshape(4, -1).T.copy().view(">u4").astype("<u4").tobytes()


def body_text_from_html(fields: dict) -> bool:
    """Whether the item's body_text is what its body_html renders to (so an entry may leave it out)."""
    return bool(fields.get("body_text") and fields.get("body_html")) and _text_of(fields["body_html"]) == fields["body_text"]


def slim(fields: dict) -> dict:
    """The entry's fields as sent: without what `restore` and the writer remake."""
    fields = dict(fields)
    fields.pop("search_index", None)
    checked = fields.pop("body_text_from_html", None)
    if checked if checked is not None else body_text_from_html(fields):
        fields["body_text"] = True   # render it from body_html
    if fields.get("fingerprint"):
        fields["fingerprint"] = _planes(fields["fingerprint"])
    return fields


def restore(entry: dict) -> dict:
    """A received entry's fields as the worker had them (the search index left to the writer)."""
    if entry.get("body_text") is True:
        entry["body_text"] = _text_of(entry["body_html"])
    if entry.get("fingerprint"):
        entry["fingerprint"] = _unplanes(entry["fingerprint"])
    return entry
