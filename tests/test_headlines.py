"""Headlines: the shown heading that agrees with what the page declares, affixes and kickers left out.

Every page here is written for the rule it tests; each row of the title
tables in crawler/extract/rules.py is exercised.
"""
from __future__ import annotations

import json

import pytest

from crawler.extract import extract_article, rules
from crawler.extract.title import _fold, _fold_start, agrees, headline_part, segments

URL = "http://www.tidewater.example.org/news/2024/lighthouse.html"
PROSE = "".join(
    f"<p>Paragraph {i}: the old lighthouse keeper's cottage reopens this spring as a small museum, "
    "with the lamp room restored and the logbooks of three generations on display.</p>" for i in range(4))
CN_PROSE = "".join(f"<p>第{i}段：老灯塔看守人的小屋今年春天改成了一座小博物馆，灯室已经修复，三代看守人的航海日志也一并展出。</p>"
                   for i in range(4))
HEADLINE = "Lighthouse cottage reopens as a museum"
CN_HEADLINE = "老灯塔小屋改建为博物馆"


def title_of(body: str, head: str = "", prose: str = PROSE, url: str = URL) -> str | None:
    html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head>"
            f"<body>{body}<div class='article-content'>{prose}</div></body></html>")
    return extract_article(html, url)["title"]


def declared(title: str) -> str:
    return f"<title>{title}</title>"


# --- declared titles: affixes in any separator style --------------------------------

@pytest.mark.parametrize("sep", rules.TITLE_SEPARATORS)
def test_separator_splits_a_declared_title(sep):
    assert segments(f"{CN_HEADLINE}{sep}潮汐日报") == (CN_HEADLINE, "潮汐日报")


@pytest.mark.parametrize("sep", rules.TITLE_SEPARATORS)
def test_shown_headline_without_the_site_name(sep):
    assert title_of(f"<h1>{CN_HEADLINE}</h1>", declared(f"{CN_HEADLINE}{sep}潮汐日报"), CN_PROSE) == CN_HEADLINE


@pytest.mark.parametrize("word", ["snake_case", "Node-RED", "A|B", "e—mail"])
def test_a_bare_separator_between_latin_letters_does_not_split(word):
    assert segments(f"Notes on {word} in practice") == (f"Notes on {word} in practice",)


def test_section_and_site_suffixes_and_a_site_prefix():
    assert headline_part(f"{CN_HEADLINE}__新闻_地方频道_潮汐网") == CN_HEADLINE
    assert title_of("", declared(f"{CN_HEADLINE}--潮汐网"), CN_PROSE) == CN_HEADLINE
    assert headline_part(f"Tidewater » {HEADLINE}", {"tidewater"}) == HEADLINE


@pytest.mark.parametrize("key", rules.SITE_NAME_META_KEYS)
def test_site_name_meta_marks_the_affix_and_a_logo_h1(key):
    head = f'<meta name="{key}" content="Tidewater Gazette">' + declared(f"Tidewater Gazette | {HEADLINE}")
    assert title_of("<h1>Tidewater Gazette</h1>", head) == HEADLINE
    assert title_of("<h1>Tidewater Gazette</h1><h2>" + HEADLINE + "</h2>", head) == HEADLINE


def test_entities_left_in_json_ld_are_decoded_once():
    ld = json.dumps({"@type": "NewsArticle", "headline": "&#8216;Keeper&#8217;s log&#8217; goes on show"})
    got = title_of("", f'<script type="application/ld+json">{ld}</script>')
    assert got == "‘Keeper’s log’ goes on show"


# --- the shown heading wins -------------------------------------------------------

def test_the_h1_shown_beats_an_seo_og_title():
    head = '<meta property="og:title" content="Visit the lighthouse museum: opening times and tickets">'
    assert title_of(f"<h1>{HEADLINE}</h1>", head) == HEADLINE


def test_curly_quotes_of_the_h1_are_kept_when_the_declared_title_has_straight_ones():
    head = declared("The 'keeper's' cottage reopens | Tidewater")
    assert title_of("<h1>The ‘keeper’s’ cottage reopens</h1>", head) == "The ‘keeper’s’ cottage reopens"


def test_an_agreeing_h2_beats_a_logo_h1():
    body = f"<h1>潮汐网</h1><h2>{CN_HEADLINE}</h2>"
    assert title_of(body, declared(f"{CN_HEADLINE} 潮汐网"), CN_PROSE) == CN_HEADLINE


def test_an_h1_that_is_one_part_of_the_declared_title_even_if_shorter_than_the_site_name():
    head = declared("Lighthouse notes | Tidewater Regional Centre for Coastal Heritage")
    body = "<div class='top'><span>Tidewater Regional Centre for Coastal Heritage</span></div><h1>Lighthouse notes</h1>"
    assert title_of(body, head) == "Lighthouse notes"


def test_block_children_of_a_heading_are_apart_by_a_space():
    assert title_of("<h1>灯塔小屋改建<div>下月开放</div></h1>", declared("灯塔小屋改建下月开放"), CN_PROSE) == "灯塔小屋改建 下月开放"


# --- page furniture --------------------------------------------------------------

@pytest.mark.parametrize("tag", sorted(rules.TITLE_FURNITURE_TAGS))
def test_furniture_tag(tag):
    body = f"<{tag}><h1>Opening times</h1></{tag}><h1>{HEADLINE}</h1>"
    assert title_of(body) == HEADLINE


@pytest.mark.parametrize("role", sorted(rules.TITLE_FURNITURE_ROLES))
def test_furniture_role(role):
    body = f"<div role='{role}'><h1>Opening times</h1></div><h1>{HEADLINE}</h1>"
    assert title_of(body) == HEADLINE


@pytest.mark.parametrize("word", sorted(rules.TITLE_FURNITURE_WORDS))
def test_a_trail_whose_last_crumb_is_an_h1(word):
    body = (f"<ul class='site-{word}'><li><a href='/'>Home</a></li><li><h1>Tidewater: {HEADLINE}</h1></li></ul>"
            f"<header><h2><strong>Tidewater</strong> {HEADLINE}</h2></header>")
    head = f'<meta property="og:title" content="{HEADLINE}">'
    assert title_of(body, head) == HEADLINE


@pytest.mark.parametrize("cls", rules.HIDDEN_CLASSES)
def test_hidden_heading(cls):
    assert title_of(f"<h1 class='{cls}'>Tidewater Gazette</h1><h1>{HEADLINE}</h1>") == HEADLINE


def test_an_h1_linking_home_is_a_logo():
    assert title_of(f"<h1><a href='/'>Tidewater</a></h1><h1>{HEADLINE}</h1>") == HEADLINE


# --- kickers -----------------------------------------------------------------------

@pytest.mark.parametrize("sep", list(rules.KICKER_SEPARATORS))
def test_kicker_in_the_heading_is_dropped(sep):
    body = f"<h1><span class='topline'>Heritage</span><span>{sep}</span><span>{HEADLINE}</span></h1>"
    assert title_of(body, declared(f"Heritage{sep}{HEADLINE}")) == HEADLINE


def test_a_long_first_part_or_a_styled_first_word_is_no_kicker():
    long_kicker = "x" * (rules.KICKER_MAX_CHARS + 1)
    assert title_of(f"<h1><span>{long_kicker}</span> and more</h1>") == f"{long_kicker} and more"
    assert title_of("<h1><b>How</b> to visit the lighthouse</h1>") == "How to visit the lighthouse"


def test_an_opinion_kicker_in_the_declared_title_only():
    head = f'<meta property="og:title" content="Opinion | {HEADLINE}">'
    assert title_of(f"<h1>{HEADLINE}</h1>", head) == HEADLINE


# --- headlines outside headings (old Chinese templates) ---------------------------

@pytest.mark.parametrize("char", list(rules.TITLE_BOUNDARY_CHARS))
def test_a_shown_text_ends_at_a_boundary_of_the_declared_title(char):
    assert agrees(CN_HEADLINE, f"{CN_HEADLINE}{char}潮汐网")
    assert not agrees("老灯塔小屋", f"老灯塔小屋改建为博物馆{char}潮汐网")


def test_a_headline_in_a_table_cell():
    body = f"<table><tr><td class='tt'><b><!-- title -->{CN_HEADLINE}</b></td></tr></table>"
    assert title_of(body, declared(f"{CN_HEADLINE}_地方新闻_潮汐网"), CN_PROSE) == CN_HEADLINE


def test_a_space_before_a_chinese_site_name_but_not_inside_a_latin_title():
    assert title_of(f"<div class='tit'>{CN_HEADLINE}</div>", declared(f"{CN_HEADLINE} 潮汐网"), CN_PROSE) == CN_HEADLINE
    assert not agrees("Lighthouse cottage reopens", "Lighthouse cottage reopens today")


def test_without_any_agreeing_text_the_declared_title_minus_its_site_name():
    assert title_of("", declared(f"{CN_HEADLINE}_潮汐网"), CN_PROSE) == CN_HEADLINE


# --- a section's <title>: the emphasised line above the prose ---------------------

def table_page(line: str) -> str:
    return (f"<table><tr><td><a href='/'>潮汐网</a> <a href='/news/'>地方新闻</a></td></tr>"
            f"<tr><td>{line}<br>{CN_PROSE}</td></tr></table>")


@pytest.mark.parametrize("tag", sorted(rules.TITLE_EMPHASIS_TAGS))
def test_emphasised_line_above_the_prose_when_the_title_names_the_section(tag):
    assert title_of(table_page(f"<{tag}>{CN_HEADLINE}</{tag}>"), declared("地方新闻"), "") == CN_HEADLINE


@pytest.mark.parametrize("word", sorted(rules.TITLE_CLASS_WORDS))
def test_title_class_word_marks_the_line(word):
    line = f"<div class='art-{word}'>{CN_HEADLINE}</div>"
    assert title_of(table_page(line), declared("地方新闻"), "") == CN_HEADLINE


@pytest.mark.parametrize("part", [*rules.TITLE_NOT_CHARS, "2024-05-03"])
def test_a_trail_or_a_date_line_is_no_headline(part):
    line = f"<b>{CN_HEADLINE}</b><div class='info'><b>{part}{CN_HEADLINE}</b></div>"
    assert title_of(table_page(line), declared("地方新闻"), "") == CN_HEADLINE


@pytest.mark.parametrize("end", rules.TITLE_NOT_LAST_CHARS)
def test_a_sentence_or_a_label_is_no_headline(end):
    line = f"<b>{CN_HEADLINE}</b><div><b>请登录后再发表您的看法和评论{end}</b></div>"
    assert title_of(table_page(line), declared("地方新闻"), "") == CN_HEADLINE


def test_the_longest_of_the_last_lines_above_the_prose():
    lines = "<b>很早以前的一条很长很长很长很长的加粗文字</b>" + "<b>站内导航</b>" * rules.TITLE_LAST_LINES
    assert title_of(table_page(lines + f"<b>{CN_HEADLINE}</b><b>林小舟</b>"), declared("地方新闻"), "") == CN_HEADLINE
    too_long = "很" * (rules.TITLE_MAX_CHARS + 1)
    assert title_of(table_page(f"<b>{too_long}</b>"), declared("地方新闻"), "") == "地方新闻"


def test_a_declared_title_longer_than_any_line_above_the_prose_stays():
    assert title_of(table_page("<b>潮汐</b>"), declared(CN_HEADLINE), "") == CN_HEADLINE
    assert rules.TITLE_PROSE_UNITS > 0


@pytest.mark.parametrize("text", [
    "归档库每天追加新文章，旧文章的修订也要保留下来，方便日后对比内容的变化。" * 3,
    "Ｆｕｌｌ ｗｉｄｔｈ　ＴＩＴＬＥ text, then plain words of a long English paragraph." * 2,
    "e\u0301" * 20 + "x" + "\u0301" * 30,           # an accent after the cut joins what is before it
    "\u1100\u1161" * 12 + "a" + "\u11a8" * 20,       # Hangul jamo that compose
    "  \u3000 " * 10 + "ß… “quoted” ﬁnal" * 4,       # spaces only at the start; folding that lengthens
    "短标题",
])
def test_folding_the_start_of_a_text_is_the_start_of_folding_it(text):
    assert _fold_start(text) == _fold(text)[:rules.TITLE_MIN_CHARS]
