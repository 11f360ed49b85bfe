"""Distributed crawls: workers sharing a frontier through a real redis-server, one writer storing.

The single-process crawl of the same small generated site is the reference:
a distributed archive must hold the same articles, content, clusters,
trails, related-link targets and search rows.
"""
from __future__ import annotations

import itertools
import json
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from functools import partial
from http.server import ThreadingHTTPServer

import msgpack
import pytest
import redis
import scrapy
import zstandard

from conftest import run_archive
from crawler.distributed import entries, seen, serializer
from crawler.distributed.connection import compiled
from crawler.distributed.keys import Keys
from crawler.distributed.seen import seen_count
from crawler.demosite.generate import build_site
from crawler.demosite.server import _Handler, serve_directory
from crawler.analysis import analyse_and_prepare
from pipelines import search, stream
from pipelines.dedupe import FingerprintScheme
from redisserver import RedisServer

PAGES = 40
# Fast and light on a shared machine: no throttling of a local site, extraction in the crawl's own process.
QUICK = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "EXTRACT_PROCESSES=0")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    with serve_directory(root) as base:
        build_site(root, pages=PAGES, base_url=base)
        yield base + "/"


@pytest.fixture(scope="module")
def single(site, tmp_path_factory):
    """The reference: the same site crawled by one process."""
    db = tmp_path_factory.mktemp("single") / "archive.db"
    result = run_archive("crawl", site, "--db", str(db), *QUICK, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.proc.poll() is None:
        server.stop()


def archive(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args, *QUICK],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def worker(site, server, db, *extra) -> subprocess.Popen:
    return archive("crawl", site, "--redis", server.url, "--db", str(db), *extra)


def writer(server, db, *extra) -> subprocess.Popen:
    return archive("write", "--redis", server.url, "--db", str(db), *extra)


def finish(proc: subprocess.Popen, timeout=120) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err[-3000:]
    return json.loads(out)


def wait_for(condition, timeout=60, every=0.001):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(every)


def snapshot(db) -> dict:
    """What must not depend on how the archive was crawled (row ids and the order of arrival may)."""
    with sqlite3.connect(db) as conn:
        clusters: dict = {}
        for url, original in conn.execute("SELECT a.url, coalesce(o.url, a.url) FROM articles a"
                                          " LEFT JOIN articles o ON o.id = a.duplicate_of"):
            clusters.setdefault(original, set()).add(url)
        return {
            "articles": sorted(conn.execute("SELECT url, content_hash, title, section, published_at FROM articles")),
            "clusters": sorted(sorted(urls) for urls in clusters.values()),
            "breadcrumbs": sorted(conn.execute("SELECT a.url, b.position, b.name, b.url FROM breadcrumbs b"
                                               " JOIN articles a ON a.id = b.article_id")),
            "related": sorted(conn.execute("SELECT a.url, r.position, r.url, t.url FROM related_links r"
                                           " JOIN articles a ON a.id = r.article_id"
                                           " LEFT JOIN articles t ON t.id = r.target_id")),
            "search": sorted(conn.execute("SELECT a.url, f.title FROM articles_fts f JOIN articles a ON a.id = f.rowid")),
            "listings": sorted(conn.execute("SELECT url, kind FROM listings")),
            "failures": sorted(conn.execute("SELECT url, reason FROM failures")),
        }


def pending(server) -> dict:
    client = server.client()
    return {"stream": client.xlen("archive:items"),
            "unacknowledged": client.xpending("archive:items", "writers")["pending"],
            "leased": client.zcard("archive:leased"), "queued": client.zcard("archive:requests")}


def test_the_seen_set_is_exact_and_costs_under_20_bytes_a_url(redis_server):
    """Every fingerprint marked once, found again after its bucket split, a new one not found; at about
    12 bytes of fingerprint and 2 of bucket a URL, where scrapy-redis's set costs 80-96."""
    client = redis_server.client()
    mark = client.register_script("local SEEN_KEY = KEYS[1]\n" + seen.LUA + """
preload(ARGV)
local added = 0
for _, fp in ipairs(ARGV) do if mark(fp) then added = added + 1 end end
settle()
return added""")
    ask = client.register_script(seen.SEEN)
    fingerprints = [random.Random(n).randbytes(seen.FINGERPRINT_BYTES) for n in range(5000)]
    assert sum(mark(keys=["s"], args=fingerprints[n:n + 100]) for n in range(0, 5000, 100)) == 5000
    assert mark(keys=["s"], args=fingerprints[::50]) == 0
    assert int(client.hget("s", "buckets")) >= 5000 // seen.LOAD
    assert all(ask(keys=["s"], args=[fp]) for fp in fingerprints[::37])
    assert not ask(keys=["s"], args=[b"\xff" * seen.FINGERPRINT_BYTES])
    assert seen_count(client, "s") == 5000
    assert client.memory_usage("s", samples=0) / 5000 <= 20


def test_a_script_redis_rejects_fails_at_once(redis_server):
    """Compiled when registered: a worker with a broken script stops as it starts, not hangs at its first sync."""
    with pytest.raises(redis.ResponseError, match="compiling"):
        compiled(redis_server.client(), "return {1")


class _Recorder(_Handler):
    """The demo site's pages, each held `hold` seconds, every request's time in and out recorded."""

    visits: list = []   # (monotonic time in, time out)
    hold = 0.0

    def do_GET(self):
        start = time.monotonic()
        time.sleep(self.hold)
        super().do_GET()
        self.visits.append((start, time.monotonic()))


@pytest.mark.parametrize("limit", ["concurrency", "delay"])
def test_per_site_concurrency_and_delay_hold_across_workers(limit, redis_server, tmp_path, monkeypatch):
    """Two workers on one site. Concurrency: each may keep 2 requests in flight, responses take 0.3 s, so
    apart they would keep 4 going; together the site never has more than 2. Delay: each waits 0.2 s between
    requests, so apart the two would ask twice as often; together the site's turns are 0.2 s apart, seen at
    the server give or take how late a busy worker sends after taking its turn (up to 0.13 s on a loaded
    machine): no 10 requests within 9 turns less 0.2 s, and half the gaps at least 0.19 s."""
    visits = []
    monkeypatch.setattr(_Recorder, "visits", visits)
    monkeypatch.setattr(_Recorder, "hold", 0.3 if limit == "concurrency" else 0.0)
    settings = {"concurrency": ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"),
                "delay": ("-s", "DOWNLOAD_DELAY=0.2", "-s", "DOWNLOAD_DELAY_JITTER=0")}[limit]
    root = tmp_path / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Recorder, directory=str(root), overrides={}))
    server.daemon_threads = True
    base = "http://127.0.0.1:%d" % server.server_address[1]
    build_site(root, pages=PAGES, base_url=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        store = writer(redis_server, tmp_path / "archive.db", "--until-done")
        crawls = [worker(base + "/", redis_server, tmp_path / "archive.db", *settings) for _ in range(2)]
        assert sum(finish(crawl, timeout=300)["pages"] for crawl in crawls) == len(visits)
        assert finish(store)["new"] == PAGES
    finally:
        server.shutdown()
        server.server_close()
    if limit == "concurrency":
        events = sorted([(start, 1) for start, _ in visits] + [(end, -1) for _, end in visits])
        assert max(itertools.accumulate(change for _, change in events)) == 2
    else:
        starts = sorted(start for start, _ in visits)
        assert statistics.median(b - a for a, b in zip(starts, starts[1:])) >= 0.19
        assert min(b - a for a, b in zip(starts, starts[9:])) >= 9 * 0.2 - 0.2


def test_stream_entries_share_a_dictionary_once_a_worker_has_sent_enough(redis_server):
    """A worker trains a zstd dictionary on its first article entries (listings before them, tiny and unlike
    an article, do not count) and shares it through Redis; a writer that never saw them decodes every entry,
    those compressed with it are much smaller, and a later worker uses it from its first entry."""
    client = redis_server.client()
    words = "爬虫 归档 队列 租约 写入 字典 压缩 页面 链接 面包屑 相关 文章 the lease queue keeps every page".split()
    sidebar = "".join(f'<li><a href="/notes/{n}.html">近期笔记之{n}：队列与租约</a></li>' for n in range(40))
    pages = [{"url": f"https://blog.example/notes/{n}.html", "title": f"第{n}篇 笔记",
              "raw_html": (f'<html><head><title>第{n}篇 笔记</title><link rel="stylesheet" href="/site.css"></head>'
                           f'<body><nav>首页 | 归档 | 关于本站</nav><aside><ul>{sidebar}</ul></aside><article>'
                           + " ".join(random.Random(n).choices(words, k=100))
                           + "</article><footer>本站文章均为作者原创，转载请注明出处</footer></body></html>").encode()}
             for n in range(2 * stream.SAMPLES)]
    worker = stream.Codec(client, Keys())
    for n in range(2 * stream.SAMPLES):
        worker.encode("listing", {"url": f"https://blog.example/notes/page{n}.html", "kind": "listing"})
    assert not client.exists("archive:dicts")
    entries = [worker.encode("article", page) for page in pages]
    assert client.hlen("archive:dicts") == 1
    assert [stream.Codec(client, Keys()).decode(entry) for entry in entries] == [
        {**page, "type": "article"} for page in pages]
    before, after = entries[:stream.SAMPLES], entries[stream.SAMPLES:]
    assert sum(map(len, after)) < 0.8 * sum(map(len, before))
    late = stream.Codec(client, Keys())   # a worker started later compresses with the shared one at once
    assert late.adopt() and len(late.encode("article", pages[0])) == len(worker.encode("article", pages[0]))
    assert client.hlen("archive:dicts") == 1


def test_a_worker_learning_a_dictionary_takes_one_another_worker_shared_meanwhile(redis_server):
    """Two workers start together: the one that reaches SAMPLES articles first shares its dictionary; the
    other, part way, takes it up within ADOPT_EVERY articles instead of sending SAMPLES uncompressed."""
    client = redis_server.client()
    pages = [{"url": f"https://blog.example/notes/{n}.html", "title": f"第{n}篇",
              "raw_html": ("<html><body><nav>首页 | 归档</nav><article>" + f"第{n}段：队列与租约。" * 50
                           + "</article></body></html>").encode()} for n in range(stream.SAMPLES)]
    first, second = stream.Codec(client, Keys()), stream.Codec(client, Keys())
    for page in pages[:3]:
        second.encode("article", page)
    for page in pages:
        first.encode("article", page)
    assert client.hlen("archive:dicts") == 1 and second.samples is not None
    for page in pages[3:stream.ADOPT_EVERY]:
        second.encode("article", page)
    assert second.samples is None and client.hlen("archive:dicts") == 1
    assert second.encode("article", pages[0]) == first.encode("article", pages[0])


def _prepared(body: str, title: str, for_stream: bool = False) -> dict:
    """An article item as an analysis worker hands it on: extracted, normalized, hashed, and indexed (for the
    store) or checked for its stream entry (`for_stream`, a distributed worker's)."""
    page = (f"<html><head><title>{title}</title></head><body><nav><a href='/'>首页</a> <a href='/notes/'>笔记</a></nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>版权所有</footer></body></html>")
    return analyse_and_prepare(page, "https://blog.example/notes/1.html", None, FingerprintScheme(),
                               datetime(2026, 1, 2, tzinfo=timezone.utc), None, for_stream=for_stream).item


def test_stream_entries_leave_out_what_the_writer_remakes_exactly():
    """An article entry goes without its search index, which the writer makes as the analysis worker did, and
    without body_text where the writer renders it again from body_html (prose, tables, code); where it does
    not (a zero-width space, which body_text is cleaned of and body_html keeps), body_text goes along. The
    writer gets back the very item either way, with or without Chinese to cut into words."""
    prose = "".join(f"<p>第{n}段：工作进程把抓取的页面写入队列，写入进程按批次提交到归档，"
                    f"确认之后才删除条目。The writer acknowledges a batch only after its commit.</p>" for n in range(12))
    table = ("<table><tr><th>方案</th><th>延迟</th></tr><tr><td>队列</td><td>12 ms</td></tr></table>"
             "<pre><code>for page in pages:\n    queue.push(page)  # 缩进保留</code></pre>")
    english = "".join(f"<p>Paragraph {n} says the <a href='/lease'>lease</a> comes back when a worker\u200b dies, "
                      "and the *frontier* keeps it.</p><ul><li>one</li><li>two</li></ul>" for n in range(8))
    for body, title, rendered in ((prose, "租约与队列", True), (prose + table, "写入与提交", True),
                                  (english, "Leases and queues", False)):
        item = _prepared(body, title)
        assert item["body_text"] and item["fingerprint"] and item["search_index"][0] == item["content_hash"]
        sent = entries.slim(item)
        assert "search_index" not in sent and (sent["body_text"] is True) == rendered
        got = entries.restore(msgpack.unpackb(msgpack.packb(sent, use_bin_type=True), raw=False))
        assert got == {name: value for name, value in item.items() if name != "search_index"}
        assert list(search.index_values(got)) == item["search_index"][1:]
        # a distributed worker's analysis process answered the text's question already: the same entry
        streamed = _prepared(body, title, for_stream=True)
        assert "search_index" not in streamed and streamed["body_text_from_html"] == rendered
        assert entries.slim(streamed) == sent


@pytest.fixture(scope="module")
def two_workers(site, tmp_path_factory):
    """`archive crawl --redis --workers 2` once: (its printed row, the archive, its Redis)."""
    folder = tmp_path_factory.mktemp("two-workers")
    server = RedisServer(folder)
    server.start()
    db = folder / "archive.db"
    result = run_archive("crawl", site, "--redis", server.url, "--workers", "2", "--db", str(db), *QUICK, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    yield json.loads(result.stdout), db, server
    server.stop()


def test_two_workers_and_a_writer_archive_what_one_process_does(two_workers, single):
    run, db, server = two_workers
    assert run["status"] == "finished" and run["workers"] == [0, 0]
    # each article reached the writer once: fetched by one worker only
    assert (run["new"], run["changed"], run["unchanged"]) == (PAGES, 0, 0)
    assert snapshot(db) == snapshot(single)
    assert pending(server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}


def test_the_writers_run_row_reads_like_a_single_process_ones(two_workers, single):
    """Site, start URLs, settings and pages fetched come from the workers: the same as one process's, but
    for robots.txt, which each worker fetches for itself once it has a request for the site (the second
    may find the queue leased empty), and where the run was kept."""
    run, db, server = two_workers
    with sqlite3.connect(single) as conn:
        conn.row_factory = sqlite3.Row
        alone = dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id LIMIT 1").fetchone())
    assert (run["site"], run["start_urls"], run["skipped"]) == (alone["site"], alone["start_urls"], alone["skipped"])
    assert alone["fetched"] <= run["fetched"] <= alone["fetched"] + 1
    settings, single_settings = json.loads(run["settings"]), json.loads(alone["settings"])
    assert settings == {**single_settings, "ARCHIVE_DB": str(db), "REDIS_KEY": "archive"}


@pytest.mark.timeout(600)   # two more crawls: minutes on a busy machine
def test_a_distributed_rerun_is_an_incremental_run_like_a_single_one(site, two_workers, single, tmp_path):
    """The next run starts afresh (not filtered out by the last run's seen set) and, as a single
    process would, fetches the listings again and skips the articles not yet due."""
    _, db, server = two_workers
    shutil.copy(single, tmp_path / "single.db")
    alone = json.loads(run_archive("crawl", site, "--db", str(tmp_path / "single.db"), *QUICK, timeout=300).stdout)
    result = run_archive("crawl", site, "--redis", server.url, "--workers", "2", "--db", str(db), *QUICK, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    again = json.loads(result.stdout)
    counts = ("new", "changed", "unchanged", "not_modified", "gone", "failed")
    assert {c: again[c] for c in counts} == {c: alone[c] for c in counts}
    assert alone["new"] == 0 and again["listings"] >= alone["listings"] > 0   # a listing twice in a batch counts once
    assert snapshot(db) == snapshot(single)
    with sqlite3.connect(db) as conn:   # the listings were fetched again by this run
        assert conn.execute("SELECT count(*) FROM listings WHERE run_id = ?", [again["id"]]).fetchone()[0] == alone["listings"]


@pytest.mark.timeout(600)   # two more crawls: minutes on a busy machine
def test_workers_without_the_archive_refetch_only_what_is_due_as_one_process_does(site, two_workers, single, tmp_path):
    """Half the articles were fetched 30 days ago (recrawl_after is 7 days): a single process asks for those
    conditionally (304s) and skips the rest. Workers given no archive (the writer holds it) decide the same
    from what the writer publishes to Redis: the same 304s, skips, fetches and archive."""
    _, distributed_db, server = two_workers
    runs = {}
    for name, source in (("single", single), ("workers", distributed_db)):
        db = tmp_path / f"{name}.db"
        shutil.copy(source, db)
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE articles SET last_seen = datetime(last_seen, '-30 days') WHERE id IN "
                         "(SELECT id FROM articles ORDER BY url LIMIT ?)", [PAGES // 2])
        runs[name] = db
    alone = json.loads(run_archive("crawl", site, "--db", str(runs["single"]), *QUICK, timeout=300).stdout)
    client = server.client()
    Keys().clear(client)   # a new run, as --workers starts one
    client.delete("archive:archived")   # the first run's: the writer publishes the archive again as it starts
    store = writer(server, runs["workers"], "--until-done")
    wait_for(lambda: client.exists("archive:archived"), every=0.1)   # published before the workers start
    crawls = [worker(site, server, tmp_path / "no-archive-here.db") for _ in range(2)]
    done = [finish(crawl) for crawl in crawls]
    assert [run["finish_reason"] for run in done] == ["finished", "finished"]
    again = finish(store)
    counts = ("new", "changed", "unchanged", "not_modified", "gone", "failed", "skipped")
    assert {c: again[c] for c in counts} == {c: alone[c] for c in counts}
    assert alone["not_modified"] == PAGES // 2 and alone["skipped"] >= PAGES // 2   # a later part's URL too
    assert alone["fetched"] <= sum(run["pages"] for run in done) <= alone["fetched"] + 1   # each worker's robots.txt
    assert again["fetched"] == sum(run["pages"] for run in done)   # all counted before the writer was done
    assert snapshot(runs["workers"]) == snapshot(runs["single"])
    assert not (tmp_path / "no-archive-here.db").exists()


def test_a_writer_killed_mid_batch_loses_nothing(site, single, redis_server, tmp_path):
    db = tmp_path / "archive.db"
    crawl = worker(site, redis_server, tmp_path / "none.db")
    client = redis_server.client()
    wait_for(lambda: client.xlen("archive:items") >= PAGES, every=0.1)   # the worker has (nearly) all
    first = writer(redis_server, db, "-s", "ARCHIVE_BATCH_SIZE=10")
    wait_for(lambda: client.exists("archive:items") and client.xinfo_groups("archive:items")
             and client.xpending("archive:items", "writers")["pending"])
    first.send_signal(signal.SIGKILL)
    first.communicate()
    assert client.xpending("archive:items", "writers")["pending"]   # read, not stored: claimed below
    second = finish(writer(redis_server, db, "--until-done"))
    assert second["status"] == "finished"
    assert finish(crawl)["finish_reason"] == "finished"
    assert snapshot(db) == snapshot(single)
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_worker_killed_any_time_leaves_nothing_unarchived(seed, site, single, redis_server, tmp_path):
    """kill -9 while it holds leases: they run out (2 s here) and the other worker does their pages."""
    db = tmp_path / "archive.db"
    store = writer(redis_server, db, "--until-done")
    doomed = worker(site, redis_server, db, "-s", "ARCHIVE_REDIS_LEASE=2")
    client = redis_server.client()
    wait_for(lambda: client.get("archive:seeded") == b"done" and client.zcard("archive:leased"))
    time.sleep(random.Random(seed).uniform(0, 0.5))
    doomed.send_signal(signal.SIGKILL)
    doomed.communicate()
    assert finish(worker(site, redis_server, db, "-s", "ARCHIVE_REDIS_LEASE=2"))["finish_reason"] == "finished"
    assert finish(store)["status"] == "finished"
    got, want = snapshot(db), snapshot(single)
    for part in want:   # failures included: none
        assert got[part] == want[part], part
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}


def test_a_worker_on_an_empty_queue_waits_for_a_lease_held_elsewhere(site, single, redis_server, tmp_path):
    """Another worker holds the only request (the home page) and dies: this one, started on an empty
    queue, waits rather than finish, and crawls the site once the lease runs out."""
    client = redis_server.client()
    client.set("archive:seeded", "done")
    home = serializer.dumps(scrapy.Request(site).to_dict())
    client.zadd("archive:leased", {1: int(client.time()[0] * 1000) + 6000})
    client.hset("archive:lease_requests", 1, home)
    client.set("archive:lease_ids", 1)
    db = tmp_path / "archive.db"
    store = writer(redis_server, db, "--until-done")
    assert finish(worker(site, redis_server, db, "-s", "ARCHIVE_REDIS_LEASE=4"))["finish_reason"] == "finished"
    assert finish(store)["status"] == "finished"
    listed = {url for url, *_ in snapshot(single)["articles"]}
    assert {url for url, *_ in snapshot(db)["articles"]} == listed


def test_workers_stop_when_the_seeding_worker_died_before_it_was_done(site, redis_server, tmp_path):
    """The worker handing the start requests over died (its "seeding" lease, renewed here until the other
    has started, runs out 2 s later): the other stops, saying why, instead of waiting for ever."""
    client = redis_server.client()
    client.set("archive:seeded", "seeding", px=2000)
    crawl = worker(site, redis_server, tmp_path / "archive.db")
    wait_for(lambda: client.pexpire("archive:seeded", 2000) and client.exists("archive:run"), every=0.2)
    out, err = crawl.communicate(timeout=120)
    assert crawl.returncode != 0 and json.loads(out)["finish_reason"] == "seeding_lost"
    assert "start the run again" in err


def test_a_worker_takes_no_requests_while_the_writers_backlog_is_over_the_cap(site, single, redis_server, tmp_path):
    """Three items wait for a writer, the cap is two: the start requests are queued, none is fetched, until
    the backlog is gone; then the site is crawled as usual."""
    client = redis_server.client()
    for _ in range(3):
        client.xadd("archive:items", {"item": b"waiting"})
    db = tmp_path / "archive.db"
    crawl = worker(site, redis_server, db, "-s", "ARCHIVE_REDIS_BACKLOG=2")
    wait_for(lambda: client.get("archive:seeded") == b"done", every=0.2)
    time.sleep(2)
    assert client.zcard("archive:leased") == 0 and client.zcard("archive:requests") > 0
    client.delete("archive:items")
    store = writer(redis_server, db, "--until-done")
    assert finish(crawl)["finish_reason"] == "finished"
    assert finish(store)["status"] == "finished"
    assert [url for url, *_ in snapshot(db)["articles"]] == [url for url, *_ in snapshot(single)["articles"]]


def test_a_redis_restart_mid_crawl_is_ridden_out(site, single, redis_server, tmp_path):
    """Redis away for 5 seconds (kept on disk, as a Redis that persists): workers and writer retry."""
    db = tmp_path / "archive.db"
    crawl = archive("crawl", site, "--redis", redis_server.url, "--workers", "2", "--db", str(db))
    client = redis_server.client()
    wait_for(lambda: seen_count(client, "archive:seen") >= 10)
    redis_server.stop(keep=True)
    time.sleep(5)
    redis_server.start()
    out, err = crawl.communicate(timeout=120)
    run = json.loads(out)
    assert run["status"] == "finished" and run["workers"] == [0, 0], err[-3000:]
    assert "Redis unreachable" in err and "retrying" in err   # said so in the log
    assert snapshot(db) == snapshot(single)
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}


def test_stopping_one_worker_leaves_the_shared_state_intact(site, single, redis_server, tmp_path):
    """Ctrl-C on a worker mid-crawl (Scrapy's graceful stop): the run's frontier and seen set stay in Redis
    for the others, so the next worker fetches only what the first did not, and the archive is whole."""
    db = tmp_path / "archive.db"
    store = writer(redis_server, db, "--until-done")
    client = redis_server.client()
    stopped = worker(site, redis_server, db, "-s", "DOWNLOAD_DELAY=0.1")   # slow enough to stop mid-crawl
    wait_for(lambda: client.get("archive:seeded") == b"done" and seen_count(client, "archive:seen") >= 20)
    stopped.send_signal(signal.SIGINT)
    out, err = stopped.communicate(timeout=120)
    first = json.loads(out)
    assert first["finish_reason"] == "shutdown", err[-3000:]
    assert seen_count(client, "archive:seen") >= first["pages"]   # what it scheduled is still known as seen
    assert client.zcard("archive:requests") > 0   # and what it left is still queued for the others
    second = finish(worker(site, redis_server, db))
    assert finish(store)["status"] == "finished"
    with sqlite3.connect(single) as conn:
        fetched_alone = conn.execute("SELECT fetched FROM crawl_runs").fetchone()[0]
    assert first["pages"] + second["pages"] <= fetched_alone + 1   # nothing fetched twice (but robots.txt)
    assert snapshot(db) == snapshot(single)
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}


def test_an_entry_the_writer_cannot_read_is_set_aside_and_the_run_goes_on(site, single, redis_server, tmp_path):
    """Bytes that are no entry, and an entry of a type this version does not know (a newer worker's): each
    is kept in KEY:unstored with its error, acknowledged, and the rest of the run is archived as usual."""
    client = redis_server.client()
    unknown = zstandard.ZstdCompressor().compress(msgpack.packb({"type": "mystery", "url": site}))
    for item in (b"not an entry", unknown):
        client.xadd("archive:items", {"item": item})
    db = tmp_path / "archive.db"
    store = writer(redis_server, db, "--until-done")
    assert finish(worker(site, redis_server, db))["finish_reason"] == "finished"
    out, err = store.communicate(timeout=120)
    assert store.returncode == 0 and json.loads(out)["status"] == "finished", err[-3000:]
    assert "2 stream entries could not be stored: set aside in archive:unstored" in err
    assert snapshot(db) == snapshot(single)
    set_aside = [fields for _, fields in client.xrange("archive:unstored")]
    assert [fields[b"item"] for fields in set_aside] == [b"not an entry", unknown]
    assert b"mystery" in set_aside[1][b"error"]
    assert pending(redis_server) == {"stream": 0, "unacknowledged": 0, "leased": 0, "queued": 0}
