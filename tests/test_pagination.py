"""Listing pagination: which links lead to which page, and a crawl that stops at the profile's limit."""
from __future__ import annotations

import html
import json
import math

import pytest
from parsel import Selector

from conftest import run_archive
from crawler.extract.rules import PAGINATION_TEXTS
from crawler.extract.pagenumbers import page_of
from crawler.pagination import pagination_links
from livesite import LiveSite, article_page, paragraphs, serve_live_site, sitemap

STEP = {"next": 6, "previous": 4, "last": math.inf}


@pytest.mark.parametrize("text, step", sorted(PAGINATION_TEXTS.items()))
def test_pagination_text(text, step):
    assert page_of(text, 5) == STEP[step]
    assert page_of(f" {text.upper()} ", 5) == STEP[step]


@pytest.mark.parametrize("text, page", [("7", 7), ("第7页", 7), ("[7]", 7), ("第 7 页", 7),
                                        ("下一页 »", 6), ("« Previous", 4), ("Next ›", 6),
                                        ("7 comments", None), ("首页", None), ("Python", None)])
def test_page_numbers_and_arrows(text, page):
    assert page_of(text, 5) == page


def test_rel_next_and_aria_labels_count_as_pagination():
    sel = Selector(text='<head><link rel="next" href="/list?page=3"></head><body>'
                        '<a rel="prev" href="/list?page=1">newer</a>'
                        '<a href="/list?page=3" aria-label="Next page"><svg></svg></a>'
                        '<a href="/a/1.html">一篇文章</a></body>')
    assert pagination_links(sel, "http://x.example/list?page=2", 2) == {
        "http://x.example/list?page=3": 3, "http://x.example/list?page=1": 1}


def listing(n: int, pages: int) -> str:
    numbers = " ".join(f'<a href="/list/{k}">{k}</a>' if k != n else f"<span>{k}</span>" for k in range(1, pages + 1))
    posts = "".join(f'<li><a href="/a/{m}.html">{html.escape(f"第{m}篇")}</a><p>摘要</p></li>'
                    for m in (2 * n - 1, 2 * n))
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>第{n}页</title></head><body>'
            f'<ul class="post-list">{posts}</ul><div class="pages">{numbers} <a href="/list/{n + 1}">下一页</a>'
            f' <a href="/list/{pages}">尾页</a></div></body></html>')


def test_a_paginated_listing_is_read_up_to_the_profile_limit_even_when_a_sitemap_names_more(tmp_path):
    with serve_live_site(LiveSite()) as site:
        for n in range(1, 11):
            site.put(f"/list/{n}", listing(n, 10))
        for m in range(1, 21):
            site.put(f"/a/{m}.html", article_page(f"第{m}篇：翻页", paragraphs(m)))
        # the sitemap names every listing page too: the limit holds for them
        site.put("/sitemap.xml", sitemap(site.base, {f"/list/{n}": "2025-03-05" for n in range(1, 11)}),
                 "application/xml")
        profile = tmp_path / "pages.toml"
        profile.write_text(f'name = "pages"\nstart_urls = ["{site.base}/list/1"]\nlisting_pages = 3\n'
                           "article_urls = ['/a/\\d+\\.html$']\n", encoding="utf-8")
        result = run_archive("crawl", "--site", str(profile), "--db", str(tmp_path / "x.db"))
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads(result.stdout)["new"] == 6
        assert sorted({h.path for h in site.hits if h.path.startswith("/list/")}) == ["/list/1", "/list/2", "/list/3"]
        assert sorted(site.downloaded("/a/")) == sorted(f"/a/{m}.html" for m in range(1, 7))
