"""Two small sites for the repost tests: a blog with originals, an aggregator with reposts.

The blog (青柠笔记) and the aggregator (码农文摘) use different templates. The
aggregator reposts some blog articles the way aggregators do: a reprint
notice on top, a sentence changed or added, a title suffix, a copyright line
at the bottom; one repost is an exact copy. Both sites also have their own
articles written from the same vocabulary and sentence patterns, which must
not match anything. All text is generated from the word lists below.
"""
from __future__ import annotations

import html
import random
from pathlib import Path

ZH_NOUNS = ("索引 缓存 事务 连接池 日志 消息队列 爬虫 字符编码 模板 分词器 归档 调度器 面包屑 正文提取 "
            "重试策略 超时设置 站点地图 批量写入 指纹 全文检索 数据迁移 备份 压缩 限流").split()
ZH_PATTERNS = (
    "{a}和{b}放在一起考虑时，{c}往往是瓶颈。",
    "我们先把{a}拆成几个小步骤，再逐个检查{b}。",
    "如果{a}的数量突然变多，{b}就需要重新配置。",
    "很多人忽略了{a}对{b}的影响，结果{c}变得很慢。",
    "在线上环境里，{a}出问题通常先表现为{b}异常。",
    "这一节用一个小例子说明{a}如何配合{b}工作。",
    "{a}的默认值并不适合每个站点，最好按{b}的规模来调。",
    "排查{a}时，先看{b}的日志，再看{c}的统计。",
)
EN_NOUNS = ("index cache transaction pool log queue crawler encoding template tokenizer archive "
            "scheduler breadcrumb extractor retry timeout sitemap batch fingerprint search backup").split()
EN_PATTERNS = (
    "The {a} keeps a small {b} so that every {c} stays cheap.",
    "When the {a} grows, the {b} has to be tuned again.",
    "We split the {a} into steps and check the {b} after each one.",
    "Most slow pages come from a {a} that waits on the {b}.",
    "A {a} without a {b} fails quietly, which is worse than failing loudly.",
    "Before touching the {a}, measure how often the {b} is hit.",
)
TITLE_ZH = ("{a}的{n}个细节", "聊聊{a}与{b}", "{a}踩坑记录", "从零实现{a}", "{a}调优笔记", "{a}为什么会变慢")
TITLE_EN = ("Notes on the {a}", "How the {a} meets the {b}", "Tuning the {a}", "Why the {a} got slow")


def sentence(rng: random.Random, lang: str) -> str:
    nouns, patterns = (ZH_NOUNS, ZH_PATTERNS) if lang == "zh" else (EN_NOUNS, EN_PATTERNS)
    a, b, c = rng.sample(nouns, 3)
    return rng.choice(patterns).format(a=a, b=b, c=c)


def paragraphs(rng: random.Random, lang: str) -> list[str]:
    joiner = "" if lang == "zh" else " "
    return [joiner.join(sentence(rng, lang) for _ in range(rng.randint(3, 5))) for _ in range(rng.randint(6, 8))]


def make_article(key: str, lang: str, date: str | None) -> dict:
    rng = random.Random(key)
    nouns = ZH_NOUNS if lang == "zh" else EN_NOUNS
    a, b = rng.sample(nouns, 2)
    title = rng.choice(TITLE_ZH if lang == "zh" else TITLE_EN).format(a=a, b=b, n=rng.randint(3, 9))
    return {"key": key, "lang": lang, "title": title, "date": date, "paras": paragraphs(rng, lang)}


def repost(article: dict, key: str, date: str | None, *, exact: bool = False) -> dict:
    """The aggregator's copy: notice, an edit, a title suffix, a copyright line (or all unchanged)."""
    if exact:
        return {**article, "key": key, "date": date}
    rng = random.Random(key)
    paras = list(article["paras"])
    lang = article["lang"]
    i, j = rng.sample(range(1, len(paras)), 2)
    if lang == "zh":
        first, _, rest = paras[i].partition("。")
        paras[i] = sentence(rng, lang) + rest
        paras[j] += sentence(rng, lang)
        notice = "本文转载自青柠笔记，原文链接见文末，仅供学习参考，如有侵权请联系删除。"
        rights = "版权声明：本文为转载文章，版权归原作者所有。"
        title = article["title"] + rng.choice(["（转）", "【整理】"])
    else:
        paras[j] += " " + sentence(rng, lang)
        notice = "This article was originally published on the Qingning blog and is reprinted with permission."
        rights = "Copyright belongs to the original author. All rights reserved."
        title = article["title"] + " (repost)"
    return {**article, "key": key, "date": date, "title": title, "paras": [notice, *paras, rights]}


def snippet_of(article: dict) -> str:
    return article["paras"][0][:60] + "..."


def blog_page(article: dict, related: list[tuple[str, dict, str]]) -> str:
    entries = "".join(f'<li><a href="{href}">{html.escape(other["title"])}</a><p>{html.escape(snip)}</p></li>'
                      for href, other, snip in related)
    date = f'<time datetime="{article["date"]}">{article["date"]}</time>' if article["date"] else ""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in article["paras"])
    return f"""<!DOCTYPE html><html lang="{article['lang']}"><head><meta charset="utf-8">
<title>{html.escape(article['title'])} - 青柠笔记</title></head><body>
<header class="site-header"><a href="/">青柠笔记</a> <a href="/posts/">文章</a></header>
<div class="breadcrumb">当前位置: <a href="/">首页</a> &gt; <a href="/posts/">posts</a> &gt; 正文</div>
<article class="post"><h1 class="post-title">{html.escape(article['title'])}</h1>
<div class="post-meta">{date} 作者：青柠</div>
<div class="post-content">
{body}</div></article>
<div class="related"><h3>相关文章</h3><ul>{entries}</ul></div>
<footer>Copyright © 2025 青柠笔记 · 保留所有权利</footer>
</body></html>"""


def aggregator_page(article: dict) -> str:
    date = f'<span class="pub">发布于 {article["date"]}</span>' if article["date"] else ""
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in article["paras"])
    return f"""<!DOCTYPE html><html lang="{article['lang']}"><head><meta charset="utf-8">
<title>{html.escape(article['title'])}_码农文摘</title></head><body>
<div id="topbar"><a href="/">码农文摘</a> | <a href="/hot/">热门</a> | <a href="/about/">关于</a></div>
<div id="wrap"><div id="main">
<div class="loc">您的位置：<a href="/">码农文摘</a> » <a href="/tech/">技术</a></div>
<div class="art-box"><h1 class="art-title">{html.escape(article['title'])}</h1>
<div class="art-info">{date} 来源：网络 阅读：1024</div>
<div class="art-body">
{body}</div></div></div>
<div id="side"><h4>猜你喜欢</h4><ul><li><a href="/">码农文摘首页</a></li></ul></div></div>
<div id="foot">码农文摘 版权所有 · 本站内容来自网络</div>
</body></html>"""


def index_page(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{html.escape(title)}</a></li>' for href, title in links)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>index</title></head><body><ul>{items}</ul></body></html>'


def build(blog_dir: Path, aggregator_dir: Path) -> dict:
    """Write both sites; returns the truth: {aggregator path: blog path} for reposts, and
    the blog paths whose related snippet was written wrong on purpose."""
    blog = {f"/posts/{i}.html": make_article(f"blog-{i}", "zh" if i < 6 else "en", f"2025-0{1 + i % 6}-1{i}")
            for i in range(9)}
    own = {f"/tech/own-{i}.html": make_article(f"agg-{i}", "zh" if i < 3 else "en", "2025-08-01")
           for i in range(4)}
    reposted = {"/tech/r1.html": "/posts/0.html", "/tech/r2.html": "/posts/1.html",
                "/tech/r3.html": "/posts/3.html", "/tech/r4.html": "/posts/6.html",
                "/tech/r5.html": "/posts/7.html", "/tech/r6.html": "/posts/3.html"}
    exact = {"/tech/r2.html"}
    undated = {"/tech/r5.html"}
    copies = {path: repost(blog[src], f"repost-{path}", None if path in undated else "2025-09-09",
                           exact=path in exact)
              for path, src in reposted.items()}
    # The blog's related blocks show the teaser of /posts/8.html under the link to /posts/2.html.
    wrong_snippet, teaser_shown = "/posts/2.html", "/posts/8.html"
    paths = sorted(blog)
    for n, path in enumerate(paths):
        related = [(other, blog[other], snippet_of(blog[teaser_shown if other == wrong_snippet else other]))
                   for other in (paths[(n + 1) % len(paths)], paths[(n + 2) % len(paths)])]
        _write(blog_dir / path.lstrip("/"), blog_page(blog[path], related))
    for path, article in {**own, **copies}.items():
        _write(aggregator_dir / path.lstrip("/"), aggregator_page(article))
    _write(blog_dir / "index.html", index_page([(p, blog[p]["title"]) for p in paths]))
    _write(aggregator_dir / "index.html",
           index_page([(p, a["title"]) for p, a in sorted({**own, **copies}.items())]))
    return {"reposts": reposted, "exact": exact, "wrong_snippet": wrong_snippet,
            "blog": paths, "aggregator": sorted({**own, **copies})}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
