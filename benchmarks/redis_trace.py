"""Where a Redis client's bytes go: a counting proxy in front of redis-server.

Every client connects to the proxy instead of Redis; the proxy passes the
bytes on unchanged and parses RESP both ways, so each command's request
bytes and its reply's bytes are counted under the command's name and the
pattern of its first key (the run's prefix dropped, a site's name starred).
Replies come back in the order their commands went out (pipelines
included), so each reply belongs to the oldest command still unanswered.
"""
from __future__ import annotations

import asyncio
import collections
import re
import threading

from crawl_bench import free_port


def _end(buf: bytes, pos: int) -> int | None:
    """Where the RESP2 or RESP3 value starting at `pos` ends; None while it is incomplete."""
    if pos >= len(buf):
        return None
    line = buf.find(b"\r\n", pos)
    if line < 0:
        return None
    kind, head = buf[pos:pos + 1], buf[pos + 1:line]
    if kind in b"+-:_,(#":
        return line + 2
    if kind in b"$!=":
        size = int(head)
        end = line + 2 + size + 2 if size >= 0 else line + 2
        return end if end <= len(buf) else None
    if kind in b"*~>%|":
        pos = line + 2
        for _ in range(max(int(head), 0) * (2 if kind in b"%|" else 1)):
            pos = _end(buf, pos)
            if pos is None:
                return None
        return _end(buf, pos) if kind == b"|" else pos   # an attribute comes before its value
    raise ValueError(f"not RESP at {pos}: {bytes(buf[pos:pos + 20])!r}")


def _command(buf: bytes, pos: int) -> list[bytes]:
    """The command name and first arguments of the array at `pos` (complete)."""
    line = buf.find(b"\r\n", pos)
    count, pos, args = int(buf[pos + 1:line]), line + 2, []
    for _ in range(min(count, 4)):
        line = buf.find(b"\r\n", pos)
        size = int(buf[pos + 1:line])
        args.append(bytes(buf[line + 2:line + 2 + size]))
        pos = line + 2 + size + 2
    return args


def label(args: list[bytes], prefix: str) -> str:
    """COMMAND key-pattern: EVALSHA named by its first key, a site's token starred."""
    name = args[0].decode().upper()
    at = 3 if name in ("EVALSHA", "EVAL") else 2 if name == "XREADGROUP" else 1
    if name == "XREADGROUP":   # XREADGROUP GROUP g consumer [COUNT n] [BLOCK ms] STREAMS key id
        return f"{name} items"
    key = args[at].decode("utf-8", "replace") if len(args) > at else ""
    key = re.sub(r"^" + re.escape(prefix) + ":", "", key)
    key = re.sub(r"^site:.*", "site:*", key)
    return f"{name} {key}".strip()


class TraceProxy:
    """A counting proxy on 127.0.0.1 and a free port, in a thread, in front of `host`:`port`."""

    def __init__(self, port: int, prefix: str = "archive"):
        self.upstream, self.prefix, self.port = port, prefix, free_port()
        self.counts = collections.defaultdict(lambda: [0, 0, 0])   # label -> commands, bytes in, bytes out
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self):
        self.thread.start()
        self.ready.wait()
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def reset(self) -> None:
        self.counts.clear()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_forever()

    async def _client(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        waiting: collections.deque = collections.deque()
        await asyncio.gather(self._pump(reader, up_writer, waiting, request=True),
                             self._pump(up_reader, writer, waiting, request=False), return_exceptions=True)

    async def _pump(self, reader, writer, waiting, request: bool) -> None:
        buf = bytearray()
        try:
            while data := await reader.read(1 << 16):
                writer.write(data)
                buf += data
                pos = 0
                while (end := _end(buf, pos)) is not None:
                    if request:
                        name = label(_command(buf, pos), self.prefix)
                        self.counts[name][0] += 1
                        self.counts[name][1] += end - pos
                        waiting.append(name)
                    elif waiting and buf[pos:pos + 1] != b">":   # a push is no command's reply
                        self.counts[waiting.popleft()][2] += end - pos
                    pos = end
                del buf[:pos]
                await writer.drain()
        finally:
            writer.close()

    def report(self, pages: int) -> str:
        """A table of each label's commands and bytes per fetched page, the largest first."""
        rows = sorted(self.counts.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))
        total = [sum(c[n] for c in self.counts.values()) for n in range(3)]
        lines = [f"{'command key':32} {'cmd/page':>9} {'in B/page':>10} {'out B/page':>10} {'B/cmd':>8}"]
        for name, (n, got, sent) in [*rows, ("total", total)]:
            lines.append(f"{name[:32]:32} {n / pages:9.2f} {got / pages:10.0f} {sent / pages:10.0f} "
                         f"{(got + sent) / max(n, 1):8.0f}")
        return "\n".join(lines)
