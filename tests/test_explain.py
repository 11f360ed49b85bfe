"""`archive explain FILE_OR_URL`: each field's choice, its cues, and selectors that make a working profile."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from parsel import Selector

from crawler import api
from crawler.csspath import css_path
from crawler.explain import explain as explain_page, render
from crawler.extract import extract_article
from crawler.profile import load_profile

from livesite import LiveSite, serve_live_site

ARCHIVE = str(Path(sys.executable).parent / "archive")  # the installed command, as a user runs it

ZH_ARTICLE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>山区小学的第一间图书室_教育频道_清溪日报</title>
<meta property="og:title" content="山区小学的第一间图书室">
</head><body>
<div class="top"><a href="/">清溪日报</a> <a href="/jiaoyu/">教育</a> <a href="/keji/">科技</a> <a href="/tiyu/">体育</a></div>
<div class="weizhi">当前位置：<a href="/">首页</a> &gt; <a href="/jiaoyu/">教育</a> &gt; 正文</div>
<div class="wenzhang">
  <h1 class="biaoti">山区小学的第一间图书室</h1>
  <p class="zuozhe">作者：林晓 2024-03-12 09:30</p>
  <div class="zhengwen">
    <p>清溪镇中心小学今年春天有了第一间图书室。两千多册书来自全县各地的捐赠，老师们用了整整一个寒假把它们分类、编号、贴上标签。</p>
    <p>开馆第一天，三年级的学生排着队走进来，很多孩子第一次在书架前挑选自己想读的书。校长说，以后每周都会安排两节阅读课，让学生把书带回家也没有问题。</p>
    <p>图书室由退休教师轮流值班。他们希望明年能再添一些科普读物和地图册，也欢迎家长在周末带着孩子一起来读书。</p>
  </div>
  <div class="xiangguan"><h3>相关阅读</h3><ul>
    <li><a href="https://qx.example/jiaoyu/2024/0305/1187.html">县里为乡村教师开设暑期培训班</a></li>
    <li><a href="https://qx.example/jiaoyu/2024/0228/1150.html">一所村小的午餐改革试点</a></li>
    <li><a href="https://qx.example/jiaoyu/2024/0219/1102.html">志愿者教孩子们用望远镜看星星</a></li>
  </ul></div>
</div>
<div class="cebian"><h3>热门排行</h3><ol>
  <li><a href="/tiyu/2024/0311/1230.html">县运动会报名开始</a></li>
  <li><a href="/keji/2024/0310/1221.html">新的公交线路今天通车</a></li>
</ol></div>
<div class="footer">清溪日报 版权所有</div>
</body></html>"""

EN_ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>The bakery that opens at four | Riverside Post</title>
<meta property="og:title" content="The bakery that opens at four">
<meta property="og:site_name" content="Riverside Post">
</head><body>
<header><nav><a href="/">Riverside Post</a> <a href="/food/">Food</a> <a href="/city/">City</a></nav></header>
<ol class="trail"><li><a href="/">Home</a> ›</li><li><a href="/food/">Food</a> ›</li><li><a href="/food/shops/">Shops</a></li></ol>
<main>
  <h1>The bakery that opens at four</h1>
  <div class="byline">By Anna Marsh, March 12, 2024</div>
  <section class="story">
    <p>Every morning at four the lights come on in the small bakery on Mill Street, and by six there is a queue of nurses, drivers and students at the door.</p>
    <p>The owners moved here from the coast eleven years ago. They bake only three kinds of bread, and they stop when the flour of the day runs out, which is usually before noon.</p>
    <p>Neighbours say the smell of the ovens has become the street's alarm clock. The bakers say they would not want to work any other hours.</p>
  </section>
  <aside class="more"><h2>Related stories</h2>
    <div class="card"><a href="https://riverside.example/food/2024/03/cheese-market-returns">The cheese market returns to the square</a><p>Twelve stalls are back after the winter break.</p></div>
    <div class="card"><a href="https://riverside.example/food/2024/02/school-kitchen-garden">A school kitchen grows its own herbs</a><p>Pupils plant, water and cook what they grow.</p></div>
  </aside>
</main>
<footer><a href="/about">About us</a> <a href="/contact">Contact</a></footer>
</body></html>"""

LISTING = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>教育_清溪日报</title></head><body>
<div class="weizhi">当前位置：<a href="/">首页</a> &gt; 教育</div>
<div class="liebiao"><ul>
""" + "\n".join(f'<li><a href="https://qx.example/jiaoyu/2024/03{d:02d}/{1100 + d}.html">教育新闻第{d}篇：乡村学校的新变化</a> <span>2024-03-{d:02d}</span></li>'
                for d in range(1, 16)) + """
</ul></div></body></html>"""

PAGES = {"zh": ZH_ARTICLE, "en": EN_ARTICLE}
EXPECTED = {
    "zh": {"trail": "首页 > 教育 > 正文", "related": "县里为乡村教师开设暑期培训班", "headline": "山区小学的第一间图书室",
           "body": "清溪镇中心小学今年春天有了第一间图书室"},
    "en": {"trail": "Home > Food > Shops", "related": "The cheese market returns to the square",
           "headline": "The bakery that opens at four", "body": "Every morning at four"},
}


def explain(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([ARCHIVE, "explain", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def sections(out: str) -> dict[str, str]:
    """The text report split into its sections, by their first word."""
    parts = re.split(r"\n\n", out)
    return {part.split(":", 1)[0].split()[0]: part for part in parts}


def printed_selectors(out: str) -> dict[str, str]:
    table = out.split("[selectors]\n", 1)[1]
    return {name: json.loads(value) for name, value in re.findall(r"^(\w+) = (.+)$", table, re.M)}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_prints_each_choice_with_its_cues_and_selector(tmp_path, lang):
    page = tmp_path / f"{lang}.html"
    page.write_text(PAGES[lang], encoding="utf-8")
    done = explain(str(page))
    assert done.returncode == 0, done.stderr
    found = sections(done.stdout)
    expected = EXPECTED[lang]
    for name in ("trail", "related", "headline", "body"):
        head = found[name].splitlines()[0]
        assert head.startswith(f"{name}: ") and expected[name] in head, found[name]
        assert "  why: " in found[name] and "  selector: " in found[name], found[name]
    assert "why: score" in found["trail"] and "home_first +1" in found["trail"]  # the scored cues of the trail
    assert "相关阅读" in found["related"] if lang == "zh" else "Related stories" in found["related"]
    assert "agreeing with a declared title" in found["headline"]
    assert found["kind"].startswith("kind: article") and "why: " in found["kind"]
    assert "热门排行" not in found["related"] and "县运动会" not in done.stdout.split("related:")[1].split("headline:")[0]
    # what explain shows is what extraction does
    item = extract_article(page.read_bytes(), page.resolve().as_uri())
    assert " > ".join(c["name"] for c in item["breadcrumbs"]) == expected["trail"]
    assert found["related"].splitlines()[0] == "related: " + "; ".join(e["title"] for e in item["related"])
    assert found["headline"].splitlines()[0] == f"headline: {item['title']}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_profile_of_the_printed_selectors_picks_exactly_those_elements(tmp_path, lang):
    page = tmp_path / f"{lang}.html"
    page.write_text(PAGES[lang], encoding="utf-8")
    generic = explain(str(page))
    assert generic.returncode == 0, generic.stderr
    selectors = printed_selectors(generic.stdout)
    assert set(selectors) == {"title", "body", "breadcrumbs", "related"}
    profile = tmp_path / "mysite.toml"
    profile.write_text('name = "mysite"\n[selectors]\n' + generic.stdout.split("[selectors]\n", 1)[1], encoding="utf-8")
    load_profile(profile)  # a valid profile as printed

    done = explain(str(page), "--site", str(profile), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["site"] == "mysite"
    names = {"title": "headline", "body": "body", "breadcrumbs": "trail", "related": "related"}
    before = explain_page(page.read_bytes(), page.resolve().as_uri())
    for name, section in names.items():
        # the profile picked the element the printed selector names (its unique selector is the same) ...
        assert report[section]["selector"] == selectors[name], section
        assert report[section]["cue"] == "the site profile's selector", section
    # ... and extraction through it gives what generic detection gave
    assert report["trail"]["chosen"] == before["trail"]["chosen"]
    assert report["related"]["chosen"] == before["related"]["chosen"]
    assert report["headline"]["chosen"] == before["headline"]["chosen"]
    assert report["body"]["chosen"] == before["body"]["chosen"]


def test_a_listing_page_is_explained_as_one(tmp_path):
    page = tmp_path / "list.html"
    page.write_text(LISTING, encoding="utf-8")
    done = explain(str(page))
    assert done.returncode == 0, done.stderr
    kind = sections(done.stdout)["kind"]
    assert kind.startswith("kind: listing\n  why: ")
    assert "override: article_urls = ['" in kind  # how a profile would decide it instead
    assert sections(done.stdout)["trail"].startswith("trail: 首页 > 教育")


def test_explain_fetches_a_url_once():
    site = LiveSite()
    with serve_live_site(site):
        site.put("/a/jiaoyu/2024/0312/1240.html", ZH_ARTICLE)
        url = f"{site.base}/a/jiaoyu/2024/0312/1240.html"
        done = explain(url, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["url"] == url
    assert report["headline"]["chosen"] == EXPECTED["zh"]["headline"]
    assert report["kind"]["chosen"] == "article"
    assert report["kind"]["override"] == {"article_urls": [r"/a/jiaoyu/\d+/\d+/\d+\.html$"]}
    assert [h.path for h in site.asked()] == ["/a/jiaoyu/2024/0312/1240.html"]


def test_explain_reports_bad_input_clearly(tmp_path):
    missing = explain(str(tmp_path / "nowhere.html"))
    assert missing.returncode == 2 and "nowhere.html" in missing.stderr and not missing.stdout
    (tmp_path / "bad.toml").write_text("[selectors]\ntitle = 'h1[['\n", encoding="utf-8")
    page = tmp_path / "zh.html"
    page.write_text(ZH_ARTICLE, encoding="utf-8")
    bad = explain(str(page), "--site", str(tmp_path / "bad.toml"))
    assert bad.returncode == 2 and "selectors.title" in bad.stderr


# --- the selector helper ----------------------------------------------------------

CSS_PAGE = """<html><body>
<div id="main"><div class="post"><h2 class="t">One</h2><p>a</p></div><div class="post"><h2 class="t">Two</h2></div></div>
<div class="side"><h2 class="t">Side</h2><ul><li>x</li><li>y</li></ul></div>
<div class="box wide"><span>z</span></div><div class="box"><span>w</span></div>
<p class="a:b 9lives">odd</p><section><div><b>deep</b></div><div><b>deeper</b></div></section>
</body></html>"""


@pytest.mark.parametrize("xpath, expected", [
    ('//div[@id="main"]', "#main"),                           # an id
    ('//div[@class="side"]', ".side"),                        # a unique class
    ('//div[@class="side"]/h2', ".side .t"),                  # under a named ancestor
    ('//div[@class="box wide"]', ".wide"),                    # the class that tells it apart
    ('//div[@class="box"]/span', "div:nth-of-type(4) > span"),  # no unique name near it: a position
    ('//p[@class="a:b 9lives"]', "body > p"),                 # names that are no CSS identifiers are skipped
    ('//div[@class="post"][2]', "#main > div:nth-of-type(2)"),  # a position under a named ancestor
    ('//p[text()="a"]', ".post p"),                           # a name before a shorter bare tag
    ('//section/div[2]/b', "div:nth-of-type(2) > b"),
])
def test_css_path_is_the_shortest_selector_matching_only_the_element(xpath, expected):
    root = Selector(text=CSS_PAGE).root
    el = root.xpath(xpath)[0]
    query = css_path(el)
    assert query == expected
    assert [found.root for found in Selector(root=root).css(query)] == [el]  # what a profile's selector picks


def test_the_readme_example_is_what_explain_prints(tmp_path):
    """README examples are the spec: every line the README shows (its '...' cuts aside) is printed."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("    $ archive explain post.html\n", 1)[1].split("\n\n    profile", 1)[0]
    page = tmp_path / "post.html"
    page.write_bytes((Path(__file__).parent / "fixtures" / "explain" / "post.html").read_bytes())
    as_pattern = re.sub(r"\d+", r"\\d+", re.escape(str(tmp_path)).replace(r"\-", "-"))  # in article_urls
    printed = render(api.explain(str(page))).replace(str(tmp_path), "/home/me").replace(as_pattern, "/home/me")
    printed = printed.splitlines()
    for line in example.splitlines():
        line = line[4:]
        if line and line.strip() != "...":
            assert any(p == line or line.endswith("…") and p.startswith(line[:-1]) for p in printed), line


def test_css_path_of_an_element_buried_in_unnamed_boxes_is_its_xpath():
    branch = "<div>" * 300 + "<p>deep</p>" + "</div>" * 300
    sel = Selector(text=f"<html><body>{branch}{branch}</body></html>")  # two branches alike but for their top
    el = sel.xpath("//p")[1].root
    query = css_path(el)
    assert query.startswith("xpath:/html/body/div[2]/div/div/")  # a profile selector as profiles take it
    assert [found.root for found in sel.xpath(query[len("xpath:"):])] == [el]


@pytest.mark.parametrize("page", [
    b"\x00\xff\xfe garbage <<<>>> \x89PNG",
    ("<html><body>" + "<div>" * 2000 + "<p>" + "很深的一段正文。" * 40 + "</p>" + "</div>" * 2000).encode(),
    b'<html><body><h1 class="a:b" id="1x">T</h1><a href="http://[::1">broken</a></body></html>',
])
def test_a_hostile_page_gets_a_report_not_a_traceback(tmp_path, page):
    path = tmp_path / "hostile.html"
    path.write_bytes(page)
    report = api.explain(str(path))
    assert set(report) >= {"trail", "related", "headline", "body", "kind", "profile"}
    assert render(report).endswith("[selectors]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in report["profile"].items()))
