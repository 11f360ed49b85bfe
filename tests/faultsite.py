"""A web site made of faults, for crawl tests and the fault benchmark.

One asyncio server on 127.0.0.1, one endpoint per fault a real site throws
at a crawler (errors, hangs, drips, bombs, lies about type and charset,
redirect loops, traps, hostile markup), every request logged. `FAULTS`
says, for each entry URL, what the archive must end up with: an article,
or a failures row with a given reason.

    with serve_faults() as site:          # in a test or a benchmark
        crawl(site.base + "/") ...; site.requested("/private/")

    python tests/faultsite.py --port 8010  # by hand
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import threading
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from typing import Awaitable, Callable, Iterator

from crawler.demosite.server import wait_for_interrupt

OFFSITE = "http://elsewhere.example"

# -- page bodies (text written for these tests) -------------------------------------

ZH_PARAGRAPHS = [
    "这是一篇用来检验抓取器的文章。服务器可能很慢，也可能在半路断开连接，归档程序必须把每一种情况都记录下来。",
    "第二段讲的是重试：遇到五百错误时，程序先等一会儿再试，而不是立刻再敲一次门，这样对方的服务器也能喘口气。",
    "第三段讲编码：老网站常常声明一种字符集，实际却用另一种保存文字，只有看字节本身才能判断真正的编码。",
    "最后一段是结尾：如果读者能在存档里看到这句话，说明整篇文章都被完整地保存了下来。",
]
EN_PARAGRAPHS = [
    "This article exists to test a crawler. Servers stall, drip bytes, or hang up half way, and the archive has to say which.",
    "The second paragraph is about retries: after a server error the crawler waits a little before it knocks again.",
    "The third paragraph is about honesty in headers: a page may claim one charset and be written in another.",
    "The closing paragraph: if this sentence is in the archive, the whole article was kept.",
]
LAST_ZH = "说明整篇文章都被完整地保存了下来"
LAST_EN = "the whole article was kept"


def article(title: str, paragraphs=ZH_PARAGRAPHS, *, lang="zh", head="", body_extra="", tail="") -> str:
    ps = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><title>{title}</title>{head}</head>\n"
            f"<body><nav><a href=\"/\">首页</a></nav>\n<article><h1>{title}</h1>\n{ps}\n{body_extra}</article>\n"
            f"<footer>版权所有 fault.example</footer></body></html>{tail}")


def listing(title: str, links: list[str]) -> str:
    items = "\n".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1><ul>{items}</ul></body></html>"


HOSTILE = """
<p>Before the attacks.<script>alert(1)</script><SCRIPT SRC=//evil.example/x.js></SCRIPT></p>
<p><img src="x.png" onerror="alert(2)" ONLOAD=alert(3)> <a href="javascript:alert(4)">one</a>
<a href="JaVaScRiPt:alert(5)">two</a> <a href="jav&#x61;script:alert(6)">three</a>
<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(7)">four</a>
<a href=" vbscript:msgbox(8)">five</a> <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==">six</a>
<a href="java\tscript:alert(10)">seven</a></p>
<iframe src="https://evil.example/" srcdoc="<script>alert(11)</script>"></iframe>
<object data="evil.swf"></object><embed src="evil.swf"><base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:alert(12)">
<p style="width: expression(alert(13)); background: url(javascript:alert(14))">Styled words stay.</p>
<svg onload="alert(15)"><a xlink:href="javascript:alert(16)">svg</a></svg>
<form action="javascript:alert(17)"><input onfocus="alert(18)" autofocus></form>
<p>After the attacks, the text survives.</p>
"""


# -- the server ------------------------------------------------------------------------

@dataclass
class FaultSite:
    """The running site: its base URL and the log of every request it received."""

    base: str = ""
    log: list[tuple[float, str]] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)

    def requested(self, prefix: str) -> list[str]:
        """Logged paths starting with `prefix`."""
        return [path for _, path in self.log if path.startswith(prefix)]

    def times(self, path: str) -> list[float]:
        return [t for t, p in self.log if p == path]


Handler = Callable[[FaultSite, asyncio.StreamWriter, re.Match], Awaitable[None]]


async def send(writer, status: int, body: bytes | str = b"", content_type="text/html; charset=utf-8",
               headers: dict | None = None, length: int | None = None) -> None:
    if isinstance(body, str):
        body = body.encode("utf-8")
    head = {"Content-Type": content_type, "Content-Length": str(len(body) if length is None else length),
            "Connection": "close", **(headers or {})}
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"] + [f"{k}: {v}" for k, v in head.items() if v is not None]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    await writer.drain()


def page(html: str, status=200, **kwargs) -> Handler:
    async def handler(site, writer, match):
        await send(writer, status, html, **kwargs)
    return handler


def redirect(location: str, status=301) -> Handler:
    async def handler(site, writer, match):
        await send(writer, status, b"", headers={"Location": match.expand(location)})
    return handler


def first_then(first: Handler, then: Handler) -> Handler:
    """`first` on the first request for the path, `then` afterwards (a transient fault)."""
    async def handler(site, writer, match):
        await (first if site.hits[match.group(0)] == 1 else then)(site, writer, match)
    return handler


async def reset(site, writer, match):
    writer.transport.abort()


async def hang(site, writer, match):
    await asyncio.sleep(3600)


async def drip(site, writer, match):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html><body>")
    while True:
        await asyncio.sleep(0.5)
        writer.write(b"<")
        await writer.drain()


async def slow_article(site, writer, match):
    await asyncio.sleep(1)
    await send(writer, 200, article("慢慢来的文章"))


async def huge_declared(site, writer, match):
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 104857600\r\n\r\n<html>")
    await writer.drain()
    await asyncio.sleep(60)


async def huge_streamed(site, writer, match):
    """Chunked, no length: 48 MB of markup, more than DOWNLOAD_MAXSIZE."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"<p>" + b"x" * 65530 + b"</p>"
    for _ in range(48 * 16):
        writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


@lru_cache(maxsize=None)
def bomb(encoding: str) -> bytes:
    """256 MB of spaces, compressed to a few hundred KB."""
    expanded = 256 * 1024 * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    block = b" " * (1024 * 1024)
    parts = [compressor.compress(b"<html><body>")] + [compressor.compress(block) for _ in range(expanded // len(block))]
    return b"".join(parts) + compressor.flush()


def compressed(encoding: str) -> Handler:
    async def handler(site, writer, match):
        await send(writer, 200, bomb(encoding), headers={"Content-Encoding": encoding})
    return handler


async def truncated(site, writer, match):
    body = article("被截断的文章").encode("utf-8")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (len(body) * 2) + body)
    await writer.drain()


def random_bytes(n=6000, seed=6) -> bytes:
    return random.Random(seed).randbytes(n)


async def calendar(site, writer, match):
    year, month = int(match.group(1)), int(match.group(2))
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    nxt = (year, month + 1) if month < 12 else (year + 1, 1)
    links = [f"/trap/calendar/{y}/{m:02d}" for y, m in (prev, nxt)]
    await send(writer, 200, listing(f"{year} 年 {month} 月的文章", links))


async def endless_pages(site, writer, match):
    n = int(match.group(1))
    await send(writer, 200, listing(f"第 {n} 页", [f"/trap/page/{n + 1}"]))


async def deeper(site, writer, match):
    await send(writer, 200, listing("更深一层", [match.group(0) + "x/"]))


async def chain_redirect(site, writer, match):
    await send(writer, 302, b"", headers={"Location": f"/redirect/chain/{int(match.group(1)) + 1}"})


GBK_ARTICLE = article("国标编码的文章").replace("<title>", '<meta charset="gbk"><title>')

# (path pattern, handler, expected outcome, what the fault is). Outcome: "article",
# "article at PATH" (after a redirect), "listing", or a failures reason code.
# Patterns are anchored; the index links the entry URL of each row (its pattern
# with the example filled in when it has groups: the "entry" column of ENTRIES).
ROUTES: list[tuple[str, Handler, str, str]] = [
    (r"/robots\.txt", page("User-agent: *\nDisallow: /private/\n", content_type="text/plain"), "listing", "robots.txt"),
    (r"/ok/zh\.html", page(article("一篇正常的文章")), "article", "a plain Chinese article"),
    (r"/ok/en\.html", page(article("A plain article", EN_PARAGRAPHS, lang="en")), "article", "a plain English article"),
    (r"/ok/moved\.html", page(article("搬了家的文章")), "article", "target of /redirect/ok"),
    (r"/ok/refreshed\.html", page(article("刷新之后的文章")), "article", "target of /refresh/ok"),
    (r"/http/500", page("<h1>oops</h1>", 500), "http_status", "always 500 (retried, then recorded)"),
    (r"/http/flaky", first_then(page("<h1>busy</h1>", 500), page(article("第二次才成功的文章"))), "article",
     "500 once, then the article"),
    (r"/http/429", first_then(page("slow down", 429, headers={"Retry-After": "1"}), page(article("限流之后的文章"))),
     "article", "429 with Retry-After: 1, then the article"),
    (r"/http/503-long", page("maintenance", 503, headers={"Retry-After": "3600"}), "http_status",
     "503 asking to come back in an hour"),
    (r"/http/404", page("not here", 404), "http_status", "404"),
    (r"/http/410", page("gone", 410), "http_status", "410 Gone"),
    (r"/http/reset", reset, "connection", "connection reset without a response"),
    (r"/redirect/ok", redirect("/ok/moved.html"), "article at /ok/moved.html", "301 to an article"),
    (r"/redirect/loop-a", redirect("/redirect/loop-b", 302), "redirect_loop", "a -> b -> a"),
    (r"/redirect/loop-b", redirect("/redirect/loop-a", 302), "redirect_loop", "b -> a -> b"),
    (r"/redirect/self", redirect("/redirect/self"), "redirect_loop", "redirects to itself"),
    (r"/redirect/chain/(\d+)", chain_redirect, "redirect_loop", "an endless chain of new URLs"),
    (r"/redirect/offsite", redirect(OFFSITE + "/landing", 302), "offsite", "302 to another host"),
    (r"/refresh/js", page(article("刷新到脚本的文章", head='<meta http-equiv="refresh" content="0; url=javascript:alert(1)">')),
     "article", "meta refresh to javascript: (not followed)"),
    (r"/refresh/offsite", page(article("刷新到别处的文章", head=f'<meta http-equiv="refresh" content="0; url={OFFSITE}/">')),
     "offsite", "meta refresh to another host"),
    (r"/refresh/ok", page(article("刷新前的页面", head='<meta http-equiv="refresh" content="0; url=/ok/refreshed.html">')),
     "article at /ok/refreshed.html", "meta refresh to an article"),
    (r"/slow/hang", hang, "timeout", "accepts the connection, never answers"),
    (r"/slow/drip", drip, "timeout", "one byte every half second, forever"),
    (r"/slow/ok", slow_article, "article", "answers after 1 s"),
    (r"/size/huge-declared", huge_declared, "too_large", "Content-Length: 100 MB"),
    (r"/size/huge-streamed", huge_streamed, "too_large", "48 MB chunked, no length"),
    (r"/size/gzip-bomb", compressed("gzip"), "too_large", "gzip: 256 MB of spaces in a few hundred KB"),
    (r"/size/deflate-bomb", compressed("deflate"), "too_large", "deflate: the same bomb"),
    (r"/size/truncated", truncated, "truncated", "half the body its Content-Length announces"),
    (r"/size/bad-gzip", page(random_bytes(2000, seed=7), headers={"Content-Encoding": "gzip"}), "decode_error",
     "Content-Encoding: gzip over bytes that are not gzip"),
    (r"/content/pdf", page(b"%PDF-1.4\n" + random_bytes(3000), content_type="application/pdf"), "not_html", "a PDF"),
    (r"/content/pdf-as-html", page(b"%PDF-1.4\n" + random_bytes(3000)), "not_html", "a PDF labelled text/html"),
    (r"/content/png-as-html", page(b"\x89PNG\r\n\x1a\n" + random_bytes(3000)), "not_html", "a PNG labelled text/html"),
    (r"/content/binary-as-html", page(random_bytes()), "not_html", "random bytes labelled text/html"),
    (r"/content/empty", page(b""), "empty", "200 with no body"),
    (r"/content/blank", page(b" \r\n\t\n"), "empty", "200 with only whitespace"),
    (r"/content/no-text", page('<html><head><meta property="og:type" content="article"><title>空壳</title></head>'
                               '<body><article></article></body></html>'), "extract_error",
     "declares an article, has no text"),
    (r"/charset/lying-header", page(article("声明错误的编码").encode("gb18030"), content_type="text/html; charset=iso-8859-1"),
     "article", "GB18030 bytes, header says iso-8859-1, no <meta>"),
    (r"/charset/utf8-header-gbk-bytes", page(GBK_ARTICLE.encode("gbk"), content_type="text/html; charset=utf-8"),
     "article", "GBK bytes and <meta charset=gbk>, header says utf-8"),
    (r"/charset/utf16-bom", page(b"\xff\xfe" + article("带字节序标记的文章").encode("utf-16-le"),
                                 content_type="text/html; charset=gbk"), "article", "UTF-16 with a BOM, header says gbk"),
    (r"/markup/double-html", page(article("两个结束标签", ZH_PARAGRAPHS[:2]).replace("</body></html>", "")
                                  .replace("</article>", "</html>" + "".join(f"<p>{p}</p>" for p in ZH_PARAGRAPHS[2:])
                                           + "</article></body></html>")), "article",
     "a </html> in the middle of the article"),
    (r"/markup/nul", page(article("带空字节的文章", [p.replace("，", "\x00，") for p in ZH_PARAGRAPHS])), "article",
     "NUL bytes in the text"),
    (r"/markup/unclosed", page(article("标签没有闭合", [p + "<b><i>" for p in ZH_PARAGRAPHS], tail="<!-- never closed")
                               .replace("</p>", "")), "article", "unclosed tags, an unterminated comment at the end"),
    (r"/markup/hostile", page(article("Hostile markup", EN_PARAGRAPHS, lang="en", body_extra=HOSTILE)), "article",
     "scripts, handlers, javascript:/vbscript:/data: URLs, iframes, objects, CSS expressions"),
    (r"/trap/calendar/(\d{4})/(\d\d)", calendar, "trap_limit", "a calendar with no end"),
    (r"/trap/page/(\d+)", endless_pages, "trap_limit", "pagination with no end"),
    (r"/trap/deep/(?:x/)*", deeper, "trap_limit", "ever deeper paths"),
    (r"/private/secret\.html", page(article("不该被抓取的文章")), "robots", "disallowed by robots.txt"),
]

# Entry URLs the index links to, and their expected outcome.
ENTRY_EXAMPLES = {r"/redirect/chain/(\d+)": "/redirect/chain/0", r"/trap/calendar/(\d{4})/(\d\d)": "/trap/calendar/2025/01",
                  r"/trap/page/(\d+)": "/trap/page/1", r"/trap/deep/(?:x/)*": "/trap/deep/x/"}
NOT_LINKED = {r"/robots\.txt", r"/ok/moved\.html", r"/ok/refreshed\.html", r"/redirect/loop-b"}
FAULTS = {ENTRY_EXAMPLES.get(pattern, pattern.replace("\\", "")): (expected, what)
          for pattern, _, expected, what in ROUTES if pattern not in NOT_LINKED}



def outcome(path: str, articles, failures: dict) -> str:
    """What an archive says about entry URL `path`, in FAULTS' terms.

    `articles`: the archived paths; `failures`: path -> row (a dict with `reason`).
    """
    expected = FAULTS[path][0]
    if expected.startswith("article at "):
        return expected if expected.split(" at ")[1] in articles else f"missing ({failures.get(path)})"
    if expected == "trap_limit":
        trap = "/".join(path.split("/")[:3])      # /trap/calendar, /trap/page, ...
        return "trap_limit" if any(p.startswith(trap) and f["reason"] == "trap_limit"
                                   for p, f in failures.items()) else "no trap_limit row"
    if path in articles:
        return "article"
    return failures[path]["reason"] if path in failures else "nowhere"


INDEX = listing("故障站点", [*FAULTS, OFFSITE + "/elsewhere.html"])
_ROUTES = [(re.compile(pattern), handler) for pattern, handler, _, _ in ROUTES]


async def handle(site: FaultSite, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        path = head.split(b" ", 2)[1].decode("latin-1")
        site.log.append((time.monotonic(), path))
        site.hits[path] = site.hits.get(path, 0) + 1
        if path == "/":
            await send(writer, 200, INDEX)
        else:
            for pattern, handler in _ROUTES:
                match = pattern.fullmatch(path)
                if match:
                    await handler(site, writer, match)
                    break
            else:
                await send(writer, 404, "not found")
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.CancelledError, ConnectionError, IndexError):
        pass  # the client gave up, or the site is stopping
    finally:
        writer.close()


@contextmanager
def serve_faults(port: int = 0) -> Iterator[FaultSite]:
    """Run the fault site in a background thread on 127.0.0.1; stops (hung handlers too) on exit."""
    site = FaultSite()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    async def start():
        server = await asyncio.start_server(lambda r, w: handle(site, r, w), "127.0.0.1", port)
        site.base = "http://127.0.0.1:%d" % server.sockets[0].getsockname()[1]
        started.set()
        return server

    bomb("gzip"), bomb("deflate")   # built before the clock of any crawl starts
    server = None

    def run():
        nonlocal server
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="faultsite", daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield site
    finally:
        async def stop():
            server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8010)
    args = parser.parse_args(argv)
    with serve_faults(args.port) as site:
        print(f"fault site at {site.base}/ (Ctrl-C to stop)", flush=True)
        wait_for_interrupt()


if __name__ == "__main__":
    main()
