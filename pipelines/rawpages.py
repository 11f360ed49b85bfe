"""Raw pages as the archive keeps them: zstd with a dictionary trained on each site's own pages.

The pages of one site repeat most of their markup (head, navigation,
sidebar, footer); compressed one at a time, every page pays for it again.
A zstd dictionary trained on the site's pages holds it once. On a generated
1,000-page site, zlib kept 35% of the HTML, zstd with a 32 KiB dictionary
trained on 32 of the site's pages 17%, and was faster both ways; on two real
news sites (14 and 30 pages, half of them the sample) 25-27% -> 12-14%.
Without a dictionary zstd is no better than zlib (22.7% against 22.1% of
1,450 real pages), so a site's pages stay zlib until it has one.

A site's first pages, until it has TRAIN_PAGES of them, are stored with
zlib in `html_zlib`, as every page was before; the batch that reaches
TRAIN_PAGES trains the site's dictionary (a `raw_page_dictionaries` row) and
recompresses them, and every later page of the site is stored in
`html_zstd` with its `dictionary_id`. `html` reads either, so archives
written before read as they did.
"""
from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable
from functools import lru_cache

import sqlite_utils
import zstandard

from pipelines.inserts import insert

logger = logging.getLogger(__name__)

TRAIN_PAGES = 32             # a site's pages before its dictionary is trained (enough on measurement)
SAMPLE_PAGES = 128           # at most this many of its latest pages are the training sample
DICTIONARY_BYTES = 32 * 1024
LEVEL = 3                    # zstd's default: higher levels cost several times the CPU for ~10% fewer bytes
_CHUNK = 200                 # pages recompressed per statement when a dictionary is trained

# What `html` needs, selected from `raw_pages AS r`.
COLUMNS = ("r.html_zstd, r.html_zlib, "
           "(SELECT dictionary FROM raw_page_dictionaries WHERE id = r.dictionary_id)")

# A site's pages still in zlib, latest first.
_ZLIB_IDS_OF_SITE = """
SELECT r.article_id FROM raw_pages AS r JOIN articles AS a ON a.id = r.article_id
WHERE a.site IS ? AND r.html_zlib IS NOT NULL ORDER BY r.article_id DESC"""


def html(html_zstd: bytes | None, html_zlib: bytes | None, dictionary: bytes | None) -> bytes | None:
    """A raw page's bytes exactly as fetched, from either encoding (see COLUMNS)."""
    if html_zstd is not None:
        return _decompressor(dictionary).decompress(html_zstd)
    return None if html_zlib is None else zlib.decompress(html_zlib)


@lru_cache(maxsize=16)
def _decompressor(dictionary: bytes) -> zstandard.ZstdDecompressor:
    return zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(dictionary))


class RawPages:
    """Writes raw pages into one archive, each site's with its dictionary once it has one."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._compressors: dict[str | None, tuple[int, zstandard.ZstdCompressor] | None] = {}

    def write(self, pages: Iterable[tuple[int, str | None, dict]]) -> None:
        """Insert or replace raw pages given as (article id, site, raw_pages row with `html`
        bytes in place of the encoded columns); then train the dictionary of each site
        that now has enough pages."""
        rows, sites = [], set()
        for article_id, site, raw in pages:
            rows.append({"article_id": article_id, **{k: v for k, v in raw.items() if k != "html"},
                         **self._encode(site, raw["html"])})
            sites.add(site)
        insert(self.db.conn, "raw_pages", rows, replace=True)
        for site in sites:
            if self._compressor(site) is None and self._zlib_count(site) >= TRAIN_PAGES:
                self.train(site)

    def train(self, site: str | None) -> bool:
        """Train `site`'s dictionary on its latest zlib pages and recompress all of them with it;
        False when zstd finds too little to learn from (the pages stay zlib, tried again later)."""
        ids = [id_ for id_, in self.db.execute(_ZLIB_IDS_OF_SITE, [site])]
        samples = [page for _, page in self._zlib_pages(ids[:SAMPLE_PAGES])]
        try:
            trained = zstandard.train_dictionary(DICTIONARY_BYTES, samples)
        except zstandard.ZstdError as exc:
            logger.info("no raw-page dictionary for %s yet: %s", site, exc)
            return False
        dictionary_id = self.db["raw_page_dictionaries"].insert(
            {"site": site, "pages": len(samples), "dictionary": trained.as_bytes()}).last_pk
        self._compressors[site] = (dictionary_id, zstandard.ZstdCompressor(level=LEVEL, dict_data=trained))
        for start in range(0, len(ids), _CHUNK):
            self.db.conn.executemany(
                "UPDATE raw_pages SET html_zstd = :html_zstd, dictionary_id = :dictionary_id, html_zlib = NULL "
                "WHERE article_id = :article_id",
                [{"article_id": id_, **self._encode(site, page)}
                 for id_, page in self._zlib_pages(ids[start:start + _CHUNK])])
        return True

    def train_all(self) -> int:
        """Train a dictionary for every site with enough zlib pages (an archive from before); returns how many."""
        sites = [site for site, in self.db.execute(
            "SELECT a.site FROM raw_pages AS r JOIN articles AS a ON a.id = r.article_id "
            "WHERE r.html_zlib IS NOT NULL GROUP BY a.site HAVING count(*) >= ?", [TRAIN_PAGES])]
        return sum(self._compressor(site) is None and self.train(site) for site in sites)

    def _encode(self, site: str | None, page: bytes | None) -> dict:
        """The encoded columns of one page: zstd with the site's dictionary, else zlib."""
        compressor = self._compressor(site)
        if page is None or compressor is None:
            return {"html_zlib": None if page is None else zlib.compress(page),
                    "html_zstd": None, "dictionary_id": None}
        dictionary_id, zstd = compressor
        return {"html_zlib": None, "html_zstd": zstd.compress(page), "dictionary_id": dictionary_id}

    def _compressor(self, site: str | None) -> tuple[int, zstandard.ZstdCompressor] | None:
        if site not in self._compressors:
            row = self.db.execute("SELECT id, dictionary FROM raw_page_dictionaries WHERE site IS ? "
                                  "ORDER BY id DESC LIMIT 1", [site]).fetchone()
            self._compressors[site] = row and (row[0], zstandard.ZstdCompressor(
                level=LEVEL, dict_data=zstandard.ZstdCompressionDict(row[1])))
        return self._compressors[site]

    def _zlib_count(self, site: str | None) -> int:
        return self.db.execute("SELECT count(*) FROM raw_pages AS r JOIN articles AS a ON a.id = r.article_id "
                               "WHERE a.site IS ? AND r.html_zlib IS NOT NULL", [site]).fetchone()[0]

    def _zlib_pages(self, ids: list[int]) -> list[tuple[int, bytes]]:
        """(article id, page bytes) of these zlib pages."""
        rows = self.db.execute(f"SELECT article_id, html_zlib FROM raw_pages WHERE article_id IN "
                               f"({', '.join('?' * len(ids))})", ids).fetchall()
        return [(id_, zlib.decompress(page)) for id_, page in rows]
