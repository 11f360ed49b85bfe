"""What flows from the spider through the pipelines to the store.

Field names are the archive's column names (see README, "Data dictionary"),
so an item reads like the row it becomes.
"""
import scrapy


class ArticleItem(scrapy.Item):
    """One fetched article page, extracted; the pipelines fill in the rest."""

    # from extraction (crawler.extract.extract_article)
    url = scrapy.Field()            # fetched URL after redirects (normalized by the normalize pipeline)
    canonical_url = scrapy.Field()  # as the page declares it (<link rel=canonical> / og:url), or None
    title = scrapy.Field()
    section = scrapy.Field()        # breadcrumb names between home and the page, joined by " > ", or None
    published_at = scrapy.Field()   # ISO 8601 once normalized, or None
    date_source = scrapy.Field()    # where published_at came from (e.g. "json-ld", "meta", "text")
    author = scrapy.Field()
    language = scrapy.Field()       # BCP 47-ish code: "zh", "en", ...
    body_text = scrapy.Field()
    body_html = scrapy.Field()      # sanitized fragment
    body_markdown = scrapy.Field()
    breadcrumbs = scrapy.Field()    # [{"name": str, "url": str | None}, ...] in page order
    related = scrapy.Field()        # [{"title": str, "url": str, "snippet": str | None}, ...] in page order

    # from the fetch (set by the spider)
    site = scrapy.Field()           # site profile name, else the URL's host
    http_status = scrapy.Field()
    encoding = scrapy.Field()       # charset the body was decoded with
    encoding_source = scrapy.Field()  # how that charset was decided: bom, header, meta, bytes, default
    headers = scrapy.Field()        # {"content-type": ..., "etag": ..., "last-modified": ...} (lower-case keys)
    raw_html = scrapy.Field()       # the response body bytes exactly as fetched
    fetched_at = scrapy.Field()     # ISO 8601 UTC
    redirected_from = scrapy.Field()  # the URLs the fetch was redirected from, in order ([] when none)
    parts = scrapy.Field()          # of an article split over pages, each page in order (crawler/spiders/parts.py):
                                    # [{"url", "status": ok|failed|not_part|not_read, "http_status", "error"}]; else absent

    # from the dedupe pipeline
    content_hash = scrapy.Field()   # sha256 hex of the normalized title + body_text
    fingerprint = scrapy.Field()    # MinHash of body_text as bytes (see pipelines/dedupe.py), None if too short

    # from the analysis worker (crawler/analysis.py)
    search_index = scrapy.Field()   # [content_hash, articles_fts values...] (pipelines/search.py prepared_values)
    body_text_from_html = scrapy.Field()  # in a distributed crawl: body_html renders to body_text (its stream entry
                                          # leaves the text out; crawler/distributed/entries.py)


class FailureItem(scrapy.Item):
    """A URL that could not be archived, and why; stored in `failures`."""

    url = scrapy.Field()
    reason = scrapy.Field()         # short code a person filters on (crawler.failures.REASONS)
    http_status = scrapy.Field()    # None when no response arrived
    error = scrapy.Field()          # human-readable message
    bytes = scrapy.Field()          # response size when there was one
    attempts = scrapy.Field()       # requests made for it in this run (retries included)
    seconds = scrapy.Field()        # time spent on it in this run, retries and pauses included
    failed_at = scrapy.Field()      # ISO 8601 UTC


class NotModifiedItem(scrapy.Item):
    """An archived article that answered 304 Not Modified: only its last_seen moves."""

    url = scrapy.Field()
    fetched_at = scrapy.Field()     # ISO 8601 UTC


class ListingItem(scrapy.Item):
    """A fetched page judged not an article (crawler.extract.kind): followed, not archived; stored in `listings`."""

    url = scrapy.Field()
    kind = scrapy.Field()           # "listing" or "other" (neither article nor listing, e.g. a login form)
    why = scrapy.Field()            # the cues that decided it, e.g. "6 full posts of one shape"
    links = scrapy.Field()          # how many links the page holds (all offered to the crawl)
    fetched_at = scrapy.Field()     # ISO 8601 UTC


# Items that only say what became of a URL: no content to extract or hash.
URL_OUTCOME_ITEMS = (FailureItem, NotModifiedItem, ListingItem)
