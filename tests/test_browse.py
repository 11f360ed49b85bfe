"""The archive in Datasette, as a reader and an analyst use it: `archive serve` on a crawled site,
driven over HTTP and in a real browser (Debian Chromium through Playwright).

Screenshots land in test-artifacts/ (git-ignored).
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from crawler.demosite.server import serve_directory
from crawler.serve import metadata_for
from tests.conftest import FIXTURES, free_port, run_archive, serving
from tests.oracle import like_scan

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

# One- and two-character Chinese terms, English words, mixed, multi-term, a phrase.
QUERIES = ["池", "化", "池化", "向量", "爬虫", "python", "crawler", "pooling", "Python爬虫",
           "池化 向量", "python 爬虫", '"machine learning"', "水池", "化学"]


def fetch(url, method="GET"):
    request = urllib.request.Request(url, method=method)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_json(url):
    status, _, body = fetch(url)
    assert status == 200, body[:500]
    return json.loads(body)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The readsite crawled into an archive called reading.db, served by `archive serve`."""
    path = tmp_path_factory.mktemp("browse") / "reading.db"
    with serve_directory(FIXTURES / "readsite") as site:
        result = run_archive("crawl", site + "/", "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    port = free_port()
    log = open(path.with_suffix(".log"), "w+")
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(path), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        with serving(proc, base + "/-/versions.json", log):
            yield {"base": base, "db": base + "/reading", "path": path}
    finally:  # archive serve stops its Datasette on SIGTERM (checked below)
        with pytest.raises(OSError):   # the Datasette it ran is gone with it
            urllib.request.urlopen(base + "/-/versions.json", timeout=2)


@pytest.fixture(scope="module")
def like(archive):
    conn = sqlite3.connect(f"file:{archive['path']}?mode=ro", uri=True)
    yield lambda q: like_scan(conn, q)
    conn.close()


def search_url(archive, q, **filters):
    return archive["db"] + "/search?" + urllib.parse.urlencode({"q": q, **filters})


# -- over HTTP -----------------------------------------------------------------

def test_search_json_answers_under_the_archive_stem(archive, like):
    rows = get_json(archive["db"] + "/search.json?_shape=objects&q=" + urllib.parse.quote("池化"))["rows"]
    assert {r["id"] for r in rows} == like("池化") and len(rows) >= 3
    assert {"id", "url", "title", "snippet"} <= set(rows[0])
    assert all("<mark>池化</mark>" in r["snippet"] or "池化" in r["title"] for r in rows)


def test_search_ranks_title_matches_first_and_filters(archive):
    rows = get_json(archive["db"] + "/search.json?_shape=objects&q=" + urllib.parse.quote("池化"))["rows"]
    assert rows[0]["title"] == "文本向量的池化方法"
    english = get_json(search_url(archive, "池化", language="en").replace("/search?", "/search.json?_shape=objects&"))
    assert [r["title"] for r in english["rows"]] == ["Pooling layers in convolutional networks"]
    dated = get_json(search_url(archive, "池化", published_from="2025-04", published_to="2025-05")
                     .replace("/search?", "/search.json?_shape=objects&"))
    assert [r["title"] for r in dated["rows"]] == ["Pooling layers in convolutional networks"]
    tech = get_json(search_url(archive, "python", section="tech").replace("/search?", "/search.json?_shape=objects&"))
    assert [r["title"] for r in tech["rows"]] == ["用Python爬虫抓取技术博客"]


def test_table_search_box_finds_plain_words(archive):
    for word, title in [("pooling", "Pooling layers in convolutional networks"), ("池化", "文本向量的池化方法")]:
        rows = get_json(archive["db"] + "/articles.json?_shape=objects&_search=" + urllib.parse.quote(word))["rows"]
        assert title in {r["title"] for r in rows}, word


def test_facets_and_canned_queries(archive):
    facets = get_json(archive["db"] + "/articles.json")["facet_results"]
    assert {"site", "section", "language", "status", "published_at"} <= set(facets)
    assert facets["published_at"]["type"] == "month"
    assert {v["value"] for v in facets["published_at"]["results"]} >= {"2025-03", "2025-04"}
    march = get_json(archive["db"] + "/articles.json?_shape=objects&published_at__startswith=2025-03")["rows"]
    assert len(march) == 2
    for query in ("articles_per_day", "most_linked", "changed_articles", "duplicate_articles",
                  "failed_urls", "crawl_history"):
        assert get_json(f"{archive['db']}/{query}.json")["ok"], query
    linked = get_json(archive["db"] + "/most_linked.json?_shape=objects")["rows"]
    assert linked[0]["title"] == "文本向量的池化方法" and linked[0]["links"] == 3
    assert get_json(archive["db"] + "/failed_urls.json?_shape=objects")["rows"][0]["http_status"] == 404


def test_long_columns_hidden_from_the_default_table_view(archive):
    status, headers, _ = fetch(archive["db"] + "/articles?_sort=id")
    assert status == 302
    assert headers["location"].endswith("_sort=id&_nocol=body_text&_nocol=body_html&_nocol=body_markdown")
    assert fetch(archive["db"] + "/articles?_col=body_text")[0] == 200
    assert "body_html" in get_json(archive["db"] + "/articles.json")["columns"]   # the API is whole


def test_metadata_points_the_plots_at_the_served_archive():
    charts = metadata_for("/data/news-2025.db")["plugins"]["datasette-dashboards"]["archive"]["charts"]
    assert {chart["db"] for chart in charts.values()} == {"news-2025"}


def test_read_only_with_a_content_security_policy(archive):
    status, headers, _ = fetch(archive["db"] + "/search", method="POST")
    assert status == 405
    status, headers, _ = fetch(archive["base"] + "/")
    assert "default-src 'self'" in headers["content-security-policy"]
    settings = get_json(archive["base"] + "/-/settings.json")
    assert settings["sql_time_limit_ms"] <= 2000


# -- in a real browser ---------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` (or apt-get install chromium) installs it")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, archive):
    """A tab that records dialogs, page errors and every response it gets (a request that CSP blocks gets none)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.dialogs, page.errors, page.responses = [], [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("response", lambda response: page.responses.append(response.url))
    yield page
    context.close()
    foreign = [url for url in page.responses if not url.startswith((archive["base"], "data:"))]
    assert foreign == []


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def result_ids(page) -> set[int]:
    return {int(cell.inner_text()) for cell in page.locator("table.rows-and-columns td.col-id").all()}


def test_browser_search_finds_exactly_what_a_like_scan_finds(page, archive, like):
    for q in QUERIES:
        page.goto(search_url(archive, q))
        assert result_ids(page) == like(q), q
    assert like("池") - like("池化") and like("化") - like("池化")   # the corpus tells them apart
    assert like("python 爬虫") - like("Python爬虫")


def test_browser_search_pooling_then_open_the_article(page, archive, like):
    page.goto(search_url(archive, "池化"))
    assert result_ids(page) == like("池化")
    assert page.locator("td.col-snippet mark").first.inner_text() == "池化"
    shot(page, "search-池化")
    page.goto(search_url(archive, "池化 向量"))
    assert result_ids(page) == like("池化 向量") and len(like("池化 向量")) >= 1
    shot(page, "search-two-terms")
    page.locator("td.col-title a", has_text="文本向量的池化方法").click()
    page.wait_for_load_state()
    article = page.locator("article.article-reading")
    assert article.locator("h1").inner_text() == "文本向量的池化方法"
    assert "def mean_pool" in article.locator(".body pre code").inner_text()
    assert article.locator(".body table th").all_inner_texts() == ["方法", "特点"]
    assert article.locator(".trail a").all_inner_texts() == ["首页", "tech"]
    related = article.locator(".related a", has_text="用Python爬虫抓取技术博客")
    assert "/reading/articles/" in related.get_attribute("href")
    shot(page, "article-池化")
    related.click()
    page.wait_for_load_state()
    assert page.locator("article.article-reading h1").inner_text() == "用Python爬虫抓取技术博客"


def test_browser_hostile_page_runs_nothing(page, archive):
    page.goto(search_url(archive, "安全"))
    assert "onerror" in page.locator("td.col-title a").inner_text()   # shown as text
    page.locator("td.col-title a").click()
    page.wait_for_load_state()
    shot(page, "hostile-article")
    body = page.locator("article.article-reading .body")
    assert "<script>alert('text')</script>" in body.inner_text()      # text stays text
    assert page.evaluate("""() => document.querySelectorAll(
        'article script, article iframe, article svg, article [onerror], article [onload], '
        + 'a[href^="javascript:"], [src^="javascript:"]').length""") == 0
    page.goto(archive["db"] + "/articles?_col=title&_col=body_html&_col=body_markdown")
    page.goto(archive["db"] + "?sql=" + urllib.parse.quote("select '<img src=x onerror=alert(1)>' as snippet, 1 as id, 't' as title"))
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []


def test_browser_plots_render_from_bundled_scripts(page, archive):
    page.goto(archive["base"] + "/-/dashboards/archive")
    for chart in ("articles-over-time", "crawl-health"):
        page.locator(f"#chart-{chart} canvas, #chart-{chart} svg").first.wait_for(timeout=15000)
    shot(page, "dashboard")
    assert page.errors == []
