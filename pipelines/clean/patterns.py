"""Patterns the cleaner matches: body containers, hiding CSS, chrome lines, spam lexicon.

Data, not code (style.md §7.6): tune here, not in the stages. See domain.md §3, §3.6, §5.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


def _alt(tokens: tuple[str, ...]) -> str:
    "Join regex alternatives; an empty group would match everywhere, so refuse it."
    if not tokens:
        raise ValueError("empty alternation")
    return "(?:" + "|".join(tokens) + ")"


# --- stage 1: DOM hygiene -------------------------------------------------------------------

# never text: dropped with their content (their tail text stays)
DROP_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "object", "embed",
    "applet", "canvas", "svg", "math", "select", "option", "button", "textarea", "input", "head",
    "title", "marquee",
    # Word's document properties and settings: in conditional comments when pasted whole, but an
    # editor that strips the comment delimiters leaves them as elements ("Normal 0 7.8 磅 … false")
    "xml", "o:documentproperties", "o:customdocumentproperties", "o:officedocumentsettings", "w:worddocument",
    "w:latentstyles", "m:mathpr",
)

# --- stage 2: body location ------------------------------------------------------------------

# <meta name=…> values that open and close a Hanweb body (compared exactly)
HANWEB_START_NAMES = frozenset(("ContentStart", "contentstart", "CONTENTSTART"))
HANWEB_END_NAMES = frozenset(("ContentEnd", "contentend", "CONTENTEND"))
HANWEB_COMMENT_BEGIN = "<$[信息内容]>begin"
HANWEB_COMMENT_END = "<$[信息内容]>end"


@dataclass(frozen=True)
class ContainerRule:
    """A known CMS body container: an element with any of these class tokens, ids or tag names.

    Matched in one pass over the tree for all rules (cheaper than an XPath scan per rule);
    class tokens split on XML whitespace only, as the XPath ``normalize-space`` test did.
    """
    name: str
    classes: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


# in priority order; the first rule with a substantial match wins
CONTAINER_RULES: tuple[ContainerRule, ...] = (
    ContainerRule("trs", classes=frozenset(("TRS_Editor", "TRS_UEDITOR", "trs_editor_view"))),
    ContainerRule("ucap", ids=frozenset(("UCAP-CONTENT",)), tags=frozenset(("ucapcontent",))),
    ContainerRule("zoom", ids=frozenset(("zoom", "Zoom", "zoomcon", "zoomCon", "ZoomCon"))),
    ContainerRule("generic", classes=frozenset((
        "article-content", "article_content", "pages_content", "main-txt", "con_text", "content_text",
        "article-body", "news_content", "xxgk_content", "content", "contents", "article",
    )), ids=frozenset(("content", "Content", "contentText", "ContentText", "articleContent")),
        tags=frozenset(("article",))),
)
CLASS_SPLIT_RE = re.compile(r"[ \t\n\r]+")   # XML whitespace, not str.split()'s Unicode one

# --- stage 3: text rendering -------------------------------------------------------------------

# elements that end a line (HTML blocks and the UCAP custom tags; trafilatura output is renamed to HTML)
BLOCK_TAGS: frozenset[str] = frozenset((
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption",
    "ucapcontent", "ucaptitle",
))
TABLE_SECTIONS: frozenset[str] = frozenset(("thead", "tbody", "tfoot"))
MAX_COLSPAN = 100   # bigger spans are markup errors; copying them would blow the grid up
MAX_ROWSPAN = 1000
WS_RE = re.compile(r"[\s\u3000\xa0]+")

# --- stage 4: lines -------------------------------------------------------------------------

# chrome that is never report text: a line that STARTS like this (breadcrumb, footer label, widget)
CHROME_START_RES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.I) for p in (
    # breadcrumbs: 您当前的位置：首页 > …, 當前位置, 您当前所在位置 (also after a site name)
    r"^(?:您|你)?(?:当前|當前|现在|現在|目前)?(?:的|所在|所处|所處)?(?:的)?位置\s*[:：]",
    r"^.{0,20}?(?:当前|當前|现在|現在)(?:的|所在|所处|所處)?(?:的)?位置\s*[:：]",
    r"^(?:首页|首頁|网站首页|網站首頁)\s*(?:[>＞»›→/]|\?>\?)",
    r"^[?？\s]*[>＞»›][?？\s]*\S",
    r"^(?:主办|主辦|承办|承辦|协办|協辦|技术支持|技術支持|运行维护|運行維護|维护单位|維護單位|版权所有|版權所有)"
    r"(?:单位|單位)?\s*[:：]",
    r"^(?:上一篇|下一篇|上一條|下一條|上一条|下一条)\s*[:：]",
    r"^(?:相关链接|相關鏈接|相关文章|相關文章|相关稿件|相關稿件|关联稿件|關聯稿件|相关阅读|相關閱讀)\s*[:：]?",
    r"^(?:分享到|分享至)\s*[:：]?",
    r"^[【\[]?\s*(?:字体|字體|字号|字號)\s*[:：]",
))
# chrome markers anywhere in a line that is not a sentence (a report may say 扫一扫 or IPv6 in prose)
CHROME_MARK_RES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.I) for p in (
    r"ICP\s*[备備证證]|[公网網]安[备備]|网站标识码|網站標識碼|网站识别码|網站識別碼|IPv6",
    r"Copyright|©|\(c\)\s*\d{4}",
    r"扫一扫|掃一掃|扫描二维码|掃描二維碼|用手机打开|在手机打开|在手機打開",
    r"Produced\s+By|大汉版通|大漢版通|大汉网络|大漢網絡",
    r"浏览器.{0,20}(?:最佳|浏览效果)|即将离开",
))
SENTENCE_MARK_RE = re.compile(r"[，。；！？]")

# a line made only of these words (and brackets/separators) is a widget or nav row
CHROME_WORDS: frozenset[str] = frozenset((
    "打印", "打印本页", "打印本頁", "打印文章", "列印", "关闭", "關閉", "关闭窗口", "關閉窗口", "关闭本页", "關閉本頁",
    "收藏", "加入收藏", "分享", "分享到", "字体", "字體", "字号", "字號", "大", "中", "小", "默认", "默認",
    "返回顶部", "返回頂部", "回到顶部", "返回", "顶部", "网站地图", "網站地圖", "站点地图", "站點地圖", "联系我们",
    "聯繫我們", "无障碍", "無障礙", "无障碍浏览", "網站無障礙", "网站无障碍", "关怀版", "關懷版", "长者版", "繁体",
    "繁體", "简体", "簡體", "繁體版", "简体版", "English", "登录", "注册", "搜索", "首页", "首頁", "网站首页",
    "网站声明", "網站聲明", "隐私声明", "安全隐私", "网站帮助", "纠错", "我要纠错", "RSS",
    "上一篇", "下一篇", "【", "】", "[", "]", "|", "｜", "/", "·", "-",
))
CHROME_WORD_SPLIT_RE = re.compile(r"[\s【】\[\]|｜/·:：]+")

# chrome only inside a trailing footer cluster that a strong chrome line opened
WEAK_CHROME_RE = re.compile(
    r"^(?:联系电话|聯繫電話|联系方式|電話|电话|传真|傳真|地址|邮编|郵編|邮箱|郵箱|电子邮箱|E-?mail|技术支持|访问量|訪問量)"
    r"\s*[:：]", re.I,
)
# a byline label with nothing after it ('编辑:', '信息来源:') is template residue
EMPTY_BYLINE_RE = re.compile(
    r"^(?:责任编辑|責任編輯|编辑|編輯|信息来源|信息來源|来源|來源|作者|审核|審核|校对|校對)\s*[:：]?\s*$"
)

# --- stage 4: spam (domain.md §5.3) -----------------------------------------------------------

# gambling/lottery vocabulary, Simplified and Traditional; judged on runs, never on one word
# (no bare 足球/篮球/娱乐/官网: a sports bureau lists 足球场 篮球场; runs also need distinct terms)
SPAM_LEXICON: tuple[str, ...] = (
    "彩", "博彩", "赌", "賭", "比分", "开奖", "開獎", "走势", "走勢", "快三", "快3", "11选5", "11選5", "选7",
    "選7", "时时彩", "時時彩", "六合", "百家乐", "百家樂", "棋牌", "麻将", "麻將", "捕鱼", "捕魚", "娱乐城",
    "娛樂城", "真人", "体育app", "體育app", "体育官网", "體育官網", "app下载", "app下載", "app", "币", "幣",
    "竞猜", "競猜", "投注", "下注", "盘口", "盤口", "赔率", "賠率", "老虎机", "老虎機", "进球", "進球", "奖金",
    "獎金", "中奖", "中獎", "快乐十分", "快樂十分", "大赢家", "大贏家", "半全场", "半全場", "pk10", "赛车",
    "賽車", "皇冠", "威尼斯人", "葡京", "澳门", "澳門", "电竞", "電競", "开户", "開戶", "注册送", "註冊送",
    "网投", "網投", "bet", "casino", "游戏下载", "遊戲下載",
)
# longest first, so a token is credited with its most specific term (时时彩, not 彩)
SPAM_LEXICON_RE = re.compile(_alt(tuple(re.escape(t) for t in sorted(SPAM_LEXICON, key=len, reverse=True))), re.I)
# a token holding any of these is a sentence fragment, not a keyword
SENTENCE_PUNCT_RE = re.compile(r"[，。；！？、,;!?]")
# a sentence end with more text glued after it: where a token is cut again (spam appended to a sentence);
# not before closing brackets and quotes, which belong to the sentence
SENTENCE_END_GLUED_RE = re.compile(r"[。！？；!?;]+(?=[^\s。！？；!?;，、,）)」』”’》】\]])")
