"""Hostile markup in an article body: the text stays, no attack survives in body_html or body_markdown.

Checked on `extract_article` output, as it is stored: every element and
attribute of body_html is inspected after a real HTML parse (so entity or
case tricks are undone the way a browser undoes them), and every link
target in body_markdown.
"""
from __future__ import annotations

import re

import lxml.html
import pytest

from crawler.extract import extract_article

URL = "http://fault.example/a/1.html"
KEEP = "保留这句话：正文必须完整保存下来。"
PROSE = "<p>" + "这是一段足够长的正文，讲的是抓取器如何面对恶意的网页标记，并且保留真正的文字。" * 4 + "</p>"

PAYLOADS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    "<script/xss src=x></script>", "<<script>alert(1);//<</script>",
    '<img src=x onerror="alert(1)">', "<IMG SRC=x ONERROR=alert(1)>", "<img src=x oNeRrOr=alert`1`>",
    '<body onload="alert(1)">', '<div onmouseover="alert(1)">悬停</div>', "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">链接</a>', '<a href="JaVaScRiPt:alert(1)">链接</a>',
    '<a href=" javascript:alert(1)">链接</a>', '<a href="java\tscript:alert(1)">链接</a>',
    '<a href="java&#x0A;script:alert(1)">链接</a>', '<a href="jav&#x61;script:alert(1)">链接</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">链接</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">链接</a>',
    '<a href="javascript&colon;alert(1)">链接</a>', '<a href="vbscript:msgbox(1)">链接</a>',
    '<a href="VBScript:msgbox(1)">链接</a>', '<a href="data:text/html,<script>alert(1)</script>">链接</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe src="https://evil.example/"></iframe>', '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="evil.swf"></object>', '<embed src="evil.swf">', '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<link rel=stylesheet href="javascript:alert(1)">',
    '<p style="width:expression(alert(1))">样式</p>', '<p style="background:url(javascript:alert(1))">样式</p>',
    '<p style="background:url(&#106;avascript:alert(1))">样式</p>', '<p style="x:ex/**/pression(alert(1))">样式</p>',
    "<style>p{background:url(javascript:alert(1))}</style>", '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="#" xlink:href="javascript:alert(1)">svg 链接</a>', '<video><source onerror="alert(1)"></video>',
    '<details open ontoggle=alert(1)>细节</details>', '<button formaction="javascript:alert(1)">按钮</button>',
    "<!--<img src=x onerror=alert(1)>-->", "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://safe.example/ok">安全链接</a>',
]
BAD_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link", "style",
            "form", "input", "button", "svg", "math", "applet", "noscript"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript|mocha):", re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def attacks_in(body_html: str, body_markdown: str) -> list[str]:
    found = []
    root = lxml.html.fragment_fromstring(body_html or "<div></div>", create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag.lower() in BAD_TAGS:
            found.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            plain = _INVISIBLE.sub("", value).lower()
            if name.lower().startswith("on") or name.lower() in ("srcdoc", "style", "formaction"):
                found.append(f"{el.tag}[{name}]")
            if BAD_SCHEME.match(plain) or "expression(" in plain or "url(" in plain:
                found.append(f"{el.tag}[{name}={value!r}]")
    for target in re.findall(r"\]\(([^)\s]*)", body_markdown or ""):
        if BAD_SCHEME.match(_INVISIBLE.sub("", target)):
            found.append(f"markdown link {target!r}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised_and_text_kept(payload):
    html = (f"<html><head><title>恶意标记</title></head><body><article><h1>恶意标记</h1>{PROSE}"
            f"<p>{payload}</p><p>{KEEP}</p>{PROSE}</article></body></html>")
    for given in (html, html.encode("utf-8")):
        item = extract_article(given, URL)
        assert KEEP in item["body_text"]
        assert attacks_in(item["body_html"], item["body_markdown"]) == []
        assert "alert(1)</script" not in item["body_html"].lower()


def test_safe_links_survive():
    html = f"<html><body><article><h1>t</h1>{PROSE}<p><a href='https://safe.example/ok'>安全链接</a>{KEEP}</p></article></body></html>"
    item = extract_article(html, URL)
    assert 'href="https://safe.example/ok"' in item["body_html"]


def test_the_check_itself_finds_attacks():
    assert attacks_in('<p><a href=" JAVA\tscript:x">a</a><img src=x onerror=y><iframe></iframe></p>', "[a](javascript:x)") == [
        "a[href=' JAVA\\tscript:x']", "img[onerror]", "<iframe>", "markdown link 'javascript:x'"]
