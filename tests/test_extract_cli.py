"""`archive extract FILE_OR_URL` prints the same item as crawler.extract.extract_article."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.demosite.server import serve_directory
from crawler.extract import extract_article

from conftest import run_archive

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.mark.parametrize("name", ["forum_zh", "news_en"])
def test_archive_extract_prints_the_api_item_for_a_url(name):
    raw = (PAGES / f"{name}.html").read_bytes()
    with serve_directory(PAGES) as base:
        url = f"{base}/{name}.html"
        done = run_archive("extract", url)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == extract_article(raw, url)
