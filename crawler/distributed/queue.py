"""SCHEDULER_QUEUE_CLASS for scrapy-redis: a priority queue whose pops are leases, synced in batches.

Stock scrapy-redis pops a request out of Redis and forgets it: a worker
killed with requests in flight loses them for good (31 of 2,000 pages on
the prototype). Here a pop gives the request a lease: an id, kept with
the request and with a deadline ARCHIVE_REDIS_LEASE seconds ahead; the
worker renews the deadlines of the leases it holds every quarter of that,
and ends each lease once Scrapy is done with its request (downloaded,
parsed, its items in the stream, its links pushed), all by lease id. A
request whose deadline passes (its worker died) goes back to the head of
the frontier, put there by whichever worker renews next.

Stock scrapy-redis also marks a request seen (SADD) and queues it (ZADD) in
two commands: a worker killed between them leaves a page seen but never
queued, lost for good (1 of 40 pages in one of about ten kill tests). Here
marking and queueing are one script.

Stock scrapy-redis spends a round trip on every link (is it seen?) and every
pop. Here a worker talks to Redis in one script, `sync`, at most every
SYNC_SECONDS or when it runs out of requests: the links it found since
(seen ones dropped, the others marked and queued), the leases it is done
with (released after those links are queued: a kill in between loses
nothing), renewals, and up to PREFETCH requests leased at once, none while
the writer's backlog is over ARCHIVE_REDIS_BACKLOG items (Redis memory stays
bounded when the writer falls behind). Redis commands per page fell from
about 12-14 to about 5 on the benchmark site.

"Done" is read from the engine's in-progress set (the one Scrapy's own
engine status reports): a request leaves it only after its callback or
errback and its items' pipelines have finished, and also on paths that
yield nothing (a feed probe that fails, a redirect, a dropped request).
Scrapy has no signal for that moment.
"""
from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.queue import Base
from twisted.internet.task import LoopingCall

from crawler.distributed import archived, seen
from crawler.distributed.connection import compiled
from crawler.distributed.keys import Keys
from crawler.middlewares.incremental import due_before, make_conditional, parse_time, recrawl_after
from crawler.queues import RequestFields
from pipelines.normalize import normalize_url

logger = logging.getLogger(__name__)

# Signals of worker.SeedOnce: this worker hands the run's start requests over; it has handed them all.
seeding = object()
seeded = object()

PREFETCH = 8          # requests leased at once
SYNC_SECONDS = 1.0    # links found and leases done wait at most this long for the next sync
PUSHES_PER_SYNC = 1000   # a sitemap's 50,000 links go in several scripts, each short
LINK_ARGS = 5   # the script's arguments for each link found
# Requests IncrementalMiddleware never sees: a redirect's or a retry's are not the spider's, a split article's
# parts are read whole.
_NOT_CHECKED = ("redirect_urls", "retry_times", "split_article")

# KEYS: frontier (sorted set), leases (sorted set: lease id -> deadline), the leases' requests (hash: lease id ->
# request), the last lease id (counter), seen set, seeding marker, item stream, the archive's published state
# (archived.py), the run's record. ARGV: lease ms, requests wanted, 1 to renew (and take back the leases run out
# anywhere), "renew" the seeding marker or mark it "done" (or ""), the stream's backlog over which none are taken
# (0: no cap), the fetch time (ms) before which an archived article is due (0: incremental runs off), the pages
# fetched since the last sync (added to the run's record before the leases they were fetched for end), the leases
# done (a count, then each id), the leases to renew (a count, then each id), then each link found: request,
# fingerprint, 1 if dont_filter, score, and "" or (to be checked against the archive) the URL's key and the
# sitemap's lastmod (ms, or nothing). Returns {leases taken back, {lease id, request} for each leased, 1 if none
# taken for the backlog, links made conditional}. Times are Redis's clock, not the workers': they may disagree.
_SYNC = "local SEEN_KEY, ARCHIVED = KEYS[5], KEYS[8]\n" + seen.LUA + archived.LUA + """
local FRONTIER, LEASED, REQUESTS, IDS = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local SEEDED, ITEMS, RUN = KEYS[6], KEYS[7], KEYS[9]
local lease_ms, want, renewing, seed = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4]
local cap, due_before, fetched = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local i = 8
local done = {unpack(ARGV, i + 1, i + tonumber(ARGV[i]))}
i = i + #done + 1
local renew = {unpack(ARGV, i + 1, i + tonumber(ARGV[i]))}
i = i + #renew + 1
-- An archived article's link, as IncrementalMiddleware decides: not due, dropped (not marked seen: a sitemap's
-- lastmod may make it due later); due, queued with its validators ahead of the request (byte 1, ETAG, newline,
-- LAST_MODIFIED, newline).
-- The run counts distinct URLs skipped (crawl_runs.skipped) with two seen-set entries per URL, the URL's key with its
-- first byte moved by 1 (skipped once) and by 2 (made due after a skip): as exact as the seen set.
local function marker(key, n)
  return string.char((string.byte(key, 1) + n) % 256) .. string.sub(key, 2, KEY_BYTES)
end
local queued, skipped, conditional, asked = {}, 0, 0, {}
for p = i, #ARGV, 5 do
  if ARGV[p + 2] ~= '1' then asked[#asked + 1] = ARGV[p + 1] end
end
preload(asked)
for p = i, #ARGV, 5 do
  local request, check = ARGV[p], ARGV[p + 4]
  local drop = ARGV[p + 2] ~= '1' and seen(ARGV[p + 1])   -- queued this run: another worker's link, not a skip
  if not drop and due_before > 0 and check ~= '' then
    local key = string.sub(check, 1, KEY_BYTES)
    local fetched, etag, modified = known(key)
    if fetched then
      local lastmod = tonumber(string.sub(check, KEY_BYTES + 1)) or 0
      if fetched <= due_before or lastmod > fetched then
        request = '\\1' .. etag .. '\\n' .. modified .. '\\n' .. request
        conditional = conditional + 1
        if seen(marker(key, 1)) and mark(marker(key, 2)) then skipped = skipped - 1 end
      else
        drop = true
        if mark(marker(key, 1)) then skipped = skipped + 1 end
      end
    end
  end
  if not drop and (ARGV[p + 2] == '1' or mark(ARGV[p + 1])) then
    queued[#queued + 1] = ARGV[p + 3]
    queued[#queued + 1] = request
  end
end
if skipped ~= 0 then redis.call('HINCRBY', RUN, 'skipped', skipped) end
if fetched > 0 then redis.call('HINCRBY', RUN, 'fetched', fetched) end
if #queued > 0 then redis.call('ZADD', FRONTIER, unpack(queued)) end
settle()
if seed == 'done' then redis.call('SET', SEEDED, 'done') end
if #done > 0 then
  redis.call('ZREM', LEASED, unpack(done))
  redis.call('HDEL', REQUESTS, unpack(done))
end
local paused = 0
if want > 0 and cap > 0 and redis.call('XLEN', ITEMS) > cap then want, paused = 0, 1 end
if not renewing and want == 0 then return {0, {}, paused, conditional} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local returned = 0
if renewing then
  if #renew > 0 then
    local args = {LEASED, 'XX'}
    for _, id in ipairs(renew) do args[#args + 1] = now + lease_ms; args[#args + 1] = id end
    redis.call('ZADD', unpack(args))
  end
  if seed == 'renew' then redis.call('PEXPIRE', SEEDED, lease_ms) end
  local expired = redis.call('ZRANGEBYSCORE', LEASED, '-inf', now, 'LIMIT', 0, 1000)
  if #expired > 0 then
    local args = {}
    for _, request in ipairs(redis.call('HMGET', REQUESTS, unpack(expired))) do
      if request then args[#args + 1] = '-inf'; args[#args + 1] = request end
    end
    if #args > 0 then redis.call('ZADD', FRONTIER, unpack(args)) end
    redis.call('ZREM', LEASED, unpack(expired))
    redis.call('HDEL', REQUESTS, unpack(expired))
  end
  returned = #expired
end
local taken = {}
if want > 0 then
  local top = redis.call('ZPOPMIN', FRONTIER, want)
  if #top > 0 then
    local id = redis.call('INCRBY', IDS, #top / 2) - #top / 2
    local deadlines, requests = {LEASED}, {REQUESTS}
    for k = 1, #top, 2 do
      id = id + 1
      deadlines[#deadlines + 1] = now + lease_ms; deadlines[#deadlines + 1] = id
      requests[#requests + 1] = id; requests[#requests + 1] = top[k]
      taken[#taken + 1] = id; taken[#taken + 1] = top[k]
    end
    redis.call('ZADD', unpack(deadlines))
    redis.call('HSET', unpack(requests))
  end
end
return {returned, taken, paused, conditional}
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
        self.fingerprint = seen.SeenOnPush(server, self.keys.seen).fingerprint
        self.fields = RequestFields(spider)
        self.ready: list[tuple[int, bytes, object]] = []   # leased, not handed to the engine yet: id, request
        self.held: dict[int, tuple[bytes, object]] = {}   # lease id -> serialized request, the Request Scrapy works on
        self.done: list[int] = []             # lease ids to end at the next sync
        self.found: list = []                 # links to mark and queue at the next sync, LINK_ARGS each
        self.stats = spider.crawler.stats
        self.reported = 0   # pages fetched (response_received_count) already added to the run's record
        # incremental runs: the archive's state comes from Redis (archived.py), not from an archive of one's own
        incremental = settings.getbool("ARCHIVE_INCREMENTAL")
        self.due_before_ms = int(due_before(recrawl_after(settings)).timestamp() * 1000) if incremental else 0
        if incremental and not server.hexists(self.keys.archived, archived.READY):
            logger.warning("the writer has not published what the archive holds (%s): archived articles are fetched "
                           "again until it has (start the writer before the workers)", self.keys.archived)
        self.backlog_cap = settings.getint("ARCHIVE_REDIS_BACKLOG")
        self.paused = False   # taking no requests: the writer's backlog is over the cap
        self.seed = ""   # "renew" (the seeding marker) while this worker seeds, "done" once it has
        self.synced = self.renewed = self.ran_dry = 0.0   # monotonic times
        self._sync = compiled(server, _SYNC)
        self.keeper = LoopingCall(self.tick)
        spider.crawler.signals.connect(lambda: setattr(self, "seed", "renew"), signal=seeding, weak=False)
        spider.crawler.signals.connect(lambda: setattr(self, "seed", "done"), signal=seeded, weak=False)
        spider.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        spider.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def __len__(self):
        return len(self.ready) + len(self.found) // LINK_ARGS or self.server.zcard(self.key)

    def _encode_request(self, request):
        return self.serializer.dumps(self.fields.of(request))

    def push(self, request):
        self.found += [self._encode_request(request), self.fingerprint(request), int(request.dont_filter),
                       -request.priority, self._check(request)]

    def _check(self, request) -> bytes:
        """What the sync script needs to decide an archived article's link as IncrementalMiddleware would: the
        URL's key and the sitemap's lastmod; nothing for a request it would not see."""
        if not self.due_before_ms or any(name in request.meta for name in _NOT_CHECKED):
            return b""
        lastmod = parse_time(request.meta.get("lastmod"))
        return archived.url_key(normalize_url(request.url)) + (b"%d" % (lastmod.timestamp() * 1000) if lastmod else b"")

    def _decode_request(self, encoded):
        """A leased request; one the sync script made conditional is asked for only if changed."""
        if not encoded.startswith(b"\1"):
            return super()._decode_request(encoded)
        etag, modified, data = encoded[1:].split(b"\n", 2)
        request = super()._decode_request(data)
        make_conditional(request, etag.decode(), modified.decode())
        return request

    def pop(self, timeout=0):
        if not self.keeper.running:   # from the first pop: the engine is running
            self.renewed = time.monotonic()
            self.keeper.start(min(SYNC_SECONDS, self.lease_ms / 4000), now=False)
        if not self.ready and (self.found or time.monotonic() - self.ran_dry > SYNC_SECONDS / 5):
            self.sync(PREFETCH)
        if not self.ready:
            return None
        lease, data, request = self.ready.pop(0)
        self.held[lease] = (data, request)
        return request

    def tick(self) -> None:
        """Every SYNC_SECONDS: what is found and done goes to Redis, and the leases are renewed in time."""
        self.sync(0)

    def sync(self, want: int) -> None:
        """One script: the links found queued, the leases done ended (after them), renewals when due, and
        up to `want` requests leased."""
        busy = self.engine._slot.inprogress if self.engine._slot else ()
        for lease in [lease for lease, (_, request) in self.held.items() if request not in busy]:
            self.done.append(lease)
            del self.held[lease]
        renewing = time.monotonic() - self.renewed >= self.lease_ms / 4000
        fetched = self.stats.get_value("response_received_count", 0) - self.reported
        if not (want or renewing or self.found or self.done or self.seed == "done" or fetched):
            return
        while len(self.found) > LINK_ARGS * PUSHES_PER_SYNC:   # a sitemap's links: the leases end only after the last
            self._script(0, False, "", 0, [], [], self.found[:LINK_ARGS * PUSHES_PER_SYNC])
            del self.found[:LINK_ARGS * PUSHES_PER_SYNC]
        leases = [*self.held, *(lease for lease, *_ in self.ready)] if renewing else []
        seed = self.seed if renewing or self.seed == "done" else ""
        returned, taken, paused, _ = self._script(want, renewing, seed, fetched, self.done, leases, self.found)
        self.found, self.done = [], []
        self.reported += fetched
        if seed == "done":
            self.seed = ""
        self.synced = time.monotonic()
        if renewing:
            self.renewed = self.synced
        if returned:
            logger.warning("%d requests whose lease ran out (a worker stopped?) are back in the frontier", returned)
        if want and bool(paused) != self.paused:
            self.paused = bool(paused)
            logger.info("the writer's backlog is %s ARCHIVE_REDIS_BACKLOG (%d items): %s", *(
                ("over", self.backlog_cap, "taking no new requests") if paused else
                ("back under", self.backlog_cap, "taking requests again")))
        self.ready += [(lease, data, self._decode_request(data)) for lease, data in zip(taken[::2], taken[1::2])]
        if len(taken) < want:
            self.ran_dry = self.synced

    def _script(self, want: int, renewing: bool, seed: str, fetched: int, done: list, leases: list,
                found: list) -> list:
        reply = self._sync(keys=[self.key, self.keys.leased, self.keys.lease_requests, self.keys.lease_ids,
                                 self.keys.seen, self.keys.seeded, self.keys.items, self.keys.archived, self.keys.run],
                           args=[self.lease_ms, want, int(renewing), seed, self.backlog_cap, self.due_before_ms,
                                 fetched, len(done), *done, len(leases), *leases, *found])
        if reply[3]:
            self.stats.inc_value("incremental/conditional", reply[3])
        return reply

    def spider_idle(self, spider):
        """An empty queue here is not the end while others hold leases (their pages may hold new links),
        the start requests are still coming, or the writer has a backlog: wait (Scrapy looks again in 5 s)."""
        self.renewed = 0.0   # take back leases run out elsewhere now
        self.sync(0)
        pending = self.keys.pending(self.server)
        if pending["seeding"] < 0:   # this worker saw it marked at its start: the worker seeding died
            logger.error("the worker handing the start requests over stopped before it had (%s ran out): this "
                         "run misses what they would have found; start the run again", self.keys.seeded)
            raise CloseSpider("seeding_lost")
        if any(pending.values()):
            logger.info("queue empty here, waiting for the others: %s", pending)
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        """What was found and done goes to Redis; requests still held or not yet started (a worker stopped
        mid-crawl) go back to the frontier at once: they may have been cut short, so another worker does
        them again rather than waiting for the leases to run out."""
        if self.keeper.running:
            self.keeper.stop()
        self.sync(0)
        back = {**{lease: data for lease, (data, _) in self.held.items()},
                **{lease: data for lease, data, _ in self.ready}}
        if back:
            with self.server.pipeline() as pipe:
                pipe.zadd(self.key, dict.fromkeys(back.values(), float("-inf")))
                pipe.zrem(self.keys.leased, *back)
                pipe.hdel(self.keys.lease_requests, *back)
                pipe.execute()
            self.held.clear()
            self.ready.clear()

    def clear(self):
        self.server.delete(self.key, self.keys.leased, self.keys.lease_requests, self.keys.lease_ids)
