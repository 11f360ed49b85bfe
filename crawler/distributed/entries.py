"""An item stream entry without what the writer can derive from the rest of it.

Every byte of an entry passes Redis twice (in from a worker, out to the
writer), and the writer is what bounds how many workers a crawl can use, so
a field is left out only where the writer remakes it exactly, and cheaply:

- body_text and body_markdown, where the sanitized body_html, parsed again,
  renders to them (crawler/extract's own plain_text and to_markdown): the
  worker checks that before it leaves one out (a page where it does not
  sends the field as before), and the writer renders it. The body's text
  went three times into each entry; zstd matched the copies, but every
  paragraph, heading and escape broke a match: about 300 bytes a copy;
- the search index (pipelines/search.py prepared_values): its segmented
  title and body are remade by the writer (a regex pass each); the jieba
  words (cutting them needs jieba and its dictionary) travel as one bit per
  character of the text jieba cut, set where a token starts: the words are
  the tokens of two or more characters. An earlier version sent each word's
  offset and length, 2.3 times the bytes after zstd;
- the MinHash stays (remade by the writer it cost ~1.5 ms an article), its
  uint32 values sent as byte planes, high bytes first: a minimum of
  thousands of hashes is small, so its high bytes are mostly zero.

Measured on the 2,000-page benchmark site (zstd with a dictionary learned
from 50 entries): 4.6 KB an article entry before these three, 3.7 KB after;
each side spends about 0.6 ms more an article on the body's renderings.
"""
from __future__ import annotations

import lxml.html
import numpy as np
from lxml import etree

from crawler.extract.markdown import to_markdown
from crawler.extract.text import plain_text
from pipelines.search import _CJK_RUN, segment

# The fields rendered from the body tree, and how, that body_html parsed again may render the same.
_RENDERED = {"body_text": plain_text, "body_markdown": to_markdown}


def _text(entry: dict) -> str:
    """The text jieba cut for the words (pipelines.search.jieba_words): the CJK runs of title and body."""
    text = f"{entry.get('title') or ''}\n{entry.get('body_text') or ''}"
    return "\n".join(run for run in _CJK_RUN.findall(text) if len(run) > 1)


def _starts(text: str, words: str) -> bytes | None:
    """The space-separated `words`, found in order in `text`, as a bit per character of `text`: set where a
    token starts (a word, or any character outside the words); None if a word is not found there."""
    found, at = [], 0
    for word in words.split(" ") if words else ():
        at = text.find(word, at)
        if at < 0 or len(word) < 2:
            return None
        found.append(at)
        at += len(word)
    edges = np.zeros(len(text) + 1, np.int8)   # +1 after a word's first character, -1 after its last
    if found:
        first = np.array(found)
        edges[first + 1] = 1
        edges[first + np.fromiter(map(len, words.split(" ")), int, len(found))] -= 1
    return np.packbits(np.cumsum(edges[:-1]) == 0).tobytes()


def _words(text: str, starts: bytes) -> str:
    """The words `_starts` marked: the tokens of two or more characters, space-separated (in numpy, on the
    text's code points: a Python loop over the words took as long as the rest of an entry's restore)."""
    if not text:
        return ""
    start = np.unpackbits(np.frombuffer(starts, np.uint8), count=len(text)).astype(bool)
    token = np.cumsum(start) - 1
    in_word = np.bincount(token)[token] > 1
    chars = np.frombuffer(text.encode("utf-32-le"), np.uint32)[in_word]
    spaces = np.flatnonzero(start[in_word])[1:]   # before each word but the first
    return np.insert(chars, spaces, ord(" ")).tobytes().decode("utf-32-le")


def _render(body_html: str, names: list[str]) -> dict:
    """The fields `names` of _RENDERED as the extraction's renderers make them from body_html."""
    try:
        tree = lxml.html.fragment_fromstring(body_html)
    except (etree.ParserError, ValueError):   # not one element (the sanitizer's output always is)
        return {}
    return {name: _RENDERED[name](tree) for name in names}


def _planes(fingerprint: bytes) -> bytes:
    return np.frombuffer(fingerprint, "<u4").astype(">u4").view(np.uint8).reshape(-1, 4).T.tobytes()


def _unplanes(planes: bytes) -> bytes:
    return np.frombuffer(planes, np.uint8).reshape(4, -1).T.copy().view(">u4").astype("<u4").tobytes()


def slim(fields: dict) -> dict:
    """The entry's fields as sent: without what `restore` remakes."""
    fields = dict(fields)
    index = fields.get("search_index")
    if index and len(index) == 4:
        starts = _starts(_text(fields), index[3] or "")
        if starts is not None:
            fields["search_index"] = [index[0], starts]
    if fields.get("body_html"):
        rendered = _render(fields["body_html"], [name for name in _RENDERED if fields.get(name)])
        for name, value in rendered.items():
            if value == fields[name]:
                fields[name] = True   # render it from body_html
    if fields.get("fingerprint"):
        fields["fingerprint"] = _planes(fields["fingerprint"])
    return fields


def restore(entry: dict) -> dict:
    """A received entry's fields as the worker had them."""
    rendered = [name for name in _RENDERED if entry.get(name) is True]
    if rendered:
        entry.update(_render(entry["body_html"], rendered))
    if entry.get("fingerprint"):
        entry["fingerprint"] = _unplanes(entry["fingerprint"])
    index = entry.get("search_index")
    if index and len(index) == 2:
        entry["search_index"] = [index[0], segment(entry.get("title")), segment(entry.get("body_text")),
                                 _words(_text(entry), index[1])]
    return entry
