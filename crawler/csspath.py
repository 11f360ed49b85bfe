"""The shortest CSS selector that picks one element of a page and nothing else.

Built from what the page names, ids and classes, because those survive from
one page of a site to the next where positions and bare tags do not: `#id`,
`.class`, `tag.class`, or the element under one named ancestor (`#main h1`),
shortest first; a bare tag (`h1`) only when no name picks it alone; only an element with no unique name near it gets a positional path
(`:nth-of-type`) below its nearest uniquely named ancestor, and one buried
deeper than a dozen unnamed levels its XPath (`xpath:/html/body/div[2]/...`). Names that are
not plain CSS identifiers are skipped rather than escaped, so the selector
can be pasted into a site profile as it is.
"""
from __future__ import annotations

import re

from crawler.extract.page import css

_IDENT = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")
_NAMED = re.compile(r"[#.]")
_MAX_STEPS = 12  # a longer CSS path is unreadable (and cssselect recurses per step)


def css_path(el) -> str:
    """A selector whose only match in `el`'s page is `el`."""
    root = el.getroottree().getroot()
    own = _names(el, bare=True)
    queries = [(q, 0) for q in own]
    for depth, ancestor in enumerate(el.iterancestors(), 1):
        queries += [(f"{up} {q}", depth) for up in _names(ancestor, bare=False) for q in own]
    for query, _ in sorted(queries, key=lambda qd: (not _NAMED.search(qd[0]), len(qd[0]), qd[1])):
        if _only(root, query, el):
            return query
    return _positional(root, el)


def _names(el, bare: bool) -> list[str]:
    """Simple selectors naming `el`: by id, by each class (alone and with the tag), by all classes; the tag if `bare`."""
    tag = el.tag if _IDENT.match(el.tag) else "*"
    classes = [c for c in (el.get("class") or "").split() if _IDENT.match(c)]
    names = [f"#{el.get('id')}"] if _IDENT.match(el.get("id") or "") else []
    names += [f".{c}" for c in classes] + [f"{tag}.{c}" for c in classes]
    if len(classes) > 1:
        names.append(tag + "".join(f".{c}" for c in classes))
    return names + [tag] if bare else names


def _only(root, query: str, el) -> bool:
    found = css(query)(root)
    return len(found) == 1 and found[0] is el


def _positional(root, el) -> str:
    """`tag:nth-of-type(n)` steps up from `el` until they (alone, or under a uniquely named ancestor) pick
    only it; past _MAX_STEPS, the element's XPath (a profile takes "xpath:...")."""
    steps: list[str] = []
    node = el
    while (parent := node.getparent()) is not None and len(steps) < _MAX_STEPS:
        same = [c for c in parent if c.tag == node.tag]
        steps.insert(0, f"{node.tag}:nth-of-type({same.index(node) + 1})" if len(same) > 1 else node.tag)
        query = " > ".join(steps)
        for named in ("", *_names(parent, bare=False)):
            if _only(root, f"{named} > {query}" if named else query, el):
                return f"{named} > {query}" if named else query
        node = parent
    return "xpath:" + el.getroottree().getpath(el)
