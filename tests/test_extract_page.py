"""Page.select answers the rule tables' CSS from its class/id/attribute index exactly as a full XPath scan would."""
from __future__ import annotations

import pytest

from crawler.extract import rules
from crawler.extract.page import Page, css, hidden, parse

HTML = """<html><body>
<div id="main" class="wrap post">
  <ol class="breadcrumb crumbs"><li>a</li></ol>
  <div class="post-content">one</div>
  <p class="post-content x">two</p>
  <nav aria-label="Breadcrumb"><a href="/">home</a></nav>
  <div class="post-content" id="content"><div class="post-content">nested</div></div>
  <article role="main" itemprop="articleBody">three</article>
  <span itemprop="articleBody author">four</span><div itemprop="articlebody">five</div>
</div>
<div class="  post-content	">spaced</div>
</body></html>"""

QUERIES = (
    ".post-content",
    "#content",
    "ol.breadcrumb",
    "div.breadcrumb",
    ".crumbs, #main, .post-content",
    "[aria-label*=breadcrumb i]",
    "nav[aria-label*=breadcrumb i]",
    "[role=main], main",
    "article",
    "[itemprop=articleBody]",
    'div[itemprop="articlebody"], [itemprop="articleBody author"]',
    "[itemprop=ARTICLEBODY i]",
    "[ITEMPROP=articleBody]",
    ".missing, #missing",
    "div .post-content",
)


@pytest.mark.parametrize("query", QUERIES)
def test_select_matches_a_full_scan_in_document_order(query):
    sel = parse(HTML)
    assert Page(sel, "http://x.example/").select(query) == css(query)(sel.root)


def test_order_is_document_order():
    """Page.order numbers every node as a walk meets it: an element before its children, a child before its next sibling."""
    page = Page(parse(HTML), "http://x.example/")
    elements = page.sel.root.xpath("//*")  # XPath answers in document order
    assert [page.order[el] for el in elements] == sorted(page.order[el] for el in elements)
    main = page.sel.root.get_element_by_id("main")
    nested = main.xpath(".//div[@id='content']/div")[0]
    assert page.order[main] < page.order[nested] < page.order[page.sel.root.xpath("//div[@class='  post-content\t']")[0]]


def test_marked_looks_only_at_the_attributes_asked():
    """Page.marked tests each class token, id or label value once; `attrs` narrows it to some of them."""
    page = Page(parse(HTML), "http://x.example/")
    breadcrumb = lambda value: "breadcrumb" in value.lower()
    assert [el.tag for el in page.marked(breadcrumb)] == ["ol", "nav"]
    assert [el.tag for el in page.marked(breadcrumb, ("class",))] == ["ol"]
    assert [el.get("id") for el in page.marked(lambda value: value == "content", ("id",))] == ["content"]


@pytest.mark.parametrize("attrs", [
    'hidden', 'style="display: none"', 'style="color:red;VISIBILITY:hidden"',
    *[f'class="box {cls.upper()}"' for cls in rules.HIDDEN_CLASSES]])
def test_hidden(attrs):
    """One check says what a reader does not see, for trail, headline and related block alike."""
    assert hidden(parse(f"<html><body><div {attrs}>x</div></body></html>").root.find(".//div"))


@pytest.mark.parametrize("attrs", ['class="fc-more--hidden"', 'class="hidden-xs"', 'style="display:block"', 'id="hidden"'])
def test_shown(attrs):
    """Whole class tokens only: a BEM modifier or a responsive class is a state, not a hidden block."""
    assert not hidden(parse(f"<html><body><div {attrs}>x</div></body></html>").root.find(".//div"))


def test_body_text_leaves_the_head_out():
    """The trail's text search looks where a body text node can be: not in the <head>'s scripts."""
    page = Page(parse("<html><head><script>var home = 'You are here';</script></head>"
                      "<body><p>Home &gt; Guides</p></body></html>"), "http://x.example/")
    assert "You are here" in page.text and page.body_text == "Home > Guides"
    assert Page(parse("<html><head><title>t</title></head></html>"), "http://x.example/").body_text == ""
