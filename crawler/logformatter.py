"""Scrapy's log lines, minus the two per page that the crawl's log level drops anyway.

Scrapy logs every response ("Crawled (200) ...") and every item ("Scraped
from ...") at DEBUG, and builds the message and its LogRecord even when
LOG_LEVEL drops them: Scrapy's handler filters by level, its loggers do
not. At INFO (the default here) that was about 0.15 ms of CPU per page,
for nothing; at DEBUG the lines are logged as ever.
"""
from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter


def level_number(level) -> int:
    """A LOG_LEVEL setting (a name such as "INFO", or a number) as a number."""
    return level if isinstance(level, int) else logging.getLevelName(str(level).upper())


class QuietLogFormatter(LogFormatter):
    """Scrapy's LogFormatter whose per-page DEBUG lines are not built below DEBUG."""

    def __init__(self, level: int = logging.DEBUG):
        self.debug = level <= logging.DEBUG

    @classmethod
    def from_crawler(cls, crawler):
        return cls(level_number(crawler.settings.get("LOG_LEVEL")))

    def crawled(self, request, response, spider):
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item, response, spider):
        return super().scraped(item, response, spider) if self.debug else None
