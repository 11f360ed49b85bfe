"""Retries that pause first, honour Retry-After, and keep a URL within a time budget.

Scrapy's RetryMiddleware re-queues a failed request at once. Here the retry
waits RETRY_BACKOFF_BASE * 2**n seconds, or what the server's Retry-After
asks for on 429/503 (a wait over RETRY_AFTER_MAX is not waited: the URL is
recorded instead). All attempts at one URL together, pauses included, stay
within RETRY_TIME_BUDGET seconds: a retry gets only the time that is left
as its download timeout, so a hung or dripping URL costs about that much.
"""
from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.asyncio import sleep
from scrapy.utils.response import response_status_message

RETRY_AFTER_STATUSES = {429, 503}


def retry_after(response) -> float | None:
    """Seconds the response's Retry-After header asks for (delta or HTTP date), or None."""
    value = (response.headers.get("Retry-After") or b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware with pauses between attempts and a per-URL time budget."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 30.0)
        self.time_budget = settings.getfloat("RETRY_TIME_BUDGET", 60.0)
        self.download_timeout = settings.getfloat("DOWNLOAD_TIMEOUT", 180.0)

    async def process_request(self, request, spider=None):
        request.meta.setdefault("first_requested_at", time.time())
        pause = request.meta.pop("retry_pause", 0)
        if pause:
            await sleep(pause)

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        pause = retry_after(response) if response.status in RETRY_AFTER_STATUSES else None
        if pause is not None and pause > self.retry_after_max:
            request.meta["retry_refused"] = f"Retry-After {pause:.0f}s is over RETRY_AFTER_MAX ({self.retry_after_max:.0f}s)"
            return response
        return self._retry_later(request, response_status_message(response.status), pause) or response

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, self.exceptions_to_retry) and not request.meta.get("dont_retry"):
            return self._retry_later(request, exception, None)
        return None

    def _retry_later(self, request, reason, pause: float | None):
        """The retry request, paused and given the time left as its timeout; None once the budget is spent."""
        if pause is None:
            pause = self.backoff_base * 2 ** request.meta.get("retry_times", 0)
        spent = time.time() - request.meta.get("first_requested_at", time.time())
        left = self.time_budget - spent - pause
        if left <= 0:
            request.meta["retry_refused"] = f"time budget of {self.time_budget:.0f}s spent"
            return None
        retry = self._retry(request, reason)
        if retry is not None:
            retry.meta["retry_pause"] = pause
            retry.meta["download_timeout"] = min(request.meta.get("download_timeout") or self.download_timeout, left)
        return retry
