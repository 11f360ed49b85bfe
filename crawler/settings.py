"""Scrapy settings for article-archive: polite defaults that also crawl fast.

Every knob a user may turn is here, read by the component that uses it
through `crawler.settings`; the `archive` command line only overrides them.
"""
BOT_NAME = "article-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "article-archive/0.1 (+https://pypi.org/project/article-archive/)"
ROBOTSTXT_OBEY = True

# Politeness that adapts: AutoThrottle slows down for slow sites and stays out
# of the way of fast ones (a local mirror is crawled at full speed).
AUTOTHROTTLE_ENABLED = True
EXTENSIONS = {  # the same, but a 304 may lower the delay as a 200 does (crawler/throttle.py)
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.throttle.AutoThrottle": 0,
}
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 8.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 16
DOWNLOAD_DELAY = 0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_TIMES = 2
DNS_TIMEOUT = 20

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.store.StorePipeline": 300,
}

# The archive (see README, "Data dictionary").
ARCHIVE_DB = "archive.db"
ARCHIVE_BATCH_SIZE = 200        # items written per transaction
ARCHIVE_SITE_PROFILE = None     # path of a sites/NAME.toml, or None

# Incremental runs (crawler/middlewares/incremental.py): a known article is
# fetched again only when it is due, and then conditionally (ETag /
# Last-Modified). A site profile's `recrawl_after` wins over this default.
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.incremental.IncrementalMiddleware": 100,
}
ARCHIVE_INCREMENTAL = True
ARCHIVE_RECRAWL_AFTER = "7d"    # 30m, 12h, 7d, 2w; 0 = every run, conditionally

# Near-duplicate clusters (pipelines/dedupe.py, pipelines/clusters.py). After
# changing any of these, run `archive dedupe --rebuild` so the stored
# fingerprints and clusters follow.
DEDUPE_THRESHOLD = 0.5          # estimated Jaccard of body shingles at which two articles are copies
DEDUPE_SHINGLE_SIZE = 5         # tokens per shingle: CJK characters or words
DEDUPE_NUM_PERM = 128           # MinHash permutations (signature = 4 bytes each)
DEDUPE_MIN_SHINGLES = 10        # shorter bodies are matched by their exact hash only
