"""Rule selectors are compiled at start: one that cannot compile stops `archive crawl` and `archive extract` at once, named.

Nothing is installed: the bad rule is added to a rule table in the child
process before the command line runs, as an older cssselect would refuse
a rule row (cssselect below 1.6 cannot read the `i` flag of
`[aria-label*=breadcrumb i]`).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.extract import rules
from crawler.extract.rulecheck import CSS_TABLES, check_rules

BAD = "div:nth-child("   # no cssselect reads this one

PATCHED_CLI = (
    "import sys; import crawler.extract.rules as r; "
    f"r.BODY_WRAPPERS = r.BODY_WRAPPERS + ({BAD!r},); "
    "from crawler.cli import main; sys.exit(main(sys.argv[1:]))"
)


def run_patched(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PATCHED_CLI, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_every_rule_selector_compiles():
    assert check_rules() == sum(len(row) if isinstance(row, tuple) else 1
                                for table in CSS_TABLES for row in getattr(rules, table))


def test_the_css_tables_are_every_table_of_selectors():
    """A table added to rules.py with CSS rows must be listed in CSS_TABLES to be checked."""
    named_css = {name for name in dir(rules) if name.endswith(("_CONTAINERS", "_WRAPPERS", "_BLOCKS"))}
    assert named_css <= set(CSS_TABLES)


@pytest.mark.parametrize("command", [
    ["crawl", "http://127.0.0.1:9/", "--db", "archive.db"],
    ["extract", "page.html"],
])
def test_a_rule_that_does_not_compile_stops_the_command_at_start(tmp_path, command):
    (tmp_path / "page.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    result = run_patched(*command, cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "BODY_WRAPPERS" in result.stderr and BAD in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "archive.db").exists()   # nothing started


def test_the_spider_refuses_to_start_too(tmp_path):
    code = ("import crawler.extract.rules as r; "
            f"r.BODY_WRAPPERS = r.BODY_WRAPPERS + ({BAD!r},); "
            "from scrapy.cmdline import execute; execute(['scrapy', 'crawl', 'articles', '-a', 'start_urls=http://127.0.0.1:9/', "
            f"'-s', 'ARCHIVE_DB={tmp_path / 'archive.db'}'])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "BODY_WRAPPERS" in result.stderr and BAD in result.stderr
