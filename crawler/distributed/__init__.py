"""Many crawl workers, one archive writer, through one Redis (scrapy-redis underneath).

Workers run the `articles` spider with scrapy-redis's scheduler and
dupefilter, so they share one frontier and one seen set; each finished item
goes into a Redis Stream instead of SQLite (pipelines/stream.py). One writer
reads the stream through a consumer group, stores with `ArchiveWriter` and
acknowledges only after its commit (crawler/distributed/writer.py).

What stock scrapy-redis gets wrong for us, and where it is mended:
- a killed worker's in-flight requests are lost: requests are leased, not
  popped (crawler/distributed/queue.py);
- the shared state is wiped when any one worker stops: SCHEDULER_PERSIST,
  and a new run clears it deliberately (`Keys.clear`);
- a worker with a momentarily empty queue quits: it waits while anyone holds
  a lease or the writer has a backlog (LeaseQueue.spider_idle);
- start URLs seeded by every worker: once per run (worker.SeedOnce);
- a seen set of 88-96 bytes per URL and a round trip per link: packed
  fingerprints (crawler/distributed/seen.py), one script per sync (queue.py);
- every process reading the archive for an incremental run's decisions: the
  writer publishes just those answers to Redis, and workers check their links
  against them in the sync script (crawler/distributed/archived.py);
- per-site concurrency and delay (DOWNLOAD_DELAY, AutoThrottle) per process: per site across
  workers (politeness.py);
- requests pickled into Redis: msgpack instead (crawler/distributed/serializer.py).
"""
