"""The Redis keys of one distributed run, named in one place.

Every key of a run sits under one prefix (ARCHIVE_REDIS_KEY, default
"archive"), so two runs (two archives) can share a Redis, and a new run can
forget the last one's frontier and seen set deliberately, not by accident.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str = "archive"

    @property
    def requests(self) -> str:
        """The frontier: a sorted set of serialized requests, by priority (scrapy-redis's PriorityQueue)."""
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:
        """Fingerprints of every request ever scheduled in this run, and markers of the archived URLs it skipped
        as not due (queue.py), packed in buckets (crawler/distributed/seen.py)."""
        return f"{self.prefix}:seen"

    @property
    def leased(self) -> str:
        """Leases of requests handed to a worker and not done yet: lease ids by when each runs out unless
        renewed (a sorted set, milliseconds of Redis's clock). A worker ends or renews a lease by its id, a
        few bytes, rather than by the request's ~190."""
        return f"{self.prefix}:leased"

    @property
    def lease_requests(self) -> str:
        """The request of each lease, by lease id (a hash): what goes back to the frontier if the lease runs out."""
        return f"{self.prefix}:lease_requests"

    @property
    def lease_ids(self) -> str:
        """The last lease id given out (a counter)."""
        return f"{self.prefix}:lease_ids"

    @property
    def seeded(self) -> str:
        """"seeding" while one worker hands the start requests over (a lease it renews: gone if it dies),
        "done" after."""
        return f"{self.prefix}:seeded"

    @property
    def items(self) -> str:
        """The stream of finished items, read by the writer's consumer group."""
        return f"{self.prefix}:items"

    @property
    def unstored(self) -> str:
        """Stream entries the writer could not read or store (another version's format, a dictionary gone): set
        aside here, as they came and with the error, so the run goes on and nothing is lost (a stream)."""
        return f"{self.prefix}:unstored"

    @property
    def run(self) -> str:
        """The run's record for the writer's crawl_runs row: site, start_urls, settings, fetched, skipped
        (crawler/distributed/worker.py, RunReport)."""
        return f"{self.prefix}:run"

    def site(self, slot: str) -> str:
        """The site's (a download slot's) requests in flight across workers and when its next turn is free
        (politeness.py)."""
        return f"{self.prefix}:site:{slot}"

    @property
    def archived(self) -> str:
        """What the archive holds about each URL (last fetch, validators), published by the writer for the
        workers' incremental decisions (crawler/distributed/archived.py). The archive's, not the run's: kept
        from run to run."""
        return f"{self.prefix}:archived"

    @property
    def dicts(self) -> str:
        """The zstd dictionaries the stream's entries are compressed with, by id (pipelines/stream.py)."""
        return f"{self.prefix}:dicts"

    def pending(self, server) -> dict[str, int]:
        """What is left of the run: requests queued and leased, items not yet stored, and whether the
        start requests are still being handed over (1) or not yet (-1)."""
        with server.pipeline(transaction=False) as pipe:
            pipe.zcard(self.requests).zcard(self.leased).xlen(self.items).get(self.seeded)
            queued, leased, backlog, seeded = pipe.execute()
        seeding = 0 if seeded in (b"done", "done") else 1 if seeded else -1
        return {"queued": queued, "leased": leased, "backlog": backlog, "seeding": seeding}

    def done(self, server) -> bool:
        """Nothing queued, leased or waiting for the writer, and the start requests handed over: no one
        can find another link, so every worker may stop (and a writer told to, too)."""
        return not any(self.pending(server).values())

    def run_keys(self) -> list[str]:
        return [self.requests, self.seen, self.leased, self.lease_requests, self.lease_ids, self.seeded, self.run]

    def clear(self, server) -> None:
        """Forget the frontier and seen set of the last run (a new run starts); the item stream is kept,
        so nothing a writer has not stored yet is lost, and its dictionaries while it holds anything."""
        server.delete(*self.run_keys())
        if not server.xlen(self.items):
            server.delete(self.dicts)
