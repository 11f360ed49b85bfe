"""Fuzzing: arbitrary and mutated pages never raise out of the pipeline; they end as an item or a recorded failure.

Three levels, each with hypothesis:
- every extractor, called with its exceptions let through (extraction's own
  safety net, which logs and keeps what it found, is bypassed here);
- every normalizer on arbitrary text;
- a whole fetched page: the crawl's middlewares (charset, content check),
  the spider's page callback and the item pipelines, on real Scrapy
  responses built from the fuzzed bytes.
"""
from __future__ import annotations

import asyncio

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.extract import FIELDS
from crawler.extract.article import _fill
from crawler.extract.kind import KINDS, kind_of
from crawler.extract.page import Page
from crawler.failures import Refused
from crawler.items import ArticleItem, FailureItem, ListingItem
from crawler.middlewares.content import refusal
from crawler.middlewares.encoding import EncodingMiddleware, decide_encoding
from crawler.parsing import html_selector
from crawler.spiders.articles import ArticlesSpider
from pipelines.dedupe import DedupePipeline
from pipelines.normalize import (
    NormalizePipeline, clean_body_text, clean_line, clean_text, guess_language, normalize_url, strip_nul, to_iso8601,
)

URL = "http://fuzz.example/a/1.html"
PAGES = [p.read_bytes() for p in sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TAGS = ["<html>", "</html>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>", "<!--", "-->", "<script>",
        "</script>", "<pre>", "<table><tr><td>", "<a href='javascript:x'>", "<a href='//x.example/y'>", "<li>",
        "<h1>", "<wbr>", "<embed>", "<meta charset=gbk>", "<base href='http://[::1'>", "\x00", "\ufffd", "&#0;",
        "&lt;", "<![CDATA[", "<?xml ?>", "相关文章：", "当前位置：首页 > ", "2025-13-45", "<time datetime='x'>"]


@st.composite
def mutated_pages(draw) -> bytes:
    """A fixture page with spans deleted, duplicated or replaced by junk markup, and maybe re-encoded or cut."""
    html = draw(st.sampled_from(PAGES))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(html)))
        end = min(len(html), start + draw(st.integers(0, 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "bytes"]))
        if op == "delete":
            html = html[:start] + html[end:]
        elif op == "duplicate":
            html = html[:end] + html[start:end] + html[end:]
        elif op == "insert":
            html = html[:start] + draw(st.sampled_from(TAGS)).encode() + html[start:]
        else:
            html = html[:start] + draw(st.binary(max_size=40)) + html[end:]
    return html


pages = st.one_of(mutated_pages(), st.binary(max_size=3000),
                  st.lists(st.sampled_from(TAGS + list("ab 中文\n<>/=\"'&;#")), max_size=80)
                  .map(lambda parts: "".join(parts).encode()))


def page_of(body: bytes) -> Page:
    encoding, _ = decide_encoding(body, None)
    return Page(html_selector(body.decode(encoding, "replace")), URL)


@FUZZ
@given(pages)
def test_every_extractor_survives_fuzzed_pages(body):
    page = page_of(body)
    item = dict.fromkeys(FIELDS)
    item.update(url=URL, breadcrumbs=[], related=[])
    _fill(item, page)             # raises if any extractor raises
    assert kind_of(page).kind in KINDS
    assert item["body_text"] is None or isinstance(item["body_text"], str)


@FUZZ
@given(st.text(max_size=300))
def test_every_normalizer_survives_arbitrary_text(text):
    for normalizer in (normalize_url, clean_text, clean_line, clean_body_text, strip_nul, to_iso8601, guess_language):
        normalizer(text)
    clean_text(text, preformatted=True)


def fetched(body: bytes, content_type: str | None) -> HtmlResponse:
    """The response the crawl's downloader middlewares hand on, for these bytes."""
    request = Request(URL, meta={"first_requested_at": 0})
    headers = {"Content-Type": content_type} if content_type else {}
    response = HtmlResponse(URL, body=body, headers=headers, request=request)
    return EncodingMiddleware().process_response(request, response)


async def collected(outputs):
    return [output async for output in outputs]


@FUZZ
@given(pages, st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=gbk",
                               "text/html; charset=iso-8859-1", "text/html; charset=utf-16", "text/html; charset=bogus"]))
def test_a_fuzzed_page_ends_as_items_or_a_recorded_failure(body, content_type):
    spider = ArticlesSpider(start_urls=[URL])
    normalize, dedupe = NormalizePipeline(), DedupePipeline()
    response = fetched(body, content_type)
    refused = refusal(response)
    if refused is not None:
        assert isinstance(refused, Refused) and refused.reason in ("empty", "not_html")
        return
    for output in asyncio.run(collected(spider.parse(response))):
        assert isinstance(output, (ArticleItem, FailureItem, ListingItem, Request))
        if isinstance(output, ArticleItem):
            item = dedupe.process_item(normalize.process_item(output))
            assert item["body_text"] and item["content_hash"]
        elif isinstance(output, FailureItem):
            assert output["reason"] == "extract_error"
        elif isinstance(output, ListingItem):
            item = dedupe.process_item(normalize.process_item(output))
            assert item["kind"] in KINDS and item["why"]
