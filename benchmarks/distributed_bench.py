#!/usr/bin/env python3
"""A distributed crawl (workers + one writer through Redis) beside a single-process crawl of the same site.

    .venv/bin/python benchmarks/distributed_bench.py [--pages 10000] [--site-generator PATH] [--trace]

Generates a site (the shared benchmark generator when it is there, else the
demo site), serves it on 127.0.0.1 (nginx when installed), starts a private
redis-server, then crawls the site three times: one process (`archive
crawl`, the baseline), one worker and the writer, two workers and the
writer (`archive crawl --redis` and `archive write --redis --until-done`
as separate processes, so each one's CPU is its own). WARC capture is off
in the baseline too: workers do not capture yet, and the comparison is of
like with like. Prints, each beside the baseline of the same run:

- worker CPU per fetched page (the baseline's: its whole process tree);
- writer items per CPU-second, against a worker's pages per CPU-second, and
  so how many workers one writer keeps up with;
- Redis commands and network bytes per fetched page (INFO stats: bytes
  in to Redis plus out of it, so an item stream entry counts twice, as
  the worker's XADD and the writer's XREADGROUP; each half is printed too), and
  leases per fetched page (a request leased again after its lease ran out
  costs a second pass through Redis);
- Redis memory per seen URL (MEMORY USAGE of the seen set / the URLs in it),
  and per archived article of what the writer publishes for incremental runs;
- wall-clock pages/s of 1 and 2 workers (start-up included);
- with --trace, where the Redis bytes go: each command and key pattern's
  commands and bytes per page (the clients talk through a counting proxy,
  redis_trace.py), and the commands that scripts run, as INFO counts them.

CPU is measured with wait4 (a process and the children it waited for);
start-up (imports) is included everywhere. On a machine of 2 cores, two
workers, the writer and the web server share them: the wall-clock ratio
of 2 workers to 1 says what is left, not what more machines would give.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import redis

from crawler.distributed.seen import seen_count
from crawl_bench import SHARED_BENCH, free_port, generated_site, static_server
from redis_trace import TraceProxy

REPO = Path(__file__).resolve().parents[1]
ARCHIVE = [sys.executable, "-m", "crawler.cli"]
NO_WARC = ["-s", "ARCHIVE_WARC=false"]


@contextlib.contextmanager
def redis_server(work: Path):
    """A private redis-server on 127.0.0.1 and a free port that keeps nothing on disk."""
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--dir", str(work)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    for _ in range(200):
        with contextlib.suppress(redis.ConnectionError):
            client.ping()
            break
        time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        proc.terminate()
        proc.wait()


def run_all(commands: list[list[str]]) -> tuple[float, list[tuple[float, str]]]:
    """Start every command at once; wall time until the last ends, and each one's (CPU seconds, stdout)."""
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
             for cmd in commands]
    results = []
    for proc in procs:
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(proc.args)}")
        results.append((usage.ru_utime + usage.ru_stime, out))
    return time.perf_counter() - start, results


def count(db: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


def distributed(base: str, url: str, client: redis.Redis, workers: int, db: Path, trace: TraceProxy | None) -> dict:
    """A fresh run: the writer and `workers` workers started together, each one's cost; through `trace`'s
    proxy when given."""
    client.flushall()
    client.config_resetstat()
    if trace:
        trace.reset()
        url = trace.url
    writer = [*ARCHIVE, "write", "--redis", url, "--db", str(db), "--until-done"]
    worker = [*ARCHIVE, "crawl", base + "/", "--redis", url, "--db", str(db), *NO_WARC]
    wall, results = run_all([writer] + [worker] * workers)
    (writer_cpu, writer_out), *worker_results = results
    stats = client.info("stats")
    seen = seen_count(client, "archive:seen")
    pages = sum(json.loads(out)["pages"] for _, out in worker_results)
    if trace:
        print(f"{workers} worker(s), Redis per fetched page:\n{trace.report(pages)}", flush=True)
        calls = {name.removeprefix("cmdstat_"): stat["calls"] for name, stat in client.info("commandstats").items()}
        print("commands per fetched page, a script's own counted (INFO commandstats): " + ", ".join(
            f"{name} {n / pages:.2f}" for name, n in sorted(calls.items(), key=lambda kv: -kv[1])), flush=True)
    return {
        "wall": wall, "writer_cpu": writer_cpu, "items": count(db, "select count(*) from articles")
        + count(db, "select count(*) from listings") + count(db, "select count(*) from failures"),
        "worker_cpu": sum(cpu for cpu, _ in worker_results),
        "pages": pages,
        "articles": count(db, "select count(*) from articles"),
        "commands": stats["total_commands_processed"],
        "leases": int(client.get("archive:lease_ids") or 0),
        "bytes_in": stats["total_net_input_bytes"], "bytes_out": stats["total_net_output_bytes"],
        "bytes": stats["total_net_input_bytes"] + stats["total_net_output_bytes"],
        "seen_bytes_per_url": client.memory_usage("archive:seen", samples=0) / max(seen, 1),
        "archived_bytes_per_article": client.memory_usage("archive:archived", samples=0)
        / max(count(db, "select count(*) from articles"), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    ap.add_argument("--trace", action="store_true", help="print where the Redis commands and bytes go")
    a = ap.parse_args()
    if not shutil.which("redis-server"):
        raise SystemExit("needs redis-server (apt-get install redis-server)")

    with generated_site("distributed-bench-", a.site_generator, a.pages) as (work, site, port):
        with static_server(site, port, work) as (base, server), redis_server(work) as (url, client), \
                TraceProxy(client.connection_pool.connection_kwargs["port"]) if a.trace else contextlib.nullcontext() as trace:
            print(f"site: {a.pages} articles, served by {server} at {base}", flush=True)
            single_db = work / "single.db"
            wall, [(cpu, out)] = run_all([[*ARCHIVE, "crawl", base + "/", "--db", str(single_db), *NO_WARC]])
            pages = json.loads(out)["fetched"]
            single = {"wall": wall, "cpu": cpu, "pages": pages, "articles": count(single_db, "select count(*) from articles")}
            print(f"single process: {single['articles']} articles, {pages} pages in {wall:.1f} s "
                  f"({pages / wall:.1f} pages/s), CPU {1000 * cpu / pages:.1f} ms/page", flush=True)
            runs = {n: distributed(base, url, client, n, work / f"workers-{n}.db", trace) for n in (1, 2)}

    one, two = runs[1], runs[2]
    worker_ms = 1000 * one["worker_cpu"] / one["pages"]
    single_ms = 1000 * single["cpu"] / single["pages"]
    writer_rate = one["items"] / one["writer_cpu"]
    worker_rate = one["pages"] / one["worker_cpu"]
    for n, run in runs.items():
        print(f"{n} worker(s) + writer: {run['articles']} articles, {run['pages']} pages in {run['wall']:.1f} s "
              f"({run['pages'] / run['wall']:.1f} pages/s); workers CPU {1000 * run['worker_cpu'] / run['pages']:.1f}"
              f" ms/page, writer CPU {run['writer_cpu']:.1f} s for {run['items']} items; "
              f"Redis {run['commands'] / run['pages']:.1f} commands and {run['bytes'] / run['pages'] / 1024:.1f} KB "
              f"per page ({run['bytes_in'] / run['pages'] / 1024:.1f} in + {run['bytes_out'] / run['pages'] / 1024:.1f} "
              f"out), {run['leases'] / run['pages']:.2f} leases per page, "
              f"{run['seen_bytes_per_url']:.1f} bytes per seen URL, "
              f"{run['archived_bytes_per_article']:.0f} bytes per archived article published for the workers",
              flush=True)
    print(f"worker CPU per page / single process's: {worker_ms:.1f} / {single_ms:.1f} ms = {worker_ms / single_ms:.2f}")
    print(f"writer items per CPU-second / a worker's pages per CPU-second: {writer_rate:.0f} / {worker_rate:.0f}"
          f" = {writer_rate / worker_rate:.1f} (one writer keeps up with about {int(writer_rate / worker_rate)} workers)")
    print(f"wall-clock pages/s, 2 workers / 1 worker: {two['pages'] / two['wall']:.1f} / "
          f"{one['pages'] / one['wall']:.1f} = {(two['pages'] / two['wall']) / (one['pages'] / one['wall']):.2f}; "
          f"1 worker / single process: {(one['pages'] / one['wall']) / (single['pages'] / single['wall']):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
