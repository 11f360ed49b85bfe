"""End to end: `archive crawl` against real local sites, then SQL over the archive it wrote."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import crawl


def articles_by_path(db, base):
    return {row["url"][len(base):]: row for row in db["articles"].rows}


def test_crawl_archives_articles_with_trail_related_and_clean_body(minisite, tmp_path, read_db):
    run = crawl(minisite + "/", "--db", str(tmp_path / "x.db"))
    db = read_db(tmp_path / "x.db")
    articles = articles_by_path(db, minisite)
    assert sorted(articles) == ["/a/1001.html", "/a/1002.html", "/a/1003.html"]  # listings not archived

    first = articles["/a/1001.html"]
    assert first["title"] == "用 SQLite 做爬虫存档的五个细节"
    assert first["section"] == "news"
    assert first["canonical_url"] == "http://qingning.example/a/1001.html"
    assert first["published_at"].startswith("2025-04-12")
    assert first["language"] == "zh"
    crumbs = [(c["position"], c["name"], c["url"]) for c in
              db["breadcrumbs"].rows_where("article_id = ?", [first["id"]], order_by="position")]
    assert crumbs == [(0, "首页", minisite + "/"), (1, "news", minisite + "/"), (2, "正文", None)]
    related = list(db["related_links"].rows_where("article_id = ?", [first["id"]], order_by="position"))
    assert [r["url"] for r in related] == [minisite + "/a/1002.html", minisite + "/a/1003.html"]
    assert [r["target_id"] for r in related] == [articles["/a/1002.html"]["id"], articles["/a/1003.html"]["id"]]
    assert related[1]["title"] == "国标编码网页的解码问题"
    assert related[1]["snippet"].startswith("老网站常常用 GBK 编码")
    body = first["body_text"]
    assert "WAL 模式还让批量写入更快" in body and "去重的依据" in body
    for boilerplate in ("侧边栏公告", "Copyright", "最新文章", "相关文章", "当前位置", "stats"):
        assert boilerplate not in body
    assert 'table.insert(row, pk="id")  # 一个事务' in first["body_markdown"]
    assert "<table>" in first["body_html"] and "<script" not in first["body_html"]

    english = articles["/a/1002.html"]
    assert english["language"] == "en"
    assert english["section"] == "Tutorials"
    assert '    - "a <b> & c"\n' in english["body_text"]

    gbk = articles["/a/1003.html"]
    assert gbk["title"] == "国标编码网页的解码问题"
    assert "“镕”和“喆”" in gbk["body_text"]
    assert db["raw_pages"].get(gbk["id"])["encoding"].lower() in ("gb18030", "gbk")

    assert run["status"] == "finished"
    assert (run["new"], run["changed"], run["unchanged"], run["failed"]) == (3, 0, 0, 2)


def test_404_and_500_are_recorded_and_not_fatal(minisite, tmp_path, read_db):
    crawl(minisite + "/", "--db", str(tmp_path / "x.db"))
    db = read_db(tmp_path / "x.db")
    failures = {row["url"][len(minisite):]: row for row in db["failures"].rows}
    assert failures["/a/missing.html"]["reason"] == "http_status"
    assert failures["/a/missing.html"]["http_status"] == 404
    assert failures["/a/error.html"]["http_status"] == 500
    assert failures["/a/error.html"]["attempts"] == 3  # retried twice first


@pytest.mark.parametrize("setting, counted", [
    ("ARCHIVE_INCREMENTAL=false", "unchanged"),   # every page downloaded again
    ("ARCHIVE_RECRAWL_AFTER=0", "not_modified"),  # asked again, conditionally: 304
    ("ARCHIVE_RECRAWL_AFTER=7d", "skipped"),      # not due: not asked at all
])
def test_recrawl_adds_no_rows(minisite, tmp_path, read_db, setting, counted):
    crawl(minisite + "/", "--db", str(tmp_path / "x.db"))
    second = crawl(minisite + "/", "--db", str(tmp_path / "x.db"), "-s", setting)
    db = read_db(tmp_path / "x.db")
    assert db["articles"].count == 3
    assert db["breadcrumbs"].count == 9
    assert db["related_links"].count == 4
    assert db["failures"].count == 2
    assert db["crawl_runs"].count == 2
    assert {k: second[k] for k in ("new", "changed", "unchanged", "not_modified", "skipped", "failed")} == {
        "new": 0, "changed": 0, "unchanged": 0, "not_modified": 0, "skipped": 0, "failed": 2, counted: 3}
    assert {row["times_failed"] for row in db["failures"].rows} == {2}


def test_scrapy_crawl_articles_is_the_same_spider(minisite, tmp_path, read_db):
    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"start_urls={minisite}/",
         "-s", f"ARCHIVE_DB={tmp_path / 'x.db'}"],
        cwd=repo, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    db = read_db(tmp_path / "x.db")
    assert db["articles"].count == 3
    assert next(db["crawl_runs"].rows)["status"] == "finished"


def test_max_pages_stops_the_crawl_and_still_counts_as_finished(minisite, tmp_path, read_db):
    run = crawl(minisite + "/", "--db", str(tmp_path / "x.db"), "--max-pages", "2")
    assert run["status"] == "closespider_pagecount"
    db = read_db(tmp_path / "x.db")
    assert db["articles"].count < 3


def descendants(root: int) -> set[int]:
    parent = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, grew = set(), True
    while grew:
        grew = False
        for pid, ppid in parent.items():
            if (ppid == root or ppid in found) and pid not in found:
                found.add(pid)
                grew = True
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_crawl_leaves_no_worker_processes(tmp_path):
    from crawler.demosite.generate import build_site
    from crawler.demosite.server import serve_directory

    root = tmp_path / "site"
    root.mkdir()
    with serve_directory(root) as base:
        build_site(root, pages=400, base_url=base)
        crawl = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", base + "/",
                                  "--db", str(tmp_path / "x.db")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(workers := descendants(crawl.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # wait for the page-analysis worker (and multiprocessing's resource tracker)
        assert len(workers) >= 2
        crawl.send_signal(signal.SIGKILL)
        crawl.wait()
    deadline = time.monotonic() + 60   # a loaded machine is slow to schedule them
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers)


def test_a_crawl_loads_neither_of_scrapys_consoles():
    """Scrapy imports every extension its settings name, even one switched off; the remote
    control would bring aiohttp (0.5 s of CPU at every start) into a crawl that never uses it."""
    code = ("import sys; from crawler.api import crawl_settings; "
            "names = crawl_settings().get_component_priority_dict_with_base('EXTENSIONS'); "
            "print(sorted(n for n in map(str, names) if 'telnet' in n or 'remote_control' in n), "
            "'aiohttp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False"
