"""Search the archive in Chinese and English: SQL functions over pipelines/search.py.

`search_match(q)` turns a search box into the FTS5 query for `articles_fts`,
`search_snippet(text, q)` cuts the original text around the first match
with the matches in <mark>. The canned query `search` (datasette/metadata.yaml)
is built from them. In query results a row with `id`, `title` and `snippet`
is a search hit: its snippet shows the marks (everything else escaped) and
its title links to the archived article.
"""
import re

from datasette import hookimpl
from markupsafe import Markup, escape

from pipelines import search

_MARK = re.compile(r"&lt;(/?)mark&gt;")


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_match", 1, search.match_expression, deterministic=True)
    conn.create_function("search_snippet", 2, search.snippet, deterministic=True)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is not None or not isinstance(value, str) or not _is_search_hit(row):
        return None
    if column == "snippet":
        return Markup(_MARK.sub(r"<\1mark>", str(escape(value))))
    if column == "title":
        href = datasette.urls.row(database, "articles", str(row["id"]))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None


def _is_search_hit(row) -> bool:
    return {"id", "title", "snippet"} <= set(row.keys())
