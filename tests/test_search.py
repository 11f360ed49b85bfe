"""Search: segmentation, the match expression and snippet, index upkeep in the store, and the LIKE oracle."""
import re
import sqlite3
from pathlib import Path

import pytest
import rjieba
from hypothesis import given, settings, strategies as st

from crawler.serve import metadata_for
from pipelines import search
from pipelines.schema import MIGRATIONS, open_archive
from pipelines.store import ArchiveWriter
from tests.conftest import archive_before
from tests.oracle import like_scan
from tests.test_store import article


def searched(conn, q) -> set[int]:
    sql = f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH ?"
    return {r[0] for r in conn.execute(sql, [search.match_expression(q)])}


@pytest.mark.parametrize("text, tokens", [
    ("池化方法", "池 化 方 法"),
    ("Python爬虫", "Python 爬 虫"),
    ("machine learning", "machine learning"),
    ("池，化", f"池 {search.BREAK} 化"),
    ("Python 爬虫", f"Python {search.BREAK} 爬 虫"),
    ("snake_case 3.14", f"snake {search.BREAK} case 3 {search.BREAK} 14"),
    ("", ""),
])
def test_segment(text, tokens):
    assert search.segment(text).split() == tokens.split()


@pytest.mark.parametrize("q, expression", [
    ("池化", '{title body} : ("池 化")'),
    ("池化 Python爬虫", '{title body} : ("池 化" AND "Python 爬 虫")'),
    ('"machine learning" 池', '{title body} : ("machine learning" AND "池")'),
    ("池化，", '{title body} : ("池 化")'),
    ('"', search.NO_MATCH),
    ("  + ", search.NO_MATCH),
    (None, search.NO_MATCH),
])
def test_match_expression(q, expression):
    assert search.match_expression(q) == expression


def test_snippet_marks_matches_in_the_original_text():
    text = "开头。" * 30 + "平均池化和最大池化，用Python爬虫抓取数据。" + "结尾。" * 40
    got = search.snippet(text, "池化 python爬虫")
    assert got.startswith("…") and got.endswith("…")
    assert "平均<mark>池化</mark>和最大<mark>池化</mark>，用<mark>Python爬虫</mark>抓取" in got
    assert search.snippet("CPython is not python", "python") == "CPython is not <mark>python</mark>"
    assert search.snippet("<b>池化</b>", "池化") == "<b><mark>池化</mark></b>"   # raw text: the viewer escapes


def test_jieba_words_feed_the_plain_search_box():
    assert {"池化", "向量"} <= set(search.jieba_words("文本向量的池化方法 and English").split())


def test_jieba_words_are_those_of_one_cut_per_run():
    text = "文本向量的池化方法，Python爬虫教程 日本語のテキスト、한국어 문장 中文分词工具。"
    one_by_one = [word for run in search._CJK_RUN.findall(text) if len(run) > 1
                  for word in rjieba.cut(run) if len(word) > 1]
    assert search.jieba_words(text).split() == one_by_one


def test_prepared_values_are_used_only_for_the_content_they_were_made_of():
    article = {"title": "池化", "body_text": "文本向量的池化方法", "content_hash": "h1"}
    made = search.index_row(7, article)
    assert search.index_row(7, article, search.prepared_values(article)) == made
    stale = ["h0", "旧 的", "旧 的 正 文", "旧的"]   # made for another content: not written
    assert search.index_row(7, article, stale) == made


# -- exactness: the index finds what a LIKE scan finds -----------------------

PIECES = ["池", "化", "向", "量", "爬", "虫", " ", "，", "\n", "_", ".", "Py", "py", "thon", "CPython", "3", "池化"]
QUERIES = ["池", "化", "池化", "化池", "向量", "python", "Python爬虫", "thon", "py", "池化 向量", "python 池",
           "3", "虫，", "cpython", "池化向量"]
texts = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=60, deadline=None)
@given(docs=st.lists(st.tuples(texts, texts), min_size=1, max_size=12))
def test_index_matches_a_like_scan(docs):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body_text TEXT)")
    conn.executemany("INSERT INTO articles VALUES (?, ?, ?)", [(i, t, b) for i, (t, b) in enumerate(docs, 1)])
    search.create_index(conn)
    search.reindex_all(conn)
    for q in QUERIES:
        assert searched(conn, q) == like_scan(conn, q), (q, docs)


# -- upkeep: the store keeps the index in step --------------------------------

def test_store_indexes_new_and_changed_articles(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    writer = ArchiveWriter(db)
    writer.start_run(site="example")
    writer.add_article(article("http://example.com/1", "平均池化的做法", title="池化"))
    writer.add_article(article("http://example.com/2", "A crawler in Python", title="crawler"))
    writer.finish_run("finished")
    assert searched(db.conn, "池化") == {1} and searched(db.conn, "python") == {2}
    writer = ArchiveWriter(db)
    writer.start_run(site="example")
    writer.add_article(article("http://example.com/1", "最大值的做法", title="新标题"))   # changed
    writer.add_article(article("http://example.com/2", "A crawler in Python", title="crawler"))  # unchanged
    writer.finish_run("finished")
    assert searched(db.conn, "池化") == set() and searched(db.conn, "最大") == {1}
    assert searched(db.conn, "python") == {2}
    assert db.execute(f"SELECT count(*) FROM {search.FTS_TABLE}").fetchone()[0] == 2
    db.close()


def test_migration_back_fills_an_existing_archive(tmp_path):
    path = tmp_path / "old.db"
    old = archive_before(path, "_add_search")
    old["articles"].insert_all([{"id": 7, "url": "http://example.com/7", "title": "旧文章", "body_text": "讲池化"},
                                {"id": 8, "url": "http://example.com/8", "title": "Old", "body_text": "python"}])
    old.conn.commit()
    old.conn.close()
    db = open_archive(path)
    assert searched(db.conn, "池化") == {7} and searched(db.conn, "python") == {8}
    db.close()


def ranked(conn, q) -> list[tuple[int, float]]:
    sql = f"SELECT rowid, rank FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH ? ORDER BY rank, rowid"
    return conn.execute(sql, [search.match_expression(q)]).fetchall()


def test_contentless_migration_answers_as_before(tmp_path):
    """An archive whose index kept a copy of the text is rebuilt contentless on open:
    the same matches, the same ranks, and a later change still forgets the old text."""
    path = tmp_path / "archive.db"
    db = open_archive(path)
    writer = ArchiveWriter(db)
    writer.start_run(site="example")
    for n, (title, body) in enumerate([("池化", "平均池化与最大池化"), ("Crawler", "A crawler in Python, 爬虫"),
                                       ("向量", "文本向量的池化方法 Python")], 1):
        writer.add_article(article(f"http://example.com/{n}", body, title=title))
    writer.finish_run("finished")
    db.execute(f"DROP TABLE {search.FTS_TABLE}")   # the index as the schema before made it: text kept
    db.execute(f"CREATE VIRTUAL TABLE {search.FTS_TABLE} USING fts5(title, body, words, "
               "tokenize = 'unicode61 remove_diacritics 0')")
    db.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('rank', 'bm25(10.0, 1.0, 1.0)')")
    search.index_articles(db.conn, [(r["id"], r) for r in db["articles"].rows])
    db.execute(f"PRAGMA user_version={[m.__name__ for m in MIGRATIONS].index('_search_without_text')}")
    db.conn.commit()
    queries = ["池化", "python", "爬虫 python", "向量", "最大池化"]
    before = {q: ranked(db.conn, q) for q in queries}
    assert db.execute(f"SELECT count(body) FROM {search.FTS_TABLE}").fetchone()[0] == 3
    db.close()

    db = open_archive(path)
    assert {q: ranked(db.conn, q) for q in queries} == before and before["池化"]
    assert db.execute(f"SELECT count(*), count(body) FROM {search.FTS_TABLE}").fetchone() == (3, 0)
    writer = ArchiveWriter(db)
    writer.start_run(site="example")
    writer.add_article(article("http://example.com/1", "换了正文", title="新标题"))
    writer.finish_run("finished")
    assert searched(db.conn, "池化") == {3} and searched(db.conn, "正文") == {1}
    db.close()


def test_replacing_a_row_the_index_never_held():
    """FTS5 takes the delete of a row it does not hold for corruption: such a row is only added."""
    conn = sqlite3.connect(":memory:")
    search.create_index(conn)
    search.index_articles(conn, [(1, {"title": "新", "body_text": "池化"})], {1: {"title": "旧", "body_text": "向量"}})
    assert searched(conn, "池化") == {1} and searched(conn, "向量") == set()


def test_search_table_is_documented():
    """articles_fts is created by its migration, not TABLES: its columns are documented all the same."""
    described = metadata_for("archive.db")["databases"]["archive"]["tables"][search.FTS_TABLE]
    assert set(described["columns"]) == set(search.FTS_COLUMNS)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = re.search(rf"^### `{search.FTS_TABLE}`.*?(?=^### |^## |\Z)", readme, re.S | re.M).group(0)
    assert all(f"`{column}`" in section for column in search.FTS_COLUMNS)
