"""One decoding path: the crawl, extract_article and `archive extract` read a page's bytes alike.

Each case is a page written here, encoded one way and declared (HTTP header,
<meta>) rightly or wrongly; every reader must get the same text, and the
headline must come out unmangled.
"""
from __future__ import annotations

import codecs
from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request

from crawler import api
from crawler.decoding import decide_encoding, decode
from crawler.extract import extract_article, extract_from_selector
from crawler.middlewares.encoding import EncodingMiddleware
from tests.livesite import LiveSite, Page, serve_live_site

TITLE = "旧书店里的夏天"  # every character is in GB2312
PROSE = "".join(f"<p>第{i}段：巷口那家旧书店每到夏天就把门帘卷起来，店主坐在风扇下面慢慢地修补一本缺页的字典。</p>"
                for i in range(4))


def page(head: str = "", title: str = TITLE) -> str:
    return (f"<!DOCTYPE html><html><head>{head}<title>{title}_小城日报</title></head>"
            f"<body><h1>{title}</h1><div class='article-content'>{PROSE}</div></body></html>")


# (case, bytes, Content-Type header, charset and how it is decided)
CASES = [
    ("gbk declared in meta", page("<meta charset='gbk'>", "喆哲的旧书店").encode("gbk"), None, ("gb18030", "meta")),
    ("gb2312 declared in http-equiv", page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
     .encode("gb2312"), "text/html", ("gb18030", "meta")),
    ("gb2312 declared, a GBK-only character used", page("<meta charset='gb2312'>", "喆的旧书店").encode("gbk"),
     None, ("gb18030", "meta")),
    ("utf-8 page whose later tag names gb2312", page(
        '<meta charset="utf-8"><meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("utf-8"),
     None, ("utf-8", "meta")),
    ("utf-8 page whose only tag names gb2312", page(
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("utf-8"),
     "text/html", ("utf-8", "bytes")),
    ("utf-8 with a BOM and a header saying gbk", codecs.BOM_UTF8 + page().encode("utf-8"),
     "text/html; charset=gbk", ("utf-8", "bom")),
    ("utf-16 with a BOM", codecs.BOM_UTF16_LE + page().encode("utf-16-le"), None, ("utf-16-le", "bom")),
    ("gbk bytes under a header saying iso-8859-1", page().encode("gbk"), "text/html; charset=iso-8859-1",
     ("gb18030", "bytes")),
    ("gbk bytes under a header saying utf-8", page().encode("gbk"), "text/html; charset=utf-8",
     ("gb18030", "bytes")),
    ("undeclared gbk", page().encode("gbk"), None, ("gb18030", "bytes")),
]
IDS = [c[0] for c in CASES]


def title_in(body: bytes) -> str:
    for name in ("喆哲的旧书店", "喆的旧书店", TITLE):
        if name.encode("utf-8") in body or name.encode("gbk", "ignore") in body:
            return name
    return TITLE


@pytest.mark.parametrize("case, body, content_type, expected", CASES, ids=IDS)
def test_charset_decided_by_evidence(case, body, content_type, expected):
    assert decide_encoding(body, content_type) == expected


@pytest.mark.parametrize("case, body, content_type, expected", CASES, ids=IDS)
def test_decoded_text_has_no_bom_and_no_mojibake(case, body, content_type, expected):
    text, encoding, source = decode(body, content_type)
    assert (encoding, source) == expected
    assert text.startswith("<!DOCTYPE html>")
    assert "\ufffd" not in text


@pytest.mark.parametrize("case, body, content_type, expected", CASES, ids=IDS)
def test_crawl_and_extract_article_read_the_same_headline(case, body, content_type, expected):
    url = "http://news.example.cn/a/1.html"
    charset = content_type.partition("charset=")[2] or None if content_type else None
    direct = extract_article(body, url, encoding=charset)
    headers = {"Content-Type": content_type} if content_type else {}
    request = Request(url)
    response = EncodingMiddleware().process_response(request, HtmlResponse(url, body=body, headers=headers, request=request))
    crawled = extract_from_selector(response.selector, url, now=datetime.now(timezone.utc))
    assert direct["title"] == crawled["title"] == title_in(body)
    assert direct["body_text"] == crawled["body_text"]
    assert request.meta["encoding_source"] == expected[1]


@pytest.mark.parametrize("case, body, content_type, expected",
                         [c for c in CASES if c[2]], ids=[c[0] for c in CASES if c[2]])
def test_archive_extract_of_a_url_reads_it_as_the_crawl_does(case, body, content_type, expected):
    site = LiveSite()
    site.pages["/a/1.html"] = Page(body, datetime.now(timezone.utc), content_type=content_type)
    with serve_live_site(site):
        got = api.extract(site.base + "/a/1.html")
    assert got["title"] == title_in(body)


def test_archive_extract_of_a_file_decides_by_the_bytes(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(page('<meta charset="utf-8"><meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
                     .encode("utf-8"))
    assert api.extract(str(path))["title"] == TITLE
