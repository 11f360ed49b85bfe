"""Malformed and payload-laden pages: every sentence of the article survives, no attack does.

Two fault classes, written here as fixtures: pages whose markup is broken
at the start or the end (no </head>, unclosed <p>/<b>/<i> opening the
body, NUL bytes, content after a second </html>), and pages carrying
script-injection payloads between their paragraphs, closed or left open.
Each sentence must reach body_text and the text of body_html, and no
payload may reach body_html (checked after a real HTML parse, as in
test_faults_hostile). A property test draws pages from both classes.
"""
from __future__ import annotations

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from crawler.extract import extract_article
from test_faults_hostile import attacks_in

URL = "http://fault.example/posts/7.html"
SENTENCES = [
    "Every archive starts with a single page that somebody decided was worth keeping for later readers.",
    "The crawler fetches that page, decodes its bytes and hands the markup to the extraction step.",
    "Broken markup is the rule rather than the exception on pages that were edited by hand for years.",
    "A careful extractor keeps every sentence a reader would see, and throws away only the machinery.",
    "归档工作从一个值得保存的网页开始，抓取器要把它原原本本地留给以后的读者。",
    "手工维护多年的网页往往标记残缺，但读者在浏览器里仍然能看到每一句话。",
    "The closing paragraph thanks the reader and promises another post about storage next week.",
]
CODE = "for page in pages:\n    archive(page)  # keep every word"

# Payloads a page may carry between paragraphs; several are left open on purpose.
PAYLOADS = [
    "<script>alert(1)</script>", "<script>alert(1)", "<style>p{color:red}</style>", "<style>body{display:none}",
    "<svg onload=alert(1)>", "<svg/onload=alert(1)>", "<svg onload=alert(1)></svg>",
    "<svg><script>alert(1)</script></svg>", "<svg><foreignObject><iframe src=javascript:alert(1)>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a>", "<svg><style>x{}</style>",
    "<math><style><img src=x onerror=alert(1)></style></math>", "<math><style><img src=x onerror=alert(1)></style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<math><mi xlink:href=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>", "<details open ontoggle=alert(1)><summary>more</summary></details>",
    '<form action="javascript:alert(1)"><input autofocus onfocus=alert(1)></form>',
    '<form action="javascript:alert(1)"><input autofocus onfocus=alert(1)>', "<form><button formaction=javascript:alert(1)>go",
    '<iframe src="javascript:alert(1)"></iframe>', '<iframe srcdoc="<script>alert(1)</script>">',
    "<iframe src=https://evil.example/>", "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>",
    "<applet code=Evil.class>", "<button onclick=alert(1)>", "<select onfocus=alert(1) autofocus><option>x",
    "<textarea onfocus=alert(1) autofocus>", "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">', "<marquee onstart=alert(1)>",
    "<dialog open onclose=alert(1)>", "<canvas id=x>", "<template><img src=x onerror=alert(1)>",
    "<noscript><img src=x onerror=alert(1)></noscript>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<label onclick=alert(1)>", "<fieldset><legend>x</legend>", "<title>", "<xmp><script>alert(1)</script></xmp>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<base href="javascript:alert(1)//">',
    '<link rel=import href="javascript:alert(1)">', "<frameset onload=alert(1)>", "<nav>", "<aside>", "<footer>",
    "<!--<img src=x onerror=alert(1)>-->", "<![CDATA[<script>alert(1)</script>]]>", "<p style=x:expression(alert(1))>",
]

# A <script> or <style> left open runs, as in a browser, to the next </script> (</style>) if the
# page has one (what lies between is hidden, not article text); if it has none, to the next tag.
CODE_LEFT_OPEN = {"<script>alert(1)", "<style>body{display:none}"}

HEAD = "<html><head><meta charset=utf-8><title>Keeping every word</title>"
MENU = '<div class="menu"><a href="/">Home</a> <a href="/posts/">Posts</a> <a href="/about/">About</a></div>'


def paragraphs(between: str = "") -> str:
    """The article's paragraphs (and its code block), `between` each of them."""
    parts = [f"<p>{s}</p>" for s in SENTENCES]
    parts.insert(3, f"<pre><code>{CODE}</code></pre>")
    return between + between.join(parts) + between


def page(body: str, head: str = HEAD + "</head>", end: str = "</body></html>") -> str:
    return f"{head}<body>{MENU}<article><h1>Keeping every word</h1>{body}</article>{end}"


def check(html: str) -> None:
    """Every sentence and the code in body_text and in body_html's text; no attack in body_html."""
    for source in (html, html.encode("utf-8")):
        item = extract_article(source, URL)
        text = item["body_text"] or ""
        html_text = lxml.html.fragment_fromstring(item["body_html"] or "<p></p>", create_parent="div").text_content()
        for sentence in SENTENCES:
            assert sentence in text, sentence
            assert sentence in " ".join(html_text.split()), sentence
        assert CODE in text and CODE in html_text
        assert attacks_in(item["body_html"], item["body_markdown"]) == []


# --- malformed starts and ends --------------------------------------------------------

STARTS = {
    "no </head>": dict(head=HEAD),
    "no <head> at all": dict(head="<html><title>Keeping every word</title>"),
    "NUL bytes": dict(head=HEAD + "\x00</head>\x00"),
}
BODY_STARTS = {
    "unclosed <p><b><i>": "<p><b><i>",
    "unclosed <b><i><p>": "<b><i><p>",
    "unclosed <i><b>": "<i><b>",
    "NUL at the start": "\x00<p>\x00",
}
ENDS = {
    "text after a second </html>": "</body></html>\n<p>after the end</p>\n</html>\ntrailing words",
    "a table cell after a second </html>": "</body></html></html><table><tr><td>stray cell</td></tr></table>",
    "NUL and a stray </body>": "</body>\x00</body></html>\x00",
    "no end at all": "",
}


@pytest.mark.parametrize("head", STARTS.values(), ids=STARTS.keys())
@pytest.mark.parametrize("opening", BODY_STARTS.values(), ids=BODY_STARTS.keys())
def test_malformed_start_keeps_every_sentence(head, opening):
    check(page(opening + paragraphs(), **head))
    check(page(opening + paragraphs().replace("</p>", ""), **head))   # and paragraphs never closed


@pytest.mark.parametrize("end", ENDS.values(), ids=ENDS.keys())
def test_malformed_end_keeps_every_sentence(end):
    check(page("<p><b><i>" + paragraphs(), head=HEAD, end=end))


def test_nul_bytes_inside_sentences_are_dropped_not_the_sentence():
    check(page(paragraphs()).replace("Every archive", "Every\x00 archive").replace("归档", "归\x00档"))


# --- payloads between paragraphs -------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_between_paragraphs_keeps_every_sentence(payload):
    check(page(paragraphs(payload)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_inside_a_paragraph_keeps_the_words_around_it(payload):
    sentences = [f"{s[:20]} {payload} {s[20:]}" for s in SENTENCES]
    item = extract_article(page("".join(f"<p>{s}</p>" for s in sentences)), URL)
    for s in SENTENCES:
        for half in (s[:20], s[20:]) if payload not in CODE_LEFT_OPEN else (s[:20],):
            assert half.strip() in item["body_text"]
    assert attacks_in(item["body_html"], item["body_markdown"]) == []


def test_all_payloads_on_one_page():
    body = "".join(f"<p>{s}</p>{PAYLOADS[i % len(PAYLOADS)]}" for i, s in enumerate(SENTENCES * 2))
    item = extract_article(page(body + paragraphs()), URL)
    assert all(s in item["body_text"] for s in SENTENCES)
    assert attacks_in(item["body_html"], item["body_markdown"]) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    payloads=st.lists(st.sampled_from([p for p in PAYLOADS if p not in CODE_LEFT_OPEN]), min_size=len(SENTENCES) + 2, max_size=len(SENTENCES) + 2),
    head=st.sampled_from(list(STARTS.values()) + [{}]),
    opening=st.sampled_from(list(BODY_STARTS.values()) + [""]),
    end=st.sampled_from(list(ENDS.values()) + ["</body></html>"]),
    closed=st.booleans(),
)
def test_generated_pages_keep_every_sentence(payloads, head, opening, end, closed):
    """Any mix of payloads between the paragraphs, on a page malformed at either end."""
    parts = [f"<p>{s}</p>" if closed else f"<p>{s}" for s in SENTENCES]
    parts.insert(3, f"<pre><code>{CODE}</code></pre>")
    body = opening + "".join(p + x for p, x in zip(parts, payloads))
    check(page(body, end=end, **head))
