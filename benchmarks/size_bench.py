#!/usr/bin/env python3
"""Archive size per article and per byte of archived HTML: a baseline revision against this checkout.

    .venv/bin/python benchmarks/size_bench.py [--pages 1000] [--baseline REV] [--site-generator PATH]

Generates a site and serves it on 127.0.0.1 (as crawl_bench does), then
crawls it twice into fresh archives: with the code of REV (default: where
this branch left main), exported by `git archive` and run from a temporary
folder, and with this checkout. For each it prints the archive's bytes per
article and per byte of the HTML it holds (the fetched pages, which the
archive keeps as raw pages), and where the bytes go: SQLite's dbstat per
table, its indexes beside it. Then it checks that Chinese and English
searches answer the same in both archives: the same articles with the same
rank and the same snippet. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawl_bench import SHARED_BENCH, generated_site, static_server, timed_crawl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from pipelines import search  # noqa: E402  (the checkout's search functions judge both archives)

# Searches compared between the archives: Chinese terms of one to several
# characters, English words and names, mixed, quoted phrases, none found.
QUERIES = (
    "缓存", "数据库 索引", "分布式", "池", "的", "线程安全", '"消息队列"', "Redis", "python",
    "Kubernetes 部署", "HTTP/2", "Node.js", "cache handler", "Redis 缓存 优化", "不存在的词汇组合",
)

# Every match of a search, as the canned `search` query ranks it, with its snippet.
_MATCHES = """
select a.url, round(articles_fts.rank, 6), search_snippet(a.body_text, :q)
from articles_fts join articles as a on a.id = articles_fts.rowid
where articles_fts match search_match(:q)
order by articles_fts.rank, a.url
"""


def baseline_revision() -> str:
    return subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()


def export(revision: str, into: Path) -> Path:
    """The tree of `revision`, unpacked into `into` (imports there resolve to it, not to this checkout)."""
    into.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=REPO, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def crawl(code: Path, base: str, db: Path) -> None:
    timed_crawl([sys.executable, "-m", "crawler.cli", "crawl", base + "/", "--db", str(db),
                 "-s", "ARCHIVE_WARC=false"], code)


def html_bytes(db: Path, site: Path) -> int:
    """Bytes of the pages the archive holds, as served (the generated files of its articles)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        urls = [url for url, in conn.execute("select url from articles")]
    return sum((site / urlsplit(url).path.lstrip("/")).stat().st_size for url in urls)


def breakdown(db: Path) -> dict[str, tuple[int, int]]:
    """Table -> (bytes of its own pages, bytes of its indexes), from dbstat."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        owner = dict(conn.execute("select name, tbl_name from sqlite_master where type in ('table', 'index')"))
        sizes: dict[str, list[int]] = {}
        for name, size in conn.execute("select name, sum(pgsize) from dbstat group by name"):
            table = owner.get(name, name)
            sizes.setdefault(table, [0, 0])[name != table] += size
    return {table: (own, indexes) for table, (own, indexes) in sizes.items()}


def search_answers(db: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.create_function("search_match", 1, search.match_expression, deterministic=True)
        conn.create_function("search_snippet", 2, search.snippet, deterministic=True)
        return {q: conn.execute(_MATCHES, {"q": q}).fetchall() for q in QUERIES}


def archive_figures(db: Path, site: Path) -> dict:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    return {"bytes": db.stat().st_size, "articles": articles, "html": html_bytes(db, site),
            "tables": breakdown(db)}


def report(label: str, fig: dict) -> None:
    print(f"{label}: {fig['bytes'] / 1e6:.1f} MB for {fig['articles']} articles: "
          f"{fig['bytes'] / fig['articles'] / 1024:.1f} KiB per article, "
          f"{fig['bytes'] / fig['html']:.2f} bytes per byte of HTML ({fig['html'] / 1e6:.1f} MB held)")


def table_of_bytes(figures: dict[str, dict]) -> None:
    """Per table: bytes per article of its pages and of its indexes, each archive side by side."""
    labels = list(figures)
    tables = sorted({t for fig in figures.values() for t in fig["tables"]},
                    key=lambda t: -max(sum(fig["tables"].get(t, (0, 0))) for fig in figures.values()))
    print(f"\n{'KiB per article':<28}" + "".join(f"{label + ' table':>18}{'+ indexes':>11}" for label in labels))
    for table in tables:
        cells = []
        for fig in figures.values():
            own, indexes = fig["tables"].get(table, (0, 0))
            cells.append(f"{own / fig['articles'] / 1024:>18.2f}{indexes / fig['articles'] / 1024:>11.2f}")
        print(f"{table:<28}" + "".join(cells))


def compare_searches(before: dict, after: dict) -> bool:
    same = True
    for q in QUERIES:
        if before[q] != after[q]:
            same = False
            print(f"search {q!r}: {len(before[q])} matches before, {len(after[q])} after, DIFFERENT")
    print(f"\nsearch: {len(QUERIES)} queries, {sum(len(v) for v in after.values())} matches, "
          + ("identical (articles, rank, snippet)" if same else "NOT identical"))
    return same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--baseline", help="git revision to compare with (default: the merge base with main)")
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()
    revision = a.baseline or baseline_revision()

    with generated_site("size-bench-", a.site_generator, a.pages) as (work, site, port):
        baseline_code = export(revision, work / "baseline")
        with static_server(site, port, work) as (base, server):
            print(f"site: {a.pages} articles, served by {server} at {base}; baseline {revision[:10]}", flush=True)
            crawl(baseline_code, base, work / "baseline.db")
            crawl(REPO, base, work / "current.db")
        figures = {"baseline": archive_figures(work / "baseline.db", site),
                   "current": archive_figures(work / "current.db", site)}
        for label, fig in figures.items():
            report(label, fig)
        print(f"current/baseline: {figures['current']['bytes'] / figures['baseline']['bytes']:.2f}")
        table_of_bytes(figures)
        same = compare_searches(search_answers(work / "baseline.db"), search_answers(work / "current.db"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
