"""SCHEDULER_QUEUE_CLASS for scrapy-redis: a priority queue whose pops are leases.

Stock scrapy-redis pops a request out of Redis and forgets it: a worker
killed with requests in flight loses them for good (31 of 2,000 pages on
the prototype). Here a pop moves the request into a lease that runs out
after ARCHIVE_REDIS_LEASE seconds; the worker renews the leases it holds
and acknowledges each once Scrapy is done with the request (downloaded,
parsed, its items handed to the stream, its links pushed). A lease that
runs out (its worker died) puts its request back into the frontier at the
next pop, by whichever worker.

"Done" is read from the engine's in-progress set (the one Scrapy's own
engine status reports): a request leaves it only after its callback or
errback and its items' pipelines have finished, and also on paths that
yield nothing (a feed probe that fails, a redirect, a dropped request).
Scrapy has no signal for that moment.
"""
from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.queue import Base
from twisted.internet.task import LoopingCall

from crawler.distributed.keys import Keys

logger = logging.getLogger(__name__)

# Leases run out first go back to the frontier (at their old priority), then the best request is leased.
_POP = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)) do
  local entry = redis.call('HGET', KEYS[2], id)
  if entry then redis.call('ZADD', KEYS[1], redis.call('HGET', KEYS[2], id .. ':s'), entry) end
  redis.call('HDEL', KEYS[2], id, id .. ':s')
  redis.call('ZREM', KEYS[3], id)
end
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
local id = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], id, top[1], id .. ':s', top[2])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
return {id, top[1]}
"""

# Held leases get a new deadline; those already run out (and maybe re-leased) are left alone.
_RENEW = """
local t = redis.call('TIME')
local deadline = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i]) end
return 0
"""


class LeaseQueue(Base):
    """Priority queue (score = -priority, as scrapy-redis's PriorityQueue) that leases what it pops."""

    def __init__(self, server, spider, key, serializer=None):
        if isinstance(serializer, str):
            serializer = load_object(serializer)
        super().__init__(server, spider, key, serializer)
        settings = spider.crawler.settings
        self.keys = Keys(settings.get("ARCHIVE_REDIS_KEY"))
        self.lease_ms = int(settings.getfloat("ARCHIVE_REDIS_LEASE") * 1000)
        self.engine = spider.crawler.engine
        self.held: dict[int, object] = {}   # lease id -> the Request object Scrapy is working on
        self._pop = server.register_script(_POP)
        self._renew = server.register_script(_RENEW)
        self.keeper = LoopingCall(self.renew)
        spider.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        spider.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def __len__(self):
        return self.server.zcard(self.key)

    def push(self, request):
        self.server.zadd(self.key, {self._encode_request(request): -request.priority})

    def pop(self, timeout=0):
        if not self.keeper.running:
            self.keeper.start(self.lease_ms / 4000, now=False)
        self.release_done()
        leased = self._pop(keys=[self.key, self.keys.leases, self.keys.deadlines, self.keys.lease_ids],
                           args=[self.lease_ms])
        if not leased:
            return None
        lease_id, data = leased
        request = self._decode_request(data)
        self.held[lease_id] = request
        return request

    def release_done(self) -> None:
        """Acknowledge the leases of requests the engine has finished with."""
        busy = self.engine._slot.inprogress if self.engine._slot else ()
        done = [lease_id for lease_id, request in self.held.items() if request not in busy]
        if done:
            with self.server.pipeline(transaction=False) as pipe:
                pipe.hdel(self.keys.leases, *done, *(f"{i}:s" for i in done))
                pipe.zrem(self.keys.deadlines, *done)
                pipe.execute()
            for lease_id in done:
                del self.held[lease_id]

    def renew(self) -> None:
        """Acknowledge what is done, push back the deadline of the rest."""
        self.release_done()
        if self.held:
            self._renew(keys=[self.keys.deadlines], args=[self.lease_ms, *self.held])

    def spider_idle(self, spider):
        """An empty queue here is not the end while others hold leases (their pages may hold new links),
        the start requests are still coming, or the writer has a backlog: wait (Scrapy looks again in 5 s)."""
        self.release_done()
        pending = self.keys.pending(self.server)
        if any(pending.values()):
            logger.info("queue empty here, waiting for the others: %s", pending)
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        """Leases still held (a worker stopped mid-crawl) are given back at once: their requests may have
        been cut short, so another worker does them again rather than waiting for the leases to run out."""
        if self.keeper.running:
            self.keeper.stop()
        if self.held:
            self.server.zadd(self.keys.deadlines, dict.fromkeys(self.held, 0), xx=True)
            self.held.clear()

    def clear(self):
        self.server.delete(self.key, self.keys.leases, self.keys.deadlines)
