"""The analysis worker prepares an article exactly as the normalize and dedupe pipelines would."""
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from crawler.analysis import analyse
from crawler.workers import PageAnalyser, WorkerEnded
from pipelines import search
from pipelines.dedupe import DedupePipeline, FingerprintScheme
from pipelines.normalize import NormalizePipeline

PARAGRAPHS = "".join(
    f"<p>第{n}段：清晨的江面上起了薄雾，\u00a0渡船慢慢靠岸，码头上的人们提着竹篮，"
    f"说起今年的雨水比往年来得早。Ferry   number {n} left at dawn.\u200b</p>" for n in range(1, 9))
PAGE = f"""<html><head><title>江边的早晨 | 小城日记</title>
<meta property="article:published_time" content="2025-03-05 14:30"></head><body>
<nav><a href="/">首页</a> &gt; <a href="/notes/">随笔</a></nav>
<article><h1>江边的早晨</h1>{PARAGRAPHS}</article>
<aside><h3>相关文章</h3><ul>
<li><a href="/notes/2.html?utm_source=feed#top">  午后的  茶馆 </a></li>
<li><a href="/notes/3.html?from=timeline">夜市\u3000散记</a></li></ul></aside>
</body></html>"""
URL = "http://example.com/notes/1.html?utm_medium=share"
NOW = datetime(2025, 3, 6, tzinfo=timezone.utc)
HINTS = {"author": "  林 小溪\n", "published_at": "2025-03-04", "source": "feed"}


def through_pipelines(scheme):
    """What a crawl stored before the worker prepared items: extraction, then the two pipelines."""
    item = analyse(PAGE, URL, now=NOW).item
    if not item.get("author"):
        item["author"] = HINTS["author"]
    item = NormalizePipeline().process_item(ArticleItem(**item))
    return dict(DedupePipeline(scheme=scheme).process_item(item))


def test_a_worker_prepares_the_item_the_pipelines_made():
    scheme = FingerprintScheme(threshold=0.8)
    analyser = PageAnalyser(1, scheme=scheme)
    try:
        page = asyncio.run(analyser.analyse(PAGE, URL, NOW, HINTS))
    finally:
        analyser.close()
    assert page.kind == "article"
    assert page.item["url"] == "http://example.com/notes/1.html"
    assert page.item["author"] == "林 小溪"
    assert page.item["fingerprint"] is not None
    prepared = page.item.pop("search_index")
    assert page.item == through_pipelines(scheme)
    # and the search index values the store would make of it, with the content they are of
    assert prepared == search.prepared_values(page.item)
    assert prepared[0] == page.item["content_hash"]


def test_a_distributed_crawls_worker_prepares_the_stream_entry_not_the_search_values():
    """EXTRACT_FOR_STREAM (its writer makes the search values): the worker answers instead whether
    body_html renders to body_text, which the crawl's main process asked before; the rest as before."""
    scheme = FingerprintScheme(threshold=0.8)
    analyser = PageAnalyser(1, scheme=scheme, for_stream=True)
    try:
        page = asyncio.run(analyser.analyse(PAGE, URL, NOW, HINTS))
    finally:
        analyser.close()
    assert "search_index" not in page.item
    # the answer the main process would have given: no, the text is cleaned of a zero-width space the HTML keeps
    assert page.item.pop("body_text_from_html") is False
    assert page.item == through_pipelines(scheme)


def test_extract_processes_auto_follows_the_cores_the_crawl_may_use():
    import os

    from scrapy.settings import Settings

    from crawler.workers import extract_processes

    cores = len(os.sched_getaffinity(0))
    assert extract_processes(Settings({"EXTRACT_PROCESSES": "auto"})) == max(1, cores - 1)
    assert extract_processes(Settings({"EXTRACT_PROCESSES": "0"})) == 0
    assert extract_processes(Settings({"EXTRACT_PROCESSES": 3})) == 3


def test_a_worker_process_imports_no_scrapy():
    """A spawned worker imports the program's main module (the `archive` command) and crawler.workers,
    then unpickles the profile and fingerprint scheme: none of it may pull Scrapy and Twisted in (~30 MB
    and a second of start-up in every worker)."""
    code = ("import sys, crawler.cli, crawler.workers; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted', 'itemadapter'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_crawl_hands_its_pages_over_without_loading_extraction(minisite, tmp_path):
    """The crawl's own process runs Scrapy and the store; its analysis worker extracts. Importing the
    extraction stack there too cost ~0.2 s of CPU and ~5 MB at every start (and made each of Scrapy's
    start-up stack inspections longer). (Its parser, and trafilatura with it, does load: the shell check
    parses what came out empty, a listing.)"""
    db = tmp_path / "a.db"
    code = ("import json, sys; from crawler import api; "
            f"run = api.crawl([{minisite + '/'!r}], db={str(db)!r}, settings={{'EXTRACT_PROCESSES': 1}}); "
            "print(json.dumps([run['new'], sorted(m for m in sys.modules "
            "if m in ('crawler.analysis', 'crawler.extract.article', 'crawler.extract.body', 'nh3'))]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-3000:]
    archived, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert archived > 0 and loaded == []


def test_pages_larger_than_the_socket_takes_come_back_in_order_with_or_without_an_event_loop():
    """The crawl's thread writes without waiting and reads what has come: several pages of a megabyte
    each in the workers at once neither block it nor mix up whose answer is whose."""
    pages = [PAGE.replace("江边的早晨</h1>", f"江边的早晨 {n}</h1>" + "<p>" + "水" * 300_000 + "</p>")
             for n in range(3)]
    analyser = PageAnalyser(2)
    try:
        answers = [analyser.submit(page, URL, NOW) for page in pages]   # as `archive import` does
        titles = [answer.result().item["title"] for answer in answers]

        async def crawl():
            return await asyncio.gather(*(analyser.analyse(page, URL, NOW) for page in pages))
        assert [page.item["title"] for page in asyncio.run(crawl())] == titles
    finally:
        analyser.close()
    assert titles == [f"江边的早晨 {n}" for n in range(3)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of another process, from /proc (as benchmarks/measure.py reads them)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_when_idle(pid: int, every: float = 0.3, deadline: float = 60) -> float:
    """A process's CPU seconds once it has used none for two samples running."""
    start, last, still = time.monotonic(), -1.0, 0
    while still < 2 and time.monotonic() - start < deadline:
        time.sleep(every)
        now = cpu_seconds(pid)
        still, last = (still + 1 if now == last else 0), now
    return last


def hand_over(analyser, deadline: float = 30):
    """Every page submitted written to its worker, as the event loop writes what the sockets take."""
    end = time.monotonic() + deadline
    while any(w.outgoing for w in analyser.workers) and time.monotonic() < end:
        for worker in analyser.workers:
            worker.write()
        time.sleep(0.01)


def test_a_worker_goes_on_analysing_while_the_crawl_reads_no_answers():
    """A crawl busy elsewhere (a batch of writes) reads no answers for a while: its worker goes on with
    the pages it holds, rather than waiting for the socket to take the few answers it can hold."""
    pages = [PAGE.replace("江边的早晨</h1>", f"江边的早晨 {n}</h1>" + PARAGRAPHS * 6) for n in range(40)]
    analyser = PageAnalyser(1)
    try:
        analyser.submit(PAGE, URL, NOW).result()   # the worker's one-time start (dictionaries) done
        pid = analyser.workers[0].process.pid
        before = cpu_seconds(pid)
        answers = [analyser.submit(page, URL, NOW) for page in pages]
        hand_over(analyser)
        while_busy = cpu_when_idle(pid) - before   # nobody reads the answers meanwhile
        titles = [answer.result().item["title"] for answer in answers]
        after_reading = cpu_seconds(pid) - before - while_busy
    finally:
        analyser.close()
    assert titles == [f"江边的早晨 {n}" for n in range(40)]
    assert after_reading < 0.5 * while_busy   # (sending the answers costs a little)


def test_an_error_in_a_worker_is_raised_where_the_page_is_awaited_and_the_worker_goes_on():
    analyser = PageAnalyser(1)
    try:
        with pytest.raises(TypeError):   # neither text nor bytes
            asyncio.run(analyser.analyse(None, URL, NOW))
        assert analyser.submit(PAGE, URL, NOW).result().kind == "article"
    finally:
        analyser.close()


def test_a_worker_that_dies_fails_its_pages_instead_of_leaving_them_waiting():
    analyser = PageAnalyser(1)
    try:
        os.kill(analyser.workers[0].process.pid, signal.SIGKILL)
        with pytest.raises(WorkerEnded):
            asyncio.run(asyncio.wait_for(analyser.analyse(PAGE, URL, NOW), 60))
        with pytest.raises(WorkerEnded):
            analyser.submit(PAGE, URL, NOW).result(60)
    finally:
        analyser.close()


def test_closing_cancels_the_pages_still_waiting_and_ends_the_workers():
    """A crawl that stops with pages in its worker (CLOSESPIDER_*, Ctrl-C) does not wait while the
    worker analyses what nobody will read."""
    analyser = PageAnalyser(1)
    analyser.submit(PAGE, URL, NOW).result()   # the worker's one-time start done
    worker = analyser.workers[0].process
    page = PAGE.replace("</h1>", "</h1>" + PARAGRAPHS * 6)
    answers = [analyser.submit(page, URL, NOW) for _ in range(300)]
    hand_over(analyser)
    started = time.monotonic()
    analyser.close()
    assert all(answer.cancelled() for answer in answers)
    assert worker.exitcode is not None
    assert time.monotonic() - started < 3   # what the worker holds would take it several seconds
