"""A bundled demo site: a deterministic static article site and a local server for it.

It is what `archive demo` crawls, what the tests crawl, and the benchmark
corpus, so nothing here ever reaches past 127.0.0.1.
"""
