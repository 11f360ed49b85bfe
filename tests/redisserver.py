"""A private redis-server on 127.0.0.1 and a free port, for the distributed-crawl tests.

Bound to loopback only, nothing written to disk unless a test stops it with
`keep` (a snapshot, as a Redis that persists would keep its data over a
restart) and starts it again on the same port.
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from conftest import free_port


class RedisServer:
    def __init__(self, folder: Path):
        assert shutil.which("redis-server"), "the distributed tests need redis-server (make test installs it)"
        self.folder, self.port, self.proc = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.log = (self.folder / "redis.log").open("ab")
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
             "--save", "", "--appendonly", "no", "--dbfilename", "dump.rdb"],
            stdout=self.log, stderr=subprocess.STDOUT)
        client = self.client()
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                assert self.proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self, keep: bool = False) -> None:
        """Stop it; `keep`: with a snapshot of its data, so a restart finds it (a Redis that persists)."""
        if keep:
            self.client().shutdown(save=True)
        else:
            self.proc.terminate()
        self.proc.wait(10)
        self.log.close()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)
