"""The one archive writer of a distributed crawl: the item stream into SQLite.

Reads the stream through a consumer group (XREADGROUP), a batch at a time,
hands each entry to ArchiveWriter (normalize and dedupe already ran in the
workers; clusters, related-link targets, search rows are the writer's) and
acknowledges and deletes the batch (XACK, XDEL) only after its transaction
committed. Killed mid-batch, nothing is lost: the entries stay pending in
the group, and the next writer claims them (XAUTOCLAIM) and stores them
before anything new; storing an entry twice is harmless (the second finds
the article unchanged). It also keeps what workers need of the archive for
incremental runs published in Redis (archived.py): whole when it starts,
then each batch's articles with that batch's acknowledgement.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import socket
import time
from contextlib import closing

import zstandard
from redis.exceptions import ResponseError

from crawler.distributed import archived
from crawler.distributed.keys import Keys
from crawler.runlock import run_lock
from pipelines.dedupe import FingerprintScheme
from pipelines.normalize import normalize_url
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter, close_interrupted_runs
from pipelines.stream import Codec, store

logger = logging.getLogger(__name__)

GROUP = "writers"


class StreamWriter:
    """Stores a run's item stream into one archive; `run()` until told to stop."""

    def __init__(self, server, keys: Keys, writer: ArchiveWriter, block_ms: int = 1000, linger: float = 0.5):
        self.server, self.keys, self.writer, self.block_ms, self.linger = server, keys, writer, block_ms, linger
        self.codec = Codec(server, keys)
        self.consumer = f"{socket.gethostname()}-{os.getpid()}"
        self.stopping = False
        self.stored = self.unstored = 0

    def join_group(self) -> None:
        """The consumer group from the stream's start (items added before any writer ran count too);
        entries a dead writer left pending become ours."""
        try:
            self.server.xgroup_create(self.keys.items, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        start, claimed = "0-0", 0
        while True:
            start, entries, *_ = self.server.xautoclaim(self.keys.items, GROUP, self.consumer, 0, start,
                                                        count=self.writer.batch_size)
            claimed += len(entries)
            if start in (b"0-0", "0-0"):
                break
        for name in [c["name"] for c in self.server.xinfo_consumers(self.keys.items, GROUP)]:
            if name not in (self.consumer, self.consumer.encode()):
                self.server.xgroup_delconsumer(self.keys.items, GROUP, name)
        if claimed:
            logger.info("claimed %d items a stopped writer had not stored", claimed)

    def run(self, until=lambda: False) -> int:
        """Store batches until `until()` holds with nothing left to read, or `stop()`; returns items stored."""
        self.join_group()
        while not self.stopping and (entries := self.read("0")):   # ours pending (claimed) first
            self.store(entries)
        while not self.stopping:
            entries = self.read_batch()
            if entries:
                self.store(entries)
            elif until():
                break
        return self.stored

    def read(self, start: str, block_ms: int | None = None, count: int | None = None) -> list:
        reply = self.server.xreadgroup(GROUP, self.consumer, {self.keys.items: start},
                                       count=count or self.writer.batch_size, block=block_ms)
        return reply[0][1] if reply else []

    def read_batch(self) -> list:
        """New entries, waiting `linger` seconds after the first for the batch to fill: a batch of one costs
        a commit and four Redis commands, as one of hundreds does. The rest is read once, after the wait: a
        blocking read returns with the first entry to come, one read per entry while workers trickle them
        in (0.77 XREADGROUP a page on the benchmark site)."""
        batch = self.read(">", self.block_ms)
        if batch and len(batch) < self.writer.batch_size:
            time.sleep(self.linger)
            batch += self.read(">", count=self.writer.batch_size - len(batch))
        return batch

    def store(self, entries: list) -> None:
        """One batch: into the archive, committed, then its articles published and the batch acknowledged.
        An entry that cannot be read or stored is set aside (KEY:unstored) with its error, not retried for
        ever: a writer restarted would meet it again and the run would never end."""
        urls, unstored = set(), []
        for entry_id, fields in entries:
            try:
                entry = self.codec.decode(fields[b"item"])
                if entry["type"] in ("article", "not_modified"):
                    urls.add(entry["url"])
                elif entry["type"] == "redirect":
                    urls.add(normalize_url(entry["target"]))
                store(self.writer, entry)
            except (KeyError, TypeError, ValueError, zstandard.ZstdError) as exc:   # msgpack's errors are ValueErrors
                logger.error("stream entry %s not stored, set aside in %s: %r", entry_id, self.keys.unstored, exc)
                unstored.append({**fields, b"entry": entry_id, b"error": repr(exc)})
        self.writer.flush()
        ids = [entry_id for entry_id, _ in entries]
        with self.server.pipeline(transaction=False) as pipe:
            archived.stage(pipe, self.keys.archived, self.writer.db.conn, sorted(urls))
            for fields in unstored:
                pipe.xadd(self.keys.unstored, fields)
            pipe.xack(self.keys.items, GROUP, *ids).xdel(self.keys.items, *ids)
            pipe.execute()
        self.stored += len(ids) - len(unstored)
        self.unstored += len(unstored)

    def stop(self, *_) -> None:
        """Finish the batch in hand, then return from run() (SIGTERM, SIGINT)."""
        self.stopping = True


def run_report(server, keys: Keys, settings: dict) -> dict:
    """The crawl_runs columns the workers reported (worker.RunReport), `settings` added to theirs."""
    report = {name.decode(): value.decode() for name, value in server.hgetall(keys.run).items()}
    for count in ("fetched", "skipped"):
        if count in report:
            report[count] = int(report[count])
    report.setdefault("skipped", 0)   # the workers' sync script counts only when it skips
    report["settings"] = json.dumps({**json.loads(report.get("settings", "{}")), **settings}, ensure_ascii=False)
    return report


def write(server, key: str, db: str, settings, until=lambda: False, published=lambda: None) -> dict:
    """Run the writer of run `key` into the archive `db` (holding its run lock) until `until()` holds and
    the stream is drained, or SIGTERM / SIGINT; returns the writer's crawl_runs row. `published()` is called
    once the archive's state is in Redis: workers started then skip what is not due from their first link."""
    keys = Keys(key)
    scheme = FingerprintScheme.from_settings(settings)
    with run_lock(db), closing(open_archive(db)) as archive:
        close_interrupted_runs(archive)
        logger.info("published the state of %d archived articles for the workers",
                    archived.rebuild(server, keys, archive.conn))
        published()
        writer = ArchiveWriter(archive, settings.getint("ARCHIVE_BATCH_SIZE"), scheme)
        own = {"REDIS_KEY": key, "ARCHIVE_DB": db}
        run_id = writer.start_run(site=None, settings=own)
        stream = StreamWriter(server, keys, writer)
        previous = {sig: signal.signal(sig, stream.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            stored = stream.run(until)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        report = run_report(server, keys, own)
        writer.finish_run("interrupted" if stream.stopping else "finished",
                          fetched=report.pop("fetched", None), skipped=report.pop("skipped", None))
        archive["crawl_runs"].update(run_id, report)
        logger.info("writer stored %d items", stored)
        if stream.unstored:
            logger.error("%d stream entries could not be stored: set aside in %s", stream.unstored, keys.unstored)
        return dict(archive["crawl_runs"].get(run_id))
