#!/usr/bin/env python3
"""Why MinHash: how well MinHash and SimHash separate reposts from different articles.

    .venv/bin/python benchmarks/fingerprint_choice.py [--pages 2000] [--site-generator PATH]

Generates the shared benchmark site (`../shared/bench/make_site.py`; its
manifest names every near and exact copy), extracts every article body
offline (no crawl) and fingerprints it two ways:

    minhash  this project's FingerprintScheme (shingles of 5 CJK characters or
             words, 128-slot MinHash): similarity = estimated Jaccard
    simhash  trafilatura's Simhash (64 bits over sampled tokens):
             similarity = 1 - Hamming distance / 64

For each it prints the lowest similarity of a true pair (an original and a
copy, or two copies of one original), the highest similarity of any other
pair, whether a threshold can sit between them (the margin), how many
non-pairs reach the lowest true-pair similarity, and CPU per article with
the ratio simhash/minhash.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.dedupe_bench import SHARED_BENCH, true_pairs  # noqa: E402
from crawler.extract import extract_article  # noqa: E402
from pipelines.dedupe import FingerprintScheme  # noqa: E402
from pipelines.normalize import clean_body_text  # noqa: E402


def similarity_matrix(fingerprints: list, kind: str) -> np.ndarray:
    if kind == "minhash":
        sigs = np.array([np.frombuffer(f, dtype="<u4") for f in fingerprints])
        return np.array([(sigs == row).mean(axis=1) for row in sigs])
    hashes = np.array(fingerprints, dtype=np.uint64)
    return 1 - np.array([np.bitwise_count(hashes ^ h) for h in hashes]) / 64


def report(name: str, sims: np.ndarray, truth_mask: np.ndarray, cpu: float) -> None:
    upper = np.triu(np.ones_like(truth_mask), k=1)
    true_sims = sims[truth_mask & upper]
    other_sims = sims[~truth_mask & upper]
    lowest_true, highest_other = true_sims.min(), other_sims.max()
    confused = int((other_sims >= lowest_true).sum())
    print(f"{name:8} lowest true pair {lowest_true:.3f}  highest other pair {highest_other:.3f}  "
          f"margin {lowest_true - highest_other:+.3f}  other pairs >= lowest true: {confused:,}  "
          f"CPU {cpu * 1e3:.3f} ms/article")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--site-generator", type=Path, default=SHARED_BENCH / "make_site.py")
    a = ap.parse_args()
    if not a.site_generator.exists():
        raise SystemExit(f"no site generator at {a.site_generator} (give --site-generator PATH)")
    from trafilatura.deduplication import Simhash

    with tempfile.TemporaryDirectory(prefix="fingerprint-choice-") as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, str(a.site_generator), "--pages", str(a.pages), "--out", str(site),
                        "--seed", "1"], check=True)
        manifest = json.loads((site / "_bench" / "manifest.json").read_text("utf-8"))
        paths = [article["path"] for article in manifest["articles"]]
        bodies = [clean_body_text(extract_article((site / p.lstrip("/")).read_bytes(),
                                                  "http://127.0.0.1" + p)["body_text"] or "") for p in paths]
    index = {path: i for i, path in enumerate(paths)}
    truth_mask = np.zeros((len(paths), len(paths)), dtype=bool)
    for pair in true_pairs(manifest):
        i, j = sorted(index[p] for p in pair)
        truth_mask[i, j] = truth_mask[j, i] = True
    print(f"{len(paths)} articles, {int(truth_mask.sum()) // 2} true pairs")

    scheme = FingerprintScheme()
    timed = {}
    for name, fingerprint in (("minhash", scheme.signature), ("simhash", lambda text: Simhash(text).hash)):
        started = time.process_time()
        prints = [fingerprint(body) for body in bodies]
        timed[name] = (time.process_time() - started) / len(bodies)
        report(name, similarity_matrix(prints, name), truth_mask, timed[name])
    print(f"CPU ratio simhash/minhash: {timed['simhash'] / timed['minhash']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
