"""Scrapy's AutoThrottle, with a 304 Not Modified counted as the success it is.

AutoThrottle lets only a 200 lower a site's download delay: error pages are
small and fast, and would speed a crawl up against a failing server. A 304 is
the server's whole answer to a conditional request, small because nothing
changed, and an incremental run is mostly 304s: without this, the delay set
while the listings came in could never come down, and a run of 2,000 304s
waited ~25 s doing nothing (see benchmarks/incremental_bench.py).
"""
from scrapy.extensions import throttle


class AutoThrottle(throttle.AutoThrottle):
    def _adjust_delay(self, slot, latency, response):
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)
