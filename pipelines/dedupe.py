"""Fingerprint articles and drop a second copy of one URL within a run.

Runs after NormalizePipeline (ITEM_PIPELINES 100 < 200), so URLs, title and
body_text are already in their canonical form and equal content hashes
equal. Same *content* under another URL is not dropped here: the store keeps
it and points `duplicate_of` at the original, so analysts see both URLs.

Near-duplicate detection (MinHash/SimHash, a follow-up) belongs in this
module too: a fingerprint function beside `content_hash` and a check in
`DedupePipeline.process_item` after the same-URL check.
"""
from __future__ import annotations

import hashlib

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.items import URL_OUTCOME_ITEMS


def content_hash(title: str | None, body_text: str | None) -> str:
    """sha256 hex of title + "\\n" + body_text: equal for pages that read the same."""
    text = f"{title or ''}\n{body_text or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DedupePipeline:
    """Sets `content_hash`; drops an article whose URL was already seen this run.

    Redirects and link spellings that normalize alike are the usual cause:
    Scrapy's request dupefilter sees the URLs before redirects and before our
    normalization, this sees them after. Failures and 304s pass through untouched.
    """

    def __init__(self, stats=None):
        self.stats = stats
        self.seen_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        if isinstance(item, URL_OUTCOME_ITEMS):
            return item
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self.seen_urls:
            if self.stats is not None:
                self.stats.inc_value("dedupe/same_url_dropped")
            # Expected on every crawl (redirect targets, link spellings): not a warning.
            raise DropItem(f"already archived in this run: {url}", log_level="INFO")
        self.seen_urls.add(url)
        adapter["content_hash"] = content_hash(adapter.get("title"), adapter.get("body_text"))
        return item
