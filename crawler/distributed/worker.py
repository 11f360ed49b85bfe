"""A crawl worker: the `articles` spider on a shared frontier, its items sent to the writer's stream.

`worker_settings` is all it takes (scrapy-redis is configured, not forked):
the scheduler, dupefilter and queue are scrapy-redis's, with our lease queue
and a safe serializer; the store pipeline gives way to the stream pipeline;
WARC capture is off (it writes SQLite, which is the writer's alone); so is
the incremental middleware, which reads an archive: a worker decides on
archived articles from what the writer publishes in Redis (queue.py,
archived.py).
"""
from __future__ import annotations

import json
import logging

from scrapy import signals

from crawler.distributed import queue
from crawler.distributed.connection import redis_params, run_client
from crawler.distributed.keys import Keys
from pipelines.store import RUN_SETTINGS

logger = logging.getLogger(__name__)


def configure_worker(settings, redis_url: str, key: str = "archive") -> None:
    """Turn a crawl's Scrapy `settings` into those of a worker of the run `key` on the Redis at `redis_url`."""
    keys = Keys(key)
    pipelines = settings.getdict("ITEM_PIPELINES")
    pipelines.update({"pipelines.store.StorePipeline": None, "pipelines.stream.StreamPipeline": 300})
    spider_middlewares = {**settings.getdict("SPIDER_MIDDLEWARES"), "crawler.distributed.worker.SeedOnce": 10,
                          "crawler.middlewares.incremental.IncrementalMiddleware": None}
    extensions = {**settings.getdict("EXTENSIONS"), "crawler.distributed.worker.RunReport": 0}
    settings.setdict({
        "REDIS_URL": redis_url,
        "REDIS_PARAMS": redis_params(),
        "ARCHIVE_REDIS_KEY": key,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.LeaseQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "DUPEFILTER_CLASS": "crawler.distributed.seen.SeenOnPush",
        "SCHEDULER_DUPEFILTER_KEY": keys.seen,
        "SCHEDULER_SERIALIZER": "crawler.distributed.serializer",
        "SCHEDULER_PERSIST": True,   # one worker stopping must not wipe the others' frontier
        "ARCHIVE_WARC": False,
        "EXTRACT_FOR_STREAM": True,   # items prepared for the stream's entries (entries.py), not the store
        "ITEM_PIPELINES": pipelines,
        "SPIDER_MIDDLEWARES": spider_middlewares,
        "EXTENSIONS": extensions,
        "DOWNLOADER": "crawler.distributed.politeness.SharedSitesDownloader",
    }, priority="cmdline")


class SeedOnce:
    """Spider middleware: only the first worker of a run hands the start requests (and sitemap and feed
    discovery) to the frontier; the others start from what is queued. Marks the key "seeding" first, so no
    worker takes a frontier still empty for the end of the run, then "done" (LeaseQueue's sync, with the
    last of them). "seeding" is a lease the seeding worker renews: if it dies first, the key runs out and
    the others stop with `seeding_lost` instead of waiting for ever."""

    def __init__(self, crawler, server, keys: Keys):
        self.crawler, self.server, self.keys = crawler, server, keys
        self.lease_ms = int(crawler.settings.getfloat("ARCHIVE_REDIS_LEASE") * 1000)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, *run_client(crawler.settings))

    async def process_start(self, start):
        if not self.server.set(self.keys.seeded, "seeding", nx=True, px=self.lease_ms):
            logger.info("start requests already handed over by another worker")
            return
        self.crawler.signals.send_catch_log(signal=queue.seeding)
        async for request in start:
            yield request
        self.crawler.signals.send_catch_log(signal=queue.seeded)


class RunReport:
    """Extension: what the writer's crawl_runs row takes from the workers, in the run's record (KEY:run): the
    site, start URLs and run settings, from the first worker to start. The pages fetched and the articles
    skipped as not due are added there by the sync script (queue.py), the pages before the leases they were
    fetched for end: once nothing is queued or leased, the count is whole, and a writer told to stop then
    (`--until-done`) reads it all. A worker killed loses the count of its last second; the pages it did
    not finish are fetched, and counted, again by the others."""

    def __init__(self, crawler, server, keys: Keys):
        self.crawler, self.server, self.keys = crawler, server, keys

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler, *run_client(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider):
        settings = self.crawler.settings
        with self.server.pipeline(transaction=False) as pipe:
            for name, value in (("site", spider.site), ("start_urls", json.dumps(spider.start_urls, ensure_ascii=False)),
                                ("settings", json.dumps({name: settings.get(name) for name in RUN_SETTINGS},
                                                        ensure_ascii=False, default=str))):
                pipe.hsetnx(self.keys.run, name, value)
            pipe.execute()
