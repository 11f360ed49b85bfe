"""A site that changes between crawls: pages held in memory, edited by a test, served on 127.0.0.1.

It answers conditional requests as real servers do: an ETag from the page's
bytes, Last-Modified from when the test last put the page; a request whose
If-None-Match (else If-Modified-Since) still matches gets 304 and no body. A
page can answer 404 or 410 instead, and every response can be slowed down or
held until the test lets it go.
Each request is logged, so a test can say exactly what was downloaded.
"""
from __future__ import annotations

import hashlib
import html
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    body: bytes
    modified: datetime
    status: int = 200
    content_type: str = "text/html; charset=utf-8"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None


@dataclass
class LiveSite:
    base: str = ""
    delay: float = 0.0                  # seconds each article response waits
    held: threading.Event | None = None  # while set up and not set, article responses wait for it
    pages: dict[str, Page] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)   # path -> where a 301 sends it
    hits: list[Hit] = field(default_factory=list)

    def put(self, path: str, text: str, content_type="text/html; charset=utf-8") -> None:
        """Serve `text` at `path` from now on, modified now (a second later than before)."""
        old = self.pages.get(path)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        if old is not None:  # HTTP dates count whole seconds: a change must show in them
            now = max(now, old.modified + timedelta(seconds=1))
        self.pages[path] = Page(text.encode("utf-8"), now, content_type=content_type)

    def vanish(self, path: str, status: int = 404) -> None:
        self.pages[path].status = status

    def restore(self, path: str) -> None:
        self.pages[path].status = 200

    def downloaded(self, prefix: str = "/a/") -> list[str]:
        """Paths under `prefix` answered with a body (200), in request order."""
        return [h.path for h in self.hits if h.path.startswith(prefix) and h.status == 200]

    def asked(self, prefix: str = "/a/") -> list[Hit]:
        return [h for h in self.hits if h.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: LiveSite

    def do_GET(self):
        if self.path in self.site.redirects:
            self.site.hits.append(Hit(self.path, 301, None, None))
            self.send_response(301)
            self.send_header("Location", self.site.redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        page = self.site.pages.get(self.path)
        if page is not None and self.path.startswith("/a/"):
            if self.site.held is not None:
                self.site.held.wait(60)
            if self.site.delay:
                time.sleep(self.site.delay)
        status = 404 if page is None else page.status
        if status == 200 and self._not_modified(page):
            status = 304
        self.site.hits.append(Hit(self.path, status, self.headers.get("If-None-Match"),
                                  self.headers.get("If-Modified-Since")))
        body = page.body if status == 200 else b"" if status == 304 else b"<h1>not here</h1>"
        self.send_response(status)
        if page is not None and status in (200, 304):
            self.send_header("ETag", page.etag)
            self.send_header("Last-Modified", format_datetime(page.modified, usegmt=True))
        if status != 304:
            self.send_header("Content-Type", page.content_type if status == 200 else "text/html")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def _not_modified(self, page: Page) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return page.etag in [t.strip() for t in tags.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return page.modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def log_message(self, format, *args):
        pass


@contextmanager
def serve_live_site(site: LiveSite):
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


# -- pages in the DESIGN anatomy --------------------------------------------

def article_page(title: str, paragraphs: list[str], related: list[tuple[str, str]] = (), lang="zh-CN") -> str:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    rel = "".join(f'<li><a href="{href}">{html.escape(t)}</a><p>{html.escape(t)}的摘要……</p></li>'
                  for href, t in related)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)} - 石板路札记</title>
<meta property="og:type" content="article"></head>
<body>
<div class="nav"><a href="/">石板路札记</a></div>
<div class="position">当前位置: <a href="/">首页</a> &gt; <a href="/">随笔</a> &gt;正文</div>
<article class="post"><h1>{html.escape(title)}</h1>
<div class="content">
{paras}
</div></article>
<div class="related"><h3>相关文章:</h3><ul>{rel}</ul></div>
<div class="foot">© 2025 石板路札记</div>
</body></html>"""


def listing_page(links: list[tuple[str, str]]) -> str:
    items = "\n".join(f'<li><a href="{href}">{html.escape(t)}</a></li>' for href, t in links)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>石板路札记 - 首页</title></head>
<body><div class="nav"><a href="/">石板路札记</a></div>
<ul class="post-list">
{items}
</ul><div class="foot">© 2025 石板路札记</div></body></html>"""


def sitemap(base: str, lastmod: dict[str, str]) -> str:
    urls = "".join(f"<url><loc>{base}{path}</loc><lastmod>{when}</lastmod></url>" for path, when in lastmod.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


TOPICS = ["石板路", "老茶馆", "旧书摊", "河边的柳树", "巷口的面馆", "夜市的灯", "钟楼", "渡口",
          "雨后的菜园", "山脚的小站"]


def paragraphs(n: int, version: int = 1) -> list[str]:
    """The body of article n: a few sentences of its own, in version `version`."""
    topic = TOPICS[n % len(TOPICS)]
    return [f"第{n}篇写{topic}。那天下午我沿着{topic}走了很久，记下了看到的每一处细节。",
            f"{topic}旁边有一家开了三十年的小店，老板说生意一年不如一年，但他还想再守几年。",
            f"这是第{version}版的结尾：写{topic}的文章，总要留一点给下次再来的时候。"]


def fill(site: LiveSite, count: int, *, with_sitemap: bool = False, lastmod: str = "2020-01-01") -> list[str]:
    """Articles /a/1.html .. /a/COUNT.html linked from the home page (and a sitemap); their paths."""
    paths = [f"/a/{n}.html" for n in range(1, count + 1)]
    for n, path in enumerate(paths, start=1):
        neighbours = [(p, f"第{m}篇") for m, p in enumerate(paths, start=1) if m in (n - 1, n + 1)]
        site.put(path, article_page(f"第{n}篇：{TOPICS[n % len(TOPICS)]}", paragraphs(n), neighbours))
    site.put("/", listing_page([(p, f"第{n}篇") for n, p in enumerate(paths, start=1)]))
    if with_sitemap:
        site.put("/sitemap.xml", sitemap(site.base, dict.fromkeys(paths, lastmod)), "application/xml")
    return paths
