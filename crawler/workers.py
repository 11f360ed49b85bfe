"""Page analysis (parse, classify, extract) in worker processes.

A crawl is CPU-bound on one core: Scrapy's engine, the pipelines and the
store need it whole, and parsing plus extraction cost about as much again
per article. `PageAnalyser` runs that half in a process pool beside the
crawl, so the second core does it; `EXTRACT_PROCESSES = 0` keeps it in the
crawl's own process (easier to debug, no pool to start).
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

from scrapy import signals

from crawler.extract import analyse_page
from crawler.parsing import html_selector


@dataclass
class Analysis:
    """What one page holds for the crawl: its kind, and an item or the links to follow."""

    kind: str                                       # "article", "listing" or "other"
    why: str = ""                                   # the cues that decided the kind
    item: dict | None = None                        # the extracted article (kind "article")
    links: list[str] = field(default_factory=list)  # every link on a listing, absolute
    error: str | None = None                        # why extraction failed, if it did


def analyse(text: str, url: str, profile=None, now: datetime | None = None) -> Analysis:
    """Parse, classify and extract one decoded page fetched at `now`; never raises."""
    sel = html_selector(text)
    try:
        (kind, why), item = analyse_page(sel, url, profile, now=now)
    except Exception as exc:  # a page that breaks an extractor is recorded, the crawl goes on
        return Analysis("article", error=repr(exc))
    if kind != "article":
        return Analysis(kind, why, links=[urljoin(url, href) for href in sel.xpath("//a/@href").getall()])
    return Analysis(kind, why, item=item)


_profile = None  # the crawl's site profile, set once per worker process


def _start_worker(profile, crawl_pid: int) -> None:
    """Remember the crawl's profile; leave when the crawl process is gone.

    A crawl killed outright (kill -9, OOM) cannot shut its pool down, and a
    worker blocked on its task queue would wait forever: cron would pile them
    up. So a worker leaves once it has been handed to another parent.
    """
    global _profile
    _profile = profile
    threading.Thread(target=_exit_when_orphaned, args=(crawl_pid,), daemon=True).start()


def _exit_when_orphaned(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _analyse_with_profile(text: str, url: str, now: datetime | None) -> Analysis:
    return analyse(text, url, _profile, now)


class PageAnalyser:
    """Runs `analyse` for a spider, in EXTRACT_PROCESSES worker processes (0: in process)."""

    def __init__(self, processes: int, profile=None):
        self.profile = profile
        self.pool = None
        if processes > 0:
            # spawn: never fork the crawl's own process (threads, reactor), and
            # keep the workers its own children (see _start_worker).
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(processes, mp_context=context,
                                            initializer=_start_worker, initargs=(profile, os.getpid()))
            self.pool.submit(int)  # start the workers now: their start-up overlaps the crawl's

    @classmethod
    def from_crawler(cls, crawler, profile=None):
        analyser = cls(crawler.settings.getint("EXTRACT_PROCESSES"), profile)
        crawler.signals.connect(analyser.close, signal=signals.spider_closed)
        return analyser

    async def analyse(self, text: str, url: str, now: datetime | None = None) -> Analysis:
        if self.pool is None:
            return analyse(text, url, self.profile, now)
        return await asyncio.wrap_future(self.submit(text, url, now))

    def submit(self, text: str, url: str, now: datetime | None = None) -> Future:
        """`analyse` as a future, for callers without an event loop (`archive import`)."""
        if self.pool is None:
            done = Future()
            done.set_result(analyse(text, url, self.profile, now))
            return done
        return self.pool.submit(_analyse_with_profile, text, url, now)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
