"""Write the demo site: a static, deterministic article site in the DESIGN.md anatomy.

It gives the crawler, the tests and the benchmark the same kind of page the
project was started for (breadcrumbs, a related block, sidebar and footer
boilerplate, code and tables in the body, a few GBK pages, a few copies, a
few articles split over pages numbered under the body) with the ground truth
alongside, so extraction can be checked against it.

    python -m crawler.demosite.generate --pages 200 --out demo-site

Every word on the site is composed here from the word lists below. Output is
a pure function of (pages, seed, base_url); the manifest is returned and also
written to `manifest.json` (not linked from any page).
"""
from __future__ import annotations

import argparse
import html
import json
import random
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

PER_LISTING = 20
COPY_SHARE = 0.03       # articles that are exact copies of another (for dedupe)
GBK_SHARE = 0.03        # articles served as GBK (for charset detection)
SPLIT_SHARE = 0.05      # articles split over 2-3 pages (_2.html, _3.html), per language
ZH_SHARE = 0.7
EPOCH = datetime(2024, 1, 1, 8, 0)
SPAN_MINUTES = 540 * 24 * 60

# slug -> (language, breadcrumb label, weight among the language's sections)
SECTIONS = {
    "news": ("zh", "news", 4),
    "tech": ("zh", "技术", 3),
    "life": ("zh", "生活", 2),
    "blog": ("en", "Blog", 3),
    "guides": ("en", "Guides", 1),
}

# Page furniture per language: what a breadcrumb, a related block, a sidebar say.
LABELS = {
    "zh": dict(
        html_lang="zh-CN", site="青灯文摘", home="首页", here="当前位置: ",
        sep=" > ", last_sep=" >", current="正文", related="相关文章:",
        latest="最新文章", prev="上一页", next="下一页", sections="栏目", pages="",
        part_title="{title}（第{n}页）",
        copyright="© 2024-2025 青灯文摘 版权所有 转载请注明出处",
        ad="广告位招租，联系编辑部", snippet_chars=42,
    ),
    "en": dict(
        html_lang="en", site="Lamplight Digest", home="Home", here="You are here: ",
        sep=" » ", last_sep=" » ", current=None, related="Related posts",
        latest="Latest posts", prev="Previous", next="Next", sections="Sections", pages="Pages: ",
        part_title="{title} - Page {n}",
        copyright="© 2024-2025 Lamplight Digest. All rights reserved.",
        ad="Advertise with us", snippet_chars=110,
    ),
}

# Word lists per language; a pattern's {slot} is filled with a random entry of that list.
VOICES = {
    "zh": dict(
        joiner="",
        topic=["文本向量", "倒排索引", "连接池", "缓存淘汰策略", "分布式锁", "日志采样",
               "消息队列", "协程调度", "前端构建", "小程序编译", "数据库迁移", "全文检索",
               "图片压缩", "限流算法", "配置中心", "灰度发布", "单元测试", "依赖注入",
               "正则表达式", "时序存储", "增量备份", "接口幂等", "字符编码", "网页去重",
               "阳台种菜", "城市骑行", "手冲咖啡", "旧书修补", "周末徒步", "家庭账本"],
        aspect=["池化方法", "实现原理", "常见误区", "性能调优", "入门笔记", "排查记录",
                "设计取舍", "实践经验", "踩坑总结", "基准测试", "迁移方案", "监控指标"],
        title=["{topic}的{aspect}", "浅谈{topic}的{aspect}", "{topic}{aspect}：一次完整记录",
               "从零理解{topic}", "关于{topic}，你可能忽略的{aspect}", "{topic}{aspect}小结"],
        heading=["背景", "问题描述", "实现思路", "关键代码", "测试结果", "常见问题",
                 "注意事项", "方案对比", "小结", "参考配置"],
        subheading=["准备工作", "第一步", "边界情况", "一个反例", "补充说明", "数据对比"],
        sentence=["{subject}在{scene}时会{verb}{object}，{result}。",
                  "如果{condition}，{subject}就需要先{verb}{object}。",
                  "实际测试中，{verb}{object}以后{result}，这一点在{scene}时尤其明显。",
                  "很多人以为{subject}只是{verb}{object}，其实{result}。",
                  "我们先{verb}{object}，再观察{scene}下{object}的变化。",
                  "当{condition}时，{subject}不应该直接{verb}{object}。"],
        subject=["调度器", "客户端", "服务端", "这套方案", "团队", "新版本", "默认配置",
                 "索引层", "采集程序", "编译器", "读者", "作者"],
        verb=["合并", "拆分", "缓存", "校验", "压缩", "重写", "预热", "回放", "统计", "重排"],
        object=["请求头", "热点数据", "中间结果", "批量任务", "旧索引", "配置文件", "页面片段",
                "日志文件", "向量表示", "时间戳", "花盆里的土", "每月的开销"],
        scene=["高并发", "冷启动", "夜间批处理", "灰度上线", "网络抖动", "磁盘写满", "版本升级",
               "雨季", "长假前后"],
        result=["延迟下降了一半", "内存占用明显减少", "错误率回到了正常水平", "代码也更容易维护",
                "吞吐量提升了不少", "结果反而更稳定", "问题并没有消失"],
        condition=["数据量超过百万行", "上游接口偶尔超时", "页面编码不统一", "任务需要重试",
                   "字段经常变化", "预算有限"],
        table_head=["方法", "耗时(ms)", "内存(MB)", "说明"],
        table_note=["推荐", "一般", "不推荐", "视情况而定"],
        author_first=["林", "周", "陈", "许", "沈", "陆", "顾", "叶", "苏", "程"],
        author_last=["一凡", "子墨", "晓川", "若溪", "明远", "思齐", "安然", "景行", "知秋", "远帆"],
    ),
    "en": dict(
        joiner=" ",
        topic=["connection pooling", "sitemap parsing", "cache eviction", "rate limiting",
               "text embeddings", "inverted indexes", "log sampling", "schema migrations",
               "retry budgets", "feature flags", "character encodings", "job queues",
               "sourdough starters", "trail running", "balcony gardening", "bicycle maintenance",
               "home espresso", "paper notebooks"],
        aspect=["a practical guide", "common pitfalls", "what actually matters",
                "lessons from production", "a field report", "the trade-offs", "step by step"],
        title=["{topic}: {aspect}", "notes on {topic}", "what I learned about {topic}",
               "{topic} without the hype", "getting started with {topic}",
               "{topic}, {aspect}"],
        heading=["Background", "The problem", "A first attempt", "The code", "Measurements",
                 "Gotchas", "Alternatives", "Wrapping up", "Configuration"],
        subheading=["Setting up", "Edge cases", "A counterexample", "Side note", "Numbers"],
        sentence=["When {condition}, {subject} has to {verb} {object}.",
                  "{subject} can {verb} {object} during {scene}, and {result}.",
                  "In our tests {result} once we started to {verb} {object}.",
                  "It is tempting to {verb} {object} early, but {result} only after {scene}.",
                  "Most of the time {subject} will {verb} {object} without anyone noticing.",
                  "If {condition}, do not let {subject} {verb} {object} blindly."],
        subject=["the scheduler", "the client", "our team", "the default config",
                 "the new release", "a small script", "the index", "the crawler", "a reader"],
        verb=["merge", "split", "cache", "validate", "compress", "rewrite", "warm up",
              "replay", "count", "reorder"],
        object=["request headers", "hot keys", "intermediate results", "batch jobs",
                "the old index", "config files", "page fragments", "log files",
                "timestamps", "the starter", "the chain"],
        scene=["a traffic spike", "a cold start", "the nightly batch", "a staged rollout",
               "network jitter", "a full disk", "an upgrade", "a rainy week"],
        result=["latency dropped by half", "memory use fell noticeably",
                "the error rate went back to normal", "the code got easier to maintain",
                "throughput went up", "the output became more stable",
                "the problem did not go away"],
        condition=["a table grows past a million rows", "an upstream API times out",
                   "pages disagree about their encoding", "a job needs a retry",
                   "fields keep changing", "the budget is tight"],
        table_head=["Method", "Time (ms)", "Memory (MB)", "Notes"],
        table_note=["recommended", "fine", "avoid", "it depends"],
        author_first=["Ada", "Mina", "Theo", "Rosa", "Jonah", "Priya", "Felix", "Lena", "Omar", "Iris"],
        author_last=["Hart", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Reyes", "Novak",
                     "Whitfield", "Castell", "Brandt"],
    ),
}

# Code samples: they contain < > & so that escaping inside <pre><code> is exercised.
CODE = [
    'def {name}(values, low, high):\n'
    '    """Keep the values with low <= v < high."""\n'
    '    return [v for v in values if low <= v < high]\n',
    'def {name}(text):\n'
    '    text = text.replace("&", "&amp;").replace("<", "&lt;")\n'
    '    return "<p>" + text + "</p>"\n',
    'MASK = 0x{n:02x}\n'
    'if flags & MASK and size > {n}:\n'
    '    print("flag set & size > {n}")\n',
    'import re\n\n'
    'HEADING = re.compile(r"<h([1-6])>(.*?)</h\\1>")\n'
    '{name} = [m.group(2) for m in HEADING.finditer(page)]\n',
    'async def {name}(queue):\n'
    '    while (job := await queue.get()) is not None:\n'
    '        if job.attempts >= {n} or job.status != 200:\n'
    '            queue.put_nowait(job)\n',
]
IDENTIFIERS = ["clip_range", "escape_html", "collect_titles", "drain", "pick_batch", "to_rows"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SCRIPT = "<script>window.siteStats=window.siteStats||[];siteStats.push(['view',location.pathname]);</script>"


class _Pick(dict):
    """A format_map mapping that fills each {slot} with a random word from the voice."""

    def __init__(self, rng: random.Random, voice: dict):
        super().__init__()
        self.rng, self.voice = rng, voice

    def __missing__(self, slot):
        return self.rng.choice(self.voice[slot])


def _say(rng, voice, slot) -> str:
    text = rng.choice(voice[slot]).format_map(_Pick(rng, voice))
    return text[0].upper() + text[1:]


@dataclass
class Article:
    id: int
    language: str
    section: str
    title: str
    author: str
    published: datetime
    sections: list[str]  # HTML of the article body, section by section
    summary: str        # plain text of the first paragraph, the source of snippets
    encoding: str = "utf-8"
    duplicate_of: Article | None = None
    related: list[Article] = field(default_factory=list)
    parts: int = 1      # pages the article is split over

    @property
    def path(self) -> str:
        return self.part_paths[0]

    @property
    def part_paths(self) -> list[str]:
        """Part 1 at the article's address, part N at `_N.html` beside it."""
        return [f"/{self.section}/{self.id}.html"] + [f"/{self.section}/{self.id}_{n}.html"
                                                      for n in range(2, self.parts + 1)]

    @property
    def body(self) -> str:
        return "\n".join(self.sections)

    def part_bodies(self) -> list[str]:
        """The body cut at section boundaries into `parts` runs of sections, in order."""
        cuts = [round(k * len(self.sections) / self.parts) for k in range(self.parts + 1)]
        return ["\n".join(self.sections[a:b]) for a, b in zip(cuts, cuts[1:])]

    @property
    def snippet(self) -> str:
        limit = LABELS[self.language]["snippet_chars"]
        cut = self.summary[:limit]
        if self.language == "en" and len(self.summary) > limit:
            cut = cut.rsplit(" ", 1)[0]
        return cut.rstrip("，。,. ") + "..."

    def breadcrumbs(self) -> list[tuple[str, str | None]]:
        labels = LABELS[self.language]
        return [(labels["home"], "/"), (SECTIONS[self.section][1], f"/{self.section}/"),
                (labels["current"] or self.title, None)]

    def stated_date(self) -> str:
        """The publication time exactly as precise as the page states it."""
        if self.language == "zh":
            return self.published.strftime("%Y-%m-%dT%H:%M")
        return self.published.strftime("%Y-%m-%d")


# ---- composing text -------------------------------------------------------

def _paragraph(rng, voice) -> str:
    return voice["joiner"].join(_say(rng, voice, "sentence") for _ in range(rng.randint(2, 5)))


def _code_block(rng) -> str:
    code = rng.choice(CODE).format(name=rng.choice(IDENTIFIERS), n=rng.randint(3, 250))
    return f'<pre><code class="language-python">{html.escape(code, quote=False)}</code></pre>'


def _table(rng, voice) -> str:
    head = "".join(f"<th>{h}</th>" for h in voice["table_head"])
    rows = "".join(
        f"<tr><td>{html.escape(_say(rng, voice, 'topic'))}</td><td>{rng.randint(2, 900)}</td>"
        f"<td>{rng.randint(8, 512)}</td><td>{rng.choice(voice['table_note'])}</td></tr>"
        for _ in range(rng.randint(3, 5)))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _list(rng, voice) -> str:
    tag = rng.choice(["ul", "ol"])
    items = "".join(f"<li>{html.escape(_say(rng, voice, 'sentence'))}</li>"
                    for _ in range(rng.randint(3, 5)))
    return f"<{tag}>{items}</{tag}>"


def _body(rng, voice) -> tuple[list[str], str]:
    """An article body (HTML, section by section) and its first paragraph as plain text."""
    sections = rng.randint(3, 5)
    code_at, list_at = rng.randrange(sections), rng.randrange(sections)
    table_at = rng.randrange(sections) if rng.random() < 0.4 else -1
    first = _paragraph(rng, voice)
    parts = [f"<p>{html.escape(first)}</p>"]
    done = []
    for i in range(sections):
        if i:   # the first section keeps the opening paragraph
            done.append("\n".join(parts))
            parts = []
        parts.append(f"<h2>{i + 1}. {rng.choice(voice['heading'])}</h2>")
        parts += [f"<p>{html.escape(_paragraph(rng, voice))}</p>" for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.5:
            parts.append(f"<h3>{rng.choice(voice['subheading'])}</h3>")
            parts.append(f"<p>{html.escape(_paragraph(rng, voice))}</p>")
        if i == list_at:
            parts.append(_list(rng, voice))
        if i == code_at:
            parts.append(_code_block(rng))
        if i == table_at:
            parts.append(_table(rng, voice))
    return done + ["\n".join(parts)], first


def _compose(rng, article_id, language) -> Article:
    voice = VOICES[language]
    slugs = [s for s, (lang, _, _) in SECTIONS.items() if lang == language]
    section = rng.choices(slugs, weights=[SECTIONS[s][2] for s in slugs])[0]
    author = voice["joiner"].join([rng.choice(voice["author_first"]), rng.choice(voice["author_last"])])
    published = EPOCH + timedelta(minutes=rng.randrange(SPAN_MINUTES))
    sections, summary = _body(rng, voice)
    return Article(article_id, language, section, _say(rng, voice, "title"), author,
                   published, sections, summary)


# ---- choosing the site's shape --------------------------------------------

def _share(pages, share) -> int:
    return max(1, round(pages * share)) if pages >= 2 else 0


def _articles(pages, rng) -> list[Article]:
    ids = rng.sample(range(100000, 1000000), pages)
    n_zh = round(pages * ZH_SHARE)
    languages = ["zh"] * n_zh + ["en"] * (pages - n_zh)
    rng.shuffle(languages)
    articles = [_compose(rng, i, lang) for i, lang in zip(ids, languages)]

    copies = set(rng.sample(range(pages), _share(pages, COPY_SHARE)))
    for i in sorted(copies):
        copy = articles[i]
        originals = [a for j, a in enumerate(articles)
                     if j not in copies and a.language == copy.language]
        if originals:
            original = rng.choice(originals)
            articles[i] = replace(original, id=copy.id, section=copy.section, duplicate_of=original)

    chinese = [a for a in articles if a.language == "zh"]
    for a in rng.sample(chinese, min(len(chinese), _share(pages, GBK_SHARE))):
        a.encoding = "gbk"

    for a in articles:
        pool = [b for b in articles if b.language == a.language and b is not a]
        a.related = rng.sample(pool, min(len(pool), rng.randint(5, 10)))

    copied = {id(a.duplicate_of) for a in articles if a.duplicate_of}
    for language in LABELS:   # copies stay whole, so that a copy's page is its original's
        whole = [a for a in articles if a.language == language and not a.duplicate_of and id(a) not in copied
                 and len(a.sections) >= 4]   # part 1 keeps two sections: it reads as an article on its own
        for a in rng.sample(whole, min(len(whole), _share(len(whole), SPLIT_SHARE))):
            a.parts = min(3, len(a.sections) - 2)
    return articles


def _newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published, a.id), reverse=True)


# ---- rendering --------------------------------------------------------------

def _link(path, text) -> str:
    return f'<a href="{html.escape(path)}">{html.escape(text)}</a>'


def _page(language, title, main, sidebar, head="", charset="utf-8") -> str:
    labels = LABELS[language]
    nav = " ".join([_link("/", labels["home"])]
                   + [_link(f"/{s}/", label) for s, (_, label, _) in SECTIONS.items()])
    return f"""<!DOCTYPE html>
<html lang="{labels['html_lang']}">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - {labels['site']}</title>
{head}</head>
<body>
<header class="site-header"><a class="logo" href="/">{labels['site']}</a>
<nav class="main-nav">{nav}</nav></header>
<div class="container">
{main}
</div>
<aside class="sidebar">
{sidebar}
<div class="ad">{labels['ad']}</div>
</aside>
<footer class="site-footer"><p>{labels['copyright']}</p>
{SCRIPT}
</footer>
</body>
</html>
"""


def _entries(articles, href=lambda a: a.path) -> str:
    """Title + link + snippet entries, as listings and related blocks show them."""
    items = [f"<li>{_link(href(a), a.title)}<p>{html.escape(a.snippet)}</p></li>" for a in articles]
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _latest_box(language, latest) -> str:
    links = "".join(f"<li>{_link(a.path, a.title)}</li>" for a in latest)
    return f'<div class="widget latest"><h3>{LABELS[language]["latest"]}</h3><ul>{links}</ul></div>'


def _part_links(a: Article, n: int) -> str:
    """The page numbers under a split article's body: previous, 1 2 3, next."""
    labels, paths = LABELS[a.language], a.part_paths
    nav = [_link(paths[n - 2], labels["prev"])] if n > 1 else []
    nav += [_link(p, str(k)) if k != n else f"<span>{k}</span>" for k, p in enumerate(paths, start=1)]
    nav += [_link(paths[n], labels["next"])] if n < a.parts else []
    return f'<div class="pagination">{labels["pages"]}{" ".join(nav)}</div>'


def _article_page(a: Article, latest, base_url, rng, n: int = 1) -> str:
    """Part `n` of the article's pages (the only one of an article that is not split)."""
    labels = LABELS[a.language]
    crumbs = a.breadcrumbs()
    trail = labels["sep"].join(_link(url, name) for name, url in crumbs[:-1])
    trail = f'{labels["here"]}{trail}{labels["last_sep"]}{html.escape(crumbs[-1][0])}'
    if a.language == "zh":
        meta = f'发布时间：{a.published:%Y-%m-%d %H:%M} 作者：{a.author}'
    else:
        day = f"{MONTHS[a.published.month - 1]} {a.published.day}, {a.published.year}"
        meta = f'Posted on <time datetime="{a.stated_date()}">{day}</time> by {a.author}'
    # a quarter of the related links are absolute, as on real sites
    body, pages = (a.part_bodies()[n - 1], _part_links(a, n)) if a.parts > 1 else (a.body, "")
    main = f"""<div class="position">{trail}</div>
<article class="post">
<h1>{html.escape(a.title)}</h1>
<div class="meta">{meta}</div>
<div class="content">
{body}
</div>
{pages}
</article>
<div class="related"><h3>{labels['related']}</h3>
{_entries(a.related, lambda r: base_url + r.path if rng.random() < 0.25 else r.path)}
</div>"""
    path = a.part_paths[n - 1]
    head = f'<link rel="canonical" href="{base_url}{path}">\n'
    if n < a.parts:
        head += f'<link rel="next" href="{base_url}{a.part_paths[n]}">\n'
    title = a.title if n == 1 else labels["part_title"].format(title=a.title, n=n)
    return _page(a.language, title, main, _latest_box(a.language, latest), head, a.encoding)


def _listing_pages(section, articles, latest) -> dict[str, str]:
    """Path -> HTML of a section's listing pages, newest first, PER_LISTING per page."""
    language, label, _ = SECTIONS[section]
    labels = LABELS[language]
    chunks = [articles[i:i + PER_LISTING] for i in range(0, len(articles), PER_LISTING)] or [[]]
    paths = [f"/{section}/index.html"] + [f"/{section}/list_{n}.html" for n in range(2, len(chunks) + 1)]
    pages = {}
    for n, (path, chunk) in enumerate(zip(paths, chunks)):
        nav = [_link(paths[n - 1], labels["prev"])] if n > 0 else []
        nav += [_link(p, str(k + 1)) if k != n else f"<span>{k + 1}</span>" for k, p in enumerate(paths)]
        nav += [_link(paths[n + 1], labels["next"])] if n + 1 < len(paths) else []
        main = (f"<h1>{html.escape(label)}</h1>\n{_entries(chunk)}\n"
                f'<div class="pages">{" ".join(nav)}</div>')
        pages[path] = _page(language, label if n == 0 else f"{label} ({n + 1})", main,
                            _latest_box(language, latest[language]))
    return pages


def _home_page(articles, latest) -> str:
    labels = LABELS["zh"]
    sections = "".join(f"<li>{_link(f'/{s}/', label)}</li>" for s, (_, label, _) in SECTIONS.items())
    main = (f"<h1>{labels['site']} · {LABELS['en']['site']}</h1>\n"
            f"<h2>{labels['sections']}</h2><ul>{sections}</ul>\n"
            f"<h2>{labels['latest']}</h2>\n{_entries(_newest_first(articles)[:PER_LISTING])}")
    return _page("zh", labels["home"], main, _latest_box("zh", latest["zh"]))


def _sitemap(base_url, lastmod: dict[str, datetime]) -> str:
    urls = "\n".join(f"<url><loc>{html.escape(base_url + path)}</loc>"
                     f"<lastmod>{when:%Y-%m-%d}</lastmod></url>"
                     for path, when in lastmod.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}\n</urlset>\n")


def _manifest(articles, listings, seed, base_url) -> dict:
    return {
        "base_url": base_url,
        "seed": seed,
        "site_name": {lang: labels["site"] for lang, labels in LABELS.items()},
        "listings": listings,
        "articles": [{
            "path": a.path,
            "title": a.title,
            "language": a.language,
            "section": a.section,
            "author": a.author,
            "published_at": a.stated_date(),
            "encoding": a.encoding,
            "breadcrumbs": [{"name": n, "url": u} for n, u in a.breadcrumbs()],
            "related": [r.path for r in a.related],
            "duplicate_of": a.duplicate_of.path if a.duplicate_of else None,
            "parts": a.part_paths,
        } for a in articles],
    }


def _write(root: Path, path: str, text: str, encoding="utf-8") -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(encoding, "xmlcharrefreplace"))


def build_site(out_dir, pages=200, seed=0, base_url="http://127.0.0.1:8000") -> dict:
    """Write the site under out_dir and return its manifest (the ground truth)."""
    base_url = base_url.rstrip("/")
    rng = random.Random(seed)
    root = Path(out_dir)
    articles = _articles(pages, rng)
    latest = {lang: [a for a in _newest_first(articles) if a.language == lang][:8] for lang in LABELS}

    lastmod = {"/": max((a.published for a in articles), default=EPOCH)}
    listings = []
    for section in SECTIONS:
        members = _newest_first([a for a in articles if a.section == section])
        for path, text in _listing_pages(section, members, latest).items():
            _write(root, path, text)
            listings.append(path)
            lastmod[path] = members[0].published if members else EPOCH
    for a in articles:
        for n, path in enumerate(a.part_paths, start=1):   # a sitemap names every part, as many do
            _write(root, path, _article_page(a, latest[a.language], base_url, rng, n), a.encoding)
            lastmod[path] = a.published
    _write(root, "/index.html", _home_page(articles, latest))
    _write(root, "/sitemap.xml", _sitemap(base_url, lastmod))
    _write(root, "/robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n")

    manifest = _manifest(articles, listings, seed, base_url)
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="number of article pages")
    parser.add_argument("--out", required=True, help="directory to write the site into")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000",
                        help="origin the sitemap and robots.txt point at")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = build_site(args.out, args.pages, args.seed, args.base_url)
    print(f"wrote {len(manifest['articles'])} articles and {len(manifest['listings'])} "
          f"listing pages to {args.out} in {time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    main()
