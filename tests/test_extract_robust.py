"""Broken input never raises; profiles, encodings and fallbacks behave as documented."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import FIELDS, extract_article, extract_from_selector, page_kind
from crawler.extract.page import parse
from crawler.extract.kind import KINDS
from crawler.profile import SiteProfile

URL = "http://site.example.cn/a/1.html"
PROSE = "<p>" + "归档库每天追加新文章，旧文章的修订也要保留下来，方便日后对比内容的变化。" * 6 + "</p>"


def check_shape(got: dict) -> None:
    assert tuple(got) == FIELDS
    assert got["url"] == URL
    assert isinstance(got["breadcrumbs"], list) and isinstance(got["related"], list)


@pytest.mark.parametrize("html", [
    "", b"", "   ", b"\x00\x01\x02\xff\xfe\x00garbage\x9c", "<html>", "<html><head><title>t</title></head></html>",
    "just some text", "<body><script>var x = 1;</script></body>", "<" * 1000, "<div>" * 5000 + "deep",
    '<html><head><base href="http://[::1"></head><body><a href="http://[bad">x</a></body></html>',
    '<script type="application/ld+json">[1, "x", {"@type": ["Article"], "author": 5, "datePublished": 7}]</script>',
    '<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": "nope"}</script>',
    '<div class="breadcrumb"><a href="javascript:void(0)">首页</a> &gt; <a>x</a></div><h3>相关文章</h3>',
    "<pre></pre><table><tr></tr></table><ul></ul><img><a>",
])
def test_broken_input_gives_the_empty_shape(html):
    got = extract_article(html, URL)
    check_shape(got)
    assert page_kind(parse(html), URL) in KINDS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2000), st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv相关文章:：pre\n&;#")), max_size=400)))
def test_arbitrary_input_never_raises(html):
    check_shape(extract_article(html, URL))


def test_encoding_argument_is_the_http_charset():
    raw = f"<html><body><div class='article-content'>{PROSE}</div></body></html>".encode("gbk")
    assert "归档库" in extract_article(raw, URL, encoding="gbk")["body_text"]
    assert "归档库" in extract_article(raw, URL, encoding="GB2312")["body_text"]


def test_bom_beats_meta_charset():
    raw = b"\xef\xbb\xbf" + f"<html><head><meta charset='gbk'></head><body><div class='article-content'>{PROSE}</div></body></html>".encode()
    assert "归档库" in extract_article(raw, URL)["body_text"]


def test_undeclared_gbk_is_sniffed():
    raw = f"<html><body><div class='article-content'>{PROSE}</div></body></html>".encode("gbk")
    assert "归档库" in extract_article(raw, URL)["body_text"]


def test_base_href_makes_urls_absolute():
    html = (f'<html><head><base href="https://cdn.example.cn/blog/"></head><body>'
            f'<div class="article-content">{PROSE}<p><a href="x/2.html">next</a><img src="i.png"></p></div></body></html>')
    got = extract_article(html, URL)
    assert "https://cdn.example.cn/blog/x/2.html" in got["body_html"]
    assert "https://cdn.example.cn/blog/i.png" in got["body_markdown"]


PROFILE = SiteProfile(
    name="t",
    article_urls=(re.compile(r"/a/\d+\.html$"),),
    selectors={
        "title": "div.headline", "body": "xpath://div[@id='txt']", "breadcrumbs": ".where",
        "related": "#more", "published_at": "span.when", "author": "span.who",
    },
)
PROFILE_PAGE = (
    '<html><body><div class="where"><a href="/">Start</a> - <a href="/sec/">Sec</a> - Here</div>'
    '<div class="headline">Profile title</div><span class="when">2022-02-02 10:00</span><span class="who">Li Lei</span>'
    f'<div id="txt">{PROSE}<div id="more"><a href="/a/2.html">Two</a><a href="/a/3.html">Three</a></div></div>'
    f'<div class="article-content"><p>not the body</p>{PROSE}</div></body></html>'
)


def test_profile_selectors_come_first():
    got = extract_article(PROFILE_PAGE, URL, PROFILE)
    assert got["title"] == "Profile title"
    assert got["breadcrumbs"] == [
        {"name": "Start", "url": "http://site.example.cn/"}, {"name": "Sec", "url": "http://site.example.cn/sec/"},
        {"name": "Here", "url": None}]
    assert got["section"] == "Sec"
    assert (got["published_at"], got["date_source"], got["author"]) == ("2022-02-02T10:00:00", "profile", "Li Lei")
    assert [r["title"] for r in got["related"]] == ["Two", "Three"]
    assert "not the body" not in got["body_text"] and "Two" not in got["body_text"]


def test_profile_decides_page_kind():
    assert page_kind(parse("<html></html>"), URL, PROFILE) == "article"
    assert page_kind(parse(PROFILE_PAGE), "http://site.example.cn/sec/", PROFILE) == "listing"


def test_trafilatura_is_the_last_body_fallback():
    lines = "<br>".join("纯文本的旧式页面没有段落标签，每一行都用换行标签隔开，内容仍然值得归档。" for _ in range(8))
    html = f"<html><body><table><tr><td>{lines}</td></tr></table></body></html>"
    got = extract_article(html, URL)
    assert "纯文本的旧式页面" in got["body_text"]


def test_htmldate_is_the_last_date_fallback():
    got = extract_article(f"<html><body><div class='article-content'>{PROSE}</div></body></html>",
                          "http://site.example.cn/2021/07/09/post.html")
    assert (got["published_at"], got["date_source"]) == ("2021-07-09", "htmldate")


def test_selector_entry_point_matches():
    sel = parse(PROFILE_PAGE)
    assert extract_from_selector(sel, URL, PROFILE) == extract_article(PROFILE_PAGE, URL, PROFILE)


def test_profile_selectors_may_pick_text_nodes():
    profile = SiteProfile(name="t", selectors={"title": "xpath://div[@class='headline']/text()",
                                               "published_at": "xpath://span[@class='when']/text()"})
    got = extract_article(PROFILE_PAGE, URL, profile)
    assert (got["title"], got["published_at"]) == ("Profile title", "2022-02-02T10:00:00")
