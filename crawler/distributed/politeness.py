"""Per-site concurrency and delay across all the workers of a distributed run, not per worker.

Scrapy holds a site (a download slot: its host) to the slot's concurrency
(CONCURRENT_REQUESTS_PER_DOMAIN) and delay (DOWNLOAD_DELAY with its jitter,
or AutoThrottle's) within one process: N workers on one site would ask it N
times as much. Here a worker's downloader, as a request leaves the site's
slot (Scrapy's own wait done), also asks Redis, in one script, for a place
among the site's requests in flight across workers (at most the slot's
concurrency) and the site's turn (free once the last request taken by any
worker is the slot's delay old): both free, it takes them and sends at once;
else it waits as long as the script says and asks again. Taken at the
moment of sending, not reserved ahead: a worker busy parsing when its
reserved turn came would send late, close behind the next worker's turn
(seen in tests, a second late). A place is a lease (DOWNLOAD_TIMEOUT and a
margin ahead), given back when the response is in: a worker killed
mid-download does not keep it. About five Redis commands a request.

`SharedSitesDownloader` replaces Scrapy's Downloader (the DOWNLOADER
setting) and wraps its `_download`, the step where the slot hands a request
to the download handler: Scrapy has no public hook at that moment (a
downloader middleware runs before the slot's own wait, which would push a
turn taken there on).
"""
from __future__ import annotations

import itertools
import os
import socket

from scrapy.core.downloader import Downloader
from scrapy.utils.asyncio import sleep

from crawler.distributed.connection import compiled, run_client
from crawler.distributed.keys import Keys

FULL_WAIT = 0.05   # seconds before asking again for a place at a site with all of them taken
LEASE_MARGIN_MS = 10_000

# KEYS[1]: the site's sorted set: member "" -> when its next turn is free, each place -> when its lease runs out
# (ms of Redis's clock). ARGV: the place's name, the site's concurrency, the delay (ms), the lease (ms). Returns
# 0 with the place and the turn taken, how long until the turn is free (ms), or -1 if every place is taken.
# Run-out leases are ignored, not removed: only a killed worker leaves any.
_ENTER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf', 'WITHSCORES')
local places = #live / 2
for i = 1, #live, 2 do
  if live[i] == '' then
    local turn = tonumber(live[i + 1])
    if turn > now then return turn - now end
    places = places - 1
  end
end
if places >= tonumber(ARGV[2]) then return -1 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), '', now + tonumber(ARGV[4]), ARGV[1])
return 0
"""


class SharedSites:
    """A worker's side of the sites' places and turns in Redis."""

    def __init__(self, server, keys: Keys, lease_ms: int):
        self.server, self.keys, self.lease_ms = server, keys, lease_ms
        self.worker = f"{socket.gethostname()}-{os.getpid()}"
        self.count = itertools.count()
        self._enter = compiled(server, _ENTER)

    def try_enter(self, site: str, place: str, concurrency: int, delay: float) -> int:
        """0 with a place and the turn at `site` taken, else how long to wait (ms; -1: no place free)."""
        return self._enter(keys=[self.keys.site(site)], args=[place, concurrency, int(delay * 1000), self.lease_ms])

    async def enter(self, site: str, concurrency: int, delay: float) -> str:
        """Wait for a place at `site` and its turn; the place's name, for `leave`."""
        place = f"{self.worker}:{next(self.count)}"
        while wait := self.try_enter(site, place, concurrency, delay):
            await sleep(FULL_WAIT if wait < 0 else wait / 1000)
        return place

    def leave(self, site: str, place: str) -> None:
        self.server.zrem(self.keys.site(site), place)


class SharedSitesDownloader(Downloader):
    """Scrapy's Downloader, each request also waiting for a place and a turn at its site across workers."""

    def __init__(self, crawler):
        super().__init__(crawler)
        server, keys = run_client(crawler.settings)
        self.sites = SharedSites(server, keys, int(crawler.settings.getfloat("DOWNLOAD_TIMEOUT") * 1000)
                                 + LEASE_MARGIN_MS)

    async def _download(self, slot, request):
        site = request.meta[self.DOWNLOAD_SLOT]
        slot.transferring.add(request)   # waiting counts against the slot's concurrency here too
        try:
            place = await self.sites.enter(site, slot.concurrency, slot.download_delay())
        except BaseException:
            slot.transferring.discard(request)
            self._process_queue(slot)
            raise
        try:
            return await super()._download(slot, request)
        finally:
            self.sites.leave(site, place)
