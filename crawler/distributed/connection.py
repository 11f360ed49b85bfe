"""Redis clients that ride out a short outage instead of ending the crawl.

With stock settings a 5-second Redis restart ends a scrapy-redis crawl early
as if finished (303 of 2,000 pages on the prototype). Every client here
retries a lost connection with exponential backoff (0.1 s doubling to 2 s,
about a minute in all) and says so in the log; only a longer outage fails.
"""
from __future__ import annotations

import logging

from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError, TimeoutError
from redis.retry import Retry
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis, get_redis_from_settings

from crawler.distributed.keys import Keys

logger = logging.getLogger(__name__)

RETRIES = 40


class LoggedRetry(Retry):
    """redis-py's Retry, logging each failed attempt."""

    def call_with_retry(self, do, fail, *args, **kwargs):
        def logged(error, *rest):
            logger.warning("Redis unreachable (%s); retrying", error)
            return fail(error, *rest)
        return super().call_with_retry(do, logged, *args, **kwargs)


def redis_params() -> dict:
    """REDIS_PARAMS for scrapy-redis, and the keyword arguments of every client we make."""
    return {"retry": LoggedRetry(ExponentialBackoff(cap=2.0, base=0.1), RETRIES),
            "retry_on_error": [ConnectionError, TimeoutError],
            "socket_timeout": 30, "socket_connect_timeout": 10}


def compiled(server, lua: str):
    """`server.register_script(lua)`, compiled by Redis now: a script it rejects fails the worker as it
    starts, loudly, rather than on first use, where Scrapy's engine logs the error and waits for ever."""
    script = server.register_script(lua)
    server.script_load(lua)
    return script


def client(settings):
    """The Redis client of a crawl (REDIS_URL, REDIS_PARAMS), as scrapy-redis makes its own."""
    return get_redis_from_settings(settings)


def client_for(url: str):
    """A Redis client outside a crawl (the writer, the command line)."""
    return get_redis(url=url, **redis_params())


def run_client(settings) -> tuple:
    """The Redis client and key names of a distributed crawl's run, for its components' from_crawler;
    NotConfigured when the crawl is not distributed."""
    key = settings.get("ARCHIVE_REDIS_KEY")
    if not key:
        raise NotConfigured("not a distributed crawl (no ARCHIVE_REDIS_KEY)")
    return client(settings), Keys(key)
