"""Site profiles load, and a bad one says which file and key are wrong."""
from datetime import timedelta

import pytest

from crawler.profile import ProfileError, load_profile
from parsel import Selector

from conftest import run_archive

GOOD = """
name = "qingning"
start_urls = ["http://127.0.0.1:9/"]
article_urls = ['/a/\\d+\\.html$']
skip_urls = ['/tag/']
max_pages = 50
listing_pages = 3
feeds = ["/feed.xml", "https://feeds.example/qingning"]
sitemap_max_age = "3d"

[selectors]
title = "div.post h1"
author = "xpath://div[@class='info']/text()"
"""


def write(tmp_path, text):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_profile_loads_patterns_limits_and_selectors(tmp_path):
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.name == "qingning"
    assert profile.allowed_domains == ("127.0.0.1",)
    assert profile.is_article_url("http://127.0.0.1:9/a/12.html") is True
    assert profile.is_article_url("http://127.0.0.1:9/list_2.html") is False
    assert profile.skips("http://127.0.0.1:9/tag/python")
    assert profile.max_pages == 50 and profile.listing_pages == 3
    assert profile.feeds == ("http://127.0.0.1:9/feed.xml", "https://feeds.example/qingning")
    assert profile.sitemap_max_age == timedelta(days=3)
    page = Selector(text="<div class='post'><h1>标题</h1></div><div class='info'>作者：某人</div>")
    assert profile.select(page, "title").xpath("string()").get() == "标题"
    assert profile.select(page, "author").get() == "作者：某人"
    assert profile.select(page, "body").get() is None


def test_profile_without_patterns_leaves_article_detection_to_extraction(tmp_path):
    profile = load_profile(write(tmp_path, 'start_urls = ["http://127.0.0.1:9/"]'))
    assert profile.name == "site"
    assert profile.is_article_url("http://127.0.0.1:9/a/1.html") is None


def test_profile_renders_its_pages_only_when_it_asks(tmp_path):
    start = 'start_urls = ["http://127.0.0.1:9/"]\n'
    assert not load_profile(write(tmp_path, start)).renders("http://127.0.0.1:9/a/1.html")
    every = load_profile(write(tmp_path, start + 'render = "browser"'))
    assert every.renders("http://127.0.0.1:9/a/1.html") and every.renders("http://127.0.0.1:9/")
    some = load_profile(write(tmp_path, start + "render = \"browser\"\nrender_urls = ['/a/\\d+']"))
    assert some.renders("http://127.0.0.1:9/a/1.html") and not some.renders("http://127.0.0.1:9/")


@pytest.mark.parametrize("text, message", [
    ('[selectors]\nbody = "div[[["', "selectors.body: bad selector"),
    ('[selectors]\ntitle = "xpath://h1[("', "selectors.title: bad selector"),
    ('[selectors]\nsidebar = "div"', "selectors.sidebar: unknown field"),
    ("article_urls = ['(unclosed']", "article_urls: bad regular expression"),
    ("name = ", "not valid TOML"),
    ('sitemap_max_age = "soon"', "sitemap_max_age: not a duration"),
    ('feeds = "/feed.xml"', "feeds: a list of URLs"),
    ('feeds = ["/feed.xml"]', "feeds: a relative URL needs start_urls"),
    ('render = "javascript"', "render: 'javascript' is not one of 'browser'"),
    ("render_urls = ['/news/']", 'render_urls: needs render = "browser"'),
    ("render = \"browser\"\nrender_urls = ['(unclosed']", "render_urls: bad regular expression"),
])
def test_bad_profile_names_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError, match=message) as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_crawl_with_bad_profile_fails_before_fetching(tmp_path):
    path = write(tmp_path, '[selectors]\nbody = "div[[["')
    result = run_archive("crawl", "--site", str(path), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "selectors.body: bad selector" in result.stderr
    assert not (tmp_path / "x.db").exists()
