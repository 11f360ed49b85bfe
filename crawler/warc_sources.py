"""Where WARC bytes come from: local files, http(s) URLs, and the WARC files inside a WACZ.

Every source opens at a byte offset, so an import resumes where it last
committed and steps past a corrupt record. A URL is streamed, never copied
to disk: resuming asks the server for the rest with a Range request, and a
WACZ on a server is read the same way (its central directory, then each
WARC member). The streams count what they read, so a record's length is
known even on a stream that cannot seek.
"""
from __future__ import annotations

import io
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from crawler.settings import USER_AGENT

_TIMEOUT = 60


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _get(url: str, start: int = 0, end: int | None = None):
    headers = {"User-Agent": USER_AGENT}
    if start or end is not None:
        headers["Range"] = f"bytes={start}-{'' if end is None else end}"
    response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=_TIMEOUT)
    if (start or end is not None) and response.status != 206:
        response.close()
        raise OSError(f"{url}: the server ignores Range requests (needed to resume or read a WACZ)")
    return response


class Counted(io.RawIOBase):
    """A read-only stream that knows its position: `base` plus what was read."""

    def __init__(self, raw, base: int = 0):
        self.raw, self.position = raw, base

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        self.raw.close()
        super().close()


class HttpFile(io.RawIOBase):
    """A remote file as a seekable stream: one streamed Range request per seek, for zipfile."""

    def __init__(self, url: str):
        self.url, self.position, self.response = url, 0, None
        with _get(url, 0, 0) as probe:
            self.size = int(probe.headers["Content-Range"].rsplit("/", 1)[1])

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        target = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        if target != self.position and self.response is not None:
            self.response.close()
            self.response = None
        self.position = target
        return target

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        if self.position >= self.size:
            return 0
        if self.response is None:
            self.response = _get(self.url, self.position)
        data = self.response.read(len(buffer))
        buffer[:len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        if self.response is not None:
            self.response.close()
        super().close()


@dataclass
class Source:
    """One WARC file: `name` identifies it in the archive; `open(offset)` streams it from there."""

    name: str
    open: Callable[[int], io.RawIOBase]


def _member_opener(archive: zipfile.ZipFile, member: str) -> Callable[[int], io.RawIOBase]:
    def open_at(offset: int):
        stream = archive.open(member)
        stream.seek(offset)
        return Counted(stream, offset)
    return open_at


def _wacz_sources(name: str, fileobj) -> list[Source]:
    """The WARC members of a WACZ (archive/*.warc[.gz]), in order."""
    archive = zipfile.ZipFile(fileobj)
    members = sorted(m for m in archive.namelist() if m.startswith("archive/") and ".warc" in m)
    if not members:
        raise ValueError(f"{name}: a WACZ without WARC files under archive/")
    return [Source(f"{name}#{member}", _member_opener(archive, member)) for member in members]


def sources(location: str) -> list[Source]:
    """The WARC files a command-line argument names: a .warc, .warc.gz or .wacz path or URL."""
    wacz = location.split("?", 1)[0].lower().endswith(".wacz")
    if is_url(location):
        if wacz:
            return _wacz_sources(location, io.BufferedReader(HttpFile(location), 1 << 16))
        return [Source(location, lambda offset: Counted(_get(location, offset), offset))]
    path = Path(location)
    if not path.is_file():
        raise FileNotFoundError(f"no such WARC or WACZ file: {location}")
    name = str(path.resolve())
    if wacz:
        return _wacz_sources(name, path.open("rb"))

    def open_file(offset: int):
        stream = path.open("rb", buffering=0)
        stream.seek(offset)
        return Counted(stream, offset)
    return [Source(name, open_file)]
