"""One run at a time per archive: an advisory lock on a file beside it.

`archive crawl`, `archive reparse` and `scrapy crawl articles` (its store
pipeline) hold `ARCHIVE.lock` (flock) for the whole run, so cron may start runs more often than they finish and two
writers never meet: the second finds the lock held and stops at once. The
kernel drops the lock when its process ends, kill -9 included, so a crash
never leaves a stale lock behind; the file itself stays (removing it would
let a third run lock a different file than the second is waiting on). The
lock is re-entrant within a process: `archive crawl` holds it, and the
store pipeline of the crawl it runs takes it again at no cost.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator


class ArchiveBusy(RuntimeError):
    """Another run holds this archive's lock."""


_held: dict[Path, int] = {}   # lock files this process holds -> how many `with` blocks hold each


def lock_path(db_path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


@contextmanager
def run_lock(db_path) -> Iterator[Path]:
    """Hold the archive's run lock for the `with` block, or raise ArchiveBusy at once."""
    path = lock_path(db_path)
    key = path.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield path
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise ArchiveBusy(f"{db_path} is in use by another run ({holder}); "
                              f"this run did nothing (lock: {path})") from None
        since = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {since}\n".encode(), 0)
        _held[key] = 1
        try:
            yield path
        finally:
            del _held[key]
    finally:
        os.close(fd)  # releases the lock
