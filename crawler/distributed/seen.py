"""The seen set of a distributed run: fixed-size request fingerprints packed into buckets of one Redis hash.

scrapy-redis keeps a set of 40-character hex fingerprints: 88-96 bytes of
Redis memory per URL, about 10 GB at 100 million. Here a request's
fingerprint is the first FINGERPRINT_BYTES of its SHA-1 (scrapy-redis's own
fingerprint), and fingerprints are packed back to back in buckets, each
bucket one field of one hash: about 12 bytes per URL at any size, exact
(two URLs are confused only if 96 bits of SHA-1 agree: about 6e-14 at 100
million URLs), where a Bloom filter would silently skip a page now and
then. The buckets grow by linear hashing: whenever the URLs outnumber
LOAD per bucket, one bucket splits in two, so a bucket stays a few hundred
bytes to scan and rewrite (in the Lua script that also queues, so a request
is never marked seen without being queued).
"""
from __future__ import annotations

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.distributed.connection import compiled

FINGERPRINT_BYTES = 12
LOAD = 48   # fingerprints per bucket on average: per-bucket overhead (about 100 bytes) spread thin

# Lua on the seen hash SEEN_KEY (named by the script that includes it): fields "buckets" and "urls",
# and bucket number -> packed fingerprints.
LUA = f"""
local SIZE, LOAD = {FINGERPRINT_BYTES}, {LOAD}
local function hash(fp)
  local a, b, c, d = string.byte(fp, 1, 4)
  return ((a * 256 + b) * 256 + c) * 256 + d
end
local function level_of(n)   -- the largest power of two not above n
  local level = 1
  while level * 2 <= n do level = level * 2 end
  return level
end
local function bucket(fp, n)
  local level = level_of(n)
  local b = hash(fp) % (level * 2)
  if b >= n then b = hash(fp) % level end
  return b
end
local function holds(packed, fp)   -- only at a multiple of SIZE: a match across two entries is not one
  local at = string.find(packed, fp, 1, true)
  while at do
    if at % SIZE == 1 then return true end
    at = string.find(packed, fp, at + 1, true)
  end
  return false
end
local buckets, urls, marked   -- read on first use
local packed_in = {{}}   -- bucket -> its packed fingerprints, as read or marked by this script (until settle)
local dirty = {{}}   -- buckets marked in, written by settle
local function read(b)
  if not packed_in[b] then packed_in[b] = redis.call('HGET', SEEN_KEY, b) or '' end
  return packed_in[b]
end
local function load()
  if not buckets then
    local fields = redis.call('HMGET', SEEN_KEY, 'buckets', 'urls')
    buckets, urls, marked = tonumber(fields[1]) or 1, tonumber(fields[2]) or 0, 0
  end
end
-- Reads the buckets of all these fingerprints in one command (a script asking about many), not one each.
local function preload(fps)
  if #fps == 0 then return end
  load()
  local wanted, asked = {{}}, {{}}
  for _, fp in ipairs(fps) do
    local b = bucket(fp, buckets)
    if not packed_in[b] and not asked[b] then asked[b] = true; wanted[#wanted + 1] = b end
  end
  if #wanted == 0 then return end
  for n, packed in ipairs(redis.call('HMGET', SEEN_KEY, unpack(wanted))) do packed_in[wanted[n]] = packed or '' end
end
local function seen(fp)
  load()
  return holds(read(bucket(fp, buckets)), fp)
end
-- Marks fp seen (written by settle, which every script that marks ends with); false if it already was.
local function mark(fp)
  load()
  local b = bucket(fp, buckets)
  local packed = read(b)
  if holds(packed, fp) then return false end
  packed_in[b], dirty[b] = packed .. fp, true
  urls, marked = urls + 1, marked + 1
  return true
end
-- After marking: split buckets until LOAD holds again (linear hashing), then write the buckets marked in or
-- split and the counts, in one command.
local function settle()
  if (marked or 0) == 0 then return end
  local writes = {{}}
  for b in pairs(dirty) do writes[b] = packed_in[b] end
  while urls > buckets * LOAD do
    local level = level_of(buckets)
    local old, stay, move = buckets - level, {{}}, {{}}
    local packed = writes[old] or packed_in[old] or redis.call('HGET', SEEN_KEY, old) or ''
    for at = 1, #packed, SIZE do
      local fp = string.sub(packed, at, at + SIZE - 1)
      if hash(fp) % (level * 2) == buckets then move[#move + 1] = fp else stay[#stay + 1] = fp end
    end
    writes[old], writes[buckets] = table.concat(stay), table.concat(move)
    buckets = buckets + 1
  end
  local args = {{'buckets', buckets, 'urls', urls}}
  for b, packed in pairs(writes) do args[#args + 1] = b; args[#args + 1] = packed end
  redis.call('HSET', SEEN_KEY, unpack(args))
  packed_in, dirty, marked = {{}}, {{}}, 0
end
"""

# 1 when ARGV[1] is in the seen set KEYS[1].
SEEN = "local SEEN_KEY = KEYS[1]\n" + LUA + "return seen(ARGV[1]) and 1 or 0\n"


def seen_count(server, key: str) -> int:
    """URLs in the seen set `key`."""
    return int(server.hget(key, "urls") or 0)


class SeenOnPush(RFPDupeFilter):
    """DUPEFILTER_CLASS that leaves the seen set to LeaseQueue, whose sync marks and queues the links found,
    many in one script, and drops those seen (two workers that find a page at once queue it once). Only a
    redirect is asked about here, without marking it: one to a page already seen is dropped by the scheduler,
    and the stream pipeline records the redirect."""

    def __init__(self, server, key, debug=False):
        super().__init__(server, key, debug)
        self._seen = compiled(server, SEEN)

    def fingerprint(self, request) -> bytes:
        return bytes.fromhex(self.request_fingerprint(request))[:FINGERPRINT_BYTES]

    def request_seen(self, request):
        if not request.meta.get("redirect_urls"):
            return False
        return bool(self._seen(keys=[self.key], args=[self.fingerprint(request)]))
