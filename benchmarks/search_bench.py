#!/usr/bin/env python3
"""Search latency on a 100,000-article archive, and what keeping the index costs a crawl.

    .venv/bin/python benchmarks/search_bench.py [--articles 100000] [--pages 1000] [--pairs 3]

1. Generates an archive of --articles synthetic Chinese/English articles
   through ArchiveWriter (index upkeep included), serves it with
   `archive serve`, and asks the canned `search` query over Datasette's HTTP
   JSON API: one- and two-character Chinese terms, English words, mixed and
   two-term queries. Prints p50/p95/max milliseconds, against two baselines
   measured in the same run: Datasette answering a trivial query over HTTP,
   and a LIKE scan for the same terms in SQLite.
2. Crawls a generated site (as benchmarks/crawl_bench.py does) --pairs times
   with index upkeep and --pairs times without it (the index hook replaced
   by a no-op in that process only), alternating, and prints the median
   pages/s of each and the cost of upkeep as a share of crawl throughput.
Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import itertools
import os
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

from crawl_bench import SHARED_BENCH, count, free_port, generated_site, static_server, timed_crawl  # noqa: E402

from pipelines.dedupe import content_hash  # noqa: E402
from pipelines.schema import open_archive  # noqa: E402
from pipelines.store import ArchiveWriter  # noqa: E402

# Vocabulary of the generated articles (written for this benchmark).
ZH_WORDS = ("爬虫 数据 存档 网页 文章 向量 池化 检索 索引 模型 训练 搜索 分词 中文 英文 标题 正文 "
            "面包屑 相关 推荐 链接 编码 解码 服务器 数据库 事务 批量 写入 读取 缓存 队列 调度 "
            "去重 指纹 哈希 日志 监控 报警 部署 容器 集群 节点 延迟 吞吐 性能 测试 基准 "
            "平均 最大 方法 结果 问题 原因 步骤 工具 框架 系统 用户 页面 表格 代码 函数 "
            "天气 城市 新闻 体育 音乐 电影 旅行 美食 历史 科学 教育 健康 经济 市场 公司").split()
EN_WORDS = ("crawler archive python sqlite search index vector pooling model query table page "
            "article breadcrumb related snippet token batch cache queue latency throughput "
            "cluster node deploy monitor").split()
EN_COMMON = "the of and to in is for with on that a it as was".split()
PUNCT = "，。；、"
SITES = ("blog-a", "news-b", "tech-c", "forum-d")
SECTIONS = ("news", "tech", "life", "notes")

QUERIES = ["池化", "爬虫", "向量", "缓存", "调度", "面包屑", "池", "虫", "量", "python", "crawler",
           "pooling", "Python爬虫", "池化 向量", "爬虫 缓存", "sqlite 索引", "延迟 throughput", "天气"]


def zipf(words: list[str], named: list[str], start: int, step: int) -> tuple[list[str], list[float]]:
    """Words and cumulative Zipf weights, the named words placed at ranks start, start+step, ..."""
    for i, word in enumerate(named):
        words[start + step * i] = word
    return words, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))


def vocabulary(rng: random.Random):
    """Chinese and English vocabularies: the named words spread among synthetic ones, common to rare."""
    chars = [chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(1500)]
    zh = zipf(["".join(rng.choices(chars, k=rng.choice((2, 2, 3)))) for _ in range(8000)], ZH_WORDS, 10, 40)
    letters = "abcdefghijklmnopqrstuvwxyz"
    en = zipf(EN_COMMON + ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)],
              EN_WORDS, 30, 60)
    return zh, en


def sentence(rng: random.Random, vocab) -> str:
    zh, en = vocab
    if rng.random() < 0.7:
        words = rng.choices(zh[0], cum_weights=zh[1], k=rng.randint(6, 16))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choices(en[0], cum_weights=en[1])[0].capitalize())
        return "".join(words) + rng.choice(PUNCT)
    return " ".join(rng.choices(en[0], cum_weights=en[1], k=rng.randint(6, 14))).capitalize() + ". "


def synthetic_article(rng: random.Random, vocab, n: int) -> dict:
    title = "".join(rng.choices(vocab[0][0], cum_weights=vocab[0][1], k=rng.randint(3, 6)))
    body = "".join(sentence(rng, vocab) for _ in range(rng.randint(8, 30)))
    site = rng.choice(SITES)
    return {
        "url": f"http://{site}.example/a/{n}.html", "site": site, "title": title,
        "section": rng.choice(SECTIONS), "language": "zh",
        "published_at": f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "body_text": body, "body_html": f"<p>{body}</p>", "body_markdown": body,
        "content_hash": content_hash(title, body), "breadcrumbs": [{"name": "首页", "url": None}],
        "related": [], "http_status": 200, "encoding": "utf-8", "headers": {},
        "raw_html": None, "fetched_at": "2025-06-01T00:00:00+00:00",
    }


def generate(path: Path, articles: int) -> float:
    """Write the archive through ArchiveWriter; returns seconds taken."""
    rng = random.Random(1)
    vocab = vocabulary(rng)
    db = open_archive(path)
    writer = ArchiveWriter(db, batch_size=500)
    writer.start_run(site="bench")
    start = time.perf_counter()
    for n in range(articles):
        writer.add_article(synthetic_article(rng, vocab, n))
    writer.finish_run("finished", fetched=articles)
    seconds = time.perf_counter() - start
    db.execute("PRAGMA optimize")
    db.close()
    return seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def get_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    elapsed = (time.perf_counter() - start) * 1000
    if not body.get("ok", True):
        raise SystemExit(f"query failed: {url}: {body.get('error')}")
    return elapsed


def search_latency(path: Path, rounds: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/{path.stem}"
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(path), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_ms(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("archive serve did not start")
                time.sleep(0.2)
        for q in QUERIES:   # warm the page cache once
            get_ms(f"{base}/search.json?_shape=objects&q={urllib.parse.quote(q)}")
        search = [get_ms(f"{base}/search.json?_shape=objects&q={urllib.parse.quote(q)}")
                  for _ in range(rounds) for q in QUERIES]
        floor = [get_ms(f"{base}.json?sql=select+1") for _ in range(rounds * 5)]
    finally:
        proc.terminate()
        proc.wait()
    with sqlite3.connect(path) as conn:
        hits = {q: conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                [__import__("pipelines.search").search.match_expression(q)]).fetchone()[0]
                for q in QUERIES}
        like = []
        for q in QUERIES[:6]:
            start = time.perf_counter()
            conn.execute("SELECT count(*) FROM articles WHERE title LIKE ? OR body_text LIKE ?",
                         [f"%{q}%"] * 2).fetchall()
            like.append((time.perf_counter() - start) * 1000)
    p95 = percentile(search, 95)
    print(f"canned search over HTTP, {len(search)} requests ({len(QUERIES)} queries x {rounds}): "
          f"p50 {percentile(search, 50):.1f} ms, p95 {p95:.1f} ms, max {max(search):.1f} ms "
          f"-> p95 < 100 ms: {'yes' if p95 < 100 else 'NO'}")
    print(f"  matches per query: min {min(hits.values())}, median {statistics.median(hits.values()):.0f}, "
          f"max {max(hits.values())} ({max(hits, key=hits.get)})")
    print(f"  baseline: Datasette 'select 1' over HTTP p95 {percentile(floor, 95):.1f} ms "
          f"(search p95 = {p95 / percentile(floor, 95):.1f}x); LIKE scan (count) in SQLite "
          f"median {statistics.median(like):.0f} ms (search p50 = {percentile(search, 50) / statistics.median(like):.3f}x)")


# The crawl, its index hook replaced in that process: a no-op ("off"), or timed ("on"; the
# seconds spent in it are written to the file named by UPKEEP_FILE).
CRAWL = """
import atexit, os, sys, time, pipelines.search as s
index, spent = s.index_articles, [0.0]
def timed_index(*args):
    start = time.perf_counter()
    index(*args)
    spent[0] += time.perf_counter() - start
if sys.argv.pop(1) == "off":
    s.index_articles = lambda *args: None
else:
    s.index_articles = timed_index
    atexit.register(lambda: open(os.environ["UPKEEP_FILE"], "w").write(str(spent[0])))
from crawler.cli import main
sys.exit(main(sys.argv[1:]))
"""


def upkeep_cost(pages: int, pairs: int, generator: Path) -> None:
    with generated_site("search-bench-crawl-", generator, pages) as (work, site, port):
        rates, shares = {"on": [], "off": []}, []
        os.environ["UPKEEP_FILE"] = str(work / "upkeep")
        with static_server(site, port, work) as (base, server):
            for run in range(pairs):
                for mode in (("off", "on") if run % 2 == 0 else ("on", "off")):   # alternate the order
                    db = work / f"{mode}-{run}.db"
                    took = timed_crawl([sys.executable, "-c", CRAWL, mode, "crawl", base + "/", "--db", str(db)], REPO)
                    rates[mode].append(count(db, "select count(*) from articles") / took["wall"])
                    line = f"  crawl {run + 1} index {mode:3}: {rates[mode][-1]:.1f} pages/s"
                    if mode == "on":
                        shares.append(float((work / "upkeep").read_text()) / took["wall"])
                        line += (f", {count(db, 'select count(*) from articles_fts')} rows indexed, "
                                 f"{shares[-1]:.1%} of its wall time in index upkeep")
                    print(line, flush=True)
        on, off = statistics.median(rates["on"]), statistics.median(rates["off"])
        share = statistics.median(shares)
        cost = 1 - on / off
        print(f"crawl of {pages} pages ({server}): median {off:.1f} pages/s without index upkeep, {on:.1f} with "
              f"-> upkeep costs {cost:.1%} of crawl throughput ({'under' if cost < 0.10 else 'NOT under'} 10%; "
              f"A/B on a shared machine is noisy: use --pairs). Time inside index upkeep: median {share:.1%} "
              f"of the crawl's wall time (more than it costs: page analysis runs in another process meanwhile)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=10, help="times each search query is asked")
    ap.add_argument("--pages", type=int, default=1000, help="pages of the crawled site (0: skip the crawl)")
    ap.add_argument("--pairs", type=int, default=3, help="crawls with and without index upkeep")
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    ap.add_argument("--keep", type=Path, help="generate the archive here (reused when it exists) instead of a temporary file")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        path = a.keep or Path(tmp) / "archive.db"
        if not path.exists():
            seconds = generate(path, a.articles)
            print(f"generated {a.articles} articles through ArchiveWriter in {seconds:.0f} s "
                  f"({a.articles / seconds:.0f} articles/s), archive {path.stat().st_size / 2**20:.0f} MB", flush=True)
        search_latency(path, a.rounds)
    if a.pages:
        upkeep_cost(a.pages, a.pairs, a.site_generator)
    return 0


if __name__ == "__main__":
    sys.exit(main())
