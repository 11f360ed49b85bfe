"""HTML -> the extracted fields of an ArticleItem (crawler/extract/article.py).

    extract_article(html, url, profile=None, *, encoding=None, now=None) -> dict
    extract_from_selector(sel, url, profile=None, *, now=None) -> dict
    page_kind(sel, url, profile=None) -> "article" | "listing" | "other"
    page_verdict(sel, url, profile=None) -> Verdict(kind, why)
    analyse_page(sel, url, profile=None, *, now=None) -> (Verdict, item or None)   # the crawl's call

These load crawler/extract/article.py, and with it the extraction stack
(the field finders, the cleaners, Markdown, nh3), when first asked for:
a crawl's main process reads the rule tables (`crawler.extract.rules`)
and hands every page to its analysis worker, and importing the whole
stack there cost ~0.2 s of CPU and ~200 modules at each start for nothing.
"""
from __future__ import annotations

__all__ = ["FIELDS", "analyse_page", "extract_article", "extract_from_selector", "page_kind", "page_verdict"]


def __getattr__(name: str):
    if name in __all__:
        from . import article
        return getattr(article, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
