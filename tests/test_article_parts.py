"""Articles split over pages: which links are parts, and crawls that archive each such article once, parts in order."""
from __future__ import annotations

import html
import json
import re

import pytest
from parsel import Selector

from conftest import run_archive
from crawler.demosite.generate import build_site
from crawler.demosite.server import serve_directory
from crawler.extract import extract_article
from crawler.extract.rules import PAGE_NUMBER_LABELS, PART_PATH_SHAPES, PART_QUERY_PARAMS
from crawler.parts import Parts, find_parts, join_parts, part_of, same_headline
from livesite import LiveSite, serve_live_site

BASE = "http://x.example"

SHAPES = {"underscore": ("/news/123456_3.html", "/news/123456.html"),
          "segment": ("/2025/03/slow-bread/3/", "/2025/03/slow-bread/")}


def test_every_path_shape_is_named_here():
    assert set(SHAPES) == set(PART_PATH_SHAPES)


@pytest.mark.parametrize("shape", sorted(PART_PATH_SHAPES))
def test_a_path_shape_numbers_the_part_and_leads_back_to_part_1(shape):
    later, first = SHAPES[shape]
    assert part_of(BASE + later) == (part_of(BASE + first)[0], 3)
    assert part_of(BASE + first)[1] == 1


@pytest.mark.parametrize("param", PART_QUERY_PARAMS)
def test_a_query_parameter_numbers_the_part(param):
    assert part_of(f"{BASE}/story.php?id=7&{param}=3") == (part_of(f"{BASE}/story.php?id=7")[0], 3)


@pytest.mark.parametrize("url", ["/?p=3", "/news/2025_123456.html", "/post/123/", "/list?page=123"])
def test_an_id_or_a_long_number_is_no_part_number(url):
    assert part_of(BASE + url)[1] == 1


def pager(links: list[tuple[str, str]]) -> str:
    return '<div class="pages">' + " ".join(f'<a href="{h}">{t}</a>' for h, t in links) + "</div>"


def test_part_1_finds_part_2_by_its_number_and_address():
    sel = Selector(text=f"<h1>T</h1><p>text</p>{pager([('/a/9_2.html', '2'), ('/a/9_3.html', '3'), ('/a/9_2.html', '下一页')])}")
    assert find_parts(sel, BASE + "/a/9.html") == Parts(1, BASE + "/a/9.html", BASE + "/a/9_2.html")


def test_a_later_part_names_part_1_and_the_next():
    sel = Selector(text=pager([("/a/9.html", "上一页"), ("/a/9.html", "1"), ("/a/9_3.html", "3"),
                               ("/a/9_3.html", "下一页 »")]))
    assert find_parts(sel, BASE + "/a/9_2.html") == Parts(2, BASE + "/a/9.html", BASE + "/a/9_3.html")
    last = Selector(text=pager([("/a/9_2.html", "Previous"), ("/a/9.html", "1"), ("/a/9_2.html", "2")]))
    assert find_parts(last, BASE + "/a/9_3.html") == Parts(3, BASE + "/a/9.html", None)


@pytest.mark.parametrize("page, url", [
    # the next article's rel=next and "Next": another address
    ('<link rel="next" href="/a/10.html"><p>x</p><a href="/a/10.html">Next</a>', "/a/9.html"),
    # neighbours whose addresses end in numbers, and no way back to a part 1
    ('<a href="/post/5/">Previous</a> <a href="/post/7/">Next</a>', "/post/6/"),
    # a text that says another number than the address
    ('<a href="/a/9_2.html">3</a>', "/a/9.html"),
    # a footnote, and the last page of a listing ("尾页") of the same shape
    ('<a href="#fn1">[1]</a> <a href="/a/9_9.html">尾页</a>', "/a/9.html"),
])
def test_links_that_are_no_parts(page, url):
    assert find_parts(Selector(text=page), BASE + url) is None


@pytest.mark.parametrize("first, part, same", [
    ("慢炖的学问", "慢炖的学问（第2页）", True),
    ("Slow bread, step by step", "Slow bread, step by step - Page 2", True),
    ("Slow bread, step by step", "slow bread step by step", True),
    ("慢炖的学问", "快手面条", False),
    ("慢炖的学问", None, False),
    (None, None, False),
])
def test_same_headline(first, part, same):
    assert same_headline(first, part) is same


def test_join_parts_keeps_part_1_and_every_body_in_order():
    parts = [{"title": "T", "body_text": f"b{n}", "body_html": f"<p>b{n}</p>", "body_markdown": f"b{n}",
              "url": f"u{n}"} for n in (1, 2, 3)]
    joined = join_parts(parts)
    assert joined["url"] == "u1" and joined["title"] == "T"
    assert joined["body_text"] == "b1\nb2\nb3" and joined["body_markdown"] == "b1\n\nb2\n\nb3" and joined["body_html"] == "<p>b1</p>\n<p>b2</p>\n<p>b3</p>"


# -- the demo site, crawled once for the tests below --------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    db = tmp_path_factory.mktemp("db") / "demo.db"
    with serve_directory(root) as base:
        manifest = build_site(root, pages=20, base_url=base)
        result = run_archive("crawl", base + "/", "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:]
    return root, base, manifest, db, json.loads(result.stdout)


def first_paragraph(root, path: str) -> str:
    page = (root / path.lstrip("/")).read_text("utf-8")
    return html.unescape(re.search(r'<div class="content">.*?<p>(.*?)</p>', page, re.S)[1])


def test_the_demo_site_has_split_articles_in_both_languages(demo):
    _, _, manifest, _, _ = demo
    split = [a for a in manifest["articles"] if len(a["parts"]) > 1]
    assert {a["language"] for a in split} == {"zh", "en"}


def test_a_split_article_is_archived_once_with_its_parts_in_order(demo, read_db):
    root, base, manifest, path, run = demo
    db = read_db(path)
    rows = {row["url"][len(base):]: row for row in db["articles"].rows}
    assert set(rows) == {a["path"] for a in manifest["articles"]}   # no part archived on its own
    assert run["new"] == len(manifest["articles"]) and run["failed"] == 0
    for article in (a for a in manifest["articles"] if len(a["parts"]) > 1):
        row = rows[article["path"]]
        assert row["title"] == article["title"]
        text = row["body_text"]
        starts = [text.index(first_paragraph(root, part)) for part in article["parts"]]
        assert starts == sorted(starts)
        assert "下一页" not in text and "Next" not in text.split()
        for field in ("body_html", "body_markdown"):
            assert row[field].index(first_paragraph(root, article["parts"][-1])[:20]) > 0
        parts = list(db["article_parts"].rows_where("article_id = ?", [row["id"]], order_by="part"))
        assert [(p["url"], p["status"]) for p in parts] == [(base + u, "ok") for u in article["parts"]]
    assert db["article_parts"].count == sum(len(a["parts"]) for a in manifest["articles"] if len(a["parts"]) > 1)


def test_a_second_run_asks_for_no_part_of_an_article_not_due(demo, read_db):
    root, base, manifest, path, _ = demo
    with serve_directory(root, port=int(base.rsplit(":", 1)[1])):
        result = run_archive("crawl", base + "/", "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout)
    asked = {row["url"][len(base):] for row in read_db(path).query("select url from captures where run_id = ?", [run["id"]])}
    later = {p for a in manifest["articles"] for p in a["parts"][1:]}
    assert later and not asked & later and run["skipped"] >= len(manifest["articles"]) + len(later)


def test_reparse_joins_the_stored_parts_again(demo, tmp_path, read_db):
    _, _, manifest, path, _ = demo
    copy = tmp_path / "copy.db"
    copy.write_bytes(path.read_bytes())
    result = run_archive("reparse", "--db", str(copy))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["unchanged"] == report["articles"] == len(manifest["articles"]) and report["changed"] == 0
    assert read_db(copy)["article_parts"].count == read_db(path)["article_parts"].count


# -- the shapes and the stops, on a site of their own ------------------------

def page(title: str, paragraphs: list[str], pages: str = "", head: str = "", lang: str = "zh-CN") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta property="og:type" content="article">{head}</head><body>'
            f'<div class="nav"><a href="/">灯下小记</a></div><article><h1>{html.escape(title)}</h1>'
            f'<div class="entry">{body}</div>{pages}</article><div class="foot">© 2025 灯下小记</div></body></html>')


STORY = ["第一页：去年冬天，我们在院子里搭了一个小小的土灶，每天傍晚都用它慢慢地炖一锅汤。",
         "第一页：火要小，锅要厚，汤里的萝卜和牛腩在灶上咕嘟咕嘟地响上三个钟头，屋里全是香气。",
         "第二页：后来邻居也学着搭了一个，可他总嫌太慢，把火烧得很旺，结果汤熬干了两回。",
         "第二页：慢炖的道理其实很简单，就是让时间替你做一部分的工作，人只要守着火候就好。"]
BREAD = ["Part one: the dough rests overnight in a cool kitchen, and nothing about it looks promising.",
         "Part one: by morning it has doubled, smells faintly sour and pulls away from the bowl in long strands.",
         "Part two: shaping takes a light hand; press too hard and the bubbles of the night are gone.",
         "Part two: bake it hot and covered first, then uncovered until the crust sings as it cools."]


def listing(n: int, pages: int, links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{h}">{html.escape(t)}</a><p>{html.escape(t)}的摘要。</p></li>' for h, t in links)
    numbers = [(f"/list?page={k}", str(k)) for k in range(1, pages + 1) if k != n] + [(f"/list?page={n + 1}", "下一页")]
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>随笔</title></head><body>'
            f'<h1>随笔</h1><ul class="post-list">{items}</ul>{pager(numbers)}</body></html>')


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """A crawl of a site with a split article per address shape, a missing part, a part of another
    headline, neighbours that are no parts, and a listing of four pages read to its limit of two."""
    site = LiveSite()
    with serve_live_site(site):
        story = [("/story.php?id=7", "1"), ("/story.php?id=7&page=2", "2"), ("/story.php?id=7&page=3", "3")]
        site.put("/story.php?id=7", page("慢炖的学问", STORY[:2], pager(story[1:] + [(story[1][0], "下一页")])))
        site.put("/story.php?id=7&page=2", page("慢炖的学问（第2页）", STORY[2:], pager(
            [(story[0][0], "上一页"), story[0], story[2], (story[2][0], "下一页")])))
        # ?page=3 is missing: a 404
        bread = [("/guide/slow-bread/", "1"), ("/guide/slow-bread/2/", "2")]
        site.put("/guide/slow-bread/", page("Slow bread, step by step", BREAD[:2], pager([bread[1], (bread[1][0], "Next")]),
                                            '<link rel="next" href="/guide/slow-bread/2/">', lang="en"))
        site.put("/guide/slow-bread/2/", page("Slow bread, step by step", BREAD[2:], pager([(bread[0][0], "Previous"), bread[0]]),
                                              lang="en"))
        site.put("/essay/tea.html", page("茶馆里的下午", STORY[:2], pager([("/essay/tea_2.html", "2")])))
        site.put("/essay/tea_2.html", page("另一篇文章", STORY[2:], pager([("/essay/tea.html", "1")])))
        site.put("/essay/soup.html", page("汤的做法", STORY[:2], pager([("/essay/soup_2.html", "2")])))
        site.redirects["/essay/soup_2.html"] = "/essay/soup.html"   # a part that leads back to part 1
        for n, neighbours in ((5, [("/post/6/", "Next")]), (6, [("/post/5/", "Previous")])):
            site.put(f"/post/{n}/", page(f"第{n}篇：巷口的面馆", [f"第{n}篇。{p}" for p in STORY[n - 5::2]], pager(neighbours)))
        firsts = [("/story.php?id=7", "慢炖的学问"), ("/guide/slow-bread/", "Slow bread"), ("/essay/tea.html", "茶馆"),
                  ("/essay/soup.html", "汤")]
        site.put("/list?page=1", listing(1, 4, firsts))
        site.put("/list?page=2", listing(2, 4, [("/post/5/", "第5篇"), ("/post/6/", "第6篇")]))
        for n in (3, 4):
            site.put(f"/list?page={n}", listing(n, 4, [(f"/a/{n}.html", f"第{n}篇")]))
            site.put(f"/a/{n}.html", page(f"第{n}篇", STORY))
        profile = tmp_path_factory.mktemp("profile") / "shapes.toml"
        profile.write_text(f'name = "shapes"\nstart_urls = ["{site.base}/list?page=1"]\nlisting_pages = 2\n',
                           encoding="utf-8")
        db = tmp_path_factory.mktemp("db") / "shapes.db"
        result = run_archive("crawl", "--site", str(profile), "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:]
    return site, db


def parts_of(db, url: str) -> list[tuple]:
    return [(p["url"], p["status"], p["http_status"]) for p in db.query(
        "select p.* from article_parts p join articles a on a.id = p.article_id where a.url = ? order by part", [url])]


def test_a_listing_is_read_to_its_limit_and_its_pages_are_no_parts(shapes, read_db):
    site, path = shapes
    db = read_db(path)
    assert sorted({h.path for h in site.hits if h.path.startswith("/list")}) == ["/list?page=1", "/list?page=2"]
    assert not site.asked("/a/")
    assert {row["url"] for row in db["listings"].rows} == {site.base + "/list?page=1", site.base + "/list?page=2"}


def test_each_shape_is_joined_and_a_missing_part_is_recorded(shapes, read_db):
    site, path = shapes
    db = read_db(path)
    base = site.base
    urls = {row["url"] for row in db["articles"].rows}
    assert urls == {base + u for u in ("/story.php?id=7", "/guide/slow-bread/", "/essay/tea.html", "/essay/soup.html",
                                       "/post/5/", "/post/6/")}
    story = next(db.query("select * from articles where url = ?", [base + "/story.php?id=7"]))
    assert story["title"] == "慢炖的学问" and story["body_text"] == "\n".join(STORY)
    assert parts_of(db, base + "/story.php?id=7") == [(base + "/story.php?id=7", "ok", 200),
                                                      (base + "/story.php?id=7&page=2", "ok", 200),
                                                      (base + "/story.php?id=7&page=3", "failed", 404)]
    failure = next(db.query("select * from failures where url = ?", [base + "/story.php?id=7&page=3"]))
    assert failure["http_status"] == 404
    bread = next(db.query("select * from articles where url = ?", [base + "/guide/slow-bread/"]))
    assert bread["body_text"] == "\n".join(BREAD) and [s for _, s, _ in parts_of(db, bread["url"])] == ["ok", "ok"]


def test_a_page_of_another_headline_a_way_back_and_neighbours_are_no_parts(shapes, read_db):
    site, path = shapes
    db = read_db(path)
    for essay in ("/essay/tea.html", "/essay/soup.html"):
        row = next(db.query("select * from articles where url = ?", [site.base + essay]))
        assert row["body_text"] == "\n".join(STORY[:2])
        assert [s for _, s, _ in parts_of(db, row["url"])] == ["ok", "not_part"]
    for n in (5, 6):
        assert parts_of(db, f"{site.base}/post/{n}/") == []


@pytest.mark.parametrize("label", PAGE_NUMBER_LABELS)
def test_page_numbers_under_a_body_are_no_article_text(label):
    lines = ["这一段是正文，讲的是一锅汤怎样慢慢地熬出味道来。" * 3, "This paragraph is the text, about a slow pot of soup. " * 2 + "It simmers."]
    page = (f'<html><body><article><h1>汤</h1><div>{"".join(f"<p>{t}</p>" for t in lines)}'
            f'<div>{label} <a href="/a/9.html">1</a> 2 <a href="/a/9_3.html">3</a> <a href="/a/9_3.html">Next »</a></div>'
            f'</div></article></body></html>')
    text = extract_article(page, BASE + "/a/9_2.html")["body_text"]
    assert text == "\n".join(lines)


def test_an_address_is_compared_by_its_query_however_it_is_escaped():
    assert part_of(f"{BASE}/s.php?q=a%20b&page=2")[0] == part_of(f"{BASE}/s.php?q=a+b")[0]
