#!/usr/bin/env python3
"""Precision and recall of the archive's duplicate clusters on the shared benchmark site.

    .venv/bin/python benchmarks/dedupe_bench.py [--pages 2000] [--orders 3] [--site-generator PATH]

Generates a site with the shared generator (`../shared/bench/make_site.py`,
whose `_bench/manifest.json` names every near and exact copy and its
original), serves it on 127.0.0.1 and crawls it with `archive crawl`: first
from the home page, then from every article URL in a shuffled order (one
seed per order), each into a fresh archive. Then `archive dedupe --rebuild`
on the first archive must give the same clusters.

Scored over pairs: two articles belong together when the manifest puts them
in one cluster (an original with all its copies); the archive puts them
together when they share an original (`coalesce(duplicate_of, id)`).
Precision = true pairs found / pairs found, recall = true pairs found / true
pairs. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.crawl_bench import free_port, static_server  # noqa: E402

SHARED_BENCH = REPO.parent / "shared" / "bench"


def pairs_of(groups) -> set[frozenset]:
    return {frozenset(pair) for group in groups for pair in itertools.combinations(sorted(group), 2)}


def true_pairs(manifest: dict) -> set[frozenset]:
    clusters = defaultdict(set)
    for article in manifest["articles"]:
        original = article["near_dup_of"] or article["exact_dup_of"]
        if original:
            clusters[original] |= {original, article["path"]}
    return pairs_of(clusters.values())


def archive_pairs(db: Path) -> set[frozenset]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT url, coalesce(duplicate_of, id) FROM articles").fetchall()
    clusters = defaultdict(set)
    for url, original in rows:
        clusters[original].add(urlsplit(url).path)
    return pairs_of(clusters.values())


def score(found: set, truth: set) -> str:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return (f"precision {precision:.4f} recall {recall:.4f} "
            f"({hits} of {len(truth)} true pairs, {len(found) - hits} false)")


def archive(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=REPO,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"failed: archive {' '.join(args)}")
    return result.stdout


def count_articles(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--orders", type=int, default=3, help="crawl orders: home page first, then shuffled")
    ap.add_argument("--seed", type=int, default=1, help="site seed")
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()
    if not a.site_generator.exists():
        raise SystemExit(f"no site generator at {a.site_generator} (give --site-generator PATH)")

    with tempfile.TemporaryDirectory(prefix="dedupe-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # nginx workers run as an unprivileged user
        port = free_port()
        site = work / "site"
        subprocess.run([sys.executable, str(a.site_generator), "--pages", str(a.pages), "--out", str(site),
                        "--seed", str(a.seed), "--base-url", f"http://127.0.0.1:{port}"], check=True)
        manifest = json.loads((site / "_bench" / "manifest.json").read_text("utf-8"))
        truth = true_pairs(manifest)
        paths = [article["path"] for article in manifest["articles"]]
        print(f"site: {a.pages} articles, {manifest['near_duplicates']} near and "
              f"{manifest['exact_duplicates']} exact copies, {len(truth)} true pairs")
        with static_server(site, port, work) as (base, server):
            for order in range(a.orders):
                db = work / f"order-{order}.db"
                if order == 0:
                    label, starts = "home page first", [base + "/"]
                else:
                    shuffled = random.Random(order).sample(paths, len(paths))
                    label, starts = f"shuffled (seed {order})", [base + path for path in shuffled]
                started = time.perf_counter()
                archive("crawl", *starts, "--db", str(db))
                took = time.perf_counter() - started
                print(f"crawl {label}: {count_articles(db)} articles in {took:.1f} s; "
                      f"{score(archive_pairs(db), truth)}", flush=True)
        first = work / "order-0.db"
        started = time.perf_counter()
        summary = json.loads(archive("dedupe", "--rebuild", "--db", str(first)))
        took = time.perf_counter() - started
        print(f"dedupe --rebuild: {summary['fingerprinted']} articles in {took:.1f} s; "
              f"{score(archive_pairs(first), truth)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
