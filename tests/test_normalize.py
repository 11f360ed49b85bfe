"""Normalization rules, one table row per rule, on plain values."""
from datetime import date, datetime, timedelta, timezone

import pytest

from crawler.items import ArticleItem, FailureItem
from pipelines.normalize import (
    NormalizePipeline, clean_body_text, clean_line, clean_text, guess_language,
    normalize_url, strip_nul, to_iso8601,
)


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Example.COM/a", "http://example.com/a"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("http://example.com:443/a", "http://example.com:443/a"),
    ("http://example.com/a#comments", "http://example.com/a"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com/a?utm_source=x&id=3&utm_medium=y", "http://example.com/a?id=3"),
    ("http://example.com/a?spm=1.2.3&from=timeline&fbclid=x&gclid=y", "http://example.com/a"),
    ("http://example.com/a?UTM_Campaign=x&id=3", "http://example.com/a?id=3"),
    ("http://example.com/a?b=2&a=1&a=0", "http://example.com/a?b=2&a=1&a=0"),  # order kept
    ("http://example.com/a?a=1&&b=", "http://example.com/a?a=1&b="),
    ("http://example.com/%7euser/%2f%e4%b8%ad", "http://example.com/~user/%2F%E4%B8%AD"),
    ("http://example.com/路径?q=中文", "http://example.com/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD%E6%96%87"),
    ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/"),
    ("  http://example.com/a  ", "http://example.com/a"),
    ("http://[::1]:80/x", "http://[::1]/x"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", [
    "mailto:someone@example.com", "javascript:void(0)", "ftp://example.com/a", "/relative/path",
    "http://example.com:notaport/",
])
def test_normalize_url_leaves_other_urls_alone(url):
    assert normalize_url(url) == url


def test_normalize_url_is_idempotent():
    url = "HTTP://Example.COM:80/路径/%7e?utm_source=x&id=3#f"
    assert normalize_url(normalize_url(url)) == normalize_url(url)


@pytest.mark.parametrize("text, expected", [
    ("  hello \t\t world  ", "hello world"),
    ("中文，标点。：（）", "中文，标点。：（）"),        # NFC keeps full-width punctuation
    ("e\u0301", "\u00e9"),                             # composed
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("a\u00a0b\u3000c", "a b c"),
    ("line one  \n   line two", "line one\nline two"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("a\n\n\n\n\nb", "a\n\nb"),
    ("nul\x00byte", "nulbyte"),
])
def test_clean_text(text, expected):
    assert clean_text(text) == expected


def test_clean_line_joins_lines():
    assert clean_line(" 文本向量\n\n的池化方法 \n") == "文本向量 的池化方法"


def test_clean_body_text_keeps_code_indentation():
    body = "\n\nIntro\u00a0text.   \n\n\n\ndef f(x):\n    return  x   \n\n\n\n    # done\n"
    assert clean_body_text(body) == "Intro text.\n\ndef f(x):\n    return  x\n\n    # done"


def test_strip_nul_keeps_markup_byte_exact():
    html = "<pre><code>  a\t=  1\n\n\n\nb\u00a0</code></pre>\x00"
    assert strip_nul(html) == html[:-1]


CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"),
    ("2024-03-05T14:30:00", "2024-03-05T14:30:00"),
    ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00+00:00"),
    ("2024-03-05T14:30:00.123+0800", "2024-03-05T14:30:00+08:00"),
    ("2024-03-05 14:30", "2024-03-05T14:30:00"),
    ("2024/3/5", "2024-03-05"),
    ("2025年3月5日 14:30", "2025-03-05T14:30:00"),
    ("2025年3月5日", "2025-03-05"),
    ("2025年03月05日 14时30分", "2025-03-05T14:30:00"),
    ("Tue, 05 Mar 2024 14:30:00 +0800", "2024-03-05T14:30:00+08:00"),
    ("Tue, 05 Mar 2024 14:30:00 GMT", "2024-03-05T14:30:00+00:00"),
    ("March 5, 2024", "2024-03-05"),
    (datetime(2024, 3, 5, 14, 30, 0, 999), "2024-03-05T14:30:00"),
    (datetime(2024, 3, 5, 14, 30, tzinfo=CST), "2024-03-05T14:30:00+08:00"),
    (date(2024, 3, 5), "2024-03-05"),
    ("2024-13-45", None),
    ("yesterday", None),
    ("", None),
    (None, None),
    (1709649000, None),
])
def test_to_iso8601(value, expected):
    assert to_iso8601(value) == expected


@pytest.mark.parametrize("text, expected", [
    ("文本向量的池化方法是把一个句子的所有词向量合成一个向量。使用 mean pooling 或 max pooling。", "zh"),
    ("Pooling turns the token vectors of a sentence into one vector (池化).", "en"),
    ("   \n ", None),
])
def test_guess_language(text, expected):
    assert guess_language(text) == expected


def test_pipeline_normalizes_every_field():
    item = ArticleItem(
        url="HTTP://Example.com:80/news/1.html?utm_source=feed#top",
        canonical_url="https://example.com/news/1.html?spm=a.b",
        title="  文本向量的\n池化方法\u200b ", author=" 张三 ", section="news",
        published_at="2025年3月5日 14:30", language=None,
        body_text="正文第一段。\n\n\n\n    code  line", body_html="<pre>  x\x00</pre>", body_markdown="```\n  x\n```",
        breadcrumbs=[{"name": " 首页 ", "url": "HTTP://EXAMPLE.com/"}, {"name": "正文", "url": None}],
        related=[{"title": " 小程序 ", "url": "http://example.com/2#x", "snippet": "针对不同平台…\u00a0"}],
    )
    out = NormalizePipeline().process_item(item)
    assert out["url"] == "http://example.com/news/1.html"
    assert out["canonical_url"] == "https://example.com/news/1.html"
    assert (out["title"], out["author"]) == ("文本向量的 池化方法", "张三")
    assert out["published_at"] == "2025-03-05T14:30:00"
    assert out["language"] == "zh"
    assert out["body_text"] == "正文第一段。\n\n    code  line"
    assert (out["body_html"], out["body_markdown"]) == ("<pre>  x</pre>", "```\n  x\n```")
    assert out["breadcrumbs"] == [{"name": "首页", "url": "http://example.com/"}, {"name": "正文", "url": None}]
    assert out["related"] == [{"title": "小程序", "url": "http://example.com/2", "snippet": "针对不同平台…"}]


def test_pipeline_keeps_a_declared_language_and_normalizes_failure_urls():
    article = NormalizePipeline().process_item(ArticleItem(url="http://a.com/x", body_text="中文正文", language="ja"))
    assert article["language"] == "ja"
    failure = NormalizePipeline().process_item(FailureItem(url="HTTP://A.com:80/x#f", reason="timeout"))
    assert dict(failure) == {"url": "http://a.com/x", "reason": "timeout"}
