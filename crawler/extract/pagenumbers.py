"""What a link's text says about pages: "2", "第2页", "[3]", "下一页", "Next ›", "尾页".

Listing pagination and split articles follow such links (crawler/pagination.py,
crawler/parts.py); body cleaning leaves a block of them out of the article's
text (crawler/extract/clean.py).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .rules import PAGINATION_TEXTS

_PAGE_NUMBER = re.compile(r"^(?:第\s*)?\[?(\d{1,4})\]?(?:\s*页)?$")
_ARROWS = " \t»›<>←→«‹.…"


@lru_cache(maxsize=4096)
def page_of(text: str, current: int) -> float | None:
    """The page a link with this text leads to, from page `current`; None when it is no pagination link.

    The number it shows, or one more than the current page for "下一页"/"Next"
    (rules.PAGINATION_TEXTS), one less for "上一页"/"Previous", and past any
    limit for "尾页"/"Last". Remembered: a site's menus show the same link texts on every page.
    """
    text = " ".join(text.split()).lower()
    number = _PAGE_NUMBER.match(text)
    if number:
        return int(number[1])
    step = PAGINATION_TEXTS.get(text) or PAGINATION_TEXTS.get(text.strip(_ARROWS))
    return {"next": current + 1, "previous": max(1, current - 1), "last": math.inf}.get(step)
