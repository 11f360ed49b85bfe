"""`archive reparse`, `archive schedule`, per-run log files, and the rules behind them on plain values."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, crawl, run_archive
from crawler.demosite.server import serve_directory
from crawler.durations import parse_duration
from crawler.middlewares.incremental import IncrementalMiddleware, Known, parse_time
from crawler.schedule import cron_expression
from pipelines.revisions import content_diff
from pipelines.schema import open_archive

ROOT = Path(__file__).resolve().parents[1]


def test_reparse_rewrites_only_what_extracts_differently_without_network(minisite, tmp_path):
    db_path = tmp_path / "x.db"
    crawl(minisite + "/", "--db", str(db_path))
    with open_archive(db_path) as db:   # as an older extractor might have left it
        old = db["articles"].get(1)
        db["articles"].update(1, {"title": "旧的标题", "body_markdown": "旧的正文", "content_hash": "0" * 64})
    for name in ("related_links", "breadcrumbs"):
        with open_archive(db_path) as db:
            db.execute(f"DELETE FROM {name} WHERE article_id = 1")
            db.conn.commit()
    result = run_archive("reparse", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 3, "changed": 1, "refreshed": 0, "unchanged": 2, "failed": 0}
    with open_archive(db_path) as db:
        row = db["articles"].get(1)
        assert {k: row[k] for k in ("title", "content_hash", "last_seen", "run_id")} == {
            k: old[k] for k in ("title", "content_hash", "last_seen", "run_id")}
        assert row["last_changed"] > old["last_changed"]
        assert db.execute("SELECT count(*) FROM breadcrumbs WHERE article_id = 1").fetchone()[0] == 3
        revision, = db["revisions"].rows
        assert (revision["title"], revision["cause"], revision["run_id"]) == ("旧的标题", "reparse", None)
        assert "-旧的正文" in revision["diff"]
    again = run_archive("reparse", "--db", str(db_path))
    assert json.loads(again.stdout)["changed"] == 0


def test_reparse_writes_a_better_date_author_or_section_though_the_content_stands(minisite, tmp_path):
    db_path = tmp_path / "x.db"
    crawl(minisite + "/", "--db", str(db_path))
    fields = ("published_at", "author", "section")
    with open_archive(db_path) as db:   # as an extractor that missed them might have left it
        extracted = {row["id"]: {k: row[k] for k in (*fields, "content_hash", "last_changed")}
                     for row in db["articles"].rows}
        assert all(v["published_at"] for v in extracted.values())
        for id_ in extracted:
            db["articles"].update(id_, {"published_at": None, "author": "某人", "section": None})
    result = run_archive("reparse", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 3, "changed": 0, "refreshed": 3, "unchanged": 0, "failed": 0}
    with open_archive(db_path) as db:
        assert {row["id"]: {k: row[k] for k in (*fields, "content_hash", "last_changed")}
                for row in db["articles"].rows} == extracted
        assert db["revisions"].count == 0
    again = run_archive("reparse", "--db", str(db_path))
    assert json.loads(again.stdout)["unchanged"] == 3


def test_reparse_with_a_profile_runs_with_the_site_offline(tmp_path):
    db_path = tmp_path / "x.db"
    with serve_directory(FIXTURES / "minisite") as base:
        crawl(base + "/", "--db", str(db_path))
        site = urlsplit(base).netloc
    # the server is gone; a profile whose title selector picks the site name instead
    profile = tmp_path / "p.toml"
    profile.write_text(f'name = "{site}"\n[selectors]\ntitle = "div.top a"\n', encoding="utf-8")
    result = run_archive("reparse", "--site", str(profile), "--db", str(db_path))
    assert json.loads(result.stdout) == {"articles": 3, "changed": 3, "refreshed": 0, "unchanged": 0, "failed": 0}
    with open_archive(db_path) as db:
        assert {row["title"] for row in db["articles"].rows} == {"青柠笔记", "Qingning Notes"}
        assert db["revisions"].count == 3


def test_log_dir_gets_one_log_file_per_run(minisite, tmp_path):
    for _ in range(2):
        run = crawl(minisite + "/", "--db", str(tmp_path / "x.db"), "--log-dir", str(tmp_path / "logs"))
    logs = sorted((tmp_path / "logs").glob("x-*.log"), key=lambda p: p.stat().st_mtime)
    assert len(logs) == 2
    assert all(log.read_text().count("Spider closed (finished)") == 1 for log in logs)
    assert json.loads(run["settings"])["LOG_FILE"] == str(logs[-1])


def test_schedule_prints_a_crontab_line_with_absolute_paths(tmp_path):
    result = run_archive("schedule", "--site", "demo", "--every", "1h", "--db", "data/a.db", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    comment, line = result.stdout.strip().splitlines()
    assert comment.startswith("# article-archive every 1h") and "exit 3" in comment
    assert line.startswith(f"0 * * * * cd {ROOT} && ")
    assert f"crawl --site {ROOT / 'sites' / 'demo.toml'} --db {ROOT / 'data' / 'a.db'} " \
           f"--log-dir {ROOT / 'data' / 'logs'} >> {ROOT / 'data' / 'logs' / 'cron.log'} 2>&1" in line
    executable = line.split(" && ")[-1].split()[0]
    assert Path(executable).is_absolute() and Path(executable).exists()
    bad = run_archive("schedule", "--site", "demo", "--every", "7m", cwd=ROOT)
    assert bad.returncode == 2 and "evenly" in bad.stderr


@pytest.mark.parametrize("every, fields", [
    ("1m", "* * * * *"), ("15m", "*/15 * * * *"), ("1h", "0 * * * *"), ("6h", "0 */6 * * *"),
    ("1d", "0 0 * * *"), ("1w", "0 0 * * 0"), ("60m", "0 * * * *"), ("24h", "0 0 * * *"),
])
def test_cron_expression(every, fields):
    assert cron_expression(every) == fields


@pytest.mark.parametrize("bad", ["7m", "5h", "2d", "0", "soon"])
def test_cron_expression_refuses_what_cron_cannot_do_evenly(bad):
    with pytest.raises(ValueError):
        cron_expression(bad)


def test_parse_duration():
    assert parse_duration("7d") == timedelta(days=7) == parse_duration(" 1w ")
    assert parse_duration("90") == parse_duration(90) == timedelta(seconds=90)
    assert parse_duration("0") == timedelta(0)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("7 days")


class _Stats:
    def set_value(self, *args): pass
    def inc_value(self, *args): pass


class _Crawler:
    stats = _Stats()


def test_due_rules():
    middleware = IncrementalMiddleware(_Crawler(), {}, timedelta(days=1))
    now = datetime.now(timezone.utc)
    seen = lambda delta: Known((now - delta).isoformat(timespec="seconds"), None, None)  # noqa: E731
    assert not middleware.is_due(seen(timedelta(hours=2)), None)
    assert middleware.is_due(seen(timedelta(hours=23, minutes=30)), None)   # a daily cron a little early
    assert middleware.is_due(seen(timedelta(days=2)), None)
    assert middleware.is_due(seen(timedelta(hours=2)), now)                  # the sitemap says it changed
    assert not middleware.is_due(seen(timedelta(hours=2)), now - timedelta(days=3))


def test_parse_time_reads_sitemap_dates():
    assert parse_time("2025-03-05") == datetime(2025, 3, 6, tzinfo=timezone.utc)   # the day's end
    assert parse_time("2025-03-05T10:00:00+08:00") == datetime(2025, 3, 5, 2, tzinfo=timezone.utc)
    assert parse_time("2025-03-05T10:00Z") == datetime(2025, 3, 5, 10, tzinfo=timezone.utc)
    assert parse_time("yesterday") is None and parse_time(None) is None


def test_content_diff_is_unified_with_the_title_first():
    diff = content_diff({"title": "旧", "body_markdown": "一\n二"}, {"title": "新", "body_markdown": "一\n三"})
    assert diff.splitlines()[:2] == ["--- before", "+++ after"]
    assert {"-# 旧", "+# 新", "-二", "+三", " 一"} <= set(diff.splitlines())


def test_autothrottle_lets_a_304_lower_the_delay_as_a_200_does():
    from scrapy.core.downloader import Slot
    from scrapy.extensions.throttle import AutoThrottle as ScrapyAutoThrottle
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from crawler.throttle import AutoThrottle

    settings = {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_TARGET_CONCURRENCY": 8.0}
    delays = {}
    for throttle_class in (ScrapyAutoThrottle, AutoThrottle):
        throttle = throttle_class.from_crawler(get_crawler(settings_dict=settings))
        throttle.mindelay, throttle.maxdelay = 0.0, 60.0
        slot = Slot(concurrency=8, delay=0.5, jitter=0)
        throttle._adjust_delay(slot, 0.01, Response("http://127.0.0.1/a.html", status=304))
        delays[throttle_class] = slot.delay
    assert delays[ScrapyAutoThrottle] == 0.5 and delays[AutoThrottle] < 0.3


def test_a_changed_dedupe_setting_warns_that_a_rebuild_is_needed(minisite, tmp_path):
    db_path = tmp_path / "x.db"
    first = run_archive("crawl", minisite + "/", "--db", str(db_path))
    assert first.returncode == 0 and "dedupe --rebuild" not in first.stderr
    same = run_archive("crawl", minisite + "/", "--db", str(db_path))
    assert "dedupe --rebuild" not in same.stderr
    changed = run_archive("crawl", minisite + "/", "--db", str(db_path), "-s", "DEDUPE_NUM_PERM=64")
    assert changed.returncode == 0
    warning, = [line for line in changed.stderr.splitlines() if "dedupe --rebuild" in line]
    assert "WARNING" in warning and "DEDUPE_NUM_PERM was 128" in warning and "perm=128" in warning
    threshold = run_archive("crawl", minisite + "/", "--db", str(db_path), "-s", "DEDUPE_NUM_PERM=64",
                            "-s", "DEDUPE_THRESHOLD=0.7")
    assert "DEDUPE_THRESHOLD was 0.5" in threshold.stderr
    rebuilt = run_archive("dedupe", "--rebuild", "--db", str(db_path), "-s", "DEDUPE_NUM_PERM=64",
                          "-s", "DEDUPE_THRESHOLD=0.7")
    assert rebuilt.returncode == 0, rebuilt.stderr
    after = run_archive("crawl", minisite + "/", "--db", str(db_path), "-s", "DEDUPE_NUM_PERM=64",
                        "-s", "DEDUPE_THRESHOLD=0.7")
    assert "dedupe --rebuild" not in after.stderr
