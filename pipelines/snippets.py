"""Does a related entry's snippet fit the article it links to?

A related block shows each entry's opening words ("针对不同平台提供了编译命令，主要…").
When the snippet is not the start of the linked article's body, nor nearly
so, the link is stale or the snippet describes another article: the store
flags it in `related_links.snippet_mismatch`.
"""
from __future__ import annotations

import hashlib
import re
from difflib import SequenceMatcher

from pipelines.dedupe import without_notices

# What a shown snippet may end with to say it was cut short.
ELLIPSES = ("...", "…", "。。。", "……")
# Share of the snippet's characters that must appear, in order, at the start
# of the body for it to count as a near-prefix (an edited word, other quotes).
NEAR_PREFIX = 0.9
# How much longer than the snippet the body window compared with it may be.
WINDOW_SLACK = 1.2
# Characters read beyond three snippet-lengths of body, room for notice lines skipped at the top.
HEAD_SLACK = 600
# Verdicts remembered, by a digest of (snippet, body head): every page linking an article shows it with
# the same snippet, but those pages come spread over the crawl (a 2,000-article crawl checks 2,000
# pairs ~28,000 times; 1,024 remembered pairs, the snippets and heads themselves as keys, missed half
# of them). A digest keeps each entry ~100 bytes where the texts took ~2 KB.
VERDICTS = 8192

_SPACE = re.compile(r"\s+")


def _squashed(text: str) -> str:
    return _SPACE.sub("", text).lower()


def snippet_mismatch(snippet: str | None, body_text: str | None) -> int | None:
    """1 when the snippet is not a prefix or near-prefix of the body, 0 when it
    is, None when there is nothing to compare. Notice lines at the top of the
    body (本文转载自…) are skipped, as the site showing the snippet never had them."""
    if not snippet or body_text is None:
        return None
    # notices sit at the top: the rest never matters
    head = body_text[:len(snippet) * 3 + HEAD_SLACK]
    key = hashlib.blake2b(f"{snippet}\0{head}".encode(), digest_size=16).digest()
    if key not in _verdicts:
        if len(_verdicts) >= VERDICTS:
            del _verdicts[next(iter(_verdicts))]   # the oldest
        _verdicts[key] = _head_mismatch(snippet, head)
    return _verdicts[key]


_verdicts: dict[bytes, int | None] = {}


def _head_mismatch(snippet: str, head: str) -> int | None:
    shown = snippet.strip()
    for ellipsis in ELLIPSES:
        shown = shown.removesuffix(ellipsis)
    shown = _squashed(shown)
    if not shown:
        return None
    start = _squashed(without_notices(head)[:len(snippet) * 3])
    if start.startswith(shown):
        return 0
    window = start[:int(len(shown) * WINDOW_SLACK) + 1]
    matched = sum(block.size for block in SequenceMatcher(None, shown, window, autojunk=False).get_matching_blocks())
    return 0 if matched >= NEAR_PREFIX * len(shown) else 1
