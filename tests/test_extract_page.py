"""Page.select answers the rule tables' CSS from its class/id index exactly as a full XPath scan would."""
from __future__ import annotations

import pytest

from crawler.extract.page import Page, css, parse

HTML = """<html><body>
<div id="main" class="wrap post">
  <ol class="breadcrumb crumbs"><li>a</li></ol>
  <div class="post-content">one</div>
  <p class="post-content x">two</p>
  <nav aria-label="Breadcrumb"><a href="/">home</a></nav>
  <div class="post-content" id="content"><div class="post-content">nested</div></div>
  <article role="main" itemprop="articleBody">three</article>
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
    ".missing, #missing",
    "div .post-content",
)


@pytest.mark.parametrize("query", QUERIES)
def test_select_matches_a_full_scan_in_document_order(query):
    sel = parse(HTML)
    assert Page(sel, "http://x.example/").select(query) == css(query)(sel.root)
