"""What the extractors look for, as data: one table per concern.

A new site family should be a row added here (plus a fixture and a test),
not a change to the logic that applies the tables. Matching of words is
case-insensitive unless a table says otherwise.
"""

# --- breadcrumbs -----------------------------------------------------------
# A trail is found by what it is (a short run of links from the site root
# towards this page, before the headline); each cue below adds its weight to
# a candidate's score, and a candidate scoring BREADCRUMB_MIN_SCORE is a trail.

# Words of a class, id or aria-label (split on -, _, camelCase and digits)
# that mark an element as a trail, with their weight: "breadcrumb" says so,
# "position" or "path" only hints.
BREADCRUMB_MARKERS = {
    "breadcrumb": 3, "breadcrumbs": 3, "crumb": 3, "crumbs": 3, "bread": 3, "breadcrumbnav": 3,
    "navpath": 2, "pathway": 2, "weizhi": 2,
    "path": 1, "location": 1, "position": 1,
}

# Labels that introduce a trail; the label itself is not a crumb. Any short
# text ending in a colon right before the first crumb is dropped as a label
# too, so these rows are what finds a trail, not only what cleans it.
BREADCRUMB_LABELS = (
    "当前位置",
    "您的位置",
    "你的位置",
    "您现在的位置是",
    "您现在的位置",
    "你现在的位置",
    "现在的位置",
    "现在位置",
    "您所在的位置",
    "所在位置",
    "当前页面",
    "You are here",
    "You're here",
    "Sie sind hier",
    "Vous êtes ici",
    "Pfadnavigation",
    "Navigationspfad",
)

# Names of a site's first crumb: a trail starting with one of these (or a
# name ending in one, "网易首页") starts at the site root.
BREADCRUMB_HOME_WORDS = ("首页", "主页", "Home", "Homepage", "Startseite", "Start", "Accueil", "Inicio", "Início", "Главная")

# Class tokens (whole, any case) of an element no reader sees: a hidden variant
# or template ("hide", "d-none"), screen-reader text ("sr-only"), a hidden logo.
# Its text is no crumb, headline or related entry. Whole tokens only: a BEM
# modifier ("fc-show-more--hidden") is often a state a script toggles.
HIDDEN_CLASSES = (
    "hidden", "hide", "is-hidden", "u-hidden", "d-none", "invisible", "element-invisible",
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "aural", "offscreen",
)

# Separators shown between crumbs. The unambiguous ones point down the trail
# and split anywhere; the ambiguous ones ("/", "-", "|") only when surrounded
# by spaces, so a crumb like "CI/CD" or "Node-RED" stays whole, and they
# weigh less: menus use them too. An element showing no text (an icon, an
# image, an empty link styled by CSS) between crumbs is a separator as well.
BREADCRUMB_SEPARATORS = (">", "»", "›", "→", "＞", "≫", "〉", "》", "/", "-", "|", "｜", "·", "::")
BREADCRUMB_SEPARATORS_ANYWHERE = (">", "»", "›", "→", "＞", "≫", "〉")


# Weights of the other cues (see crawler.extract.breadcrumbs.score).
BREADCRUMB_CUES = {
    "label": 3,               # a BREADCRUMB_LABELS row introduces it
    "directional": 2,         # crumbs split by an unambiguous separator
    "ambiguous": 1,           # ... by "/", "|", "-" or an icon
    "chain": 2,               # three crumbs or more, each after an unambiguous separator
    "home_first": 1,          # the first crumb is the site root or named like it
    "deepening": 1,           # link paths get deeper, never shallower
    "nested": 1,              # ... each inside the one before
    "before_headline": 1,     # it comes before the page's <h1>
    "agrees": 2,              # a crumb's link is in the page's BreadcrumbList
}
BREADCRUMB_MIN_SCORE = 4
# A one-crumb trail needs a marker, a label or structured data that agrees.
BREADCRUMB_ONE_CRUMB_MIN_SCORE = 3
# Longest trail (shown text), most crumbs, longest name of a linked crumb.
BREADCRUMB_MAX_CHARS = 300
BREADCRUMB_MAX_CRUMBS = 8
BREADCRUMB_MAX_LINK_CHARS = 60
# Least share of its element's text a trail shows (a paragraph holding a few
# links between arrows is prose; a trail box holds little else).
BREADCRUMB_MIN_TEXT_SHARE = 0.2

# --- related articles --------------------------------------------------------

# Headings that introduce a related-article block, in any language, matched as
# the whole heading (case-insensitive, punctuation and a trailing "..." dropped);
# rows ending in a space match as prefixes ("More on plague"). A heading may
# also open a paragraph of its own links ("Related: <a>...</a>").
RELATED_HEADINGS = (
    # zh
    "相关文章", "相关推荐", "相关阅读", "相关内容", "相关资讯", "相关新闻", "相关报道", "相关链接",
    "相关专题", "相关事件", "相关稿件", "猜你喜欢", "延伸阅读", "推荐阅读", "扩展阅读", "推荐文章",
    "你可能感兴趣", "您可能感兴趣", "你可能会喜欢", "你可能还喜欢", "您可能还喜欢", "看了本文的人还看了",
    # en
    "Related posts", "Related articles", "Related stories", "Related content", "Related reading",
    "Related", "Related coverage", "Related news", "Related links", "Related items", "Related videos",
    "You may also like", "You might also like", "You may also be interested in",
    "You might be interested in", "You might also be interested in", "Read next", "Read this next",
    "Read more", "Read also", "Also read", "Further reading", "See also", "More on this story",
    "More on this topic", "More stories like this one", "Editors' recommendations",
    "Editor's recommendations", "Recommended reading", "Related coverage from ", "More on ",
    "More about ", "Also on ",
    # de
    "Mehr zum Thema", "Weitere Beiträge zum Thema", "Weitere Artikel zum Thema", "Lesen Sie auch",
    "Lies auch", "Auch interessant", "Das könnte dich auch interessieren",
    "Das könnte Sie auch interessieren", "Das könnte dir auch gefallen", "Das könnte Sie auch gefallen",
    "Das Thema könnte dich auch interessieren", "Interessante Artikel", "Ähnliche Artikel",
    "Verwandte Artikel", "Erfahre mehr",
    # fr
    "À lire aussi", "A lire aussi", "Lire aussi", "À écouter aussi", "À voir aussi", "À découvrir",
    "Articles similaires", "Articles liés", "Sur le même sujet", "Vous aimerez aussi", "Voir aussi",
    # es, pt, it
    "Noticias relacionadas", "Artículos relacionados", "Contenido relacionado", "Te puede interesar",
    "También te puede interesar", "Lee también", "Artigos relacionados", "Posts relacionados",
    "Notícias relacionadas", "Você pode gostar", "Você também pode gostar", "Leia também",
    "Veja também", "Leggi anche", "Articoli correlati", "Potrebbe interessarti", "Ti potrebbe interessare",
    # ru, cs, pl, nl
    "Материалы по теме", "Читайте также", "Вам также может быть интересно", "Похожие статьи",
    "Похожие материалы", "Смотрите также", "Související", "Související články", "Mohlo by vás zajímat",
    "Czytaj także", "Zobacz też", "Powiązane artykuły", "Gerelateerde artikelen", "Lees ook",
    # ja, ko, id
    "関連記事", "関連ニュース", "あわせて読みたい", "こちらもおすすめ", "관련기사", "관련 기사",
    "관련뉴스", "Baca juga", "Berita terkait", "Artikel terkait",
)

# A related entry's title holds at least this many text units: three words
# or six CJK characters (a tag "China", "View all" or "Subscribe now" does not).
RELATED_MIN_TITLE_UNITS = 6
# Link paths (regular expressions) that are not articles: tag, topic, author
# and search pages.
RELATED_NOT_PATHS = (
    r"/(tags?|topics?|category|categories|author|authors|search|label|keywords?)(/|$)",
    r"[/_](profile|user|member)s?[/_.]",
    r"[?&](s|q|tag|keyword|search)=",
)
# Hosts of sponsored-content widgets, and card labels that mark a sponsored entry.
RELATED_SPONSOR_HOSTS = (
    "outbrain.com", "taboola.com", "doubleclick.net", "postquare.com", "mgid.com",
    "revcontent.com", "zergnet.com", "adnxs.com", "googleadservices.com",
)
RELATED_SPONSOR_LABELS = ("Sponsored", "Promoted", "Anzeige", "Paid content", "Partner content", "广告", "推广")
# Words of a class or id (split on -, _ and case) that name an unheaded block
# of related links: "related-list", "relatedLink", "story-alsos", and the
# pinyin initials Chinese templates use (xgwz 相关文章, xgyd 相关阅读, xgxw 相关新闻).
RELATED_CLASS_WORDS = ("related", "relatedposts", "relatedlinks", "alsos", "seealso", "xgwz", "xgyd", "xgxw", "xgtj")
# Times relative to now ("6小时前", "2 hours ago") on most entries of a block
# mark a feed of the newest items, not links chosen for this article.
RELATED_FEED_TIMES = ("分钟前", "小时前", "minutes ago", "mins ago", "hours ago", "hrs ago", "Minuten", "Stunden")
# Words of a class or id (split on -, _ and case) that mark previous/next-article
# navigation: a block's list ends where such a box begins.
RELATED_NAV_WORDS = ("prev", "previous", "next", "prevnext", "pager", "pagination", "postnav")

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
# against trafilatura's (see crawler.extract.choice). One post's own
# wrapper (.post, .entry) comes before the page's region (main, #content),
# which also holds the blog's about box, notes and widgets around the post.
BODY_WRAPPERS = (
    "article",
    ".post, .entry, .article, #article",
    "[role=main], main",
    "#content, .content, #main-content, .main-content",
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
# A candidate under the page's headline (their common ancestor at most this
# many levels above it, the headline first) is the article even when a block
# elsewhere (an author's profile, a subscribe box) holds more prose.
BODY_HEADLINE_LEVELS = 2
# A generic wrapper (BODY_WRAPPERS) whose densest block (grown to the parent
# of its like siblings: an article in cards) holds under this share of its
# prose holds much else besides the article: that block is the body.
BODY_WRAPPER_MIN_SHARE = 0.75
# ...a sibling of the block's shape (tag and first class) counts when it
# holds at least this many characters of prose (text outside links), and
# at least this share of the block's own (a narrow grid column beside the
# article's is not a part of it).
BODY_LIKE_SIBLING_MIN_CHARS = 40
BODY_LIKE_SIBLING_MIN_SHARE = 0.25

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

# --- page kind (crawler.extract.kind) ------------------------------------------

# Share of a candidate's text inside linked list items above which it is a listing...
LISTING_MIN_LINKED_ITEMS = 0.5
# ...unless a paragraph this long sits outside them: the list is a reply tree
# or related block under the article's own text.
ARTICLE_MIN_PARAGRAPH_UNITS = 120
# A page whose body we cannot find, or find too short, is still an article
# when one paragraph somewhere holds this much text (body detection missed it).
ARTICLE_MIN_LONE_PARAGRAPH_UNITS = 240
# At least this many full posts of one shape (same tag and class as the body,
# each of article size), none of them this many times longer than every
# other (that one is the article, the rest excerpts of the site's other
# posts): a blog front page or archive, not an article made of its first post.
LISTING_MIN_POSTS = 3
LISTING_POST_DOMINANCE = 3.0
# At least this many linked headings (h2-h4) holding this many times the
# body's own text (its text outside the headings' cards), and no paragraph
# of ARTICLE_MIN_PARAGRAPH_UNITS anywhere on the page (the body found may be
# a fragment; an article's own paragraphs are long): a front page of teasers,
# whatever its og:type says. Not when the body is a content container
# (BODY_CONTAINERS): a short news story amid a site's many teasers.
LISTING_MIN_TEASERS = 6
LISTING_TEASER_RATIO = 2.0
# A body with at least this many input fields and less text than this per
# field is a form (login, search, error page): neither article nor listing.
# A <form> of that kind inside the body (a comment or contact form under
# the post) goes with the heading over it (crawler.extract.clean).
# A form of fields says what they are for in a line of sentences at most
# (a privacy notice); more lines of CHOICE_LONG_LINE_UNITS are paragraphs
# of an article that broken markup left inside a form.
FORM_MIN_FIELDS = 3
FORM_MAX_UNITS_PER_FIELD = 40
FORM_MAX_PROSE_LINES = 1

# Elements dropped with their content wherever they appear in the body.
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "object", "embed",
    "applet", "button", "input", "select", "textarea", "svg", "canvas",
    "nav", "aside", "footer", "link", "meta", "base", "title", "dialog",
)
# Elements without an end tag, or whose end tag HTML lets a page leave out:
# never taken as left open (crawler.parsing closes any other element dropped
# with its content that a page leaves open where it opens, so that it does
# not swallow the paragraphs after it).
IMPLIED_END_TAGS = (
    "area", "base", "embed", "frame", "input", "link", "meta", "param", "source", "track",
    "head", "rp", "rt", "rtc", "menuitem",
)

# A class or id token is boilerplate when one of its words (split on -, _ and camelCase)
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
# ...unless it is a <p> with at least this many units of its own words around
# the links: prose citing its sources, not a row of links.
LINK_PROSE_MIN_UNITS = 15

# Short blocks starting like this are boilerplate (prev/next, tags, copyright).
BOILERPLATE_TEXT_PREFIXES = (
    "上一篇", "下一篇", "上一页", "下一页", "标签：", "标签:", "关键词：", "关键词:", "关键字：",
    "Tags:", "Tagged:", "Posted in", "Filed under", "Previous post", "Next post",
    "Share this", "分享到", "版权所有", "版权声明", "转载请注明", "本文链接", "Copyright", "©",
    "责任编辑", "编辑：", "编辑:", "发送给朋友", "打印本文", "打印本页", "关闭窗口", "返回页首", "返回顶部",
    # consent and paywall placeholders standing where an embed or the rest of the article would be
    "This content is not available", "This content is blocked", "This embed is blocked",
    "To view this content", "Please enable JavaScript", "Please enable cookies", "Manage cookie preferences",
    "Subscribe to continue", "Subscribe to read", "To continue reading", "To read the full story", "Already a subscriber",
    "You have reached your limit", "This article is for subscribers", "登录后阅读全文", "开通会员", "付费阅读",
    # newsletter calls
    "Sign up for our newsletter", "Subscribe to our newsletter", "Get our newsletter",
    "Get the latest", "扫码关注", "扫描二维码", "关注我们的微信公众号", "欢迎关注",
    # captions and credits standing alone under a picture
    "Photo:", "Photograph:", "Image:", "Photo credit", "Image credit", "Credit:", "图片来源", "图片来自", "摄影：",
    # calls to follow the site or a post's comments (not "Source:", "Via", "H/T" or "Follow @name":
    # hand-made truths keep a post's credits and its author's handle)
    "Like us on Facebook", "Subscribe to this comment", "Subscribe to comments",
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
# A list of cards of other posts inside the body goes too: at least this
# many items, most of them a linked heading (h2-h6) and an excerpt of under
# BODY_TEASER_MAX_UNITS. Unlike a block of links it goes however much of
# the body it holds (cards can outweigh a short post), as long as the rest
# holds BODY_MIN_UNITS: a body of cards alone is not emptied.
BODY_TEASER_LIST_MIN_ITEMS = 3
BODY_TEASER_MAX_UNITS = 250

# A short line holding a date and one of these labels, and no sentence (a
# 。 or a ". " between words), is the article's meta line (date, source,
# editor, views), not article text.
META_LINE_LABELS = ("来源", "作者", "编辑", "发布", "发表", "更新", "阅读", "浏览", "点击", "Posted", "Published", "Updated", "By ")
META_LINE_MAX_CHARS = 80

# A comment section known by what it shows, whatever its class is named
# ("coms", "commentbody by-someone"): at least COMMENT_MIN_ITEMS sibling
# blocks of one shape (tag and first class), at least COMMENT_MIN_SHARE of
# them each showing a date or a clock time and a commenter's cue (one of
# these words, or an avatar picture), or opening with a name and one of
# COMMENT_SAYS ("Anna Berg said,").
COMMENT_CUES = (
    "said", "says", "wrote", "writes", "replied", "reply", "commented", "posted by", "permalink",
    "回复", "网友", "评论", "发表于", "楼主", "沙发",
)
COMMENT_SAYS = ("said", "says", "wrote", "writes")
COMMENT_AVATAR_WORDS = ("avatar", "gravatar", "userpic")
COMMENT_MIN_ITEMS = 3
COMMENT_MIN_SHARE = 0.6

# Whole short lines that are page furniture, not article text (case-insensitive).
BOILERPLATE_LINES = (
    "Advertisement", "Advertisements", "Sponsored", "Sponsored content", "Subscribe", "Subscribe now",
    "Sign up", "Highlights", "Share", "Share this", "Share this article", "Close", "Caption",
    "Back to Gallery", "Read more", "Continue reading", "Show comments", "Load comments",
    "广告", "分享", "分享到", "点击查看", "返回顶部", "打印本页", "关闭窗口", "打印", "关闭",
    "展开全文", "阅读全文", "发表评论", "查看评论", "我来说两句", "收藏本文", "发送给朋友", "打印本文", "返回页首",
    "Read the full story", "Read the full article", "Read the rest of this entry", "Continue reading →",
    "Keep reading", "Show more", "点击阅读全文", "继续阅读", "查看全文",
    # the article's own tools and a picture's controls
    "Continue reading the main story", "Back to story", "Enlarge this image", "Enlarge photo", "Click to enlarge",
    "Hide caption", "Show caption", "Loading slideshow", "Print", "Print this", "Print this article", "Email this",
    "Email this article", "Tweet", "Pin it", "Like this", "Follow us", "Sharing is caring",
    "Be sociable, share!", "Sponsored links", "Similar posts", "Brought to you by", "Story highlights", "Back to top",
)

# Headings after which the rest of the body is page furniture (teasers,
# site-wide lists), cut when they sit in the body's last part: the related
# headings above plus these. Rows ending in a space match as prefixes.
BODY_END_HEADINGS = (
    "Latest", "Latest news", "Latest stories", "Popular", "Most popular", "Most read", "Most viewed",
    "Trending", "Trending now", "Recommended", "Recommended for you", "Top stories", "Editor's picks",
    "More stories", "More news", "Recent posts", "Don't miss", "What to read next",
    "About the author", "About the authors", "作者简介", "关于作者",
    "More from ", "More in ", "More on ", "Most read in ",
    "最新文章", "热门文章", "热门推荐", "热点推荐", "精彩推荐", "最新资讯", "热门资讯", "排行榜", "点击排行",
    "更多精彩", "今日推荐", "热门评论", "最新评论", "网友评论", "相关评论", "评论列表",
)
# ...when at most this share of the body's text follows the heading.
BODY_END_MAX_SHARE = 0.35
# Headings that open the readers' part under an article (its comments, the
# form to add one), matched as BODY_END_HEADINGS are, a count
# before or after them left out ("12 Comments", "Comments (0)", "One
# response to ..."). They end the body as those do; and however much text
# follows them when at least COMMENT_MIN_ITEMS commenters' signature lines
# (crawler.extract.clean: a name or cue and a date, the shape of a comment
# item's header) follow too and the article before them holds BODY_MIN_UNITS:
# a long flat stream of replies outweighs a short post. A heading (h2-h6)
# named for them (BODY_WIDGET_WORDS: id="respond", "comments") opens the
# readers' part however it is worded ("Anything to add?"). Not "Comment" alone
# (an article's own section, an opinion label) nor trackbacks (quotes of the
# article from other blogs, which hand-made truths keep).
COMMENT_HEADINGS = (
    "Comments", "Reader comments", "Readers' comments", "User comments", "Your comments",
    "Responses", "Replies", "Reactions",
    "Leave a reply", "Leave a comment", "Post a comment", "Add a comment", "Add new comment",
    "Add your comment", "Write a comment", "Join the discussion", "Have your say", "What do you think?",
    "Tell us what you think", "Comments on ", "Comments to ", "Responses to ", "Response to ",
    "Replies to ", "Thoughts on ",
    "Kommentare", "Kommentar schreiben", "Leserkommentare", "Commentaires", "Laisser un commentaire",
    "Comentarios", "Deja un comentario", "Deixe um comentário", "Comentários", "Commenti", "Lascia un commento",
    "Комментарии", "Reacties", "Komentarze", "コメント", "댓글", "评论", "读者评论", "用户评论",
)

# A line that only counts the readers' comments ("12 comments", "No comments
# yet", "Comments (3)", "1 Response »") is furniture wherever it stands: a
# number, "no" or "one", then one of these words (or the word, then the
# number in brackets), and nothing else but "yet" or "so far".
COMMENT_COUNT_WORDS = ("comments", "comment", "responses", "response", "replies", "reply", "thoughts", "reactions")

# A marked block named with one of these words (among BOILERPLATE_WORDS)
# that is made of at least BODY_SLIDES_MIN_ITEMS sibling items of one shape
# (tag and first class) is a slideshow: it goes however much of the body it
# holds (BOILERPLATE_MAX_SHARE spares a large marked block), since the slides
# of a photo story, each a picture and its caption, can outweigh the story.
BODY_SLIDES_WORDS = ("gallery", "slideshow", "carousel", "lightbox")
BODY_SLIDES_MIN_ITEMS = 3
# Captions (named "caption") go as furniture, unless at least this many of
# them hold more of the body's text than the rest of it: a photo story told
# in pictures and their captions ("In pictures: ..."), whose captions are the text.
PHOTO_STORY_MIN_CAPTIONS = 3
# A block of at most BODY_NOTICE_MAX_CHARS holding one of these phrases
# (case-insensitive) is a notice the site prints under every article, not
# article text: a blog engine's feed-and-trackback footer, a wire service's
# rights notice, a print-edition note, a newsletter or feed call. Longer than
# a BOILERPLATE_TEXT_PREFIXES line, so only phrases no article sentence uses.
BODY_NOTICE_PHRASES = (
    "follow any responses to this entry", "leave a response, or trackback", "Both comments and pings are",
    "Bookmark the permalink", "TrackBack URI", "may not be published, broadcast, rewritten",
    "A version of this article appeared", "subscribe to our newsletter", "sign up for our newsletter",
    "free email updates", "subscribing to the RSS feed", "new posts via RSS",
)
BODY_NOTICE_MAX_CHARS = 300
# Class/id words (matched as BOILERPLATE_WORDS are) of the author's bio box
# under an article: "author-bio", "authorbox", "bio". Only cleaning drops
# them: they do not rule out a body candidate (a profile page is one bio).
BODY_BIO_WORDS = ("bio", "bios", "authorbio", "authorbox", "authorinfo", "aboutauthor", "postauthor", "guestauthor")

# A line of at least this many units reads as a sentence when our body and
# trafilatura's are compared (crawler.extract.choice).
CHOICE_LONG_LINE_UNITS = 30
# Our body is taken without asking trafilatura when at least this share of
# its text is in such lines (measured: 0.88-0.95 all beat asking always).
CHOICE_SETTLED_PROSE_SHARE = 0.9
# trafilatura's text wins only when it holds at least this share of our
# text's length: a much shorter pick is a fragment (a caption, one teaser,
# the sidebar's about box) whose few lines happen to be sentences.
CHOICE_MIN_LENGTH_SHARE = 0.2
# ...and only when at most this share of its text is in lines ours does
# not hold: it is to cut what our block dragged in (a menu, teasers, a
# widget), not to read another block (a sidebar beside the post, the
# site's masthead).
CHOICE_OWN_MAX_SHARE = 0.1

# --- script shells (crawler.middlewares.shells) ---------------------------------
# A page served as a frame its scripts fill in is recorded as `needs_browser`.
# Only a page whose body shows hardly anything of its own is a candidate:
# less prose (text outside links, scripts and noscript) than
# SHELL_MAX_PROSE_UNITS, at most SHELL_MAX_TITLE_LINKS links with a title's
# worth of text (RELATED_MIN_TITLE_UNITS; a listing shows its links), and,
# outside links and the page's header, nav and footer, none of SHELL_CONTENT
# (a photo post shows its photo, a login page its form). Its cues then add
# their weight below, and SHELL_MIN_SCORE of them make it a shell.
SHELL_MAX_PROSE_UNITS = 30
SHELL_MAX_TITLE_LINKS = 3
SHELL_CONTENT = ("img", "picture", "video", "audio", "input", "textarea", "select")
SHELL_CUES = {
    "app_root": 2,        # an empty element with an id or class right under <body>: where an app mounts
    "empty_box": 1,       # one deeper in the page (also what an ad slot or a comment box looks like)
    "noscript": 2,        # a <noscript> asking for JavaScript
    "script_text": 2,     # inline scripts carrying far more text than the body shows (the article as data)
}
SHELL_MIN_SCORE = 2
# Words of a <noscript> asking the reader to turn JavaScript on.
SHELL_NOSCRIPT_WORDS = ("javascript", "脚本", "js")
# Inline scripts carry text when their strings hold at least this many units,
# and this many times what the body shows.
SHELL_SCRIPT_MIN_UNITS = 60
SHELL_SCRIPT_TEXT_RATIO = 5

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

# Separators between a headline and the site name or section glued to it in
# <title>/og:title ("Post - Site", "标题_频道_站名", "Site » Post"). Rows
# with spaces split only where written so; a bare one splits unless both of
# its neighbours are Latin letters or digits ("snake_case", "Node-RED").
TITLE_SEPARATORS = (
    " - ", " -- ", " | ", " || ", " – ", " — ", " :: ", " » ", " « ", " · ", " / ", " > ",
    "｜", "——", "--", "__", "::", "»", "|", "_", "-", "—", "–", ">", "<",
)
# Where a shown headline may end inside a declared title: the rest of it
# (site name, section) starts after one of these (or any separator above).
TITLE_BOUNDARY_CHARS = ":：|｜-–—_»«·/<>()（）[]【】《》〖〗"
# Headings inside these are page furniture, not the headline: tags, roles,
# and class or id words (split on - and _) of a trail, whose last crumb
# often repeats the headline in an h1.
TITLE_FURNITURE_TAGS = frozenset(("nav", "footer", "aside"))
TITLE_FURNITURE_ROLES = frozenset(("navigation", "banner", "contentinfo", "complementary"))
TITLE_FURNITURE_WORDS = frozenset(("breadcrumb", "breadcrumbs", "crumb", "crumbs", "breadcrumblist"))
# <meta> keys naming the site, an affix of the declared titles.
SITE_NAME_META_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title")
# A heading's first part set apart as a kicker ("<span>Opinion</span> ...",
# "<strong>Deutschlandtakt</strong> Flixbus ..."): at most this many
# characters, shorter than the headline after it, which starts like a
# sentence (not lower-case: "<b>How</b> to ..." is styling, not a kicker).
KICKER_MAX_CHARS = 40
# Punctuation between a kicker and the headline, dropped with it.
KICKER_SEPARATORS = ":：|｜-–—•·»/ "
# Shortest shown text (characters) that may stand for a declared title.
TITLE_MIN_CHARS = 4
# When the declared title is shown nowhere (a site's or section's <title>),
# the headline is the longest of the last few emphasised short lines before
# the body's first line of prose: a heading, bold or <font> text, a table
# header, or an element whose class or id has one of these words.
TITLE_EMPHASIS_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "font", "th", "big"))
TITLE_CLASS_WORDS = frozenset(("title", "tit", "headline", "heading", "biaoti", "bt", "subject"))
TITLE_MAX_CHARS = 80
# ...that does not end like a sentence or a label, nor hold a trail's separators.
TITLE_NOT_LAST_CHARS = ("。", ":", "：")
TITLE_NOT_CHARS = (">", "»", "›", "＞", "当前位置", "您的位置", "You are here")
TITLE_LAST_LINES = 3
# A line of prose has at least this many units (crawler.extract.text.units).
TITLE_PROSE_UNITS = 30

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

# Labels that introduce a byline, longest first where one starts another.
# A row ending in a letter matches as a whole word ("By", not "Bylaw").
AUTHOR_TEXT_LABELS = (
    "作者", "记者", "文/图", "图/文", "文/", "文／", "文 /", "撰文", "撰稿", "责任编辑", "编辑", "通讯员", "供稿",
    "View all posts by", "All posts by", "Written by", "Posted by", "Words by", "Reported by", "Story by", "By", "Author", "Autorin", "Autor",
    "Von", "Par", "Auteur", "Por", "Di", "Door", "Av", "Af", "Автор",
)
# Class tokens marking the element that holds the byline: a token whose
# last word (split on - and _) is one of these, or whose last word is in
# AUTHOR_MARKUP_NAME_WORDS after one of these ("post-author", "byline",
# "author-name"; not "author-bio" or "author-social", an author box's parts).
AUTHOR_MARKUP_WORDS = frozenset(("author", "authors", "byline", "bylines", "byl", "writer", "autor", "auteur", "zuozhe"))
AUTHOR_MARKUP_NAME_WORDS = frozenset(("name", "names", "link"))
# Between two names of one byline ("A and B", "A, B", "张三、李四", "张三 李四").
AUTHOR_NAME_SEPARATORS = (" and ", " & ", " und ", " et ", " y ", " e ", " i ", " och ", " og ", " en ",
                          " и ", "、", "，", ",", ";", "；", " / ", "/", " 和 ")
# Lower-case words a Latin name may hold ("Ludwig van Beethoven", "Ana de la Cruz").
AUTHOR_NAME_PARTICLES = frozenset((
    "de", "da", "das", "do", "dos", "du", "del", "della", "der", "den", "di", "la", "le", "van", "von",
    "zu", "ter", "ten", "bin", "ibn", "al", "el",
))
# Words that make a byline a desk, a publisher, a role or a placeholder, not a person.
AUTHOR_NOT_PERSON_WORDS = frozenset((
    "staff", "editorial", "editor", "editors", "desk", "bureau", "team", "newsroom", "reports", "report",
    "news", "press", "media", "group", "agency", "wire", "online", "magazine", "network", "radio", "tv",
    "inc", "ltd", "llc", "gmbh", "ag", "corp", "company", "foundation", "association", "institute",
    "university", "international", "service", "services", "sport", "sports", "daily", "weekly", "times",
    "writer", "correspondent", "contributor", "columnist", "reporter", "photographer", "admin",
    "administrator", "webmaster", "guest", "anonymous", "unknown", "redaktion", "rédaction", "redacción",
    "redazione", "гость", "редакция", "letters", "the", "publisher", "publishers", "publishing", "verlag",
))
# Chinese bylines that name no person; a Han name ends in none of these
# (a newspaper, desk, office or branch: "新华社", "本报", "编辑部", "党支部").
AUTHOR_NOT_PERSON_HAN = ("本报", "本站", "本刊", "小编", "佚名", "匿名", "未知", "网友", "管理员", "编辑部", "新闻", "中心")
AUTHOR_NOT_PERSON_HAN_ENDINGS = ("网", "网络", "报", "社", "部", "台", "站", "刊", "局", "厅", "委", "会", "院", "所", "处", "司", "集团", "公司", "中心", "科技")
# A Chinese name read from text (not from <meta> or JSON-LD) starts with a family name (first character).
AUTHOR_HAN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "上诸东皇尉公慕宇令"  # 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 宇文 令狐
)
# A Chinese name is this many Han characters (fewest, most, most for a
# transliterated one with "·" inside: "欧阳·明月", "约翰·史密斯").
AUTHOR_HAN_NAME_CHARS = (2, 4, 12)

# A CJK share of letters above this makes an unlabeled page Chinese.
CJK_LANGUAGE_SHARE = 0.3

# Pagination links (crawler/extract/pagenumbers.py; listings and split
# articles): link text, lowercased, with surrounding arrows stripped -> the
# page it leads to, from the current one. A link whose text is a page
# number ("2", "第2页", "[3]") leads to that page.
PAGINATION_TEXTS = {
    "下一页": "next", "下页": "next", "后页": "next", "下一頁": "next", "next": "next", "next page": "next",
    "older posts": "next", "older entries": "next", "»": "next", "›": "next",
    "上一页": "previous", "上页": "previous", "前页": "previous", "上一頁": "previous", "previous": "previous",
    "prev": "previous", "previous page": "previous", "newer posts": "previous", "«": "previous", "‹": "previous",
    "尾页": "last", "末页": "last", "最后一页": "last", "last": "last", "last page": "last",
}

# Articles split over pages (crawler/parts.py): the address shapes of part N
# of an article, as a regular expression over the URL's path (group `n` the
# part number, removed with the separator before it to give part 1's path),
# or a query parameter naming the part. A link is a part only when its
# address is this page's in one of these shapes and its text says the same
# number (crawler.pagination), so the next article's rel=next is no part.
PART_PATH_SHAPES = {
    "underscore": r"_(?P<n>\d{1,2})(?=\.[a-z]{3,5}$)",    # /news/123456_2.html (DedeCMS, PHPCMS portals)
    "segment": r"(?<=[^/])/(?P<n>\d{1,2})/?$",             # /2024/05/a-slug/2/ (WordPress <!--nextpage-->)
}
PART_QUERY_PARAMS = ("page", "pg", "pn", "part")            # /article.php?id=7&page=2 (not WordPress's ?p=, a post id)
# Words beside the page numbers under a body ("Pages: 1 2 3", "页码：1 2"):
# a short block of pagination links and these is no article text (clean.py).
PAGE_NUMBER_LABELS = ("pages", "page", "part", "of", "页码", "分页", "第", "页", "共")
