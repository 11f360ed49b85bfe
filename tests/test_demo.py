"""The demo site, crawled as `make demo` does: every article with its trail and related links."""
from __future__ import annotations

import json
from pathlib import Path

from crawler.demosite.generate import build_site
from crawler.demosite.server import serve_directory

from conftest import run_archive

SITES = Path(__file__).resolve().parents[1] / "sites"

BOILERPLATE = ("最新文章", "Latest posts", "广告位", "版权所有", "相关文章", "当前位置", "siteStats")


def test_demo_crawl_archives_every_article_with_trail_and_related(tmp_path, read_db):
    root = tmp_path / "site"
    root.mkdir()
    with serve_directory(root) as base:
        manifest = build_site(root, pages=60, base_url=base)
        result = run_archive("crawl", base + "/", "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr[-3000:]
    db = read_db(tmp_path / "demo.db")
    rows = {row["url"][len(base):]: row for row in db["articles"].rows}
    expected = {a["path"]: a for a in manifest["articles"]}
    assert set(rows) == set(expected)  # every article, and no listing page

    ids = {path: row["id"] for path, row in rows.items()}
    for path, article in expected.items():
        row = rows[path]
        assert row["title"] == article["title"], path
        assert row["language"] == article["language"], path
        crumbs = [(c["name"], c["url"]) for c in
                  db["breadcrumbs"].rows_where("article_id = ?", [row["id"]], order_by="position")]
        assert crumbs == [(c["name"], c["url"] and base + c["url"]) for c in article["breadcrumbs"]], path
        related = [r["url"] for r in
                   db["related_links"].rows_where("article_id = ?", [row["id"]], order_by="position")]
        assert related == [base + p for p in article["related"]], path
        for phrase in BOILERPLATE:
            assert phrase not in row["body_text"], (path, phrase)
        if article["duplicate_of"]:  # one of the pair points at the other, whichever came first
            pair = {row["duplicate_of"], rows[article["duplicate_of"]]["duplicate_of"]}
            assert pair in ({None, ids[path]}, {None, ids[article["duplicate_of"]]}), path
    assert db.execute("select count(*) from related_links where target_id is null").fetchone()[0] == 0
    run = json.loads(result.stdout)
    assert run["new"] == len(expected) and run["failed"] == 0


def test_demo_crawl_with_its_site_profile(tmp_path, read_db):
    root = tmp_path / "site"
    root.mkdir()
    with serve_directory(root) as base:
        manifest = build_site(root, pages=20, base_url=base)
        result = run_archive("crawl", base + "/", "--site", str(SITES / "demo.toml"),
                             "--db", str(tmp_path / "demo.db"))
    assert result.returncode == 0, result.stderr[-3000:]
    db = read_db(tmp_path / "demo.db")
    titles = {row["url"][len(base):]: row["title"] for row in db["articles"].rows}
    assert titles == {a["path"]: a["title"] for a in manifest["articles"]}
    assert {row["site"] for row in db["articles"].rows} == {"demo"}
