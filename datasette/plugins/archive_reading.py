"""The article row page reads like the article: trail, rendered body, related entries.

`extra_template_vars` gives datasette/templates/row.html an `article` for
rows of `articles`: the body rendered from its Markdown by
datasette-render-markdown (bleach-sanitized: no scripts, handlers or
javascript: links survive), the breadcrumb trail and the related block, each
entry linked to its archived copy when there is one. Links that leave the
archive keep to http(s).
"""
from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette_render_markdown import render_markdown

# Markdown as the extractor writes it: fenced code and GFM tables.
MARKDOWN_EXTENSIONS = ["fenced_code", "tables"]
TABLE_TAGS = ["table", "thead", "tbody", "tr", "th", "td", "hr", "br", "del"]
SAFE_SCHEMES = ("http://", "https://")

_ARTICLE = "SELECT id, title, url, site, section, published_at, author, language, body_markdown FROM articles WHERE id = ?"
_CRUMBS = "SELECT name, url FROM breadcrumbs WHERE article_id = ? ORDER BY position"
_RELATED = """
SELECT r.title, r.url, r.snippet, r.target_id, t.title AS target_title
FROM related_links AS r LEFT JOIN articles AS t ON t.id = r.target_id
WHERE r.article_id = ? ORDER BY r.position
"""


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or table != "articles":
        return None

    async def article_vars():
        db = datasette.get_database(database)
        pk = tilde_decode(request.url_vars["pks"])
        rows = (await db.execute(_ARTICLE, [pk])).rows
        if not rows:
            return {}
        article = dict(rows[0])
        article["body"] = render_markdown(article.pop("body_markdown") or "", MARKDOWN_EXTENSIONS, TABLE_TAGS)
        article["crumbs"] = [{"name": name, "href": _external(url)}
                             for name, url in (await db.execute(_CRUMBS, [pk])).rows]
        article["related"] = [{
            "title": r["target_title"] or r["title"], "snippet": r["snippet"],
            "href": (datasette.urls.row(database, "articles", str(r["target_id"]))
                     if r["target_id"] is not None else _external(r["url"])),
            "archived": r["target_id"] is not None,
        } for r in (await db.execute(_RELATED, [pk])).rows]
        article["href"] = _external(article["url"])
        return {"article": article}

    return article_vars


def _external(url):
    """A link out of the archive, or None for anything but http(s)."""
    return url if isinstance(url, str) and url.lower().startswith(SAFE_SCHEMES) else None
