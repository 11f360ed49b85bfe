"""When our body came from a generic wrapper or the densest block, check it against trafilatura's.

Both are cleaned the same way; trafilatura's is asked to be a tighter
reading of ours: a wrapper that dragged in a menu, a teaser list or a
widget loses to trafilatura's pick when that pick holds the rest of ours,
few lines of its own (CHOICE_OWN_MAX_SHARE), and more of its text in full
sentences (lines of at least CHOICE_LONG_LINE_UNITS). A pick with lines of
its own read another block (a sidebar beside the post, the site's
masthead); one that only cut our first lines cut the article's headline,
byline or dateline, not what our block dragged in (measured on
dragnet-articles, such picks lost more pages than they won); a fragment of
ours a fifth its length or a menu dump loses too. Specific
containers and profile selectors are trusted without the check, and so is
a body that is already nearly all sentences (CHOICE_SETTLED_PROSE_SHARE):
that keeps trafilatura, the costliest step, off most pages, and measured
on both benchmarks its second opinion there lost more than it won.
"""
from __future__ import annotations

from functools import lru_cache

from .rules import CHOICE_LONG_LINE_UNITS, CHOICE_MIN_LENGTH_SHARE, CHOICE_OWN_MAX_SHARE, CHOICE_SETTLED_PROSE_SHARE
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


def prefer_other(ours: str, other: str, kin: str = "") -> bool:
    """True when `other` (trafilatura's text) is a tighter reading of `ours` that reads more like an article body.

    Lines from `kin`, the other items of the list our body is one of (a
    thread's replies beside its first post), are not lines of its own:
    they make it a fuller reading of the same list.
    """
    if not other:
        return False
    if not ours:
        return True
    return (len(other) >= len(ours) * CHOICE_MIN_LENGTH_SHARE
            and own_share(other, f"{ours}\n{kin}") <= CHOICE_OWN_MAX_SHARE
            and not trims_head_only(ours, other)
            and prose_share(other) > prose_share(ours))


def own_share(other: str, ours: str) -> float:
    """Share of `other`'s text in lines that `ours` does not hold: what trafilatura read in another block."""
    return sum(len(line) for line in other.split("\n") if line not in ours) / len(other)


def trims_head_only(ours: str, other: str) -> bool:
    """Is `other` `ours` with only its first lines cut: every line of ours from the first it holds on, nothing else?"""
    held = [line in other for line in ours.split("\n") if line.strip()]
    return any(held) and all(held[held.index(True):]) and all(line in ours for line in other.split("\n"))
