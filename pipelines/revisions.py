"""What an article read like before it changed, and how it changed: rows for `revisions`.

Plain functions (rows in, a row out) so the store calls them inside its
batch transaction and tests call them on their own.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping

# Columns of `articles` a revision keeps (the content, and when it was current).
KEPT_COLUMNS = ("title", "body_text", "body_markdown", "content_hash", "last_changed", "last_seen")


def readable(row: Mapping) -> list[str]:
    """The lines a diff compares: the title as a heading, then the Markdown body (else the text)."""
    body = row.get("body_markdown") or row.get("body_text") or ""
    return [f"# {row.get('title') or ''}", ""] + body.splitlines()


def content_diff(old: Mapping, new: Mapping) -> str:
    """A unified diff from the old content to the new, as `diff -u` prints it."""
    return "\n".join(difflib.unified_diff(readable(old), readable(new), "before", "after", lineterm=""))


def revision_row(article_id: int, old: Mapping, new: Mapping, *, replaced_at: str,
                 cause: str, run_id: int | None) -> dict:
    """The `revisions` row for `old` (KEPT_COLUMNS of the article row) being replaced by `new`."""
    return {
        "article_id": article_id, "title": old["title"], "body_text": old["body_text"],
        "body_markdown": old["body_markdown"], "content_hash": old["content_hash"],
        "first_seen": old["last_changed"], "last_seen": old["last_seen"],
        "replaced_at": replaced_at, "cause": cause, "run_id": run_id,
        "diff": content_diff(old, new),
    }
