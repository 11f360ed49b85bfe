"""The demo site generator and the static server that crawls and tests run against."""
from __future__ import annotations

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from crawler.demosite.generate import build_site
from crawler.demosite.server import serve_directory

BASE = "http://127.0.0.1:8000"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    return root, build_site(root, pages=30, seed=3, base_url=BASE)


def fetch(url, method="GET"):
    """(status, headers, body) of a request, HTTP errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def body_of(root, article) -> str:
    page = (root / article["path"].lstrip("/")).read_text(article["encoding"])
    return page.split('<div class="content">')[1].split("</article>")[0]


def test_manifest_describes_every_article(site):
    root, manifest = site
    articles = manifest["articles"]
    paths = {a["path"] for a in articles}
    assert len(articles) == len(paths) == 30
    assert all((root / a["path"].lstrip("/")).is_file() for a in articles)
    assert {a["language"] for a in articles} == {"zh", "en"}
    assert sum(a["language"] == "zh" for a in articles) == 21
    for a in articles:
        section, name = a["path"].strip("/").split("/")
        assert section == a["section"] and len(name) == len("123456.html")
        assert set(a["related"]) <= paths and a["path"] not in a["related"]
        assert a["breadcrumbs"][0]["url"] == "/" and a["breadcrumbs"][-1]["url"] is None
    assert all((root / p.lstrip("/")).is_file() for p in manifest["listings"])


def test_article_page_has_the_design_anatomy(site):
    root, manifest = site
    a = next(a for a in manifest["articles"] if a["language"] == "zh" and a["encoding"] == "utf-8")
    page = (root / a["path"].lstrip("/")).read_text("utf-8")
    assert f"<title>{a['title']} - 青灯文摘</title>" in page
    assert f'当前位置: <a href="/">首页</a> > <a href="/{a["section"]}/">' in page
    assert ">正文</div>" in page and "发布时间：" in page and f"作者：{a['author']}" in page
    assert '<pre><code class="language-python">' in page and "相关文章:" in page
    assert page.index("相关文章:") < page.index("最新文章") < page.index("<script>")
    assert len(a["related"]) >= 5 and page.count("...</p></li>") == len(a["related"])

    en = next(a for a in manifest["articles"] if a["language"] == "en")
    page = (root / en["path"].lstrip("/")).read_text("utf-8")
    assert "You are here: <a href=\"/\">Home</a> » " in page and "Related posts" in page
    assert "Posted on " in page and "Latest posts" in page


def test_copies_are_identical_bodies_at_other_urls(site):
    root, manifest = site
    by_path = {a["path"]: a for a in manifest["articles"]}
    copies = [a for a in manifest["articles"] if a["duplicate_of"]]
    assert copies
    for copy in copies:
        original = by_path[copy["duplicate_of"]]
        assert copy["path"] != original["path"] and copy["title"] == original["title"]
        assert body_of(root, copy) == body_of(root, original)


def test_same_seed_same_site(site, tmp_path):
    root, manifest = site
    again = build_site(tmp_path, pages=30, seed=3, base_url=BASE)
    assert again == manifest
    path = manifest["articles"][0]["path"].lstrip("/")
    assert (tmp_path / path).read_bytes() == (root / path).read_bytes()


def test_sitemap_and_robots(site):
    root, manifest = site
    urls = ET.parse(root / "sitemap.xml").getroot().findall("sm:url", SITEMAP_NS)
    locs = {u.findtext("sm:loc", namespaces=SITEMAP_NS) for u in urls}
    assert {BASE + a["path"] for a in manifest["articles"]} <= locs
    assert all(u.findtext("sm:lastmod", namespaces=SITEMAP_NS) for u in urls)
    robots = (root / "robots.txt").read_text()
    assert "Allow: /" in robots and f"Sitemap: {BASE}/sitemap.xml" in robots


def test_listing_pages_link_twenty_articles_and_the_next_page(tmp_path):
    manifest = build_site(tmp_path, pages=120, seed=1)
    news = [a for a in manifest["articles"] if a["section"] == "news"]
    assert len(news) > 20
    first = (tmp_path / "news" / "index.html").read_text("utf-8")
    assert first.count("...</p></li>") == 20 and '<a href="/news/list_2.html">下一页</a>' in first


def test_server_serves_pages_gbk_bytes_404_and_overrides(site):
    root, manifest = site
    article = manifest["articles"][0]
    gbk = next(a for a in manifest["articles"] if a["encoding"] == "gbk")
    overrides = {"/boom.html": (500, {"Content-Type": "text/plain"}, b"internal error"),
                 "/moved": (301, {"Location": article["path"]}, b"")}
    with serve_directory(root, overrides=overrides) as base:
        assert base.startswith("http://127.0.0.1:")
        status, headers, body = fetch(base + article["path"])
        assert status == 200 and headers["Content-Type"] == "text/html"
        assert int(headers["Content-Length"]) == len(body) == (root / article["path"].lstrip("/")).stat().st_size
        assert fetch(base + "/sitemap.xml")[1]["Content-Type"] == "application/xml"
        assert fetch(base + "/robots.txt")[1]["Content-Type"] == "text/plain"

        status, _, body = fetch(base + gbk["path"])
        assert b'<meta charset="gbk">' in body and gbk["title"].encode("gbk") in body

        assert fetch(base + "/news/")[0] == 200
        assert fetch(base + "/nope.html")[0] == 404
        assert fetch(base + "/boom.html")[:3:2] == (500, b"internal error")
        assert fetch(base + "/moved")[2] == fetch(base + article["path"])[2]
        status, headers, body = fetch(base + article["path"], method="HEAD")
        assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    with pytest.raises(OSError):
        fetch(base + "/")  # stopped on exit


def test_server_refuses_to_bind_beyond_loopback(site):
    with pytest.raises(ValueError):
        with serve_directory(site[0], host="0.0.0.0"):
            pass
