"""SCHEDULER_QUEUE_CLASS for scrapy-redis: a priority queue whose pops are leases.

Stock scrapy-redis pops a request out of Redis and forgets it: a worker
killed with requests in flight loses them for good (31 of 2,000 pages on
the prototype). Here a pop moves the request into the run's lease set with
a deadline ARCHIVE_REDIS_LEASE seconds ahead (one script, atomic); the
worker renews the deadlines of the requests it holds every quarter of that,
and removes each request from the set once Scrapy is done with it
(downloaded, parsed, its items in the stream, its links pushed). A request
whose deadline passes (its worker died) goes back to the head of the
frontier, put there by whichever worker renews next.

Stock scrapy-redis also marks a request seen (SADD) and queues it (ZADD) in
two commands: a worker killed between them leaves a page seen but never
queued, lost for good (1 of 40 pages in one of about ten kill tests). Here
the dupefilter only asks, and the push marks and queues in one script.

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

from crawler.distributed import seen
from crawler.distributed.keys import Keys

logger = logging.getLogger(__name__)

# Redis's clock, not the workers': they may disagree.
_NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# The best request (lowest score = highest priority), leased until now + ARGV[1] ms.
_POP = _NOW_MS + """
local top = redis.call('ZPOPMIN', KEYS[1])
if #top == 0 then return false end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), top[1])
return top[1]
"""

# The leases held here (ARGV[2..]) renewed; those run out anywhere back to the frontier's head.
_RENEW = _NOW_MS + """
for i = 2, #ARGV do redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
for _, request in ipairs(expired) do redis.call('ZADD', KEYS[1], '-inf', request) end
if #expired > 0 then redis.call('ZREM', KEYS[2], unpack(expired)) end
return #expired
"""

# Queued only if unseen (ARGV[3] = 1: a dont_filter request, always queued); seen and queued at once.
_PUSH = "local SEEN_KEY = KEYS[2]\n" + seen.LUA + """
if ARGV[3] == '1' or mark(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
  settle()
end
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
        self.held: dict[bytes, object] = {}   # serialized request -> the Request object Scrapy works on
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self.fingerprint = seen.SeenOnPush(server, self.keys.seen).fingerprint
        self._renew = server.register_script(_RENEW)
        self.keeper = LoopingCall(self.renew)
        spider.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        spider.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def __len__(self):
        return self.server.zcard(self.key)

    def push(self, request):
        self._push(keys=[self.key, self.keys.seen], args=[self._encode_request(request), self.fingerprint(request),
                                                          int(request.dont_filter), -request.priority])

    def pop(self, timeout=0):
        if not self.keeper.running:   # from the first pop: the engine is running
            self.keeper.start(self.lease_ms / 4000, now=False)
        self.release_done()
        data = self._pop(keys=[self.key, self.keys.leased], args=[self.lease_ms])
        if data is None:
            return None
        request = self._decode_request(data)
        self.held[data] = request
        return request

    def release_done(self) -> None:
        """End the leases of requests the engine has finished with."""
        busy = self.engine._slot.inprogress if self.engine._slot else ()
        done = [data for data, request in self.held.items() if request not in busy]
        if done:
            self.server.zrem(self.keys.leased, *done)
            for data in done:
                del self.held[data]

    def renew(self) -> None:
        """End what is done, extend what is held, and put back what others left to run out."""
        self.release_done()
        returned = self._renew(keys=[self.key, self.keys.leased], args=[self.lease_ms, *self.held])
        if returned:
            logger.warning("%d requests whose lease ran out (a worker stopped?) are back in the frontier", returned)

    def spider_idle(self, spider):
        """An empty queue here is not the end while others hold leases (their pages may hold new links),
        the start requests are still coming, or the writer has a backlog: wait (Scrapy looks again in 5 s)."""
        self.release_done()
        pending = self.keys.pending(self.server)
        if any(pending.values()):
            logger.info("queue empty here, waiting for the others: %s", pending)
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        """Requests still held (a worker stopped mid-crawl) go back to the frontier at once: they may have
        been cut short, so another worker does them again rather than waiting for the leases to run out."""
        if self.keeper.running:
            self.keeper.stop()
        if self.held:
            with self.server.pipeline() as pipe:
                pipe.zadd(self.key, dict.fromkeys(self.held, float("-inf")))
                pipe.zrem(self.keys.leased, *self.held)
                pipe.execute()
            self.held.clear()

    def clear(self):
        self.server.delete(self.key, self.keys.leased)
