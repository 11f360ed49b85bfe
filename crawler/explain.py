"""Why extraction chose what it did on one page, and the selectors that would override it.

    explain(html, url, profile=None, *, encoding=None) -> dict
    render(report) -> str

For the trail, the related blocks, the headline, the body and the page kind,
the report gives the chosen value, the cues that decided it (each finder's
own candidates and scores, from the code path extraction runs, not a
re-enactment of it), the other candidates, and the CSS selector (crawler.csspath) a
site profile's `[selectors]` would use to pick that element. Its `profile`
part is a ready `[selectors]` table: pasted into `sites/NAME.toml` it makes
extraction pick exactly these elements, and a user edits the rows that
picked wrong.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlsplit

from crawler.csspath import css_path
from crawler.extract import extract_from_selector, page_verdict
from crawler.extract.body import body_candidates, find_body
from crawler.extract.breadcrumbs import find_breadcrumbs, structured_trail, trail_candidates
from crawler.extract.choice import TRUSTED
from crawler.extract.page import Page, parse
from crawler.extract.related import related_blocks
from crawler.extract.text import clean
from crawler.extract.title import agrees, choose_headline

SECTIONS = ("trail", "related", "headline", "body", "kind")
_HEADING_TAGS = ("h1", "h2", "h3")
_SHOWN = 8   # candidates listed per section in the text report (the JSON has them all)
_LINE = 120  # characters of a chosen value shown in the text report


def explain(html: str | bytes, url: str, profile=None, *, encoding: str | None = None,
            now: datetime | None = None) -> dict:
    """The report for one page: a section per field, and the [selectors] that pick what was chosen."""
    sel = parse(html, encoding)
    page = Page(sel, url, profile, now)
    item = extract_from_selector(sel, url, profile, now=now)
    try:
        body = find_body(page)[0]  # the headline is sought above it, as extraction does
    except Exception:  # the body section says what broke
        body = None
    report = {
        "url": url,
        "site": profile.name if profile is not None else None,
        "trail": _guarded(_trail, page),
        "related": _guarded(_related, page),
        "headline": _guarded(_headline, page, body),
        "body": _guarded(_body, page, item),
        "kind": _guarded(_kind, sel, url, profile),
    }
    report["profile"] = {name: report[section]["selector"]
                         for name, section in (("title", "headline"), ("body", "body"),
                                               ("breadcrumbs", "trail"), ("related", "related"))
                         if report[section]["selector"]}
    return report


def _guarded(explain_section, *args):
    """A section, or what broke it: a hostile page gets its report, not a traceback."""
    try:
        return explain_section(*args)
    except Exception as exc:  # the finders' own errors are many; extraction logs and goes on the same way
        return {"chosen": None, "cue": f"could not be explained: {exc!r}", "selector": None, "candidates": []}


def _selector(el) -> str | None:
    return css_path(el) if el is not None else None


def _cues(cues: dict) -> str:
    return ", ".join(f"{name} +{weight}" for name, weight in cues.items())


def _trail(page: Page) -> dict:
    crumbs, el = find_breadcrumbs(page)
    picked = page.picked("breadcrumbs")
    structured = structured_trail(page)[0] if picked is None else []
    shown = trail_candidates(page, structured) if picked is None else []
    candidates = [{"value": _crumbs(c.crumbs), "score": c.score, "cues": _cues(c.cues),
                   "selector": _selector(c.element), "chosen": c.element is el} for c in shown]
    if picked is not None:
        cue = "the site profile's selector"
    elif shown:
        cue = f"score {shown[0].score}: {_cues(shown[0].cues)}"
    elif crumbs:
        cue = "structured data (BreadcrumbList), no trail shown" + ("" if el is not None else " (JSON-LD: no element)")
    else:
        cue = "no candidate scored enough, no structured data"
    return {"chosen": _crumbs(crumbs), "crumbs": crumbs, "cue": cue, "selector": _selector(el),
            "structured": _crumbs(structured), "candidates": candidates}


def _crumbs(crumbs: list[dict]) -> str:
    return " > ".join(c["name"] for c in crumbs)


def _related(page: Page) -> dict:
    blocks = related_blocks(page)
    candidates = []
    for block in blocks:
        holders = block.elements[1:] or block.elements[:1]
        el = holders[0] if len(holders) == 1 else holders[0].getparent()  # one element holding every entry
        candidates.append({"value": [e["title"] for e in block.entries], "entries": block.entries,
                           "cues": block.cue, "selector": _selector(el), "chosen": True})
    first = candidates[0] if candidates else None
    return {"chosen": [e["title"] for b in blocks for e in b.entries],
            "cue": "; ".join(c["cues"] for c in candidates) or "no related heading or marked box with article links",
            "selector": first["selector"] if first else None,  # a profile selector picks one block
            "candidates": candidates}


def _headline(page: Page, body) -> dict:
    chosen = choose_headline(page, body)
    candidates = []
    for h in page.root.iter(*_HEADING_TAGS):
        text = clean(h.text_content())
        if text:
            agreeing = [d for d in chosen.declared if agrees(text, d)]
            candidates.append({"value": text, "cues": f"<{h.tag}>" + (", agrees with a declared title" if agreeing else ""),
                               "selector": _selector(h), "chosen": h is chosen.element})
    return {"chosen": chosen.text, "cue": chosen.cue, "selector": _selector(chosen.element),
            "declared": chosen.declared, "candidates": candidates}


def _body(page: Page, item: dict) -> dict:
    tried = list(body_candidates(page))
    chosen = next((c for c in tried if c.fits), None)
    candidates = [{"value": f"{c.units:.0f} units, {c.link_density:.0%} in links" if c.units is not None
                   else "not weighed",
                   "cues": f"{c.how}: {c.rule}" + (f", {c.why_not}" if c.why_not else ""),
                   "selector": _selector(c.element), "chosen": c is chosen} for c in tried]
    if chosen is None:
        cue = "no element holds enough prose"
    else:
        cue = chosen.rule if chosen.how == "profile" else f"{chosen.how}: {chosen.rule}"
    text = item.get("body_text") or ""
    if chosen is not None and chosen.how not in TRUSTED:
        kept = clean(text.split("\n", 1)[0])[:_LINE // 4] in clean(chosen.element.text_content())
        cue += ("; a guess, weighed against trafilatura's body: " + ("kept" if kept else
                "trafilatura's was kept (a profile selector makes this element the body)"))
    return {"chosen": text[:200], "cue": cue, "selector": _selector(chosen.element) if chosen else None,
            "candidates": candidates}


def _kind(sel, url: str, profile) -> dict:
    verdict = page_verdict(sel, url, profile)
    pattern = re.escape(urlsplit(url).path).replace(r"\-", "-")
    pattern = re.sub(r"\d+", r"\\d+", pattern) + "$"
    # a profile decides the kind by URL: a URL matching an article_urls pattern is an article, any other a listing
    return {"chosen": verdict.kind, "cue": verdict.why, "selector": None,
            "override": {"article_urls": [pattern]}, "candidates": []}


def render(report: dict) -> str:
    """The report as text for a person: each section's choice, why, its selector, then the other candidates."""
    lines = [f"explain {report['url']}" + (f" (site profile {report['site']})" if report["site"] else "")]
    for name in SECTIONS:
        section = report[name]
        chosen = section["chosen"]
        shown = "; ".join(chosen) if isinstance(chosen, list) else clean(chosen or "")
        shown = shown if len(shown) <= _LINE else shown[:_LINE] + "…"
        lines += ["", f"{name}: {shown or '(none)'}", f"  why: {section['cue']}"]
        if section["selector"]:
            lines.append(f"  selector: {section['selector']}")
        if section.get("structured"):
            lines.append(f"  structured data: {section['structured']}")
        if section.get("declared"):
            lines.append(f"  declared: {' | '.join(section['declared'])}")
        if section.get("override"):
            lines.append(f"  override: article_urls = ['{section['override']['article_urls'][0]}']"
                         "  (in a profile: a matching URL is an article, any other a listing)")
        candidates = section["candidates"]
        if candidates:
            lines.append("  candidates:")
        for c in candidates[:_SHOWN]:
            value = "; ".join(c["value"]) if isinstance(c["value"], list) else c["value"]
            score = f"{c['score']:>3} " if "score" in c else ""
            lines.append(f"  {'*' if c['chosen'] else ' '} {score}{value}")
            lines.append(f"      {c['selector'] or '(no element)'}  ({c['cues']})")
        if len(candidates) > _SHOWN:
            lines.append(f"    ... {len(candidates) - _SHOWN} more (--json lists them all)")
    lines += ["", "profile (sites/NAME.toml) picking these elements:", "[selectors]"]
    lines += [f"{name} = {json.dumps(query)}" for name, query in report["profile"].items()]
    return "\n".join(lines) + "\n"
