"""Long columns stay out of the default table view.

Datasette 0.65 has no metadata key for columns hidden by default, only the
`?_nocol=` parameter. A table's `plugins: {archive-columns: {hidden: [...]}}`
in metadata names its long columns; the HTML view of that table asked for
without `_col`/`_nocol` is redirected to the same view with them in
`_nocol`, so the address shows what is hidden and the JSON/CSV APIs are
untouched. `?_col=COLUMN` shows one; the row page shows them all.
"""
import urllib.parse

from datasette import hookimpl
from datasette.utils import tilde_decode

PLUGIN = "archive-columns"


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_defaults(scope, receive, send):
            location = _default_view(datasette, scope) if scope["type"] == "http" else None
            if location is None:
                return await app(scope, receive, send)
            await send({"type": "http.response.start", "status": 302,
                        "headers": [(b"location", location.encode("latin-1"))]})
            await send({"type": "http.response.body", "body": b""})
        return with_defaults
    return wrap


def _default_view(datasette, scope) -> str | None:
    """Where to send a request for a table's HTML view with nothing hidden, if anywhere."""
    if scope["method"] != "GET":
        return None
    parts = scope["path"].strip("/").split("/")
    if len(parts) != 2 or "." in parts[1]:   # /db/table only, not .json/.csv
        return None
    database, table = (tilde_decode(p) for p in parts)
    hidden = (datasette.plugin_config(PLUGIN, database=database, table=table) or {}).get("hidden")
    query = urllib.parse.parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if not hidden or any(name in ("_col", "_nocol") for name, _ in query):
        return None
    query += [("_nocol", column) for column in hidden]
    path = urllib.parse.quote(scope.get("root_path", "") + scope["path"])
    return path + "?" + urllib.parse.urlencode(query)
