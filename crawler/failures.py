"""Turn a failed request into a reason code a person can filter on in `failures`.

Scrapy reports failures as exceptions of many types (Twisted's, its own);
the archive stores one short code per kind, listed in FAILURE_REASONS.
"""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# exception type -> reason code, most specific first
FAILURE_REASONS = (
    (HttpError, "http_status"),
    ((net.TimeoutError, net.TCPTimedOutError), "timeout"),
    (net.DNSLookupError, "dns"),
    ((net.ConnectionRefusedError, net.ConnectionLost, net.ConnectError,
      ResponseNeverReceived, ResponseFailed), "connection"),
    (IgnoreRequest, "ignored"),
)


def classify_failure(failure) -> tuple[str, int | None, str, int | None]:
    """(reason, http_status, message, bytes) for a Twisted Failure from an errback."""
    exc = failure.value
    response = getattr(exc, "response", None)
    status = response.status if response is not None else None
    size = len(response.body) if response is not None else None
    for types, reason in FAILURE_REASONS:
        if isinstance(exc, types):
            if reason == "ignored" and "robots.txt" in str(exc):
                reason = "robots"
            message = f"HTTP {status}" if reason == "http_status" else f"{type(exc).__name__}: {exc}"
            return reason, status, message, size
    return "error", status, f"{type(exc).__name__}: {exc}", size
