"""One test per row of crawler/extract/rules.py: every marker the tables name works.

Pages here are built from small templates so that a row added to a table is
exercised without writing a page for it.
"""
from __future__ import annotations

import re
from html import escape

import pytest

from crawler.extract import choice, extract_article, page_kind, rules
from crawler.extract.meta import iso_date
from crawler.extract.body import find_body
from crawler.extract.page import Page, parse
from crawler.extract.text import Phrases, any_of, clean_within, runs, units

URL = "http://site.example.cn/news/7.html"
PROSE = (
    "<p>把日志按天切分之后，查询最近一周的数据只需要扫描七个文件，而不是整个目录。"
    "这个改动很小，却让夜间报表的生成时间从四十分钟缩短到了六分钟。</p>"
    "<p>Splitting the logs by day means a weekly query reads seven files instead of the whole "
    "directory, which took the nightly report from forty minutes down to six.</p>"
    "<p>下一步打算把压缩也改成按天进行，这样旧文件可以直接归档到便宜的存储上，"
    "而新文件仍然保持可以随时追加写入的状态，两者互不影响。</p>"
)
SIDEBAR = '<div class="aside-box"><h3>最新文章</h3><ul><li><a href="/n/1.html">侧栏里的文章标题</a></li></ul></div>'


def page(body: str, head: str = "", html_attrs: str = "") -> str:
    return f"<!DOCTYPE html><html{html_attrs}><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def article(inner: str = "", before: str = "", after: str = "", head: str = "", html_attrs: str = "") -> dict:
    html = page(f'{before}<div class="article-content">{PROSE}{inner}</div>{after}{SIDEBAR}', head, html_attrs)
    return extract_article(html, URL)


def element_for(css: str, inner: str) -> str:
    """An element matching a simple CSS selector (tag, .class, #id, [attr=value], [attr*=value i])."""
    m = re.fullmatch(r"(\w*)(?:\.([\w-]+)|#([\w-]+)|\[([\w-]+)[*]?=([\w-]+)(?: i)?\])?", css.strip())
    assert m, css
    tag, cls, ident, attr, value = m.groups()
    tag = tag or "div"
    attrs = f' class="{cls}"' if cls else f' id="{ident}"' if ident else f' {attr}="x-{value}-x"' if attr else ""
    if attr == "itemprop" or attr == "role":
        attrs = f' {attr}="{value}"'
    return f"<{tag}{attrs}>{inner}</{tag}>"


# --- breadcrumbs -------------------------------------------------------------

@pytest.mark.parametrize("label", rules.BREADCRUMB_LABELS)
@pytest.mark.parametrize("colon", [":", "：", ""])
def test_breadcrumb_label_introduces_a_text_trail(label, colon):
    trail = f'<div class="top-line">{label}{colon} <a href="/">首页</a> &gt; <a href="/news/">news</a> &gt;正文</div>'
    got = article(before=trail)
    assert got["breadcrumbs"] == [
        {"name": "首页", "url": "http://site.example.cn/"},
        {"name": "news", "url": "http://site.example.cn/news/"},
        {"name": "正文", "url": None},
    ]
    assert got["section"] == "news"
    assert label not in got["body_text"]


@pytest.mark.parametrize("sep", rules.BREADCRUMB_SEPARATORS)
def test_breadcrumb_separator(sep):
    sep_html = sep.replace(">", "&gt;")
    trail = f'<div class="breadcrumbs"><a href="/">Home</a> {sep_html} <a href="/b/">Blog</a> {sep_html} My post</div>'
    got = article(before=trail)
    assert [c["name"] for c in got["breadcrumbs"]] == ["Home", "Blog", "My post"]


@pytest.mark.parametrize("sep", rules.BREADCRUMB_SEPARATORS_ANYWHERE)
def test_unambiguous_separator_splits_without_spaces(sep):
    trail = f'<div class="breadcrumbs">You are here: <a href="/">Home</a>{sep}Guides{sep}Setup</div>'
    got = article(before=trail)
    assert [(c["name"], c["url"]) for c in got["breadcrumbs"]] == [
        ("Home", "http://site.example.cn/"), ("Guides", None), ("Setup", None)]


def test_ambiguous_separators_need_spaces():
    trail = '<div class="breadcrumbs"><a href="/">Home</a> / <a href="/ci/">CI/CD</a> / Node-RED tips</div>'
    assert [c["name"] for c in article(before=trail)["breadcrumbs"]] == ["Home", "CI/CD", "Node-RED tips"]


@pytest.mark.parametrize("word", [w for w, weight in rules.BREADCRUMB_MARKERS.items() if weight >= 3])
@pytest.mark.parametrize("spelling", ["site-{}-box", "{}_wrap", "article{}"])
def test_breadcrumb_marker_finds_a_trail_no_other_cue_would(word, spelling):
    cls = spelling.format(word.capitalize() if spelling.startswith("article") else word)
    got = article(before=f'<div class="{cls}"><a href="/docs/">Docs</a></div>')
    assert got["breadcrumbs"] == [{"name": "Docs", "url": "http://site.example.cn/docs/"}]


@pytest.mark.parametrize("word", [w for w, weight in rules.BREADCRUMB_MARKERS.items() if weight < 3])
def test_weak_breadcrumb_marker_tips_a_borderline_trail(word):
    trail = '<a href="/">Home</a> / <a href="/docs/">Docs</a> / Install'
    assert article(before=f'<div class="top">{trail}</div><h1>Install</h1>')["breadcrumbs"] == []
    got = article(before=f'<div class="top-{word}">{trail}</div><h1>Install</h1>')
    assert [c["name"] for c in got["breadcrumbs"]] == ["Home", "Docs", "Install"]


@pytest.mark.parametrize("word", rules.BREADCRUMB_HOME_WORDS)
def test_home_word_starts_an_unlinked_trail(word):
    assert article(before="<div class='x'>Elsewhere &gt; Guides</div><h1>Setup</h1>")["breadcrumbs"] == []
    got = article(before=f"<div class='x'>{word} &gt; Guides</div><h1>Setup</h1>")
    assert [c["name"] for c in got["breadcrumbs"]] == [word, "Guides"]


@pytest.mark.parametrize("cls", rules.HIDDEN_CLASSES)
def test_hidden_text_in_a_trail_is_no_crumb(cls):
    trail = (f'<ol class="breadcrumb"><li><a href="/">Home<span class="{cls}"> HIDDEN</span></a></li>'
             f'<li><span class="{cls}">HIDDEN</span><a href="/docs/">Docs</a></li></ol>')
    assert [c["name"] for c in article(before=trail)["breadcrumbs"]] == ["Home", "Docs"]


def test_microdata_breadcrumb_list():
    trail = (
        '<ol itemscope itemtype="https://schema.org/BreadcrumbList">'
        '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
        '<a itemprop="item" href="/"><span itemprop="name">Home</span></a><meta itemprop="position" content="1"></li>'
        '<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem">'
        '<a itemprop="item" href="/guides/"><span itemprop="name">Guides</span></a></li></ol>'
    )
    got = article(before=trail)
    assert got["breadcrumbs"] == [
        {"name": "Home", "url": "http://site.example.cn/"},
        {"name": "Guides", "url": "http://site.example.cn/guides/"},
    ]
    assert got["section"] == "Guides"


def test_visible_trail_kept_when_it_agrees_with_json_ld():
    ld = ('<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": ['
          '{"position": 1, "name": "首页", "item": "/"}, {"position": 2, "name": "news", "item": "/news/"}]}</script>')
    trail = '<div class="breadcrumb">当前位置：<a href="/">首页</a> > <a href="/news/">news</a> > 正文</div>'
    got = article(before=trail, head=ld)
    assert [c["name"] for c in got["breadcrumbs"]] == ["首页", "news", "正文"]


# --- related -----------------------------------------------------------------

def related_block(heading: str) -> str:
    return (f'<div class="more"><h3>{heading}</h3><ul>'
            '<li><a href="/r/1.html">第一篇相关的文章</a><p>第一篇的摘要写到一半…</p></li>'
            '<li><a href="/r/2.html">Second related story</a></li></ul></div>')


@pytest.mark.parametrize("heading", rules.RELATED_HEADINGS)
@pytest.mark.parametrize("variant", [str, lambda h: h.upper() + "：", lambda h: f"【{h}】"])
def test_related_heading(heading, variant):
    heading = heading + "plague" if heading.endswith(" ") else heading  # a prefix row: "More on plague"
    got = article(after=related_block(variant(heading)))
    assert got["related"] == [
        {"title": "第一篇相关的文章", "url": "http://site.example.cn/r/1.html", "snippet": "第一篇的摘要写到一半…"},
        {"title": "Second related story", "url": "http://site.example.cn/r/2.html", "snippet": None},
    ]


@pytest.mark.parametrize("heading", ["最新文章", "热门文章", "Latest", "Popular", "Recent posts", "Related work in this area is scarce"])
def test_site_wide_lists_are_not_related(heading):
    assert article(after=related_block(heading))["related"] == []


def test_related_block_inside_the_body_is_removed_from_it():
    got = article(inner=related_block("相关阅读"))
    assert len(got["related"]) == 2
    assert "第一篇相关" not in got["body_text"] and "相关阅读" not in got["body_text"]


# --- body --------------------------------------------------------------------

@pytest.mark.parametrize("css", [c.strip() for row in (*rules.BODY_CONTAINERS, *rules.BODY_WRAPPERS) for c in row.split(",")])
def test_body_container(css):
    html = page('<div class="top"><a href="/">站点</a><a href="/a/">栏目</a></div>'
                f'<div class="layout">{element_for(css, PROSE)}{SIDEBAR}</div>')
    got = extract_article(html, URL)
    assert "夜间报表的生成时间" in got["body_text"]
    assert "侧栏里的文章标题" not in got["body_text"]


def test_first_qualifying_container_is_the_body_on_a_page_of_several_posts():
    later = "<p>" + "归档页上后面一篇更长的文章，不是这一页自己的正文。" * 20 + "</p>"
    html = page(f'<div><h2><a href="/p/1.html">按天切分日志</a></h2><div class="post-body">{PROSE}</div></div>'
                f'<div><h2><a href="/p/2.html">另一篇</a></h2><div class="post-body">{later}</div></div>{SIDEBAR}')
    got = extract_article(html, URL)
    assert "夜间报表的生成时间" in got["body_text"] and "归档页上后面" not in got["body_text"]


@pytest.mark.parametrize("tag", rules.BODY_CONTAINER_PARAGRAPHS)
def test_container_class_on_each_paragraph_stands_for_their_parent(tag):
    paragraphs = "".join(f'<{tag} class="post-text">{p}</{tag}>' for p in re.findall(r"<p>(.*?)</p>", PROSE))
    got = extract_article(page(f'<div class="x">{paragraphs}</div>{SIDEBAR}'), URL)
    assert "夜间报表的生成时间" in got["body_text"] and "Splitting the logs" in got["body_text"]
    assert "下一步打算" in got["body_text"] and "侧栏" not in got["body_text"]


def test_body_without_known_container_uses_the_densest_block():
    html = page(f'<div class="x1"><div class="x2">{PROSE}</div></div>{SIDEBAR}')
    got = extract_article(html, URL)
    assert "夜间报表的生成时间" in got["body_text"] and "侧栏" not in got["body_text"]


@pytest.mark.parametrize("word", sorted(rules.BOILERPLATE_WORDS))
def test_boilerplate_class_word(word):
    inner = f'<div class="{word}">BOILER-A</div><div id="x-{word}-box">BOILER-B</div><div class="{word}-x">KEPT</div>'
    got = article(inner=inner)
    assert "BOILER" not in got["body_text"]
    assert "KEPT" in got["body_text"]


def test_boilerplate_classes_are_not_applied_inside_pre():
    code = '<pre><code class="language-js"><span class="hljs-comment">// keep me</span>\nrun()</code></pre>'
    assert "// keep me\nrun()" in article(inner=code)["body_text"]


@pytest.mark.parametrize("prefix", rules.BOILERPLATE_TEXT_PREFIXES)
@pytest.mark.parametrize("form", ["{} 某某 2024 BOILER", "（ {} 某某 BOILER ）", "【{}某某 BOILER】"])
def test_boilerplate_text_prefix(prefix, form):
    got = article(inner=f"<p>{form.format(prefix)}</p><p>{form.format(prefix.upper())}</p>")
    assert "BOILER" not in got["body_text"]


@pytest.mark.parametrize("label", rules.META_LINE_LABELS)
def test_meta_line_in_the_body_is_boilerplate(label):
    got = article(inner=f"<p>2022.01.20 16:31 {label}：BOILER 某报客户端</p>"
                        f"<p>2022年1月20日，{label}一事写进了正文。KEPT</p>"
                        f"<p>On March 5, 2024 the team met. {label} notes were kept. KEPT-TOO</p>")
    assert "BOILER" not in got["body_text"] and "KEPT" in got["body_text"] and "KEPT-TOO" in got["body_text"]


@pytest.mark.parametrize("label", rules.BREADCRUMB_LABELS)
def test_a_trail_too_short_to_parse_is_boilerplate_in_the_body(label):
    got = article(inner=f"<p>{label}：BOILER</p>")
    assert "BOILER" not in got["body_text"]


@pytest.mark.parametrize("phrase", rules.BOILERPLATE_TEXT_PHRASES)
def test_boilerplate_text_phrase(phrase):
    got = article(inner=f"<p>© 2024 某某网 BOILER. {phrase}.</p><p>2024 年某某网 BOILER {phrase}</p>")
    assert "BOILER" not in got["body_text"]


@pytest.mark.parametrize("lead", rules.BODY_TEASER_LEADS)
def test_in_body_teaser_of_another_article_is_boilerplate(lead):
    lead = lead.rstrip(":")
    got = article(inner=f'<p><strong>{lead}:</strong> <a href="/n/9.html">BOILER 另一篇讲轮渡码头的文章</a></p>'
                        f"<p>{lead}: KEPT 文章自己的话，没有链接，是正文的一部分。</p>")
    assert "BOILER" not in got["body_text"] and "KEPT" in got["body_text"]


@pytest.mark.parametrize("line", rules.BOILERPLATE_LINES)
def test_boilerplate_line(line):
    got = article(inner=f"<p>{line}</p><p>正文里提到“{line}”这个词，不是页面装饰，应当保留。</p>")
    assert got["body_text"].count(line) == 1


@pytest.mark.parametrize("heading", rules.BODY_END_HEADINGS)
def test_body_end_heading_cuts_the_teasers_after_it(heading):
    teasers = f'<h3>{heading}{"Elsewhere" if heading.endswith(" ") else ""}</h3>' \
              '<div><p><a href="/t/1.html">TEASER one</a> a line of teaser text</p></div>'
    got = article(inner=teasers)
    assert "TEASER" not in got["body_text"] and "夜间报表的生成时间" in got["body_text"]


def test_body_end_heading_early_in_the_body_cuts_nothing():
    got = article(inner="<h3>Latest</h3><p>TAIL " + "正文继续写下去，这一段比前面的都长。" * 30 + "</p>")
    assert "TAIL" in got["body_text"]


def test_bold_lead_in_is_not_an_end_heading():
    got = article(inner="<p><b>Related:</b> KEPT an aside written into the article itself</p>")
    assert "KEPT" in got["body_text"]


def test_body_densest_block_counts_loose_text_between_line_breaks():
    posts = "<br>".join("论坛帖子里的一行文字，没有段落标签，只用换行分开，内容却是正文。" for _ in range(8))
    html = page(f'<table><tr><td class="menu"><a href="/a">首页</a> <a href="/b">版块</a></td></tr>'
                f'<tr><td><div class="x">{posts}</div></td></tr></table>{SIDEBAR}')
    got = extract_article(html, URL)
    assert got["body_text"].count("论坛帖子") == 8 and "侧栏" not in got["body_text"]


@pytest.mark.parametrize("tag", [t for t in rules.DROP_TAGS if t not in ("input", "link", "meta", "base", "frame", "embed")])
def test_drop_tag(tag):
    got = article(inner=f"<div><{tag}>DROPPED</{tag}></div>")
    assert "DROPPED" not in (got["body_text"] + got["body_html"] + got["body_markdown"])


CODE_LINES = ["for f in *.log; do", '  gzip -9 "$f"  # <keep> & done', "done"]
CODE_MARKUP = {
    "div.blockcode": '<div class="blockcode"><div id="code_x"><ol>{}</ol></div><em>复制代码</em></div>',
    "div.syntaxhighlighter": '<div class="syntaxhighlighter bash"><table><tr><td class="gutter">'
                             '<div class="line">1</div><div class="line">2</div><div class="line">3</div></td>'
                             '<td class="code"><div class="container">{}</div></td></tr></table></div>',
}


@pytest.mark.parametrize("block, line", rules.CODE_LINE_BLOCKS)
def test_code_shown_as_a_list_of_lines_becomes_a_pre_block(block, line):
    tag = "li" if line == "li" else 'div class="line"'
    lines = "".join(f"<{tag}>{escape(t)}</{tag.split()[0]}>" for t in CODE_LINES)
    got = article(inner=CODE_MARKUP[block].format(lines))
    want = "\n".join(CODE_LINES)
    assert f"<pre><code>{escape(want, quote=False)}</code></pre>" in got["body_html"]
    assert f"```\n{want}\n```" in got["body_markdown"]
    assert want in got["body_text"] and "复制代码" not in got["body_text"] and "1\n2\n3" not in got["body_text"]


def test_layout_table_renders_as_its_blocks_in_markdown():
    got = article(inner="<table><tr><td></td><td><p>楼主的帖子第一段。</p><pre>make all</pre></td></tr>"
                        "<tr><td></td><td><p>回帖写在第二行。</p></td></tr></table>")
    assert "楼主的帖子第一段。\n\n```\nmake all\n```\n\n回帖写在第二行。" in got["body_markdown"]
    assert "| --- |" not in got["body_markdown"]


@pytest.mark.parametrize("prefix", rules.CODE_LANGUAGE_PREFIXES)
def test_code_language_class(prefix):
    got = article(inner=f'<pre class="{prefix}go">func main() {{}}</pre>')
    assert "```go\nfunc main() {}\n```" in got["body_markdown"]
    assert '<pre class="language-go">' in got["body_html"]


def test_sanitizer_allowlist():
    inner = ('<p onclick="x()" style="color:red" class="lead">Hi <a href="javascript:alert(1)">js</a> '
             '<a href="mailto:a@example.cn">mail</a> <img src="/i.png" onerror="x()"></p>'
             '<object data="x.swf">OBJ</object><embed src="x.swf">')
    html = article(inner=inner)["body_html"]
    for bad in ("onclick", "onerror", "style=", "class=", "javascript:", "<object", "<embed", "OBJ"):
        assert bad not in html
    assert '<a href="mailto:a@example.cn">mail</a>' in html
    assert '<img src="http://site.example.cn/i.png">' in html


# --- title -------------------------------------------------------------------

@pytest.mark.parametrize("sep", rules.TITLE_SEPARATORS)
def test_title_site_suffix(sep):
    got = extract_article(page(PROSE, head=f"<title>日志按天切分{sep}站点</title>"), URL)
    assert got["title"] == "日志按天切分"


def test_title_prefers_the_h1_that_agrees_with_the_declared_title():
    body = '<h1 class="logo">码农札记</h1><div class="article-content"><h1>按天切分的收益</h1>' + PROSE + "</div>"
    got = extract_article(page(body, head="<title>按天切分的收益 - 码农札记</title>"), URL)
    assert got["title"] == "按天切分的收益"
    assert "按天切分的收益" not in got["body_text"]  # the title h1 is not repeated in the body


def test_bare_underscore_only_before_a_one_word_site_name():
    got = extract_article(page(PROSE, head="<title>snake_case names in practice</title>"), URL)
    assert got["title"] == "snake_case names in practice"


# --- dates, author, language, canonical ---------------------------------------

@pytest.mark.parametrize("key", rules.DATE_META_KEYS)
def test_date_meta_key(key):
    got = article(head=f'<meta name="{key}" content="2024-03-05T14:30:00">')
    assert (got["published_at"], got["date_source"]) == ("2024-03-05T14:30:00", "meta")


@pytest.mark.parametrize("label", rules.DATE_TEXT_LABELS)
def test_date_text_label(label):
    got = article(before=f'<h1>标题</h1><div class="info"><span>{label}：2024-03-05 14:30</span></div>')
    assert (got["published_at"], got["date_source"]) == ("2024-03-05T14:30:00", "text")


@pytest.mark.parametrize("raw, want", [
    ("2024-03-05", "2024-03-05"),
    ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00+00:00"),
    ("2024-03-05 14:30", "2024-03-05T14:30:00"),
    ("2024/3/5 9:05:07", "2024-03-05T09:05:07"),
    ("2025年3月5日", "2025-03-05"),
    ("2025年03月05日 08时30分", "2025-03-05T08:30:00"),
    ("March 5, 2025", "2025-03-05"),
    ("5 Mar 2025", "2025-03-05"),
    ("Tue, 05 Mar 2024 14:30:00 GMT", "2024-03-05"),
    ("2024-13-45", None),
    ("yesterday", None),
    ("", None),
])
def test_date_forms(raw, want):
    assert iso_date(raw) == want


def test_date_sources_in_order():
    ld = '<script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "2023-01-02"}</script>'
    meta = '<meta property="article:published_time" content="2023-02-03">'
    time = '<time datetime="2023-03-04">March 4</time>'
    text = '<h1>标题</h1><div class="info">发布时间：2023-04-05</div>'
    assert article(head=ld + meta, before=text + time)["date_source"] == "json-ld"
    assert article(head=meta, before=text + time)["date_source"] == "meta"
    assert (article(before=text + time)["published_at"], article(before=time)["date_source"]) == ("2023-03-04", "time")
    assert article(before=text)["date_source"] == "text"


@pytest.mark.parametrize("key", rules.AUTHOR_META_KEYS)
def test_author_meta_key(key):
    assert article(head=f'<meta name="{key}" content="Ada Lovelace">')["author"] == "Ada Lovelace"


@pytest.mark.parametrize("label", rules.AUTHOR_TEXT_LABELS)
def test_author_text_label(label):
    got = article(before=f'<h1>标题</h1><div class="info"><span>2024-03-05</span><span>{label}：林小舟</span></div>')
    assert got["author"] == "林小舟"


def test_author_from_rel_author_and_json_ld():
    assert article(before='<a rel="author" href="/u/1">Grace Hopper</a>')["author"] == "Grace Hopper"
    ld = '<script type="application/ld+json">{"@type": "Article", "author": {"@type": "Person", "name": "周明"}}</script>'
    assert article(head=ld)["author"] == "周明"


@pytest.mark.parametrize("attrs, want", [
    (' lang="zh-CN"', "zh"), (' lang="EN_us"', "en"), (' lang="ja"', "ja"), ("", "zh"), (' lang=""', "zh")])
def test_language(attrs, want):
    assert article(html_attrs=attrs)["language"] == want


def test_language_by_script_share():
    english = "<p>" + "Plain English words about log rotation and archives. " * 20 + "</p>"
    html = page(f'<div class="article-content">{english}</div>')
    assert extract_article(html, URL)["language"] == "en"


def test_canonical_sources():
    assert article(head='<link rel="canonical" href="/c.html">')["canonical_url"] == "http://site.example.cn/c.html"
    assert article(head='<meta property="og:url" content="https://m.example.cn/x">')["canonical_url"] == "https://m.example.cn/x"
    assert article()["canonical_url"] is None


@pytest.mark.parametrize("suffix", sorted(rules.BOILERPLATE_SUFFIXES))
def test_boilerplate_suffix(suffix):
    got = article(inner=f'<div class="post-share-{suffix}">BOILER</div><div class="{suffix}-share-x">KEPT</div>')
    assert "BOILER" not in got["body_text"] and "KEPT" in got["body_text"]


def test_marked_wrapper_holding_most_of_the_body_is_kept():
    html = page(f'<div class="article-content"><div class="elementor-widget-wrap">{PROSE}</div></div>')
    assert "夜间报表的生成时间" in extract_article(html, URL)["body_text"]


@pytest.mark.parametrize("word", rules.BODY_WIDGET_WORDS)
def test_comment_box_in_the_body_goes_whatever_its_size(word):
    replies = "<p>" + "网友回复：按天切分之后我们的报表也快了很多，谢谢分享这个做法。" * 12 + "</p>"
    html = page(f'<div class="article-content">{PROSE}<div class="{word}-area">{replies}</div></div>{SIDEBAR}')
    got = extract_article(html, URL)["body_text"]
    assert "夜间报表的生成时间" in got and "网友回复" not in got


def comments_under_the_article(items: str) -> str:
    html = page(f'<div class="article-content">{PROSE}<div class="talk">{items}</div></div>{SIDEBAR}')
    return extract_article(html, URL)["body_text"]


REMARK = "<p>按天切分之后我们的报表也快了很多，谢谢分享这个做法，下周就在自己的项目里试一试。</p>"


@pytest.mark.parametrize("cue", rules.COMMENT_CUES)
def test_comment_cue_with_a_date_marks_a_comment_item(cue):
    item = f'<div class="lou"><b>{cue}</b> 小林 2024-05-21 08:15{REMARK}</div>'
    got = comments_under_the_article(item * rules.COMMENT_MIN_ITEMS)
    assert "夜间报表的生成时间" in got and "下周就在自己的项目里" not in got


@pytest.mark.parametrize("verb", rules.COMMENT_SAYS)
def test_a_name_saying_opens_a_comment_item(verb):
    item = f'<div class="lou"><a href="/u/lin">Lin Bo</a> {verb}:{REMARK}</div>'
    got = comments_under_the_article(item * rules.COMMENT_MIN_ITEMS)
    assert "夜间报表的生成时间" in got and "下周就在自己的项目里" not in got


@pytest.mark.parametrize("word", rules.COMMENT_AVATAR_WORDS)
def test_an_avatar_with_a_time_marks_a_comment_item(word):
    item = f'<div class="lou"><img src="/img/{word}/lin.png"> 小林 21:07{REMARK}</div>'
    got = comments_under_the_article(item * rules.COMMENT_MIN_ITEMS)
    assert "夜间报表的生成时间" in got and "下周就在自己的项目里" not in got


def test_too_few_dated_items_are_not_a_comment_section():
    item = f'<div class="lou"><b>回复</b> 小林 2024-05-21 08:15{REMARK}</div>'
    assert "下周就在自己的项目里" in comments_under_the_article(item * (rules.COMMENT_MIN_ITEMS - 1))

def test_comment_article_is_not_the_body():
    comment = '<div id="comments"><article class="comment-body">' + PROSE * 2 + "</article></div>"
    html = page(f"<article><p>正文只有这一段，但它才是文章本身，评论区里的文字再多也不算正文内容。</p>{PROSE}</article>{comment}")
    got = extract_article(html, URL)
    assert got["body_text"].startswith("正文只有这一段")


@pytest.mark.parametrize("tag", rules.LINK_BLOCK_TAGS)
def test_link_block(tag):
    links = "".join(f'<a href="/x/{i}.html">另一篇文章的标题{i}</a> ' for i in range(rules.LINK_BLOCK_MIN_LINKS))
    block = f"<table><tr><td>{links}</td></tr></table>" if tag == "table" else f"<{tag}>{links}</{tag}>"
    if tag in ("ul", "ol"):
        block = f"<{tag}>" + "".join(f'<li><a href="/x/{i}.html">另一篇文章的标题{i}</a></li>' for i in range(3)) + f"</{tag}>"
    got = article(inner=block + '<p>正文里的一个<a href="/ref.html">参考链接</a>应当保留下来，它只是段落的一小部分。</p>')
    assert "另一篇文章的标题" not in got["body_text"]
    assert "参考链接" in got["body_text"]


@pytest.mark.parametrize("kind", sorted(rules.ARTICLE_TYPES))
def test_json_ld_article_type(kind):
    ld = f'<script type="application/ld+json">{{"@type": "{kind.title()}", "headline": "声明的标题"}}</script>'
    html = page("<p>短</p>", head=ld)
    assert page_kind(parse(html), URL) == "article"
    assert extract_article(html, URL)["title"] == "声明的标题"


# --- body choice ---------------------------------------------------------------

SENTENCE = "归档库每天追加新文章，旧文章的修订也要保留下来，方便日后对比内容的变化。"


def test_trusted_rules_need_no_second_opinion():
    assert choice.TRUSTED == {"profile", "container"}


def test_a_guessed_body_of_prose_needs_no_second_opinion():
    prose = "\n".join([SENTENCE] * 20)
    share = rules.CHOICE_SETTLED_PROSE_SHARE
    menu_lines = int(units(prose) * (1 - share) / share / units("首页"))  # just under the share's allowance
    assert choice.settled(prose + "\n首页" * menu_lines)
    assert not choice.settled(prose + "\n首页" * (menu_lines + 2))
    assert not choice.settled("")


def test_a_second_opinion_a_fragment_of_ours_does_not_win():
    ours = "\n".join([SENTENCE] * 8 + ["首页"] * 40)
    assert choice.prefer_other(ours, "\n".join([SENTENCE] * 8))
    fragment = "\n".join([SENTENCE] * 2)
    assert len(fragment) < len(ours) * rules.CHOICE_MIN_LENGTH_SHARE
    assert choice.prose_share(fragment) > choice.prose_share(ours)
    assert not choice.prefer_other(ours, fragment)


def test_body_headline_levels():
    """A short container under the page's headline wins over a longer box elsewhere; a headline further up does not lead to it."""
    short = "<p>把日志按天切分之后，查询最近一周的数据只需要扫描七个文件，而不是整个目录，夜间报表也因此快了很多，压缩和归档同样按天进行。</p>"
    about = '<div class="about">' + "<p>" + "作者是一名运维工程师，平时写一些关于日志、存储和备份的笔记，也回答读者的来信。" * 12 + "</p></div>"
    inner = f'<div class="entry-content">{short}</div>'
    for _ in range(rules.BODY_HEADLINE_LEVELS - 1):
        inner = f"<div>{inner}</div>"
    for wrapped, wins in ((inner, True), (f"<div>{inner}</div>", False)):
        html = page(f'<div class="layout"><div class="post"><h2>按天切分日志</h2>{wrapped}</div>{about}</div>',
                    head="<title>按天切分日志 - 运维笔记</title>")
        body, how = find_body(Page(parse(html), URL))
        assert (body.get("class") == "entry-content") is wins


def test_body_wrapper_min_share_and_like_siblings():
    """An article in cards (blocks of one shape) inside <main> beside a long rail: all cards are the body, the rail is not."""
    cards = "".join(f'<div class="card"><div class="card-text">{p}</div></div>' for p in re.findall(r"<p>.*?</p>", PROSE))
    rail = '<ul class="rail">' + "<li>推荐一款备份工具，每天自动把日志同步到异地机房，首月免费试用，欢迎点击了解详情。</li>" * 4 + "</ul>"
    assert len(re.findall(r"<p>.*?</p>", PROSE)[-1]) >= rules.BODY_LIKE_SIBLING_MIN_CHARS
    got = extract_article(page(f'<main><div class="cards">{cards}</div>{rail}</main>'), URL)["body_text"]
    assert "夜间报表的生成时间" in got and "下一步打算" in got and "首月免费试用" not in got
    body, how = find_body(Page(parse(page(f'<main><div class="cards">{cards}</div>{rail}</main>')), URL))
    share = sum(len(c) for c in re.findall(r"<p>.*?</p>", PROSE)) / len(body.getparent().text_content())
    assert body.get("class") == "cards" and share < rules.BODY_WRAPPER_MIN_SHARE


def test_a_second_opinion_wins_only_as_a_tighter_reading_of_ours():
    """trafilatura's pick wins when it cuts what our block dragged in (a menu at its end); not with lines
    of its own beyond CHOICE_OWN_MAX_SHARE (another block: a sidebar's about box, a second story) unless
    they are our post's kin (the replies of a thread), and not when all it cut is our first lines (the
    article's headline and byline)."""
    other_sentence = "作者是一名运维工程师，平时写一些关于日志、存储和备份的笔记，也回答读者的来信。"
    byline = ["按天切分日志", "作者：王小明 2024-05-20"]
    ours = "\n".join(byline + [SENTENCE] * 8 + ["首页"] * 20)
    tighter = "\n".join(byline + [SENTENCE] * 8)
    assert choice.prefer_other(ours, tighter)
    elsewhere = "\n".join([other_sentence] * 6)
    assert choice.own_share(elsewhere, ours) > rules.CHOICE_OWN_MAX_SHARE and not choice.prefer_other(ours, elsewhere)
    one_more = "\n".join([SENTENCE] * 8 + [other_sentence])
    assert choice.own_share(one_more, ours) > rules.CHOICE_OWN_MAX_SHARE and not choice.prefer_other(ours, one_more)
    assert choice.prefer_other(ours, one_more, kin=f"老周 2024-05-20 21:30 {other_sentence}")  # a reply beside our post
    assert choice.prefer_other("", elsewhere)
    headed = "\n".join(byline + [SENTENCE] * 8)
    assert choice.prose_share("\n".join([SENTENCE] * 8)) > choice.prose_share(headed)
    assert not choice.prefer_other(headed, "\n".join([SENTENCE] * 8))


def test_phrases_find_what_the_case_insensitive_regex_finds():
    """Phrases skips the regex only when no match can be: "İ", "ı", "ſ" and the Kelvin sign match letters ignoring case."""
    words = ("Paid content", "Sponsored", "推广", "Sign in")
    phrases, regex = Phrases(words, whole_ascii_words=True), any_of(words, whole_ascii_words=True)
    for text in ("Our garden notes, paid CONTENT below", "ſponſored by a bakery", "SİGN İN to comment",
                 "sıgn ın please", "本店推广活动", "a quiet walk by the river", "Sponsoredness is no word", ""):
        found, expected = phrases.search(text), regex.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
    assert [m.group() for m in runs("[a-z]").finditer("tea, 2 cups; jam")] == ["tea", "cups", "jam"]
    assert clean_within("  a  short\n line ", 20) == "a short line"
    assert clean_within("word " * 100, 20) is None and clean_within("x" * 20, 20) == "x" * 20
