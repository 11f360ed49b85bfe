"""Durations as people write them in profiles and on the command line: `30m`, `12h`, `7d`, `2w`.

One spelling for `recrawl_after` (site profile, ARCHIVE_RECRAWL_AFTER) and
`archive schedule --every`, so both read alike and fail alike.
"""
from __future__ import annotations

import re
from datetime import timedelta

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$")


def parse_duration(value) -> timedelta:
    """`"7d"` -> 7 days; a bare number counts seconds; `0` is no time at all."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return timedelta(seconds=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (write e.g. 30m, 12h, 7d, 2w, or 0)")
    amount, unit = match.groups()
    return timedelta(**{UNITS[unit or "s"]: int(amount)})
