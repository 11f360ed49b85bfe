"""Clusters of copies in the archive: which articles are the same, which is the original.

Two articles are linked when their content hashes are equal or their
MinHash signatures (`pipelines/dedupe.py`) agree on at least the scheme's
threshold; a cluster is a connected group of links, so the clusters do not
depend on the order articles arrive in. Every member points `duplicate_of`
at the cluster's original (the earliest published, else the earliest seen,
else the lowest id) and records its `similarity` to it.

A new article is looked up by its LSH bucket keys in the indexed
`fingerprint_buckets` table: only the few candidates that share a bucket are
read, never the bodies, so the cost per article stays flat as the archive
grows. Only `ArchiveWriter` (inside its batch transaction) and the
`archive dedupe` maintenance command call this.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlite_utils

from pipelines.dedupe import FingerprintScheme

_MEMBER_COLUMNS = """a.id, a.published_at, a.first_seen, a.content_hash, a.duplicate_of,
                     a.similarity, f.minhash"""


def stale_clusters(db: sqlite_utils.Database, scheme: FingerprintScheme, settings: Mapping) -> list[str]:
    """Why the archive's fingerprints and clusters no longer follow `scheme` and these DEDUPE_*
    `settings` ([] when they do): fingerprints made under another scheme (until `archive dedupe
    --rebuild` recomputes them), or DEDUPE_* values other than the previous crawl's."""
    found = [f"fingerprints made as {name!r}, now {scheme.name!r}" for name, in db.execute(
        "SELECT DISTINCT scheme FROM fingerprints WHERE scheme != ? LIMIT 1", [scheme.name])]
    last = db.execute("SELECT settings FROM crawl_runs WHERE settings IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    before = json.loads(last[0]) if last else {}
    for name, value in settings.items():
        if name.startswith("DEDUPE_") and before.get(name) is not None and value is not None:
            if float(before[name]) != float(value):
                found.append(f"{name} was {before[name]} in the previous crawl, now {value}")
    return found


@dataclass
class Member:
    id: int
    published_at: str | None
    first_seen: str | None
    content_hash: str | None
    duplicate_of: int | None
    similarity: float | None
    minhash: bytes | None

    def original_rank(self) -> tuple:
        """Sorts the original first: dated before undated, earliest published, earliest seen, lowest id."""
        return (self.published_at is None, self.published_at or "", self.first_seen or "", self.id)


class Clusters:
    """Places articles into clusters; each method runs inside the caller's transaction."""

    def __init__(self, db: sqlite_utils.Database, scheme: FingerprintScheme):
        self.db = db
        self.scheme = scheme

    # -- one article --------------------------------------------------------

    def place(self, article_id: int, content_hash: str | None, minhash: bytes | None) -> None:
        """Record the article's fingerprint and join it (and every cluster it links) into one cluster."""
        linked = self._same_content(article_id, content_hash)
        self.db.execute("INSERT OR REPLACE INTO fingerprints (article_id, scheme, minhash) VALUES (?, ?, ?)",
                        [article_id, self.scheme.name, minhash])
        if minhash is not None:
            keys = self.scheme.bucket_keys(minhash)
            linked |= self._similar(article_id, minhash, keys)
            self.db.conn.executemany("INSERT OR IGNORE INTO fingerprint_buckets (bucket, article_id) VALUES (?, ?)",
                                     [(key, article_id) for key in keys])
        if not linked:
            return
        roots = {row[0] for row in self._in("SELECT DISTINCT coalesce(duplicate_of, id) FROM articles WHERE id IN ({})",
                                            sorted(linked))}
        self._point(self._members(roots | {article_id}))

    def leave(self, article_id: int) -> None:
        """Take an article whose content changed out of its cluster (and the
        index); the rest of the cluster regroups by its own links."""
        self._forget(article_id)
        root = self.db.execute("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = ?",
                               [article_id]).fetchone()
        if root is None:
            return
        self.db.execute("UPDATE articles SET duplicate_of = NULL, similarity = NULL WHERE id = ?", [article_id])
        rest = [m for m in self._members({root[0]}) if m.id != article_id]
        for group in self._groups(rest):
            self._point(group)

    def forget_all(self) -> None:
        """Drop every fingerprint and cluster (before a rebuild)."""
        self.db.execute("DELETE FROM fingerprint_buckets")
        self.db.execute("DELETE FROM fingerprints")
        self.db.execute("UPDATE articles SET duplicate_of = NULL, similarity = NULL "
                        "WHERE duplicate_of IS NOT NULL OR similarity IS NOT NULL")

    # -- lookups ------------------------------------------------------------

    def _same_content(self, article_id: int, content_hash: str | None) -> set[int]:
        if content_hash is None:
            return set()
        return {row[0] for row in self.db.execute(
            "SELECT id FROM articles WHERE content_hash = ? AND id != ?", [content_hash, article_id])}

    def _similar(self, article_id: int, minhash: bytes, keys: list[int]) -> set[int]:
        """Articles sharing an LSH bucket whose signature agrees at least `threshold`."""
        candidates = self.db.execute(
            f"""SELECT f.article_id, f.minhash FROM fingerprints AS f
                WHERE f.article_id IN (SELECT article_id FROM fingerprint_buckets
                                       WHERE bucket IN ({", ".join("?" * len(keys))}))
                  AND f.article_id != ? AND f.scheme = ?""",
            [*keys, article_id, self.scheme.name])
        return {id_ for id_, other in candidates
                if self.scheme.similarity(minhash, other) >= self.scheme.threshold}

    def _members(self, roots: set[int]) -> list[Member]:
        ids = sorted(roots)
        marks = ", ".join("?" * len(ids))
        return [Member(*row) for row in self.db.execute(
            f"""SELECT {_MEMBER_COLUMNS} FROM articles AS a LEFT JOIN fingerprints AS f ON f.article_id = a.id
                WHERE a.id IN ({marks}) OR a.duplicate_of IN ({marks})""", ids + ids)]

    def _in(self, sql: str, values: list) -> list[tuple]:
        return self.db.execute(sql.format(", ".join("?" * len(values))), values).fetchall()

    # -- writing ------------------------------------------------------------

    def _point(self, members: list[Member]) -> None:
        """Point every member at the group's original, with its similarity to it."""
        original = min(members, key=Member.original_rank)
        updates = []
        for member in members:
            wanted = (None, None) if member is original else (original.id, self._similarity(member, original))
            if (member.duplicate_of, member.similarity) != wanted:
                updates.append((*wanted, member.id))
        self.db.conn.executemany("UPDATE articles SET duplicate_of = ?, similarity = ? WHERE id = ?", updates)

    def _similarity(self, a: Member, b: Member) -> float | None:
        if a.content_hash is not None and a.content_hash == b.content_hash:
            return 1.0
        if a.minhash is None or b.minhash is None:
            return None
        return self.scheme.similarity(a.minhash, b.minhash)

    def _linked(self, a: Member, b: Member) -> bool:
        similarity = self._similarity(a, b)
        return similarity is not None and similarity >= self.scheme.threshold

    def _groups(self, members: list[Member]) -> Iterable[list[Member]]:
        """Connected groups of members by their own links (pairwise: clusters are small)."""
        left = list(members)
        while left:
            group = [left.pop()]
            for current in group:  # the group grows while it is walked: breadth first
                joined = {m.id for m in left if self._linked(current, m)}
                group += [m for m in left if m.id in joined]
                left = [m for m in left if m.id not in joined]
            yield group

    def _forget(self, article_id: int) -> None:
        """Remove the article's fingerprint and buckets (by its keys when the scheme is current)."""
        row = self.db.execute("SELECT scheme, minhash FROM fingerprints WHERE article_id = ?", [article_id]).fetchone()
        if row is None:
            return
        scheme, minhash = row
        if minhash is not None and scheme == self.scheme.name:
            self.db.conn.executemany("DELETE FROM fingerprint_buckets WHERE bucket = ? AND article_id = ?",
                                     [(key, article_id) for key in self.scheme.bucket_keys(minhash)])
        elif minhash is not None:  # made under another scheme: its keys are unknown here
            self.db.execute("DELETE FROM fingerprint_buckets WHERE article_id = ?", [article_id])
        self.db.execute("DELETE FROM fingerprints WHERE article_id = ?", [article_id])
