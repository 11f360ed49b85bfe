"""`archive import`: articles out of WARC / WACZ files, with provenance, resumable, robust to broken files."""
from __future__ import annotations

import gzip
import io
import os
import signal
import subprocess
import sys
import time
import zlib

import brotli
import pytest
import sqlite_utils

from conftest import run_archive
from crawler import api
from crawler.payload import decode_payload
from warcs import article, articles_warc, range_server, response, revisit, wacz, write_warc

URL = "http://blog.example/a/1.html"


def chunked(data: bytes, size: int = 100) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size])
                    for i in range(0, len(data), size)) + b"0\r\n\r\n"


def deflated(data: bytes, raw: bool = False) -> bytes:
    c = zlib.compressobj(wbits=-15 if raw else 15)
    return c.compress(data) + c.flush()


PAGE = article(1)
HTML = ("Content-Type", "text/html; charset=utf-8")
# (name, payload bytes as stored, headers): every way a payload reaches a WARC, and headers that lie.
VARIANTS = [
    ("identity", PAGE, [HTML, ("Content-Length", str(len(PAGE)))]),
    ("gzip", gzip.compress(PAGE), [HTML, ("Content-Encoding", "gzip")]),
    ("deflate", deflated(PAGE), [HTML, ("Content-Encoding", "deflate")]),
    ("raw deflate", deflated(PAGE, raw=True), [HTML, ("Content-Encoding", "deflate")]),
    ("br", brotli.compress(PAGE), [HTML, ("Content-Encoding", "br")]),
    ("chunked", chunked(PAGE), [HTML, ("Transfer-Encoding", "chunked")]),
    ("chunked gzip", chunked(gzip.compress(PAGE)), [HTML, ("Transfer-Encoding", "chunked"),
                                                    ("Content-Encoding", "gzip")]),
    ("gzip, no header", gzip.compress(PAGE), [HTML]),
    ("headers lie: already decoded", PAGE, [HTML, ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]),
    ("headers lie: br over plain", PAGE, [HTML, ("Content-Encoding", "br")]),
]


@pytest.mark.parametrize("name,payload,headers", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_payload_variant_decodes_to_the_page(name, payload, headers):
    h = {k.lower(): v for k, v in headers}
    assert decode_payload(payload, h.get("transfer-encoding", ""), h.get("content-encoding", "")) == PAGE


def test_decompression_stops_at_the_limit():
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000)
    assert len(decode_payload(bomb, "", "gzip", limit=1000)) == 1000


@pytest.fixture
def db(tmp_path):
    return tmp_path / "archive.db"


def rows(db, sql, params=()):
    return list(sqlite_utils.Database(db).query(sql, params))


def test_import_stores_every_variant_as_a_crawl_would(tmp_path, db):
    warc = tmp_path / "variants.warc.gz"
    write_warc(warc, lambda w: [response(w, f"http://blog.example/a/{n}.html", payload, headers,
                                         date=f"2024-05-0{1 + n % 9}T10:00:00Z")
                                for n, (_, payload, headers) in enumerate(VARIANTS)])
    run = api.import_warc([str(warc)], db=db)
    assert run["status"] == "finished" and run["new"] == run["articles"] == len(VARIANTS)
    articles = rows(db, "select * from articles order by id")
    # every variant decoded to the same page: one content, the later ones exact copies of the first
    assert len({a["content_hash"] for a in articles}) == 1 and "小店" in articles[0]["body_text"]
    assert all(a["site"] == "blog.example" for a in articles)
    raws = rows(db, "select html_zlib from raw_pages")
    assert all(zlib.decompress(r["html_zlib"]) == PAGE for r in raws)
    captures = rows(db, "select * from captures order by offset")
    assert [c["article_id"] for c in captures] == [a["id"] for a in articles]
    assert [c["timestamp"] for c in captures][:2] == ["2024-05-01T10:00:00+00:00", "2024-05-02T10:00:00+00:00"]
    assert all(c["file"] == str(warc.resolve()) and c["length"] > 0 and c["record_id"].startswith("<urn:uuid:")
               for c in captures)
    # offset and length locate each record: its gzip member alone reads back as that record
    data = warc.read_bytes()
    first = captures[0]
    member = gzip.decompress(data[first["offset"]:first["offset"] + first["length"]])
    assert member.startswith(b"WARC/1.") and first["record_id"].encode() in member


def test_fetched_at_is_the_warc_date_and_publication_date_comes_from_the_page(tmp_path, db):
    page = article(2).replace(b"<title>", b'<meta property="article:published_time" content="2023-03-04T05:06:07+08:00"><title>')
    write_warc(tmp_path / "d.warc.gz", lambda w: [response(w, URL, page, date="2024-06-07T08:09:10Z")])
    api.import_warc([str(tmp_path / "d.warc.gz")], db=db)
    (a,) = rows(db, "select a.first_seen, a.published_at, r.fetched_at from articles a join raw_pages r on r.article_id = a.id")
    assert a["first_seen"] == a["fetched_at"] == "2024-06-07T08:09:10+00:00"
    assert a["published_at"].startswith("2023-03-04")


def test_non_html_errors_and_unmatched_records_are_skipped(tmp_path, db):
    def build(w):
        return [response(w, "http://blog.example/logo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(500),
                         [("Content-Type", "image/png")]),
                response(w, "http://blog.example/a/9.html", article(9), status="404 Not Found"),
                response(w, "http://blog.example/a/3.html", article(3)),
                response(w, "http://other.example/a/4.html", article(4)),
                w.create_warc_record("http://blog.example/", "metadata", payload=io.BytesIO(b"x: y\n"),
                                     warc_content_type="application/warc-fields")]
    write_warc(tmp_path / "m.warc.gz", build)
    run = api.import_warc([str(tmp_path / "m.warc.gz")], db=db, match=r"^http://blog\.example/")
    assert run["records"] == 5 and run["articles"] == 1 and run["skipped"] == 4
    assert [a["url"] for a in rows(db, "select url from articles")] == ["http://blog.example/a/3.html"]


def test_revisits_resolve_to_their_record_or_are_recorded(tmp_path, db):
    def build(w):
        first = response(w, URL, article(1), date="2024-01-01T00:00:00Z")
        stranger = response(w, "http://blog.example/a/7.html", article(7), date="2023-01-01T00:00:00Z")
        return [first, revisit(w, first, date="2024-02-01T00:00:00Z"), revisit(w, stranger, date="2024-03-01T00:00:00Z")]
    write_warc(tmp_path / "r.warc.gz", build)
    run = api.import_warc([str(tmp_path / "r.warc.gz")], db=db)
    assert run["revisits"] == 2 and run["new"] == 1
    (a,) = rows(db, "select * from articles")
    assert a["first_seen"] == "2024-01-01T00:00:00+00:00" and a["last_seen"] == "2024-02-01T00:00:00+00:00"
    resolved, unknown = rows(db, "select * from captures where record_type = 'revisit' order by timestamp")
    first = rows(db, "select record_id from captures where record_type = 'response'")[0]["record_id"]
    assert resolved["article_id"] == a["id"] and resolved["refers_to"] == first
    assert unknown["article_id"] is None and unknown["refers_to"].startswith("<urn:uuid:")


def test_reimporting_the_same_file_adds_nothing(tmp_path, db):
    warc = articles_warc(tmp_path / "a.warc.gz", 5)
    api.import_warc([str(warc)], db=db)
    tables = ("articles", "captures", "raw_pages", "revisions", "failures", "import_errors")
    before = {t: rows(db, f"select * from {t}") for t in tables}
    again = api.import_warc([str(warc)], db=db)
    assert again["records"] == 0 and again["new"] == 0
    assert {t: rows(db, f"select * from {t}") for t in tables} == before


def test_wacz_and_urls_are_streamed(tmp_path, db):
    served = tmp_path / "served"
    served.mkdir()
    articles_warc(served / "one.warc.gz", 3)
    write_warc(served / "two.warc", lambda w: [response(w, f"http://news.example/a/{n}.html", article(10 + n)) for n in range(2)],
        gzip=False)
    wacz(served / "both.wacz", [served / "one.warc.gz", served / "two.warc"])
    with range_server(served) as base:
        run = api.import_warc([f"{base}/both.wacz"], db=db)
        assert run["articles"] == 5 and run["new"] == 5
        other = tmp_path / "other.db"
        assert api.import_warc([f"{base}/one.warc.gz", str(served / "two.warc")], db=other)["new"] == 5
    files = [r["file"] for r in rows(db, "select file from import_files order by file")]
    assert files == [f"{base}/both.wacz#archive/one.warc.gz", f"{base}/both.wacz#archive/two.warc"]


def test_a_corrupt_record_is_recorded_and_the_import_goes_on(tmp_path, db):
    good = articles_warc(tmp_path / "good.warc.gz", 6).read_bytes()
    offsets = [c["offset"] for c in rows(_import(tmp_path / "good.warc.gz", tmp_path / "probe.db"),
                                         "select offset from captures order by offset")]
    broken = bytearray(good)
    start = offsets[2]
    broken[start + 30:start + 60] = b"\x00" * 30          # the third record's gzip member is damaged
    (tmp_path / "bad.warc.gz").write_bytes(bytes(broken))
    run = api.import_warc([str(tmp_path / "bad.warc.gz")], db=db)
    assert run["status"] == "finished" and run["new"] == 5 and run["failed"] == 1
    (error,) = rows(db, "select * from import_errors")
    assert error["offset"] > offsets[1] and error["offset"] <= start + 1


def test_garbage_between_records_is_stepped_over(tmp_path, db):
    good = articles_warc(tmp_path / "good.warc.gz", 4).read_bytes()
    offsets = [c["offset"] for c in rows(_import(tmp_path / "good.warc.gz", tmp_path / "probe.db"),
                                         "select offset from captures order by offset")]
    (tmp_path / "bad.warc.gz").write_bytes(good[:offsets[2]] + b"not a record at all " * 40 + good[offsets[2]:])
    run = api.import_warc([str(tmp_path / "bad.warc.gz")], db=db)
    assert run["new"] == 4 and run["failed"] == 1


def test_a_truncated_file_is_recorded_with_what_came_before(tmp_path, db):
    good = articles_warc(tmp_path / "good.warc.gz", 4).read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(good[:-200])
    run = api.import_warc([str(tmp_path / "cut.warc.gz")], db=db)
    assert run["status"] == "finished" and run["new"] == 3 and run["failed"] == 1
    (state,) = rows(db, "select * from import_files")
    assert state["status"] == "truncated" and "truncated" in state["error"]
    (error,) = rows(db, "select * from import_errors")
    assert error["offset"] == state["offset"]


def _import(warc, db):
    api.import_warc([str(warc)], db=db)
    return db


def test_kill_9_during_import_then_rerun_equals_one_import(tmp_path):
    warc = articles_warc(tmp_path / "many.warc.gz", 120)
    whole = _import(warc, tmp_path / "whole.db")
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "import", str(warc), "--db", str(killed),
                             "-s", "ARCHIVE_BATCH_SIZE=10"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists():
            with sqlite_utils.Database(killed) as probe:
                if "import_files" in probe.table_names() and probe.execute(
                        "select count(*) from import_files where status = 'partial' and offset > 0").fetchone()[0]:
                    break
        time.sleep(0.05)
    assert proc.poll() is None, "the import ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = rows(killed, "select count(*) n from articles")[0]["n"]
    assert 0 < partial < 120
    result = run_archive("import", str(warc), "--db", str(killed))
    assert result.returncode == 0, result.stderr
    statuses = [r["status"] for r in rows(killed, "select status from import_runs order by id")]
    assert statuses == ["interrupted", "finished"]
    columns = "url, content_hash, first_seen, last_seen"
    for sql in (f"select {columns} from articles order by url",
                "select url, timestamp, digest, offset, length, record_id, article_id from captures order by offset",
                "select article_id, fetched_at, html_zlib from raw_pages order by article_id",
                "select file, offset, records, status from import_files"):
        assert rows(killed, sql) == rows(whole, sql)


def test_import_command_line(tmp_path):
    warc = articles_warc(tmp_path / "a.warc.gz", 2)
    result = run_archive("import", str(warc), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 0 and '"new": 2' in result.stdout
    missing = run_archive("import", str(tmp_path / "nope.warc.gz"), "--db", str(tmp_path / "x.db"))
    assert missing.returncode == 2 and "no such WARC" in missing.stderr
    bad = run_archive("import", str(warc), "--match", "(", "--db", str(tmp_path / "x.db"))
    assert bad.returncode == 2


def test_a_site_profile_names_the_site_and_keeps_to_its_domains(tmp_path, db):
    profile = tmp_path / "notes.toml"
    profile.write_text('name = "notes"\nallowed_domains = ["blog.example"]\nskip_urls = [\'/a/2\\.html$\']\n'
                       '[selectors]\ntitle = "article.post h1"\n', encoding="utf-8")
    write_warc(tmp_path / "p.warc.gz", lambda w: [response(w, f"http://blog.example/a/{n}.html", article(n))
                                                  for n in (1, 2)]
               + [response(w, "http://elsewhere.example/a/3.html", article(3))])
    run = api.import_warc([str(tmp_path / "p.warc.gz")], db=db, site=str(profile))
    assert run["site"] == "notes" and run["new"] == 1 and run["skipped"] == 2
    (a,) = rows(db, "select site, url, title from articles")
    assert (a["site"], a["url"], a["title"]) == ("notes", URL, "第1篇：小城散记")
