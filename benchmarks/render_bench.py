#!/usr/bin/env python3
"""Crawling pages rendered in Chromium against the plain crawl of the same pages: pages/s and peak memory.

    .venv/bin/python benchmarks/render_bench.py [--pages 200] [--site-generator PATH]

Generates a site (the shared benchmark generator when it is there, else the
demo site) and serves it on 127.0.0.1 (nginx when installed), one crawl at
a time on one port:

1. plain: `archive crawl` of the site as generated, every page served
   whole (no profile option, so no browser starts);
2. rendered: the same site with each article the plain crawl archived turned
   into a script shell (the page's own head, an empty `<div id="app">`, and
   a script that fetches the page's body as JSON and inserts it), crawled
   through a profile with `render = "browser"`: every page, listings too,
   loads in Chromium, and the DOM it builds is the served page again;
3. unrendered: the shell site without the option, where every shell should
   become a `needs_browser` failure (the shell check's cost is in its time).

Prints for each run: articles archived (or shells recorded) per second of
wall time, Python's start-up included, and of the crawl itself
(`crawl_runs` start to end); CPU seconds; peak memory (PSS of the whole
process tree: the analysis worker, Playwright's driver and every Chromium
process); then the rendered/plain ratios. Exits non-zero when the rendered
crawl archives fewer articles than the plain one or the unrendered one
records fewer `needs_browser` failures than there are shells.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawl_bench import REPO, SHARED_BENCH, count, generated_site, static_server, timed_crawl
from feed_bench import in_crawl
from incremental_bench import last_run, query

from crawler.decoding import decode

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
SHELL_BODY = '<div id="app"></div><script src="/static/app.js"></script>'
# The site's app: the page's body as data from /api/PATH.json, put back into the page.
APP = """fetch("/api" + location.pathname.replace(/\\.html$/, ".json"))
  .then(r => r.json()).then(page => { document.body.innerHTML = page.body; });
"""


def make_shells(site: Path, paths: list[str]) -> int:
    """Article pages at `paths` turned into script shells of themselves; how many were."""
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "app.js").write_text(APP, "utf-8")
    made = 0
    for path in paths:
        page = site / path.lstrip("/")
        text, encoding, _ = decode(page.read_bytes())   # as the crawl decodes it: a GBK page stays GBK
        found = _BODY.search(text)
        if not found:
            continue
        api = site / "api" / Path(path.lstrip("/")).with_suffix(".json")
        api.parent.mkdir(parents=True, exist_ok=True)
        api.write_text(json.dumps({"body": found[1]}), "utf-8")
        page.write_bytes((text[:found.start(1)] + SHELL_BODY + text[found.end(1):]).encode(encoding))
        made += 1
    return made


def run(label: str, cmd: list[str], db: Path, sql: str) -> dict:
    cost = timed_crawl(cmd, REPO)
    pages = count(db, sql)
    crawl = in_crawl(last_run(db))
    print(f"{label:<11} {pages:5d} in {cost['wall']:6.1f} s = {pages / cost['wall']:6.1f} pages/s "
          f"(in the crawl itself {pages / crawl:6.1f}/s); CPU {cost['cpu']:6.1f} s; peak memory {cost['rss_mb']:6.0f} MB")
    return {**cost, "pages": pages, "rate": pages / cost["wall"], "crawl_rate": pages / crawl}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()

    with generated_site("render-bench-", a.site_generator, a.pages) as (work, site, port):
        base = f"http://127.0.0.1:{port}"
        shells = work / "shells"
        shutil.copytree(site, shells)
        crawl = [sys.executable, "-m", "crawler.cli", "crawl", "--db"]
        articles = "SELECT count(*) FROM articles"
        needs_browser = "SELECT count(*) FROM failures WHERE reason = 'needs_browser'"

        with static_server(site, port, work) as (_, server):
            print(f"site: {a.pages} articles generated, served by {server} at {base}")
            plain = run("plain", crawl + [str(work / "plain.db"), base + "/"], work / "plain.db", articles)
        made = make_shells(shells, [urlsplit(u).path for u, in query(work / "plain.db", "SELECT url FROM articles")])
        profile = work / "render.toml"
        profile.write_text(f'name = "shells"\nstart_urls = ["{base}/"]\nrender = "browser"\n', "utf-8")
        with static_server(shells, port, work):
            print(f"{made} of those articles now script shells")
            rendered = run("rendered", crawl + [str(work / "rendered.db"), "--site", str(profile)],
                           work / "rendered.db", articles)
            unrendered = run("unrendered", crawl + [str(work / "unrendered.db"), base + "/"],
                             work / "unrendered.db", needs_browser)

    print(f"rendered / plain: {rendered['rate'] / plain['rate']:.3f} x the pages/s "
          f"({rendered['crawl_rate'] / plain['crawl_rate']:.3f} x in the crawl itself), "
          f"{rendered['cpu'] / plain['cpu']:.1f} x the CPU, {rendered['rss_mb'] / plain['rss_mb']:.1f} x the peak memory")
    ok = rendered["pages"] >= plain["pages"] and unrendered["pages"] >= made
    print(f"every article archived when rendered, every shell recorded as needs_browser when not: "
          f"{'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
