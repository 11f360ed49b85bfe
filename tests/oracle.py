"""The reference answer for search: a LIKE scan of the archive, independent of the index."""
from __future__ import annotations

import re


def _is_word_char(ch: str) -> bool:
    """A letter or digit of a script written with spaces (a Latin word's neighbour that would join it)."""
    return ch.isalnum() and not ("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")


def _contains(text: str | None, term: str) -> bool:
    """`term` occurs in `text` (case-insensitively), and a Latin word in it is not part of a longer word."""
    text, term = (text or "").lower(), term.lower()
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        before_ok = not (_is_word_char(term[0]) and start > 0 and _is_word_char(text[start - 1]))
        after_ok = not (_is_word_char(term[-1]) and end < len(text) and _is_word_char(text[end]))
        if before_ok and after_ok:
            return True
        start = text.find(term, start + 1)
    return False


def like_scan(conn, q: str) -> set[int]:
    """Ids of articles whose title or body contains every term of `q` (SQL LIKE, then whole Latin words).

    Punctuation at either end of a term is not part of it (`池化，` is `池化`).
    """
    terms = [re.sub(r"^[\W_]+|[\W_]+$", "", quoted or bare) for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', q)]
    terms = [t for t in terms if t]
    where = " AND ".join("(title LIKE ? OR body_text LIKE ?)" for _ in terms)
    params = [f"%{t}%" for t in terms for _ in (0, 1)]
    rows = conn.execute(f"SELECT id, title, body_text FROM articles WHERE {where}", params).fetchall()
    return {id_ for id_, title, body in rows
            if all(_contains(title, t) or _contains(body, t) for t in terms)}
