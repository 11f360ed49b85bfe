"""The Python API; the `archive` command line mirrors it one function per command.

    from crawler import api
    api.crawl(["https://example.org/"], db="archive.db", max_pages=500)
    api.reparse(db="archive.db")
    print(api.schedule("1h", site="sites/demo.toml"))
    api.serve("archive.db", port=8001)
    api.extract("page.html")
    api.explain("page.html", site="sites/demo.toml")
    api.dedupe("archive.db", rebuild=True)
    api.import_warc(["crawl.warc.gz"], db="archive.db")
    api.export("archive.db", wacz="archive.wacz")
"""
from __future__ import annotations

import json
import os
import urllib.request
import zlib
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import extract as extraction, settings as project_settings
from crawler.extract.rulecheck import check_rules
from crawler.items import ArticleItem
from crawler.parts import join_parts
from crawler.profile import load_profile
from crawler.runlock import run_lock
from crawler.schedule import crontab_line
from crawler.spiders.articles import ArticlesSpider
from pipelines import rawpages
from pipelines.dedupe import DedupePipeline, FingerprintScheme
from pipelines.normalize import NormalizePipeline
from pipelines.schema import open_archive
from pipelines.store import ArchiveWriter, close_interrupted_runs


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


def crawl(urls=(), site=None, db="archive.db", max_pages=0, depth=0, settings=None, log_dir=None) -> dict:
    """Crawl start URLs or a site profile into the archive at `db`; returns this run's `crawl_runs` row
    ({} when the run never started). `log_dir`: the run's log goes to a new file there.

    Holds the archive's run lock throughout (raises `crawler.runlock.ArchiveBusy`
    at once when another run has it). Runs Scrapy's reactor, so call it once
    per process (as the command line does).
    """
    check_rules()  # a rule selector that does not compile fails here, before anything starts
    profile = load_profile(site) if site else None  # a bad profile fails here, before anything starts
    crawl_with = crawl_settings(db, site, max_pages, depth, settings)
    if profile and profile.render:
        from crawler.render import check_browser  # Playwright is imported only by crawls that render
        check_browser(crawl_with)
    with run_lock(db):
        with closing(open_archive(db)) as archive:
            close_interrupted_runs(archive)  # we hold the lock: a run still "running" was killed
        crawler = _run_spider(crawl_with, urls, log_dir and run_log_path(log_dir, db))
    return run_row(db, crawler.stats.get_value("archive/run_id"))


def _run_spider(crawl_with: Settings, urls, log_file=None):
    """Run the articles spider to its end in this process; returns its crawler (stats readable)."""
    if log_file:
        crawl_with.set("LOG_FILE", str(log_file), priority="cmdline")
    process = CrawlerProcess(crawl_with)
    crawler = process.create_crawler(ArticlesSpider)
    process.crawl(crawler, start_urls=list(urls))
    process.start()
    return crawler


def crawl_worker(urls=(), site=None, redis="redis://127.0.0.1:6379", key="archive", db="archive.db",
                 max_pages=0, depth=0, settings=None, log_dir=None) -> dict:
    """Crawl as one worker of the distributed run `key` (crawler/distributed): the frontier and seen set
    are shared through the Redis at `redis`, items go to its stream for the writer (`write`). `db` is only
    read, if it is there, for what is archived and due. Returns why it stopped and what it did."""
    from crawler.distributed.worker import configure_worker

    check_rules()
    if site:
        load_profile(site)
    crawl_with = crawl_settings(db, site, max_pages, depth, settings)
    configure_worker(crawl_with, redis, key)
    crawler = _run_spider(crawl_with, urls, log_dir and run_log_path(log_dir, f"{key}-worker"))
    stats = crawler.stats
    return {"finish_reason": stats.get_value("finish_reason"),
            "pages": stats.get_value("response_received_count", 0),
            "items": stats.get_value("item_scraped_count", 0)}


def write(redis="redis://127.0.0.1:6379", db="archive.db", key="archive", until_done=False, settings=None) -> dict:
    """Run the archive writer of the distributed run `key`: store the items workers stream through the
    Redis at `redis` into `db` until SIGTERM / SIGINT, or with `until_done` once the run is over (nothing
    queued, leased or unstored); returns the writer's crawl_runs row."""
    from crawler.distributed.connection import client_for
    from crawler.distributed.keys import Keys

    server = client_for(redis)
    return _write(server, db, key, settings, until=lambda: until_done and Keys(key).done(server))


def _write(server, db, key, settings, until, published=lambda: None) -> dict:
    from scrapy.utils.log import configure_logging

    from crawler.distributed.writer import write as run_writer

    with_settings = crawl_settings(db, overrides=settings)
    configure_logging(with_settings)
    return run_writer(server, key, str(db), with_settings, until=until, published=published)


def crawl_distributed(urls=(), site=None, db="archive.db", redis="redis://127.0.0.1:6379", key="archive",
                      workers=2, max_pages=0, depth=0, settings=None, log_dir=None) -> dict:
    """The simple case on one machine: a new run `key` (the last one's frontier and seen set forgotten),
    `workers` worker processes and the writer in this one, until the workers are done and every item
    is stored. Returns the writer's crawl_runs row with the workers' exit statuses."""
    import subprocess
    import sys

    from crawler.distributed.connection import client_for
    from crawler.distributed.keys import Keys

    check_rules()
    if site:
        load_profile(site)
    server = client_for(redis)
    Keys(key).clear(server)
    command = [sys.executable, "-m", "crawler.cli", "crawl", *urls, "--redis", redis, "--key", key, "--db", str(db),
               "--max-pages", str(max_pages), "--depth", str(depth), *(["--site", str(site)] if site else []),
               *(["--log-dir", str(log_dir)] if log_dir else []),
               *(arg for name, value in (settings or {}).items() for arg in ("-s", f"{name}={value}"))]
    procs = []   # started once the writer has published what the archive holds
    try:
        row = _write(server, db, key, settings, until=lambda: all(p.poll() is not None for p in procs),
                     published=lambda: procs.extend(subprocess.Popen(command, stdout=subprocess.DEVNULL)
                                                    for _ in range(workers)))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
            proc.wait()
    return {**row, "workers": [proc.returncode for proc in procs]}


def run_log_path(log_dir, db) -> Path:
    """A new log file for one run: LOG_DIR/ARCHIVE-YYYYMMDDTHHMMSSZ-PID.log."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    return Path(log_dir) / f"{Path(db).stem}-{stamp}-{os.getpid()}.log"


def run_row(db, run_id) -> dict:
    """The `crawl_runs` row of one run, or {} when there is none."""
    if run_id is None:
        return {}
    with closing(open_archive(db)) as archive:
        rows = list(archive.query("select * from crawl_runs where id = ?", [run_id]))
    return rows[0] if rows else {}


_PARTS = "select url, status, http_status, error, encoding, html_zlib from article_parts where article_id = ? order by part"


def reparse(site=None, db="archive.db", batch_size=200) -> dict:
    """Extract archived articles again from their stored raw HTML with today's extractors; no network.

    `site`: only that profile's articles, through its selectors; else every
    article, each site through its profile in sites/ when there is one.
    Changed articles are rewritten (their old content kept in `revisions`)
    batch by batch through ArchiveWriter, and those whose content stands but
    whose date, author, section... now extract differently are refreshed in
    place; an article split over pages is its stored parts joined again;
    returns how many were looked at, changed, refreshed, unchanged, and
    could not be extracted.
    """
    check_rules()
    only = load_profile(site) if site else None
    profiles = {only.name: only} if only else _profiles_by_name(Path("sites"))
    scheme = FingerprintScheme.from_settings(crawl_settings(db))
    stages = (NormalizePipeline(), DedupePipeline(scheme=scheme))
    report = {"articles": 0, "changed": 0, "refreshed": 0, "unchanged": 0, "failed": 0}
    with run_lock(db), closing(open_archive(db)) as archive:
        writer = ArchiveWriter(archive, batch_size, scheme=scheme,
                               profiled_related=[name for name, p in profiles.items() if "related" in p.selectors])
        where, params = ("where site = ?", [only.name]) if only else ("", [])
        ids = [row[0] for row in archive.execute(f"select id from articles {where} order by id", params)]
        for start in range(0, len(ids), batch_size):
            chunk = ids[start:start + batch_size]
            for id_, url, site_name, encoding, fetched_at, *stored in archive.execute(
                    f"select a.id, a.url, a.site, r.encoding, r.fetched_at, {rawpages.COLUMNS}"
                    " from articles a join raw_pages r on r.article_id = a.id"
                    f" where a.id in ({', '.join('?' * len(chunk))})", chunk).fetchall():
                report["articles"] += 1
                try:
                    # relative dates ("3小时前") count back from when the page was fetched, not from today
                    now = datetime.fromisoformat(fetched_at)
                    fields = extraction.extract_article(rawpages.html(*stored), url, profiles.get(site_name),
                                             encoding=encoding, now=now)
                    parts = [dict(row) for row in archive.query(_PARTS, [id_])]
                    if parts:   # a split article is its parts joined again, as the crawl joined them
                        fields = join_parts([fields] + [
                            extraction.extract_article(zlib.decompress(p["html_zlib"]), p["url"], profiles.get(site_name),
                                            encoding=p["encoding"], now=now) for p in parts if p["html_zlib"]])
                except Exception:  # a page today's extractors cannot read keeps what it has
                    report["failed"] += 1
                    continue
                item = ArticleItem(**fields, site=site_name, parts=parts)
                for stage in stages:
                    item = stage.process_item(item)
                writer.add_article(item, reextracted=True)
        writer.flush()
        report.update(changed=writer.counts["changed"], refreshed=writer.refreshed, unchanged=writer.counts["unchanged"])
    return report


def _profiles_by_name(folder: Path) -> dict:
    profiles = (load_profile(path) for path in sorted(folder.glob("*.toml")))
    return {profile.name: profile for profile in profiles}


def schedule(every="1d", site=None, urls=(), db="archive.db", log_dir=None) -> str:
    """A crontab line that runs this crawl every `every` (15m, 1h, 1d, ...); see crawler.schedule."""
    if site:
        load_profile(site)
    return crontab_line(every, site=site, urls=urls, db=db, log_dir=log_dir)


def serve(db="archive.db", host="127.0.0.1", port=8001) -> None:
    """Serve the archive with Datasette until interrupted."""
    from crawler.serve import serve as serve_datasette

    serve_datasette(db, host=host, port=port)


def extract(source: str, site=None) -> dict:
    """Extract one page, from a file or a URL, as the crawl would."""
    check_rules()
    profile = load_profile(site) if site else None
    html, url, charset = _read_page(source)
    return extraction.extract_article(html, url, profile, encoding=charset)


def explain(source: str, site=None) -> dict:
    """Why extraction chose its trail, related blocks, headline, body and page kind on one page (a file or
    a URL, fetched once), with the selectors a site profile would use to override each (crawler.explain)."""
    from crawler.explain import explain as explain_page

    check_rules()
    profile = load_profile(site) if site else None
    html, url, charset = _read_page(source)
    return explain_page(html, url, profile, encoding=charset)


def _read_page(source: str) -> tuple[bytes, str, str | None]:
    """(the page's bytes, its URL after redirects, the HTTP header's charset) for a URL or a file."""
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"User-Agent": project_settings.USER_AGENT})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read(), response.url, response.headers.get_content_charset()
    path = Path(source)
    return path.read_bytes(), path.resolve().as_uri(), None


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


def import_warc(locations, db="archive.db", site=None, match=None, settings=None) -> dict:
    """Archive the HTML pages in WARC / WACZ files (paths or http(s) URLs, streamed) as a crawl would;
    returns the `import_runs` row. Resumes a file an earlier run left unfinished; a finished one
    is not read again (see crawler/warc_import.py)."""
    from crawler.warc_import import WarcImport
    from crawler.workers import extract_processes

    check_rules()
    profile = load_profile(site) if site else None
    with_settings = crawl_settings(db, overrides=settings)
    with run_lock(db), closing(open_archive(db)) as archive:
        return WarcImport(archive, profile, match, batch_size=with_settings.getint("ARCHIVE_BATCH_SIZE"),
                          max_size=with_settings.getint("DOWNLOAD_MAXSIZE"),
                          scheme=FingerprintScheme.from_settings(with_settings),
                          processes=extract_processes(with_settings)).run(list(locations))


def export(db="archive.db", wacz=None, fmt=None, out="-", site=None, since=None) -> dict:
    """Write the archive's captures as a WACZ at `wacz`, or its articles as `fmt` ("jsonl", "csv")
    to `out` ("-": stdout); of one site's name, since an ISO date."""
    from crawler.articles_export import export_articles
    from crawler.wacz_export import export_wacz

    if not Path(db).is_file():
        raise FileNotFoundError(f"no archive at {db}")
    if wacz:
        return export_wacz(db, wacz, site=site, since=since)
    return export_articles(db, out, fmt, site=site, since=since)


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
