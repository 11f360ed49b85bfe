"""Reposts across two sites with different templates, crawled into one archive, then clustered."""
from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3

import pytest
import yaml

from conftest import run_archive
from crawler.demosite.server import serve_directory
from crawler.serve import METADATA_TEMPLATE
from twosites import build


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The aggregator crawled first (reposts before their originals), then the blog."""
    root = tmp_path_factory.mktemp("reposts")
    truth = build(root / "blog", root / "aggregator")
    db = root / "archive.db"
    with serve_directory(root / "blog") as blog, serve_directory(root / "aggregator") as aggregator:
        for base in (aggregator, blog):
            result = run_archive("crawl", base + "/", "--db", str(db))
            assert result.returncode == 0, result.stderr[-3000:]
        yield {"db": db, "truth": truth, "blog": blog, "aggregator": aggregator}


def rows(archive, sql, params=()):
    with contextlib.closing(sqlite3.connect(archive["db"])) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def by_url(archive):
    return {r["url"]: r for r in rows(archive, "SELECT * FROM articles")}


def cluster_pairs(articles: dict) -> set[frozenset]:
    clusters = {}
    for url, row in articles.items():
        clusters.setdefault(row["duplicate_of"] or row["id"], set()).add(url)
    return {frozenset(p) for group in clusters.values() for p in itertools.combinations(sorted(group), 2)}


def true_pairs(archive) -> set[frozenset]:
    truth, blog, aggregator = archive["truth"], archive["blog"], archive["aggregator"]
    clusters = {}
    for copy, original in truth["reposts"].items():
        clusters.setdefault(blog + original, {blog + original}).add(aggregator + copy)
    return {frozenset(p) for group in clusters.values() for p in itertools.combinations(sorted(group), 2)}


def test_reposts_point_at_the_dated_original_on_the_other_site(archive):
    articles = by_url(archive)
    assert len(articles) == len(archive["truth"]["blog"]) + len(archive["truth"]["aggregator"])
    for copy, original in archive["truth"]["reposts"].items():
        row = articles[archive["aggregator"] + copy]
        assert row["duplicate_of"] == articles[archive["blog"] + original]["id"], copy
        if copy in archive["truth"]["exact"]:
            assert row["similarity"] == 1.0
        else:
            assert 0.5 <= row["similarity"] < 1.0, copy
    for original in set(archive["truth"]["reposts"].values()):
        row = articles[archive["blog"] + original]
        assert row["duplicate_of"] is None and row["similarity"] is None


def test_pairs_precision_and_recall(archive):
    found, truth = cluster_pairs(by_url(archive)), true_pairs(archive)
    hits = len(found & truth)
    precision, recall = hits / len(found), hits / len(truth)
    assert precision >= 0.99 and recall >= 0.98, (found - truth, truth - found)


def test_articles_sharing_a_template_or_vocabulary_stay_apart(archive):
    articles = by_url(archive)
    clustered = {url for pair in cluster_pairs(articles) for url in pair}
    own = [archive["aggregator"] + p for p in archive["truth"]["aggregator"] if "/own-" in p]
    others = [archive["blog"] + p for p in archive["truth"]["blog"] if p not in archive["truth"]["reposts"].values()]
    assert own and others
    assert not clustered & set(own + others)


def test_rebuild_gives_the_same_clusters_and_follows_the_threshold(archive):
    before = {url: (r["duplicate_of"], r["similarity"]) for url, r in by_url(archive).items()}
    result = run_archive("dedupe", "--rebuild", "--db", str(archive["db"]))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fingerprinted"] == len(before)
    assert {url: (r["duplicate_of"], r["similarity"]) for url, r in by_url(archive).items()} == before

    strict = run_archive("dedupe", "--rebuild", "--db", str(archive["db"]), "-s", "DEDUPE_THRESHOLD=0.99")
    assert strict.returncode == 0, strict.stderr
    copies = {url for url, r in by_url(archive).items() if r["duplicate_of"]}
    assert copies == {archive["aggregator"] + p for p in archive["truth"]["exact"]}
    run_archive("dedupe", "--rebuild", "--db", str(archive["db"]))  # back to the default for the other tests


def test_dedupe_without_rebuild_continues_and_bad_input_is_clear(archive, tmp_path):
    result = run_archive("dedupe", "--db", str(archive["db"]))
    assert result.returncode == 0 and json.loads(result.stdout)["fingerprinted"] == 0
    missing = run_archive("dedupe", "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2 and "no archive at" in missing.stderr
    bad = run_archive("dedupe", "--db", str(archive["db"]), "-s", "DEDUPE_THRESHOLD=2")
    assert bad.returncode == 2 and "DEDUPE_THRESHOLD" in bad.stderr


def test_wrong_snippet_is_flagged_and_graph_views_answer(archive):
    links = rows(archive, "SELECT l.url, l.target_id, l.snippet_mismatch FROM related_links AS l "
                          "JOIN articles AS a ON a.id = l.article_id WHERE a.url LIKE ?", [archive["blog"] + "%"])
    assert links and all(link["target_id"] for link in links)
    wrong = archive["blog"] + archive["truth"]["wrong_snippet"]
    assert {link["snippet_mismatch"] for link in links if link["url"] == wrong} == {1}
    assert {link["snippet_mismatch"] for link in links if link["url"] != wrong} == {0}

    indegree = {r["url"]: r for r in rows(archive, "SELECT * FROM related_in_degree")}
    assert indegree[wrong]["links_in"] == 2 and indegree[wrong]["mismatched_snippets"] == 2
    outdegree = rows(archive, "SELECT * FROM related_out_degree WHERE url = ?", [archive["blog"] + "/posts/0.html"])
    assert outdegree[0]["links_out"] == 2 and outdegree[0]["archived_targets"] == 2
    into = rows(archive, "SELECT * FROM related_into_clusters")
    originals = {r["id"] for url, r in by_url(archive).items()
                 if url[len(archive["blog"]):] in archive["truth"]["reposts"].values()}
    assert into and {r["original_id"] for r in into} <= originals


def canned(name: str) -> str:
    return yaml.safe_load(METADATA_TEMPLATE.read_text("utf-8"))["databases"]["archive"]["queries"][name]["sql"]


def test_canned_cluster_queries(archive):
    largest = rows(archive, canned("largest_clusters"))
    top = largest[0]
    assert top["members"] == 3 and top["url"] == archive["blog"] + "/posts/3.html"
    reposted = rows(archive, canned("most_reposted_originals"))
    assert {r["url"] for r in reposted} == {archive["blog"] + p for p in set(archive["truth"]["reposts"].values())}
    cross = rows(archive, canned("cross_site_reposts"))
    assert len(cross) == len(archive["truth"]["reposts"])
    assert all(r["copy_site"] != r["original_site"] for r in cross)
    members = rows(archive, canned("article_cluster"), {"id": top["original_id"]})
    assert len(members) == 3 and members[0]["is_original"] == 1
