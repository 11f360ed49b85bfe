"""Clusters of copies through ArchiveWriter on a real SQLite file: order, originals, changes, snippets."""
import random

import pytest

from pipelines.schema import open_archive
from pipelines.snippets import snippet_mismatch
from pipelines.store import ArchiveWriter
from test_store import article
from twosites import make_article, repost


def text(a: dict) -> str:
    return "\n\n".join(a["paras"])


ORIGINAL = make_article("clusters-original", "zh", None)
ENGLISH = make_article("clusters-english", "en", None)
# url -> (body, published_at); the truth is by URL: which original each copy belongs to
PAGES = {
    "http://blog.example/1": (text(ORIGINAL), "2025-01-01"),
    "http://agg.example/1": (text(repost(ORIGINAL, "copy-1", None)), "2025-02-01"),
    "http://agg.example/2": (text(repost(ORIGINAL, "copy-2", None)), None),
    "http://blog.example/2": (text(ENGLISH), "2025-03-01T08:00:00+08:00"),
    "http://agg.example/3": (text(ENGLISH), "2025-03-02"),
    "http://other.example/1": (text(make_article("clusters-other", "zh", None)), "2024-12-01"),
}
EXPECTED = {"http://agg.example/1": "http://blog.example/1", "http://agg.example/2": "http://blog.example/1",
            "http://agg.example/3": "http://blog.example/2"}


def write(path, urls, batch_size=200, overrides=None):
    writer = ArchiveWriter(open_archive(path), batch_size)
    writer.start_run()
    for url in urls:
        body, published = (overrides or {}).get(url, PAGES[url])
        writer.add_article(article(url, body, title="t", published_at=published))
    writer.finish_run("finished")
    return writer.db


def clusters(db):
    urls = {row["id"]: row["url"] for row in db["articles"].rows}
    return {row["url"]: (urls.get(row["duplicate_of"]), row["similarity"]) for row in db["articles"].rows}


@pytest.mark.parametrize("seed", range(6))
def test_clusters_do_not_depend_on_arrival_order(tmp_path, seed):
    urls = random.Random(seed).sample(sorted(PAGES), len(PAGES))
    db = write(tmp_path / "a.db", urls, batch_size=1 + seed % 3)
    found = clusters(db)
    assert {url: original for url, (original, _) in found.items() if original} == EXPECTED
    assert found["http://agg.example/3"][1] == 1.0
    assert all(0.5 <= found[url][1] < 1 for url in ("http://agg.example/1", "http://agg.example/2"))


def test_an_earlier_original_arriving_later_takes_over(tmp_path):
    path = tmp_path / "a.db"
    write(path, ["http://agg.example/1", "http://agg.example/2"])
    assert clusters(open_archive(path))["http://agg.example/2"][0] == "http://agg.example/1"  # dated beats undated
    db = write(path, ["http://blog.example/1"])
    assert {url: original for url, (original, _) in clusters(db).items()} == {
        "http://blog.example/1": None, "http://agg.example/1": "http://blog.example/1",
        "http://agg.example/2": "http://blog.example/1"}


def test_an_original_that_changes_leaves_and_its_copies_regroup(tmp_path):
    path = tmp_path / "a.db"
    write(path, sorted(PAGES))
    other = make_article("clusters-rewritten", "zh", None)
    db = write(path, ["http://blog.example/1"], overrides={"http://blog.example/1": (text(other), "2025-01-01")})
    found = clusters(db)
    assert found["http://blog.example/1"] == (None, None)
    # the two copies still match each other: the earlier-dated one is now their original
    assert found["http://agg.example/2"][0] == "http://agg.example/1" and found["http://agg.example/1"][0] is None
    assert db.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == len(PAGES)


def test_recluster_rebuild_reproduces_the_crawl(tmp_path):
    path = tmp_path / "a.db"
    db = write(path, sorted(PAGES))
    before = clusters(db)
    writer = ArchiveWriter(db)
    assert writer.recluster() == {"fingerprinted": 0, "copies": 3}
    assert writer.recluster(rebuild=True) == {"fingerprinted": len(PAGES), "copies": 3}
    assert clusters(db) == before


@pytest.mark.parametrize("snippet, body, flagged", [
    ("针对不同平台提供了编译命令，主要…", "针对不同平台提供了编译命令，主要包括微信和支付宝。", 0),
    ("针对不同平台提供了编译命令,主要...", "本文转载自某站。\n针对不同平台提供了编译命令，主要包括微信。", 0),
    ("The crawler keeps a smal cache so that...", "The crawler keeps a small cache so that every page is cheap.", 0),
    ("老网站常常用 GBK 编码...", "针对不同平台提供了编译命令，主要包括微信和支付宝。", 1),
    (None, "正文", None),
    ("…", "正文", None),
])
def test_snippet_mismatch(snippet, body, flagged):
    assert snippet_mismatch(snippet, body) == flagged


def test_snippet_verdicts_are_remembered_within_bounds(monkeypatch):
    """A pair asked again gets the verdict it got first; past VERDICTS pairs the oldest are forgotten."""
    from pipelines import snippets

    monkeypatch.setattr(snippets, "VERDICTS", 3)
    monkeypatch.setattr(snippets, "_verdicts", {})
    bodies = [f"第{n}篇：河边的磨坊在春天重新开工了，村里的人都来帮忙。" for n in range(5)]
    first = [snippet_mismatch(f"第{n}篇：河边的磨坊…", body) for n, body in enumerate(bodies)]
    assert first == [0] * 5 and len(snippets._verdicts) == 3
    assert [snippet_mismatch("第0篇：河边的磨坊…", body) for body in bodies] == [0, 1, 1, 1, 1]
    assert len(snippets._verdicts) == 3
