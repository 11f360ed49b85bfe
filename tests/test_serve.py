"""`archive serve`: the real Datasette on a small archive, with our metadata and canned queries."""
from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
import sqlite_utils

from crawler.serve import datasette_args, metadata_for, prepare_archive
from pipelines.schema import TABLES, VIEWS, archive_columns, open_archive
from tests.conftest import free_port, serving


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


def fill(db: sqlite_utils.Database) -> None:
    """A run, an article and its copy with crumbs and related links, and a failure."""
    db["crawl_runs"].insert({"id": 1, "started_at": "2025-03-05T06:00:00+00:00", "status": "finished",
                             "fetched": 3, "new": 2, "changed": 0, "unchanged": 0, "failed": 1})
    article = {"site": "demo", "title": "文本向量的池化方法", "section": "news", "language": "zh",
               "published_at": "2025-03-05T14:30", "body_text": "正文内容", "content_hash": "h1",
               "first_seen": "2025-03-05T06:01:00+00:00", "status": "ok", "run_id": 1}
    db["articles"].insert_all([{**article, "id": 1, "url": "http://127.0.0.1/news/100001.html"},
                               {**article, "id": 2, "url": "http://127.0.0.1/news/100002.html",
                                "title": "<img src=x onerror=alert(1)>转载", "duplicate_of": 1,
                                "similarity": 0.875}])
    db["breadcrumbs"].insert_all([{"article_id": 1, "position": 0, "name": "首页", "url": "http://127.0.0.1/"},
                                  {"article_id": 1, "position": 1, "name": "正文", "url": None}])
    db["related_links"].insert({"article_id": 1, "position": 0, "title": "另一篇", "target_id": 2,
                                "url": "http://127.0.0.1/news/100002.html", "snippet": "开头..."})
    db["revisions"].insert({"article_id": 1, "title": "旧标题", "content_hash": "h0", "cause": "fetch",
                            "first_seen": "2025-03-01T06:00:00+00:00", "replaced_at": "2025-03-05T06:01:00+00:00"})
    db["captures"].insert_all([{"url": "http://127.0.0.1/news/100001.html", "timestamp": t, "status": 200,
                                "digest": d, "file": "archive-warc/crawl-1.warc.gz", "offset": o, "length": 900,
                                "record_id": f"<urn:uuid:{d}>", "record_type": "response", "source": "crawl",
                                "article_id": 1}
                               for t, d, o in (("2025-03-01T06:00:00+00:00", "sha1:A", 0),
                                               ("2025-03-05T06:01:00+00:00", "sha1:B", 900))])
    db["failures"].insert({"url": "http://127.0.0.1/x.html", "reason": "http_status", "http_status": 500,
                           "times_failed": 1, "last_failed": "2025-03-05T06:02:00+00:00", "run_id": 1})


@pytest.fixture(scope="module")
def datasette(tmp_path_factory):
    """Datasette serving a filled archive on a free port; always stopped afterwards."""
    path = tmp_path_factory.mktemp("serve") / "archive.db"
    db = open_archive(path)
    fill(db)
    db.close()
    port = free_port()
    log = open(path.with_suffix(".log"), "w+")
    proc = subprocess.Popen(datasette_args(path, port=port), stdin=subprocess.PIPE,
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    proc.stdin.write(json.dumps(metadata_for(path)))
    proc.stdin.close()
    base = f"http://127.0.0.1:{port}"
    with serving(proc, base + "/-/versions.json", log, timeout=15):
        yield base


def test_database_lists_every_table_and_view(datasette):
    database = get_json(datasette + "/archive.json")
    assert set(TABLES) <= {t["name"] for t in database["tables"]}
    assert set(VIEWS) <= {v["name"] for v in database["views"]}


def test_table_json_and_foreign_key_labels(datasette):
    rows = get_json(datasette + "/archive/articles.json?_shape=objects")["rows"]
    assert [r["id"] for r in rows] == [1, 2]
    crumbs = get_json(datasette + "/archive/breadcrumbs.json?_shape=objects&_labels=on")["rows"]
    assert crumbs[0]["article_id"] == {"value": 1, "label": "文本向量的池化方法"}


def test_column_descriptions_and_facets_show(datasette):
    described = get_json(datasette + "/-/metadata.json")["databases"]["archive"]["tables"]
    assert "published earliest" in described["articles"]["columns"]["duplicate_of"]
    with urllib.request.urlopen(datasette + "/archive/breadcrumbs", timeout=5) as response:
        page = response.read().decode("utf-8")
    assert "starting at 0" in page
    facets = get_json(datasette + "/archive/articles.json")["facet_results"]
    assert {"site", "section", "language", "status"} <= set(facets)


def test_canned_queries_answer(datasette):
    recent = get_json(datasette + "/archive/recent_articles.json?_shape=objects")["rows"]
    assert [r["id"] for r in recent] == [1]  # the copy is left out
    history = get_json(datasette + "/archive/crawl_history.json?_shape=objects")["rows"]
    assert history[0]["status"] == "finished"
    reasons = get_json(datasette + "/archive/failures_by_reason.json?_shape=objects")["rows"]
    assert reasons == [{"reason": "http_status", "urls": 1, "failures": 1,
                        "last_failed": "2025-03-05T06:02:00+00:00"}]


def test_url_history_lists_captures_and_versions(datasette):
    history = get_json(datasette + "/archive/url_history.json?_shape=objects&url="
                       + urllib.parse.quote("http://127.0.0.1/news/100001.html"))["rows"]
    assert [(r["time"][:10], r["what"], r["digest"]) for r in history] == [
        ("2025-03-01", "capture", "sha1:A"),
        ("2025-03-01", "version, replaced 2025-03-05T06:01:00+00:00", "h0"),
        ("2025-03-05", "capture", "sha1:B"),
        ("2025-03-05", "current version", "h1")]


def test_article_page_lists_its_cluster_in_a_browser(datasette):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(datasette + "/archive/articles/2")
            members = page.locator("table.article-cluster tbody tr")
            assert members.count() == 2
            assert members.nth(0).locator("td").all_inner_texts()[:4] == ["1", "original", "demo", "文本向量的池化方法"]
            assert members.nth(1).locator("td").all_inner_texts()[1:6:4] == ["copy", "0.875"]
            assert "<img src=x onerror=alert(1)>转载" in members.nth(1).inner_text()  # shown, not run
            assert page.locator("table.article-cluster img").count() == 0 and not dialogs
            page.goto(datasette + "/archive/crawl_runs/1")
            assert page.locator("table.article-cluster").count() == 0
        finally:
            browser.close()


def test_metadata_describes_every_schema_column_and_view():
    database = metadata_for("archive.db")["databases"]["archive"]
    for table, columns in archive_columns().items():
        described = database["tables"][table]
        assert described.get("description"), table
        assert set(described["columns"]) == set(columns), table
    db = open_archive(":memory:")
    for view in VIEWS:
        described = database["tables"][view]
        assert described.get("description"), view
        assert set(described["columns"]) == set(db[view].columns_dict), view


def test_metadata_follows_the_archive_name():
    assert set(metadata_for("/data/news-2025.db")["databases"]) == {"news-2025"}


def test_args_bind_loopback_with_limits():
    args = datasette_args("archive.db")
    assert args[args.index("--host") + 1] == "127.0.0.1" and "-i" not in args
    assert "sql_time_limit_ms" in args and "default_page_size" in args


def test_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no archive at"):
        prepare_archive(tmp_path / "missing.db")


def test_empty_file_gets_the_schema(tmp_path):
    path = tmp_path / "fresh.db"
    path.touch()
    prepare_archive(path)
    assert set(TABLES) <= set(sqlite_utils.Database(path).table_names())
