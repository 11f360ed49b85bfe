"""Dates written relative to the reader: "3小时前", "昨天 14:30", "3月5日" (no year).

They only mean something against the moment the page was read, so they are
resolved against `now` (the crawl time; UTC unless the caller passes an
aware time in another zone). A count of minutes or hours gives an instant
with its UTC offset; a day word or a year-less date gives the local date,
with the time the page shows, like the absolute dates read from text.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .rules import RELATIVE_DATE_SUFFIXES, RELATIVE_DATE_UNITS, RELATIVE_DAY_WORDS

_DAY = 86400


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TIME = r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{2})\s*分?)?"
_AGO = re.compile(r"(?<!\d)(\d{1,4})\s*(%s)\s*(?:%s)" % (_alternation(RELATIVE_DATE_UNITS),
                                                      _alternation(RELATIVE_DATE_SUFFIXES)), re.I)
_DAY_WORD = re.compile(r"(%s)%s" % (_alternation(RELATIVE_DAY_WORDS), _TIME), re.I)
_YEARLESS = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日" + _TIME)
_DAY_WORDS = {w.casefold(): n for w, n in RELATIVE_DAY_WORDS.items()}
_UNITS = {w.casefold(): n for w, n in RELATIVE_DATE_UNITS.items()}


def relative_date(text: str, now: datetime, at: int | None = None) -> str | None:
    """ISO 8601 for the first relative or year-less date in `text` (only one starting at index `at`)."""
    for pattern, read in ((_AGO, _ago), (_DAY_WORD, _day_word), (_YEARLESS, _yearless)):
        m = pattern.search(text) if at is None else pattern.match(text, at)
        if m:
            try:
                return read(m, now)
            except ValueError:  # 2月30日, 25:61
                return None
    return None


def _ago(m: re.Match, now: datetime) -> str:
    seconds = int(m.group(1)) * _UNITS[m.group(2).casefold()]
    if seconds >= _DAY:
        return (now - timedelta(seconds=seconds)).date().isoformat()
    return (now.replace(second=0, microsecond=0) - timedelta(seconds=seconds)).isoformat()


def _day_word(m: re.Match, now: datetime) -> str:
    back = _DAY_WORDS[m.group(1).casefold()]
    if back is None:
        return now.replace(second=0, microsecond=0).isoformat()
    return _with_time(now.date() - timedelta(days=back), m.group(2), m.group(3))


def _yearless(m: re.Match, now: datetime) -> str:
    """The latest such date not after `now`'s day: read in January, "12月30日" was last year."""
    month, day = int(m.group(1)), int(m.group(2))
    found = date(now.year, month, day)
    if found > now.date():
        found = date(now.year - 1, month, day)
    return _with_time(found, m.group(3), m.group(4))


def _with_time(day: date, hour: str | None, minute: str | None) -> str:
    if hour is None:
        return day.isoformat()
    return datetime(day.year, day.month, day.day, int(hour), int(minute)).isoformat()
