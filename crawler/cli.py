"""`archive`: the command line, one sub-command per function of `crawler.api`.

Exit status (cron reads it): 0 the run finished (or stopped at a limit it
was given); 1 it ended otherwise (interrupted, failed to start: e.g. a rule
selector the installed cssselect cannot compile); 2 bad usage or a bad site
profile; 3 another run holds the archive, nothing done.
"""
from __future__ import annotations

import argparse
import json
import re
import sys

from crawler.articles_export import FORMATS
from crawler.extract.rulecheck import RuleError
from crawler.profile import ProfileError
from crawler.runlock import ArchiveBusy

EXIT_OK, EXIT_UNFINISHED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="archive", description=__doc__.split("\n")[0].split(":", 1)[1].strip())
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl start URLs or a site profile into the archive")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    crawl.add_argument("--site", help="a site profile, e.g. sites/NAME.toml")
    crawl.add_argument("--db", default="archive.db", help="the archive (default: archive.db)")
    crawl.add_argument("--max-pages", type=int, default=0, help="stop after fetching this many pages")
    crawl.add_argument("--depth", type=int, default=0, help="follow links at most this deep")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting (repeatable)")
    crawl.add_argument("--log-dir", help="write this run's log to a new file in this folder")
    crawl.add_argument("--redis", metavar="URL", help="crawl as a worker of a distributed run on this Redis,"
                       " e.g. redis://:PASSWORD@10.0.0.5:6379/0 (items go to `archive write`)")
    crawl.add_argument("--key", default="archive", help="with --redis: the run's Redis key prefix (default: archive)")
    crawl.add_argument("--workers", type=int, default=0,
                       help="with --redis: start a new run with this many worker processes and the writer here")

    write = commands.add_parser("write", help="store what the workers of a distributed crawl stream through Redis")
    write.add_argument("--redis", required=True, metavar="URL")
    write.add_argument("--db", default="archive.db")
    write.add_argument("--key", default="archive", help="the run's Redis key prefix (default: archive)")
    write.add_argument("--until-done", action="store_true",
                       help="stop once nothing is queued, leased or left to store (else run until interrupted)")
    write.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a setting, e.g. ARCHIVE_BATCH_SIZE=500 (repeatable)")

    reparse = commands.add_parser("reparse", help="extract archived pages again from their stored HTML (no network)")
    reparse.add_argument("--site", help="only this site profile's articles (else all, with profiles from sites/)")
    reparse.add_argument("--db", default="archive.db")

    schedule = commands.add_parser("schedule", help="print a crontab line that runs a crawl regularly")
    schedule.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    schedule.add_argument("--site", help="a site profile, e.g. sites/NAME.toml or NAME")
    schedule.add_argument("--every", default="1d", help="15m, 1h, 6h, 1d, 1w, ... (default: 1d)")
    schedule.add_argument("--db", default="archive.db")
    schedule.add_argument("--log-dir", help="where each run writes its log (default: logs/ beside the archive)")

    serve = commands.add_parser("serve", help="browse the archive with Datasette on 127.0.0.1")
    serve.add_argument("--db", default="archive.db")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)

    demo = commands.add_parser("demo", help="generate the demo site, crawl it, serve the archive")
    demo.add_argument("--pages", type=int, default=200)
    demo.add_argument("--port", type=int, default=8001)
    demo.add_argument("--out", default="demo-site", help="where the demo site is written")
    demo.add_argument("--db", default="archive.db")

    dedupe = commands.add_parser("dedupe", help="fingerprint and cluster stored articles (no network)")
    dedupe.add_argument("--db", default="archive.db")
    dedupe.add_argument("--rebuild", action="store_true",
                        help="recompute every fingerprint and cluster (after a threshold or shingling change)")
    dedupe.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting, e.g. DEDUPE_THRESHOLD=0.6 (repeatable)")

    warc = commands.add_parser("import", help="archive the HTML pages of WARC / WACZ files (no crawling)")
    warc.add_argument("locations", nargs="+", metavar="FILE_OR_URL", help=".warc, .warc.gz or .wacz, path or URL")
    warc.add_argument("--db", default="archive.db")
    warc.add_argument("--site", help="a site profile: its selectors, domains and skip patterns")
    warc.add_argument("--match", metavar="REGEX", help="only records whose URL this regular expression finds")
    warc.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                      help="override a setting, e.g. ARCHIVE_BATCH_SIZE=500 (repeatable)")

    export = commands.add_parser("export", help="write the captures as a WACZ (ReplayWeb.page, pywb), "
                                                "or the articles as JSON lines or CSV")
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--wacz", metavar="OUT.wacz", help="the captures, as a web archive")
    what.add_argument("--format", choices=FORMATS, help="the articles, trail and related block nested in each")
    export.add_argument("-o", "--out", default="-", help="with --format: the file to write (default: stdout)")
    export.add_argument("--db", default="archive.db")
    export.add_argument("--site", help="only this site's (a site name as in articles.site)")
    export.add_argument("--since", metavar="DATE", help="only captures from (articles changed since) this ISO date,"
                                                         " e.g. 2025-01-01")

    extract = commands.add_parser("extract", help="print one page's extracted item as JSON")
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--site", help="a site profile whose selectors to use")

    explain = commands.add_parser("explain", help="show why one page's trail, related block, headline, body and kind"
                                  " were chosen, with the selectors a site profile would override them with")
    explain.add_argument("source", metavar="FILE_OR_URL")
    explain.add_argument("--site", help="a site profile whose selectors to use")
    explain.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def finished(run: dict) -> bool:
    """A run that ended on its own or at a limit it was given counts as finished."""
    status = run.get("status") or ""
    return status == "finished" or status.startswith("closespider_")


def main(argv: list[str] | None = None) -> int:
    # Here, not at the top: a crawl's analysis workers start by importing this module
    # (it is the program's __main__) and need extraction, not Scrapy (crawler/workers.py).
    from crawler import api

    args = build_parser().parse_args(argv)
    try:
        if args.command in ("crawl", "schedule") and not args.urls and not args.site:
            print(f"archive {args.command}: give start URLs or --site sites/NAME.toml", file=sys.stderr)
            return EXIT_USAGE
        if args.command == "crawl" and args.redis:
            overrides = dict(pair.split("=", 1) for pair in args.set)
            common = dict(site=args.site, db=args.db, redis=args.redis, key=args.key, max_pages=args.max_pages,
                          depth=args.depth, settings=overrides, log_dir=args.log_dir)
            if args.workers:
                run = api.crawl_distributed(args.urls, workers=args.workers, **common)
                print(json.dumps(run, ensure_ascii=False, indent=1))
                return EXIT_OK if finished(run) and not any(run["workers"]) else EXIT_UNFINISHED
            done = api.crawl_worker(args.urls, **common)
            print(json.dumps(done, ensure_ascii=False, indent=1))
            return EXIT_OK if finished({"status": done["finish_reason"]}) else EXIT_UNFINISHED
        if args.command == "crawl":
            overrides = dict(pair.split("=", 1) for pair in args.set)
            run = api.crawl(args.urls, site=args.site, db=args.db, max_pages=args.max_pages,
                            depth=args.depth, settings=overrides, log_dir=args.log_dir)
            print(json.dumps(run, ensure_ascii=False, indent=1))
            return EXIT_OK if finished(run) else EXIT_UNFINISHED
        if args.command == "reparse":
            print(json.dumps(api.reparse(site=args.site, db=args.db), indent=1))
        elif args.command == "write":
            overrides = dict(pair.split("=", 1) for pair in args.set)
            run = api.write(args.redis, db=args.db, key=args.key, until_done=args.until_done, settings=overrides)
            print(json.dumps(run, ensure_ascii=False, indent=1))
            return EXIT_OK if finished(run) else EXIT_UNFINISHED
        elif args.command == "schedule":
            print(api.schedule(args.every, site=args.site, urls=args.urls, db=args.db, log_dir=args.log_dir))
        elif args.command == "serve":
            api.serve(args.db, host=args.host, port=args.port)
        elif args.command == "demo":
            api.demo(pages=args.pages, port=args.port, out=args.out, db=args.db)
        elif args.command == "dedupe":
            overrides = dict(pair.split("=", 1) for pair in args.set)
            print(json.dumps(api.dedupe(args.db, rebuild=args.rebuild, settings=overrides)))
        elif args.command == "import":
            overrides = dict(pair.split("=", 1) for pair in args.set)
            run = api.import_warc(args.locations, db=args.db, site=args.site, match=args.match, settings=overrides)
            print(json.dumps(run, ensure_ascii=False, indent=1))
            return EXIT_OK if run["status"] == "finished" else EXIT_UNFINISHED
        elif args.command == "export":
            done = api.export(args.db, wacz=args.wacz, fmt=args.format, out=args.out, site=args.site, since=args.since)
            print(json.dumps(done), file=sys.stderr if args.format and args.out == "-" else sys.stdout)
        elif args.command == "extract":
            item = api.extract(args.source, site=args.site)
            print(json.dumps(item, ensure_ascii=False, indent=1))
        elif args.command == "explain":
            from crawler.explain import render

            report = api.explain(args.source, site=args.site)
            print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report), end="\n" if args.json else "")
    except (ProfileError, FileNotFoundError, ValueError, re.error) as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RuleError as exc:
        print(f"archive {args.command}: {exc}", file=sys.stderr)
        return EXIT_UNFINISHED
    except ArchiveBusy as exc:
        print(f"archive {args.command}: {exc}", file=sys.stderr)
        return EXIT_BUSY
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
