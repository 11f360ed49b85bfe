"""The article's authors: people's names, in reading order, never the publisher.

Pages name the author in many places and many of them name something
else: JSON-LD and <meta> often hold the site or publisher, a CMS user name
("admin", "kevin-r"), "Last, First", or a byline with role and outlet
("By TOM KRISHER, AP Auto Writer"). Each source in turn (profile, JSON-LD,
<meta>, byline markup, a labelled byline in the meta line or at the body's
start or end: "By", "Von", "Par", "作者：", "记者", "文/") is split into
names, and only names that read as a person's are kept; the first source
that names one decides.
"""
from __future__ import annotations

import re

from .page import Page
from .rules import (
    ARTICLE_TYPES,
    AUTHOR_HAN_NAME_CHARS,
    AUTHOR_HAN_SURNAMES,
    AUTHOR_MARKUP_NAME_WORDS,
    AUTHOR_MARKUP_WORDS,
    AUTHOR_META_KEYS,
    AUTHOR_NAME_PARTICLES,
    AUTHOR_NAME_SEPARATORS,
    AUTHOR_NOT_PERSON_HAN,
    AUTHOR_NOT_PERSON_HAN_ENDINGS,
    AUTHOR_NOT_PERSON_WORDS,
    AUTHOR_TEXT_LABELS,
)
from .text import clean
from .title import site_names

_LATIN_LABELS = [x for x in AUTHOR_TEXT_LABELS if x.isascii()]
_HAN_LABELS = [x for x in AUTHOR_TEXT_LABELS if not x.isascii()]
# A Latin label starts a word after a space or separator; a Chinese one may follow anything ("本报记者").
_LABEL = re.compile(
    r"(?:(?:^|(?<=[\s(（\[【|·•/:：,，]))(?:%s)\b|(?:%s))(?:\s*[:：]\s*|\s+|(?<=[/／]))"
    % ("|".join(map(re.escape, _LATIN_LABELS)), "|".join(map(re.escape, _HAN_LABELS))),
    re.I,
)
_HAN_LABEL = re.compile("|".join(map(re.escape, _HAN_LABELS)))
# Where a byline's names end: a date, a time, a separator, a bracket, a sentence.
_END = re.compile(r"\s[|·•]\s|[|()（）\[\]【】。！？!?\n]|\s[-–—]\s|\b(?:on|am|le|el|il)\s+\d|\d{1,4}\s*[-/.年:]\s*\d|\s{2,}")
_SPLIT = re.compile("|".join(re.escape(s) for s in sorted(AUTHOR_NAME_SEPARATORS, key=len, reverse=True))
                    + r"|(?<=\w{2})\.\s+(?=[A-Z])", re.I)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_HAN_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+(?:[·・•][\u3400-\u4dbf\u4e00-\u9fff]+)*$")
_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]*)*\.?$")
_NOT_NAME = re.compile(r"@|://|www\.|\.(?:com|net|org|cn|de|fr|uk|ru|io|info|co)\b|\d", re.I)
_BYLINE_TAIL = 200  # characters of the body's first and last line searched for "（记者 X）"


def find_author(page: Page, line: str, text: str = "") -> str | None:
    """Authors, comma-separated in reading order, or None when no source names a person."""
    picked = page.picked_text("author")
    if picked:
        return picked
    site = _publisher_names(page)
    for raws, how in _sources(page, line, text):
        names = [n for raw in raws for n in people(raw, site, how)]
        if names:
            return ", ".join(dict.fromkeys(names))
    return None


def _sources(page: Page, line: str, text: str):
    """([raw author texts], how they were found: person/declared/text), most explicit first."""
    typed, untyped = [], []
    for obj in page.jsonld_of_type(ARTICLE_TYPES):
        for author in _listed(obj.get("author")):
            if isinstance(author, str):
                untyped.append(author)
            elif isinstance(author, dict) and "organization" not in str(author.get("@type", "")).lower():
                names = [n for n in _listed(author.get("name")) if isinstance(n, str)]
                (typed if "person" in str(author.get("@type", "")).lower() else untyped).extend(names)
    yield typed, "person"
    yield untyped, "declared"
    yield [value for value in map(page.meta, AUTHOR_META_KEYS) if value][:1], "declared"
    yield _markup(page), "declared"
    lines = text.strip().split("\n")
    for where in (line, lines[0][:_BYLINE_TAIL], lines[-1][-_BYLINE_TAIL:]):
        found = _after_label(where)
        yield [found] if found else [], "text"


def _starts_byline(text: str, at: int) -> bool:
    """A label in running text starts a byline when capitalised or set apart ("By X", "| von X"),
    not as a word of a sentence ("sponsored by X")."""
    return at == 0 or not text[at].islower() or text[at - 1] != " " or not text[at].isascii()


def _markup(page: Page) -> list[str]:
    """Bylines in markup: the first rel/itemprop=author element, the first byline or author class."""
    found = []
    marked = [_rel_author(page), page.marked(_byline_class, ("class",))]
    for elements in marked:
        for el in elements:
            names = el.xpath('.//*[@itemprop="name"]')
            value = clean((names[0] if names else el).text_content()) or clean(el.get("content"))
            if value and len(value) <= 120:
                found.append(_after_label(value) or value)
                break
    return found


def _rel_author(page: Page) -> list:
    """<a rel="author"> and itemprop=author elements, in document order."""
    links = (a for a in page.having("rel", "author") if a.tag == "a")
    return sorted({*links, *page.having("itemprop", "author")}, key=page.order.__getitem__)


def _byline_class(token: str) -> bool:
    """Does a class token mark a byline ("post-author", "byline", "author-name"; not "author-bio")?"""
    words = re.split(r"[_-]+", token.lower())
    return words[-1] in AUTHOR_MARKUP_WORDS or (
        len(words) > 1 and words[-2] in AUTHOR_MARKUP_WORDS and words[-1] in AUTHOR_MARKUP_NAME_WORDS)


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _after_label(value: str) -> str | None:
    """What follows the first label that starts a byline in `value`, or None."""
    m = next((m for m in _LABEL.finditer(value) if _starts_byline(value, m.start())), None)
    return value[m.end():] if m else None


def _publisher_names(page: Page) -> set[str]:
    """The site's and publisher's names, squeezed: a byline naming them names no person."""
    names = site_names(page)
    for obj in page.jsonld_of_type(ARTICLE_TYPES):
        for publisher in _listed(obj.get("publisher")):
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                names.add(publisher["name"])
    return {_squeezed(n) for n in names if _squeezed(n)}


def _squeezed(name: str) -> str:
    """A name compared with the site's: case-folded, spaces and punctuation out ("Business Insider")."""
    return re.sub(r"[\W_]+", "", name).casefold()


def people(raw: str, site: set[str] = frozenset(), how: str = "declared") -> list[str]:
    """The person names in one byline text, in order ("By A and B, Staff Writer" -> [A, B])."""
    raw = clean(_after_label(raw) or raw) if not _HAN.search(raw[:1]) else clean(raw)
    end = _END.search(raw)
    raw = raw[: end.start()] if end else raw
    parts = [clean(p).strip(" .:：'\"“”") for p in _SPLIT.split(raw)]
    parts = [p for p in parts if p]
    if (len(parts) == 2 and raw.count(",") == 1 and all(_WORD.match(p) and p[0].isupper() for p in parts)
            and not _SPLIT.search(raw.replace(",", ""))):
        parts = [f"{parts[1]} {parts[0]}"]  # "Lovelace, Ada" from <meta>: turned round
    names = []
    for part in parts:
        for name in (part.split() if _HAN.search(part) and " " in part else [part]):  # "文/图 张三 李四"
            name = _person(name, site, how)
            if name is None and how == "text":
                return names  # a byline in text ends at the first word that is not a name
            if name and name not in names:
                names.append(name)
    return names


def _person(name: str, site: set[str], how: str) -> str | None:
    """`name` as a person's name ("TOM KRISHER" -> "Tom Krisher"), or None when it is not one."""
    name = _HAN_LABEL.sub("", name) if _HAN.search(name) else name
    name = name.strip(" .:：'\"“”()（）")
    if not name or _NOT_NAME.search(name) or _squeezed(name) in site:
        return None
    if _HAN.search(name):
        core = name.replace("·", "").replace("・", "")
        low, high, foreign = AUTHOR_HAN_NAME_CHARS
        if (not _HAN_NAME.match(name) or not (low <= len(core) <= (high if core == name else foreign))
                or any(w in name for w in AUTHOR_NOT_PERSON_HAN) or name.endswith(AUTHOR_NOT_PERSON_HAN_ENDINGS)
                or (how == "text" and core == name and name[0] not in AUTHOR_HAN_SURNAMES)):
            return None
        return name
    words = name.split()
    if not words or len(words) > 5 or not all(_WORD.match(w) for w in words):
        return None
    if any(w.casefold().strip(".") in AUTHOR_NOT_PERSON_WORDS for w in words):
        return None
    if any(not w[0].isupper() and w.casefold() not in AUTHOR_NAME_PARTICLES for w in words):
        return None  # "admin", "kevin-r", a sentence
    if len(words) == 1 and how != "person":
        return None  # one word: a user name or an outlet more often than a person
    upper = [w for w in words if w.isupper() and len(w.strip(".")) > 1]
    if upper and len(upper) < len(words):
        return None  # "ACLU Speech": an acronym beside words is an organisation
    if upper:
        name = " ".join(w.capitalize() for w in words)
    return name
