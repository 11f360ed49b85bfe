"""Why a URL was not archived: one reason code a person can filter on in `failures`.

Scrapy reports failures as exceptions of many types (its own, Twisted's);
FAILURE_REASONS maps them to the codes the archive stores. The crawler's
own middlewares refuse a request or response by raising `Refused`, which
carries its code. `failure_item` builds the row from whatever failed.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.items import FailureItem

# Every code a failures row can carry, and what it means (README lists the same).
REASONS = {
    "http_status": "the server answered with an error status (4xx, 5xx), after retries",
    "timeout": "no complete response within the time budget (hung or dripping server)",
    "too_large": "the body, or what it decompresses to, is over DOWNLOAD_MAXSIZE",
    "truncated": "the connection closed before the body its Content-Length announced",
    "not_html": "a PDF, image or other non-HTML body, whatever its Content-Type says",
    "empty": "a successful response with nothing in its body",
    "decode_error": "a Content-Encoding (gzip, deflate, br) that does not decode",
    "robots": "robots.txt forbids the URL; it was never requested",
    "offsite": "a redirect or refresh to a host outside the crawl's domains; not followed",
    "redirect_loop": "redirects that come back to a URL of their own chain, or too many of them",
    "trap_limit": "a link past a crawl-trap limit (depth, listing chain, path shape); not requested",
    "extract_error": "an article page from which no article text could be extracted",
    "needs_browser": "a page its scripts build: served, it is an empty shell; render = \"browser\" in its site profile loads it",
    "feed_error": "a feed that is malformed, truncated, wrongly encoded or no feed; its entries were read as far as it goes",
    "dns": "the host name does not resolve",
    "connection": "the connection was refused, reset or failed, after retries",
    "ignored": "another component dropped the request",
    "error": "anything else (the message says what)",
}


class Refused(IgnoreRequest):
    """A request or response the crawler turned down on purpose; `reason` is its code."""

    def __init__(self, reason: str, message: str, response=None):
        if reason not in REASONS:
            raise ValueError(f"unknown failure reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        self.response = response


# (exception types, text the message contains or None, reason): first match wins.
# Scrapy signals robots, offsite and redirect limits with a plain IgnoreRequest,
# told apart only by its message.
FAILURE_REASONS = (
    (HttpError, None, "http_status"),
    ((DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError), None, "timeout"),
    (DownloadCancelledError, None, "too_large"),  # Scrapy cancels a download only over DOWNLOAD_MAXSIZE
    (ResponseDataLossError, None, "truncated"),
    ((CannotResolveHostError, net.DNSLookupError), None, "dns"),
    ((DownloadConnectionRefusedError, DownloadFailedError, net.ConnectionRefusedError,
      net.ConnectionLost, net.ConnectionDone, net.ConnectError, ResponseNeverReceived,
      ResponseFailed), None, "connection"),
    (IgnoreRequest, "robots.txt", "robots"),
    (IgnoreRequest, "offsite", "offsite"),
    (IgnoreRequest, "max redirections", "redirect_loop"),
    (IgnoreRequest, None, "ignored"),
)


def reason_of(exc: BaseException) -> str:
    if isinstance(exc, Refused):
        return exc.reason
    for types, text, reason in FAILURE_REASONS:
        if isinstance(exc, types) and (text is None or text in str(exc)):
            return reason
    return "error"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def failure_item(url: str, reason: str, message: str, *, response=None, meta=None,
                 attempts: int | None = None) -> FailureItem:
    """The failures row for `url`; status and size from `response`, attempts and time spent from `meta`."""
    meta = meta if meta is not None else (response.meta if response is not None else {})
    started = meta.get("first_requested_at")
    if attempts is None:
        attempts = 0 if reason == "robots" else meta.get("retry_times", 0) + 1
    return FailureItem(
        url=url, reason=reason, error=message,
        http_status=response.status if response is not None else None,
        bytes=len(response.body) if response is not None else None,
        attempts=attempts,
        seconds=round(time.time() - started, 3) if started else None,
        failed_at=utc_now(),
    )


def from_failure(failure) -> FailureItem:
    """The failures row for an errback's Twisted Failure, recorded under the URL first asked for."""
    request, exc = failure.request, failure.value
    reason = reason_of(exc)
    chain = request.meta.get("redirect_urls", [])
    message = (f"HTTP {exc.response.status}" if reason == "http_status"
               else f"{type(exc).__name__}: {exc or REASONS[reason]}")
    if chain:
        message += f" (after redirects to {request.url})"
    if request.meta.get("retry_refused"):
        message += f"; not retried: {request.meta['retry_refused']}"
    return failure_item(chain[0] if chain else request.url, reason, message,
                        response=getattr(exc, "response", None), meta=request.meta)
