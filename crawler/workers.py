"""Page analysis (parse, classify, extract, prepare) in worker processes.

A crawl is CPU-bound on one core: Scrapy's engine and the store need it
whole, and parsing plus extraction cost about as much again per article.
`PageAnalyser` runs that half (crawler/analysis.py) in a process pool
beside the crawl, so the second core does it; `EXTRACT_PROCESSES = 0`
keeps it in the crawl's own process (easier to debug, no pool to start).
This module is the crawl's side of the pool and imports no extraction:
crawler/analysis.py is imported where pages are analysed (`_job`).
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

from crawler.parts import Parts
from pipelines.dedupe import FingerprintScheme


@dataclass
class Analysis:
    """What one page holds for the crawl: its kind, and an item or the links to follow."""

    kind: str                                       # "article", "listing" or "other"
    why: str = ""                                   # the cues that decided the kind
    item: dict | None = None                        # the extracted article (kind "article")
    links: list[str] = field(default_factory=list)  # every link on a listing, absolute
    error: str | None = None                        # why extraction failed, if it did
    parts: Parts | None = None                      # where an article page sits in a split article


def _job():
    """crawler.analysis.analyse_and_prepare, imported where it runs: in a worker process, or in the
    crawl's own with EXTRACT_PROCESSES = 0; a crawl that hands its pages over never loads extraction."""
    from crawler.analysis import analyse_and_prepare
    return analyse_and_prepare


_analyse = None  # crawler.analysis.analyse_and_prepare, set once per worker process
_profile = None  # and the crawl's site profile
_scheme = None   # and its fingerprint scheme
_for_stream = False   # and whether articles are prepared for a distributed crawl's item stream


def _start_worker(profile, scheme: FingerprintScheme, for_stream: bool, crawl_pid: int) -> None:
    """Remember the crawl's profile and scheme; leave when the crawl process is gone.

    A crawl killed outright (kill -9, OOM) cannot shut its pool down, and a
    worker blocked on its task queue would wait forever: cron would pile them
    up. So a worker leaves once it has been handed to another parent.
    """
    global _analyse, _profile, _scheme, _for_stream
    _analyse, _profile, _scheme, _for_stream = _job(), profile, scheme, for_stream
    threading.Thread(target=_exit_when_orphaned, args=(crawl_pid,), daemon=True).start()


def _exit_when_orphaned(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def _analyse_in_worker(text: str, url: str, now: datetime | None, hints: dict | None,
                       part: bool) -> Analysis:
    return _analyse(text, url, _profile, _scheme, now, hints, part, _for_stream)


def extract_processes(settings) -> int:
    """EXTRACT_PROCESSES as a number: "auto" is one worker per core this process may run on,
    less the crawl's own (Scrapy, the store), and at least one."""
    value = settings.get("EXTRACT_PROCESSES")
    if str(value).strip().lower() != "auto":
        return settings.getint("EXTRACT_PROCESSES")
    return max(1, len(os.sched_getaffinity(0)) - 1)


class PageAnalyser:
    """Runs crawler.analysis.analyse_and_prepare for a spider, in EXTRACT_PROCESSES worker processes (0: in process)."""

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
            done.set_result(_job()(text, url, self.profile, self.scheme, now, hints, part, self.for_stream))
            return done
        return self.pool.submit(_analyse_in_worker, text, url, now, hints, part)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
