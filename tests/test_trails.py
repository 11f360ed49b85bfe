"""Breadcrumb trails found by what a trail is: one small page per cue.

Each page here is written for its test: a trail (or a look-alike that is not
one) placed before the headline the way real sites place them, so each cue
of crawler.extract.breadcrumbs is shown to count, and to count alone only
where it should.
"""
from __future__ import annotations

import pytest

from crawler.extract.breadcrumbs import find_breadcrumbs
from crawler.extract.page import Page, parse

URL = "http://news.example.cn/finance/2025/0301/42.html"
ROOT = "http://news.example.cn/"
STORY = (
    "<p>今年一季度，城市里的小型咖啡馆数量又增加了一成，新开的店大多只有六七张桌子。</p>"
    "<p>Owners say a small room keeps the rent low and the regulars close, and that is what lets them stay open.</p>"
)


def trail(top: str, head: str = "", headline: str = "<h1>小咖啡馆的账本</h1>") -> list[tuple[str, str | None]]:
    """The trail found on a page with `top` above its headline, as (name, url) pairs."""
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{top}{headline}{STORY}</body></html>"
    crumbs, _ = find_breadcrumbs(Page(parse(html), URL))
    return [(c["name"], c["url"]) for c in crumbs]


# --- found without any class name ------------------------------------------------

def test_links_joined_by_arrows_before_the_headline_are_a_trail():
    got = trail('<div class="c1"><a href="/">网易首页</a> &gt; <a href="/finance/">财经频道</a> &gt; 正文</div>')
    assert got == [("网易首页", ROOT), ("财经频道", ROOT + "finance/"), ("正文", None)]


def test_nested_link_paths_make_a_slash_run_a_trail():
    got = trail('<p class="top"><a href="/">Home</a> / <a href="/finance/">Finance</a> / '
                '<a href="/finance/2025/">2025</a></p>')
    assert [name for name, _ in got] == ["Home", "Finance", "2025"]


def test_a_slash_menu_of_sibling_sections_is_no_trail():
    assert trail('<p class="top"><a href="/about/">About</a> / <a href="/jobs/">Jobs</a> / '
                 '<a href="/contact/">Contact</a></p>') == []


def test_a_bar_separated_menu_from_home_is_no_trail():
    assert trail('<div class="nav"><a href="/">首页</a> | <a href="/finance/">财经</a> | '
                 '<a href="/sports/">体育</a> | <a href="/tech/">科技</a></div>') == []


def test_a_lone_section_link_above_the_headline_is_a_kicker():
    assert trail('<div class="kicker"><a href="/finance/">Finance</a></div>') == []


def test_a_table_row_trail():
    got = trail('<table><tr><td width="20"></td><td><a href="/">首页</a>&gt;&gt;<a href="/finance/">财经</a>'
                '&gt;&gt;<a href="/finance/bank/">银行</a></td><td>打印</td></tr></table>')
    assert [name for name, _ in got] == ["首页", "财经", "银行"]


def test_an_unlinked_trail_from_a_home_word():
    assert trail('<h3>首页 &gt; 新闻动态 &gt; 正文</h3>') == [("首页", None), ("新闻动态", None), ("正文", None)]


# --- marker words and labels -------------------------------------------------------

@pytest.mark.parametrize("cls", ["post_crumb", "BreadcrumbNav", "article-breadCrumb-wrapper", "m-bread"])
def test_marker_words_in_any_spelling(cls):
    got = trail(f'<div class="{cls}"><a href="/">Home</a><a href="/finance/">Finance</a></div>')
    assert got == [("Home", ROOT), ("Finance", ROOT + "finance/")]


def test_a_marked_one_crumb_trail_is_kept():
    assert trail('<div class="ArticlePage-breadcrumbs"><a href="/finance/">Finance</a></div>') == [
        ("Finance", ROOT + "finance/")]


def test_aria_label_marks_a_trail():
    got = trail('<nav aria-label="Breadcrumb"><ol><li><a href="/">Start</a></li>'
                '<li><a href="/finance/">Wirtschaft</a></li></ol></nav>')
    assert [name for name, _ in got] == ["Start", "Wirtschaft"]


def test_a_label_finds_links_joined_by_nothing_but_spaces():
    got = trail('<div id="x1"><span>您所在的位置&nbsp;</span><a href="/">首页</a>&nbsp;'
                '<a href="/finance/">财经</a>&nbsp;<a href="/finance/bank/">银行</a></div>')
    assert [name for name, _ in got] == ["首页", "财经", "银行"]


def test_a_label_finds_a_lone_crumb():
    assert trail('<div class="x2">当前位置：<a href="/finance/">财经</a></div>') == [("财经", ROOT + "finance/")]


@pytest.mark.parametrize("label", ["Sie sind hier:", "Vous êtes ici :", "Estás en:", "Ubicación:"])
def test_a_short_text_ending_in_a_colon_is_a_label_in_any_language(label):
    got = trail(f'<div class="breadcrumb">{label} <a href="/">Start</a> › <a href="/finance/">Finanzen</a></div>')
    assert [name for name, _ in got] == ["Start", "Finanzen"]


def test_hidden_text_in_the_trail_is_no_crumb():
    got = trail('<nav class="breadcrumbs"><h2 class="visually-hidden">Trail</h2><ol><li><a href="/">Home</a></li>'
                '<li><a href="/finance/">Finance</a></li><li>Small cafés</li></ol></nav>')
    assert [name for name, _ in got] == ["Home", "Finance", "Small cafés"]


# --- separators of any kind, and where the trail ends ----------------------------

def test_images_between_links_are_separators():
    got = trail('<div class="trail-bc"><span><a href="/">Home</a><img src="/i/arrow.gif" alt=""></span>'
                '<span><a href="/finance/">Finance</a><img src="/i/arrow.gif" alt=""></span>'
                '<span><a href="/finance/bank/">Banks</a></span></div>')
    assert [name for name, _ in got] == ["Home", "Finance", "Banks"]


def test_an_empty_link_drawn_by_css_is_a_separator():
    got = trail('<div class="news-position"><a href="/">新华网</a> <a href=""></a> 正文</div>')
    assert got == [("新华网", ROOT), ("正文", None)]


def test_a_separator_drawn_inside_a_link():
    got = trail('<td>您的位置：<a href="/">主页</a>&gt;<a href="/finance/">财经&gt;</a>'
                '<a href="/finance/bank/">银行</a></td>')
    assert [name for name, _ in got] == ["主页", "财经", "银行"]


def test_what_follows_without_a_separator_is_not_a_crumb():
    got = trail('<div class="crumbs"><a href="/">首页</a> → <a href="/finance/">财经</a> → 小咖啡馆的账本'
                '<a name="top"></a>　【<a href="/blog/">开博客</a>】【<a href="/search/">搜索</a>】</div>')
    assert [name for name, _ in got] == ["首页", "财经", "小咖啡馆的账本"]


def test_an_icon_separated_trail_ends_before_a_badge():
    got = trail('<div class="breadcrumbs"><h2><a href="/opinion/">Opinion</a></h2><span class="icon-arrow"></span>'
                '<h2><a href="/opinion/letters/">Letters</a></h2><a class="badge" href="#">Letters<span>'
                'Opinion of the writers.</span></a></div>')
    assert [name for name, _ in got] == ["Opinion", "Letters"]


def test_a_list_trail_ends_with_its_list():
    got = trail('<div id="navBreadcrumbs"><ol><li><a href="/">Start</a></li><li><a href="/finance/">Finanzen</a>'
                '</li><li><strong>Kleine Cafés</strong></li></ol><div class="totop"><a href="#top">nach oben</a></div></div>')
    assert [name for name, _ in got] == ["Start", "Finanzen", "Kleine Cafés"]


def test_a_home_icon_is_named_by_its_label():
    got = trail('<nav class="m-breadcrumb"><ol><li><a href="/" aria-label="回到首页"><svg viewBox="0 0 9 9"></svg></a></li>'
                '<li><span>/</span> <a href="/finance/">财经</a></li></ol></nav>')
    assert got == [("回到首页", ROOT), ("财经", ROOT + "finance/")]


def test_the_headline_inside_the_trail_is_the_current_crumb():
    got = trail('<nav class="breadcrumb"><ul><li><a href="/">Startseite</a></li><li><a href="/finance/">Finanzen</a></li>'
                '<li><h1>Kleine Cafés</h1></li></ul></nav>', headline="")
    assert [name for name, _ in got] == ["Startseite", "Finanzen", "Kleine Cafés"]


# --- structured data ----------------------------------------------------------------

def jsonld(*items: tuple[str, str]) -> str:
    elements = ", ".join(f'{{"@type": "ListItem", "position": {i}, "item": {{"@id": "{url}", "name": "{name}"}}}}'
                         for i, (name, url) in enumerate(items, 1))
    return f'<script type="application/ld+json">{{"@type": "BreadcrumbList", "itemListElement": [{elements}]}}</script>'


def test_structured_data_alone_is_the_trail_decoded_once():
    got = trail("", head=jsonld(("Home", ROOT), ("Essen &amp; Trinken", ROOT + "food/"), ("A &amp;amp; B", ROOT + "ab/")))
    assert [name for name, _ in got] == ["Home", "Essen & Trinken", "A &amp; B"]


def test_structured_data_naming_only_home_and_this_page_is_no_trail():
    assert trail("", head=jsonld(("Home", ROOT), ("小咖啡馆的账本", URL))) == []


def test_the_shown_trail_wins_over_differing_structured_data():
    got = trail('<div class="breadcrumb"><a href="/">Start</a> › <a href="/finance/">Finanzen</a> › Kleine Cafés</div>',
                head=jsonld(("Site", ROOT), ("Money", ROOT + "money/")))
    assert [name for name, _ in got] == ["Start", "Finanzen", "Kleine Cafés"]


def test_agreeing_structured_data_tips_a_faint_trail():
    faint = '<p class="top"><a href="/finance/">Finance</a> / <a href="/finance/bank/">Banks</a></p>'
    assert trail(faint, headline="") == []
    got = trail(faint, head=jsonld(("Finance", ROOT + "finance/"), ("Banks", ROOT + "finance/bank/")), headline="")
    assert got == [("Finance", ROOT + "finance/"), ("Banks", ROOT + "finance/bank/")]


def test_an_old_microdata_trail_is_read_as_shown():
    got = trail('<ul><li itemscope itemtype="http://data-vocabulary.org/Breadcrumb"><a href="/" itemprop="url">'
                '<span itemprop="title">Home</span></a></li><li itemscope itemtype="http://data-vocabulary.org/Breadcrumb">'
                '<a href="/finance/" itemprop="url"><span itemprop="title">Finance</span></a></li><li>Small cafés</li></ul>')
    assert [name for name, _ in got] == ["Home", "Finance", "Small cafés"]


# --- prose is no trail -----------------------------------------------------------------

def test_three_names_after_arrows_are_a_trail_on_a_page_without_headline():
    got = trail('<table><tr><td><a href="/bbs/main.php">论坛</a> &gt; 影视版区 &gt; <a href="/bbs/board.php?id=18">'
                '电影留言板</a></td><td>[<a href="/bbs/best.php">精华区</a>]</td></tr></table>', headline="")
    assert [name for name, _ in got] == ["论坛", "影视版区", "电影留言板"]


def test_book_title_marks_in_prose_are_no_separators():
    assert trail('<p>她参加过《<a href="/wiki/a">甲节目</a>》、《<a href="/wiki/b">乙节目</a>》和'
                 '《<a href="/wiki/c">丙节目</a>》的录制。</p>') == []


def test_arrows_in_a_sentence_are_no_trail():
    assert trail('<p>Open <a href="/help/settings">Settings</a> &gt; <a href="/help/privacy">Privacy</a> &gt; '
                 '<a href="/help/clear">Clear data</a>, then restart the app and wait for the sync to finish '
                 'before you sign in again on the other devices that you use every day.</p>', headline="") == []
