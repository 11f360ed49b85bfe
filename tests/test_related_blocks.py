"""The related-article block, one cue at a time, on small pages written here.

Each test builds an article page around one shape a related block takes on
the web (a header bar, tabs, an inline label, cards, an unheaded list named
by its class) or one trap (a button reading "Read more", an empty
placeholder followed by a site-wide list, a hidden variant, a sponsored
widget, tag and profile links), and checks the links found.
"""
from __future__ import annotations

import pytest

from crawler.extract import extract_article, rules

URL = "http://site.example.cn/news/7001.html"
PROSE = (
    "<p>The county opened its third cooling centre on Tuesday, in the library annex, after two "
    "weeks in which the afternoon temperature stayed above thirty-five degrees.</p>"
    "<p>Volunteers hand out water and keep the doors open until ten at night; the bus line that "
    "stops outside runs every twenty minutes and is free for the rest of the month.</p>"
    "<p>县里周二在图书馆旁的附楼开放了第三个纳凉点，志愿者每天发放饮用水，开放到晚上十点。</p>"
)
LIST = ('<ul><li><a href="/news/7002.html">Second cooling centre opens in the old school</a></li>'
        '<li><a href="/news/6890.html">How the heat plan was written last spring</a></li></ul>')
WANT = ["http://site.example.cn/news/7002.html", "http://site.example.cn/news/6890.html"]


def related(inner: str = "", after: str = "", url: str = URL) -> list[dict]:
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Cooling centre</title></head><body>"
            f"<h1>Third cooling centre opens</h1><div class='article-content'>{PROSE}{inner}</div>{after}"
            "</body></html>")
    return extract_article(html, url)["related"]


def urls(entries: list[dict]) -> list[str]:
    return [e["url"] for e in entries]


# --- where the entries are, relative to the heading --------------------------

def test_header_bar_with_a_more_link_then_the_list():
    bar = '<div class="hd"><h3>相关阅读</h3><a href="/news/">更多</a></div>'
    assert urls(related(after=f'<div class="box">{bar}<div class="bd">{LIST}</div></div>')) == WANT


def test_tabbed_heading_takes_the_list_under_the_tabs():
    tabs = '<h4><a href="#">Related articles</a><a href="#">More from this author</a></h4>'
    assert urls(related(after=f"<div>{tabs}<div>{LIST}</div></div>")) == WANT


def test_tab_link_without_a_target_is_a_heading():
    tabs = '<div class="tabs"><a href="javascript:void(0)" class="cur">相关新闻</a><span>评论</span></div>'
    assert urls(related(after=f"<div>{tabs}<div class='cont'>{LIST}</div></div>")) == WANT


def test_subtitle_under_the_heading_is_skipped():
    block = f"<section><h3>Related</h3><h4>Read further on the summer heat</h4><div>{LIST}</div></section>"
    assert urls(related(after=block)) == WANT


def test_prose_after_the_links_ends_the_block():
    inner = ('<h4>See also</h4><p><a href="/news/7002.html">Second cooling centre opens in the old school</a></p>'
             '<p>The library annex itself was built in 1974 and renovated twice, most recently with money '
             'from a state grant, see <a href="/news/5000.html">the grant story from that year</a> for the '
             'details of who paid what and when the work was done.</p>')
    assert urls(related(inner=inner)) == ["http://site.example.cn/news/7002.html"]


def test_next_related_heading_ends_a_block():
    after = (f"<div><h3>Related stories</h3>{LIST}<div><h3>延伸阅读</h3><ul>"
             '<li><a href="/news/6001.html">去年夏天的纳凉点开放了多久</a></li></ul></div></div>')
    got = related(after=after)
    assert urls(got) == [*WANT, "http://site.example.cn/news/6001.html"]


# --- inline labels ---------------------------------------------------------------

def test_inline_label_paragraph_is_a_block_and_leaves_the_body():
    inner = '<p><strong>Related:</strong> <a href="/news/6950.html">Heat warnings issued for the county</a></p>'
    html = ("<!DOCTYPE html><html><body><h1>Third cooling centre opens</h1>"
            f"<div class='article-content'>{PROSE}{inner}</div></body></html>")
    item = extract_article(html, URL)
    assert urls(item["related"]) == ["http://site.example.cn/news/6950.html"]
    assert "Heat warnings issued" not in item["body_text"]


def test_label_inside_a_sentence_is_not_a_block():
    inner = '<p>The plan is online; read more <a href="/news/6950.html">in the full plan document</a> today.</p>'
    assert related(inner=inner) == []


def test_label_inside_the_card_link_is_dropped_from_the_title():
    card = ('<a class="card" href="/news/6950.html"><span class="label">Also on site.example.cn</span>'
            '<span>Heat warnings issued for the county</span></a>')
    got = related(inner=card)
    assert got == [{"title": "Heat warnings issued for the county",
                    "url": "http://site.example.cn/news/6950.html", "snippet": None}]


# --- headings ------------------------------------------------------------------------

def test_a_read_more_button_is_not_a_heading():
    after = f'<div class="teaser"><a class="btn" href="/news/">Read more</a>{LIST}</div>'
    assert related(after=after) == []


def test_heading_split_by_a_dash_counts_by_either_side():
    assert urls(related(after=f"<div><h3>Related — 相关</h3>{LIST}</div>")) == WANT


def test_prefix_row_followed_by_a_topic_link():
    heading = '<h2>More on <a href="/tag/heat/">heat</a></h2>'
    assert urls(related(after=f"<aside>{heading}{LIST}</aside>")) == WANT


def test_heading_given_as_an_image():
    heading = '<div class="title"><img src="/img/t.gif" alt="相关文章"></div>'
    assert urls(related(after=f"<div>{heading}{LIST}</div>")) == WANT


def test_empty_placeholder_does_not_borrow_the_next_box():
    after = ('<div class="main"><div class="box"><h3>Related content</h3><div class="js-fill"></div></div>'
             '<p>Some words about the site and its newsletter that fill the column.</p>'
             f'<div class="box"><h3>Most read</h3>{LIST}</div></div>')
    assert related(after=after) == []


# --- entries ---------------------------------------------------------------------------

def test_card_title_from_its_heading_when_the_link_is_an_overlay():
    card = ('<div class="card"><a class="overlay" href="/news/6950.html"></a>'
            '<h3>Heat warnings issued for the county</h3><p>Teaser text.</p></div>')
    got = related(after=f"<div><h3>You might also like</h3>{card}</div>")
    assert [e["title"] for e in got] == ["Heat warnings issued for the county"]


def test_card_title_from_an_image_alt():
    card = '<a href="/news/6950.html"><img src="/i.jpg" alt=""><img src="/j.jpg" alt="Heat warnings issued for the county"></a>'
    got = related(after=f"<div><h3>Related posts</h3><div>{card}</div></div>")
    assert [e["title"] for e in got] == ["Heat warnings issued for the county"]


def test_snippet_is_the_card_text_besides_the_title():
    card = '<li><a href="/news/6950.html">Heat warnings issued for the county</a><p>Two more weeks above…</p></li>'
    got = related(after=f"<div><h3>相关文章</h3><ul>{card}</ul></div>")
    assert got[0]["snippet"] == "Two more weeks above…"


def test_short_link_texts_are_not_titles():
    block = ('<div><h3>Related</h3><ul><li><a href="/news/6950.html">Heat</a></li>'
             '<li><a href="/news/6951.html">Video</a></li></ul></div>')
    assert related(after=block) == []


@pytest.mark.parametrize("path", ["/tag/heat/", "/topics/heat", "/category/news/", "/author/jane/",
                                  "/search?q=heat", "/profile/jane-doe", "/user/jane"])
def test_tag_author_and_search_pages_are_not_entries(path):
    assert rules.RELATED_NOT_PATHS  # each pattern is hit by one of the paths here
    block = f'<div><h3>Related</h3><ul><li><a href="{path}">Everything about the summer heat</a></li></ul></div>'
    assert related(after=block) == []


def test_every_not_path_row_is_exercised():
    import re
    paths = ["/tag/heat/", "/search?q=heat", "/profile/jane-doe"]
    for row in rules.RELATED_NOT_PATHS:
        assert any(re.search(row, p) for p in paths), row


def test_section_page_of_the_same_site_is_not_an_entry():
    block = '<div><h3>Related</h3><ul><li><a href="/weather">Weather news from the county</a></li></ul></div>'
    assert related(after=block, url="http://site.example.cn/2024/05/third-cooling-centre-opens") == []


@pytest.mark.parametrize("href", [
    "/2024/05/second-centre",                        # a date in the address
    "/heat-plan-written-last-spring",                # a slug of several words
    "https://other.example.org/a/b",                 # another site
])
def test_article_shaped_addresses_are_entries(href):
    block = f'<div><h3>Related</h3><ul><li><a href="{href}">How the heat plan was written</a></li></ul></div>'
    assert len(related(after=block, url="http://site.example.cn/2024/05/third-cooling-centre-opens")) == 1


def test_address_shaped_like_this_pages_own_is_an_entry():
    block = '<div><h3>相关文章</h3><ul><li><a href="/hw/raid.html">软阵列重建时的注意事项</a></li></ul></div>'
    assert urls(related(after=block, url="http://old.example.cn/hw/ssd.html")) == ["http://old.example.cn/hw/raid.html"]


def test_this_articles_comment_page_is_not_an_entry():
    block = ('<div><h3>相关链接</h3><ul><li><a href="/cn/review.asp?NewsID=7001">点这里发表评论和意见</a></li>'
             '<li><a href="/cn/ReadNews.asp?NewsID=6990">去年夏天的纳凉点开放了多久</a></li></ul></div>')
    got = related(after=block, url="http://site.example.cn/cn/ReadNews.asp?NewsID=7001")
    assert urls(got) == ["http://site.example.cn/cn/ReadNews.asp?NewsID=6990"]


# --- hidden and sponsored ---------------------------------------------------------------

@pytest.mark.parametrize("token", rules.HIDDEN_CLASSES)
def test_hidden_variant_is_left_out(token):
    block = f"<div class=\"box {token}\"><h3>Related</h3>{LIST}</div>"
    assert related(after=block) == []


def test_hidden_by_style_is_left_out():
    assert related(after=f'<div style="display: none"><h3>Related</h3>{LIST}</div>') == []


@pytest.mark.parametrize("host", rules.RELATED_SPONSOR_HOSTS)
def test_sponsored_network_links_are_left_out(host):
    block = (f'<div><h3>You may also like</h3><ul><li><a href="https://www.{host}/r/123">'
             'Ten tricks doctors do not want you to know</a></li></ul></div>')
    assert related(after=block) == []


@pytest.mark.parametrize("label", rules.RELATED_SPONSOR_LABELS)
def test_sponsored_cards_are_left_out(label):
    block = ('<div><h3>Related</h3><ul><li><span>' + label + '</span><a href="/news/6950.html">'
             'Ten tricks doctors do not want you to know</a></li>'
             '<li><a href="/news/7002.html">Second cooling centre opens in the old school</a></li></ul></div>')
    assert urls(related(after=block)) == ["http://site.example.cn/news/7002.html"]


# --- unheaded blocks named by their class ------------------------------------------------

@pytest.mark.parametrize("word", rules.RELATED_CLASS_WORDS)
def test_unheaded_block_named_by_its_class(word):
    assert urls(related(after=f'<div class="post-{word}-box">{LIST}</div>')) == WANT


def test_block_named_related_but_headed_otherwise_is_not_related():
    assert related(after=f'<div class="related-posts"><h3>热门文章</h3>{LIST}</div>') == []


def test_widget_of_a_sponsored_network_is_not_related():
    assert related(after=f'<div id="taboola-below-article" class="related-links">{LIST}</div>') == []


def test_inline_label_takes_the_link_paragraphs_under_it():
    inner = ('<p>延伸阅读：<a href="/news/6950.html">县里发布今年夏天的高温预警</a></p>'
             '<p><a href="/news/6951.html">纳凉点的开放时间延长到晚上十点</a></p>'
             '<p>本报记者在现场看到，不少老人一早就来到图书馆附楼，带着水杯和扇子，在空调房里一坐就是半天。'
             '工作人员说，今年来的人比去年多了一倍。</p>')
    assert urls(related(inner=inner)) == ["http://site.example.cn/news/6950.html", "http://site.example.cn/news/6951.html"]


def test_index_page_beside_an_id_address_is_not_an_entry():
    block = ('<div class="recommend"><div class="hd"><h3>推荐文章</h3><a href="/read/home">更多精彩内容在这里</a></div>'
             '<div class="card"><a href="/read/cv1502">去年夏天的纳凉点开放了多久</a></div></div>')
    got = related(after=block, url="http://site.example.cn/read/cv1524")
    assert urls(got) == ["http://site.example.cn/read/cv1502"]


@pytest.mark.parametrize("stamp", rules.RELATED_FEED_TIMES)
def test_entries_stamped_relative_to_now_are_a_feed(stamp):
    block = ('<div><h3>推荐阅读</h3><ul>'
             f'<li><span>3 {stamp}</span><a href="/news/7002.html">Second cooling centre opens in the old school</a></li>'
             f'<li><span>5 {stamp}</span><a href="/news/6890.html">How the heat plan was written last spring</a></li>'
             '</ul></div>')
    assert related(after=block) == []


@pytest.mark.parametrize("word", rules.RELATED_NAV_WORDS)
def test_previous_next_links_end_a_block(word):
    nav = f'<div class="post-{word}"><a href="/news/7003.html">The next story on this site, about buses</a></div>'
    assert urls(related(after=f"<div><h3>Related</h3>{LIST}{nav}</div>")) == WANT


def test_a_heading_in_the_site_menu_is_not_a_block():
    menu = f'<nav><span>See also</span>{LIST}</nav>'
    assert related(after=menu) == []
