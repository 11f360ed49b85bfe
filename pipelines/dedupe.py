"""Fingerprint articles: a content hash for exact copies, a MinHash for near copies.

Runs after NormalizePipeline (ITEM_PIPELINES 100 < 200), so URLs, title and
body_text are already in their canonical form and equal content hashes
equal. A second copy of one URL within a run is dropped here; the same or
nearly the same *content* under another URL is kept: the store looks the
item's fingerprint up in the archive (`pipelines/clusters.py`) and points
`duplicate_of` at the cluster's original, so analysts see every URL.

Why MinHash over word/character shingles and not SimHash: measured on the
shared 2,000-page benchmark site (`benchmarks/fingerprint_choice.py`), every
true pair keeps an estimated Jaccard >= 0.80 while no other pair passes
0.21; with trafilatura's 64-bit SimHash, 311,049 unrelated pairs (same
vocabulary, same sentence patterns) are as close as the least similar
repost, so no threshold separates them. MinHash also gives banded LSH
(`bucket_keys`), which the archive indexes so a lookup never reads bodies.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

# --- data tables -----------------------------------------------------------

# Lines a site adds to every repost (reprint notices, source and copyright
# lines). A body line at most NOTICE_MAX_CHARS long that contains one of
# these markers (case ignored) is left out of the fingerprint, so the notice
# never breaks a match; the article text keeps it. Plain substrings, not
# regular expressions: a few `in` tests cost microseconds per article.
NOTICE_MARKERS = {
    "zh_reprint": ("转载", "转自", "本文来自", "本文来源", "文章来源", "来源:", "来源：", "出处:", "出处：",
                   "原文链接", "原文地址", "原文出处"),
    "zh_rights": ("版权声明", "版权所有", "版权归", "著作权归", "侵权", "禁止转载", "未经许可", "未经授权",
                  "请注明出处", "仅供学习", "仅供参考"),
    "en_reprint": ("reprinted from", "reprinted with", "republished from", "republished with",
                   "reposted from", "cross-posted", "crossposted", "originally published",
                   "originally appeared", "first published on", "first appeared on", "source:", "via:"),
    "en_rights": ("copyright", "all rights reserved", "©"),
}
NOTICE_MAX_CHARS = 200

# What a shingle is made of: one CJK ideograph / kana / hangul syllable, or
# one run of letters and digits (a word). Punctuation and spacing are
# dropped, so re-spaced or re-punctuated copies shingle alike; mixed text is
# one token stream. (Characters beyond the BMP count as CJK.)
CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))
SEPARATOR, WORD, CJK = 0, 1, 2

# LSH bands x rows that datasketch's `_optimal_param` (false positives and
# negatives weighed alike) picks, by num_perm and threshold: computing them
# means importing datasketch.lsh, which imports scipy, about half a second
# at the start of every crawl. Other settings still ask datasketch.
# tests/test_dedupe.py checks every entry against its computation.
LSH_PARAMS = {
    64: {0.05: (32, 1), 0.10: (15, 1), 0.15: (32, 2), 0.20: (28, 2), 0.25: (18, 2), 0.30: (21, 3), 0.35: (21, 3),
         0.40: (16, 4), 0.45: (16, 4), 0.50: (14, 4), 0.55: (12, 5), 0.60: (10, 6), 0.65: (9, 7), 0.70: (8, 8),
         0.75: (7, 9), 0.80: (5, 11), 0.85: (4, 15), 0.90: (3, 21), 0.95: (2, 32), 1.00: (1, 64)},
    128: {0.05: (32, 1), 0.10: (64, 2), 0.15: (51, 2), 0.20: (28, 2), 0.25: (42, 3), 0.30: (37, 3), 0.35: (32, 4),
          0.40: (32, 4), 0.45: (25, 5), 0.50: (25, 5), 0.55: (21, 6), 0.60: (18, 7), 0.65: (16, 8), 0.70: (14, 9),
          0.75: (11, 11), 0.80: (9, 13), 0.85: (8, 16), 0.90: (5, 25), 0.95: (3, 42), 1.00: (1, 128)},
    256: {0.05: (32, 1), 0.10: (117, 2), 0.15: (51, 2), 0.20: (85, 3), 0.25: (64, 3), 0.30: (64, 4), 0.35: (61, 4),
          0.40: (51, 5), 0.45: (47, 5), 0.50: (42, 6), 0.55: (36, 7), 0.60: (32, 8), 0.65: (28, 9), 0.70: (25, 10),
          0.75: (21, 12), 0.80: (17, 15), 0.85: (13, 19), 0.90: (9, 28), 0.95: (5, 51), 1.00: (1, 256)},
}

# One pass over the text finds any marker (a scan per marker cost ~1 ms per article).
_MARKER = re.compile("|".join(re.escape(marker) for markers in NOTICE_MARKERS.values() for marker in markers))


# --- exact copies ----------------------------------------------------------

def content_hash(title: str | None, body_text: str | None) -> str:
    """sha256 hex of title + "\\n" + body_text: equal for pages that read the same."""
    text = f"{title or ''}\n{body_text or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- near copies -------------------------------------------------------------

def is_notice(line: str) -> bool:
    """A reprint/source/copyright line (see NOTICE_MARKERS)."""
    return len(line) <= NOTICE_MAX_CHARS and _has_marker(line.lower())


def _has_marker(lowered: str) -> bool:
    return _MARKER.search(lowered) is not None


def without_notices(text: str) -> str:
    """The text minus its notice lines (the whole text is tested first: most have none)."""
    if not _has_marker(text.lower()):
        return text
    return "\n".join(line for line in text.splitlines() if not is_notice(line))


def _char_classes() -> np.ndarray:
    """SEPARATOR / WORD / CJK for every BMP code point (Python's own isalnum)."""
    classes = np.array([WORD if chr(c).isalnum() else SEPARATOR for c in range(0x10000)], dtype=np.uint8)
    for low, high in CJK_RANGES:
        classes[low:high + 1] = CJK
    return classes


_CLASSES = _char_classes()
_PRIME = 1_000_003                         # odd, so invertible modulo 2**64
_PRIME_INVERSE = pow(_PRIME, -1, 2 ** 64)


def _powers(base: int, count: int) -> np.ndarray:
    """base**0 .. base**(count-1), wrapping modulo 2**64."""
    factors = np.full(count, base, dtype=np.uint64)
    factors[0] = 1
    return np.cumprod(factors, dtype=np.uint64)


def tokens(text: str) -> np.ndarray:
    """The text as token ids in reading order: a CJK character is its code
    point, a word is a polynomial hash of its characters (all in numpy:
    a regular expression and a hash call per token cost 5x more)."""
    points = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    classes = np.where(points > 0xFFFF, CJK, _CLASSES[np.minimum(points, 0xFFFF)])
    word = classes == WORD
    starts = (classes == CJK) | (word & ~np.concatenate(([False], word[:-1])))
    ids = points[starts]
    word_starts = np.flatnonzero(word & starts)
    if len(word_starts):
        # sum of c_i * P**i over each run, shifted by P**-start: the run's own hash
        where = np.flatnonzero(word)
        weighted = points[where] * _powers(_PRIME, len(points) + 1)[where + 1]
        sums = np.add.reduceat(weighted, np.searchsorted(where, word_starts))
        runs = sums * _powers(_PRIME_INVERSE, len(points) + 1)[word_starts + 1]
        ids[word[starts]] = runs | np.uint64(1 << 63)   # apart from code points
    return ids


def shingles(text: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of every run of `size` tokens (CJK characters
    or words), notice lines left out; fewer tokens than `size` give none."""
    ids = tokens(without_notices(text))
    count = len(ids) - size + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    rolled = np.zeros(count, dtype=np.uint64)
    for k in range(size):  # polynomial hash of each window, wrapping mod 2**64
        rolled = rolled * np.uint64(_PRIME) + ids[k:k + count]
    return _sorted_unique((rolled ^ (rolled >> np.uint64(32))).astype(np.uint32))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values) of a non-empty array, by a sort and a neighbour test: np.unique's
    hash table cost eight times as much on an article's few thousand shingles."""
    values = np.sort(values)
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


# MurmurHash3's 32-bit finalizer (shift, multiplier, shift, multiplier, shift): datasketch's
# affine32 scheme mixes every input hash with it before its permutations.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def _fmix32(hashes: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hashes = hashes ^ (hashes >> s1)
    hashes = hashes * m1
    hashes = hashes ^ (hashes >> s2)
    hashes = hashes * m2
    return hashes ^ (hashes >> s3)


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for a threshold: from LSH_PARAMS, else computed by datasketch."""
    known = LSH_PARAMS.get(num_perm, {}).get(threshold)
    if known is not None:
        return known
    from datasketch.lsh import _optimal_param
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


@dataclass(frozen=True)
class FingerprintScheme:
    """How bodies become MinHash signatures and LSH buckets.

    Two signatures compare only under the same scheme; `name` spells every
    parameter and seeds the bucket keys, so after a change old buckets never
    match new ones until `archive dedupe --rebuild` recomputes them.
    `threshold` is the estimated Jaccard at which two bodies are one cluster;
    the bands are the ones datasketch's MinHashLSH picks for it (its
    `_optimal_param`, called directly because MinHashLSH refuses one band,
    which thresholds near 1 need; see LSH_PARAMS). The signatures are
    datasketch's affine32 MinHash (tests/test_dedupe.py holds them equal),
    made without importing it.
    """

    threshold: float = 0.5
    shingle_size: int = 5
    num_perm: int = 128
    min_shingles: int = 10
    seed: int = 1
    bands: int = field(init=False)
    rows: int = field(init=False)

    def __post_init__(self):
        if not 0 < self.threshold <= 1:
            raise ValueError(f"DEDUPE_THRESHOLD must be in (0, 1], got {self.threshold}")
        bands, rows = lsh_params(self.threshold, self.num_perm)
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "rows", rows)

    @classmethod
    def from_settings(cls, settings) -> FingerprintScheme:
        return cls(threshold=settings.getfloat("DEDUPE_THRESHOLD", cls.threshold),
                   shingle_size=settings.getint("DEDUPE_SHINGLE_SIZE", cls.shingle_size),
                   num_perm=settings.getint("DEDUPE_NUM_PERM", cls.num_perm),
                   min_shingles=settings.getint("DEDUPE_MIN_SHINGLES", cls.min_shingles))

    @property
    def name(self) -> str:
        return (f"minhash-affine32 perm={self.num_perm} seed={self.seed} shingle={self.shingle_size} "
                f"min={self.min_shingles} bands={self.bands}x{self.rows}")

    @cached_property
    def _permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """The affine permutations (a odd, b) datasketch's affine32 MinHash draws for this seed,
        drawn as it draws them: importing datasketch imports scipy, ~60 MB in every process."""
        draw = np.random.RandomState(self.seed)
        a = draw.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        return a, draw.randint(0, 1 << 32, self.num_perm, dtype=np.uint32)

    def signature(self, body_text: str | None) -> bytes | None:
        """The body's MinHash as bytes (num_perm uint32), or None when the body
        is too short to say anything beyond its exact hash.

        The signature datasketch's affine32 MinHash gives these shingle
        hashes (min over shingles of a * fmix32(h) + b, modulo 2**32), in
        one numpy expression: its update_batch calls a hash function per
        shingle in Python first, the larger part of the cost.
        """
        hashes = shingles(body_text or "", self.shingle_size)
        if len(hashes) < self.min_shingles:
            return None
        a, b = self._permutations
        permuted = np.multiply.outer(a, _fmix32(hashes))   # one row per permutation: each min runs along a row
        permuted += b[:, None]
        return permuted.min(axis=1).astype("<u4").tobytes()

    def fingerprints(self, article) -> dict:
        """content_hash and fingerprint of a normalized article (a mapping with title and body_text)."""
        return {"content_hash": content_hash(article.get("title"), article.get("body_text")),
                "fingerprint": self.signature(article.get("body_text"))}

    @cached_property
    def _band_keys(self) -> list[bytes]:
        return [hashlib.blake2b(f"{self.name} band={band}".encode()).digest()[:32] for band in range(self.bands)]

    def bucket_keys(self, signature: bytes) -> list[int]:
        """One signed 64-bit key per LSH band (keyed by scheme and band): equal keys = candidate pair."""
        width = self.rows * 4
        return [int.from_bytes(hashlib.blake2b(signature[band * width:(band + 1) * width],
                                               digest_size=8, key=key).digest(), "little", signed=True)
                for band, key in enumerate(self._band_keys)]

    @staticmethod
    def similarity(a: bytes, b: bytes) -> float:
        """Estimated Jaccard similarity of two signatures: the share of equal slots."""
        left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
        return float(np.count_nonzero(left == right)) / len(left)


# --- the pipeline --------------------------------------------------------------

class DedupePipeline:
    """Sets `content_hash` and `fingerprint`; drops an article whose URL was already seen this run.

    Redirects and link spellings that normalize alike are the usual cause:
    Scrapy's request dupefilter sees the URLs before redirects and before our
    normalization, this sees them after. Failures and 304s pass through untouched.
    The fingerprint is computed here (or, in a crawl, by the analysis worker
    beside extraction: an article that carries its content_hash keeps it),
    so the store only looks it up.
    """

    def __init__(self, stats=None, scheme: FingerprintScheme | None = None):
        self.stats = stats
        self.scheme = scheme or FingerprintScheme()
        self.seen_urls: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, FingerprintScheme.from_settings(crawler.settings))

    def process_item(self, item):
        # Scrapy's types imported here, not with the module: the analysis worker imports
        # this module for FingerprintScheme and runs no Scrapy (crawler/analysis.py)
        from crawler.items import URL_OUTCOME_ITEMS
        if isinstance(item, URL_OUTCOME_ITEMS):
            return item
        url = item["url"]
        if url in self.seen_urls:
            from scrapy.exceptions import DropItem
            if self.stats is not None:
                self.stats.inc_value("dedupe/same_url_dropped")
            # Expected on every crawl (redirect targets, link spellings): not a warning.
            raise DropItem(f"already archived in this run: {url}", log_level="INFO")
        self.seen_urls.add(url)
        if item.get("content_hash") is None:   # else fingerprinted by the analysis worker
            item.update(self.scheme.fingerprints(item))
        return item
