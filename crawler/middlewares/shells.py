"""Pages served as script shells become `needs_browser` failures, so the user knows to render them.

More and more sites send a frame (an empty element an app mounts on, a
`<noscript>` asking for JavaScript, the article as data inside a script)
and build the page in the browser. Taken as served, such a page extracts to
nothing, or to a listing of its menu. `shell_cues` weighs that evidence
(rows in crawler/extract/rules.py, "script shells"): a page whose body shows
hardly anything of its own (prose, links with titles, pictures, a form) is
a shell when enough cues say its scripts build it. A thin but real article
shows its prose and is none; a listing shows its links.

`ShellCheckMiddleware` looks only at what came out empty, so an ordinary
article costs it nothing: a page the spider made a listing of, an
`extract_error`, or an article with hardly any text, that was not rendered
(crawler/render.py). It puts a `needs_browser` failure in that item's place
and says so in the crawl log.
"""
from __future__ import annotations

import logging
import re

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.extract.rules import (
    RELATED_MIN_TITLE_UNITS,
    SHELL_CONTENT,
    SHELL_CUES,
    SHELL_MAX_PROSE_UNITS,
    SHELL_MAX_TITLE_LINKS,
    SHELL_MIN_SCORE,
    SHELL_NOSCRIPT_WORDS,
    SHELL_SCRIPT_MIN_UNITS,
    SHELL_SCRIPT_TEXT_RATIO,
)
from crawler.extract.text import clean, units
from crawler.failures import failure_item
from crawler.items import ArticleItem, FailureItem, ListingItem
from crawler.parsing import html_selector

logger = logging.getLogger(__name__)

_STARTS = (300, 2000)  # characters of an article's text that thin() counts first, in turn
_PROSE = ("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
          " or ancestor::a or ancestor::button or ancestor::option)]")
# Elements a script may fill in: empty boxes with an id or class, and custom elements (<app-root>).
_EMPTY_BOX = ("//body//*[not(*) and normalize-space() = '' and (contains(local-name(), '-')"
              " or ((@id or @class) and (self::div or self::main or self::section or self::article)))]")
_OUTSIDE_CHROME = "not(ancestor::header or ancestor::nav or ancestor::footer or ancestor::noscript)"
_CONTENT = "//body//*[{}][not(ancestor::a) and {}]".format(" or ".join(f"self::{tag}" for tag in SHELL_CONTENT),
                                                          _OUTSIDE_CHROME)
_LINKS = f"//body//a[{_OUTSIDE_CHROME}]"
_NOSCRIPT = re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                                for w in SHELL_NOSCRIPT_WORDS), re.I)
# Text inside script code: runs of Han characters (raw or \u-escaped in JSON), or of six words and more.
_SCRIPT_TEXT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff，。、：；！？]+|(?:\\u[3-9][0-9a-fA-F]{3})+"
                          r"|[A-Za-z]{2,}(?:[ ,;:'’-]+[A-Za-z]+){5,}")
_ESCAPED_HAN = re.compile(r"\\u[3-9][0-9a-fA-F]{3}")


def script_text_units(code: str) -> float:
    """How much human text a script's code carries (an escaped Han character counts as one)."""
    found = " ".join(_SCRIPT_TEXT.findall(code))
    return units(_ESCAPED_HAN.sub(" ", found)) + len(_ESCAPED_HAN.findall(found))


def shell_cues(html: str) -> list[str]:
    """Why the page `html` is a script shell (its cues, read as a person would), [] when it is not one."""
    root = html_selector(html)
    scripts = root.xpath("//script")
    prose = units(clean(" ".join(root.xpath(_PROSE).getall())))
    if not scripts or _shows_content(root, prose):
        return []
    found: dict[str, str] = {}
    for box in root.xpath(_EMPTY_BOX):
        cue = "app_root" if box.xpath("parent::body") else "empty_box"
        name = box.attrib.get("id") or box.attrib.get("class")
        found.setdefault(cue, f"an empty <{box.root.tag}> ({name!r}) {'under <body>' if cue == 'app_root' else 'to fill'}")
    if any(_NOSCRIPT.search(text) for text in root.xpath("//noscript").xpath("string()").getall()):
        found["noscript"] = "a <noscript> asking for JavaScript"
    carried = script_text_units(" ".join(scripts.xpath("text()").getall()))
    if carried >= SHELL_SCRIPT_MIN_UNITS and carried >= SHELL_SCRIPT_TEXT_RATIO * prose:
        found["script_text"] = f"scripts carrying {carried:.0f} units of text"
    if sum(SHELL_CUES[cue] for cue in found) < SHELL_MIN_SCORE:
        return []
    return [f"{len(scripts)} scripts", f"{prose:.0f} units of prose in the body", *found.values()]


def _shows_content(root, prose: float) -> bool:
    """Whether the body as served shows something of its own: prose, links with titles (a listing), pictures, a form."""
    if prose >= SHELL_MAX_PROSE_UNITS or root.xpath(_CONTENT):
        return True
    titles = sum(units(clean(a.xpath("string()").get())) >= RELATED_MIN_TITLE_UNITS for a in root.xpath(_LINKS))
    return titles > SHELL_MAX_TITLE_LINKS


class ShellCheckMiddleware(BaseSpiderMiddleware):
    """Spider middleware: what the spider made of a served script shell becomes a `needs_browser` failure."""

    def get_processed_item(self, item, response):
        if response is None or "playwright" in response.flags or not _came_out_empty(item):
            return item
        cues = shell_cues(response.text)
        if not cues:
            return item
        message = "the page is built by its scripts: " + ", ".join(cues) + '; set render = "browser" in its site profile'
        logger.warning("needs a browser: %s: %s", response.url, message)
        return failure_item(response.url, "needs_browser", message, response=response)


def _came_out_empty(item) -> bool:
    if isinstance(item, ListingItem):
        return True
    if isinstance(item, FailureItem):
        return item["reason"] == "extract_error"
    return isinstance(item, ArticleItem) and thin(item.get("body_text") or "")


def thin(text: str) -> bool:
    """Whether `text` holds less than SHELL_MAX_PROSE_UNITS, asked of longer and longer starts: a
    start holds no more units than the whole, and an article's first lines hold enough, where
    counting every article's whole body cost ~1% of the crawl's process (its first 2,000
    characters, ~0.5%)."""
    return all(units(text[:end]) < SHELL_MAX_PROSE_UNITS for end in (*_STARTS, len(text)))

