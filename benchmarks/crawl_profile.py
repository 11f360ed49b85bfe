#!/usr/bin/env python3
"""Where a crawl's CPU goes: milliseconds per page in each stage, as a table.

    .venv/bin/python benchmarks/crawl_profile.py [--pages 2000] [--top 0]

Serves the benchmark site as benchmarks/crawl_bench.py does, then crawls it
twice: once as users run it (analysis in its worker process), timed over the
whole process tree; once with EXTRACT_PROCESSES=0 under cProfile, so every
stage runs in one process and one profile sees it. A stage is the
cumulative time of its entry points (STAGES); "Scrapy and the rest" is what
no stage claims (engine, downloader, scheduler, Twisted, start-up). The
profiler inflates every figure alike, so the table gives each stage's share
of the profiled total and scales it to the unprofiled in-process CPU; the
first run's tree CPU minus that in-process CPU is what the worker hand-off
costs (pickling pages and items, the second interpreter's start-up), and
the first run's CPU is also given per process (the crawl's main process,
its analysis workers): with two cores, the busier of the two bounds pages/s.
`--top N` also prints the N functions with the most own time, `--keep
FILE` keeps the profile for pstats or snakeviz.
"""
from __future__ import annotations

import argparse
import pstats
import shutil
import sys
from pathlib import Path

from crawl_bench import REPO, SHARED_BENCH, count, generated_site, static_server, timed_crawl

# (stage, entry points: (path suffix of the file, function name)); a stage
# indented with "  of which" is a part of the stage above it, not added to the sum.
STAGES = (
    ("page analysis (parse, classify, extract, prepare)", (("crawler/analysis.py", "analyse"),)),
    ("  of which analyse_page", (("crawler/extract/article.py", "analyse_page"),)),
    ("  of which the article prepared (normalize, hash, MinHash, search index values)",
     (("pipelines/normalize.py", "normalize_article"), ("pipelines/dedupe.py", "fingerprints"),
      ("pipelines/search.py", "prepared_values"))),
    ("response decoding (response.text; the worker's page_text)",
     (("scrapy/http/response/text.py", "text"), ("crawler/workers.py", "page_text"))),
    ("spider middlewares (content, traps, incremental)",
     (("crawler/middlewares/content.py", "process_spider_input"),
      ("crawler/middlewares/traps.py", "_survey"),
      ("crawler/middlewares/traps.py", "get_processed_request"),
      ("crawler/middlewares/incremental.py", "get_processed_request"))),
    ("downloader middlewares (encoding, redirect, retry, compression, offsite)",
     (("crawler/middlewares/encoding.py", "process_response"),
      ("crawler/middlewares/redirect.py", "process_response"),
      ("crawler/middlewares/retry.py", "process_response"),
      ("crawler/middlewares/compression.py", "process_response"),
      ("crawler/middlewares/offsite.py", "process_request"))),
    ("WARC captures", (("crawler/captures.py", "process_response"), ("crawler/captures.py", "write_index"))),
    ("spider: following links", (("crawler/spiders/articles.py", "follow"),
                                 ("crawler/spiders/discovery.py", "follow_listing"))),
    ("normalize pipeline", (("pipelines/normalize.py", "process_item"),)),
    ("dedupe pipeline (content hash, MinHash)", (("pipelines/dedupe.py", "process_item"),)),
    # (StorePipeline.process_item is not a stage: the batch it fills is written inside it)
    ("store: rows built per item", (("pipelines/store.py", "_pending_article"),)),
    ("store: batch writes", (("pipelines/store.py", "flush"),)),
    ("  of which search index upkeep", (("pipelines/search.py", "index_articles"),)),
    ("  of which clusters (LSH lookups)", (("pipelines/clusters.py", "place"),)),
    ("  of which child rows (crumbs, related links, parts, raw pages)", (("pipelines/store.py", "_replace_children"),)),
    ("  of which links waiting for the batch resolved", (("pipelines/store.py", "_resolve_links_to"),)),
)


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each stage's entry points. Of the functions one entry names, the
    largest counts: `PageAnalyser.analyse` (a coroutine) only wraps the `analyse` it calls."""
    return {stage: sum(max((ct for (path, _, name), (_, _, _, ct, _) in stats.stats.items()
                            if path.endswith(suffix) and name == fn), default=0.0)
                       for suffix, fn in entries)
            for stage, entries in STAGES}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    ap.add_argument("--top", type=int, default=0, help="also print the N functions with the most own time")
    ap.add_argument("--keep", type=Path, help="copy the profile (pstats format) here")
    a = ap.parse_args()

    with generated_site("crawl-profile-", a.site_generator, a.pages) as (work, site, port):
        with static_server(site, port, work) as (base, server):
            crawl = [sys.executable, "-m", "crawler.cli", "crawl", base + "/"]
            pooled = timed_crawl(crawl + ["--db", str(work / "pooled.db")], REPO)
            inproc = timed_crawl(crawl + ["--db", str(work / "inproc.db"), "-s", "EXTRACT_PROCESSES=0"], REPO)
            prof = work / "crawl.prof"
            timed_crawl([sys.executable, "-m", "cProfile", "-o", str(prof), *crawl[1:],
                         "--db", str(work / "profiled.db"), "-s", "EXTRACT_PROCESSES=0"], REPO)
            pages = count(work / "profiled.db", "select count(*) from articles")
        stats = pstats.Stats(str(prof))
        if a.keep:
            shutil.copy(prof, a.keep)
    profiled = stats.total_tt
    scale = 1000 * inproc["cpu"] / profiled / pages   # profiled seconds -> unprofiled ms per page
    seconds = stage_seconds(stats)
    rest = profiled - sum(s for stage, s in seconds.items() if not stage.startswith(" "))
    print(f"site: {a.pages} articles served by {server}; {pages} archived; CPU ms per article page")
    print(f"{'stage':<84} {'ms/page':>8} {'share':>6}")
    for stage, s in [*seconds.items(), ("Scrapy and the rest (engine, downloader, start-up)", rest)]:
        print(f"{stage:<84} {s * scale:8.2f} {100 * s / profiled:5.1f}%")
    print(f"{'in one process (EXTRACT_PROCESSES=0), unprofiled':<84} {1000 * inproc['cpu'] / pages:8.2f}")
    print(f"{'as run (worker process), whole tree':<84} {1000 * pooled['cpu'] / pages:8.2f}")
    for name, seconds in sorted(pooled["processes"].items(), key=lambda kv: -kv[1]):
        print(f"{'  of which the ' + name + ' process':<84} {1000 * seconds / pages:8.2f}")
    print(f"{'  so the worker hand-off costs':<84} {1000 * (pooled['cpu'] - inproc['cpu']) / pages:8.2f}")
    if a.top:
        stats.sort_stats("tottime").print_stats(a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
