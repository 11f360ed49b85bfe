"""Crawl traps on a real site: each stops within 50 requests, with a `trap_limit` row saying why.

The trap site (served on 127.0.0.1 by a handler written here) has four
endless regions beside a few real articles: a calendar whose months link
the months around them, a tree of ever deeper paths that fans out, pages
whose every link carries a fresh session id, and a catalogue whose facet
links combine without end. One `archive crawl` with the default trap
limits runs over all of it.
"""
from __future__ import annotations

import itertools
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import sqlite_utils

from conftest import run_archive
from crawler.middlewares.traps import SESSION_PARAMS, below, url_pattern, without_session

MAX_REQUESTS = 50
PARAGRAPH = ("这是陷阱站点上的一篇真文章。抓取器应该把它完整保存，同时不要在无穷无尽的日历、"
             "越来越深的路径、会话编号和筛选组合里浪费请求。")
FACETS = {"color": ("red", "blue", "green"), "size": ("s", "m", "l"), "sort": ("new", "old"), "view": ("list", "grid")}
_session = itertools.count(1000)


def page(title: str, links: list[str], body: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}<ul>{items}</ul></body></html>").encode("utf-8")


def article(n: int) -> bytes:
    return page(f"第 {n} 篇文章", [], "<article>" + f"<p>{PARAGRAPH}</p>" * 4 + "</article>")


def calendar(year: int, month: int) -> bytes:
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    nxt = (year, month + 1) if month < 12 else (year + 1, 1)
    return page(f"{year} 年 {month} 月", [f"/calendar/{y}/{m:02d}/" for y, m in (prev, nxt)] + ["/posts/1.html"])


def deeper(path: str) -> bytes:
    return page("更深一层", [f"{path}{word}/" for word in ("left", "right")] + ["/posts/2.html"])


def session_page(path: str) -> bytes:
    sid = next(_session)   # a new session on every response, as a site that keeps none in cookies
    return page("会话", [f"/shop/{p}?sid={sid}" for p in ("home", "news", "about")] + [f"/posts/3.html;jsessionid={sid}"])


def catalogue(query: str) -> bytes:
    chosen = dict(parse_qsl(query))
    links = [f"/catalogue?{urlencode({**chosen, name: value})}"
             for name, values in FACETS.items() for value in values if chosen.get(name) != value]
    return page("商品目录", links + ["/posts/4.html"])


ROUTES = [
    (r"/", lambda m, q: page("陷阱站点", ["/calendar/2025/01/", "/deep/", "/shop/home?sid=1", "/catalogue?color=red"])),
    (r"/posts/(\d+)\.html", lambda m, q: article(int(m.group(1)))),
    (r"/calendar/(\d+)/(\d+)/", lambda m, q: calendar(int(m.group(1)), int(m.group(2)))),
    (r"/deep/(?:\w+/)*", lambda m, q: deeper(m.group(0))),
    (r"/shop/\w+", lambda m, q: session_page(m.group(0))),
    (r"/catalogue", lambda m, q: catalogue(q)),
]


@contextmanager
def serve_traps():
    log: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            log.append(self.path)
            parts = urlsplit(self.path)
            path = re.sub(r";jsessionid=\d+", "", parts.path)
            for pattern, render in ROUTES:
                match = re.fullmatch(pattern, path)
                if match:
                    body, status = render(match, parts.query), 200
                    break
            else:
                body, status = b"not found", 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8" if status == 200 else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", log
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("traps") / "traps.db"
    with serve_traps() as (base, log):
        result = run_archive("crawl", base + "/", "--db", str(db_path), "-s", "AUTOTHROTTLE_ENABLED=False",
                             timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    db = sqlite_utils.Database(db_path)
    failures = [row for row in db["failures"].rows if row["reason"] == "trap_limit"]
    articles = [urlsplit(row["url"]).path for row in db["articles"].rows]
    db.close()
    yield log, failures, articles


@pytest.mark.parametrize("prefix, why", [
    ("/calendar/", "barren listings"),
    ("/deep/", "below the last in the path"),
    ("/shop/", "session id"),
    ("/catalogue", "barren listings"),
])
def test_each_trap_stops_within_50_requests_and_says_why(crawled, prefix, why):
    log, failures, _ = crawled
    assert 0 < len([p for p in log if p.startswith(prefix)]) <= MAX_REQUESTS
    reasons = [f["error"] for f in failures if urlsplit(f["url"]).path.startswith(prefix)]
    assert any(why in r for r in reasons), reasons


def test_the_real_articles_beside_the_traps_are_archived_once(crawled):
    log, _, articles = crawled
    assert sorted(articles) == [f"/posts/{n}.html" for n in (1, 2, 3, 4)]
    assert all(len([p for p in log if p.startswith(f"/posts/{n}.html")]) == 1 for n in (1, 2, 3, 4))


@pytest.mark.parametrize("url, expected, names", [
    ("http://x.example/a?sid=42&page=2", "http://x.example/a?page=2", ["sid"]),
    ("http://x.example/a;jsessionid=AB12?x=1", "http://x.example/a?x=1", ["jsessionid"]),
    ("http://x.example/a?PHPSESSID=f00", "http://x.example/a", ["phpsessid"]),
    ("http://x.example/a?side=1&s=2", "http://x.example/a?side=1&s=2", []),
])
def test_session_ids_are_taken_out_of_links(url, expected, names):
    assert without_session(url) == (expected, names)


def test_every_session_param_is_recognised():
    for name in SESSION_PARAMS:
        assert without_session(f"http://x.example/p?{name}=1&id=7") == ("http://x.example/p?id=7", [name])


@pytest.mark.parametrize("a, b, same", [
    ("http://x.example/calendar/2025/01/", "http://x.example/calendar/2024/12/", True),
    ("http://x.example/list?page=2", "http://x.example/list?color=red", True),
    ("http://x.example/list?page=2", "http://x.example/posts/7.html", False),
    ("http://x.example/a/", "http://y.example/a/", False),
])
def test_url_pattern(a, b, same):
    assert (url_pattern(a) == url_pattern(b)) is same


@pytest.mark.parametrize("url, parent, result", [
    ("http://x.example/a/b/", "http://x.example/a/", True),
    ("http://x.example/a/", "http://x.example/a/", False),
    ("http://x.example/ab/c", "http://x.example/a/", False),
    ("http://y.example/a/b/", "http://x.example/a/", False),
])
def test_below(url, parent, result):
    assert below(url, parent) is result


def test_links_differing_only_in_a_session_id_make_one_request():
    """The spider's seen check compares links as the middleware will request them."""
    from crawler.spiders.articles import ArticlesSpider
    spider = ArticlesSpider(start_urls=["http://x.example/"])
    links = [f"http://x.example/shop/home?sid={n}" for n in range(5)] + ["http://x.example/shop/home"]
    assert [r.url for r in spider.follow(links)] == ["http://x.example/shop/home?sid=0"]


def _middleware_and_spider():
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.traps import TrapLimitMiddleware

    crawler = get_crawler(Spider, {"DEPTH_LIMIT": 0})
    crawler.spider = Spider(name="traps")
    return TrapLimitMiddleware.from_crawler(crawler), crawler.spider


def _output(response, read: list, count: int, kind: str):
    """A callback's output: it marks the page's kind, then yields links, noting how far it was read."""
    from scrapy import Request

    response.meta["page_kind"] = kind
    for i in range(count):
        read.append(i)
        yield Request(f"http://127.0.0.1/posts/{i}.html")


def test_a_sitemaps_links_pass_on_as_they_come_a_listings_once_it_is_whole():
    """A sitemap names a whole site at once: its links must not all be held in memory together;
    a listing's are, to tell whether it is barren before any of them is measured."""
    from scrapy.http import HtmlResponse, Request

    middleware, spider = _middleware_and_spider()
    for kind, read_before_first in (("sitemap", 1), ("listing", 5)):
        response = HtmlResponse("http://127.0.0.1/sitemap.xml", body=b"", request=Request("http://127.0.0.1/sitemap.xml"))
        read = []
        out = middleware.process_spider_output(response, _output(response, read, 5, kind), spider)
        first = next(out)
        assert first.url == "http://127.0.0.1/posts/0.html"
        assert len(read) == read_before_first, kind
        assert len([first, *out]) == 5
        assert response.meta["barren"] is False
