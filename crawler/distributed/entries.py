"""An item stream entry without what the writer can derive from the rest of it.

Every byte of an entry passes Redis twice (in from a worker, out to the
writer), and after zstd a quarter of an article's entry was its search
index (pipelines/search.py prepared_values), made from the title and body
text the entry carries anyway. So a worker sends, of the search index, its
content_hash and the jieba words as spans of the title and body text (gap
and length, small numbers); the segmented title and body, a regex pass
each, and the words are remade by the writer. The words are kept because
cutting them needs jieba and its dictionary. The MinHash stays in the
entry: remade by the writer it saved a tenth of the entry but cost the one
writer ~1.5 ms an article, and the writer is what bounds how many workers
a crawl can use.

Measured on the benchmark site: about 6.5 KB an article entry before, 4.3 KB
after plus the MinHash's 512 bytes (128 permutations).
"""
from __future__ import annotations

from pipelines.search import segment


def _text(entry: dict) -> str:
    """The string the words' spans point into."""
    return f"{entry.get('title') or ''}\n{entry.get('body_text') or ''}"


def _spans(text: str, words: str) -> list[int] | None:
    """Each word of the space-separated `words` as (characters skipped since the last, its length) in
    `text`; None if one is not found there."""
    spans, at = [], 0
    for word in words.split(" ") if words else ():
        found = text.find(word, at)
        if found < 0:
            return None
        spans += [found - at, len(word)]
        at = found + len(word)
    return spans


def _words(text: str, spans: list[int]) -> str:
    words, at = [], 0
    for skip, length in zip(spans[::2], spans[1::2]):
        at += skip
        words.append(text[at:at + length])
        at += length
    return " ".join(words)


def slim(fields: dict) -> dict:
    """The entry's fields as sent: without what `restore` remakes."""
    fields = dict(fields)
    index = fields.get("search_index")
    if index and len(index) == 4:
        spans = _spans(_text(fields), index[3] or "")
        if spans is not None:
            fields["search_index"] = [index[0], spans]
    return fields


def restore(entry: dict) -> dict:
    """A received entry's fields as the worker had them."""
    index = entry.get("search_index")
    if index and len(index) == 2:
        entry["search_index"] = [index[0], segment(entry.get("title")), segment(entry.get("body_text")),
                                 _words(_text(entry), index[1])]
    return entry
