"""What the extractors look for, as data: one table per concern.

A new site family should be a row added here (plus a fixture and a test),
not a change to the logic that applies the tables. Matching of words is
case-insensitive unless a table says otherwise.
"""

# --- breadcrumbs -----------------------------------------------------------

# Containers that hold a visible trail, most specific first (CSS).
BREADCRUMB_CONTAINERS = (
    "nav[aria-label*=breadcrumb i]",
    "[aria-label*=breadcrumb i]",
    "#breadcrumbs",
    "#breadcrumb",
    "ol.breadcrumb",
    ".breadcrumbs",
    ".breadcrumb",
    ".crumbs",
    ".crumb",
    ".bread-crumb",
    ".location",
    ".position",
)

# Labels that introduce a text trail; the label itself is not a crumb.
BREADCRUMB_LABELS = (
    "当前位置",
    "您的位置",
    "你的位置",
    "您现在的位置是",
    "您现在的位置",
    "你现在的位置",
    "现在的位置",
    "所在位置",
    "当前页面",
    "You are here",
    "You're here",
)

# Separators shown between crumbs. The unambiguous ones split anywhere; the
# ambiguous ones ("/", "-", "|") only when surrounded by spaces, so a crumb
# like "CI/CD" or "Node-RED" stays whole.
BREADCRUMB_SEPARATORS = (">", "»", "›", "→", "＞", "≫", "〉", "》", "/", "-", "|", "·", "::")
BREADCRUMB_SEPARATORS_ANYWHERE = (">", "»", "›", "→", "＞", "≫", "〉")

# --- related articles --------------------------------------------------------

# Headings that introduce an in-article related-article block.
RELATED_HEADINGS = (
    "相关文章",
    "相关推荐",
    "相关阅读",
    "相关内容",
    "相关资讯",
    "相关新闻",
    "相关报道",
    "相关链接",
    "相关专题",
    "猜你喜欢",
    "延伸阅读",
    "推荐阅读",
    "扩展阅读",
    "你可能感兴趣",
    "您可能感兴趣",
    "Related posts",
    "Related articles",
    "Related stories",
    "Related content",
    "Related reading",
    "Related",
    "You may also like",
    "You might also like",
    "Read next",
    "Further reading",
    "See also",
)

# Longest text a heading may have (after stripping a trailing colon) to count.
HEADING_MAX_CHARS = 40

# --- body ------------------------------------------------------------------

# Content containers by priority: the first row with a candidate that has
# enough text and few links wins; within a row the first in the page (CSS).
BODY_CONTAINERS = (
    "[itemprop=articleBody]",
    ".article-content, .article_content, .articleContent, #article-content, #article_content",
    ".post-content, .post_content, .postContent, .post-body, .postBody",
    ".entry-content, .entry_content, .entry-body",
    ".article-body, .article_body, .articleBody, .story-body, .story-content",
    ".content-body, .content_body, .news-content, .news_content, .detail-content, .rich_media_content",
    ".markdown-body, .post-text, .blog-content, .blog-post-body",
)
# A container class found on these tags marks each paragraph, not the body:
# the paragraph's parent stands for the container.
BODY_CONTAINER_PARAGRAPHS = ("p",)
# Generic wrappers, tried when no specific container fits: they often hold
# comments, share bars or teasers too, so the body found in one is checked
# against trafilatura's (see crawler.extract.body_choice).
BODY_WRAPPERS = (
    "article",
    "[role=main], main",
    "#content, .content, #main-content, .main-content",
    ".post, .entry, .article, #article",
)

# Evidence a rule's candidate is checked against (crawler.extract.body):
# a marked ancestor (comment box, sidebar widget) rules a candidate out only
# while it holds under this share of the page's prose (text outside links);
# a candidate holding this share of it is the article; otherwise it loses
# when the page's densest block, not inside it, has this many times its
# prose. Parts of an article split on one page are joined when they hold
# this share of the prose of the element joining them.
BODY_WIDGET_MAX_SHARE = 0.5
# ...except a marked ancestor named with one of these words (among
# BOILERPLATE_WORDS below): comments can outweigh a short post.
BODY_WIDGET_WORDS = ("comment", "comments", "commentlist", "respond")
BODY_SURE_SHARE = 0.4
BODY_OUTWEIGHED = 4
BODY_PARTS_MIN_SHARE = 0.6

# Paragraph-like elements whose text (links left out) credits their parent
# and grandparent; elements whose own loose text (between <br>s) counts as a
# paragraph of their own; the least text that counts.
BODY_PARAGRAPHS = ("p", "pre", "blockquote", "h2", "h3", "h4", "td", "dd")
BODY_TEXT_HOLDERS = ("div", "section", "article", "font", "center")
BODY_PARAGRAPH_MIN_UNITS = 5

# Enough text for a body candidate / for a page to read as an article, in
# "units": one CJK character, or 2.5 per other word (so 120 CJK ~ 50 words:
# a short news item is still an article).
BODY_MIN_UNITS = 50
ARTICLE_MIN_UNITS = 120
WORD_UNITS = 2.5
# Share of a candidate's text inside links above which it is navigation.
BODY_MAX_LINK_DENSITY = 0.5
ARTICLE_MAX_LINK_DENSITY = 0.3
# Share of a candidate's text inside linked list items above which it is a listing.
LISTING_MIN_LINKED_ITEMS = 0.5

# Elements dropped with their content wherever they appear in the body.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "object", "embed",
    "applet", "button", "input", "select", "textarea", "svg", "canvas",
    "nav", "aside", "footer", "link", "meta", "base", "title", "dialog",
)

# A class or id token is boilerplate when one of its words (split on - and _)
# is in BOILERPLATE_WORDS and every word after it is in BOILERPLATE_SUFFIXES:
# "post-tags", "share-buttons", "comment-list" but not "tag-python" (a
# WordPress article class). Never applied inside <pre> (syntax highlighters
# use classes like "hljs-comment") nor to the chosen body element itself.
BOILERPLATE_WORDS = frozenset((
    "share", "sharing", "social", "sns", "comment", "comments", "commentlist", "respond",
    "tags", "tag", "tagcloud", "keywords", "prev", "next", "prevnext", "pager",
    "pagination", "postnav", "breadcrumb", "breadcrumbs", "crumbs", "related",
    "copyright", "advert", "advertisement", "ads", "ad", "sidebar", "widget",
    "subscribe", "newsletter", "byline", "meta", "toolbar", "recommend",
    "footer", "cookie", "cookies", "consent", "privacy", "gdpr", "popup", "modal", "promo",
    "caption", "credit", "credits", "gallery", "slideshow", "carousel", "lightbox", "citation",
    "mostread", "trending", "popular", "readmore", "author", "navigation", "nav",
))
BOILERPLATE_SUFFIXES = frozenset((
    "bar", "box", "list", "links", "link", "buttons", "button", "btns", "icons", "wrap",
    "wrapper", "area", "container", "section", "block", "widget", "module", "panel",
    "inner", "outer", "tools", "nav", "navigation", "posts", "articles", "items",
    "entries", "info", "line", "slot", "banner", "form", "title", "content", "body", "text",
))
# ...unless the marked element holds more than this share of the body's text
# (page builders wrap whole articles in "elementor-widget-wrap" and the like).
BOILERPLATE_MAX_SHARE = 0.5
# A hidden block in the body holding at least this many paragraphs of
# sentences (CHOICE_LONG_LINE_UNITS) is the rest of the article behind a
# "continue reading" fold, and stays.
FOLD_MIN_PARAGRAPHS = 2

# A block inside the body made mostly of links (more-stories lists, tag
# clouds, in-body navigation) is boilerplate: at least this many links
# carrying more than this share of the block's text.
LINK_BLOCK_TAGS = ("div", "section", "ul", "ol", "table", "p")
LINK_BLOCK_MIN_LINKS = 3
LINK_BLOCK_MIN_DENSITY = 0.6

# Short blocks starting like this are boilerplate (prev/next, tags, copyright).
BOILERPLATE_TEXT_PREFIXES = (
    "上一篇", "下一篇", "上一页", "下一页", "标签：", "标签:", "关键词：", "关键词:", "关键字：",
    "Tags:", "Tagged:", "Posted in", "Filed under", "Previous post", "Next post",
    "Share this", "分享到", "版权所有", "版权声明", "转载请注明", "本文链接", "Copyright", "©",
    "责任编辑", "编辑：", "编辑:", "发送给朋友", "打印本文", "打印本页", "关闭窗口", "返回页首", "返回顶部",
    # consent and paywall placeholders standing where an embed or the rest of the article would be
    "This content is not available", "This content is blocked", "This embed is blocked",
    "To view this content", "Please enable JavaScript", "Please enable cookies", "Manage cookie preferences",
    "Subscribe to continue", "Subscribe to read", "To continue reading", "Already a subscriber",
    "You have reached your limit", "This article is for subscribers", "登录后阅读全文", "开通会员", "付费阅读",
    # newsletter calls
    "Sign up for our newsletter", "Subscribe to our newsletter", "Get our newsletter",
    "Get the latest", "扫码关注", "扫描二维码", "关注我们的微信公众号", "欢迎关注",
    # captions and credits standing alone under a picture
    "Photo:", "Photograph:", "Image:", "Photo credit", "Image credit", "Credit:", "图片来源", "图片来自", "摄影：",
)
BOILERPLATE_TEXT_MAX_CHARS = 120

# Phrases that make a short block (at most BOILERPLATE_TEXT_MAX_CHARS)
# boilerplate wherever they stand in it: copyright lines.
BOILERPLATE_TEXT_PHRASES = ("All rights reserved", "All Rights Reserved", "版权所有", "保留所有权利", "未经授权不得转载", "未经许可不得转载")

# A teaser of another article inside the body: a short block opening with
# one of these lead-ins (or a related heading) and made mostly of a link,
# "Read more: <a>Another story</a>". It belongs to the related block.
BODY_TEASER_LEADS = ("Read more", "Read also", "Also read", "Also on", "More:", "Watch:", "阅读更多", "相关阅读", "延伸阅读", "推荐阅读")
BODY_TEASER_MIN_LINKED = 0.5

# A short line holding a date and one of these labels, and no sentence (a
# 。 or a ". " between words), is the article's meta line (date, source,
# editor, views), not article text.
META_LINE_LABELS = ("来源", "作者", "编辑", "发布", "发表", "更新", "阅读", "浏览", "点击", "Posted", "Published", "Updated", "By ")
META_LINE_MAX_CHARS = 80

# Whole short lines that are page furniture, not article text (case-insensitive).
BOILERPLATE_LINES = (
    "Advertisement", "Advertisements", "Sponsored", "Sponsored content", "Subscribe", "Subscribe now",
    "Sign up", "Highlights", "Share", "Share this", "Share this article", "Close", "Caption",
    "Back to Gallery", "Read more", "Continue reading", "Show comments", "Load comments",
    "广告", "分享", "分享到", "点击查看", "返回顶部", "打印本页", "关闭窗口", "打印", "关闭",
    "展开全文", "阅读全文", "发表评论", "查看评论", "我来说两句", "收藏本文", "发送给朋友", "打印本文", "返回页首",
    "Read the full story", "Read the full article", "Read the rest of this entry", "Continue reading →",
    "Keep reading", "Show more", "点击阅读全文", "继续阅读", "查看全文",
)

# Headings after which the rest of the body is page furniture (teasers,
# site-wide lists), cut when they sit in the body's last part: the related
# headings above plus these. Rows ending in a space match as prefixes.
BODY_END_HEADINGS = (
    "Latest", "Latest news", "Latest stories", "Popular", "Most popular", "Most read", "Most viewed",
    "Trending", "Trending now", "Recommended", "Recommended for you", "Top stories", "Editor's picks",
    "More stories", "More news", "Recent posts", "Don't miss", "What to read next",
    "More from ", "More in ", "More on ", "Most read in ",
    "最新文章", "热门文章", "热门推荐", "热点推荐", "精彩推荐", "最新资讯", "热门资讯", "排行榜", "点击排行",
    "更多精彩", "今日推荐", "热门评论", "最新评论", "网友评论", "相关评论", "评论列表",
)
# ...when at most this share of the body's text follows the heading.
BODY_END_MAX_SHARE = 0.35

# A line of at least this many units reads as a sentence when our body and
# trafilatura's are compared (crawler.extract.choice).
CHOICE_LONG_LINE_UNITS = 30
# Our body is taken without asking trafilatura when at least this share of
# its text is in such lines (measured: 0.88-0.95 all beat asking always).
CHOICE_SETTLED_PROSE_SHARE = 0.9

# --- sanitized HTML ------------------------------------------------------------

SANITIZE_TAGS = frozenset((
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "section",
    "article", "header", "figure", "figcaption", "blockquote", "pre", "code", "kbd",
    "samp", "var", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead",
    "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "a", "img", "em", "strong",
    "b", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "q", "cite",
    "abbr", "time",
))
SANITIZE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "pre": {"class"},
    "code": {"class"},
    "abbr": {"title"},
    "time": {"datetime"},
}
SANITIZE_DROP_CONTENT = frozenset(DROP_TAGS) - SANITIZE_TAGS
URL_SCHEMES = frozenset(("http", "https", "mailto"))

# class="language-x" / "lang-x" / "highlight-x" on <pre> or <code> names the language.
CODE_LANGUAGE_PREFIXES = ("language-", "lang-", "highlight-source-", "highlight-")

# Code blocks written as a list of line elements instead of <pre>: (block
# CSS, CSS of its lines inside it). Turned into <pre><code>, one line each.
CODE_LINE_BLOCKS = (
    ("div.blockcode", "li"),                        # Discuz forums
    ("div.syntaxhighlighter", "td.code div.line"),  # SyntaxHighlighter 3 (gutter numbers left out)
)

# --- title ---------------------------------------------------------------

# "<title>Post - Site</title>": the separators before a site-name suffix.
TITLE_SUFFIX_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", "｜", "|", "_", " · ")
TITLE_SUFFIX_MAX_CHARS = 40

# --- dates, author, language ------------------------------------------------

ARTICLE_TYPES = frozenset((
    "article", "newsarticle", "blogposting", "techarticle", "scholarlyarticle",
    "report", "analysisnewsarticle", "reportagenewsarticle", "socialmediaposting",
    "liveblogposting", "opinionnewsarticle", "posting",
))

# <meta> keys (name, property or itemprop, lower-cased) carrying the publication date.
DATE_META_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "sailthru.date", "parsely-pub-date", "dc.date.issued",
    "dc.date.created", "dc.date", "dcterms.created", "dcterms.issued", "date",
    "article.published", "weibo:article:create_at",
)
AUTHOR_META_KEYS = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")

# Labels before a date or author in the article's meta line.
DATE_TEXT_LABELS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发表于", "发布于", "时间", "日期",
    "Published on", "Published", "Posted on", "Posted", "Date",
)
# Dates written relative to the reader ("3小时前", "2 days ago"), resolved
# against the crawl time: unit word -> seconds. A count of days or more
# gives a date; a smaller unit gives an instant (UTC offset included).
RELATIVE_DATE_UNITS = {
    "秒": 1, "秒钟": 1, "分钟": 60, "小时": 3600, "个小时": 3600, "天": 86400,
    "周": 604800, "星期": 604800, "个星期": 604800,
    "second": 1, "seconds": 1, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "hour": 3600, "hours": 3600, "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
}
RELATIVE_DATE_SUFFIXES = ("之前", "前", "以前", "ago")
# Words naming a day by its distance from today, optionally followed by a
# time ("昨天 14:30"); None marks "just now" (the crawl time itself).
RELATIVE_DAY_WORDS = {
    "刚刚": None, "刚才": None, "just now": None,
    "今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2,
}

AUTHOR_TEXT_LABELS = ("作者", "文/", "撰文", "By ", "Author", "Written by")

# A CJK share of letters above this makes an unlabeled page Chinese.
CJK_LANGUAGE_SHARE = 0.3
