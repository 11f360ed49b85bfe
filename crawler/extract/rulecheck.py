"""Every CSS selector in the rule tables, compiled once at start.

A selector the installed cssselect cannot read (an older cssselect lacks
pseudo-classes and the `i` attribute flag) would otherwise fail on
every page, a warning each time, and leave the field it feeds empty: a
crawl would archive nothing, as if every page were empty. `check_rules`
compiles them all (the compiled queries are cached for the run) and names
the first that fails; `archive crawl`, `archive extract`, `archive
reparse` and the spider call it before they start.
"""
from __future__ import annotations

from functools import cache

import cssselect

from . import rules
from .page import Page, parse

# The rule tables whose rows are CSS selectors (or tuples of them).
CSS_TABLES = ("BODY_CONTAINERS", "BODY_WRAPPERS", "CODE_LINE_BLOCKS")


class RuleError(RuntimeError):
    """A rule selector that does not compile."""


@cache
def check_rules() -> int:
    """How many rule selectors compiled; raises RuleError naming the first that does not."""
    page = Page(parse("<html></html>"), "http://rules.invalid/")
    count = 0
    for table in CSS_TABLES:
        for row, value in enumerate(getattr(rules, table)):
            for query in value if isinstance(value, tuple) else (value,):
                try:
                    page.select(query)
                except Exception as exc:
                    raise RuleError(f"rule {table}[{row}] {query!r} does not compile with cssselect "
                                    f"{cssselect.__version__} ({exc}); pyproject.toml names the version "
                                    "the rules need") from exc
                count += 1
    return count
