"""Content hashing and same-URL dropping, on plain items."""
import hashlib
import subprocess
import sys

import numpy as np

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


# --- near copies: shingles, notices, fingerprints ------------------------------

from pipelines.dedupe import LSH_PARAMS, NOTICE_MARKERS, FingerprintScheme, is_notice, lsh_params, shingles, tokens  # noqa: E402

POST = ("在线上环境里，索引出问题通常先表现为缓存异常。我们先把日志拆成几个小步骤，再逐个检查连接池。"
        "如果爬虫的数量突然变多，调度器就需要重新配置。The crawler keeps a small cache so that every "
        "request stays cheap. 排查限流时，先看消息队列的日志，再看批量写入的统计。") * 2


def test_tokens_cjk_characters_and_latin_words_in_one_stream():
    ids = tokens("SQLite索引, sqlite 索引!")
    assert len(ids) == 6                      # sqlite 索 引 sqlite 索 引
    assert ids[0] == ids[3] and ids[1] == ids[4] and ids[1] != ids[2]
    assert len(tokens("hello_world ｜ 。，")) == 2  # underscore and punctuation separate, never count


@pytest.mark.parametrize("kind, line", [
    ("zh_reprint", "本文转载自青柠笔记，原文链接：http://qingning.example/a/1"),
    ("zh_rights", "版权声明：本文为博主原创文章，未经授权禁止转载。"),
    ("en_reprint", "This post was originally published on the author's blog."),
    ("en_rights", "Copyright © 2025 Example Media. All rights reserved."),
])
def test_notice_lines_are_recognized(kind, line):
    assert any(marker in line.lower() for marker in NOTICE_MARKERS[kind])
    assert is_notice(line)


def test_a_long_paragraph_mentioning_copyright_is_not_a_notice():
    assert not is_notice("Copyright law differs by country. " * 10)


def test_notices_and_spacing_do_not_change_the_shingles():
    reposted = "本文转载自某站，仅供学习参考。\n" + POST.replace("。", "。 ") + "\nCopyright 2025 某站"
    assert np.array_equal(shingles(reposted, 5), shingles(POST, 5))


def test_edited_repost_matches_and_a_different_article_does_not():
    scheme = FingerprintScheme()
    original = scheme.signature(POST)
    edited = scheme.signature("本文转载自某站。\n" + POST.replace("再逐个检查连接池", "再逐个检查备份"))
    other = scheme.signature(POST[::-1])   # same vocabulary, other text
    assert scheme.similarity(original, edited) >= scheme.threshold
    assert scheme.similarity(original, other) < 0.2
    assert scheme.signature("太短了") is None


def test_scheme_follows_settings_and_rejects_a_bad_threshold():
    from scrapy.settings import Settings
    scheme = FingerprintScheme.from_settings(Settings({"DEDUPE_THRESHOLD": "0.8", "DEDUPE_SHINGLE_SIZE": 4}))
    assert (scheme.threshold, scheme.shingle_size) == (0.8, 4)
    assert scheme.bands * scheme.rows <= scheme.num_perm and scheme.name != FingerprintScheme().name
    with pytest.raises(ValueError, match="DEDUPE_THRESHOLD"):
        FingerprintScheme(threshold=1.5)


@pytest.mark.parametrize("num_perm", sorted(LSH_PARAMS))
def test_kept_lsh_params_are_datasketchs_own(num_perm):
    from datasketch.lsh import _optimal_param
    for threshold, kept in LSH_PARAMS[num_perm].items():
        assert kept == _optimal_param(threshold, num_perm, 0.5, 0.5), threshold


def test_a_threshold_outside_the_kept_params_is_computed():
    assert 0.42 not in LSH_PARAMS[128]
    from datasketch.lsh import _optimal_param
    assert lsh_params(0.42, 128) == _optimal_param(0.42, 128, 0.5, 0.5)


def test_building_a_scheme_and_signing_imports_no_datasketch():
    """A crawl builds its schemes at start and signs every article; scipy (through datasketch)
    costs ~0.4 s and ~60 MB in every process that imports it."""
    code = ("import sys; from pipelines.dedupe import FingerprintScheme; "
            "FingerprintScheme(threshold=0.8).signature('一二三四五六七八九十' * 5); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_pipeline_sets_the_fingerprint():
    item = DedupePipeline().process_item(ArticleItem(url="http://a.com/1", title="t", body_text=POST))
    assert item["fingerprint"] == FingerprintScheme().signature(POST)


@pytest.mark.parametrize("num_perm, seed", [(128, 1), (64, 7)])
def test_a_signature_is_datasketchs_affine32_minhash_of_the_shingles(num_perm, seed):
    """The numpy signature is exactly the MinHash datasketch computes shingle by shingle."""
    from datasketch import MinHash
    scheme = FingerprintScheme(num_perm=num_perm, seed=seed)
    for text in (POST, POST.upper() + " 另一段 text", "短文"):
        hashes = shingles(text, scheme.shingle_size)
        if len(hashes) < scheme.min_shingles:
            assert scheme.signature(text) is None
            continue
        minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme="affine32")
        minhash.update_batch(hashes)
        assert scheme.signature(text) == minhash.hashvalues.astype("<u4").tobytes()
