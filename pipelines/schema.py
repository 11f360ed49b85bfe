"""The archive's tables: the contract analysts write SQL against.

Every table and column here is described in `datasette/metadata.yaml` and in
the README's data dictionary (a test keeps the three in step). Change a
table only by appending a migration to `MIGRATIONS`: `PRAGMA user_version`
records how many have run, so an old archive is upgraded in place on open.
"""
import sqlite_utils

from pipelines import rawpages, search

TABLES = {
    "crawl_runs": dict(
        columns={
            "id": int, "started_at": str, "finished_at": str, "status": str,
            "site": str, "start_urls": str, "fetched": int, "new": int,
            "changed": int, "unchanged": int, "failed": int, "settings": str,
            "not_modified": int, "gone": int, "skipped": int, "duration": float,
            "listings": int,
        },
        pk="id",
    ),
    "articles": dict(
        columns={
            "id": int, "url": str, "canonical_url": str, "site": str,
            "title": str, "section": str, "published_at": str,
            "date_source": str, "author": str, "language": str,
            "body_text": str, "body_html": str, "body_markdown": str,
            "content_hash": str, "duplicate_of": int, "similarity": float, "first_seen": str,
            "last_seen": str, "last_changed": str, "status": str,
            "run_id": int, "gone_at": str,
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
            "snippet": str, "target_id": int, "snippet_mismatch": int,
        },
        pk=("article_id", "position"),
        foreign_keys=[("article_id", "articles", "id"),
                      ("target_id", "articles", "id")],
    ),
    "raw_page_dictionaries": dict(
        columns={"id": int, "site": str, "pages": int, "dictionary": bytes},
        pk="id",
    ),
    "raw_pages": dict(
        columns={
            "article_id": int, "fetched_at": str, "http_status": int,
            "encoding": str, "encoding_source": str, "headers": str, "html_zlib": bytes,
            "html_zstd": bytes, "dictionary_id": int,
        },
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id"), ("dictionary_id", "raw_page_dictionaries", "id")],
    ),
    "fingerprints": dict(
        columns={"article_id": int, "scheme": str, "minhash": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "fingerprint_buckets": dict(
        columns={"bucket": int, "article_id": int},
        pk=("bucket", "article_id"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "revisions": dict(
        columns={
            "id": int, "article_id": int, "title": str, "body_text": str, "body_markdown": str,
            "content_hash": str, "first_seen": str, "last_seen": str, "replaced_at": str,
            "cause": str, "run_id": int, "diff": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id")],
    ),
    "redirects": dict(
        columns={"url": str, "article_id": int, "last_seen": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "failures": dict(
        columns={
            "url": str, "reason": str, "http_status": int, "error": str,
            "bytes": int, "attempts": int, "times_failed": int,
            "first_failed": str, "last_failed": str, "seconds": float, "run_id": int,
        },
        pk="url",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    ),
    "listings": dict(
        columns={
            "url": str, "kind": str, "why": str, "links": int,
            "first_seen": str, "last_seen": str, "run_id": int,
        },
        pk="url",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    ),
    "import_runs": dict(
        columns={
            "id": int, "started_at": str, "finished_at": str, "status": str, "sources": str,
            "site": str, "match": str, "records": int, "articles": int, "skipped": int,
            "revisits": int, "failed": int, "new": int, "changed": int, "unchanged": int,
            "duration": float,
        },
        pk="id",
    ),
    "import_files": dict(
        columns={
            "file": str, "import_run_id": int, "offset": int, "records": int,
            "status": str, "error": str, "updated_at": str,
        },
        pk="file",
        foreign_keys=[("import_run_id", "import_runs", "id")],
    ),
    "import_errors": dict(
        columns={
            "id": int, "import_run_id": int, "file": str, "offset": int,
            "url": str, "record_id": str, "error": str, "failed_at": str,
        },
        pk="id",
        foreign_keys=[("import_run_id", "import_runs", "id")],
    ),
    "article_parts": dict(
        columns={"article_id": int, "part": int, "url": str, "status": str, "http_status": int, "error": str,
                 "encoding": str, "html_zlib": bytes},
        pk=("article_id", "part"),
        foreign_keys=[("article_id", "articles", "id")],
    ),
    "captures": dict(
        columns={
            "id": int, "url": str, "timestamp": str, "status": int, "mime": str,
            "digest": str, "file": str, "offset": int, "length": int, "record_id": str,
            "record_type": str, "refers_to": str, "article_id": int, "source": str,
            "run_id": int, "import_run_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("run_id", "crawl_runs", "id"),
                      ("import_run_id", "import_runs", "id")],
    ),
    "sitewide_links": dict(
        columns={"site": str, "url": str, "pages": int, "share": float, "run_id": int, "learned_at": str},
        pk=("site", "url"),
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
    ("articles", ["duplicate_of"], False),
    ("articles", ["status"], False),
    ("revisions", ["article_id", "replaced_at"], False),
    ("listings", ["kind"], False),
    ("captures", ["record_id"], True),
    ("captures", ["url", "timestamp"], False),
    ("captures", ["article_id", "timestamp"], False),
    ("captures", ["file", "offset"], False),
    ("article_parts", ["url"], False),
]

# Read-only views over the tables above, part of the same contract.
VIEWS = {
    # Every article in a cluster of copies, next to its cluster's original.
    "duplicate_clusters": """
        SELECT coalesce(a.duplicate_of, a.id) AS original_id, a.id AS article_id,
               a.duplicate_of IS NULL AS is_original, a.site, a.url, a.title,
               a.published_at, a.first_seen, a.similarity
        FROM articles AS a
        WHERE a.duplicate_of IS NOT NULL
           OR EXISTS (SELECT 1 FROM articles AS c WHERE c.duplicate_of = a.id)""",
    # How often each archived article is recommended by others' related blocks.
    "related_in_degree": """
        SELECT l.target_id AS article_id, t.title, t.site, t.url,
               count(*) AS links_in, count(DISTINCT l.article_id) AS linking_articles,
               count(DISTINCT s.site) AS linking_sites,
               coalesce(sum(l.snippet_mismatch), 0) AS mismatched_snippets
        FROM related_links AS l
        JOIN articles AS t ON t.id = l.target_id
        JOIN articles AS s ON s.id = l.article_id
        GROUP BY l.target_id""",
    # How many related entries each article shows, and how many are archived.
    "related_out_degree": """
        SELECT l.article_id, a.title, a.site, a.url, count(*) AS links_out,
               count(l.target_id) AS archived_targets,
               coalesce(sum(l.snippet_mismatch), 0) AS mismatched_snippets
        FROM related_links AS l
        JOIN articles AS a ON a.id = l.article_id
        GROUP BY l.article_id""",
    # Related entries that point into a cluster of copies (at the original or a copy).
    "related_into_clusters": """
        SELECT l.article_id, l.position, l.url, l.target_id,
               coalesce(t.duplicate_of, t.id) AS original_id,
               t.duplicate_of IS NULL AS target_is_original, t.similarity AS target_similarity
        FROM related_links AS l
        JOIN articles AS t ON t.id = l.target_id
        WHERE t.duplicate_of IS NOT NULL
           OR EXISTS (SELECT 1 FROM articles AS c WHERE c.duplicate_of = t.id)""",
}


def _add_tables_and_columns(db: sqlite_utils.Database) -> None:
    """Create what TABLES, INDEXES and VIEWS name and the archive lacks: a
    fresh archive gets the current schema at once, an older one its new
    tables and columns (later steps then find nothing missing)."""
    for name, spec in TABLES.items():
        table = db[name]
        if not table.exists():
            table.create(**spec)
            continue
        for column, kind in spec["columns"].items():
            if column not in table.columns_dict:
                table.add_column(column, kind)
    for table, columns, unique in INDEXES:
        db[table].create_index(columns, unique=unique, if_not_exists=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql.strip(), replace=True)


def _add_clusters(db: sqlite_utils.Database) -> None:
    """Near-duplicate clusters and the related-article graph: fingerprints and
    their LSH buckets, articles.similarity, related_links.snippet_mismatch,
    the views. Copies an older archive already has (exact, lowest id first)
    get similarity 1.0 until `archive dedupe` reclusters them."""
    _add_tables_and_columns(db)
    db.execute("UPDATE articles SET similarity = 1.0 WHERE duplicate_of IS NOT NULL AND similarity IS NULL")


def _add_search(db: sqlite_utils.Database) -> None:
    """Full-text search over title and body (see pipelines/search.py), filled from existing articles."""
    search.create_index(db.conn)
    search.reindex_all(db.conn)


def _search_without_text(db: sqlite_utils.Database) -> None:
    """articles_fts rebuilt contentless, its copy of the segmented text dropped (a quarter of
    the archive); same rows, same matches and ranks. The freed pages stay in the file until
    a VACUUM."""
    db.execute(f"DROP TABLE IF EXISTS {search.FTS_TABLE}")
    _add_search(db)


def _add_raw_page_dictionaries(db: sqlite_utils.Database) -> None:
    """Raw pages in zstd with a dictionary per site (see pipelines/rawpages.py): the
    dictionaries table and columns, then every site with enough pages recompressed."""
    _add_tables_and_columns(db)
    rawpages.RawPages(db).train_all()


# One step per schema version; `PRAGMA user_version` counts the steps applied.
MIGRATIONS = [
    _add_tables_and_columns,  # 1: articles, breadcrumbs, related_links, crawl_runs, failures, raw_pages
    _add_clusters,            # 2: fingerprints, fingerprint_buckets, similarity, snippet_mismatch, views
    _add_tables_and_columns,  # 3: raw_pages.encoding_source, failures.seconds
    _add_search,              # 4: articles_fts, back-filled
    _add_tables_and_columns,  # 5: revisions, articles.gone_at, crawl_runs.not_modified/gone/skipped/duration
    _add_tables_and_columns,  # 6: listings (fetched pages judged not articles), crawl_runs.listings
    _add_tables_and_columns,  # 7: redirects
    _add_tables_and_columns,  # 8: captures (a CDX index of WARC records), import_runs, import_files, import_errors
    _add_tables_and_columns,  # 9: sitewide_links (related-block links a crawl learned are site-wide lists)
    _search_without_text,     # 10: articles_fts contentless
    _add_raw_page_dictionaries,  # 11: raw_page_dictionaries, raw_pages.html_zstd/dictionary_id
    _add_tables_and_columns,  # 12: article_parts (the pages of an article split over several)
]


def archive_columns() -> dict[str, list[str]]:
    """Every table's columns as all the migrations leave them: the contract the docs describe."""
    db = open_archive(":memory:")
    try:
        virtual = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
        return {name: list(db[name].columns_dict) for name in db.table_names()
                if not any(name == v or name.startswith(v + "_") for v in virtual)}  # FTS indexes are not the contract
    finally:
        db.close()


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
