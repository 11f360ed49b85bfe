"""What the archive holds about each URL, published to Redis by the writer, so workers need no archive.

An incremental run asks, before it fetches an archived article, when it was
last fetched (is it due?) and its ETag / Last-Modified (a conditional
request, answered 304 when unchanged): crawler/middlewares/incremental.py
asks the archive. Workers on other machines have no archive, and a copy for
each would cost about 265 bytes a URL, per worker. So the writer, which
has the archive, keeps one shared copy of just those answers in a Redis hash
(ARCHIVE_REDIS_KEY:archived), by the first KEY_BYTES of the SHA-1 of the
normalized URL:

- an article: "LAST_SEEN_MS\\nETAG\\nLAST_MODIFIED";
- a URL that redirected to an article: "=" and the article's key (a link to
  it stands for the article);
- a later part of a split article: "+" and the article's key (it stands for
  the article, never conditionally: the validators are part 1's).

The writer rebuilds it from the archive when it starts (built aside, then
renamed: workers never see half of it) and updates it with each batch it
commits, in the same round trip as the batch's acknowledgement; so an article
this run wrote counts as just fetched, as in a single process. Workers read
it inside the sync script that queues their links (queue.py), never one
round trip per URL.
"""
from __future__ import annotations

import hashlib

from crawler.distributed.keys import Keys
from crawler.middlewares.incremental import VALIDATORS, parse_time, rows

KEY_BYTES = 12
READY = b""   # the field saying the hash was built (an empty archive has no other)
_IN_CHUNK = 500

# (prefix of an alias, SQL of its rows: URL, article URL), in the order the middleware asks (_LOOKUPS): a URL
# both an article and an alias is the article; aliases are written only where nothing is (HSETNX).
_ALIASES = (
    (b"=", "SELECT d.url, a.url FROM redirects AS d JOIN articles AS a ON a.id = d.article_id"),
    (b"+", "SELECT DISTINCT p.url, a.url FROM article_parts AS p JOIN articles AS a ON a.id = p.article_id"
           " WHERE p.part > 1"),
)
_ARTICLES = (f"SELECT a.url, a.last_seen, {VALIDATORS} FROM articles AS a"
             " LEFT JOIN raw_pages AS r ON r.article_id = a.id")

# Lua for the worker's sync script: known(key) -> last fetch (ms), ETag, Last-Modified of what the URL stands for,
# or nil. Needs ARCHIVED, the hash's name.
LUA = f"""
local KEY_BYTES = {KEY_BYTES}
local function article(value)
  local a = string.find(value, '\\n', 1, true)
  local b = string.find(value, '\\n', a + 1, true)
  return tonumber(string.sub(value, 1, a - 1)), string.sub(value, a + 1, b - 1), string.sub(value, b + 1)
end
local archive_empty   -- nothing published but READY (a first run): no lookups
local function known(key)
  if archive_empty == nil then archive_empty = redis.call('HLEN', ARCHIVED) <= 1 end
  if archive_empty then return nil end
  local value = redis.call('HGET', ARCHIVED, key)
  if not value then return nil end
  local kind = string.sub(value, 1, 1)
  if kind ~= '=' and kind ~= '+' then return article(value) end
  local target = redis.call('HGET', ARCHIVED, string.sub(value, 2))
  if not target then return nil end
  local seen, etag, modified = article(target)
  if kind == '+' then return seen, '', '' end
  return seen, etag, modified
end
"""


def url_key(url: str) -> bytes:
    """The key of a normalized URL in the published hash."""
    return hashlib.sha1(url.encode()).digest()[:KEY_BYTES]


def _article_value(last_seen: str | None, etag: str | None, last_modified: str | None) -> bytes:
    seen = parse_time(last_seen)
    return f"{int(seen.timestamp() * 1000) if seen else 0}\n{etag or ''}\n{last_modified or ''}".encode()


def _rows_for(conn, sql: str, urls: list[str] | None, column: str) -> list[tuple]:
    """Every row of `sql`, or those whose `column` is one of `urls` (none when the archive lacks the table)."""
    where = " AND " if " WHERE " in sql else " WHERE "
    chunks = [None] if urls is None else [urls[n:n + _IN_CHUNK] for n in range(0, len(urls), _IN_CHUNK)]
    found = []
    for chunk in chunks:
        query = sql if chunk is None else f"{sql}{where}{column} IN ({', '.join('?' * len(chunk))})"
        found += rows(conn, query, chunk or ())
    return found


def stage(pipe, key: str, conn, urls: list[str] | None = None) -> int:
    """Queue on the Redis pipeline `pipe` the HSETs that publish into hash `key` what the archive `conn` holds
    about the articles at `urls` (their redirects and parts too), or about every article; returns how many."""
    articles = {url_key(url): _article_value(*rest) for url, *rest in _rows_for(conn, _ARTICLES, urls, "a.url")}
    for start in range(0, len(items := list(articles.items())), 1000):
        pipe.hset(key, mapping=dict(items[start:start + 1000]))
        if len(pipe) >= 100:   # a large archive: sent as it goes, not held whole
            pipe.execute()
    for prefix, sql in _ALIASES:
        for url, target in _rows_for(conn, sql, urls, "a.url"):
            pipe.hsetnx(key, url_key(url), prefix + url_key(target))
    return len(articles)


def rebuild(server, keys: Keys, conn) -> int:
    """Publish the whole archive afresh (at the writer's start: another process may have written it since);
    returns the articles published."""
    building = keys.archived + ":building"
    with server.pipeline(transaction=False) as pipe:
        pipe.delete(building)
        pipe.hset(building, READY, 1)
        count = stage(pipe, building, conn)
        pipe.rename(building, keys.archived)
        pipe.execute()
    return count
