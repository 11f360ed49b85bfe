"""Page analysis (parse, classify, extract, prepare) in worker processes.

A crawl is CPU-bound on one core: Scrapy's engine and the store need it
whole, and parsing plus extraction cost about as much again per article.
`PageAnalyser` runs that half (crawler/analysis.py) in worker processes
beside the crawl, so the second core does it; `EXTRACT_PROCESSES = 0`
keeps it in the crawl's own process (easier to debug, no worker to start).
This module is the crawl's side of the workers and imports no extraction:
crawler/analysis.py is imported where pages are analysed (`_job`).

Each worker has a socket of its own, and the crawl's thread does the
hand-off itself: it writes a page without waiting (what the socket cannot
take yet goes when the event loop says it can) and the event loop reads the
answers. A process pool did it with two threads of its own (a manager, a
queue feeder) and woke the event loop through its self-pipe for every page:
~10% of the crawl process's CPU (benchmarks/crawl_bench.py). A worker
answers its pages in the order it got them.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import queue
import select
import socket
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from w3lib.encoding import html_to_unicode

from crawler.parts import Parts
from pipelines.dedupe import FingerprintScheme

HEADER = 8   # bytes of a message's length, before its pickle


class WorkerEnded(RuntimeError):
    """An analysis worker ended (killed, out of memory) with pages in it: they fail, none waits forever."""


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


def _serve(sock: socket.socket, profile, scheme: FingerprintScheme, for_stream: bool, crawl_pid: int) -> None:
    """A worker process: analyse each page the crawl sends, answer (True, Analysis) or (False, exception)
    in the same order, and leave when the crawl closes its end.

    A crawl killed outright (kill -9, OOM) cannot close its end in time for a
    worker in the middle of a page, and cron would pile them up: so a worker
    also leaves once it has been handed to another parent.
    """
    threading.Thread(target=_exit_when_orphaned, args=(crawl_pid,), daemon=True).start()
    pages: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    answers: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    closed = threading.Event()
    threading.Thread(target=_receive_pages, args=(sock, pages, closed), daemon=True).start()
    threading.Thread(target=_send_answers, args=(sock, answers), daemon=True).start()
    analyse = _job()
    while (message := pages.get()) is not None and not closed.is_set():
        page, encoding, url, *rest = pickle.loads(message)
        try:
            answer = _dumps(True, analyse(page_text(page, encoding), url, profile, scheme, *rest, for_stream))
        except Exception as exc:   # raised where the crawl awaits the page, as from a process pool
            try:
                answer = _dumps(False, exc)
            except Exception:
                answer = _dumps(False, RuntimeError(f"{type(exc).__name__}: {exc}"))
        answers.put(len(answer).to_bytes(HEADER, "big") + answer)


# A worker moves pages and answers on threads of their own. The crawl's process is busy elsewhere for a
# few hundred ms at a time (a batch of writes), and a socket holds only a few pages and answers: a worker
# that read and sent them itself would run out of pages, or wait to send, while it could be analysing.
# What waits in a worker is bounded by the pages the crawl has handed over, which Scrapy's scraper bounds.

def _receive_pages(sock: socket.socket, pages: queue.SimpleQueue, closed: threading.Event) -> None:
    """Each page the crawl sends, as it comes. The crawl closes its end when it wants no more answers
    (done, or stopping): `closed` is set then, and the pages still held are not analysed."""
    stream = sock.makefile("rb", buffering=1 << 20)   # a read takes what waits, many pages at once
    try:
        while len(header := stream.read(HEADER)) == HEADER:
            size = int.from_bytes(header, "big")
            message = stream.read(size)
            if len(message) < size:
                break
            pages.put(message)
    except OSError:   # a reset: the crawl closed its end with answers unread
        pass
    finally:
        closed.set()
        pages.put(None)


def _send_answers(sock: socket.socket, answers: queue.SimpleQueue) -> None:
    """The worker's answers, in the order they were made."""
    while True:
        try:
            sock.sendall(answers.get())
        except OSError:   # the crawl closed its end while answers were due: nobody waits for them
            return


def page_text(page: str | bytes, encoding: str | None) -> str:
    """A page's text; its bytes decoded as Scrapy's response.text decodes them. A crawl hands over the
    bytes and the charset it decided: its own process then neither decodes a page nor encodes the text
    again to send it."""
    return page if isinstance(page, str) else html_to_unicode(f"charset={encoding}", page)[1]


def _dumps(ok: bool, answer) -> bytes:
    return pickle.dumps((ok, answer), pickle.HIGHEST_PROTOCOL)


def _exit_when_orphaned(parent: int, every: float = 1.0) -> None:
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


class _Worker:
    """The crawl's end of one worker process: what is still to be sent, what came back, whose answers are due."""

    def __init__(self, context, initargs: tuple):
        here, there = socket.socketpair()
        self.process = context.Process(target=_serve, args=(there, *initargs), daemon=True)
        self.process.start()
        there.close()
        here.setblocking(False)
        self.sock = here
        self.outgoing = bytearray()
        self.incoming = bytearray()
        self.waiting: deque = deque()   # futures of the pages sent, in order
        self.loop: asyncio.AbstractEventLoop | None = None   # the event loop reading its answers, once there is one

    def send(self, args: tuple, future) -> None:
        message = pickle.dumps(args, pickle.HIGHEST_PROTOCOL)
        self.outgoing += len(message).to_bytes(HEADER, "big")
        self.outgoing += message
        self.waiting.append(future)
        self.write()

    def write(self) -> None:
        """As much of what is to be sent as the socket takes now; the event loop is asked for the rest."""
        try:
            del self.outgoing[:self.sock.send(self.outgoing)]
        except BlockingIOError:
            pass
        except OSError as exc:
            self.broken(exc)
            return
        if self.loop is not None:
            if self.outgoing:
                self.loop.add_writer(self.sock, self.write)
            else:
                self.loop.remove_writer(self.sock)

    def read(self) -> None:
        """The answers that have come, each to its future."""
        while True:
            try:
                chunk = self.sock.recv(1 << 20)
            except BlockingIOError:
                break
            except OSError as exc:
                self.broken(exc)
                return
            if not chunk:
                self.broken(EOFError("the worker's end closed"))
                return
            self.incoming += chunk
        start = 0
        while len(self.incoming) - start >= HEADER:
            end = start + HEADER + int.from_bytes(self.incoming[start:start + HEADER], "big")
            if len(self.incoming) < end:
                break
            with memoryview(self.incoming) as view, view[start + HEADER:end] as message:
                try:   # (a view left open would keep `incoming` from shrinking)
                    ok, answer = pickle.loads(message)
                except Exception as exc:   # an exception whose class cannot be rebuilt from its pickle
                    ok, answer = False, exc
            future = self.waiting.popleft()
            if future.done():   # cancelled
                pass
            elif ok:
                future.set_result(answer)
            else:
                future.set_exception(answer)
            start = end
        del self.incoming[:start]

    def broken(self, cause: BaseException) -> None:
        """The worker died (or its socket did): its pages fail, none waits forever."""
        self.stop()
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(WorkerEnded(f"an analysis worker ended: {cause}"))

    def stop(self) -> None:
        if self.sock.fileno() >= 0:
            if self.loop is not None and not self.loop.is_closed():
                self.loop.remove_reader(self.sock)
                self.loop.remove_writer(self.sock)
            self.sock.close()

    def close(self) -> None:
        """Closing its end tells the worker to leave; pages still waiting are cancelled."""
        self.stop()
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        while self.waiting:
            self.waiting.popleft().cancel()


class _Answer(Future):
    """A concurrent future of a worker's answer that, waited on, reads the answers itself: a caller
    without an event loop (`archive import`) needs no thread to read them."""

    def __init__(self, workers: list[_Worker]):
        super().__init__()
        self.workers = workers

    def result(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            open_ = [w for w in self.workers if w.sock.fileno() >= 0]
            if not open_:
                break
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            readable, writable, _ = select.select([w.sock for w in open_ if w.waiting],
                                                  [w.sock for w in open_ if w.outgoing], [], left)
            if not readable and not writable:
                break   # timed out: Future.result raises TimeoutError
            for worker in open_:
                if worker.sock in writable:
                    worker.write()
                if worker.sock in readable:
                    worker.read()
        return super().result(0)


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
        # spawn: never fork the crawl's own process (threads, reactor), and keep
        # the workers its own children (see _serve). Started now: their start-up overlaps the crawl's.
        context = multiprocessing.get_context("spawn")
        self.workers = [_Worker(context, (profile, self.scheme, for_stream, os.getpid())) for _ in range(processes)]

    @classmethod
    def from_crawler(cls, crawler, profile=None):
        from scrapy import signals  # here: the worker processes import this module and run no Scrapy
        analyser = cls(extract_processes(crawler.settings), profile,
                       FingerprintScheme.from_settings(crawler.settings),
                       crawler.settings.getbool("EXTRACT_FOR_STREAM"))
        crawler.signals.connect(analyser.close, signal=signals.spider_closed)
        return analyser

    async def analyse(self, page: str | bytes, url: str, now: datetime | None = None,
                      hints: dict | None = None, part: bool = False, encoding: str | None = None) -> Analysis:
        """The analysis of `page`: its text, or its bytes in `encoding` (see page_text)."""
        if not self.workers:
            return self.submit(page, url, now, hints, part, encoding).result()
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self._send((page, encoding, url, now, hints, part), answer, loop)
        return await answer

    def submit(self, page: str | bytes, url: str, now: datetime | None = None,
               hints: dict | None = None, part: bool = False, encoding: str | None = None) -> Future:
        """`analyse` as a future, for callers without an event loop (`archive import`)."""
        if not self.workers:
            done = Future()
            done.set_result(_job()(page_text(page, encoding), url, self.profile, self.scheme, now, hints, part,
                                   self.for_stream))
            return done
        answer = _Answer(self.workers)
        self._send((page, encoding, url, now, hints, part), answer, None)
        return answer

    def _send(self, args: tuple, future, loop) -> None:
        """To the open worker with the fewest pages waiting (the first on a tie)."""
        open_ = [w for w in self.workers if w.sock.fileno() >= 0]
        if not open_:
            raise WorkerEnded("every analysis worker has ended")
        worker = min(open_, key=lambda w: len(w.waiting))
        if loop is not None and worker.loop is not loop:
            worker.loop = loop
            loop.add_reader(worker.sock, worker.read)
        worker.send(args, future)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers = []
