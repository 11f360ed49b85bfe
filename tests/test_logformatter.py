"""The per-page DEBUG lines are built only when the log level shows them."""
import logging

from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.logformatter import QuietLogFormatter, level_number


def lines(log_level):
    crawler = get_crawler(Spider, settings_dict={"LOG_LEVEL": log_level})
    formatter = QuietLogFormatter.from_crawler(crawler)
    request = Request("http://127.0.0.1/a.html")
    response = HtmlResponse(request.url, body=b"<p>x</p>", request=request)
    spider = Spider.from_crawler(crawler, "s")
    return (formatter.crawled(request, response, spider), formatter.scraped({"url": request.url}, response, spider),
            formatter.dropped({"url": request.url}, Exception("why"), response, spider))


def test_below_debug_the_per_page_lines_are_not_built():
    crawled, scraped, dropped = lines("INFO")
    assert crawled is None and scraped is None
    assert dropped is not None                 # everything else is Scrapy's as ever


def test_at_debug_they_are_scrapys():
    crawled, scraped, _ = lines("DEBUG")
    assert crawled["level"] == scraped["level"] == logging.DEBUG


def test_a_log_level_is_a_name_or_a_number():
    assert level_number("info") == level_number(logging.INFO) == logging.INFO
