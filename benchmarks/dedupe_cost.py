#!/usr/bin/env python3
"""CPU per article and memory of near-duplicate dedupe as the archive grows to 100,000 articles.

    .venv/bin/python benchmarks/dedupe_cost.py [--articles 100000] [--probe 300]

Fills an archive with synthetic articles whose fingerprints are random
MinHash signatures (placed through the same `Clusters.place` a crawl uses,
so their LSH buckets are indexed as usual; no crawl, no bodies). At each
checkpoint it runs `--probe` realistic articles (about 3,000 characters of
mixed Chinese/English text, a third of them edited copies of another probe)
through both halves of dedupe and reports CPU per article:

    fingerprint  DedupePipeline.process_item: content hash + MinHash of the body
    lookup       Clusters.place inside a transaction: LSH bucket query,
                 candidate check, fingerprint and bucket rows, cluster update

with the ratio against the first checkpoint, and the process's resident
memory (current, not peak) with its ratio, which stays flat when nothing
grows with the archive.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.items import ArticleItem  # noqa: E402
from pipelines.clusters import Clusters  # noqa: E402
from pipelines.dedupe import DedupePipeline, FingerprintScheme  # noqa: E402
from pipelines.schema import open_archive  # noqa: E402

# Words for the probe articles (written for this benchmark).
ZH = ("归档 爬虫 索引 缓存 事务 批量 写入 页面 正文 标题 面包屑 相关 文章 编码 解析 模板 站点 日志 任务 队列 "
      "并发 超时 重试 指纹 相似 原文 转载 集群 分片 查询 统计 版本 迁移 备份 压缩 字段 表格 列表 代码 接口").split()
EN = ("archive crawler index cache batch write page body title crumb related article encoding parse "
      "template site log task queue timeout retry fingerprint cluster shard query version backup").split()


def probe_text(rng: random.Random, chars: int = 3000) -> str:
    parts = []
    while sum(map(len, parts)) < chars:
        if rng.random() < 0.2:
            parts.append(" ".join(rng.choice(EN) for _ in range(rng.randint(6, 14))).capitalize() + ". ")
        else:
            parts.append("".join(rng.choice(ZH) for _ in range(rng.randint(5, 12))) + "。")
        if rng.random() < 0.15:
            parts.append("\n\n")
    return "".join(parts)


def edited(text: str, rng: random.Random) -> str:
    """A repost: a notice line on top and one sentence changed."""
    sentences = text.split("。")
    sentences[rng.randrange(len(sentences))] = "".join(rng.choice(ZH) for _ in range(8))
    return "本文转载自某技术博客，仅供学习参考。\n" + "。".join(sentences)


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2 ** 20


class Archive:
    """An archive being filled with synthetic articles."""

    def __init__(self, path: Path, scheme: FingerprintScheme):
        self.db = open_archive(path)
        self.scheme = scheme
        self.clusters = Clusters(self.db, scheme)
        self.size = 0
        self.rng = np.random.default_rng(1)

    def _insert_rows(self, hashes: list[str]) -> list[int]:
        start = self.size + 1
        self.db.conn.executemany(
            "INSERT INTO articles (id, url, content_hash, published_at, first_seen, status) "
            "VALUES (?, ?, ?, '2025-01-01', '2025-01-01T00:00:00+00:00', 'ok')",
            [(start + i, f"http://bench.example/{start + i}", h) for i, h in enumerate(hashes)])
        self.size += len(hashes)
        return list(range(start, start + len(hashes)))

    def fill_to(self, size: int, chunk: int = 2000) -> None:
        while self.size < size:
            count = min(chunk, size - self.size)
            signatures = self.rng.integers(0, 2 ** 32, size=(count, self.scheme.num_perm), dtype=np.uint32)
            hashes = [f"synthetic-{self.size + i}" for i in range(count)]
            with self.db.atomic():
                for id_, hash_, signature in zip(self._insert_rows(hashes), hashes, signatures):
                    self.clusters.place(id_, hash_, signature.astype("<u4").tobytes())

    def probe(self, items: list[ArticleItem], pipeline: DedupePipeline) -> tuple[float, float]:
        """CPU seconds per article of fingerprinting and of the lookup."""
        started = time.process_time()
        for item in items:
            pipeline.process_item(item)
        fingerprint = (time.process_time() - started) / len(items)
        with self.db.atomic():
            ids = self._insert_rows([item["content_hash"] for item in items])
            started = time.process_time()
            for id_, item in zip(ids, items):
                self.clusters.place(id_, item["content_hash"], item["fingerprint"])
            lookup = (time.process_time() - started) / len(items)
        return fingerprint, lookup


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--probe", type=int, default=300, help="articles timed at each checkpoint")
    a = ap.parse_args()
    checkpoints = sorted({min(a.articles, n) for n in (1_000, 10_000, 25_000, 50_000, a.articles)})
    scheme = FingerprintScheme()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="dedupe-cost-") as tmp:
        archive = Archive(Path(tmp) / "archive.db", scheme)
        baseline = None
        print(f"scheme: {scheme.name}, threshold {scheme.threshold}")
        print(f"{'archived':>9} {'fingerprint ms':>15} {'lookup ms':>10} {'total ms':>9} "
              f"{'x first':>8} {'RSS MB':>7} {'x first':>8}")
        for run, size in enumerate(checkpoints):
            archive.fill_to(size)
            texts = [probe_text(rng) for _ in range(a.probe * 2 // 3)]
            texts += [edited(rng.choice(texts), rng) for _ in range(a.probe - len(texts))]
            items = [ArticleItem(url=f"http://probe.example/{run}/{i}", title=f"probe {i}", body_text=text)
                     for i, text in enumerate(texts)]
            fingerprint, lookup = archive.probe(items, DedupePipeline(scheme=scheme))
            total, memory = (fingerprint + lookup) * 1e3, rss_mb()
            baseline = baseline or (total, memory)
            print(f"{size:>9,} {fingerprint * 1e3:>15.3f} {lookup * 1e3:>10.3f} {total:>9.3f} "
                  f"{total / baseline[0]:>8.2f} {memory:>7.1f} {memory / baseline[1]:>8.2f}", flush=True)
        copies = archive.db.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
        print(f"probe copies clustered: {copies} (expected {len(checkpoints) * (a.probe - a.probe * 2 // 3)})")
        archive.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
