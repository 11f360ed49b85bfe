#!/usr/bin/env python3
"""Trail, related block, headline and page kind on the shared structure corpus.

    .venv/bin/python benchmarks/structure_bench.py [--bench ../shared/bench] [-v] [--only ID]

Runs the corpus's own scorer (structure_eval.py) on `structure(html, url)`
below, which is what the crawl extracts from a page: extract_article's title,
breadcrumbs and related links, and page_kind on the same parse. The scorer
prints its tables per source and per language and a closing OVERALL line.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"


def structure(html: bytes, url: str) -> dict:
    """The scorer's interface: one page's bytes and address -> its structure fields."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from crawler.extract import extract_article, page_kind
    from crawler.extract.page import parse

    item = extract_article(html, url)
    return {
        "title": item["title"],
        "breadcrumbs": [{"name": c["name"], "url": c["url"]} for c in item["breadcrumbs"]],
        "related": [{"title": r["title"], "url": r["url"]} for r in item["related"]],
        "kind": page_kind(parse(html), url),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=SHARED_BENCH, help="the shared benchmark folder")
    args, rest = ap.parse_known_args()
    scorer = args.bench / "structure_eval.py"
    if not scorer.exists():
        sys.exit(f"no structure_eval.py in {args.bench}")
    cmd = [sys.executable, str(scorer), "--module", f"{Path(__file__).resolve()}:structure", *rest]
    sys.exit(subprocess.call(cmd))


if __name__ == "__main__":
    main()
