"""Words and slugs that identify the disclosure section, the 年报 column, reports and their look-alikes.

Data only (domain.md §0, §3.7, §4.2). Chinese keywords are Simplified: text is folded through
TRAD_TO_SIMP first, so 信息公開/年報/政務公開 match without listing every Traditional spelling."""
from __future__ import annotations

# Traditional → Simplified for the characters our keywords use (a fold for matching, not a converter)
_TRAD = ("開報務體況動處請復議訴訟問題進項預決統計業門經濟發規範關於讀圖會組織戶為與錄導單機構編號類總結劃區縣廳屬專欄歷製個農員費準則產環狀態護責審書實細後頁國辦網檢標採購衛質財稅資訊條例獎懲據況數計劃綜減內設佈覆徵複鑑華見"
         "鄉鎮蘇園級")
_SIMP = ("开报务体况动处请复议诉讼问题进项预决统计业门经济发规范关于读图会组织户为与录导单机构编号类总结划区县厅属专栏历制个农员费准则产环状态护责审书实细后页国办网检标采购卫质财税资讯条例奖惩据况数计划综减内设布复征复鉴华见"
         "乡镇苏园级")
assert len(_TRAD) == len(_SIMP)
TRAD_TO_SIMP = str.maketrans(_TRAD, _SIMP)

ELLIPSES: tuple[str, ...] = ("...", "…", "..", "‥")  # how list pages mark a cut title
MIN_REPORT_YEAR = 2008  # first year under the 2007 条例 (in force 2008-05-01)
CHINESE_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "Ο": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                  "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

# --- navigation ------------------------------------------------------------------------------------
# (keyword, weight) on the link text; the best match counts
SECTION_TEXT: tuple[tuple[str, float], ...] = (
    ("政府信息公开", 5.0), ("信息公开目录", 5.0), ("法定主动公开内容", 4.5), ("政务公开", 4.0), ("信息公开", 4.0),
    ("公开目录", 3.0), ("政务信息", 2.0),
)
COLUMN_TEXT: tuple[tuple[str, float], ...] = (
    ("政府信息公开工作年度报告", 10.0), ("政府信息公开年度报告", 10.0), ("政府信息公开年报", 10.0),
    ("信息公开年度报告", 9.0), ("信息公开年报", 9.0), ("政务公开年报", 9.0), ("政务公开工作年度报告", 9.0),
    ("年度信息公开报告", 9.0), ("信息公开工作报告", 8.0), ("年度报告", 6.0), ("年报", 5.0),
)
# URL tokens (path or query, lower-case, between non-letters)
SECTION_URL_SLUGS: tuple[str, ...] = ("xxgk", "zwgk", "zfxxgk", "openness", "gkml", "xxgkml", "zfxxgkml", "zwxxgk",
                                      "govinfo", "xxgkzl")
COLUMN_URL_SLUGS: tuple[str, ...] = ("zfxxgknb", "xxgknb", "zwgknb", "gknb", "ndxxgkbg", "xxgkndbg", "zfxxgkndbg",
                                     "ndbg", "nb")
SECTION_URL_WEIGHT = 1.5
# detail (article) pages of the CMS families (domain.md §3): a link to one is never the way into a
# section, whatever its headline says ("鄂温克旗开展政务公开业务培训" is news, not 政务公开)
ARTICLE_URL_PATTERNS: tuple[str, ...] = (
    r"/art/\d{4}/", r"/art_\d+_\d+\.html?$",            # Hanweb
    r"/t\d{8}_\d+(?:_\d+)?\.s?html?$",                  # TRS
    r"/content_\d+\.s?html?$", r"/post_\d+\.html?$",     # gov.cn, Guangdong-style 集约化
    r"/[0-9a-f]{32}\.s?html?$",                           # UCAP
    r"/(?:detail|article|content|show|view)\w*\.(?:jsp|aspx?|php|do)\?",  # in-house detail.jsp?id=N
)
COLUMN_URL_WEIGHT = 3.0

# exact titles of the column itself (after folding, without whitespace and brackets)
COLUMN_NAMES: frozenset[str] = frozenset({
    "年报", "年度报告", "信息公开年报", "信息公开年度报告", "政府信息公开年报", "政府信息公开年度报告",
    "政府信息公开工作年度报告", "政务公开年报", "政务公开年度报告", "年度信息公开报告", "年报专栏",
    "政府信息公开年报专栏", "信息公开年报专栏", "历年年报", "政府信息公开工作年报", "政府信息公开工作报告",
})

# --- reports ---------------------------------------------------------------------------------------
DISCLOSURE_WORDS: tuple[str, ...] = ("信息公开", "政务公开")
# a disclosure word followed within REPORT_GAP characters by one of these makes a report title
# (政府信息公开工作年度报告, 信息公开工作情况的报告; not 政务公开工作要点落实情况的报告)
REPORT_WORDS: tuple[str, ...] = ("年度报告", "年报", "报告")
REPORT_GAP = 6
# with a year but no disclosure word: a report only in the column's context or with a report body
WEAK_REPORT_WORDS: tuple[str, ...] = ("年度报告", "年报")

# (reason, words): the first group that matches names the rejection. Enterprise and notice come first
# because their titles can contain a whole report phrase ("关于报送2020年政府信息公开工作年度报告的通知").
LOOKALIKES_FIRST: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lookalike:enterprise", ("企业年报", "年报公示", "工商年报", "企业年度报告", "年度报告公示", "个体工商户",
                              "农民专业合作社", "年报申报", "年报填报", "年报报送", "年检", "社会组织年度")),
    ("lookalike:notice", ("的通知", "的函", "的批复", "的通报", "报送", "编制和发布", "编制发布", "做好",
                          "征集", "意见建议", "关于开展")),
    ("lookalike:interpretation", ("解读", "图解", "一图读懂", "一图看懂")),
)
LOOKALIKES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lookalike:budget", ("决算", "预算", "三公经费")),
    ("lookalike:guide", ("信息公开指南", "公开指南", "依申请公开指南")),
    ("lookalike:rules", ("信息公开制度", "公开制度", "工作制度", "信息公开规定", "信息公开办法", "信息公开实施",
                         "信息公开条例")),
    ("lookalike:statistics", ("统计公报", "统计年报", "统计年鉴", "统计快报", "国民经济和社会发展统计")),
    ("lookalike:other-report", ("法治政府建设", "法治建设", "依法行政", "环境状况", "社会责任报告", "审计工作报告",
                                "政府工作报告")),
)
# "2023年报名" is 报名 (registration), not 年报
NOT_NIANBAO_AFTER = "名道送表"

# --- sub-columns (links on a page already inside the 年报 column) ----------------------------------
# County sites split the column by year ("2023年", "2022年度", "2020年报") and by who reports ("县政府部门",
# "乡镇（街道）", "2023年部门年报"); each is a list. A link text is a sub-column when, once its years and
# SUBCOLUMN_REPORT_WORDS are taken out, nothing is left (a year sub-column) or only SUBCOLUMN_GROUPS and
# SUBCOLUMN_MODIFIERS, at least one a group. Anything else left over ("部门动态", "2023年1月") is not one.
SUBCOLUMN_REASONS: tuple[str, ...] = ("subcolumn:year", "subcolumn:group")
# what may follow a year inside a sub-column name, longest first ("2020年报" is the year and 年报)
SUBCOLUMN_YEAR_SUFFIXES: tuple[str, ...] = ("年度报告", "年度", "年报", "年")
# the column's own name repeated in a sub-column's ("乡镇政府信息公开年报", "各部门年度报告")
SUBCOLUMN_REPORT_WORDS: tuple[str, ...] = (
    "政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开工作年报", "政府信息公开年报",
    "信息公开工作年度报告", "信息公开年度报告", "信息公开年报", "政务公开工作年度报告", "政务公开年度报告",
    "政务公开年报", "年度报告", "年报", "报告", "年度",
)
# who reports: one of these must be there ("县直" alone is no group)
SUBCOLUMN_GROUPS: tuple[str, ...] = (
    "部门", "单位", "机关", "乡镇", "街道", "镇街", "乡街", "办事处", "苏木", "委办局", "开发区", "园区",
    "管委会", "县区", "区县", "县市区", "市县", "本级", "乡", "镇",
)
# words that may stand around them ("县政府部门", "市直部门", "区直属单位", "各乡镇")
SUBCOLUMN_MODIFIERS: tuple[str, ...] = (
    "人民政府", "政府", "直属", "所属", "下属", "组成", "其他", "工作", "各", "全", "省", "市", "县", "区", "旗",
    "州", "盟", "直", "级", "属", "和", "及", "与", "、",
)
SUBCOLUMN_MAX_CHARS = 24  # folded; longer texts are headlines, not column names
SUBCOLUMN_DEPTH = 2       # sub-columns nested inside the column: a year under a group, or a group under a year

# --- bodies (a fetched page) -----------------------------------------------------------------------
# the six section headings of the 2019/2021 format (domain.md §4.2), as regexes on folded text
SECTION_HEADINGS: tuple[str, ...] = (
    r"[一1][、.]?总体情况",
    r"主动公开政府信息情况",
    r"收到和处理政府信息公开申请情况",
    r"政府信息公开行政复议[、,]?行政诉讼情况",
    r"存在的主要问题及改进情况",
    r"其他需要报告的事项",
)
# phrases of the 2008–2018 free format
LEGACY_PHRASES: tuple[str, ...] = (
    r"主动公开政府信息的?情况", r"依申请公开政府信息的?情况", r"政府信息公开的?收费及减免情况",
    r"因政府信息公开申请(?:提起)?行政复议", r"政府信息公开工作存在的主要问题", r"中华人民共和国政府信息公开条例",
    r"本年度报告中所列数据的统计期限", r"本报告(?:中所列数据)?的?统计期限",
)
BODY_STRONG = 4   # markers needed for the body alone to make a report
BODY_SUPPORT = 2  # markers that confirm an ambiguous title
LIST_MIN_TITLES = 3  # distinct report titles in a body without section headings: a list page
# …or report links on a page whose own text is this short: a 汇总/专题 list whose list the cleaner dropped
LIST_MAX_TEXT_CHARS = 1000
MAX_BODY_CHARS = 400_000
