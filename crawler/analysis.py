"""What an analysis worker does with one page: parse, classify, extract, prepare.

It runs where pages are analysed (a worker process of crawler/workers.py,
or the crawl's own process with EXTRACT_PROCESSES = 0), so only there is
the extraction stack imported. An article also leaves it prepared:
normalized, hashed and fingerprinted, the per-article CPU of
NormalizePipeline and DedupePipeline, which then leave it as it is, and
with its search index values, so the archive's writer only writes; or, in
a distributed crawl (EXTRACT_FOR_STREAM), with what its item stream entry
needs instead (crawler/distributed/entries.py: its writer makes the search
values).
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from crawler.distributed import entries
from crawler.extract import analyse_page, extract_from_selector
from crawler.parsing import html_selector
from crawler.parts import find_parts
from crawler.workers import Analysis
from pipelines import search
from pipelines.dedupe import FingerprintScheme
from pipelines.normalize import normalize_article


def analyse(text: str, url: str, profile=None, now: datetime | None = None, part: bool = False) -> Analysis:
    """Parse, classify and extract one decoded page fetched at `now`; never raises.

    `part`: a later part of a split article, extracted whatever its kind
    (a profile's article URLs rarely name `_2.html`): the crawl joins it
    only if it shows the article's headline (crawler/spiders/parts.py).
    """
    sel = html_selector(text)
    try:
        if part:
            return Analysis("article", "a part of a split article", item=extract_from_selector(sel, url, profile, now=now),
                            parts=find_parts(sel, url))
        (kind, why), item = analyse_page(sel, url, profile, now=now)
        parts = find_parts(sel, url) if kind == "article" else None
    except Exception as exc:  # a page that breaks an extractor is recorded, the crawl goes on
        return Analysis("article", error=repr(exc))
    if kind != "article":
        return Analysis(kind, why, links=[urljoin(url, href) for href in sel.xpath("//a/@href").getall()])
    return Analysis(kind, why, item=item, parts=parts)


def with_hints(item: dict, hints: dict | None) -> dict:
    """An article without a date or author of its own given the ones its feed entry or sitemap states."""
    if hints:
        if not item.get("published_at") and hints.get("published_at"):
            item["published_at"], item["date_source"] = hints["published_at"], hints["source"]
        if not item.get("author") and hints.get("author"):
            item["author"] = hints["author"]
    return item


def analyse_and_prepare(text: str, url: str, profile, scheme: FingerprintScheme, now: datetime | None,
                        hints: dict | None, part: bool = False, for_stream: bool = False) -> Analysis:
    """`analyse`, and an article's item as the store takes it: hints added, normalized, hashed, fingerprinted,
    its search index values made (pipelines/search.py); `for_stream`: what its stream entry needs instead.
    A page of a split article stays as extracted: the pipelines prepare the joined article, as in a reparse."""
    page = analyse(text, url, profile, now, part)
    if page.item is not None:
        item = with_hints(page.item, hints)
        if page.parts is None:
            item.update(normalize_article(item))
            item.update(scheme.fingerprints(item))
            if for_stream:
                item["body_text_from_html"] = entries.body_text_from_html(item)
            else:
                item["search_index"] = search.prepared_values(item)
    return page
