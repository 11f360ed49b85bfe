#!/usr/bin/env python3
"""`archive import` throughput on a WARC of a generated site, beside news-please's commoncrawl extraction.

    make bench-peers   # once: news-please in .venv-news-please
    .venv/bin/python benchmarks/import_bench.py [--pages 2000] [--non-html 700]
        [--news-please PYTHON] [--peer-records N] [--no-crawl]

Makes a site with the shared generator (else the demo site), writes it as a
WARC (benchmarks/warc_maker.py: gzip per record, gzip and chunked payloads,
non-HTML and revisit records; at least 5,000 records), and times:

- `archive import` of the whole file: records per CPU-second and per wall second;
- an import of the same file with a --match no record satisfies: records
  skipped per second (in process, start-up excluded);
- news-please's commoncrawl extraction of the same file (its per-record
  warcio read and extraction, called on the local file), as the baseline,
  from the venv `make bench-peers` makes (or `--news-please PYTHON`); it
  takes ~0.1 CPU s a record, so on a loaded machine `--peer-records N` runs
  it, and the import again, on the file's first N records only; its own
  counts are printed beside it (it tries every response, images and scripts
  too, and fails on those and on pages with NUL bytes: about 1 in 9 here;
  many more means a broken install, whose cheap failures flatter its rate);
- and whether the import holds the same articles (URLs, content hashes) as
  `archive crawl` of the same site served on 127.0.0.1.

Also the reader choice: FastWARC and warcio iterating the file once.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

from crawl_bench import generated_site, static_server, timed_crawl
from warc_maker import make_warc

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
NEWS_PLEASE_PYTHON = REPO / ".venv-news-please" / "bin" / "python"

# news-please's commoncrawl mode on one local file: its private per-file method, which reads
# every record with warcio and extracts each HTML one before its filters (as it does per download).
NEWS_PLEASE = """
import json, sys, logging
from newsplease.crawler import commoncrawl_crawler  # first: the two modules import each other
from newsplease.crawler.commoncrawl_extractor import CommonCrawlExtractor
x = CommonCrawlExtractor()
def on_article(article): pass
x._CommonCrawlExtractor__filter_valid_hosts = []
x._CommonCrawlExtractor__filter_start_date = None
x._CommonCrawlExtractor__filter_end_date = None
x._CommonCrawlExtractor__filter_strict_date = False
x._CommonCrawlExtractor__reuse_previously_downloaded_files = True
x._CommonCrawlExtractor__continue_after_error = True
x._CommonCrawlExtractor__ignore_unicode_errors = True
x._CommonCrawlExtractor__fetch_images = False
x._CommonCrawlExtractor__callback_on_article_extracted = on_article
def on_completed(path, passed, discarded, errors, responses):
    with open(sys.argv[2], "w") as out:
        json.dump({"passed": passed, "discarded": discarded, "errors": errors, "responses": responses}, out)
x._CommonCrawlExtractor__callback_on_warc_completed = on_completed
x._CommonCrawlExtractor__warc_path = sys.argv[1]
x._CommonCrawlExtractor__show_download_progress = False
x._CommonCrawlExtractor__log_pathname_fully_extracted_warcs = None
x._CommonCrawlExtractor__delete_warc_after_extraction = False
x._CommonCrawlExtractor__logger = logging.getLogger("np")
logging.disable(logging.CRITICAL)
x._CommonCrawlExtractor__process_warc_gz_file(sys.argv[1])
"""


def reader_times(warc: Path) -> dict[str, float]:
    """CPU seconds to iterate every record once (headers parsed, payload skipped)."""
    from fastwarc.warc import ArchiveIterator as FastIterator
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    times = {}
    for name, iterate in (("fastwarc", lambda fh: FastIterator(fh, parse_http=True, fsspec_args=False)),
                          ("warcio", WarcioIterator)):
        start = time.process_time()
        with warc.open("rb") as fh:
            for _ in iterate(fh):
                pass
        times[name] = time.process_time() - start
    return times


def skip_run(warc: Path, db: Path) -> tuple[int, float, float]:
    """(records, wall s, CPU s) of an import whose --match no record satisfies, timed in this process."""
    from crawler.warc_import import WarcImport
    from pipelines.schema import open_archive

    with closing(open_archive(db)) as archive:
        start, cpu = time.perf_counter(), time.process_time()
        run = WarcImport(archive, match="^nothing-matches-this").run([str(warc)])
        return run["records"], time.perf_counter() - start, time.process_time() - cpu


def prefix(warc: Path, count: int, out: Path) -> Path:
    """The first `count` records of a gzip-per-record WARC, as a file of their own."""
    from fastwarc.warc import ArchiveIterator

    with warc.open("rb") as fh:
        ends = [record.stream_pos for _, record in zip(range(count + 1), ArchiveIterator(fh, fsspec_args=False))]
    out.write_bytes(warc.read_bytes()[:ends[count]] if len(ends) > count else warc.read_bytes())
    return out


def articles(db: Path) -> set[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return set(conn.execute("select url, content_hash from articles"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--non-html", type=int, default=700)
    ap.add_argument("--revisits", type=int, default=300)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    ap.add_argument("--news-please", metavar="PYTHON", type=Path, default=NEWS_PLEASE_PYTHON,
                    help="a Python that can import newsplease (default: the one `make bench-peers` installs)")
    ap.add_argument("--peer-records", type=int, default=0, metavar="N",
                    help="run news-please on the first N records only (it takes ~0.1 CPU s per record); 0: all")
    ap.add_argument("--no-crawl", action="store_true", help="skip the comparison with a crawl")
    a = ap.parse_args()
    if not a.news_please.exists():
        raise SystemExit(f"news-please, the baseline, is missing ({a.news_please}): `make bench-peers` installs it")

    with generated_site("import-bench-", a.site_generator, a.pages) as (work, site, port):
        base = f"http://127.0.0.1:{port}"
        warc = work / "site.warc.gz"
        records = make_warc(site, base, warc, non_html=a.non_html, revisits=a.revisits)
        print(f"WARC: {records} records, {warc.stat().st_size / 1e6:.1f} MB, {a.pages} articles")
        readers = reader_times(warc)
        print(f"readers: fastwarc {readers['fastwarc']:.2f} CPU s, warcio {readers['warcio']:.2f} CPU s "
              f"(warcio/fastwarc {readers['warcio'] / readers['fastwarc']:.1f}x)")

        db = work / "import.db"
        ours = timed_crawl([sys.executable, "-m", "crawler.cli", "import", str(warc), "--db", str(db)], REPO)
        ours_rate = records / ours["cpu"]
        print(f"ours: {ours_rate:.1f} records per CPU-second, {records / ours['wall']:.1f} per wall second "
              f"({ours['cpu']:.1f} CPU s, {ours['wall']:.1f} s, peak memory {ours['rss_mb']:.0f} MB, "
              f"{len(articles(db))} articles)")
        skipped, skip_wall, skip_cpu = skip_run(warc, work / "skip.db")
        print(f"skipping: {skipped / skip_wall:.0f} non-matching records per second "
              f"({skipped / skip_cpu:.0f} per CPU-second; --match that no URL matches, in process, start-up excluded)")

        sample = warc if not a.peer_records else prefix(warc, a.peer_records, work / "prefix.warc.gz")
        sampled = a.peer_records or records
        counts = work / "news-please-counts.json"
        peer = timed_crawl([str(a.news_please), "-c", NEWS_PLEASE, str(sample), str(counts)], work)
        peer_rate = sampled / peer["cpu"]
        done = json.loads(counts.read_text())
        print(f"news-please extracted {done['passed']} of {done['responses']} responses "
              f"({done['errors']} failed, {done['discarded']} discarded)")
        if done["errors"] > done["responses"] / 4:   # healthy, it fails only on images, scripts and NUL bytes
            print("WARNING: news-please failed on more than a quarter of the responses: its install is likely "
                  "incomplete (`make bench-peers`), and a page it fails on costs it less than one it extracts")
        if a.peer_records:   # the first records are all pages, the cheap ones come last: compare like with like
            ours_sample = timed_crawl([sys.executable, "-m", "crawler.cli", "import", str(sample),
                                       "--db", str(work / "sample.db")], REPO)
            ours_rate = sampled / ours_sample["cpu"]
            print(f"ours on the first {sampled} records: {ours_rate:.1f} records per CPU-second, "
                  f"{sampled / ours_sample['wall']:.1f} per wall second")
        print(f"news-please commoncrawl ({'the first %d records' % sampled if a.peer_records else 'whole file'}): "
              f"{peer_rate:.1f} records per CPU-second, {sampled / peer['wall']:.1f} per wall second "
              f"({peer['cpu']:.1f} CPU s); ratio ours/news-please per CPU-second {ours_rate / peer_rate:.1f}")

        if not a.no_crawl:
            crawl_db = work / "crawl.db"
            with static_server(site, port, work):
                timed_crawl([sys.executable, "-m", "crawler.cli", "crawl", base + "/", "--db", str(crawl_db)], REPO)
            imported, crawled = articles(db), articles(crawl_db)
            print(f"import vs crawl of the same site: {len(imported)} vs {len(crawled)} articles, "
                  f"{len(imported & crawled)} with the same URL and content hash, "
                  f"{'equal' if imported == crawled else 'DIFFERENT'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
