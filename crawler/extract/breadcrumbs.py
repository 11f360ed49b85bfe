"""The breadcrumb trail, and the section it implies.

A trail is found by what it is, not by a list of class names: a short run of
links from the site root down towards this page, before the headline, with
short names and separators of any kind between them. Candidates come from
elements whose class/id/aria-label words mark a trail, from labels
("当前位置：", "You are here"), from links followed by a separator, and from
texts that start with a home word ("首页 - 新闻"); each is parsed into crumbs
and scored by the cues in rules.BREADCRUMB_CUES, and the best one that
scores enough wins. Structured data (JSON-LD, microdata, RDFa BreadcrumbList)
lends weight to a shown trail that agrees with it, and stands in when the
page shows none, unless all it says is "home > this page".
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from .page import Page, hidden, xpath
from .rules import (
    BREADCRUMB_CUES,
    BREADCRUMB_HOME_WORDS,
    BREADCRUMB_LABELS,
    BREADCRUMB_MARKERS,
    BREADCRUMB_MAX_CHARS,
    BREADCRUMB_MAX_CRUMBS,
    BREADCRUMB_MAX_LINK_CHARS,
    BREADCRUMB_MIN_SCORE,
    BREADCRUMB_MIN_TEXT_SHARE,
    BREADCRUMB_ONE_CRUMB_MIN_SCORE,
    BREADCRUMB_SEPARATORS,
    BREADCRUMB_SEPARATORS_ANYWHERE,
)
from .text import any_of, clean
from .urlshape import site

_LABEL = re.compile(
    r"(?:%s)\s*[是为]?\s*[:：]?\s*" % "|".join(re.escape(x) for x in sorted(BREADCRUMB_LABELS, key=len, reverse=True)),
    re.I,
)
_AMBIGUOUS = tuple(s for s in BREADCRUMB_SEPARATORS if s not in BREADCRUMB_SEPARATORS_ANYWHERE)
_SPLIT = re.compile(
    r"\s*(?:%s)\s*|\s+(?:%s)\s+|^(?:%s)\s+|\s+(?:%s)$" % (
        "|".join(re.escape(s) for s in BREADCRUMB_SEPARATORS_ANYWHERE),
        *["|".join(re.escape(s) for s in _AMBIGUOUS)] * 3,
    )
)
_SEP_DIRECTIONAL = frozenset(s[0] for s in BREADCRUMB_SEPARATORS_ANYWHERE)
# What may follow a link that starts a trail: "-", "·" and ":" follow too many links in menus and prose.
_SEP_SEEDS = _SEP_DIRECTIONAL | {"/", "|", "｜"}
_STRIP = "".join(BREADCRUMB_SEPARATORS) + " \t\r\n\u00a0\u3000"
_OPENERS = "【[（(「《"  # an opening bracket ends no name: it belongs to what follows the trail
_HOME = tuple(w.casefold() for w in BREADCRUMB_HOME_WORDS)
_HOME_RUN = re.compile(r"(%s)[ \t\u00a0\u3000]*(?:%s)[ \t\u00a0\u3000]*\w" % (
    "|".join(re.escape(w) for w in BREADCRUMB_HOME_WORDS), "|".join(re.escape(s) for s in BREADCRUMB_SEPARATORS)))
_LABEL_KEYS: dict[str, list[str]] = {}  # rows by their last two characters: one search rules out several rows
for _row in BREADCRUMB_LABELS:
    _LABEL_KEYS.setdefault(_row[-2:], []).append(_row)
_SKIP = frozenset(("script", "style", "noscript", "template", "select", "option", "button", "form", "input"))
_ICONS = frozenset(("img", "svg", "i"))
_ITEMS = frozenset(("li", "td", "th", "dd", "dt", "tr", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "ul", "ol", "table"))
_ROOT_PATH = re.compile(r"^/?(?:(?:index|default|home)(?:\.\w+)?)?/?$", re.I)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_BREADCRUMB_LIST = re.compile("BreadcrumbList")
# (type attribute, property attribute) for microdata and RDFa.
_MARKUP = (("itemtype", "itemprop"), ("typeof", "property"))

LINK, TEXT, SEP, BREAK, END = range(5)
_DIRECTIONAL, _AMBIG, _ITEM, _END, _CHAIN = "directional", "ambiguous", "item", "end", "chain"
_GAP_CUES = {
    _DIRECTIONAL: BREADCRUMB_CUES["directional"], _AMBIG: BREADCRUMB_CUES["ambiguous"],
    _CHAIN: BREADCRUMB_CUES["directional"] + BREADCRUMB_CUES["chain"],
}
_MAX_LINKS = 3 * BREADCRUMB_MAX_CRUMBS
_LISTS = frozenset(("ul", "ol", "table"))


class TrailCandidate(NamedTuple):
    score: int
    crumbs: list[dict]
    element: object
    cues: dict[str, int]   # cue name -> what it added to the score (rules.BREADCRUMB_CUES)


def find_breadcrumbs(page: Page) -> tuple[list[dict], object | None]:
    """(crumbs as [{"name", "url"}], the element showing the trail or None)."""
    picked = page.picked("breadcrumbs")
    if picked is not None:
        return parse_trail(page, picked), picked
    structured, markup_el = structured_trail(page)
    shown = trail_candidates(page, structured)
    if shown:
        return shown[0].crumbs, shown[0].element
    if _informative(page, structured):
        return structured, markup_el
    return [], None


def structured_trail(page: Page) -> tuple[list[dict], object | None]:
    """The trail the page's JSON-LD, microdata or RDFa BreadcrumbList declares, and its element (None for JSON-LD)."""
    return _jsonld(page) or _markup(page)


def trail_candidates(page: Page, structured: list[dict]) -> list[TrailCandidate]:
    """The shown trails that score enough, best first; ones only a label or home word gives away when no other."""
    found = list(_scored(page, structured, _candidates(page))) or list(_scored(page, structured, _quiet_candidates(page)))
    return sorted(found, key=lambda c: -c.score)


def section_of(crumbs: list[dict], title: str | None, url: str) -> str | None:
    """Crumb names strictly between the home crumb and the current page, joined by " > "."""
    inner = crumbs[1:]
    if inner and (inner[-1]["url"] in (None, url) or inner[-1]["name"] == title):
        inner = inner[:-1]
    return " > ".join(c["name"] for c in inner) or None


def parse_trail(page: Page, el) -> list[dict]:
    """Crumbs shown in `el`: each link, and each text between separators (url None)."""
    return _parse(page, el)[0]


# --- candidates and their score ---------------------------------------------------

def _scored(page: Page, structured: list[dict], candidates):
    """(score, crumbs, element) for each candidate that reads as a trail."""
    headline = next(page.root.iter("h1"), None)
    seen: set = set()
    for el in candidates:
        if el in seen:
            continue
        seen.add(el)
        if len(el.findall(".//a")) > _MAX_LINKS:  # a layout box (<body class="path-node">), not a trail
            continue
        crumbs, label, gap = _parse(page, el)
        if not crumbs or not _shaped(crumbs) or _share(crumbs, el) < BREADCRUMB_MIN_TEXT_SHARE:
            continue
        marker = _marker(el)
        agrees = _agrees(crumbs, structured)
        cues = {"marker": marker, "label": BREADCRUMB_CUES["label"] * label, **_url_cues(page, crumbs),
                gap or "gap": _GAP_CUES.get(gap, 0),
                "before_headline": BREADCRUMB_CUES["before_headline"] * bool(headline is not None and _before(page, el, headline)),
                "agrees": BREADCRUMB_CUES["agrees"] * agrees}
        cues = {name: weight for name, weight in cues.items() if weight}
        score = sum(cues.values())
        if len(crumbs) > 1:
            ok = score >= BREADCRUMB_MIN_SCORE
        else:
            ok = score >= BREADCRUMB_ONE_CRUMB_MIN_SCORE and bool(marker or label or agrees)
        if ok:
            yield TrailCandidate(score, crumbs, el, cues)


def _before(page: Page, el, headline) -> bool:
    """`el` starts before the page's first <h1> (so every <h1> follows it, or sits in it as a current-page crumb)."""
    return page.order[el] < page.order[headline]


def _candidates(page: Page):
    """Elements that may hold a trail: marked ones, and links followed by a separator."""
    for el in page.marked(_marked):
        parent = el.getparent()
        yield parent if el.tag == "li" and parent is not None else el  # a marked item stands for its list
    for a in page.root.iter("a"):
        after = (a.tail or "").lstrip()
        if _SEP_SEEDS.intersection(after[:3]):
            yield _holder(a)
        elif not after:
            nxt = a.getnext()
            if nxt is not None and nxt.tag in _ICONS:
                yield _holder(a)


def _quiet_candidates(page: Page):
    """Trails that only a label ("当前位置：") or a home word ("首页 - 新闻") gives away; sought when nothing else is."""
    text = page.body_text
    labels = tuple(x for key, rows in _LABEL_KEYS.items() if key in text for x in rows if x in text)
    if labels:
        for text in xpath(_text_xpath(labels))(page.root):
            el = text.getparent()
            for _ in range(3):  # "<span>当前位置：</span><a>..": climb to the element holding links
                if el.find(".//a") is not None or el.getparent() is None:
                    break
                el = el.getparent()
            yield el
    yield from _home_texts(page)


def _home_texts(page: Page):
    """Elements whose text reads as a trail of unlinked names from a home word: "首页 - 新闻动态"."""
    words = tuple(sorted({m.group(1) for m in _HOME_RUN.finditer(page.body_text)}))
    if not words:
        return
    for text in xpath(_text_xpath(words))(page.root):
        if _HOME_RUN.match(text.strip()) and text.getparent().find(".//a") is None:
            yield text.getparent()


@lru_cache(maxsize=256)
def _text_xpath(words: tuple[str, ...]) -> str:
    return "//body//text()[%s]" % " or ".join(f'contains(., "{w}")' for w in words)


_MARKER_HINT = any_of(BREADCRUMB_MARKERS)


def _marked(value: str) -> bool:
    return bool(_MARKER_HINT.search(value)) and _marker_words(value) > 0


def _holder(a):
    """The nearest ancestor of a link that holds another link too (the run it belongs to)."""
    el = a.getparent()
    for _ in range(3):
        if el is None or el.getparent() is None or len(el.findall(".//a")) > 1:
            break
        el = el.getparent()
    return el if el is not None else a


def _share(crumbs: list[dict], el) -> float:
    """How much of the element's text the trail is."""
    return sum(len(c["name"]) for c in crumbs) / max(1, len(clean(el.text_content())))


def _shaped(crumbs: list[dict]) -> bool:
    """Short: few crumbs, short linked names, long text only as the last (current page) crumb."""
    if len(crumbs) > BREADCRUMB_MAX_CRUMBS or sum(len(c["name"]) for c in crumbs) > BREADCRUMB_MAX_CHARS:
        return False
    return all(len(c["name"]) <= BREADCRUMB_MAX_LINK_CHARS for c in crumbs[:-1])


def _marker(el, climb: bool = True) -> int:
    """Weight of the strongest trail word in the class/id/aria-label of `el`, a small ancestor or its first item."""
    item = el.find("li") if climb and el.tag in ("ul", "ol") else None
    best = _marker(item, climb=False) if item is not None else 0
    for _ in range(3 if climb else 1):
        if el is None or not isinstance(el.tag, str):
            break
        for attr in ("class", "id", "aria-label", "itemtype", "typeof"):
            value = el.get(attr)
            if value:
                best = max(best, _marker_words(value))
        el = el.getparent()
        if el is not None and len(el) > 12:  # a wide ancestor is a layout box, not the trail's wrapper
            break
    return best


@lru_cache(maxsize=4096)
def _marker_words(value: str) -> int:
    words = [w.lower() for part in re.findall(r"[A-Za-z]+", value) for w in _WORDS.findall(part)]
    words += [a + b for a, b in zip(words, words[1:])]
    return max((BREADCRUMB_MARKERS.get(w, 0) for w in words), default=0)


def _url_cues(page: Page, crumbs: list[dict]) -> dict[str, int]:
    """Home first; then links below the root getting deeper, each inside the one before."""
    cues = {}
    first = crumbs[0]
    if (first["url"] and _is_root(first["url"])) or first["name"].casefold().endswith(_HOME):
        cues["home_first"] = BREADCRUMB_CUES["home_first"]
    links = [urlsplit(c["url"]) for c in crumbs if c["url"] and c["url"] != page.url and not _is_root(c["url"])]
    if len(links) < 2 or len({site(u.hostname) for u in links}) > 1:
        return cues
    depths = [_depth(u) for u in links]
    if all(a <= b for a, b in zip(depths, depths[1:])) and depths[-1] > depths[0]:
        cues["deepening"] = BREADCRUMB_CUES["deepening"]
        if all(_inside(a, b) for a, b in zip(links, links[1:])):
            cues["nested"] = BREADCRUMB_CUES["nested"]
    return cues


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_ROOT_PATH.match(parts.path)) and not parts.query


def _depth(u) -> tuple[int, int]:
    """(path depth, subdomain depth): stock.hexun.com sits below www.hexun.com's root."""
    sub = (u.hostname or "").split(".")
    return len([p for p in u.path.split("/") if p]), 0 if sub[0] == "www" else len(sub)


def _inside(a, b) -> bool:
    """`b` sits in the folder of `a` (or on a subdomain of its site)."""
    if a.hostname != b.hostname:
        return True
    folder = a.path.rsplit("/", 1)[0] if "." in a.path.rsplit("/", 1)[-1] else a.path.rstrip("/")
    return b.path.startswith(folder + "/") or not folder


def _agrees(crumbs: list[dict], structured: list[dict]) -> bool:
    """A shown crumb links where the page's BreadcrumbList does (home left aside)."""
    if not structured:
        return False
    keys = {_key(c["url"]) for c in structured if c["url"] and not _is_root(c["url"])}
    names = {c["name"].casefold() for c in structured[1:]}
    return any(c["url"] and _key(c["url"]) in keys for c in crumbs) or any(c["name"].casefold() in names for c in crumbs[1:])


def _key(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/")


def _informative(page: Page, structured: list[dict]) -> bool:
    """Structured data alone is a trail unless all it names is the site root and this page."""
    return any(c["url"] is None and c is not structured[-1]
               or c["url"] and not _is_root(c["url"]) and _key(c["url"]) != _key(page.url)
               for c in structured)


# --- parsing one element ----------------------------------------------------------

def _parse(page: Page, el) -> tuple[list[dict], bool, str | None]:
    """(crumbs, whether a label introduced them, the strongest gap between them)."""
    tokens: list[tuple] = []
    _tokens(page, el, tokens)
    label = False
    for i in range(len(tokens) - 1, -1, -1):  # the label and whatever precedes it are not crumbs
        tok = tokens[i]
        if tok[0] == TEXT and _LABEL.search(tok[1]):
            rest = tok[1][_LABEL.search(tok[1]).end():]
            tokens = [(TEXT, rest)] + tokens[i + 1:]
            label = True
            break
    units = _units(tokens)
    if units and units[0]["url"] is None and units[0]["colon"] and len(units[0]["name"]) <= 20:
        units = units[1:]  # "Estás en:", "位置：": a label in any language, though only the rows find a trail
    run = max(_runs(units), key=_run_rank, default=[])
    gaps = {u["gap"] for u in run[1:]}
    gap = next((g for g in (_DIRECTIONAL, _AMBIG) if g in gaps), None)
    if gaps == {_DIRECTIONAL} and len(run) >= 3:
        gap = _CHAIN
    return [{"name": u["name"], "url": u["url"]} for u in run], label, gap


def _tokens(page: Page, el, out: list) -> None:
    """Links, text, separators (icons, empty links) and item boundaries of `el`, in order."""
    if el.text:
        out.append((TEXT, el.text))
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP or hidden(child):
            pass
        elif tag == "a" and child.get("href") is not None:
            name = _link_name(child)
            out.append((LINK, name, page.absolute(child.get("href"))) if name else (SEP,))
            if name and clean(_shown(child))[-1:] in _SEP_DIRECTIONAL:
                out.append((SEP,))  # "<a>院校招生资讯&gt;</a>": the separator drawn inside the link
        elif tag in _ICONS or (tag == "span" and len(child) == 0 and not (child.text or "").strip()):
            out.append((SEP,))
        else:
            item = tag in _ITEMS
            if item:
                out.append((BREAK,))
            _tokens(page, child, out)
            if item:
                out.append((END,) if tag in _LISTS else (BREAK,))
        if child.tail:
            out.append((TEXT, child.tail))


def _link_name(a) -> str:
    """What a link shows: its text (hidden parts left out), else its title, label or image alt."""
    name = clean(_shown(a)) or clean(a.get("title") or a.get("aria-label"))
    if not name:
        alts = [clean(img.get("alt")) for img in a.iter("img")]
        name = next((x for x in alts if x), "")
    return _name(name)


def _shown(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP and not hidden(child):
            parts.append(_shown(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _name(text: str) -> str:
    name = clean(text).strip(_STRIP)
    while name and name[-1] in _OPENERS:
        name = name[:-1].strip(_STRIP)
    return name


def _units(tokens: list[tuple]) -> list[dict]:
    """Crumb candidates with the gap before each: a separator, an item boundary, or nothing."""
    units: list[dict] = []
    gap: str | None = None
    buf: list[str] = []

    def widen(new: str) -> None:
        nonlocal gap
        if gap not in (_DIRECTIONAL, _END) and not (gap == _AMBIG and new == _ITEM):
            gap = new

    def flush() -> None:
        text, start = "".join(buf), 0
        buf.clear()
        for m in _SPLIT.finditer(text):
            _add(text[start:m.start()])
            widen(_DIRECTIONAL if m.group().strip()[:1] in _SEP_DIRECTIONAL else _AMBIG)
            start = m.end()
        _add(text[start:])

    def _add(piece: str, url: str | None = None, raw: bool = False) -> None:
        nonlocal gap
        name = piece if raw else _name(piece)
        if name:
            units.append({"name": name, "url": url, "gap": gap, "colon": piece.rstrip()[-1:] in ":："})
            gap = None

    for tok in tokens:
        if tok[0] == TEXT:
            buf.append(tok[1])
            continue
        flush()
        if tok[0] == LINK:
            _add(tok[1], tok[2], raw=True)
        elif tok[0] == SEP:
            widen(_AMBIG)
        elif tok[0] == END and units:
            gap = _END
        elif units and gap != _END:
            widen(_ITEM)
    flush()
    return units




def _runs(units: list[dict]) -> list[list[dict]]:
    """Runs of units joined the way the first two are (by separators, by items, or by nothing)."""
    runs: list[list[dict]] = []
    for u in units:
        if runs and _joins(runs[-1], u["gap"]):
            runs[-1].append(u)
        else:
            runs.append([u])
    return runs


def _run_rank(run: list[dict]) -> tuple[int, int, int]:
    """Runs joined by separators first (a trail draws them, junk beside it rarely), then by links, then length."""
    kind = run[1]["gap"] if len(run) > 1 else None
    return _JOIN_RANK.get(kind, 0), sum(u["url"] is not None for u in run), len(run)


_JOIN_RANK = {_DIRECTIONAL: 3, _AMBIG: 2, _ITEM: 1}


def _joins(run: list[dict], gap: str | None) -> bool:
    if gap == _END:
        return False
    if len(run) == 1:
        return True
    kind = run[1]["gap"]
    if kind in (_DIRECTIONAL, _AMBIG):
        return gap in (_DIRECTIONAL, _AMBIG)
    if kind == _ITEM:
        return gap is not None
    return gap is None


# --- structured data ----------------------------------------------------------------

def _jsonld(page: Page) -> tuple[list[dict], None] | None:
    for obj in page.jsonld_of_type({"breadcrumblist"}):
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        items = sorted((i for i in items if isinstance(i, dict)), key=_position)
        crumbs = [c for c in (_ld_crumb(page, i) for i in items) if c]
        if crumbs:
            return crumbs, None
    return None


def _position(item: dict) -> float:
    try:
        return float(item.get("position"))
    except (TypeError, ValueError):
        return float("inf")  # unnumbered items keep their order, after numbered ones


def _ld_crumb(page: Page, item: dict) -> dict | None:
    target = item.get("item")
    url = target if isinstance(target, str) else None
    name = item.get("name")
    if isinstance(target, dict):
        url = target.get("@id") or target.get("url")
        name = name or target.get("name")
    # JSON holds text, not HTML: an entity in it was escaped once too often ("Essen &amp; Trinken")
    name = clean(html.unescape(name)) if isinstance(name, str) else ""
    return {"name": name, "url": page.absolute(url) if isinstance(url, str) else None} if name else None


def _markup(page: Page) -> tuple[list[dict], object | None]:
    for trail in page.marked(_BREADCRUMB_LIST.search):
        for type_attr, prop_attr in _MARKUP:
            if not _BREADCRUMB_LIST.search(trail.get(type_attr) or ""):
                continue
            crumbs = []
            for item in trail.xpath(f'.//*[@{prop_attr}="itemListElement"]'):
                names = item.xpath(f'.//*[@{prop_attr}="name"]')
                name = clean(names[0].get("content") or names[0].text_content()) if names else ""
                links = item.xpath(f'descendant-or-self::*[@{prop_attr}="item"]') or item.xpath(".//a")
                href = (links[0].get("href") or links[0].get("resource") or links[0].get("itemid")) if links else None
                if name:
                    crumbs.append({"name": name, "url": page.absolute(href)})
            if crumbs:
                return crumbs, trail
    return [], None
