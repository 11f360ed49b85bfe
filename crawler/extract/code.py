"""Code shown without <pre>: forum and highlighter markup that lists a block's lines as elements.

Discuz prints a code block as <div class="blockcode"><ol><li>line</li>...,
SyntaxHighlighter as a table of <div class="line">. Both lose their line
breaks (and, to trafilatura, the whole block) unless they are turned into
<pre><code> first: each listed line becomes one line of the block, and
the block's furniture (line numbers, "复制代码") goes.
"""
from __future__ import annotations

import copy

from lxml import etree

from .page import Page, css
from .rules import CODE_LINE_BLOCKS


def has_code_lists(page: Page) -> bool:
    """Does the page show any listed code block? (An index look-up: no tree scan on most pages.)"""
    return any(page.select(block) for block, _ in CODE_LINE_BLOCKS)


def code_lists_as_pre(tree) -> None:
    """Replace, in `tree` (a copy: this edits it), each listed code block by <pre><code>."""
    for block, line in CODE_LINE_BLOCKS:
        for el in css(block)(tree):
            if el.getparent() is None:
                continue
            pre = etree.Element("pre")
            code = etree.SubElement(pre, "code")
            code.text = "\n".join(li.text_content() for li in css(line)(el))
            pre.tail = el.tail
            el.getparent().replace(el, pre)


def copy_with_code_as_pre(page: Page):
    """The page tree with listed code blocks as <pre> (a copy when there are any; the tree itself otherwise)."""
    if not has_code_lists(page):
        return page.root
    tree = copy.deepcopy(page.root)
    code_lists_as_pre(tree)
    return tree
