"""Batch inserts with one prepared statement.

sqlite-utils' `insert_all` builds a multi-row INSERT for every chunk of
rows, converts each value and prepares the new statement: in a crawl's
store that cost more than SQLite's own writing of the rows. The store's
rows are plain values of one shape per table, so `executemany` of a single
statement does the same job.
"""
from __future__ import annotations


def insert(conn, table: str, rows: list[dict], replace: bool = False) -> None:
    """Insert `rows` (dicts with the first row's keys) into `table`; `replace`: INSERT OR REPLACE."""
    if rows:
        columns = list(rows[0])
        conn.executemany(f"INSERT {'OR REPLACE ' if replace else ''}INTO {table} ({', '.join(columns)}) "
                         f"VALUES ({', '.join(':' + c for c in columns)})", rows)
