"""`archive`: the command line, one sub-command per function of `crawler.api`."""
from __future__ import annotations

import argparse
import json
import sys

from crawler import api
from crawler.profile import ProfileError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="archive", description=__doc__.split(":", 1)[1].strip())
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl start URLs or a site profile into the archive")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URLs")
    crawl.add_argument("--site", help="a site profile, e.g. sites/NAME.toml")
    crawl.add_argument("--db", default="archive.db", help="the archive (default: archive.db)")
    crawl.add_argument("--max-pages", type=int, default=0, help="stop after fetching this many pages")
    crawl.add_argument("--depth", type=int, default=0, help="follow links at most this deep")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a Scrapy setting (repeatable)")

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

    extract = commands.add_parser("extract", help="print one page's extracted item as JSON")
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--site", help="a site profile whose selectors to use")
    return parser


def finished(run: dict) -> bool:
    """A run that ended on its own or at a limit it was given counts as finished."""
    status = run.get("status") or ""
    return status == "finished" or status.startswith("closespider_")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "crawl":
            if not args.urls and not args.site:
                print("archive crawl: give start URLs or --site sites/NAME.toml", file=sys.stderr)
                return 2
            overrides = dict(pair.split("=", 1) for pair in args.set)
            run = api.crawl(args.urls, site=args.site, db=args.db, max_pages=args.max_pages,
                            depth=args.depth, settings=overrides)
            print(json.dumps(run, ensure_ascii=False, indent=1))
            return 0 if finished(run) else 1
        if args.command == "serve":
            api.serve(args.db, host=args.host, port=args.port)
        elif args.command == "demo":
            api.demo(pages=args.pages, port=args.port, out=args.out, db=args.db)
        elif args.command == "dedupe":
            overrides = dict(pair.split("=", 1) for pair in args.set)
            print(json.dumps(api.dedupe(args.db, rebuild=args.rebuild, settings=overrides)))
        elif args.command == "extract":
            item = api.extract(args.source, site=args.site)
            print(json.dumps(item, ensure_ascii=False, indent=1))
    except (ProfileError, FileNotFoundError, ValueError) as exc:
        print(f"archive: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
