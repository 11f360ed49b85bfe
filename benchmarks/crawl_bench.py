#!/usr/bin/env python3
"""Crawl throughput of the full pipeline, as a ratio against a lean Scrapy spider run beside it.

    .venv/bin/python benchmarks/crawl_bench.py [--pages 2000] [--site-generator PATH] [--runs 1] [--baseline REV]
        [--peers parsel,trafilatura]

Generates a site (the shared benchmark generator when it is there, else the
project's demo site), serves it on 127.0.0.1 with nginx when installed (else
Python's threaded server, which then competes for the same cores), and runs
`archive crawl` on it; then, when the peer spider exists beside the shared
benchmark, runs it on the same site: the lean baseline (`--extract parsel`)
and, with `--peers parsel,trafilatura`, Scrapy + trafilatura too, the two
crawlers issue 15 measures against. Prints pages/s (articles stored per
second of process wall time, start-up included), CPU seconds and peak memory
(PSS of the whole process tree, worker processes included) of each, the
ratios of ours to each peer (pages/s, CPU per page), and a digest of the
archive's (URL, content hash) pairs: a change that must leave the archive as
it was keeps it. With `--baseline REV` (a commit, branch or tag, or a folder
holding a tree) each run also crawls with the code of that revision
(exported from git into a temporary folder, run with this checkout's
environment) and prints ours/baseline: a change measured against what it
changes, under the same load; the two take turns to go first (ours in odd
runs), so neither gains from the order. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import timed

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
# The peer spider's extract modes (its --extract), as the issues name the crawlers they measure.
PEERS = {"parsel": "lean", "trafilatura": "Scrapy + trafilatura"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_site(generator: Path | None, pages: int, out: Path, base: str) -> None:
    if generator and generator.exists():
        subprocess.run([sys.executable, str(generator), "--pages", str(pages), "--out", str(out),
                        "--seed", "1", "--base-url", base], check=True)
    else:
        from crawler.demosite.generate import build_site as build_demo
        build_demo(out, pages=pages, base_url=base)


@contextlib.contextmanager
def generated_site(prefix: str, generator: Path | None, pages: int):
    """(work folder, site folder, port): a generated site in a temporary folder, its links on a free port
    of 127.0.0.1, ready for static_server(site, port, work); the folder goes when the block ends."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx workers run as an unprivileged user
        port = free_port()
        build_site(generator, pages, work / "site", f"http://127.0.0.1:{port}")
        yield work, work / "site", port


@contextlib.contextmanager
def static_server(root: Path, port: int, work: Path):
    """nginx (1 worker, no access log) when installed, as the peers were measured; else Python's."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not nginx:
        from crawler.demosite.server import serve_directory
        with serve_directory(root, port=port) as base:
            yield base, "python http.server"
        return
    conf = work / "nginx.conf"
    conf.write_text(f"""worker_processes 1; daemon off; pid {work}/nginx.pid; error_log {work}/nginx.err;
events {{ worker_connections 1024; }}
http {{ access_log off; include /etc/nginx/mime.types; sendfile on; keepalive_requests 100000;
  client_body_temp_path {work}/t1; proxy_temp_path {work}/t2; fastcgi_temp_path {work}/t3;
  uwsgi_temp_path {work}/t4; scgi_temp_path {work}/t5;
  server {{ listen 127.0.0.1:{port}; root {root}; }} }}
""")
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)])
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.1):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", "nginx"
    finally:
        proc.terminate()
        proc.wait()


def timed_crawl(cmd: list[str], cwd: Path) -> dict:
    cost = timed(cmd, cwd)
    if cost.returncode != 0:
        raise SystemExit(f"failed ({cost.returncode}): {' '.join(cmd)}")
    return {"wall": cost.wall, "cpu": cost.cpu, "rss_mb": cost.memory_mb, "processes": cost.processes,
            "process_memory_mb": cost.process_memory_mb}


@contextlib.contextmanager
def exported(rev: str | None):
    """The tree of git revision `rev` in a temporary folder (None: no folder; a folder: itself)."""
    if not rev or Path(rev).is_dir():
        yield rev and Path(rev)
        return
    with tempfile.TemporaryDirectory(prefix="crawl-bench-baseline-") as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        yield Path(tmp)


def crawl_archive(tree: Path, base: str, db: Path, *settings: str) -> dict:
    """`archive crawl` of the code in `tree` (its own modules first on the path), with its figures."""
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", base + "/", "--db", str(db)]
    cost = timed_crawl(cmd + [arg for setting in settings for arg in ("-s", setting)], tree)
    cost["pages"] = count(db, "select count(*) from articles")
    cost["digest"] = archive_digest(db, base)
    return cost


def figures(cost: dict) -> str:
    return (f"{cost['pages'] / cost['wall']:.1f} pages/s ({cost['pages']} articles in {cost['wall']:.1f} s, "
            f"CPU {cost['cpu']:.1f} s = {1000 * cost['cpu'] / max(cost['pages'], 1):.1f} ms/page "
            f"({per_process(cost)}), "
            f"peak memory {cost['rss_mb']:.0f} MB ({memory_per_process(cost)}), archive {cost['digest']})")


def per_process(cost: dict) -> str:
    """CPU ms per page of each kind of process: "main 7.0 + worker 11.2"."""
    return " + ".join(f"{name} {1000 * seconds / max(cost['pages'], 1):.1f}"
                      for name, seconds in sorted(cost["processes"].items(), key=lambda kv: -kv[1]))


def memory_per_process(cost: dict) -> str:
    """Peak memory of each kind of process, each at its own peak: "main 160 MB, worker 120 MB"."""
    return ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(cost["process_memory_mb"].items(), key=lambda kv: -kv[1])
                     if mb >= 1)


def count(db: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


def archive_digest(db: Path, base: str) -> str:
    """What the crawl archived, in 12 hex digits: equal for equal sets of (URL, content hash).
    URLs count from the site's `base`, so crawls of one site served on another port compare."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        pairs = conn.execute("select url, content_hash from articles order by url").fetchall()
    return hashlib.sha256("\n".join(f"{url.removeprefix(base)} {h}" for url, h in pairs).encode()).hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    ap.add_argument("--lean", type=Path, default=SHARED_BENCH / "peers" / "lean_spider.py")
    ap.add_argument("--peers", default="parsel", help="the peer spider's extract modes to run beside ours, "
                    "comma-separated: parsel (the lean baseline), trafilatura (Scrapy + trafilatura)")
    ap.add_argument("--runs", type=int, default=1, help="repeat both crawls and report each")
    ap.add_argument("--warc", action="store_true",
                    help="also crawl with ARCHIVE_WARC=false and print what writing WARC captures costs")
    ap.add_argument("--baseline", metavar="REV", help="also crawl with the code of this git revision")
    a = ap.parse_args()

    with generated_site("crawl-bench-", a.site_generator, a.pages) as (work, site, port), \
            exported(a.baseline) as baseline_tree:
        with static_server(site, port, work) as (base, server):
            print(f"site: {a.pages} articles, served by {server} at {base}")
            trees = {"ours": REPO, "baseline": baseline_tree} if baseline_tree else {"ours": REPO}
            for run in range(1, a.runs + 1):
                order = list(trees) if run % 2 else list(trees)[::-1]   # taking turns to go first
                cost = {name: crawl_archive(trees[name], base, work / f"{name}-{run}.db") for name in order}
                ours, old = cost["ours"], cost.get("baseline")
                print(f"run {run}: ours {figures(ours)}", flush=True)
                if old:
                    print(f"run {run}: baseline {a.baseline} {figures(old)}; ours/baseline: pages/s "
                          f"{(ours['pages'] / ours['wall']) / (old['pages'] / old['wall']):.2f}, "
                          f"CPU per page {(ours['cpu'] / ours['pages']) / (old['cpu'] / old['pages']):.2f}, "
                          f"peak memory {ours['rss_mb'] / old['rss_mb']:.2f}, archive "
                          f"{'identical' if ours['digest'] == old['digest'] else 'DIFFERENT'}", flush=True)
                for extract in a.peers.split(",") if a.lean.exists() else ():
                    peer_db = work / f"peer-{extract}-{run}.db"
                    peer = timed_crawl([sys.executable, str(a.lean), "--start", base + "/", "--db", str(peer_db),
                                        "--extract", extract, "--log-level", "WARNING"], work)
                    peer["pages"] = count(peer_db, "select count(*) from pages")
                    print(f"run {run}: {PEERS[extract]} {peer['pages'] / peer['wall']:.1f} pages/s ({peer['pages']} in "
                          f"{peer['wall']:.1f} s, CPU {peer['cpu']:.1f} s = "
                          f"{1000 * peer['cpu'] / max(peer['pages'], 1):.1f} ms/page, peak memory "
                          f"{peer['rss_mb']:.0f} MB); ours/{PEERS[extract]}: pages/s "
                          f"{(ours['pages'] / ours['wall']) / (peer['pages'] / peer['wall']):.2f}, CPU per page "
                          f"{(ours['cpu'] / ours['pages']) / (peer['cpu'] / peer['pages']):.2f}", flush=True)
                if a.warc:
                    bare = crawl_archive(REPO, base, work / f"nowarc-{run}.db", "ARCHIVE_WARC=false")
                    with_warc, without = ours["pages"] / ours["wall"], bare["pages"] / bare["wall"]
                    warc_mb = sum(p.stat().st_size for p in (work / f"ours-{run}-warc").glob("*.warc.gz")) / 1e6
                    print(f"run {run}: without WARC captures {without:.1f} pages/s (CPU {bare['cpu']:.1f} s); "
                          f"with them {with_warc:.1f} pages/s (CPU {ours['cpu']:.1f} s, {warc_mb:.1f} MB of WARC); "
                          f"throughput cost {100 * (1 - with_warc / without):.1f}%, "
                          f"CPU cost {100 * (ours['cpu'] / bare['cpu'] - 1):.1f}%", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
