"""`archive export --format jsonl|csv`: every article with its trail and related block, as a file or on stdout."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from conftest import run_archive
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter
from test_store import article, related

ARTICLES = [
    article("http://example.com/a/1.html", "第一篇的正文，说的是河边的磨坊。", title="河边的磨坊",
            related=related("http://example.com/a/2.html", "http://example.com/a/9.html")),
    article("http://example.com/a/2.html", "A body with a comma, a \"quote\"\nand a second line.", title="Commas, quotes",
            fetched_at="2025-04-01T08:00:00+00:00", language="en"),
    article("http://other.example/b/3.html", "另一个站点的文章。", title="另一个站点", site="other",
            breadcrumbs=[], fetched_at="2025-05-01T08:00:00+00:00"),
]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "archive.db"
    writer = ArchiveWriter(open_archive(path))
    writer.start_run(site="example")
    for item in ARTICLES:
        writer.add_article(item)
    writer.finish_run("finished")
    writer.db.close()
    return path


def expected(db_path) -> list[dict]:
    """What the archive holds, read straight from SQLite."""
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute("SELECT * FROM articles ORDER BY id")]
        for row in rows:
            row["breadcrumbs"] = [dict(c) for c in db.execute(
                "SELECT name, url FROM breadcrumbs WHERE article_id = ? ORDER BY position", [row["id"]])]
            row["related"] = [dict(r) for r in db.execute(
                "SELECT title, url, snippet, target_id FROM related_links WHERE article_id = ? ORDER BY position",
                [row["id"]])]
    return rows


def test_jsonl_holds_every_column_and_the_nested_trail_and_related_block(db_path, tmp_path):
    out = tmp_path / "articles.jsonl"
    result = run_archive("export", "--format", "jsonl", "-o", str(out), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 3, "format": "jsonl", "out": str(out)}
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert exported == expected(db_path)
    assert exported[0]["related"][0] == {"title": "相关 http://example.com/a/2.html", "url": "http://example.com/a/2.html",
                                         "snippet": "针对不同平台…", "target_id": exported[1]["id"]}
    assert exported[0]["breadcrumbs"] == [{"name": "首页", "url": "http://example.com/"}, {"name": "正文", "url": None}]


def test_csv_reads_back_to_the_same_articles(db_path, tmp_path):
    out = tmp_path / "articles.csv"
    assert run_archive("export", "--format", "csv", "-o", str(out), "--db", str(db_path)).returncode == 0
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    want = expected(db_path)
    assert [row["body_text"] for row in rows] == [a["body_text"] for a in want]   # commas, quotes, newlines survive
    assert [json.loads(row["related"]) for row in rows] == [a["related"] for a in want]
    assert [json.loads(row["breadcrumbs"]) for row in rows] == [a["breadcrumbs"] for a in want]
    assert list(rows[0]) == list(want[0])


def test_stdout_export_filters_by_site_and_date(db_path):
    result = run_archive("export", "--format", "jsonl", "--site", "example", "--since", "2025-04-01", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["title"] for line in io.StringIO(result.stdout)] == ["Commas, quotes"]
    assert json.loads(result.stderr.strip().splitlines()[-1])["articles"] == 1


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "invalid choice"),
    (["--format", "jsonl", "--wacz", "x.wacz"], "not allowed with"),
    ([], "one of the arguments --wacz --format is required"),
])
def test_a_wrong_request_is_a_usage_error(db_path, args, message):
    result = run_archive("export", *args, "--db", str(db_path))
    assert result.returncode == 2 and message in result.stderr


def test_a_missing_archive_is_named(tmp_path):
    result = run_archive("export", "--format", "csv", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and "no archive at" in result.stderr
