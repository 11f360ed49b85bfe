"""Content hashing and same-URL dropping, on plain items."""
import hashlib

import pytest
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem, FailureItem
from pipelines.dedupe import DedupePipeline, content_hash


def test_content_hash_is_sha256_of_title_newline_body():
    assert content_hash("标题", "正文") == hashlib.sha256("标题\n正文".encode()).hexdigest()
    assert content_hash(None, None) == hashlib.sha256(b"\n").hexdigest()


def test_sets_hash_and_drops_second_item_for_same_url():
    pipeline = DedupePipeline()
    first = pipeline.process_item(ArticleItem(url="http://a.com/1", title="t", body_text="b"))
    assert first["content_hash"] == content_hash("t", "b")
    with pytest.raises(DropItem):
        pipeline.process_item(ArticleItem(url="http://a.com/1", title="other", body_text="x"))


def test_same_content_under_another_url_passes():
    pipeline = DedupePipeline()
    a = pipeline.process_item(ArticleItem(url="http://a.com/1", title="t", body_text="b"))
    b = pipeline.process_item(ArticleItem(url="http://a.com/2", title="t", body_text="b"))
    assert a["content_hash"] == b["content_hash"]


def test_failures_pass_untouched():
    pipeline = DedupePipeline()
    failure = FailureItem(url="http://a.com/1", reason="timeout")
    assert pipeline.process_item(failure) is failure
    assert pipeline.process_item(FailureItem(url="http://a.com/1", reason="timeout")) is not None
    assert dict(failure) == {"url": "http://a.com/1", "reason": "timeout"}
    pipeline.process_item(ArticleItem(url="http://a.com/1", title="t", body_text="b"))  # not "seen" by failures
