"""Relative and year-less dates ("3小时前", "昨天 14:30", "3月5日") resolved against the crawl time: a test per table row."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.extract import extract_article, rules
from crawler.extract.relative_dates import relative_date

NOW = datetime(2025, 1, 10, 9, 30, 15, tzinfo=timezone.utc)
URL = "http://site.example.cn/news/7.html"
PROSE = "<p>" + "归档库每天追加新文章，旧文章的修订也要保留下来，方便日后对比内容的变化。" * 6 + "</p>"


def page_with_line(line: str, body_extra: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'></head><body><h1>标题</h1><div class='info'>{line}</div>"
            f"<div class='article-content'>{PROSE}{body_extra}</div></body></html>")


@pytest.mark.parametrize("unit, seconds", sorted(rules.RELATIVE_DATE_UNITS.items()))
def test_relative_unit(unit, seconds):
    instant = NOW.replace(second=0) - timedelta(seconds=3 * seconds)
    want = instant.date().isoformat() if seconds >= 86400 else instant.isoformat()
    assert relative_date(f"3 {unit} ago", NOW) == want
    assert relative_date(f"3{unit}前", NOW) == want


@pytest.mark.parametrize("suffix", rules.RELATIVE_DATE_SUFFIXES)
def test_relative_suffix(suffix):
    assert relative_date(f"发布于 2小时{suffix}", NOW) == "2025-01-10T07:30:00+00:00"


@pytest.mark.parametrize("word, back", sorted(rules.RELATIVE_DAY_WORDS.items(), key=str))
def test_relative_day_word(word, back):
    if back is None:  # "just now": the crawl time, to the minute
        assert relative_date(word, NOW) == "2025-01-10T09:30:00+00:00"
        return
    day = (NOW - timedelta(days=back)).date()
    assert relative_date(word, NOW) == day.isoformat()
    assert relative_date(f"{word} 14:30", NOW) == f"{day.isoformat()}T14:30:00"


@pytest.mark.parametrize("text, want", [
    ("3月5日", "2024-03-05"),                      # not yet 5 March this year: last year's
    ("1月10日", "2025-01-10"),                     # today
    ("1月9日 08:05", "2025-01-09T08:05:00"),
    ("12月30日 23时59分", "2024-12-30T23:59:00"),
    ("2月30日", None),                             # no such day
    ("2025年3月5日", None),                        # has a year: the absolute reader's job
])
def test_year_less_date(text, want):
    assert relative_date(text, NOW) == want


def test_naive_now_is_utc_and_default_now_is_the_current_time():
    got = extract_article(page_with_line("发布时间：5分钟前"), URL, now=NOW.replace(tzinfo=None))
    assert got["published_at"] == "2025-01-10T09:25:00+00:00"
    before = datetime.now(timezone.utc) - timedelta(minutes=6)
    got = extract_article(page_with_line("发布时间：5分钟前"), URL)
    assert before <= datetime.fromisoformat(got["published_at"]) <= datetime.now(timezone.utc)


@pytest.mark.parametrize("line, want", [
    ("发布时间：3小时前", "2025-01-10T06:30:00+00:00"),
    ("作者：张三 昨天 14:30", "2025-01-09T14:30:00"),
    ("<span>来源：某报</span> <span>3月5日 10:00</span>", "2024-03-05T10:00:00"),
    ("发布时间：2024-12-01 08:00 （3小时前更新）", "2024-12-01T08:00:00"),  # the absolute date wins
])
def test_meta_line_dates_resolve_against_the_crawl_time(line, want):
    got = extract_article(page_with_line(line), URL, now=NOW)
    assert (got["published_at"], got["date_source"]) == (want, "text")


def test_relative_dates_in_the_body_are_not_the_publication_date():
    got = extract_article(page_with_line("", body_extra="<p>评论：3小时前 有人说</p>"), URL, now=NOW)
    assert got["published_at"] != "2025-01-10T06:30:00+00:00"


def test_the_crawl_resolves_against_its_fetch_time(tmp_path, read_db):
    from conftest import run_archive
    from crawler.demosite.server import serve_directory

    (tmp_path / "site" / "a").mkdir(parents=True)
    links = "".join(f'<li><a href="/a/{i}.html">第{i}篇</a></li>' for i in range(1, 4))
    (tmp_path / "site" / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", "utf-8")
    for i in range(1, 4):
        (tmp_path / "site" / "a" / f"{i}.html").write_text(page_with_line("发布时间：3小时前"), "utf-8")
    with serve_directory(tmp_path / "site") as base:
        result = run_archive("crawl", base + "/", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 0, result.stderr[-3000:]
    db = read_db(tmp_path / "x.db")
    rows = list(db.query("select a.published_at, r.fetched_at from articles a join raw_pages r on r.article_id = a.id"))
    assert len(rows) == 3
    for row in rows:
        fetched = datetime.fromisoformat(row["fetched_at"])
        assert row["published_at"] == (fetched.replace(second=0) - timedelta(hours=3)).isoformat()


def test_the_htmldate_fallback_leaves_the_page_tree_as_it_was():
    """htmldate prunes what it searches; it works on its own copy, so the page's tree
    (read again by author and language after the date) keeps its scripts, navigation and text."""
    from lxml import etree

    from crawler.extract.meta import find_published
    from crawler.extract.page import Page, parse

    html = ("<html><head><script>var x = 1;</script></head><body><nav><a href='/'>首页</a></nav>"
            "<article><p>没有写日期的一篇文章，正文只有这一段文字，日期只能交给最后的办法去找。</p></article>"
            "<footer>版权所有</footer><script>track()</script></body></html>")
    page = Page(parse(html), URL)
    before = etree.tostring(page.root)
    assert find_published(page, "") == (None, None)  # nothing dated: htmldate searched the whole page
    assert etree.tostring(page.root) == before
