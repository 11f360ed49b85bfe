"""Show an article's cluster of copies on its row page (datasette/templates/row.html renders it).

Runs the `article_cluster` canned query (datasette/metadata.yaml) for the
article being shown, read-only, and hands its rows to the template as
`article_cluster`.
"""
from datasette import hookimpl

QUERY = "article_cluster"


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    if view_name != "row" or table != "articles" or request is None:
        return {}

    async def article_cluster():
        pks = request.url_vars.get("pks", "")
        query = await datasette.get_canned_query(database, QUERY, request.actor)
        if query is None or not pks.isdigit():
            return {}
        result = await datasette.get_database(database).execute(query["sql"], {"id": int(pks)})
        return {"article_cluster": [dict(row) for row in result.rows]}

    return article_cluster
