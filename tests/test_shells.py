"""Script shells: which served pages are `needs_browser`, cue by cue (crawler/extract/rules.py, "script shells")."""
from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.extract import rules
from crawler.items import ArticleItem, FailureItem, ListingItem
from crawler.extract.text import units
from crawler.middlewares.shells import ShellCheckMiddleware, script_text_units, shell_cues, thin

BUNDLE = '<script src="/static/js/main.3f9a1c.js"></script>'
HEADER = '<header><a href="/">Riverside Notes</a> <a href="/about">About</a></header>'
FOOTER = "<footer>© 2025 Riverside Notes</footer>"
STATE_ZH = "小镇的渡口每天早上六点开第一班船，船工老周在这条河上撑了三十年船，认得两岸每一户人家。" * 2
STATE_EN = ("The ferry leaves the landing at six every morning, and the boatman has crossed this river "
            "for thirty years, knowing every family on both banks by name. ") * 2
THIN = ("<article><h1>Rain on the vegetable plots</h1><p>It rained all night, and by morning the soil had "
        "gone soft. Two bean poles fell over; they need tying up again while the weather holds.</p></article>")


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Riverside Notes</title>{head}</head><body>{body}</body></html>'


def cue_names(html: str) -> str:
    return " ".join(shell_cues(html))


@pytest.mark.parametrize("html, cue", [
    (page('<div id="app"></div>' + BUNDLE), "app_root"),
    (page("<app-root></app-root>" + BUNDLE), "app_root"),
    (page(HEADER + '<main><div class="post-body"></div></main>' + FOOTER + BUNDLE
          + "<noscript>Please turn on JavaScript to read this site.</noscript>"), "empty_box"),
    (page(HEADER + "<noscript>You need to enable JavaScript to run this app.</noscript>" + FOOTER + BUNDLE), "noscript"),
    (page(HEADER + f'<script>window.__STATE__ = {{"body": "{STATE_EN}"}}</script>' + FOOTER), "script_text"),
], ids=["app_root", "custom_element", "empty_box", "noscript", "script_text"])
def test_shell_cue(html, cue):
    """Each row of SHELL_CUES is found, and a shell needs SHELL_MIN_SCORE of them."""
    assert cue in rules.SHELL_CUES
    cues = shell_cues(html)
    assert cues, html
    assert {"app_root": "under <body>", "empty_box": "to fill", "noscript": "<noscript> asking for JavaScript",
            "script_text": "scripts carrying"}[cue] in " ".join(cues)


@pytest.mark.parametrize("word", rules.SHELL_NOSCRIPT_WORDS)
def test_noscript_word_asks_for_javascript(word):
    html = page(f"<noscript>请开启浏览器的 {word} 功能 / please allow {word}</noscript>" + BUNDLE)
    assert "<noscript> asking for JavaScript" in cue_names(html)


@pytest.mark.parametrize("state", [STATE_ZH, STATE_ZH.encode("unicode_escape").decode("ascii"), STATE_EN],
                         ids=["han", "escaped_han", "words"])
def test_next_style_shell_carries_the_article_as_data(state):
    html = page(f'<div id="__next"></div><script id="__NEXT_DATA__" type="application/json">'
                f'{{"props": {{"post": {{"body": "{state}"}}}}}}</script>')
    cues = cue_names(html)
    assert "'__next'" in cues and "scripts carrying" in cues


@pytest.mark.parametrize("html", [
    page('<div id="ad-top"></div>' + THIN + '<script>window.dataLayer = window.dataLayer || [];</script>' + BUNDLE),
    page(HEADER + "<p>" + STATE_ZH[:40] + "</p>" + BUNDLE + '<div id="root"></div>'),
    page('<div id="app"></div>'),
    page(HEADER + '<figure><img src="/p/1.jpg"></figure><div class="comments"></div>' + FOOTER
         + '<script>(function(w){w.ga=w.ga||function(){(w.ga.q=w.ga.q||[]).push(arguments)}})(window);</script>'),
    page(HEADER + '<main><div class="gallery"></div></main><noscript><img src="/pixel.gif"></noscript>' + BUNDLE),
    page(HEADER + '<main><div class="gallery"></div><p>Sunset</p></main>' + FOOTER + BUNDLE),
    page('<div class="clear"></div><ul>' + "".join(f'<li><a href="/p/{n}">Notes from the ferry landing, part {n}</a></li>'
                                                  for n in range(8)) + "</ul>" + BUNDLE),
    page(HEADER + '<div id="app"></div><form><input name="user"><input type="password" name="pw"></form>' + BUNDLE),
], ids=["thin_article", "thin_chinese_article", "no_script", "photo_post", "noscript_pixel", "empty_box_alone",
        "listing", "login_form"])
def test_not_a_shell(html):
    """A thin but real article shows its prose, a photo post its photo, a listing its links, a login page its
    form; one weak cue is not enough."""
    assert shell_cues(html) == []


def test_script_code_carries_no_text():
    code = "function t(e){return e&&e.__esModule?e:{default:e}}var n=document.querySelector('#app');n.render();"
    assert script_text_units(code) == 0


def response(html: str, flags=()) -> HtmlResponse:
    url = "http://127.0.0.1:8000/a/1.html"
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url), flags=list(flags))


SHELL = page('<div id="root"></div>' + BUNDLE)


@pytest.mark.parametrize("item", [
    ListingItem(url="u", kind="other", why="too little text", links=1, fetched_at="t"),
    FailureItem(url="u", reason="extract_error", error="an article page without article text"),
    ArticleItem(url="u", body_text="Loading…"),
], ids=["listing", "extract_error", "article_without_text"])
def test_what_a_served_shell_came_out_as_becomes_needs_browser(item):
    failure = ShellCheckMiddleware(None).get_processed_item(item, response(SHELL))
    assert failure["reason"] == "needs_browser" and 'render = "browser"' in failure["error"]


def test_an_article_with_text_and_a_rendered_page_are_left_alone():
    article = ArticleItem(url="u", body_text=STATE_ZH)
    check = ShellCheckMiddleware(None)
    assert check.get_processed_item(article, response(SHELL)) is article
    listing = ListingItem(url="u", kind="other")
    assert check.get_processed_item(listing, response(SHELL, flags=["playwright"])) is listing
    failure = FailureItem(url="u", reason="http_status")
    assert check.get_processed_item(failure, response(SHELL)) is failure


@pytest.mark.parametrize("text", [
    "",
    "A short note of thanks.",
    "Our garden club met on Tuesday and planted forty tulip bulbs along the north fence. " * 40,
    "—" * 3000 + " but after the long rule comes a paragraph about the river, the mill and the bridge they rebuilt",
    "—" * 3000 + " 河边的磨坊在春天重新开工了。",
    "—" * 290 + " then the note goes on about the river, the mill, the bridge they rebuilt and the fair after",
    "园子里的梨树今年开得特别早，邻居们都来看花。" * 3,
])
def test_thin_counts_as_units_would(text):
    """thin() asks the text's start first; its answer is always the whole text's."""
    assert thin(text) == (units(text) < rules.SHELL_MAX_PROSE_UNITS)
