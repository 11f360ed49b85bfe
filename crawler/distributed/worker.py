"""A crawl worker: the `articles` spider on a shared frontier, its items sent to the writer's stream.

`worker_settings` is all it takes (scrapy-redis is configured, not forked):
the scheduler, dupefilter and queue are scrapy-redis's, with our lease queue
and a safe serializer; the store pipeline gives way to the stream pipeline;
WARC capture is off (it writes SQLite, which is the writer's alone).
"""
from __future__ import annotations

import logging


from crawler.distributed.connection import redis_params, run_client
from crawler.distributed.keys import Keys

logger = logging.getLogger(__name__)


def configure_worker(settings, redis_url: str, key: str = "archive") -> None:
    """Turn a crawl's Scrapy `settings` into those of a worker of the run `key` on the Redis at `redis_url`."""
    keys = Keys(key)
    pipelines = settings.getdict("ITEM_PIPELINES")
    pipelines.update({"pipelines.store.StorePipeline": None, "pipelines.stream.StreamPipeline": 300})
    spider_middlewares = {**settings.getdict("SPIDER_MIDDLEWARES"), "crawler.distributed.worker.SeedOnce": 10}
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
        "ITEM_PIPELINES": pipelines,
        "SPIDER_MIDDLEWARES": spider_middlewares,
    }, priority="cmdline")


class SeedOnce:
    """Spider middleware: only the first worker of a run hands the start requests (and sitemap and feed
    discovery) to the frontier; the others start from what is queued. Marks the key "seeding" first, so no
    worker takes a frontier still empty for the end of the run, then "done"."""

    def __init__(self, server, keys: Keys):
        self.server, self.keys = server, keys

    @classmethod
    def from_crawler(cls, crawler):
        return cls(*run_client(crawler.settings))

    async def process_start(self, start):
        if not self.server.set(self.keys.seeded, "seeding", nx=True):
            logger.info("start requests already handed over by another worker")
            return
        async for request in start:
            yield request
        self.server.set(self.keys.seeded, "done")
