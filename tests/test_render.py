"""Pages built by their scripts: archived whole with `render = "browser"` (real Chromium), `needs_browser` without.

One site on 127.0.0.1 serves each article as an empty shell whose script
fetches the article as JSON and inserts the trail, the body and the
related block; beside them a thin article served whole. The same site is
crawled once with a rendering profile and once without one.
"""
from __future__ import annotations

import json

import pytest
import scrapy
from playwright.async_api import Error as BrowserError, TimeoutError as BrowserTimeoutError

from conftest import run_archive
from crawler.failures import reason_of
from crawler.render import RenderMiddleware
from livesite import LiveSite, article_page, listing_page, serve_live_site
from pipelines.schema import open_archive

SHELL = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>石板路札记</title>
<script src="/static/app.js" defer></script>
<script src="{tracker}"></script></head>
<body>
<div class="nav"><a href="/"><img src="/static/logo.png" alt="">石板路札记</a></div>
<noscript>请启用 JavaScript 后阅读本站文章。</noscript>
<div id="app"></div>
<div class="foot">© 2025 石板路札记</div>
</body></html>"""

# The site's app: the article as data from /api/N.json, built into the page.
APP = """
const esc = s => s.replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})[c]);
(async () => {
  const id = location.pathname.match(/(\\d+)\\.html$/)[1];
  const post = await (await fetch(`/api/${id}.json`)).json();
  const trail = post.trail.map(([name, href]) => href ? `<a href="${href}">${esc(name)}</a>` : esc(name));
  const related = post.related.map(([href, title]) =>
    `<li><a href="${href}">${esc(title)}</a><p>${esc(title)}的摘要……</p></li>`).join("");
  document.getElementById("app").innerHTML = `
    <div class="position">当前位置: ${trail.join(" &gt; ")}</div>
    <article class="post"><h1>${esc(post.title)}</h1>
      <div class="content">${post.paragraphs.map(p => `<p>${esc(p)}</p>`).join("")}${post.note_html}</div>
    </article>
    <div class="related"><h3>相关文章:</h3><ul>${related}</ul></div>`;
})();
"""
TRACKER = 'document.body.insertAdjacentHTML("beforeend", "<p>第三方脚本插入的广告文字</p>");'


def post(n: int, related: list[tuple[str, str]]) -> dict:
    return {
        "title": f"第{n}篇：脚本写出来的巷口面馆",
        "trail": [["首页", "/"], ["随笔", "/"], ["正文", None]],
        "paragraphs": [f"第{n}篇写巷口的面馆。老板每天清晨五点起来揉面，汤是前一晚就熬上的骨头汤。",
                       f"面馆开了二十多年，墙上的价目表换过四次，第{n}篇只记下了最近的一次。",
                       "吃完面出门，街上已经有了上学的孩子，卖早点的推车一辆接一辆地过去。",
                       "下午店里没什么人，老板坐在门口择菜，跟隔壁修鞋的师傅聊今年的雨水和菜价。"],
        # hostile markup the page's own script inserts: kept as text, never as a handler or script
        "note_html": '<p><span onclick="steal()">注：</span>价目以店内为准。<script>steal()</script></p>',
        "related": related,
    }


@pytest.fixture(scope="module")
def site():
    with serve_live_site(LiveSite()) as live:
        tracker = live.base.replace("127.0.0.1", "localhost") + "/tracker.js"  # another host: third party
        for n, other in ((1, 2), (2, 1)):
            live.put(f"/a/{n}.html", SHELL.format(tracker=tracker))
            live.put(f"/api/{n}.json", json.dumps(post(n, [(f"/a/{other}.html", f"第{other}篇：脚本写出来的巷口面馆"),
                                                           ("/a/3.html", "第3篇：菜园里的一场雨")])),
                     "application/json")
        live.put("/a/3.html", article_page("第3篇：菜园里的一场雨", [
            "雨下了一夜，早上菜园里的土都软了。", "豆角架倒了两根，得趁晴天重新扎起来。"]).replace(
            "</article>", '<div class="ad-slot" id="ad-1"></div><script>window.dataLayer = [];</script></article>'))
        live.put("/static/app.js", APP, "application/javascript")
        live.put("/tracker.js", TRACKER, "application/javascript")
        live.put("/", listing_page([(f"/a/{n}.html", f"第{n}篇") for n in (1, 2, 3)]))
        yield live


def crawl(site, tmp, render: bool) -> tuple[dict, str]:
    profile = tmp / "site.toml"
    profile.write_text(f'name = "shells"\nstart_urls = ["{site.base}/"]\n'
                       + ("render = \"browser\"\nrender_urls = ['/a/']\n" if render else ""), "utf-8")
    result = run_archive("crawl", "--site", str(profile), "--db", str(tmp / "archive.db"))
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(tmp / "archive.db") as db:
        rows = {
            "articles": {r["url"]: r for r in db.query("SELECT * FROM articles")},
            "trails": {r["url"]: json.loads(r["trail"]) for r in db.query(
                "SELECT a.url, json_group_array(b.name) AS trail FROM breadcrumbs b JOIN articles a ON a.id = b.article_id"
                " GROUP BY a.id ORDER BY a.id")},
            "related": {r["url"]: json.loads(r["links"]) for r in db.query(
                "SELECT a.url, json_group_array(r.url) AS links FROM related_links r JOIN articles a ON a.id = r.article_id"
                " GROUP BY a.id")},
            "failures": {r["url"]: r for r in db.query("SELECT * FROM failures")},
        }
    return rows, result.stderr


@pytest.fixture(scope="module")
def rendered(site, tmp_path_factory):
    hits = len(site.hits)
    rows, log = crawl(site, tmp_path_factory.mktemp("rendered"), render=True)
    return rows, log, [h.path for h in site.hits[hits:]]


@pytest.fixture(scope="module")
def served(site, tmp_path_factory, rendered):  # after the rendered crawl: the site's hits stay apart
    return crawl(site, tmp_path_factory.mktemp("served"), render=False)


def test_rendered_article_is_archived_with_trail_body_and_related(site, rendered):
    rows, _, _ = rendered
    for n, other in ((1, 2), (2, 1)):
        url = f"{site.base}/a/{n}.html"
        article = rows["articles"][url]
        assert article["title"] == f"第{n}篇：脚本写出来的巷口面馆"
        assert "老板每天清晨五点起来揉面" in article["body_text"] and "上学的孩子" in article["body_text"]
        assert rows["trails"][url] == ["首页", "随笔", "正文"]
        assert rows["related"][url] == [f"{site.base}/a/{other}.html", f"{site.base}/a/3.html"]
    assert f"{site.base}/a/3.html" in rows["articles"]
    assert not rows["failures"]


def test_rendered_dom_is_sanitized_like_a_served_page(site, rendered):
    article = rendered[0]["articles"][f"{site.base}/a/1.html"]
    assert "价目以店内为准" in article["body_text"]
    assert "onclick" not in article["body_html"] and "<script" not in article["body_html"].lower()
    assert "steal()" not in article["body_html"]


def test_rendered_page_loads_no_images_and_nothing_off_the_crawl_hosts(rendered):
    rows, _, paths = rendered
    assert "/api/1.json" in paths and "/static/app.js" in paths   # the page's own scripts and data
    assert "/static/logo.png" not in paths and "/tracker.js" not in paths
    assert not any("广告文字" in a["body_text"] for a in rows["articles"].values())


def test_only_the_profiles_pages_go_through_the_browser(rendered, served):
    _, log, _ = rendered
    assert "crawler.render.RenderMiddleware" in log and "scrapy-playwright" in log
    _, plain_log = served
    assert "RenderMiddleware" not in plain_log and "playwright" not in plain_log.lower()


def test_without_render_a_script_shell_is_a_needs_browser_failure(site, served):
    rows, log = served
    for n in (1, 2):
        url = f"{site.base}/a/{n}.html"
        assert url not in rows["articles"]
        failure = rows["failures"][url]
        assert failure["reason"] == "needs_browser"
        assert "<noscript> asking for JavaScript" in failure["error"] and "'app'" in failure["error"]
        assert f"needs a browser: {url}" in log


def test_thin_article_served_whole_is_no_shell(site, served):
    rows, _ = served
    url = f"{site.base}/a/3.html"
    assert url in rows["articles"] and url not in rows["failures"]
    assert "菜园" in rows["articles"][url]["title"]


@pytest.mark.parametrize("error, reason", [
    (BrowserTimeoutError("Timeout 20000ms exceeded."), "timeout"),
    (BrowserError("net::ERR_NAME_NOT_RESOLVED at http://nowhere.invalid/"), "dns"),
    (BrowserError("net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/"), "connection"),
])
def test_browser_errors_keep_their_failure_reasons(error, reason):
    request = scrapy.Request("http://127.0.0.1:9/a/1.html", meta={"playwright": True})
    with pytest.raises(Exception) as raised:
        RenderMiddleware(None, 0).process_exception(request, error)
    assert reason_of(raised.value) == reason and raised.value.__cause__ is error
    assert RenderMiddleware(None, 0).process_exception(request, BrowserError("Target closed")) is None


def test_a_rendering_crawl_without_its_browser_stops_before_fetching(site, tmp_path):
    profile = tmp_path / "site.toml"
    profile.write_text(f'start_urls = ["{site.base}/"]\nrender = "browser"\n', "utf-8")
    hits = len(site.hits)
    result = run_archive("crawl", "--site", str(profile), "--db", str(tmp_path / "archive.db"),
                         "-s", 'PLAYWRIGHT_LAUNCH_OPTIONS={"executable_path": "/nonexistent/chromium"}')
    assert result.returncode != 0 and "needs Chromium at /nonexistent/chromium" in result.stderr
    assert len(site.hits) == hits
