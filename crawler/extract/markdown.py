"""body_markdown: a small Markdown renderer over the pruned body tree.

Chosen over markdownify by measurement: markdownify took ~3 ms per page on
the synthetic site (the whole extraction budget), this walk ~0.3 ms. It
renders what the sanitizer keeps (headings, paragraphs, lists, GFM tables,
fenced code with its language and byte-exact content, links and images with
http(s)/mailto URLs) and reduces anything else to its text.
"""
from __future__ import annotations

import re

from lxml import etree

from .clean import code_language
from .rules import URL_SCHEMES
from .text import BLOCK_TAGS, clean, text_of

_BR = "\ue001"  # a hard line break while whitespace is collapsed
_WS = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(#{1,6} |[-+>] |\d+[.)] )")
_BLOCKS = BLOCK_TAGS - {"br"}
_LAYOUT_BLOCKS = ("pre", "p", "div", "table", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4")
_ROWS = etree.XPath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def to_markdown(tree) -> str:
    return "\n\n".join(_blocks(tree)).strip("\n")


def _blocks(el) -> list[str]:
    """Markdown blocks for the content of `el`; runs of inline content become paragraphs."""
    out: list[str] = []
    buf: list[str] = [_escape(el.text)] if el.text else []
    for child in el:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            _paragraph(buf, out)
            out.extend(_block(child))
        else:
            buf.append(_inline(child))
        if child.tail:
            buf.append(_escape(child.tail))
    _paragraph(buf, out)
    return out


def _paragraph(buf: list[str], out: list[str]) -> None:
    if not buf:  # between two blocks, most often
        return
    text = clean("".join(buf))
    if _BR in text:
        text = text.replace(f" {_BR}", _BR).replace(f"{_BR} ", _BR).strip(_BR).replace(_BR, "  \n")
    if text:
        out.append(_protect_start(text))
    buf.clear()


def _protect_start(text: str) -> str:
    """Escape a paragraph start that Markdown would read as a heading, quote or list."""
    m = _LINE_START.match(text)
    return text if not m else text[: len(m.group(1)) - 2] + "\\" + text[len(m.group(1)) - 2:]


def _block(el) -> list[str]:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _inline_text(el)
        return [f"{'#' * int(tag[1])} {text}"] if text else []
    if tag == "pre":
        return [_fence(el)]
    if tag in ("ul", "ol"):
        return [_list(el)] if len(el) else []
    if tag == "table":
        return _table(el)
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(el))
        return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))] if inner else []
    if tag == "hr":
        return ["---"]
    return _blocks(el)


def _fence(pre) -> str:
    text = pre.text_content()
    code = pre.find("code")
    lang = code_language(pre) or (code_language(code) if code is not None else None) or ""
    longest = max((len(r) for r in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{text}{'' if text.endswith(chr(10)) else chr(10)}{fence}"


def _list(el) -> str:
    ordered = el.tag == "ol"
    try:
        n = int(el.get("start", 1))
    except ValueError:
        n = 1
    items = []
    for li in el:
        if not isinstance(li.tag, str):
            continue
        marker = f"{n}. " if ordered else "- "
        n += 1
        body = "\n".join(_blocks(li)) or ""
        pad = " " * len(marker)
        items.append(marker + body.replace("\n", "\n" + pad).rstrip())
    return "\n".join(items)


def _table(el) -> list[str]:
    """A GFM table; a layout table (a forum post, a page column) as the blocks of its cells."""
    cells_by_row = [[c for c in tr if c.tag in ("td", "th")]
                    for tr in _ROWS(el)]
    if _layout(cells_by_row):
        return [block for cells in cells_by_row for cell in cells for block in _blocks(cell)]
    rows = []
    caption = el.find("caption")
    for cells in cells_by_row:
        rows.append([" ".join(_blocks(c)).replace("\n", " ").replace("|", "\\|") for c in cells])
    width = max((len(r) for r in rows), default=0)
    if not width:
        return []
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    out = [_inline_text(caption)] if caption is not None and _inline_text(caption) else []
    return out + ["\n".join(lines)]


def _layout(cells_by_row: list[list]) -> bool:
    """Cells holding blocks (code, paragraphs, nested tables), or one filled cell per row: layout, not data."""
    if any(len(c) and next(c.iter(*_LAYOUT_BLOCKS), None) is not None for cells in cells_by_row for c in cells):
        return True  # (a cell is a td or th: iter() meets only what is inside it, and most hold text alone)
    return not any(_two_filled(cells) for cells in cells_by_row)


def _two_filled(cells: list) -> bool:
    """Two of a row's cells hold text: read up to the second (a data table's first row most often has them)."""
    filled = (c for c in cells if text_of(c).strip())
    return next(filled, None) is not None and next(filled, None) is not None


def _inline_text(el) -> str:
    return clean(_inline(el)).replace(_BR, " ").strip()


def _inline(el) -> str:
    """Markdown for an inline element and its content (not its tail)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    if tag == "br":
        return _BR
    if tag == "img":
        src = el.get("src") or ""
        return f"![{_escape(clean(el.get('alt')))}]({src})" if _allowed(src) else ""
    if tag == "code":
        text = _WS.sub(" ", text_of(el))
        if not text.strip():
            return ""
        ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{ticks}{pad}{text}{pad}{ticks}"
    inner = (_escape(el.text) if el.text else "") + "".join(
        _inline(c) + (_escape(c.tail) if c.tail else "") for c in el
    )
    if tag == "a":
        href = el.get("href") or ""
        text = clean(inner)
        return f"[{text}]({href})" if text and _allowed(href) else inner
    if tag in ("strong", "b") and inner.strip():
        return f"**{inner.strip()}**"
    if tag in ("em", "i") and inner.strip():
        return f"*{inner.strip()}*"
    return inner


def _allowed(url: str) -> bool:
    return url.split(":", 1)[0].lower() in URL_SCHEMES if ":" in url else False


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text) if _ESCAPE.search(text) else text  # most text has none: no substitution
