#!/usr/bin/env python3
"""Extraction speed against an earlier revision, measured in the same run.

    .venv/bin/python benchmarks/extraction_speed.py [--rev 3b03387] [--datasets aeb,cwced,site]
        [--rounds 3] [--every N] [--site-pages 300] [--bench ../shared/bench] [--stages] [--job worker]

The issues ask for "extraction speed at least 0.9x today's, measured in
the same run": a figure from another day on a shared machine says little.
So the baseline revision's code (`git archive REV crawler pipelines`; by
default 3b03387, the revision the 0.9x speed rule is stated against: name
a newer one to measure a change against what it changes) is
exported to a temporary folder, and each round times extract_article of
the baseline and of this checkout on the same pages, one after the other
(their order swapped every round), each in a fresh process of the same
Python with PYTHONPATH at its own tree: neither warms the other's caches,
and a busy spell on the machine hits both alike. The clock is the child's
CPU time (extraction is single-threaded and does no I/O): on a machine
shared with other jobs, wall time mostly measures them. Printed: pages per
CPU second of each over all rounds and their ratio (this checkout /
baseline; above 1 is faster), with the ratio of every round to show the
noise; and on how many pages the two extract different items (the fetch
time is fixed, so relative dates resolve alike): a change meant only to
make extraction faster, measured against the revision before it, must
leave every page's item as it was.

The `site` dataset is the crawl benchmark's synthetic site (the shared
make_site.py, built as benchmarks/crawl_bench.py builds it), generated once
per run into a temporary folder: the pages issue 15's crawl CPU figures are
measured on, read as bytes from disk, so decoding counts as in `archive
extract`.

With --stages, every round also times each stage of extraction, in
separate children (the timers add a little to each call, so the pages/s
above stay clean): each function crawler.extract.article calls from its modules
(parse, find_breadcrumbs, find_related, clean_body, to_markdown...) is
wrapped with a CPU clock, and the table gives CPU ms per page of each in
both trees, summed over all rounds. A stage's time is inclusive (what it
calls counts); a fact of the page worked out once and shared (the
document order, the class index, JSON-LD) counts in the first stage that
asks for it; "rest" is the item's time outside every stage.

With `--job worker` the timed call is a crawl's analysis worker's whole
job on a page instead (crawler.analysis.analyse_and_prepare: parse, kind,
extraction, split-article parts, normalize, fingerprints, search index
values), on text decoded beforehand as the crawl's own process decodes
it; its stages are those steps. That is the CPU of the busier of a
crawl's two processes (benchmarks/crawl_profile.py), measured without a
crawl around it.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from hashlib import sha1
from io import BytesIO
from pathlib import Path

from crawl_bench import build_site

REPO = Path(__file__).resolve().parents[1]
SHARED_BENCH = REPO.parent / "shared" / "bench"
DATASETS = {"aeb": "article-extraction-benchmark", "cwced": "chinese-web-content-extraction",
            "site": "synthetic site (make_site.py)"}
SITE_BASE = "http://127.0.0.1:8000"
FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)  # "3小时前" resolves against it in both trees


def export(rev: str, into: Path) -> Path:
    """The code of `rev` (the packages extraction imports) unpacked under `into`."""
    archive = subprocess.run(["git", "archive", rev, "crawler", "pipelines"], cwd=REPO,
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def time_tree(tree: Path, bench: Path, dataset: str, every: int, site: Path | None, stages: bool = False,
              job: str = "extract") -> dict:
    """Seconds the job (extract_article, or the analysis worker's) of the code in `tree` spends on the
    dataset's pages, in a fresh process (with `stages`: and the seconds of each stage, with their timers on)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, __file__, "--time", dataset, "--every", str(every), "--bench", str(bench), "--job", job]
    out = subprocess.run(cmd + (["--site", str(site)] if site else []) + (["--stages"] if stages else []),
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def site_pages(site: Path) -> list[tuple[bytes, str]]:
    """(bytes, URL) of every page of a generated site, in a fixed order."""
    return [(path.read_bytes(), f"{SITE_BASE}/{path.relative_to(site).as_posix()}")
            for path in sorted(site.rglob("*.html"))]


def stage_clocks(job: str) -> dict[str, float]:
    """In the child: each function the job calls from the project's modules wrapped with a CPU clock
    (extract: what crawler.extract.article calls from its modules; worker: what crawler.analysis calls);
    stage name -> seconds spent in it so far (a call inside another stage's call counts once, in the outer)."""
    spent: dict[str, float] = {}
    depth = [0]

    def clocked(name, fn):
        def run(*args, **kwargs):
            depth[0] += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return run

    if job == "worker":
        from pipelines import dedupe, search

        module = worker_job_module()
        for name, fn in list(vars(module).items()):
            if inspect.isfunction(fn) and fn.__module__ != module.__name__ and fn.__module__.startswith(("crawler.", "pipelines.")):
                setattr(module, name, clocked(name, fn))
        search.prepared_values = clocked("prepared_values", search.prepared_values)
        dedupe.FingerprintScheme.fingerprints = clocked("fingerprints", dedupe.FingerprintScheme.fingerprints)
        return spent
    try:
        import crawler.extract.article as extraction
    except ImportError:  # a revision before the package loaded it lazily
        import crawler.extract as extraction

    for name, fn in list(vars(extraction).items()):
        if inspect.isfunction(fn) and fn.__module__ != extraction.__name__ and fn.__module__.startswith("crawler.extract."):
            setattr(extraction, name, clocked(name, fn))
    return spent


def worker_job_module():
    """The module of the worker's job: crawler.analysis, or crawler.workers in a revision before the split."""
    try:
        import crawler.analysis as module
    except ImportError:
        import crawler.workers as module
    return module


def job_call(job: str):
    """(how a page's bytes are made the job's input, the job): extract_article takes bytes;
    the worker takes text the crawl decoded, and prepares the article with the default scheme."""
    if job == "extract":
        from crawler.extract import extract_article
        return (lambda html: html), lambda html, url: extract_article(html, url, now=FETCHED)
    from crawler.decoding import decode
    from pipelines.dedupe import FingerprintScheme

    analyse_and_prepare = worker_job_module().analyse_and_prepare

    scheme = FingerprintScheme()
    return ((lambda html: decode(html)[0] if isinstance(html, bytes) else html),
            lambda text, url: vars(analyse_and_prepare(text, url, None, scheme, FETCHED, None)))


def timed_pass(bench: Path, dataset: str, every: int, site: Path | None, stages: bool = False,
               job: str = "extract") -> dict:
    """In the child: load the pages, warm up (`warm_up`), then every page once; a digest of each item."""
    spent = stage_clocks(job) if stages else {}
    given, run = job_call(job)

    if dataset == "site":
        inputs = site_pages(site)[::every]
    else:
        sys.path.insert(0, str(bench))
        import extraction_eval as ev

        root = bench / DATASETS[dataset]
        pages = ev.LOADERS[ev.detect_format(root)](root)[::every]
        inputs = [(page.html, page.url or "http://localhost/") for page in pages]
    inputs = [(given(html), url) for html, url in inputs]
    warm_up(run, inputs)
    spent.clear()
    start = time.process_time()
    items = [run(html, url) for html, url in inputs]
    seconds = time.process_time() - start
    import crawler
    digests = [sha1(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()[:16] for item in items]
    return {"pages": len(inputs), "seconds": seconds, "code": str(Path(crawler.__file__).parent), "items": digests,
            "stages": spent}


def warm_up(run, inputs: list) -> None:
    """Untimed calls up to the first page that gives an article with a body, so what is set up once per
    process (the word segmenter's dictionary, the public suffix list) stays out of the timed pass:
    the site's first page is a listing, which reaches neither."""
    for html, url in inputs:
        out = run(html, url)
        if (out.get("item") or out).get("body_text"):  # the worker's Analysis, or extract_article's item
            return


def print_stages(dataset: str, spent: dict[str, dict[str, float]], pages: int) -> None:
    """CPU ms per page of each stage in each tree, the costliest first (in this checkout)."""
    labels = list(spent)
    totals = {label: sum(spent[label].values()) for label in labels}
    names = sorted({n for s in spent.values() for n in s if n != "total"}, key=lambda n: -spent[labels[-1]].get(n, 0))
    print(f"\n{DATASETS[dataset]}: CPU ms per page by stage, {pages} pages per tree")
    print(f"{'stage':24}" + "".join(f"{label:>24}" for label in labels))
    for name in names + ["rest", "total"]:
        row = []
        for label in labels:
            stage = spent[label]
            value = stage["total"] - (totals[label] - stage["total"]) if name == "rest" else stage.get(name)
            row.append(f"{1000 * value / pages:24.2f}" if value is not None else f"{'-':>24}")
        print(f"{name:24}" + "".join(row))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--rev", default="3b03387", help="the baseline revision (default: 3b03387)")
    ap.add_argument("--datasets", default=",".join(DATASETS), help=f"comma-separated: {', '.join(DATASETS)}")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--every", type=int, default=1, help="time every N-th page only (quick runs)")
    ap.add_argument("--site-pages", type=int, default=300, help="articles of the synthetic site (default: 300)")
    ap.add_argument("--stages", action="store_true", help="also time each stage of extraction (in separate runs)")
    ap.add_argument("--bench", type=Path, default=SHARED_BENCH, help="the shared benchmark folder")
    ap.add_argument("--job", choices=("extract", "worker"), default="extract",
                    help="time extract_article (default) or a crawl's analysis worker's whole job")
    ap.add_argument("--time", choices=sorted(DATASETS), help=argparse.SUPPRESS)  # the child's job
    ap.add_argument("--site", type=Path, help=argparse.SUPPRESS)                # the child's pages
    args = ap.parse_args()
    if args.time:
        print(json.dumps(timed_pass(args.bench, args.time, args.every, args.site, args.stages, args.job)))
        return
    names = [n.strip() for n in args.datasets.split(",") if n.strip()]
    unknown = [n for n in names if n not in DATASETS]
    if unknown or min(args.rounds, args.every, args.site_pages) < 1:
        ap.error(f"unknown dataset: {', '.join(unknown)}" if unknown else "--rounds, --every and --site-pages want N >= 1")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {f"baseline {args.rev}": export(args.rev, Path(tmp) / "baseline"), "this checkout": REPO}
        site = None
        if "site" in names:
            site = Path(tmp) / "site"
            build_site(args.bench / "make_site.py", args.site_pages, site, SITE_BASE)
        print(f"{'dataset':32} {'code':24} {'pages/s':>8}")
        stages = {}
        for name in names:
            seconds = dict.fromkeys(trees, 0.0)
            pages = dict.fromkeys(trees, 0)
            ratios = []
            for r in range(args.rounds):
                order = list(trees) if r % 2 == 0 else list(trees)[::-1]
                got = {label: time_tree(trees[label], args.bench, name, args.every, site, job=args.job) for label in order}
                for label, run in got.items():
                    if Path(run["code"]).resolve() != (trees[label] / "crawler").resolve():
                        sys.exit(f"{label}: imported {run['code']}, not its own tree")
                    seconds[label] += run["seconds"]
                    pages[label] += run["pages"]
                base, ours = (got[label]["pages"] / got[label]["seconds"] for label in trees)
                ratios.append(ours / base)
                base_items, our_items = (got[label]["items"] for label in trees)
                differ = sum(a != b for a, b in zip(base_items, our_items))
            speed = {label: pages[label] / seconds[label] for label in trees}
            for label in trees:
                print(f"{DATASETS[name]:32} {label:24} {speed[label]:8.1f}")
            base, ours = speed.values()
            print(f"{DATASETS[name]:32} {'ratio (this / baseline)':24} {ours / base:8.2f}"
                  f"   rounds: {' '.join(f'{x:.2f}' for x in ratios)}")
            print(f"{DATASETS[name]:32} {'items differ on':24} {differ:8d}   of {len(our_items)} pages")
            if args.stages:
                stages[name] = staged(trees, args, name, site)
        for name, (spent, pages) in stages.items():
            print_stages(name, spent, pages)


def staged(trees: dict[str, Path], args, name: str, site: Path | None) -> tuple[dict, int]:
    """(tree label -> stage -> seconds, summed over the rounds; pages per tree), timers on, order swapped every round."""
    spent = {label: {} for label in trees}
    pages = 0
    for r in range(args.rounds):
        for label in (list(trees) if r % 2 == 0 else list(trees)[::-1]):
            run = time_tree(trees[label], args.bench, name, args.every, site, stages=True, job=args.job)
            for stage, seconds in {**run["stages"], "total": run["seconds"]}.items():
                spent[label][stage] = spent[label].get(stage, 0.0) + seconds
        pages += run["pages"]
    return spent, pages


if __name__ == "__main__":
    main()
