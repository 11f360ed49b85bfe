#!/usr/bin/env python3
"""A crawl of a site made of faults, with the DEFAULT settings: time, memory, and every URL's outcome.

    .venv/bin/python benchmarks/fault_bench.py

Serves tests/faultsite.py on 127.0.0.1 (hangs, drips, gzip bombs, 48 MB
bodies, redirect loops, traps, lying charsets, hostile markup, ...), runs
`archive crawl` on it as a user would, and prints: wall time and peak RSS
of the crawl process, each beside a baseline crawl of one healthy page of
the same site run just before (start-up and import cost) and as a ratio;
each entry URL's outcome against the expected one; and whether any
robots-disallowed path was requested (from the server's request log).
Targets: under 180 s, under 500 MB, every outcome as expected, no
disallowed request. Exits 1 when a target is missed. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from faultsite import FAULTS, outcome, serve_faults  # noqa: E402
from measure import timed  # noqa: E402

MAX_SECONDS = 180
MAX_RSS_MB = 500


def crawl(url: str, db: Path) -> tuple[float, float, int]:
    """(wall seconds, peak memory in MB of the whole process tree, exit code) of one
    `archive crawl` with default settings."""
    cost = timed([sys.executable, "-m", "crawler.cli", "crawl", url, "--db", str(db)], REPO)
    return cost.wall, cost.memory_mb, cost.returncode


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, serve_faults() as site:
        base_time, base_rss, _ = crawl(site.base + "/ok/zh.html", Path(tmp) / "baseline.db")
        site.log.clear()
        wall, rss, code = crawl(site.base + "/", Path(tmp) / "faults.db")
        db = sqlite3.connect(Path(tmp) / "faults.db")
        db.row_factory = sqlite3.Row
        articles = {row["url"][len(site.base):] for row in db.execute("select url from articles")}
        failures = {row["url"][len(site.base):]: dict(row) for row in db.execute("select * from failures")}
        db.close()
        disallowed = site.requested("/private/")
        requests = len(site.log)

    print(f"{'':24}{'baseline (1 page)':>20}{'fault site':>14}{'ratio':>8}")
    print(f"{'wall time (s)':24}{base_time:>20.1f}{wall:>14.1f}{wall / base_time:>8.1f}")
    print(f"{'peak memory (MB)':24}{base_rss:>20.0f}{rss:>14.0f}{rss / base_rss:>8.2f}")
    print(f"crawl exit code {code}; {requests} requests to the fault site; "
          f"{len(articles)} articles, {len(failures)} failures rows\n")
    wrong = 0
    for path, (expected, what) in FAULTS.items():
        got = outcome(path, articles, failures)
        wrong += got != expected
        seconds = failures.get(path, {}).get("seconds")
        spent = f"{seconds:6.1f}s" if seconds is not None else " " * 7
        print(f"{'ok ' if got == expected else 'BAD'} {path:34} {got:30} {spent}  {what}")
    print(f"\nrobots-disallowed paths requested: {disallowed or 'none'}")
    met = code == 0 and wall < MAX_SECONDS and rss < MAX_RSS_MB and not wrong and not disallowed
    print(f"targets (exit 0, < {MAX_SECONDS} s, < {MAX_RSS_MB} MB, all {len(FAULTS)} outcomes, no disallowed request): "
          f"{'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
