"""Offsite requests refused where their errback hears of it, so they are recorded as `offsite`.

Scrapy's OffsiteMiddleware drops an offsite request when it is scheduled,
which no errback sees: a redirect or <meta refresh> to another host would
vanish. This one leaves the check to download time (before robots.txt is
asked, so nothing is ever sent to the other host). The spider itself does
not follow links to other hosts; what reaches here is a redirect, a refresh
or a sitemap entry pointing away, which the site sent us to.
"""
from __future__ import annotations

from scrapy.downloadermiddlewares import offsite


class OffsiteMiddleware(offsite.OffsiteMiddleware):
    def request_scheduled(self, request, spider):
        """Not at scheduling: process_request refuses it, and the errback records it."""
