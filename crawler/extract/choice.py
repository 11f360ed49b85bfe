"""When our body came from a generic wrapper or the densest block, check it against trafilatura's.

Both are cleaned the same way; the one whose text sits more in full
sentences (lines of at least CHOICE_LONG_LINE_UNITS) wins, so a wrapper
that dragged in a menu or a teaser list loses to trafilatura's tighter
pick, and a trafilatura result that is a menu dump, a fragment of
ours a fifth its length, or a widget's text (body.from_a_widget: the
footer's credit line beside a photo post), loses to ours. So does one
longer than ours without most of our sentences: it is not a fuller
reading of our block (a thread with its replies) but another block (a
sidebar's about text, a second story). Specific
containers and profile selectors are trusted without the check, and so is
a body that is already nearly all sentences (CHOICE_SETTLED_PROSE_SHARE):
that keeps trafilatura, the costliest step, off most pages, and measured
on both benchmarks its second opinion there lost more than it won.
"""
from __future__ import annotations

from functools import lru_cache

from .rules import CHOICE_HELD_SHARE, CHOICE_LONG_LINE_UNITS, CHOICE_MIN_LENGTH_SHARE, CHOICE_SETTLED_PROSE_SHARE
from .text import units

TRUSTED = frozenset(("profile", "container"))


@lru_cache(maxsize=4)
def prose_share(text: str) -> float:
    """Share of the text's units in lines long enough to be sentences (remembered: settled and prefer_other weigh our text both)."""
    sizes = [units(line) for line in text.split("\n")]
    total = sum(sizes)
    return sum(s for s in sizes if s >= CHOICE_LONG_LINE_UNITS) / total if total else 0.0


def settled(text: str) -> bool:
    """True when our body (found by an untrusted rule) needs no second opinion: it is already prose."""
    return bool(text) and prose_share(text) >= CHOICE_SETTLED_PROSE_SHARE


def prefer_other(ours: str, other: str) -> bool:
    """True when `other` (trafilatura's text) reads more like an article body than `ours`, is not a fragment of it,
    and, when longer, holds most of our sentences."""
    if not other:
        return False
    if not ours:
        return True
    return (len(other) >= len(ours) * CHOICE_MIN_LENGTH_SHARE
            and (len(other) <= len(ours) or held_share(ours, other) >= CHOICE_HELD_SHARE)
            and prose_share(other) > prose_share(ours))


def held_share(ours: str, other: str) -> float:
    """Share of the text in `ours`'s sentence lines that `other` holds word for word."""
    lines = [line for line in ours.split("\n") if units(line) >= CHOICE_LONG_LINE_UNITS]
    total = sum(map(len, lines))
    return sum(len(line) for line in lines if line in other) / total if total else 0.0
