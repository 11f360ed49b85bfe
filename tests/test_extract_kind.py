"""Page kind, one test per rule of crawler/extract/kind.py and its rows in rules.py.

Each rule gets a page on either side of its threshold, so a row changed in
rules.py moves the pages with it; the pages are small and written here.
"""
from __future__ import annotations

import math
import re

import pytest

from crawler.extract import page_kind, page_verdict, rules
from crawler.extract.page import parse
from crawler.extract.text import units
from crawler.profile import SiteProfile

URL = "http://blog.example.cn/2025/03/notes.html"
# One sentence of each script, measured once so the pages scale with the rules.
ZH = "周末把旧书架上的笔记重新整理了一遍，按年份装进纸盒，顺手记下每一本的来历。"
EN = "We moved the old station clock back to the hall and wound it every Sunday morning. "


def prose(at_least: float, sentence: str = ZH) -> str:
    """Text of at least `at_least` units, in whole sentences."""
    return sentence * math.ceil(at_least / units(sentence))


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def verdict(html: str, url: str = URL, profile=None):
    return page_verdict(parse(html), url, profile)


OG_ARTICLE = '<meta property="og:type" content="article">'
JSONLD_POSTING = '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "x"}</script>'


def entries(n: int, snippet: str = "短短一句摘要，说明这篇写了什么，又为什么值得一读。" * 2) -> str:
    """Teasers: a linked title and a snippet each."""
    return "<ul>" + "".join(
        f'<li><a href="/2025/0{1 + i % 9}/p{i}.html">第{i}篇：标题</a><p>{snippet}</p></li>'
        for i in range(n)) + "</ul>"


def replies(n: int) -> str:
    """A thread's reply tree: a linked reply title, its author and time each."""
    return "<ul>" + "".join(
        f'<li><a href="/thread.jsp?id={i}">回复：说得对，我家也有一个这样的纸盒</a>【读者{i}】03-0{1 + i % 9} 12:00</li>'
        for i in range(n)) + "</ul>"


# --- declared and plain articles ------------------------------------------------

@pytest.mark.parametrize("head", [OG_ARTICLE, JSONLD_POSTING])
def test_a_declared_article_is_an_article_however_short(head):
    got = verdict(page(f"<article><h1>短讯</h1><p>{prose(rules.BODY_MIN_UNITS)}</p></article>", head))
    assert got.kind == "article" and "declared" in got.why


def test_article_min_units_separates_an_article_from_a_stub():
    enough = prose(rules.ARTICLE_MIN_UNITS)
    assert page_kind(parse(page(f"<h1>随笔</h1><div><p>{enough}</p></div>")), URL) == "article"
    short = ZH * math.floor((rules.ARTICLE_MIN_UNITS - 1) / units(ZH))
    assert units(short) >= rules.BODY_MIN_UNITS
    got = verdict(page(f"<h1>随笔</h1><div><p>{short}</p></div>"))
    assert got == ("listing", f"too little text ({units(short):.0f} units)")


def test_a_news_brief_shown_as_an_article_is_one_though_short():
    """An <h1> agreeing with the declared title, a dated line under it, then a short paragraph:
    a news brief. Each part missing leaves the page to the length rule."""
    short = ZH * math.floor((rules.ARTICLE_MIN_UNITS - 1) / units(ZH))
    title = "<title>旧书架整理完毕 - 读书频道</title>"
    dated = "<div class='info'>2025-03-08 09:30 来源：本站</div>"
    brief = page(f"<h1>旧书架整理完毕</h1>{dated}<div><p>{short}</p></div>", title)
    got = verdict(brief)
    assert got.kind == "article" and got.why.startswith("a headline, a dated line")
    undated = brief.replace(dated, "<div class='info'>来源：本站</div>")
    section = brief.replace("<h1>旧书架整理完毕</h1>", "<h1>读书频道</h1>")
    linked = brief.replace(f"<p>{short}</p>", f"<p><a href='/more'>{short}</a></p>")
    for stub in (undated, section, linked):
        assert verdict(stub).kind == "listing"


def test_words_of_every_spaced_script_count_as_text():
    """Cyrillic and Hangul words weigh as Latin ones: a Russian or Korean article is long enough."""
    for word in ("слово", "낱말", "λέξη", "word"):
        assert units(f"{word} {word}") == 2 * rules.WORD_UNITS
    russian = "Мы перенесли старые часы в зал и заводили их каждое воскресное утро. " * 8
    assert page_kind(parse(page(f"<h1>Часы</h1><div><p>{russian}</p></div>")), URL) == "article"


def test_a_lone_long_paragraph_is_an_article_though_no_body_was_found():
    """Body detection can miss an article (text in odd containers); one long paragraph still shows it."""
    story = f"<p>{prose(rules.ARTICLE_MIN_LONE_PARAGRAPH_UNITS)}</p>"
    links = "".join(f'<a href="/x{i}">{ZH}</a>' for i in range(40))   # beside it: no block qualifies
    got = verdict(page(f"<div>{links}{story}</div>"))
    assert got.kind == "article" and got.why.startswith("a paragraph of")
    short = f"<p>{ZH * math.floor((rules.ARTICLE_MIN_LONE_PARAGRAPH_UNITS - 1) / units(ZH))}</p>"
    assert verdict(page(f"<div>{links}{short}</div>")).kind == "listing"


def test_no_block_of_text_is_a_listing_unless_declared_an_article():
    """A declared article whose body we cannot find may still be found by trafilatura: never dropped for that."""
    links = page('<a href="/a">一</a> <a href="/b">二</a>' + teasers_zh(rules.LISTING_MIN_TEASERS))
    assert verdict(links) == ("listing", "no block of text")
    assert verdict(links.replace("<head>", "<head>" + OG_ARTICLE)).kind == "article"


def test_a_site_profile_settles_the_kind():
    profile = SiteProfile(name="blog", start_urls=["http://blog.example.cn/"], article_urls=(re.compile(r"/\d{4}/\d\d/"),))
    short = page("<p>目录</p>")
    assert verdict(short, URL, profile) == ("article", "the site profile's article URL patterns")
    assert verdict(short, "http://blog.example.cn/tags/", profile).kind == "listing"


def teasers_zh(n: int) -> str:
    return "".join(f'<h3><a href="/t{i}.html">第{i}篇：旧书的来历</a></h3>' for i in range(n))


# --- linked entries and links ---------------------------------------------------

def test_linked_entries_make_a_listing():
    got = verdict(page(f"<h1>三月</h1><div>{entries(12)}</div>"))
    assert got.kind == "listing" and got.why.startswith("linked entries holding")


def test_link_density_over_article_max_makes_a_listing():
    """Short lines, each a link and a few words (a link directory), with no paragraph of its own."""
    between = (rules.ARTICLE_MAX_LINK_DENSITY + rules.BODY_MAX_LINK_DENSITY) / 2   # a body still, not an article
    linked, plain = "旧书纸盒的来历" * 2, "旧书纸盒的来历" * round(2 * (1 - between) / between)
    lines = "".join(f'<p><a href="/x{i}">{linked}</a>{plain}</p>' for i in range(12))
    got = verdict(page(f"<div>{lines}</div>"))
    assert got.kind == "listing" and got.why.startswith("links holding")


def test_a_long_paragraph_beside_linked_entries_is_an_article():
    """A forum post above its reply tree."""
    own = prose(rules.ARTICLE_MIN_PARAGRAPH_UNITS)
    got = verdict(page(f"<div><h2>主题：旧书的来历</h2><p>{own}</p>{replies(30)}</div>"))
    assert got.kind == "article" and got.why.startswith("a paragraph of")
    short = ZH * math.floor((rules.ARTICLE_MIN_PARAGRAPH_UNITS - 1) / units(ZH))
    assert verdict(page(f"<div><h2>主题：旧书的来历</h2><p>{short}</p>{replies(30)}</div>")).kind == "listing"


# --- several posts of one shape -------------------------------------------------

def posts(n: int, first: float = 200, others: float = 200) -> str:
    return "".join(
        f'<div class="post"><h2><a href="/2025/03/p{i}.html">第{i}篇</a></h2>'
        f'<div class="entry-content"><p>{prose(first if i == 0 else others)}</p></div></div>'
        for i in range(n))


def test_several_full_posts_make_a_listing_whatever_the_page_declares():
    """A blog front page or monthly archive, not an article made of its first post."""
    got = verdict(page(f"<h1>我的博客</h1>{posts(rules.LISTING_MIN_POSTS)}", OG_ARTICLE))
    assert got == ("listing", f"{rules.LISTING_MIN_POSTS} full posts of one shape")


def test_several_article_elements_of_excerpts_make_a_listing():
    """A front page of <article> excerpts, no class needed: the element says what each one is."""
    excerpts = "".join(f'<article><h2><a href="/p{i}.html">第{i}篇</a></h2><p>{prose(rules.ARTICLE_MIN_UNITS)}</p></article>'
                       for i in range(rules.LISTING_MIN_POSTS))
    got = verdict(page(f"<main>{excerpts}</main>"))
    assert got == ("listing", f"{rules.LISTING_MIN_POSTS} full posts of one shape")


def test_fewer_posts_than_listing_min_posts_stay_an_article():
    assert page_kind(parse(page(posts(rules.LISTING_MIN_POSTS - 1))), URL) == "article"


def test_a_post_listing_post_dominance_times_longer_than_the_others_is_the_article():
    """An article among excerpts of the same shape (the author's other posts around it)."""
    others = rules.ARTICLE_MIN_UNITS
    html = page(posts(rules.LISTING_MIN_POSTS + 2, others * rules.LISTING_POST_DOMINANCE * 1.1, others))
    assert page_kind(parse(html), URL) == "article"
    html = page(posts(rules.LISTING_MIN_POSTS + 2, others * rules.LISTING_POST_DOMINANCE * 0.9, others))
    assert page_kind(parse(html), URL) == "listing"


def test_blocks_shorter_than_an_article_are_not_posts():
    """Generic block wrappers of one class (a CMS's sidebar blocks) are not a page of posts."""
    blocks = "".join(f'<div class="entry-content"><p>{prose(rules.BODY_MIN_UNITS)}</p></div>' for i in range(6))
    assert page_kind(parse(page(posts(1, 400) + blocks)), URL) == "article"


# --- teasers ----------------------------------------------------------------------

def teasers(n: int) -> str:
    return "".join(f'<section><h3><a href="/2025/03/t{i}.html">{EN.strip()}</a></h3></section>' for i in range(n))


def short_paragraphs(at_least: float) -> str:
    """Text of at least `at_least` units, one short sentence a paragraph (a teaser's blurb, a photo credit)."""
    return f"<p>{EN}</p>" * math.ceil(at_least / units(EN))


def test_linked_headings_outweighing_the_body_make_a_listing_whatever_the_page_declares():
    """A section front of teasers whose template says og:type=article."""
    body = f"<article>{short_paragraphs(rules.ARTICLE_MIN_UNITS)}</article>"
    n = max(rules.LISTING_MIN_TEASERS,
            math.ceil(rules.LISTING_TEASER_RATIO * units(short_paragraphs(rules.ARTICLE_MIN_UNITS)) / units(EN)))
    got = verdict(page(body + teasers(n), OG_ARTICLE))
    assert got == ("listing", f"{n} linked headings outweigh the body")


def test_a_short_story_in_a_content_container_amid_many_teasers_is_an_article():
    """A four-paragraph wire story on a news site whose every page shows dozens of teasers."""
    story = f'<div class="{rules.BODY_CONTAINERS[1].split(",")[0].lstrip(".")}">{short_paragraphs(rules.ARTICLE_MIN_UNITS)}</div>'
    n = 6 * rules.LISTING_MIN_TEASERS
    got = verdict(page(f"<h1>Clock</h1>{story}{teasers(n)}"))
    assert got.kind == "article" and got.why.startswith("a block of")


def test_a_long_paragraph_anywhere_stops_the_teaser_rule():
    """The body found may be a fragment of the article; the article's own long paragraph still shows."""
    fragment = f"<article>{short_paragraphs(rules.ARTICLE_MIN_UNITS)}</article>"
    story = f"<div><p>{prose(rules.ARTICLE_MIN_PARAGRAPH_UNITS, EN)}</p></div>"
    n = 4 * rules.LISTING_MIN_TEASERS
    assert page_kind(parse(page(fragment + teasers(n), OG_ARTICLE)), URL) == "listing"
    assert page_kind(parse(page(fragment + story + teasers(n), OG_ARTICLE)), URL) == "article"


def test_a_related_grid_under_a_long_article_leaves_it_an_article():
    body = f'<article><h1>Clock</h1><p>{prose(400, EN)}</p></article>'
    assert page_kind(parse(page(body + teasers(rules.LISTING_MIN_TEASERS * 2), OG_ARTICLE)), URL) == "article"


def test_fewer_teasers_than_listing_min_teasers_leave_the_declared_article():
    body = f"<article>{short_paragraphs(rules.BODY_MIN_UNITS)}</article>"
    assert page_kind(parse(page(body + teasers(rules.LISTING_MIN_TEASERS - 1), OG_ARTICLE)), URL) == "article"


def test_teaser_cards_making_up_the_body_are_not_its_own_text():
    """A topic page: a heading, one line of intro, a grid of cards (linked heading + short snippet)."""
    n = rules.LISTING_MIN_TEASERS + 2
    cards = "".join(f'<div class="card"><h3><a href="/t{i}.html">第{i}篇：怎样挑一把顺手的螺丝刀</a></h3>'
                    f"<p>批头材质最要紧。</p></div>" for i in range(n))
    cards = cards.replace("批头材质最要紧。", "批头材质最要紧，握柄要防滑，长短各备一把。")
    intro = "<p>这里汇集了所有和工具有关的文章，从入门用的螺丝刀到焊接用的烙铁，每一篇都写了挑选时的心得。</p>"
    got = verdict(page(f"<h1>工具专题</h1><div>{intro}{cards}</div>", OG_ARTICLE))
    assert got == ("listing", f"{n} linked headings outweigh the body")


def test_linked_item_headings_of_a_list_heavy_article_leave_it_an_article():
    """"Eight tools I use": each item a linked heading straight in the body and a paragraph about it."""
    items = "".join(f'<h3><a href="/tools/{i}.html">工具{i}</a></h3><p>{prose(60)}</p>'
                    for i in range(rules.LISTING_MIN_TEASERS + 2))
    assert verdict(page(f'<h1>我常用的八样工具</h1><div class="text">{items}</div>')).kind == "article"


# --- forms ------------------------------------------------------------------------

def form(fields: int, text: str) -> str:
    inputs = "".join(f'<p>第{i}项 <input type="text" name="f{i}"></p>' for i in range(fields))
    return f'<form action="/login"><div class="content"><p>{text}</p>{inputs}<input type="submit"></div></form>'


def test_a_body_of_input_fields_is_neither_article_nor_listing():
    """A login or error page: recorded as `other`, never archived."""
    fields = rules.FORM_MIN_FIELDS + 1
    got = verdict(page(form(fields, prose(rules.BODY_MIN_UNITS))))
    assert got == ("other", f"a form of {fields} fields")


def test_an_article_with_a_comment_form_is_an_article():
    text = prose(rules.FORM_MAX_UNITS_PER_FIELD * rules.FORM_MIN_FIELDS + rules.ARTICLE_MIN_UNITS)
    assert page_kind(parse(page(form(rules.FORM_MIN_FIELDS, text))), URL) == "article"


def test_fewer_fields_than_form_min_fields_are_not_a_form():
    assert page_kind(parse(page(form(rules.FORM_MIN_FIELDS - 1, prose(rules.ARTICLE_MIN_UNITS)))), URL) == "article"
