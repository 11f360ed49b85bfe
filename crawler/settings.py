"""Scrapy settings for article-archive: polite defaults that also crawl fast.

Every knob a user may turn is here, read by the component that uses it
through `crawler.settings`; the `archive` command line only overrides them.
"""
from scrapy.settings import default_settings

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
# Scrapy's own extensions less its two consoles, the telnet console and the remote
# control (an HTTP server that runs code sent to it): Scrapy imports every class
# named here, even one set to None in EXTENSIONS, and the remote control imports
# aiohttp (0.5 s of CPU and ~10 MB at every start). A user who wants a console
# names it in EXTENSIONS.
EXTENSIONS_BASE = {name: order for name, order in default_settings.EXTENSIONS_BASE.items()
                   if name not in ("scrapy.extensions.telnet.TelnetConsole",
                                   "scrapy.extensions.remote_control.RemoteControl")}
AUTOTHROTTLE_START_DELAY = 0.1   # the first requests 0.1 s apart, then per latency: a cron re-run is ~50 requests
AUTOTHROTTLE_TARGET_CONCURRENCY = 8.0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 16
DOWNLOAD_DELAY = 0
# The frontier packed (crawler/queues.py): a sitemap queues a whole site at once.
SCHEDULER_MEMORY_QUEUE = "crawler.queues.PackedLifoMemoryQueue"
DNS_TIMEOUT = 20

# Hostile and broken sites (crawler/middlewares): every URL ends archived or
# in `failures` with a reason, within bounded time and memory.
# Time: one attempt may take DOWNLOAD_TIMEOUT seconds (dripping bodies
# included: the timeout covers the whole download); all attempts at one URL,
# pauses included, RETRY_TIME_BUDGET seconds.
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 1.0        # seconds before the first retry, doubled for each next one
RETRY_AFTER_MAX = 30            # a 429/503 asking to wait longer is recorded, not waited for
RETRY_TIME_BUDGET = 60
# Size: bodies over DOWNLOAD_MAXSIZE, also once decompressed, are cut off.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True  # a body shorter than its Content-Length is `truncated`
REDIRECT_MAX_TIMES = 10
# Traps (crawler.middlewares.traps); 0 switches a limit off.
DEPTH_LIMIT = 0
TRAP_MAX_LISTING_HOPS = 100     # listing pages reached through listing pages, in a row
TRAP_MAX_BARREN_LINKS = 20      # links followed from listings that lead only to more of their own URL pattern
TRAP_MAX_PATH_HOPS = 4          # listing pages in a row, each one level below the last in the path
TRAP_MAX_PATH_SEGMENTS = 16
TRAP_MAX_SEGMENT_REPEATS = 3
URLLENGTH_LIMIT = 2083

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.offsite.OffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.redirect.MetaRefreshMiddleware": 580,
    "crawler.middlewares.encoding.EncodingMiddleware": 585,  # after decompression, before meta refresh reads the text
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.compression.HttpCompressionMiddleware": 590,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.RedirectMiddleware": 600,
    "crawler.captures.WarcCaptureMiddleware": 950,  # nearest the downloader: the response as it came
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.content.ContentCheckMiddleware": 60,  # after HttpError's status check
    "crawler.middlewares.shells.ShellCheckMiddleware": 70,  # a served script shell -> needs_browser
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    # Every spider middleware is one more async generator around each page's output. URLLENGTH_LIMIT is
    # one of the trap rules (a `trap_limit` failure, not a silent drop); the meta-copy warning is for
    # spiders that copy response.meta into their requests, which ours never do.
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    "crawler.middlewares.traps.TrapLimitMiddleware": 900,
    "crawler.middlewares.incremental.IncrementalMiddleware": 950,  # nearest the spider: what it drops costs the others nothing (see "Incremental runs" below)
}

# Site profiles with render = "browser" (crawler/render.py): their pages load in
# Debian's Chromium through scrapy-playwright, this many at once, each within the
# navigation timeout (ms) and then RENDER_SETTLE_TIMEOUT seconds at most for the
# data its scripts fetch. Crawls whose profile does not ask start no browser.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {"executable_path": "/usr/bin/chromium", "headless": True, "args": ["--no-sandbox"]}
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
RENDER_SETTLE_TIMEOUT = 5

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"  # a line per page only at DEBUG, and only built then
FEED_EXPORT_ENCODING = "utf-8"

# An article split over pages is read up to this many of them (crawler/spiders/parts.py); 0 = no limit.
ARCHIVE_MAX_PARTS = 50

# Parsing and extraction run in this many worker processes beside the crawl
# (crawler/workers.py); 0 runs them in the crawl's own process; "auto" one per
# core the crawl may use, less the one the crawl itself keeps busy (at least 1).
EXTRACT_PROCESSES = "auto"
# They also make each article's search index values, so the archive's writer
# only writes them; a distributed crawl's workers prepare their items for its
# stream instead (crawler/distributed/entries.py: the writer makes them).
EXTRACT_FOR_STREAM = False

# What one page's callback yields (an item, its links) goes through the spider
# middlewares and pipelines one at a time: every one of them is synchronous, so
# Scrapy's default of 100 in parallel only started 100 asyncio tasks per page
# (103 of the 108 thousand asyncio tasks of a 1,000-page crawl) to the same effect.
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.store.StorePipeline": 300,
}

# The archive (see README, "Data dictionary").
ARCHIVE_DB = "archive.db"
ARCHIVE_BATCH_SIZE = 200        # items written per transaction
ARCHIVE_SITE_PROFILE = None     # path of a sites/NAME.toml, or None
# Every response kept verbatim as WARC (crawler/captures.py), indexed in `captures`.
ARCHIVE_WARC = True
ARCHIVE_WARC_DIR = None         # default: ARCHIVE-warc/ beside the archive (archive.db -> archive-warc/)
ARCHIVE_WARC_MAX_SIZE = 1024 ** 3   # bytes per WARC file before the next one is started

# Incremental runs (crawler/middlewares/incremental.py): a known article is
# fetched again only when it is due, and then conditionally (ETag /
# Last-Modified). A site profile's `recrawl_after` wins over this default.
ARCHIVE_INCREMENTAL = True
ARCHIVE_RECRAWL_AFTER = "7d"    # 30m, 12h, 7d, 2w; 0 = every run, conditionally

# Near-duplicate clusters (pipelines/dedupe.py, pipelines/clusters.py). After
# changing any of these, run `archive dedupe --rebuild` so the stored
# fingerprints and clusters follow.
DEDUPE_THRESHOLD = 0.5          # estimated Jaccard of body shingles at which two articles are copies
DEDUPE_SHINGLE_SIZE = 5         # tokens per shingle: CJK characters or words
DEDUPE_NUM_PERM = 128           # MinHash permutations (signature = 4 bytes each)
DEDUPE_MIN_SHINGLES = 10        # shorter bodies are matched by their exact hash only

# Distributed crawls (crawler/distributed, `archive crawl --redis URL`): the
# prefix of the run's Redis keys, and how long a worker may hold a request
# without renewing its lease before another worker gets it (renewed every
# quarter of it while the worker lives).
ARCHIVE_REDIS_KEY = None
ARCHIVE_REDIS_LEASE = 60
ARCHIVE_REDIS_BACKLOG = 10000   # items waiting for the writer over which workers take no new requests (0: no cap)
