"""A <meta refresh> is looked for in the page's start, decoded from its first bytes: as Scrapy finds it in response.text."""
import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.redirect import REFRESH_CHARS, MetaRefreshMiddleware, page_start

URL = "http://example.com/notes/1.html"
REFRESH = '<meta http-equiv="refresh" content="0; url=/notes/2.html">'


def response(text: str, encoding: str, bom: bytes = b"") -> HtmlResponse:
    return HtmlResponse(URL, body=bom + text.encode(encoding), encoding=encoding, request=Request(URL))


@pytest.mark.parametrize("encoding, bom", [("utf-8", b""), ("gb18030", b""), ("shift_jis", b""),
                                           ("iso-2022-jp", b""), ("utf-16-le", b"\xff\xfe"), ("latin-1", b"")])
@pytest.mark.parametrize("length", [100, REFRESH_CHARS - 1, REFRESH_CHARS, REFRESH_CHARS + 1, 5000, 20000])
def test_the_start_is_what_scrapy_reads_in_every_charset_and_length(encoding, bom, length):
    letters = {"latin-1": "é", "shift_jis": "雨の朝、", "iso-2022-jp": "雨の朝、"}.get(encoding, "江边的早晨、雨水")
    text = "<html><head><title>t</title></head><body><p>" + (letters * length)[:length] + "</p></body></html>"
    page = response(text, encoding, bom)
    assert page_start(page) == page.text[:REFRESH_CHARS]


def test_a_refresh_near_the_end_of_the_start_is_followed_and_one_past_it_is_not():
    middleware = MetaRefreshMiddleware.from_crawler(get_crawler())
    filler = "<!-- " + "雨" * 3900 + " -->"   # ~11,700 bytes of UTF-8 before the tag: its characters still fit
    near = response(f"<html><head>{filler}{REFRESH}</head><body><p>文</p></body></html>", "utf-8")
    redirected = middleware.process_response(near.request, near)
    assert isinstance(redirected, Request) and redirected.url == "http://example.com/notes/2.html"
    past = response(f"<html><head>{filler}{'雨' * 300}{REFRESH}</head><body></body></html>", "utf-8")
    assert middleware.process_response(past.request, past) is past


def test_a_charset_of_more_than_four_bytes_a_character_is_decoded_whole():
    """ISO-2022-JP switches in and out of kanji with 3-byte escapes: "a雨" takes 9 bytes."""
    page = response("<html><body><p>" + "a雨" * 5000 + "</p></body></html>", "iso-2022-jp")
    assert len(page.body[:4 * REFRESH_CHARS].decode("iso-2022-jp", "replace")) < REFRESH_CHARS
    assert page_start(page) == page.text[:REFRESH_CHARS]
