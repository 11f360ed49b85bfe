"""Crawls keep every response verbatim as WARC beside the archive, indexed in `captures`."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
import zipfile

import pytest
import sqlite_utils

from conftest import FIXTURES, crawl, run_archive
from crawler import api
from crawler.demosite.server import serve_directory
from livesite import LiveSite, article_page, fill, paragraphs, serve_live_site
from pipelines import captures
from warcs import article, response, write_warc

ZIPPED = gzip.compress((FIXTURES / "minisite" / "a" / "1003.html").read_bytes(), mtime=0)


def rows(db, sql, params=()):
    return list(sqlite_utils.Database(db).query(sql, params))


def test_every_response_is_captured_as_it_came(tmp_path):
    overrides = {"/list_2.html": (301, {"Location": "/list_3.html"}, b""),
                 "/list_3.html": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                  gzip.compress((FIXTURES / "minisite" / "list_2.html").read_bytes(), mtime=0)),
                 "/a/1003.html": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip",
                                        "X-Odd-Header": "kept"}, ZIPPED)}
    db = tmp_path / "archive.db"
    with serve_directory(FIXTURES / "minisite", overrides=overrides) as base:
        run = crawl(base + "/", "--db", str(db))
    shots = rows(db, "select * from captures order by offset")
    by_path = {}
    for shot in shots:
        by_path.setdefault(shot["url"][len(base):], []).append(shot)
    assert {"/robots.txt", "/sitemap.xml", "/", "/list_2.html", "/list_3.html", "/a/1001.html",
            "/a/missing.html"} <= set(by_path)
    assert by_path["/list_2.html"][0]["status"] == 301 and by_path["/a/missing.html"][0]["status"] == 404
    assert all(s["source"] == "crawl" and s["run_id"] == run["id"] and s["record_type"] == "response" for s in shots)
    assert len({s["record_id"] for s in shots}) == len(shots)
    # the article links to its capture; the bytes read back are the bytes sent, still gzip, with every header
    (zipped,) = by_path["/a/1003.html"]
    article = rows(db, "select id from articles where url = ?", [base + "/a/1003.html"])[0]
    assert zipped["article_id"] == article["id"]
    headers, payload = captures.read(zipped, db.parent)
    assert payload == ZIPPED and headers.get_header("X-Odd-Header") == "kept"
    assert headers.get_header("Content-Encoding") == "gzip" and headers.get_statuscode() == "200"
    redirect_headers, _ = captures.read(by_path["/list_2.html"][0], db.parent)
    assert redirect_headers.get_header("Location") == "/list_3.html"
    # one gzip member per record, in files beside the archive
    files = list((tmp_path / "archive-warc").glob("*.warc.gz"))
    assert len(files) == 1 and zipped["file"] == f"archive-warc/{files[0].name}"


@pytest.fixture
def site():
    with serve_live_site(LiveSite()) as live:
        yield live


def test_a_changed_article_keeps_both_raw_pages(site, tmp_path):
    db = tmp_path / "x.db"
    fill(site, 3)
    crawl(site.base + "/", "--db", str(db))
    first = site.pages["/a/2.html"].body
    site.put("/a/2.html", article_page("第2篇：老茶馆", paragraphs(2, version=2)))
    second = site.pages["/a/2.html"].body
    time.sleep(1)
    run = crawl(site.base + "/", "--db", str(db), "-s", "ARCHIVE_RECRAWL_AFTER=0")
    assert run["changed"] == 1
    (article,) = rows(db, "select id from articles where url = ?", [site.base + "/a/2.html"])
    history = rows(db, "select * from captures where article_id = ? and status = 200 order by timestamp, id",
                   [article["id"]])
    assert [captures.read(shot, db.parent)[1] for shot in history] == [first, second]
    assert len(rows(db, "select * from revisions where article_id = ?", [article["id"]])) == 1
    # the unchanged ones answered 304 the second time: captured too
    assert rows(db, "select count(*) n from captures where status = 304")[0]["n"] == 2


def test_files_rotate_by_size_and_captures_can_be_switched_off(site, tmp_path):
    fill(site, 4)
    crawl(site.base + "/", "--db", str(tmp_path / "small.db"), "-s", "ARCHIVE_WARC_MAX_SIZE=1500",
          "-s", "ARCHIVE_BATCH_SIZE=2")
    files = sorted((tmp_path / "small-warc").glob("*.warc.gz"))
    shots = rows(tmp_path / "small.db", "select file from captures")
    assert len(files) > 2 and {s["file"] for s in shots} == {f"small-warc/{f.name}" for f in files}
    # indexed two at a time, every article's page is still linked to its capture
    unlinked = rows(tmp_path / "small.db", "select a.url from articles a left join captures c "
                                           "on c.article_id = a.id and c.status = 200 where c.id is null")
    assert unlinked == []
    crawl(site.base + "/", "--db", str(tmp_path / "bare.db"), "-s", "ARCHIVE_WARC=false")
    assert not (tmp_path / "bare-warc").exists()
    assert rows(tmp_path / "bare.db", "select count(*) n from captures")[0]["n"] == 0


def test_a_crawls_warc_files_import_into_the_same_articles(site, tmp_path):
    fill(site, 4)
    crawl(site.base + "/", "--db", str(tmp_path / "crawled.db"))
    files = sorted(str(f) for f in (tmp_path / "crawled-warc").glob("*.warc.gz"))
    run = api.import_warc(files, db=tmp_path / "imported.db")
    assert run["new"] == 4 and run["failed"] == 0
    sql = "select url, content_hash from articles order by url"
    assert rows(tmp_path / "imported.db", sql) == rows(tmp_path / "crawled.db", sql)


def test_export_wacz_validates_and_holds_every_capture(site, tmp_path):
    fill(site, 3)
    db = tmp_path / "x.db"
    crawl(site.base + "/", "--db", str(db))
    warc = write_extra_import(tmp_path, db)
    out = tmp_path / "out.wacz"
    result = run_archive("export", "--wacz", str(out), "--db", str(db))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    total = rows(db, "select count(*) n from captures")[0]["n"]
    assert report["captures"] == total and report["pages"] == 4
    check = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(out) as z:
        assert z.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        data = z.read("archive/data.warc.gz")
        blocks = z.read("indexes/index.cdx.gz")
        meta, *block_lines = z.read("indexes/index.idx").decode().splitlines()
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode().splitlines()]
    lines = gzip.decompress(blocks).decode().splitlines()
    assert len(lines) == total and lines == sorted(lines)
    assert meta.startswith("!meta 0 ") and block_lines
    for entry in block_lines:   # ZipNum: each block line points at a gzip block that starts with its key
        key, where = entry.split(" {", 1)
        where = json.loads("{" + where)
        assert gzip.decompress(blocks[where["offset"]:where["offset"] + where["length"]]).decode().startswith(key)
    for line in lines:   # every index line points at its record
        fields = json.loads(line.split(" ", 2)[2])
        start, length = int(fields["offset"]), int(fields["length"])
        assert fields["url"].encode() in gzip.decompress(data[start:start + length])
    assert {p["url"] for p in pages[1:]} == {site.base + f"/a/{n}.html" for n in (1, 2, 3)} | {warc}
    only = run_archive("export", "--wacz", str(tmp_path / "since.wacz"), "--db", str(db), "--since", "2100-01-01")
    assert json.loads(only.stdout)["captures"] == 0


def write_extra_import(tmp_path, db) -> str:
    """An uncompressed WARC imported into the same archive: its record goes in the WACZ gzipped."""
    write_warc(tmp_path / "plain.warc", lambda w: [response(w, "http://blog.example/a/9.html", article(9))],
               gzip=False)
    api.import_warc([str(tmp_path / "plain.warc")], db=db)
    return "http://blog.example/a/9.html"
