"""Normalize an item's URLs, text, dates and language before it is stored.

Every stage after this one (dedupe, store, analysts' SQL) compares values
byte for byte, so one page must always normalize to the same strings: the
same URL however a link spelled it, the same text however the HTML spaced
it. The functions take and return plain values; `NormalizePipeline` only
applies them to item fields.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# --- data tables -----------------------------------------------------------

# Query parameters that only say where a visitor came from. Matched on the
# decoded, lower-cased name; a name starting with a prefix also matches.
# "from" is a tracking tag on the Chinese sites this was built for
# (?from=timeline, ?from=singlemessage); drop it here if a site pages with it.
TRACKING_PARAMS = frozenset({
    "spm", "scm", "from", "fbclid", "gclid", "dclid", "gbraid", "wbraid",
    "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
    "share_token", "share_source", "share_medium", "isappinstalled",
    "wfr", "ref_src", "ref_url",
})
TRACKING_PREFIXES = ("utm_",)

DEFAULT_PORTS = {"http": 80, "https": 443}

# RFC 3986 unreserved characters: a percent-escape of one of these means the
# character itself, so it is decoded; every other escape is kept, upper-cased.
_UNRESERVED = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)

# Characters that carry no text (zero-width, soft hyphen, C0 controls other
# than tab/newline) are removed; NBSP and the other fixed-width spaces
# (U+3000 included) become ordinary spaces before runs are collapsed.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{ZERO_WIDTH}\x00-\x08\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\n+")
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]")
# clean_text's steps, compiled once (it runs on every title, crumb and snippet)
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|$)")
# Any character one of those steps changes (a line break, a tab, two spaces, the
# invisible and the odd): a one-line text without any, most titles and snippets,
# needs only NFC and its ends trimmed. (NFC makes no such character but U+2000 and
# U+2001, themselves odd spaces.)
_UNCLEAN = re.compile(f"[\r\n\t{ZERO_WIDTH}\x00-\x08\x0e-\x1f\x7f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]|  ")
_SPACE_RUN = re.compile(r"[ \t]+")
_LINE_EDGE = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n{3,}")

# Date layouts seen on article pages, most specific first. The numeric pattern
# covers ISO 8601, "2024-03-05 14:30", "2024/3/5", "2024.3.5" and
# "2025年3月5日 14:30" / "14时30分"; English month names go through strptime.
_NUMERIC_DATE = re.compile(
    r"""^\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?
        (?:\s*(?:T|\s)\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})\s*分?
           (?:\s*[:：]?\s*(?P<S>\d{1,2})(?:[.,]\d+)?\s*秒?)?
        )?
        \s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$""",
    re.VERBOSE,
)
WORDY_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y")

# Language guess: a CJK ideograph carries about as much as a Latin word, so
# the share is ideographs / (ideographs + Latin words).
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
CJK_SHARE_FOR_ZH = 0.3


# --- URLs --------------------------------------------------------------------

_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def _fix_escape(m: re.Match) -> str:
    char = chr(int(m[1], 16))
    return char if char in _UNRESERVED else "%" + m[1].upper()


def _normalize_escapes(s: str) -> str:
    return _ESCAPE.sub(_fix_escape, s)


def _is_tracking(name: str) -> bool:
    name = unquote_plus(name).lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=1 << 16)  # a site's pages link the same few thousand URLs over and over
def normalize_url(url: str) -> str:
    """The one spelling of `url` the archive keys on.

    Lower-cased scheme and host (IDNA), no default port, no fragment, no
    tracking parameters, percent-escapes normalized (non-ASCII as UTF-8
    escapes, unreserved characters decoded, hex upper-cased). The remaining
    query parameters keep their order: unlike w3lib's canonicalize_url we do
    not sort, because some sites read repeated keys in order (?tag=a&tag=b)
    and sorting would also make the stored URL differ from the one fetched.
    Non-http(s) and unparseable URLs come back unchanged.
    """
    stripped = url.strip()
    if not stripped.lower().startswith(("http://", "https://")):
        return url
    try:
        parts = urlsplit(safe_url_string(stripped))
        port = parts.port
    except ValueError:
        return url
    netloc = parts.hostname or ""
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    if port is not None and port != DEFAULT_PORTS[parts.scheme]:
        netloc = f"{netloc}:{port}"
    query = "&".join(
        _normalize_escapes(pair)
        for pair in parts.query.split("&")
        if pair and not _is_tracking(pair.partition("=")[0])
    )
    return urlunsplit((parts.scheme, netloc, _normalize_escapes(parts.path) or "/", query, ""))


# --- text --------------------------------------------------------------------

def clean_text(s: str, *, preformatted: bool = False) -> str:
    """Text as a reader sees it, in one canonical form.

    NFC (not NFKC, which would turn ，。：（） into ASCII), zero-width and
    control characters removed, NBSP-like spaces made ordinary, CR/CRLF made
    LF, trailing spaces cut, three or more newlines made two. By default runs
    of spaces/tabs collapse to one and lines are trimmed on both sides too.
    `preformatted=True` (used for body_text, where extraction keeps <pre>
    code verbatim) keeps leading indentation and inner runs of spaces, so
    code stays readable and searchable; only the ends of lines and blank-line
    runs change. body_html and body_markdown are never passed through here.
    """
    if not preformatted and not _UNCLEAN.search(s):
        return unicodedata.normalize("NFC", s).strip()
    s = unicodedata.normalize("NFC", s.replace("\r\n", "\n").replace("\r", "\n"))
    s = _ODD_SPACE.sub(" ", _INVISIBLE.sub("", s))
    # (the substring tests first: str's search in C is several times faster than the regex trying every space)
    if preformatted:
        if " \n" in s or "\t\n" in s or s.endswith((" ", "\t")):
            s = _TRAILING_SPACE.sub("", s)
    else:
        s = _LINE_EDGE.sub("\n", _SPACE_RUN.sub(" ", s))
    if "\n\n\n" in s:
        s = _BLANK_LINES.sub("\n\n", s)
    return s.strip("\n") if preformatted else s.strip()


def clean_line(s: str) -> str:
    """clean_text for one-line fields (title, author, crumb names, snippets):
    a line break there is layout (<br> in an <h1>), so it reads as a space.
    A one-line title also keeps title + "\n" + body unambiguous for hashing."""
    s = clean_text(s)
    return _NEWLINES.sub(" ", s) if "\n" in s else s


def clean_body_text(s: str) -> str:
    """clean_text for body_text, which may hold code: see `preformatted`."""
    return clean_text(s, preformatted=True)


def strip_nul(s: str) -> str:
    """Markup kept byte-exact (code blocks!) except NUL, which SQLite tools choke on."""
    return s.replace("\x00", "")


# --- dates -------------------------------------------------------------------

def _iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


def _parse_numeric(text: str) -> str | None:
    m = _NUMERIC_DATE.match(text)
    if not m:
        return None
    day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["H"] is None:
        return day.isoformat()
    tz = m["tz"] or ""
    if tz and tz != "Z" and ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    stamp = f"{day.isoformat()}T{int(m['H']):02d}:{int(m['M']):02d}:{int(m['S'] or 0):02d}{tz}"
    return _iso(datetime.fromisoformat(stamp))


def _parse_wordy(text: str) -> str | None:
    for layout in WORDY_DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date().isoformat()
        except ValueError:
            continue
    return None


def to_iso8601(value) -> str | None:
    """"YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[+HH:MM]" (offset when known), else None.

    A date-only input stays date-only: inventing midnight would claim a
    precision the page never gave.
    """
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    try:
        return _parse_numeric(text) or _parse_wordy(text) or _iso(parsedate_to_datetime(text))
    except (ValueError, TypeError, IndexError):
        return None


# --- language ----------------------------------------------------------------

def guess_language(text: str) -> str | None:
    """"zh" or "en" from the share of CJK ideographs; None when there is no text."""
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    words = len(_LATIN_WORD.findall(text))
    if cjk + words == 0:
        return None
    return "zh" if cjk / (cjk + words) >= CJK_SHARE_FOR_ZH else "en"


# --- the pipeline --------------------------------------------------------------

# Which function normalizes which field. body_html and body_markdown only lose
# NUL bytes: their code blocks must stay byte-exact.
ARTICLE_FIELDS = {
    "url": normalize_url, "canonical_url": normalize_url,
    "title": clean_line, "author": clean_line, "section": clean_line,
    "body_text": clean_body_text, "body_html": strip_nul, "body_markdown": strip_nul,
    "published_at": to_iso8601,
}
CRUMB_FIELDS = {"name": clean_line, "url": normalize_url}
RELATED_FIELDS = {"title": clean_line, "url": normalize_url, "snippet": clean_line}
FAILURE_FIELDS = {"url": normalize_url}   # and NotModifiedItem: only a URL
PART_FIELDS = {"url": normalize_url}      # the pages of an article split over several


def _normalized(values, fields: dict) -> dict:
    """The (field, value) pairs of `values`, each passed through its function; None stays None."""
    return {name: None if values.get(name) is None else fn(values[name])
            for name, fn in fields.items() if name in values}


def normalize_article(values) -> dict:
    """An article's fields after the tables above (a mapping in, its normalized fields out),
    with a language guessed from the normalized text when extraction found none."""
    fields = _normalized(values, ARTICLE_FIELDS)
    fields["breadcrumbs"] = [{**c, **_normalized(c, CRUMB_FIELDS)} for c in values.get("breadcrumbs") or ()]
    fields["related"] = [{**r, **_normalized(r, RELATED_FIELDS)} for r in values.get("related") or ()]
    if values.get("parts"):
        fields["parts"] = [{**p, **_normalized(p, PART_FIELDS)} for p in values["parts"]]
    if not values.get("language"):
        fields["language"] = guess_language(fields.get("body_text") or fields.get("title") or "")
    return fields


class NormalizePipeline:
    """Applies the field tables above to each item, in place.

    A crawl's articles come prepared: the analysis worker (crawler/analysis.py)
    runs normalize_article beside extraction and hashes the result, so an
    article that carries its content_hash is left as it is.
    """

    def process_item(self, item):
        # imported here, not with the module: the analysis worker imports this module for
        # normalize_article and runs no Scrapy (crawler/analysis.py)
        from crawler.items import URL_OUTCOME_ITEMS
        if isinstance(item, URL_OUTCOME_ITEMS):
            item.update(_normalized(item, FAILURE_FIELDS))
        elif item.get("content_hash") is None:
            item.update(normalize_article(item))
        return item
