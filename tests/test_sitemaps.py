"""Sitemaps as sites write them: news and image extensions, indexes of indexes, gzip, any lastmod; a max age."""
from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from conftest import run_archive
from crawler.sitemaps import NotASitemap, SitemapEntry, older_than, parse_sitemap, sitemap_date
from livesite import LiveSite, Page, article_page, paragraphs, serve_live_site
from pipelines.schema import open_archive

URLSET = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
          'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{}</urlset>')
INDEX = '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</sitemapindex>'


@pytest.mark.parametrize("written, iso", [
    ("2025-03-05", "2025-03-05"),                                  # W3C, each precision
    ("2025-03-05T10:00+08:00", "2025-03-05T10:00:00+08:00"),
    ("2025-03-05T10:00:00Z", "2025-03-05T10:00:00+00:00"),
    ("2025-03-05T10:00:00.250+0800", "2025-03-05T10:00:00+08:00"),
    ("Wed, 05 Mar 2025 10:00:00 GMT", "2025-03-05T10:00:00+00:00"),  # RFC 822, as feeds write it
    ("2025/03/05 10:00", "2025-03-05T10:00:00"),                   # CMS formats
    ("2025-03-05 10:00:00", "2025-03-05T10:00:00"),
    (" 2025-03-05\n", "2025-03-05"),
    ("1741168800", "2025-03-05T10:00:00+00:00"),                   # epoch seconds
    ("", None), ("yesterday-ish", None),
])
def test_lastmod_in_every_format_sites_write(written, iso):
    assert sitemap_date(written) == iso


def test_news_and_image_extensions():
    sitemap = parse_sitemap(URLSET.format(
        "<url><loc>https://news.example/a/1.html</loc><news:news><news:publication><news:name>晚报</news:name>"
        "<news:language>zh</news:language></news:publication>"
        "<news:publication_date>2025-03-05T10:00:00+08:00</news:publication_date><news:title>渡口</news:title>"
        "</news:news><image:image><image:loc>https://news.example/i/1.jpg</image:loc></image:image>"
        "<image:image><image:loc>https://news.example/i/2.jpg</image:loc></image:image></url>"
        "<url><loc>https://news.example/a/2.html</loc><lastmod>2025-03-06</lastmod>"
        "<news:news><news:publication_date>2025-03-04</news:publication_date></news:news></url>").encode())
    assert sitemap.kind == "urlset"
    assert sitemap.entries == [
        SitemapEntry("https://news.example/a/1.html", "2025-03-05T10:00:00+08:00", "2025-03-05T10:00:00+08:00",
                     ("https://news.example/i/1.jpg", "https://news.example/i/2.jpg")),
        SitemapEntry("https://news.example/a/2.html", "2025-03-06", "2025-03-04")]   # lastmod wins for "changed"


def test_a_truncated_sitemap_gives_the_entries_before_the_cut():
    whole = URLSET.format("".join(f"<url><loc>https://news.example/a/{n}.html</loc></url>" for n in range(5)))
    sitemap = parse_sitemap(whole.encode()[:whole.index("/a/3.html")])
    assert [e.url for e in sitemap.entries] == [f"https://news.example/a/{n}.html" for n in range(3)]


@pytest.mark.parametrize("body", [b"", b"User-agent: *\nDisallow:", b"<html><body>404</body></html>",
                                  b"<rss><channel></channel></rss>"])
def test_what_is_no_sitemap_says_so(body):
    with pytest.raises(NotASitemap):
        parse_sitemap(body)


def test_max_age_leaves_out_old_entries_and_keeps_undated_ones():
    now = datetime(2025, 3, 10, tzinfo=timezone.utc)
    age = timedelta(days=3)
    assert older_than(SitemapEntry("u", "2025-03-05"), age, now)                  # ended before the 7th
    assert not older_than(SitemapEntry("u", "2025-03-07"), age, now)              # any time that day
    assert not older_than(SitemapEntry("u", "2025-03-08T10:00:00+08:00"), age, now)
    assert not older_than(SitemapEntry("u", None), age, now)
    assert not older_than(SitemapEntry("u", "2020-01-01"), None, now)


# -- a site whose sitemaps are an index of indexes, gzipped at the bottom ----

def test_an_index_of_indexes_with_gzip_sitemaps_and_a_max_age(tmp_path):
    with serve_live_site(LiveSite()) as site:
        recent = datetime.now(timezone.utc) - timedelta(days=1)
        site.put("/", "<html><head><title>晚报</title></head><body><p>本站文章见网站地图。</p></body></html>")
        site.put("/robots.txt", f"User-agent: *\nSitemap: {site.base}/sitemap_index.xml\n", "text/plain")
        site.put("/sitemap_index.xml", INDEX.format(
            f"<sitemap><loc>{site.base}/sitemaps/2025.xml</loc><lastmod>{recent:%Y-%m-%d}</lastmod></sitemap>"
            f"<sitemap><loc>{site.base}/sitemaps/2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>"),
            "application/xml")
        site.put("/sitemaps/2025.xml", INDEX.format(
            f"<sitemap><loc>{site.base}/sitemaps/posts.xml.gz</loc></sitemap>"), "application/xml")
        site.put("/sitemaps/2019.xml", URLSET.format(f"<url><loc>{site.base}/a/1.html</loc></url>"), "application/xml")
        posts = URLSET.format(
            f"<url><loc>{site.base}/a/2.html</loc><lastmod>{format_datetime(recent, usegmt=True)}</lastmod></url>"
            f"<url><loc>{site.base}/a/3.html</loc><lastmod>{int(recent.timestamp())}</lastmod></url>"
            f"<url><loc>{site.base}/a/4.html</loc><lastmod>2020/01/01 08:00</lastmod></url>"
            f"<url><loc>{site.base}/a/5.html</loc></url>")
        site.pages["/sitemaps/posts.xml.gz"] = Page(gzip.compress(posts.encode()), recent,
                                                    content_type="application/x-gzip")
        for n in range(1, 6):
            site.put(f"/a/{n}.html", article_page(f"第{n}篇：晚报", paragraphs(n)))
        profile = tmp_path / "evening.toml"
        profile.write_text(f'name = "evening"\nstart_urls = ["{site.base}/"]\nsitemap_max_age = "30d"\n',
                           encoding="utf-8")

        result = run_archive("crawl", "--site", str(profile), "--db", str(tmp_path / "x.db"))
        assert result.returncode == 0, result.stderr[-3000:]
        assert json.loads(result.stdout)["new"] == 3
        asked = {h.path for h in site.hits}
        assert "/sitemaps/posts.xml.gz" in asked and "/sitemaps/2019.xml" not in asked   # an old sitemap: not read
        assert sorted(site.downloaded("/a/")) == ["/a/2.html", "/a/3.html", "/a/5.html"]  # undated is kept
        with open_archive(tmp_path / "x.db") as db:
            assert db["articles"].count == 3 and db["failures"].count == 0
