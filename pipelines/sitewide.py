"""Related blocks that a crawl finds the same on many pages of a site are site-wide lists.

One page cannot always tell a "most read" box from a related block; a
crawl can: a block chosen for the article changes with the article, a
site-wide list links the same pages from every page it is on. At the end
of a run, a link that the related blocks of at least `share` of the run's
articles of a site show (and of at least `min_pages` of them, not counting
the linked page itself) is learned as site-wide and kept in
`sitewide_links`; a block made mostly (`block_share`) of a site's learned
links is then dropped: from the run's articles and every earlier one of
that site now, and from articles written later (next runs, `reparse`) as
they are written. The raw page and `sitewide_links` keep what was shown.
A site whose profile chooses the related block is never second-guessed.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import sqlite_utils

logger = logging.getLogger(__name__)

MIN_PAGES = 5        # a link shown on fewer of a run's pages is not learned as site-wide
SHARE = 0.5          # ... nor one shown on less than this share of the run's pages with a block
BLOCK_SHARE = 0.8    # a block is site-wide when this share of its links are

_SHOWN_LINKS = """
    WITH shown AS (
        SELECT a.site, a.id, l.url AS link
        FROM articles AS a JOIN related_links AS l ON l.article_id = a.id
        WHERE a.run_id = :run AND l.url IS NOT NULL AND l.url != a.url
    ), pages AS (SELECT site, count(DISTINCT id) AS n FROM shown GROUP BY site)
    SELECT shown.site, shown.link, count(DISTINCT shown.id) AS shown_on, pages.n
    FROM shown JOIN pages USING (site)
    GROUP BY shown.site, shown.link
    HAVING shown_on >= max(:min_pages, :share * pages.n)
"""


def is_sitewide(links: Iterable[str | None], learned: set[str]) -> bool:
    """Whether a block's links are mostly ones learned as site-wide."""
    urls = [url for url in links if url]
    return bool(urls) and sum(url in learned for url in urls) >= BLOCK_SHARE * len(urls)


class SiteWideLinks:
    """The learned site-wide links of an archive, per site, and the blocks they rule out."""

    def __init__(self, db: sqlite_utils.Database, exempt: Iterable[str] = ()):
        self.db = db
        self.exempt = frozenset(exempt)   # sites whose profile chooses the related block
        self._learned: dict[str, set[str]] = {}

    def learned(self, site: str | None) -> set[str]:
        if site not in self._learned:
            self._learned[site] = {url for url, in self.db.execute(
                "SELECT url FROM sitewide_links WHERE site IS ?", [site])}
        return self._learned[site]

    def keep(self, site: str | None, related: list[Mapping]) -> list[Mapping]:
        """The related block to store: empty when it is a learned site-wide list."""
        if site in self.exempt or not related:
            return related
        return [] if is_sitewide((link["url"] for link in related), self.learned(site)) else related

    def learn(self, run_id: int, learned_at: str, min_pages: int = MIN_PAGES, share: float = SHARE) -> int:
        """Learn from one run's articles and drop the blocks that turn out site-wide;
        returns how many articles lost their block."""
        found: dict[str, list[dict]] = {}
        for site, link, shown_on, pages in self.db.execute(
                _SHOWN_LINKS, {"run": run_id, "min_pages": min_pages, "share": share}):
            if site not in self.exempt:
                found.setdefault(site, []).append({"site": site, "url": link, "pages": shown_on,
                                                   "share": round(shown_on / pages, 3),
                                                   "run_id": run_id, "learned_at": learned_at})
        dropped = 0
        for site, rows in found.items():
            self.db["sitewide_links"].upsert_all(rows, pk=("site", "url"))
            self._learned.pop(site, None)
            dropped += self._drop_blocks(site)
        if dropped:
            logger.info("related blocks of %d articles were site-wide lists (see sitewide_links)", dropped)
        return dropped

    def _drop_blocks(self, site: str) -> int:
        learned = self.learned(site)
        blocks: dict[int, list[str]] = {}
        for article_id, url in self.db.execute(
                "SELECT l.article_id, l.url FROM related_links AS l JOIN articles AS a ON a.id = l.article_id"
                " WHERE a.site IS ?", [site]):
            blocks.setdefault(article_id, []).append(url)
        ids = [(id_,) for id_, links in blocks.items() if is_sitewide(links, learned)]
        self.db.conn.executemany("DELETE FROM related_links WHERE article_id = ?", ids)
        return len(ids)
