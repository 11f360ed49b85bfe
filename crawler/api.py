"""The Python API; the `archive` command line mirrors it one function per command.

    from crawler import api
    api.crawl(["https://example.org/"], db="archive.db", max_pages=500)
    api.serve("archive.db", port=8001)
    api.extract("page.html")
    api.dedupe("archive.db", rebuild=True)
"""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.extract import extract_article
from crawler.profile import load_profile
from crawler.spiders.articles import ArticlesSpider
from pipelines.dedupe import FingerprintScheme
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter


def crawl_settings(db="archive.db", site=None, max_pages=0, depth=0, overrides=None) -> Settings:
    """The project's settings with what the command line says on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_DB", str(db), priority="cmdline")
    if site:
        settings.set("ARCHIVE_SITE_PROFILE", str(site), priority="cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, priority="cmdline")
    if depth:
        settings.set("DEPTH_LIMIT", depth, priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings


def crawl(urls=(), site=None, db="archive.db", max_pages=0, depth=0, settings=None) -> dict:
    """Crawl start URLs or a site profile into the archive at `db`; returns the run's `crawl_runs` row.

    Runs Scrapy's reactor, so call it once per process (as the command line does).
    """
    if site:
        load_profile(site)  # a bad profile fails here, before anything starts
    process = CrawlerProcess(crawl_settings(db, site, max_pages, depth, settings))
    crawler = process.create_crawler(ArticlesSpider)
    process.crawl(crawler, start_urls=list(urls))
    process.start()
    return last_run(db)


def last_run(db) -> dict:
    archive = open_archive(db)
    rows = list(archive.query("select * from crawl_runs order by id desc limit 1"))
    archive.close()
    return rows[0] if rows else {}


def serve(db="archive.db", host="127.0.0.1", port=8001) -> None:
    """Serve the archive with Datasette until interrupted."""
    from crawler.serve import serve as serve_datasette

    serve_datasette(db, host=host, port=port)


def extract(source: str, site=None) -> dict:
    """Extract one page, from a file or a URL, as the crawl would."""
    profile = load_profile(site) if site else None
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": project_settings.USER_AGENT})
        with urllib.request.urlopen(request, timeout=60) as response:
            charset = response.headers.get_content_charset()
            return extract_article(response.read(), response.url, profile, encoding=charset)
    path = Path(source)
    return extract_article(path.read_bytes(), path.resolve().as_uri(), profile)


def dedupe(db="archive.db", rebuild=False, settings=None) -> dict:
    """Fingerprint and cluster the archived articles that have no fingerprint yet
    (all of them with `rebuild`, e.g. after changing DEDUPE_THRESHOLD); reads
    the stored bodies, no network. Returns how many were fingerprinted and
    how many articles are copies."""
    path = Path(db)
    if not path.is_file():
        raise FileNotFoundError(f"no archive at {path}")
    scheme = FingerprintScheme.from_settings(crawl_settings(db, overrides=settings))
    archive = open_archive(path)
    try:
        return ArchiveWriter(archive, scheme=scheme).recluster(rebuild=rebuild)
    finally:
        archive.close()


def demo(pages=200, port=8001, out="demo-site", db="archive.db") -> dict:
    """Generate the bundled demo site, serve it on 127.0.0.1, crawl it into `db`, then serve the archive."""
    from crawler.demosite.generate import build_site
    from crawler.demosite.server import serve_directory

    Path(out).mkdir(exist_ok=True)
    with serve_directory(out) as base_url:
        build_site(out, pages=pages, base_url=base_url)
        print(f"demo site: {pages} articles at {base_url}/", flush=True)
        run = crawl([base_url + "/"], db=db)
    print(json.dumps(run, ensure_ascii=False, indent=1))
    serve(db, port=port)
    return run
