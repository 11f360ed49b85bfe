"""The fault-handling rules on plain values: reason codes, charset evidence, byte sniffing, Retry-After, traps, parsing."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError, DownloadFailedError,
    DownloadTimeoutError, IgnoreRequest, ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net

from crawler.extract import extract_article
from crawler.failures import FAILURE_REASONS, REASONS, Refused, reason_of
from crawler.middlewares.content import refusal
from crawler.decoding import decide_encoding
from crawler.middlewares.retry import retry_after
from crawler.middlewares.traps import TRAP_RULES
from crawler.parsing import content_after_end, html_selector

URL = "http://fault.example/a/1.html"
ZH = "<html><head><title>国标编码</title></head><body><p>老网站常常用 GBK 编码，“镕”和“喆”不在 GB2312 里。</p></body></html>"
LATIN = "<html><body><p>Café, naïve résumé, déjà vu: a page in Windows-1252.</p></body></html>"


@pytest.mark.parametrize("exc, reason", [
    (HttpError(HtmlResponse(URL, status=404), "x"), "http_status"),
    (DownloadTimeoutError("took longer"), "timeout"),
    (net.TimeoutError(), "timeout"),
    (DownloadCancelledError(""), "too_large"),
    (ResponseDataLossError(), "truncated"),
    (CannotResolveHostError("nope"), "dns"),
    (DownloadConnectionRefusedError("refused"), "connection"),
    (DownloadFailedError("reset"), "connection"),
    (net.ConnectionLost(), "connection"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("Filtered offsite request to 'x.example'"), "offsite"),
    (IgnoreRequest("max redirections reached"), "redirect_loop"),
    (IgnoreRequest("something else"), "ignored"),
    (Refused("not_html", "a PDF"), "not_html"),
    (ValueError("surprise"), "error"),
])
def test_exceptions_map_to_reason_codes(exc, reason):
    assert reason_of(exc) == reason


def test_every_reason_code_is_documented():
    codes = {reason for _, _, reason in FAILURE_REASONS}
    assert codes <= set(REASONS)
    issue_codes = {"http_status", "timeout", "too_large", "not_html", "empty", "robots", "offsite",
                   "redirect_loop", "truncated", "trap_limit", "decode_error", "extract_error"}
    assert issue_codes <= set(REASONS)
    with pytest.raises(ValueError):
        Refused("no_such_reason", "x")


@pytest.mark.parametrize("body, content_type, expected", [
    (ZH.encode("gb18030"), "text/html; charset=utf-8", ("gb18030", "bytes")),          # header lies
    (ZH.encode("gb18030"), "text/html; charset=iso-8859-1", ("gb18030", "bytes")),     # latin-1 'fits' anything
    (ZH.encode("gb18030"), "text/html", ("gb18030", "bytes")),                         # nothing declared
    (ZH.replace("<head>", "<head><meta charset=gbk>").encode("gbk"), "text/html; charset=utf-8", ("gb18030", "meta")),
    (ZH.replace("<head>", "<head><meta charset=gb2312>").encode("gbk"), "text/html", ("gb18030", "meta")),
    (ZH.encode("utf-8"), "text/html; charset=gbk", ("utf-8", "bytes")),                 # valid UTF-8 is UTF-8
    (ZH.encode("utf-8"), "text/html; charset=UTF-8", ("utf-8", "header")),
    (b"\xef\xbb\xbf" + ZH.encode("utf-8"), "text/html; charset=gbk", ("utf-8", "bom")),
    (b"\xff\xfe" + ZH.encode("utf-16-le"), "text/html; charset=gbk", ("utf-16-le", "bom")),
    (b"\xfe\xff" + ZH.encode("utf-16-be"), None, ("utf-16-be", "bom")),
    (LATIN.encode("cp1252"), "text/html; charset=iso-8859-1", ("cp1252", "header")),  # a true latin-1 page keeps it
    (b"<p>plain ascii</p>", "text/html; charset=utf-16", ("utf-8", "default")),        # utf-16 without a BOM ignored
    (b"<p>plain ascii</p>", None, ("utf-8", "default")),
    (b"<p>plain ascii</p>", "text/html; charset=koi8-r", ("koi8-r", "header")),
    (b"<p>plain ascii</p>", "text/html; charset=no-such-charset", ("utf-8", "default")),
])
def test_charset_is_decided_by_evidence(body, content_type, expected):
    assert decide_encoding(body, content_type) == expected


def test_the_decided_charset_decodes_without_mojibake():
    body = ZH.encode("gb18030")
    encoding, _ = decide_encoding(body, "text/html; charset=iso-8859-1")
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=iso-8859-1"}, encoding=encoding)
    assert "“镕”和“喆”" in response.text


def page(body: bytes, content_type="text/html", cls=HtmlResponse):
    return cls(URL, body=body, headers={"Content-Type": content_type} if content_type else {})


@pytest.mark.parametrize("response, reason", [
    (page(b""), "empty"),
    (page(b"  \r\n\t "), "empty"),
    (page(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"), "not_html"),
    (page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "not_html"),
    (page(b"\xff\xd8\xff\xe0\x00\x10JFIF"), "not_html"),
    (page(b"GIF89a\x01\x00"), "not_html"),
    (page(b"PK\x03\x04\x14\x00"), "not_html"),
    (page(bytes(range(256)) * 8), "not_html"),                       # binary, labelled text/html
    (page(b"%PDF-1.4 ...", "application/pdf", Response), "not_html"),
    (page(b"just words", "text/plain", TextResponse), "not_html"),
])
def test_non_pages_are_refused_with_a_reason(response, reason):
    refused = refusal(response)
    assert refused is not None and refused.reason == reason


@pytest.mark.parametrize("body", [
    "<html><body><p>正文</p></body></html>".encode(),
    b"<p>a page with two NUL bytes\x00\x00 in its text</p>" + b"<p>and a lot more text</p>" * 20,
    b"\xff\xfe" + "<p>UTF-16 has NUL bytes, and a BOM to say so</p>".encode("utf-16-le"),
    ZH.encode("gb18030"),
])
def test_html_pages_pass(body):
    assert refusal(page(body)) is None


@pytest.mark.parametrize("value, seconds", [
    ("1", 1.0), ("120", 120.0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_retry_after(value, seconds):
    response = HtmlResponse(URL, status=429, headers={"Retry-After": value} if value else {})
    assert retry_after(response) == seconds


def test_retry_after_date_in_the_future():
    from email.utils import formatdate
    import time
    response = HtmlResponse(URL, status=503, headers={"Retry-After": formatdate(time.time() + 100, usegmt=True)})
    assert 95 <= retry_after(response) <= 100


@pytest.mark.parametrize("url, measures", [
    ("http://x.example/a/b/c", {"path_segments": 3, "segment_repeats": 1}),
    ("http://x.example/x/x/x/x/", {"path_segments": 4, "segment_repeats": 4}),
    ("http://x.example/", {"path_segments": 0, "segment_repeats": 0}),
    ("http://x.example/cal/2025/01/cal/2025/01", {"path_segments": 6, "segment_repeats": 2}),
])
def test_trap_measures(url, measures):
    request = Request(url, meta={"listing_hops": 0})
    got = {measure.__name__: measure(request, None) for _, _, measure in TRAP_RULES}
    assert {k: got[k] for k in measures} == measures


@pytest.mark.parametrize("html, after", [
    ("<html><body><p>a</p></body></html>", False),
    ("<html><body><p>a</p></body></html>\n<!-- cache 3ms -->\n", False),
    ("<html><body><p>a</p></body>\n</html>", False),
    ("<html><body><p>a</p></html><p>b</p></html>", True),
    ("<html><body><p>a</p></body><p>b</p>", True),
    ("<p>no end tags at all</p>", False),
    ('<html><body><script>document.write("</body></html>")</script><p>a</p></body></html>', False),
    ("<html><body><!-- </html> --><p>a</p></body></html><p>b</p>", True),
])
def test_content_after_end_picks_the_html5_path(html, after):
    assert content_after_end(html) is after


PARAS = ["第一段：归档库每天追加新文章，旧文章的修订也要保留下来，方便日后对比内容的变化。" * 2,
         "第二段：结尾的内容也必须完整保存，不能因为网页标签错误而丢失任何一句话。" * 2,
         "最后一句：全文到此结束，读者可以放心。" * 2]


@pytest.mark.parametrize("broken", [
    "<article><h1>标题</h1><p>{0}</p></html><p>{1}</p></html><p>{2}</p></article>",
    "<article><h1>标题</h1><p>{0}</p></body></body><p>{1}</p></body><p>{2}</p></article>",
    "<article><h1>标题</h1><p>{0}\x00</p><p>{1}\x00\x00</p><p>{2}</p></article>",
    "<article><h1>标题</h1><div><p>{0}<div><span><b>{1}<i><p>{2}</article><!-- never closed",
    "<article><h1>标题</h1><p>{0}<wbr>x</p><picture><source srcset='a.webp'><img src=a.jpg></picture>"
    "<p>{1}<embed src=x.swf></p><video><track src=t.vtt></video><p>{2}</p></article>",
    "<article><h1>标题</h1><p>{0}</p></body><head><meta charset=utf-8></head><body><p>{1}</p><p>{2}</p></article>",
])
def test_malformed_html_yields_the_whole_article(broken):
    html = "<html><head><title>标题</title></head><body>" + broken.format(*PARAS)
    for given in (html, html.encode("utf-8")):
        text = extract_article(given, URL)["body_text"] or ""
        assert all(p[:20] in text for p in PARAS), text


def test_svg_and_mathml_read_the_html5_way_keep_their_plain_names():
    """A page with content after its end is parsed as a browser does; its SVG and MathML elements come out
    named as on any other page (<svg>, not <ns0:svg>), so extraction weighs them the same."""
    page = ("<html><body><article><p>{0}<svg><a xlink:href='#x'><text>图</text></a></svg></p>"
            "<p>{1}<math><mi>x</mi></math></p></article></body></html><p>{2}</p></html>").format(*PARAS)
    assert content_after_end(page)
    tree = html_selector(page).root
    assert [el.tag for el in tree.iter("svg", "a", "text", "math", "mi")] == ["svg", "a", "text", "math", "mi"]
    assert not [el.tag for el in tree.iter() if isinstance(el.tag, str) and ":" in el.tag]


def test_html_selector_never_raises():
    for text in ("", "\x00", "<" * 100, "</html>" * 50 + "x", "<wbr" * 100, "<embed src='>" * 10):
        assert html_selector(text).xpath("//*") is not None
