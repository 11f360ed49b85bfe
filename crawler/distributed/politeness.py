"""DOWNLOAD_DELAY across all the workers of a distributed run, not per worker.

Scrapy spaces the requests to a site by DOWNLOAD_DELAY within one process:
N workers on one site would ask it N times as often. Here each site (Scrapy's
download slot: its host) has a token in Redis, the time (Redis's clock) it
is next free; a worker about to send a request takes the next free time in
one script, which moves it DOWNLOAD_DELAY on, and waits until then. Off when
DOWNLOAD_DELAY is 0 (a request would cost four Redis commands for nothing).
AutoThrottle and CONCURRENT_REQUESTS_PER_DOMAIN still act per worker.
"""
from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep

from crawler.distributed.connection import compiled, run_client
from crawler.distributed.keys import Keys

# KEYS[1]: the site's token. ARGV[1]: the delay (ms). Takes the next free time; returns how long to wait (ms).
# The token outlives its time by a second, then goes: a site left alone is free.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + delay, 'PX', at + delay - now + 1000)
return at - now
"""


class SharedDelay:
    """Downloader middleware: waits for the site's turn among all workers before each request."""

    def __init__(self, crawler, server, keys: Keys):
        self.crawler, self.keys = crawler, keys
        self.delay_ms = int(crawler.settings.getfloat("DOWNLOAD_DELAY") * 1000)
        if self.delay_ms <= 0:
            raise NotConfigured("no DOWNLOAD_DELAY to share")
        self._take = compiled(server, _TAKE)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, *run_client(crawler.settings))

    def wait_ms(self, site: str) -> int:
        """Take the next free time of `site`; how long until then."""
        return self._take(keys=[self.keys.site(site)], args=[self.delay_ms])

    async def process_request(self, request, spider=None):
        wait = self.wait_ms(self.crawler.engine.downloader.get_slot_key(request))
        if wait > 0:
            await sleep(wait / 1000)
