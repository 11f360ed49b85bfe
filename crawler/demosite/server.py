"""Serve a directory on 127.0.0.1 the way a plain web server would, for crawls and tests.

HTML goes out as `text/html` with no charset, as many real servers send it,
so the crawler has to find the encoding in the page. `overrides` lets a test
put a 500, a redirect or an odd header on one path without touching the files.

    python -m crawler.demosite.server demo-site --port 8000
"""
from __future__ import annotations

import argparse
import ipaddress
import threading
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".json": "application/json",
}

Override = tuple[int, dict, bytes]  # status, headers, body


class _Handler(SimpleHTTPRequestHandler):
    """Static files with fixed content types, per-path overrides, and no request log."""

    extensions_map = CONTENT_TYPES
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server; every response has a length
    disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs under keep-alive

    def __init__(self, *args, overrides: dict[str, Override], **kwargs):
        self.overrides = overrides  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def send_head(self):
        override = self.overrides.get(self.path) or self.overrides.get(urlsplit(self.path).path)
        if override is None:
            return super().send_head()
        status, headers, body = override
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if not any(name.lower() == "content-length" for name in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def list_directory(self, path):
        """A directory without index.html is missing, not a listing."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def log_message(self, format, *args):
        pass


def _check_loopback(host: str) -> None:
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"the demo server only binds loopback addresses, not {host!r}")


@contextmanager
def serve_directory(root, host="127.0.0.1", port=0, overrides=None) -> Iterator[str]:
    """Serve `root` in a background thread; yields the base URL, stops and joins on exit.

    port 0 picks a free port. overrides maps a request path to (status, headers, body).
    """
    _check_loopback(host)
    if not Path(root).is_dir():
        raise FileNotFoundError(f"nothing to serve: {root} is not a directory")
    handler = partial(_Handler, directory=str(root), overrides=dict(overrides or {}))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demosite-server", daemon=True)
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield f"http://{bound_host}:{bound_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="directory to serve (e.g. one written by crawler.demosite.generate)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    with serve_directory(args.root, args.host, args.port) as url:
        print(f"serving {args.root} at {url}/ (Ctrl-C to stop)", flush=True)
        wait_for_interrupt()


def wait_for_interrupt() -> None:
    """Block a foreground server's main thread until Ctrl-C."""
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
