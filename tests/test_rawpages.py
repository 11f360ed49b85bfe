"""Raw pages: zlib until a site has enough pages, then zstd with the site's dictionary; read back byte for byte."""
import random
import zlib


from crawler import api
from pipelines import rawpages
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter
from tests.conftest import archive_before
from tests.test_store import article

WORDS = ("缓存", "索引", "线程", "队列", "部署", "cache", "index", "worker", "queue", "deploy", "的", "了", "在")


def page(n: int, site: str) -> bytes:
    """A page of `site`: its own shared frame around a body of varied text (written for this test)."""
    rng = random.Random(f"{site}{n}")
    paragraphs = "".join(f"<p>{' '.join(rng.choices(WORDS, k=60))}</p>" for _ in range(12))
    menu = "".join(f'<li><a href="/{site}/{k}.html">{site} 栏目 {k}</a></li>' for k in range(40))
    return (f'<html><head><meta charset="utf-8"><title>{site} 第{n}篇</title>'
            f'<link rel="stylesheet" href="/{site}/style.css"></head><body><nav><ul>{menu}</ul></nav>'
            f'<article><h1>{site} 第{n}篇</h1>{paragraphs}</article>'
            f'<footer>{site} 版权所有 · 关于我们 · 联系方式 · 友情链接</footer></body></html>').encode()


def stored(db, site):
    """{url: (bytes read back, codec)} of a site's raw pages."""
    sql = (f"SELECT a.url, r.html_zstd IS NOT NULL, {rawpages.COLUMNS} "
           "FROM raw_pages AS r JOIN articles AS a ON a.id = r.article_id WHERE a.site = ?")
    return {url: (rawpages.html(*encoded), "zstd" if zstd else "zlib") for url, zstd, *encoded in db.execute(sql, [site])}


def add(writer, site, numbers):
    for n in numbers:
        writer.add_article(article(f"http://{site}.example/{n}.html", f"{site} 正文 {n}", site=site,
                                   raw_html=page(n, site), encoding="utf-8"))


def test_a_site_gets_its_dictionary_once_it_has_enough_pages(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    writer = ArchiveWriter(db, batch_size=10)
    writer.start_run()
    add(writer, "big", range(rawpages.TRAIN_PAGES - 1))
    add(writer, "small", range(3))
    writer.flush()
    assert {codec for _, codec in stored(db, "big").values()} == {"zlib"}
    first = "SELECT sum(length(coalesce(html_zstd, html_zlib))) FROM raw_pages WHERE article_id < ?"
    zlib_bytes = db.execute(first, [rawpages.TRAIN_PAGES]).fetchone()[0]   # the site's first pages
    add(writer, "big", range(rawpages.TRAIN_PAGES - 1, rawpages.TRAIN_PAGES + 5))   # reaches it, and more
    writer.finish_run("finished")
    big, small = stored(db, "big"), stored(db, "small")
    assert {codec for _, codec in big.values()} == {"zstd"} and {codec for _, codec in small.values()} == {"zlib"}
    assert {url: html for url, (html, _) in big.items()} == {
        f"http://big.example/{n}.html": page(n, "big") for n in range(rawpages.TRAIN_PAGES + 5)}
    assert [html for html, _ in small.values()] == [page(n, "small") for n in range(3)]
    [(site, trained_on)] = db.execute("SELECT site, pages FROM raw_page_dictionaries").fetchall()
    assert site == "big" and trained_on >= rawpages.TRAIN_PAGES   # the pages it had when the batch reached it
    assert db.execute(first, [rawpages.TRAIN_PAGES]).fetchone()[0] < 0.8 * zlib_bytes   # their frame stored once
    db.close()


def test_an_archive_from_before_is_recompressed_and_reparses(tmp_path):
    """An archive from before (every raw page zlib) gets its dictionaries on open; reparse reads the pages."""
    path = tmp_path / "old.db"
    old = archive_before(path, "_add_raw_page_dictionaries")
    old["raw_page_dictionaries"].drop()
    old["raw_pages"].drop()
    old["raw_pages"].create({"article_id": int, "fetched_at": str, "http_status": int, "encoding": str,
                             "encoding_source": str, "headers": str, "html_zlib": bytes}, pk="article_id")
    numbers = range(1, rawpages.TRAIN_PAGES + 3)
    old["articles"].insert_all({"id": n, "url": f"http://old.example/{n}.html", "site": "old"} for n in numbers)
    old["raw_pages"].insert_all({"article_id": n, "fetched_at": "2025-03-05T06:30:00+00:00", "encoding": "utf-8",
                                 "html_zlib": zlib.compress(page(n, "old"))} for n in numbers)
    old.conn.commit()
    old.conn.close()

    db = open_archive(path)
    assert {codec for _, codec in stored(db, "old").values()} == {"zstd"}
    assert {url: html for url, (html, _) in stored(db, "old").items()} == {
        f"http://old.example/{n}.html": page(n, "old") for n in numbers}
    db.close()
    report = api.reparse(db=str(path))
    assert report["articles"] == len(numbers) and report["failed"] == 0
