"""Text measures and the plain-text rendering of a body tree.

The measures ("units", CJK share) let one threshold serve Chinese and
English alike: one Han character counts as one unit, a word of an
alphabetic script (Latin, Cyrillic, Greek...) as WORD_UNITS, since a word
carries about as much as 2-3 characters.
"""
from __future__ import annotations

import re

from .rules import WORD_UNITS


def runs(chars: str) -> re.Pattern:
    """A regex for the runs of a character class `chars` ("[...]"), written as one of them and then any more.

    The engine finds where a match may start by a scan in C only when the
    pattern opens with a class (not with a repeat, as `[...]+` does): else
    it tries the whole pattern at every character of the text.
    """
    return re.compile(f"{chars}{chars}*")


# Han characters and Latin letters are counted in runs: findall then builds one string per run,
# not one per character (five times faster on Chinese prose, where units() is asked thousands of times a page).
_HAN = runs("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A word of the alphabetic scripts: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Hangul (a positive class: fast).
_WORD = runs("[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0900-\u0eff\u1100-\u11ff\uac00-\ud7af]")
_LATIN_LETTERS = runs("[A-Za-z\u00c0-\u024f]")
# ASCII bytes -> "a" for the letters and digits of _WORD, " " for the rest: an ASCII text's words are then
# counted in C without a string per word (the regex runs only on other texts).
_ASCII_WORD_MARKS = bytes(0x61 if b < 128 and chr(b).isalnum() else 0x20 for b in range(256))

BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul", "br",
))
_CELL = "\ue000"  # marks a table-cell boundary while whitespace is collapsed


def any_of(words, whole_ascii_words: bool = False, then: str = "") -> re.Pattern:
    """A case-insensitive regex for any of the literal `words` (an ASCII one only as a whole
    word if `whole_ascii_words`), followed by the regex `then`. It opens with a lookahead for the words' first letters: the
    regex engine then skips to where one may start, where a case-insensitive alternation
    alone is tried at every character (2-3 times slower on the short texts checked here)."""
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    alternatives = "|".join(rf"\b{re.escape(w)}\b" if whole_ascii_words and w.isascii() else re.escape(w)
                            for w in words)
    return re.compile(f"(?=[{first}])(?:{alternatives}){then}", re.I)


class Phrases:
    """any_of(words, whole_ascii_words), searched only when the case-folded text holds a piece of a word
    that any match leaves in it: a substring test in C, where the regex tries every character of a text
    that holds none (most texts).

    A word's piece is the word folded, its longest part between "i"s: ignoring case, "İ" and "ı" match "i"
    and fold to other letters, while every other letter a match may hold folds to the word's own. A
    word with another cased letter outside ASCII has no piece, and the regex always runs.
    """

    def __init__(self, words, whole_ascii_words: bool = False):
        self.regex = any_of(words, whole_ascii_words)
        pieces = [_piece(w) for w in words]
        # the pieces as literals (no re.I): the engine scans for their first characters in C
        self.pieces = None if None in pieces else re.compile("|".join(map(re.escape, pieces)))

    def search(self, text: str) -> re.Match | None:
        if self.pieces is not None and self.pieces.search(text.casefold()) is None:
            return None
        return self.regex.search(text)


def _piece(word: str) -> str | None:
    if any(not c.isascii() and c.lower() != c.upper() for c in word):
        return None
    return max(word.casefold().split("i"), key=len) or None


class Memo(dict):
    """key -> fn(key), worked out on the first ask.

    For an element's text measures while its tree is not edited: finding
    and cleaning the body read the same blocks' text many times over.
    """

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


def text_of(el) -> str:
    """el.text_content(); for an element without children (most links, cells and short lines), its text,
    without the XPath evaluation text_content makes (three times the cost)."""
    return el.text_content() if len(el) else el.text or ""


def clean(s: str | None) -> str:
    """Whitespace collapsed and stripped ('' for None). str.split's whitespace is the regex's \\s
    (both are str.isspace): split and join give what a \\s+ substitution and strip gave, several times faster."""
    return " ".join(s.split()) if s else ""


def clean_within(s: str | None, limit: int) -> str | None:
    """clean(s) when that is at most `limit` characters long, else None.

    A block's text holds all of its paragraphs', and is often asked only
    whether it is short: when its start alone cleans to more than `limit`,
    so does the whole (a start's clean begins the whole's), and the rest is
    never split.
    """
    if s and len(s) > 2 * limit and len(clean(s[:2 * limit])) > limit:
        return None
    s = clean(s)
    return s if len(s) <= limit else None


def units(s: str) -> float:
    """How much text `s` holds, comparable across Chinese and Latin scripts."""
    if s.isascii():  # no Han; a word starts where a mark "a" follows a " " or opens the text
        marks = s.encode("ascii").translate(_ASCII_WORD_MARKS)
        return WORD_UNITS * (marks.count(b" a") + marks.startswith(b"a"))
    return _han_count(s) + WORD_UNITS * len(_WORD.findall(s))


def _han_count(s: str) -> int:
    """Han characters in `s` (none in ASCII text, which is not searched)."""
    return 0 if s.isascii() else sum(map(len, _HAN.findall(s)))


def han_share(s: str) -> tuple[int, int]:
    """(Han characters, Latin letters) in `s`."""
    return _han_count(s), sum(map(len, _LATIN_LETTERS.findall(s)))


def plain_text(root, code: bool = True) -> str:
    """Text of a tree: one line per block element, table cells tab-separated, <pre> verbatim (or left out),
    an <img> a space (a dish's name, its photo, then its paragraph: two words, not one)."""
    lines: list[str] = []
    buf: list[str] = []
    _walk(root, lines, buf, code)
    _flush(lines, buf)
    return "\n".join(lines)


def _walk(node, lines: list[str], buf: list[str], code: bool) -> None:
    """Adds `node`'s text to the line being built in `buf`, ending a line (into `lines`) at each block.
    (Module functions: nested ones calling each other are reference cycles, left for the garbage collector.)"""
    tag = node.tag
    if tag == "pre":
        _flush(lines, buf)
        if code:
            lines.append(node.text_content())
    elif isinstance(tag, str):
        block = tag in BLOCK_TAGS
        if block and buf:
            _flush(lines, buf)
        text = node.text
        if text:
            buf.append(text)
        for child in node:
            _walk(child, lines, buf, code)
        if tag == "td" or tag == "th":
            buf.append(_CELL)
        elif tag == "img":
            buf.append(" ")
        if block and buf:
            _flush(lines, buf)
    tail = node.tail
    if tail:
        buf.append(tail)


def _flush(lines: list[str], buf: list[str]) -> None:
    """The text gathered in `buf` as one line of `lines` (none if blank)."""
    line = clean("".join(buf))
    if _CELL in line:  # a table row: its cells apart by tabs
        line = line.replace(f" {_CELL}", _CELL).replace(f"{_CELL} ", _CELL).strip(f" {_CELL}").replace(_CELL, "\t")
    if line:
        lines.append(line)
    buf.clear()
