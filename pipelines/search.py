"""Full-text search that works for Chinese in any SQLite: segment in Python, index with FTS5.

SQLite's built-in `unicode61` tokenizer turns a whole run of Chinese
characters into one token, so `爬虫` would find nothing inside `Python爬虫教程`.
A custom tokenizer would make the archive unsearchable wherever the extension
is missing, so the text is segmented here instead and FTS5 indexes the
result with its stock tokenizer:

- every CJK character becomes a token of its own, so a term of any length is
  a phrase of characters (`池化` -> `"池 化"`): exactly the articles whose text
  contains it, one- and two-character terms included;
- Latin words and numbers stay words, matched whole, case-insensitively;
- where the original text is interrupted between two tokens (punctuation, or
  space next to a CJK character) a BREAK token is indexed, so a phrase never
  matches across it: `池化` does not match `池，化`;
- a third column holds the jieba words of the CJK runs, so Datasette's own
  table search box (which sends a term as one token) finds plain words.

The index lives in `articles_fts` (rowid = articles.id); `index_articles`
keeps it in step inside the store's batch transaction, and `match_expression`
/ `snippet` are what the Datasette plugin registers as SQL functions.

The index is contentless (`content=''`): it holds the tokens and their
positions, not a copy of the segmented text, which was a quarter of the
archive (snippets are cut from `articles.body_text` anyway). FTS5 forgets a
contentless row only when given the tokens it was indexed with, so replacing
a row recomputes them from the title and body_text still in `articles`:
`segment` and `jieba_words` must give what they gave when the row was
indexed. A change to either (or an rjieba that cuts words differently)
comes with a migration step that calls `reindex_all`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

FTS_TABLE = "articles_fts"

# column -> where its text comes from; title weighs most in the ranking.
FTS_COLUMNS = ("title", "body", "words")
RANK_WEIGHTS = (10.0, 1.0, 1.0)

# Scripts written without spaces between words: indexed one character at a time.
CJK = ("\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
       "\U00020000-\U0002ebef\U00030000-\U0003134f")
BREAK = "\ue000"  # a private-use character: a token to unicode61, never typed by anyone

# The patterns below open with a character class, not a repeat ("[...][...]*", not "[...]+"): the
# engine then scans in C for where a match may start, where it tried the pattern at every character.
_CJK_RUN = re.compile(f"([{CJK}][{CJK}]*)")  # captured: split() keeps the runs
_LATIN = f"[^\\W_{CJK}]"  # letters and digits that are not CJK
# Whitespace between two Latin/digit characters separates words without breaking a phrase
# (its first space, then the lookbehind: a Latin character before it).
_WORD_SPACE = re.compile(f"\\s(?<={_LATIN}\\s)\\s*(?={_LATIN})")
_JOIN = "\x01"  # stands in for a word space while the other gaps are replaced
# A run of characters that are neither word characters nor _JOIN, or a run of "_" (each a gap of its own).
_GAP = re.compile(f"[_\\W](?<!{_JOIN})(?:(?<=_)_*|(?<!_)[^\\w{_JOIN}]*)")
_QUERY_TERM = re.compile(r'"([^"]*)"|(\S+)')

# An FTS5 query that matches nothing, for an empty search.
NO_MATCH = '""'

CREATE_INDEX = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"{', '.join(FTS_COLUMNS)}, content = '', tokenize = 'unicode61 remove_diacritics 0')"
)
_INSERT = f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?)"
# A contentless index forgets a row given the values it was indexed with.
_DELETE = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(FTS_COLUMNS)}) VALUES ('delete', ?, ?, ?, ?)"


def segment(text: str | None) -> str:
    """Text as space-separated index tokens (see the module docstring)."""
    if not text:
        return ""
    text = _GAP.sub(f" {BREAK} ", _WORD_SPACE.sub(_JOIN, text))
    # the text between CJK runs, and the runs spaced one character a token: a run's join in C,
    # where re.sub called back into Python for every run (a third of segment's time)
    pieces = _CJK_RUN.split(text)
    pieces[1::2] = map(" ".join, pieces[1::2])
    return " ".join(pieces).replace(_JOIN, " ")


def jieba_words(text: str | None) -> str:
    """The multi-character words jieba finds in the CJK runs of `text`.

    The runs are cut in one call, a line break between them: jieba cuts
    each stretch between breaks on its own, so the words are those of one
    call per run, without a call's overhead for every run.
    """
    if not text or text.isascii():  # no CJK run to cut
        return ""
    # imported where words are cut: its dictionary is ~30 MB, and a crawl's writer
    # process has its articles' words made by the analysis worker (`prepared_values`)
    import rjieba
    runs = "\n".join(run for run in _CJK_RUN.findall(text) if len(run) > 1)
    return " ".join([word for word in rjieba.cut(runs) if len(word) > 1])  # a list: join takes it as it is


def index_values(article: Mapping) -> tuple[str, str, str]:
    """The articles_fts values (FTS_COLUMNS) of one article, from its title and body_text."""
    title, body = article.get("title"), article.get("body_text")
    return segment(title), segment(body), jieba_words(f"{title or ''}\n{body or ''}")


def prepared_values(article: Mapping) -> list:
    """`index_values` with the content_hash they were made for: the analysis worker makes them
    beside extraction (item field `search_index`), so the archive's one writer only writes them."""
    return [article.get("content_hash"), *index_values(article)]


def index_row(article_id: int, article: Mapping, prepared: Sequence | None = None) -> tuple:
    """The articles_fts row of one article: its `prepared_values` when they are of its content, else made now."""
    if prepared and prepared[0] is not None and prepared[0] == article.get("content_hash"):
        return (article_id, *prepared[1:])
    return (article_id, *index_values(article))


# -- index upkeep (called inside the store's transaction) -----------------

def create_index(conn) -> None:
    """Create articles_fts with its ranking weights (idempotent)."""
    conn.execute(CREATE_INDEX)
    weights = ", ".join(str(w) for w in RANK_WEIGHTS)
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({weights})')")


def index_articles(conn, articles: Iterable[tuple[int, Mapping]],
                   replaced: Mapping[int, Mapping] | None = None,
                   prepared: Mapping[int, Sequence] | None = None) -> None:
    """Index articles given as (id, row with title, body_text and content_hash); `replaced` maps
    those already indexed to the title and body_text they were indexed with, forgotten first
    (only rows the index holds: FTS5 takes the delete of an unknown row for corruption);
    `prepared` maps ids to their `prepared_values`, where the analysis worker made them."""
    held = [(id_, old) for id_, old in (replaced or {}).items()
            if conn.execute(f"SELECT 1 FROM {FTS_TABLE} WHERE rowid = ?", [id_]).fetchone()]
    conn.executemany(_DELETE, [index_row(id_, old) for id_, old in held])
    conn.executemany(_INSERT, [index_row(id_, article, (prepared or {}).get(id_)) for id_, article in articles])


def reindex_all(conn, batch: int = 1000) -> int:
    """Rebuild the index from every article (the migrations' back-fill); returns the count."""
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    cursor = conn.execute("SELECT id, title, body_text FROM articles ORDER BY id")
    total = 0
    while chunk := cursor.fetchmany(batch):
        conn.executemany(_INSERT, [index_row(id_, {"title": title, "body_text": body})
                                   for id_, title, body in chunk])
        total += len(chunk)
    return total


# -- queries ----------------------------------------------------------------

def query_terms(q: str | None) -> list[list[str]]:
    """A search box's terms as token lists: words split on spaces, "quoted phrases" kept whole."""
    terms = []
    for quoted, bare in _QUERY_TERM.findall(q or ""):
        tokens = segment(quoted or bare).split()
        while tokens and tokens[0] == BREAK:
            tokens.pop(0)
        while tokens and tokens[-1] == BREAK:
            tokens.pop()
        if tokens:
            terms.append(tokens)
    return terms


def match_expression(q: str | None) -> str:
    """The FTS5 MATCH expression for a search box: every term (AND), each as a phrase in title or body."""
    phrases = [f'"{" ".join(tokens)}"' for tokens in query_terms(q)]
    if not phrases:
        return NO_MATCH
    return "{title body} : (" + " AND ".join(phrases) + ")"


def _term_pattern(tokens: list[str]) -> str:
    """A regular expression finding one term in the original text, as the index matches it."""
    parts = []
    for i, token in enumerate(tokens):
        if token == BREAK:
            parts.append(r"[\W_]+")
            continue
        if i and tokens[i - 1] != BREAK and not _CJK_RUN.match(token) and not _CJK_RUN.match(tokens[i - 1]):
            parts.append(r"\s+")
        parts.append(re.escape(token))
    if not _CJK_RUN.match(tokens[0]):
        parts.insert(0, f"(?<!{_LATIN})")
    if not _CJK_RUN.match(tokens[-1]):
        parts.append(f"(?!{_LATIN})")
    return "".join(parts)


def snippet(text: str | None, q: str | None, width: int = 120, before: int = 30) -> str:
    """A window of the original text around the first match, matches wrapped in <mark>...</mark>.

    Like FTS5's snippet(), the text is returned as it is (not HTML): whoever
    shows it as HTML escapes it and keeps only the marks (the plugin does).
    """
    text = text or ""
    terms = query_terms(q)
    pattern = re.compile("|".join(_term_pattern(t) for t in terms), re.IGNORECASE) if terms else None
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - before) if first else 0
    end = min(len(text), start + width)
    window = text[start:end]
    pieces, at = [], 0
    for match in (pattern.finditer(window) if pattern else ()):
        pieces += [window[at:match.start()], "<mark>", match.group(), "</mark>"]
        at = match.end()
    pieces.append(window[at:])
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else "")
