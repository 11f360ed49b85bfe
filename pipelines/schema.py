"""The archive's tables: the contract analysts write SQL against.

Every table and column here is described in `datasette/metadata.yaml` and in
the README's data dictionary (a test keeps the three in step). Change a
table only by appending a migration to `MIGRATIONS`: `PRAGMA user_version`
records how many have run, so an old archive is upgraded in place on open.
"""
import sqlite_utils

from pipelines import search

TABLES = {
    "crawl_runs": dict(
        columns={
            "id": int, "started_at": str, "finished_at": str, "status": str,
            "site": str, "start_urls": str, "fetched": int, "new": int,
            "changed": int, "unchanged": int, "failed": int, "settings": str,
        },
        pk="id",
    ),
    "articles": dict(
        columns={
            "id": int, "url": str, "canonical_url": str, "site": str,
            "title": str, "section": str, "published_at": str,
            "date_source": str, "author": str, "language": str,
            "body_text": str, "body_html": str, "body_markdown": str,
            "content_hash": str, "duplicate_of": int, "first_seen": str,
            "last_seen": str, "last_changed": str, "status": str,
            "run_id": int,
        },
        pk="id",
        not_null={"url"},
        foreign_keys=[("duplicate_of", "articles", "id"),
                      ("run_id", "crawl_runs", "id")],
    ),
    "breadcrumbs": dict(
        columns={"article_id": int, "position": int, "name": str, "url": str},
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "related_links": dict(
        columns={
            "article_id": int, "position": int, "title": str, "url": str,
            "snippet": str, "target_id": int,
        },
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id"),
                      ("target_id", "articles", "id")],
    ),
    "raw_pages": dict(
        columns={
            "article_id": int, "fetched_at": str, "http_status": int,
            "encoding": str, "headers": str, "html_zlib": bytes,
        },
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "failures": dict(
        columns={
            "url": str, "reason": str, "http_status": int, "error": str,
            "bytes": int, "attempts": int, "times_failed": int,
            "first_failed": str, "last_failed": str, "run_id": int,
        },
        pk="url",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    ),
}

INDEXES = [
    ("articles", ["url"], True),
    ("articles", ["content_hash"], False),
    ("articles", ["site", "published_at"], False),
    ("related_links", ["url"], False),
    ("related_links", ["target_id"], False),
    ("failures", ["reason"], False),
]


def _create_v1(db: sqlite_utils.Database) -> None:
    for name, spec in TABLES.items():
        db[name].create(**spec)
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique)


def _add_search(db: sqlite_utils.Database) -> None:
    """Full-text search over title and body (see pipelines/search.py), filled from existing articles."""
    search.create_index(db.conn)
    search.reindex_all(db.conn)


MIGRATIONS = [_create_v1, _add_search]


def open_archive(path) -> sqlite_utils.Database:
    """Open (creating or upgrading) an archive with the pragmas every user needs."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=10000")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for step, migrate in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.atomic():
            migrate(db)
            db.execute(f"PRAGMA user_version={step}")
    return db
