"""Safe by default: nothing writes through Datasette, and no page runs or loads foreign code.

Every response carries a Content-Security-Policy that allows scripts,
styles, images and fetches only from this server (Datasette and the chart
plugin ship their own scripts; Vega needs eval for its expressions), so an
image or script URL that came from a crawled page is never fetched and a
stray inline handler has no way out. Requests other than GET/HEAD/OPTIONS
are refused: the archive is written by the crawler alone.
"""
from datasette import hookimpl

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


@hookimpl
def asgi_wrapper():
    return guard


def guard(app):
    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["method"] not in READ_METHODS:
            return await _refuse(send)

        async def send_with_headers(event):
            if event["type"] == "http.response.start":
                event = {**event, "headers": [*event.get("headers", []), *HEADERS]}
            await send(event)

        await app(scope, receive, send_with_headers)

    return guarded


async def _refuse(send):
    body = b"This archive is read-only: only GET requests are served.\n"
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD, OPTIONS"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
