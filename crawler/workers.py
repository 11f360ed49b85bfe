"""Page analysis (parse, classify, extract, prepare) in worker processes.

A crawl is CPU-bound on one core: Scrapy's engine and the store need it
whole, and parsing plus extraction cost about as much again per article.
`PageAnalyser` runs that half in a process pool beside the crawl, so the
second core does it; `EXTRACT_PROCESSES = 0` keeps it in the crawl's own
process (easier to debug, no pool to start). An article also leaves the
worker prepared: normalized, hashed and fingerprinted, the per-article CPU
of NormalizePipeline and DedupePipeline, which then leave it as it is,
and with its search index values, so the archive's writer only writes;
or, in a distributed crawl (EXTRACT_FOR_STREAM), with what its item stream
entry needs instead (crawler/distributed/entries.py: its writer makes the
search values).
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

from crawler.distributed import entries
from crawler.extract import analyse_page, extract_from_selector
from crawler.parsing import html_selector
from pipelines import search
from pipelines.dedupe import FingerprintScheme
from pipelines.normalize import normalize_article
from crawler.parts import Parts, find_parts


@dataclass
class Analysis:
    """What one page holds for the crawl: its kind, and an item or the links to follow."""

    kind: str                                       # "article", "listing" or "other"
    why: str = ""                                   # the cues that decided the kind
    item: dict | None = None                        # the extracted article (kind "article")
    links: list[str] = field(default_factory=list)  # every link on a listing, absolute
    error: str | None = None                        # why extraction failed, if it did
    parts: Parts | None = None                      # where an article page sits in a split article


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


_profile = None  # the crawl's site profile, set once per worker process
_scheme = None   # and its fingerprint scheme
_for_stream = False   # and whether articles are prepared for a distributed crawl's item stream


def _start_worker(profile, scheme: FingerprintScheme, for_stream: bool, crawl_pid: int) -> None:
    """Remember the crawl's profile and scheme; leave when the crawl process is gone.

    A crawl killed outright (kill -9, OOM) cannot shut its pool down, and a
    worker blocked on its task queue would wait forever: cron would pile them
    up. So a worker leaves once it has been handed to another parent.
    """
    global _profile, _scheme, _for_stream
    _profile, _scheme, _for_stream = profile, scheme, for_stream
    threading.Thread(target=_exit_when_orphaned, args=(crawl_pid,), daemon=True).start()


def _exit_when_orphaned(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _analyse_in_worker(text: str, url: str, now: datetime | None, hints: dict | None,
                       part: bool) -> Analysis:
    return analyse_and_prepare(text, url, _profile, _scheme, now, hints, part, _for_stream)


def extract_processes(settings) -> int:
    """EXTRACT_PROCESSES as a number: "auto" is one worker per core this process may run on,
    less the crawl's own (Scrapy, the store), and at least one."""
    value = settings.get("EXTRACT_PROCESSES")
    if str(value).strip().lower() != "auto":
        return settings.getint("EXTRACT_PROCESSES")
    return max(1, len(os.sched_getaffinity(0)) - 1)


class PageAnalyser:
    """Runs `analyse_and_prepare` for a spider, in EXTRACT_PROCESSES worker processes (0: in process)."""

    def __init__(self, processes: int, profile=None, scheme: FingerprintScheme | None = None,
                 for_stream: bool = False):
        self.profile = profile
        self.scheme = scheme or FingerprintScheme()
        self.for_stream = for_stream
        self.pool = None
        if processes > 0:
            # spawn: never fork the crawl's own process (threads, reactor), and
            # keep the workers its own children (see _start_worker).
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(processes, mp_context=context,
                                            initializer=_start_worker,
                                            initargs=(profile, self.scheme, for_stream, os.getpid()))
            self.pool.submit(int)  # start the workers now: their start-up overlaps the crawl's

    @classmethod
    def from_crawler(cls, crawler, profile=None):
        from scrapy import signals  # here: the worker processes import this module and run no Scrapy
        analyser = cls(extract_processes(crawler.settings), profile,
                       FingerprintScheme.from_settings(crawler.settings),
                       crawler.settings.getbool("EXTRACT_FOR_STREAM"))
        crawler.signals.connect(analyser.close, signal=signals.spider_closed)
        return analyser

    async def analyse(self, text: str, url: str, now: datetime | None = None,
                      hints: dict | None = None, part: bool = False) -> Analysis:
        return await asyncio.wrap_future(self.submit(text, url, now, hints, part))

    def submit(self, text: str, url: str, now: datetime | None = None,
               hints: dict | None = None, part: bool = False) -> Future:
        """`analyse` as a future, for callers without an event loop (`archive import`)."""
        if self.pool is None:
            done = Future()
            done.set_result(analyse_and_prepare(text, url, self.profile, self.scheme, now, hints, part,
                                                self.for_stream))
            return done
        return self.pool.submit(_analyse_in_worker, text, url, now, hints, part)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
