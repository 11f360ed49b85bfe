"""A crawl of the fault site (tests/faultsite.py): every URL archived right or recorded with the right reason.

One `archive crawl` in a subprocess, with timeouts and limits shrunk so it
takes seconds; benchmarks/fault_bench.py runs the same site with the
default settings.
"""
from __future__ import annotations

import json
import re
import zlib

import pytest

from conftest import run_archive
from faultsite import FAULTS, LAST_EN, LAST_ZH, outcome, serve_faults

FAST = {"DOWNLOAD_TIMEOUT": 2, "RETRY_TIME_BUDGET": 4, "RETRY_BACKOFF_BASE": 0.2,
        "TRAP_MAX_LISTING_HOPS": 8, "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_MAXSIZE": 4 * 1024 * 1024}   # reached within the timeout on a busy machine


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("faults") / "faults.db"
    with serve_faults() as site:
        settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
        result = run_archive("crawl", site.base + "/", "--db", str(db_path), *settings, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    import sqlite_utils
    db = sqlite_utils.Database(db_path)
    base = site.base
    articles = {row["url"][len(base):]: row for row in db.query(
        "select a.*, r.encoding, r.encoding_source, r.html_zlib from articles a join raw_pages r on r.article_id = a.id")}
    failures = {row["url"][len(base):]: row for row in db["failures"].rows}
    yield site, json.loads(result.stdout), articles, failures
    db.close()


@pytest.mark.parametrize("path", sorted(FAULTS))
def test_every_fault_ends_where_expected(crawled, path):
    site, run, articles, failures = crawled
    assert outcome(path, articles, failures) == FAULTS[path][0], failures.get(path)


def test_the_crawl_finishes_and_counts_its_failures(crawled):
    site, run, articles, failures = crawled
    assert run["status"] == "finished"
    assert run["failed"] >= len([f for f in FAULTS.values() if not f[0].startswith("article")])
    assert not set(articles) & set(failures)


def test_robots_txt_is_fetched_first_and_disallowed_paths_never_requested(crawled):
    site, *_ = crawled
    assert site.requested("/private/") == []
    first_page = next(i for i, (_, path) in enumerate(site.log) if path != "/robots.txt")
    assert site.log[0][1] == "/robots.txt" and first_page > 0


def test_offsite_targets_are_never_requested_or_resolved(crawled):
    site, run, articles, failures = crawled
    assert "elsewhere.example" in failures["/redirect/offsite"]["error"]
    assert not any(url.startswith("http://elsewhere") for url in failures)   # recorded under the site's URL


def test_retries_pause_and_honour_retry_after(crawled):
    site, run, articles, failures = crawled
    first, second = site.times("/http/429")
    assert second - first >= 1.0                                   # Retry-After: 1
    assert failures["/http/500"]["attempts"] == 3
    attempts = site.times("/http/500")
    assert attempts[1] - attempts[0] >= 0.2 and attempts[2] - attempts[1] >= 0.4   # backoff doubles
    long_wait = failures["/http/503-long"]
    assert long_wait["attempts"] == 1 and "Retry-After 3600" in long_wait["error"]


def test_hung_and_dripping_urls_stay_within_the_time_budget(crawled):
    site, run, articles, failures = crawled
    for path in ("/slow/hang", "/slow/drip"):
        assert failures[path]["reason"] == "timeout"
        assert failures[path]["seconds"] <= FAST["RETRY_TIME_BUDGET"] + 1
    assert "/slow/ok" in articles                 # a slow page that does answer is fine


def test_truncated_and_oversized_bodies_are_never_stored(crawled):
    site, run, articles, failures = crawled
    assert failures["/size/truncated"]["reason"] == "truncated"
    assert "被截断的文章" not in {a["title"] for a in articles.values()}
    stopped_at = FAST["DOWNLOAD_MAXSIZE"] + 64 * 1024   # one decompression chunk past the cap
    assert f"{stopped_at} B decompressed so far" in failures["/size/gzip-bomb"]["error"]


def test_charset_is_decided_by_the_bytes_and_recorded(crawled):
    site, run, articles, failures = crawled
    decided = {path: (articles[path]["title"], articles[path]["encoding"], articles[path]["encoding_source"])
               for path in ("/charset/lying-header", "/charset/utf8-header-gbk-bytes", "/charset/utf16-bom", "/ok/zh.html")}
    assert decided == {
        "/charset/lying-header": ("声明错误的编码", "gb18030", "bytes"),
        "/charset/utf8-header-gbk-bytes": ("国标编码的文章", "gb18030", "meta"),
        "/charset/utf16-bom": ("带字节序标记的文章", "utf-16-le", "bom"),
        "/ok/zh.html": ("一篇正常的文章", "utf-8", "header"),
    }
    for path in decided:
        assert LAST_ZH in articles[path]["body_text"]
        assert "\ufffd" not in articles[path]["body_text"]


@pytest.mark.parametrize("path", ["/markup/double-html", "/markup/nul", "/markup/unclosed"])
def test_malformed_html_keeps_the_whole_article(crawled, path):
    site, run, articles, failures = crawled
    body = articles[path]["body_text"]
    assert body.startswith("这是一篇用来检验抓取器的文章") and LAST_ZH in body
    assert "\x00" not in body


def test_hostile_markup_keeps_text_and_loses_every_attack(crawled):
    site, run, articles, failures = crawled
    hostile = articles["/markup/hostile"]
    assert LAST_EN in hostile["body_text"] and "After the attacks, the text survives." in hostile["body_text"]
    html = hostile["body_html"].lower()
    for attack in ("<script", "alert(", "msgbox", "javascript:", "vbscript:", "data:", "<iframe", "srcdoc",
                   "<object", "<embed", "<base", "<meta", "expression(", "<svg", "<form", "onerror", "onload"):
        assert attack not in html, attack
    assert zlib.decompress(hostile["html_zlib"]).count(b"<script>alert(1)</script>") == 1  # the raw page is kept as fetched


def test_traps_stop_at_their_limits(crawled):
    site, *_ = crawled
    hops = FAST["TRAP_MAX_LISTING_HOPS"]
    assert len(site.requested("/trap/page/")) <= hops + 1
    assert len(site.requested("/trap/calendar/")) <= 2 * hops + 1
    assert max(len(p.split("/")) for p in site.requested("/trap/deep/")) <= 8
    assert len(site.requested("/redirect/chain/")) == 11          # REDIRECT_MAX_TIMES (10) + the first


def test_listing_pages_are_never_archived(crawled):
    site, run, articles, failures = crawled
    assert not any(re.match(r"/(trap/|$)", path) for path in articles)
