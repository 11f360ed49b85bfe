"""Scrapy middlewares that make hostile and broken sites end as archived pages or recorded failures.

One class per concern, each switched on in `crawler/settings.py` and tuned
by the settings listed there; a refusal is a `crawler.failures.Refused`
that reaches the request's errback, so the spider records it.
"""
