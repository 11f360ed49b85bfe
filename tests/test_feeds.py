"""Feeds and news sitemaps: a site that publishes its articles only through them, crawled twice."""
from __future__ import annotations

import html
from datetime import datetime, timezone

import pytest
from parsel import Selector

from conftest import crawl
from crawler.feeds import Entry, feed_links, parse_feed
from livesite import LiveSite, Page, article_page, paragraphs, serve_live_site
from pipelines.schema import open_archive

RSS_ITEM = """<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate>
<dc:creator>{author}</dc:creator><description>{title}的摘要</description></item>"""
ATOM_ENTRY = """<entry><title>{title}</title><link rel="alternate" href="{path}"/><id>{path}</id>
<updated>{date}</updated><author><name>{author}</name></author></entry>"""
NEWS_URL = """<url><loc>{base}{path}</loc><news:news><news:publication><news:name>石板路札记</news:name>
<news:language>zh</news:language></news:publication><news:publication_date>{date}</news:publication_date>
<news:title>{title}</news:title></news:news><image:image><image:loc>{base}/img/{n}.jpg</image:loc></image:image></url>"""


def rss(site, entries) -> str:
    items = "".join(RSS_ITEM.format(base=site.base, **e) for e in entries)
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>石板路札记</title><link>{site.base}/</link>{items}</channel></rss>")


def atom(site, entries) -> str:
    items = "".join(ATOM_ENTRY.format(**e) for e in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:base="{site.base}/"><title>石板路札记</title><id>{site.base}/</id>'
            f"<updated>2025-06-01T00:00:00Z</updated>{items}</feed>")


def news_sitemap(site, entries) -> str:
    urls = "".join(NEWS_URL.format(base=site.base, n=e["path"].split("/")[-1], **e) for e in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" '
            f'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">{urls}</urlset>')


def home(feeds=True) -> str:
    links = ('<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">'
             '<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">') if feeds else ""
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>石板路札记</title>{links}</head>
<body><div class="nav"><a href="/">石板路札记</a></div><p>新文章请订阅本站的 RSS 或 Atom。</p></body></html>"""


def entry(n: int, date: str, author: str = "") -> dict:
    return {"path": f"/a/{n}.html", "title": html.escape(f"第{n}篇"), "date": date, "author": author}


def publish(site, by_rss, by_atom, by_news) -> None:
    """Article pages with no date or author of their own, announced only by the feeds and the news sitemap."""
    for e in by_rss + by_atom + by_news:
        n = int(e["path"].split("/")[-1].split(".")[0])
        if e["path"] not in site.pages:
            site.put(e["path"], article_page(f"第{n}篇：写在路上", paragraphs(n)))
    site.put("/rss.xml", rss(site, by_rss), "application/rss+xml; charset=utf-8")
    site.put("/atom.xml", atom(site, by_atom), "application/atom+xml")
    site.put("/news-sitemap.xml", news_sitemap(site, by_news), "application/xml")


@pytest.fixture
def site():
    with serve_live_site(LiveSite()) as live:
        live.put("/", home())
        live.put("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {live.base}/news-sitemap.xml\n", "text/plain")
        yield live


def articles(db, site) -> dict[str, dict]:
    return {row["url"][len(site.base):]: row for row in db["articles"].rows}


def test_articles_only_in_feeds_and_a_news_sitemap_are_all_archived_and_a_rerun_fetches_only_new_ones(site, tmp_path):
    db_path = tmp_path / "x.db"
    by_rss = [entry(1, "Wed, 05 Mar 2025 10:00:00 +0800", "林小溪"), entry(2, "Thu, 06 Mar 2025 09:30:00 GMT")]
    by_atom = [entry(3, "2025-03-07T08:00:00Z", "周远"), entry(4, "2025-03-08T08:00:00+08:00")]
    by_news = [entry(5, "2025-03-09T12:00:00+08:00"), entry(6, "2025-03-10")]
    publish(site, by_rss, by_atom, by_news)

    first = crawl(site.base + "/", "--db", str(db_path))
    assert first["new"] == 6 and first["failed"] == 0
    assert not {"/feed", "/rss", "/index.xml", "/feed.xml"} & {h.path for h in site.hits}  # it pointed to its feeds
    with open_archive(db_path) as db:
        got = articles(db, site)
        assert sorted(got) == [f"/a/{n}.html" for n in range(1, 7)]
        one, three, five = got["/a/1.html"], got["/a/3.html"], got["/a/5.html"]
        # the page shows no date or author: the feed's stand in
        assert (one["published_at"], one["date_source"], one["author"]) == ("2025-03-05T02:00:00+00:00", "feed", "林小溪")
        assert (three["published_at"], three["author"]) == ("2025-03-07T08:00:00+00:00", "周远")
        assert (five["published_at"], five["date_source"]) == ("2025-03-09T12:00:00+08:00", "sitemap")
        assert not any("/img/" in url for url in got)                 # image:loc entries are not pages

    publish(site, by_rss + [entry(7, "Tue, 01 Apr 2025 10:00:00 GMT")],
            by_atom + [entry(8, "2025-04-02T10:00:00Z")], by_news + [entry(9, "2025-04-03T10:00:00Z")])
    site.hits.clear()
    second = crawl(site.base + "/", "--db", str(db_path))
    assert site.asked("/a/") == [h for h in site.asked("/a/") if h.status == 200]
    assert sorted(site.downloaded("/a/")) == ["/a/7.html", "/a/8.html", "/a/9.html"]  # only the new articles
    assert {"/rss.xml", "/atom.xml", "/news-sitemap.xml"} <= {h.path for h in site.hits}  # feeds every run
    assert (second["new"], second["skipped"]) == (3, 6)
    with open_archive(db_path) as db:
        assert len(articles(db, site)) == 9


def test_a_damaged_feed_is_read_as_far_as_it_goes_and_recorded(site, tmp_path):
    """Declared UTF-8, written in GBK, cut off in its third entry; named in the profile."""
    for n in (1, 2, 3):
        site.put(f"/a/{n}.html", article_page(f"第{n}篇：写在路上", paragraphs(n)))
    whole = rss(site, [entry(1, "Wed, 05 Mar 2025 10:00:00 GMT", "林小溪"),
                       entry(2, "Thu, 06 Mar 2025 10:00:00 GMT", "周远"), entry(3, "Fri, 07 Mar 2025 10:00:00 GMT")])
    cut = whole.encode("gbk")[:whole.encode("gbk").index(b"/a/3.html") - 20]
    site.pages["/news/feed"] = Page(cut, datetime.now(timezone.utc), content_type="application/rss+xml")
    site.put("/", home(feeds=False))
    profile = tmp_path / "stone.toml"
    profile.write_text(f'name = "stone"\nstart_urls = ["{site.base}/"]\nfeeds = ["/news/feed"]\n', encoding="utf-8")

    run = crawl("--site", str(profile), "--db", str(tmp_path / "x.db"))
    assert not {"/feed", "/rss", "/atom.xml"} & {h.path for h in site.hits}   # the profile names its feed
    assert run["new"] == 2
    with open_archive(tmp_path / "x.db") as db:
        got = articles(db, site)
        assert sorted(got) == ["/a/1.html", "/a/2.html"]
        assert got["/a/2.html"]["author"] == "周远"                      # decoded by its bytes, not its label
        failure, = db["failures"].rows
        assert (failure["url"], failure["reason"]) == (site.base + "/news/feed", "feed_error")
        assert "declared utf-8, but the bytes are gb18030" in failure["error"]
        assert "2 entries read" in failure["error"]


def test_a_start_page_that_points_to_no_feed_is_probed_at_the_common_paths(site, tmp_path):
    site.put("/", home(feeds=False))
    site.put("/a/1.html", article_page("第1篇：写在路上", paragraphs(1)))
    site.put("/feed", rss(site, [entry(1, "Wed, 05 Mar 2025 10:00:00 GMT")]), "application/rss+xml")
    run = crawl(site.base + "/", "--db", str(tmp_path / "x.db"))
    assert (run["new"], run["failed"]) == (1, 0)                        # the paths not there are no failures
    assert {"/feed", "/rss", "/atom.xml", "/index.xml", "/feed.xml", "/rss.xml"} <= {h.path for h in site.hits}


# -- the parts on their own ----------------------------------------------------

RDF = """<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://blog.example/"><title>老站</title><link>http://blog.example/</link></channel>
<item rdf:about="http://blog.example/p/1"><title>渡口</title><link>http://blog.example/p/1</link>
<dc:date>2025-03-05T08:00:00+08:00</dc:date><dc:creator>许青</dc:creator></item></rdf:RDF>"""


@pytest.mark.parametrize("body, version", [
    (RDF, "rss10"),
    (RSS_ITEM.join(["<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>t</title>",
                    "</channel></rss>"]).format(base="http://blog.example", path="/p/1", title="渡口",
                                                date="Wed, 05 Mar 2025 00:00:00 GMT", author="许青"), "rss20"),
    (f"<feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://blog.example/'><title>t</title>"
     f"{ATOM_ENTRY.format(path='p/1', title='渡口', date='2025-03-05T00:00:00Z', author='许青')}</feed>", "atom10"),
])
def test_each_feed_format_gives_url_date_and_author(body, version):
    feed = parse_feed(body.encode("utf-8"), "http://blog.example/feed")
    assert (feed.version, feed.problem) == (version, None)
    assert feed.entries == [Entry("http://blog.example/p/1", "2025-03-05T00:00:00+00:00",
                                  "2025-03-05T00:00:00+00:00", "许青")]


@pytest.mark.parametrize("body", [b"<html><body><p>not a feed</p></body></html>", b"", b"/etc/hostname"])
def test_what_is_no_feed_says_so_and_opens_nothing(body):
    feed = parse_feed(body, "http://blog.example/feed", "text/html")
    assert feed.entries == [] and feed.problem


def test_pages_announce_feeds_by_alternate_links_of_feed_types_only():
    page = Selector(text="""<head><link rel="alternate" type="application/rss+xml" href="/rss.xml">
        <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://blog.example/atom">
        <link rel="alternate" hreflang="en" href="/en/"><link rel="stylesheet" href="/s.css">
        <link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>""")
    assert feed_links(page, "https://blog.example/news/") == ["https://blog.example/rss.xml",
                                                              "https://blog.example/atom"]
