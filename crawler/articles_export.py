"""`archive export --format jsonl|csv`: the archived articles as a file, for people who want files.

One record per article with every `articles` column, plus its trail
(`breadcrumbs`: [{name, url}]) and related block (`related`: [{title, url,
snippet, target_id}]) as nested lists; CSV cells hold those lists as JSON
text. Articles are read and written a chunk at a time, so an export of any
size streams to the file (or stdout) without being whole in memory.
"""
from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, nullcontext

FORMATS = ("jsonl", "csv")
NESTED = ("breadcrumbs", "related")
_CHUNK = 500


def _articles(db: sqlite3.Connection, site: str | None, since: str | None) -> Iterator[dict]:
    """Articles in id order, each with its trail and related block."""
    where = " AND ".join(clause for clause, value in (("site = :site", site), ("last_changed >= :since", since))
                         if value is not None) or "1"
    rows = db.execute(f"SELECT * FROM articles WHERE {where} ORDER BY id", {"site": site, "since": since})
    while chunk := rows.fetchmany(_CHUNK):
        ids = [row["id"] for row in chunk]
        marks = ", ".join("?" * len(ids))
        nested = {name: {id_: [] for id_ in ids} for name in NESTED}
        for row in db.execute(f"SELECT article_id, name, url FROM breadcrumbs WHERE article_id IN ({marks})"
                              " ORDER BY article_id, position", ids):
            nested["breadcrumbs"][row["article_id"]].append({"name": row["name"], "url": row["url"]})
        for row in db.execute(f"SELECT article_id, title, url, snippet, target_id FROM related_links"
                              f" WHERE article_id IN ({marks}) ORDER BY article_id, position", ids):
            nested["related"][row["article_id"]].append(
                {key: row[key] for key in ("title", "url", "snippet", "target_id")})
        for row in chunk:
            yield {**dict(row), **{name: nested[name][row["id"]] for name in NESTED}}


def export_articles(db_path, out, fmt: str, site: str | None = None, since: str | None = None) -> dict:
    """Write the articles (of one site, changed since an ISO date) to `out` ("-": stdout) as `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    to_stdout = str(out) == "-"
    count = 0
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db, \
            (nullcontext(sys.stdout) if to_stdout else open(out, "w", encoding="utf-8", newline="")) as stream:
        db.row_factory = sqlite3.Row
        columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")] + list(NESTED)
        writer = csv.DictWriter(stream, columns) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        for article in _articles(db, site, since):
            if writer:
                writer.writerow({**article, **{name: json.dumps(article[name], ensure_ascii=False) for name in NESTED}})
            else:
                stream.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    return {"articles": count, "format": fmt, "out": "-" if to_stdout else str(out)}
