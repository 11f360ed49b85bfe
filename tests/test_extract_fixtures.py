"""Each fixture page under tests/fixtures/pages/ against its expected JSON.

NAME.html is the page (bytes, as fetched); NAME.json holds the URL, the page
kind, the expected fields, and facts about the body: text it must and must
not contain, Markdown and HTML fragments, and a selector for the page's
<pre> blocks (code_blocks: the text of code the page shows without <pre>),
whose text must come through byte-exact as <pre> in the output.
"""
from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from crawler.extract import FIELDS, extract_article, extract_from_selector, page_kind
from crawler.extract.page import parse

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(p.stem for p in PAGES.glob("*.json"))


def load(name: str):
    return (PAGES / f"{name}.html").read_bytes(), json.loads((PAGES / f"{name}.json").read_text("utf-8"))


@pytest.fixture(params=CASES)
def case(request):
    raw, spec = load(request.param)
    return raw, spec, extract_article(raw, spec["url"])


def test_the_required_fixtures_exist():
    families = {"anatomy_zh", "aggregator_zh", "forum_zh", "gbk_zh", "jsonld_zh", "wordpress_en", "hugo_en", "news_en"}
    assert families <= set(CASES)


def test_fields(case):
    raw, spec, got = case
    assert tuple(got) == FIELDS
    assert got["url"] == spec["url"]
    for key, want in spec["expect"].items():
        assert got[key] == want, key


def test_page_kind(case):
    raw, spec, _ = case
    assert page_kind(parse(raw), spec["url"]) == spec["kind"]


def test_body_text(case):
    _, spec, got = case
    body = spec["body"]
    for text in body.get("contains", ()):
        assert text in got["body_text"]
    for text in body.get("excludes", ()):
        assert text not in (got["body_text"] or ""), text
        assert text not in (got["body_markdown"] or ""), text


def test_body_markdown_and_html(case):
    _, spec, got = case
    for text in spec["body"].get("markdown_contains", ()):
        assert text in got["body_markdown"]
    for text in spec["body"].get("html_contains", ()):
        assert text in got["body_html"]
    for text in spec["body"].get("html_excludes", ()):
        assert text not in got["body_html"]


def test_pre_blocks_are_byte_exact(case):
    raw, spec, got = case
    selector = spec["body"].get("pre_selector")
    source = [el.root.text_content() for el in parse(raw).css(selector)] if selector else []
    source += spec["body"].get("code_blocks", [])  # code shown without <pre> (a forum's line list)
    if not source:
        pytest.skip("no code block in this page")
    html_pres = [p.text_content() for p in lxml.html.fragment_fromstring(got["body_html"], create_parent="div").iter("pre")]
    assert html_pres == source
    for text in source:
        assert text in got["body_text"]
        assert text in got["body_markdown"]


def test_selector_and_string_entry_points_agree(case):
    raw, spec, got = case
    assert extract_from_selector(parse(raw), spec["url"]) == got


def test_gbk_bytes_decode_through_meta_charset():
    raw, spec = load("gbk_zh")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    got = extract_article(raw, spec["url"])
    assert got["author"] == "王喆"  # 喆 is in GBK but not GB2312


def test_response_tree_is_not_modified():
    raw, spec = load("anatomy_zh")
    sel = parse(raw)
    before = sel.get()
    extract_from_selector(sel, spec["url"])
    assert sel.get() == before
