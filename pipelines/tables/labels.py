"""The national templates' labels (domain.md §4.3–4.5) and the one key each maps to.

A label is matched on its *fold*: NFKC (full/half width), Simplified (the caller converts), numbering
(一、 （三） 1. ①) and trailing notes in brackets dropped, punctuation, quotes and spaces removed. Keys are
the fold of the official label, the 2019 name where both templates print the same figure under two names
(本年新制作数量 / 本年制发件数, 处理决定数量 / 本年处理决定数量, 规范性文件 / 行政规范性文件).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SECTION2, SECTION3, SECTION4 = "主动公开", "申请", "复议诉讼"

_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．,，]|\(?[一二三四五六七八九十]+\)|\d{1,2}(?:[.、．,，)]|\s)|"
                           r"[①-⑳]|第[一二三四五六七八九十]+[项部分])+")
_NOTE_RE = re.compile(r"\([^()]*\)$")
_DROP_RE = re.compile(r"[\W_]+")          # punctuation, quotes, spaces
_UNIT_NOTE_RE = re.compile(r"单位[:：]?\s*(万元|元|件|项|个|条)")


@lru_cache(maxsize=8192)       # every report prints the same few hundred labels
def fold(label: str) -> str:
    "The comparable form of a Simplified label (see the module's doc)."
    text = unicodedata.normalize("NFKC", label).strip()
    text = _NUMBERING_RE.sub("", text).strip()
    while True:
        shorter = _NOTE_RE.sub("", text).strip()
        if shorter == text or not shorter:
            break
        text = shorter
    return _DROP_RE.sub("", text)


def unit_note(label: str) -> str | None:
    "The unit a header states in a note: 本年收费金额（单位：万元） → 万元."
    m = _UNIT_NOTE_RE.search(unicodedata.normalize("NFKC", label))
    return m.group(1) if m else None


def _keys(*labels: str) -> dict[str, str]:
    return {fold(x): fold(x) for x in labels}


# --- section 三: 收到和处理政府信息公开申请情况 ------------------------------------------------------------

NEW, CARRIED, TOTAL, NEXT = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
                             "本年度办理结果/总计", "结转下年度继续办理")
RESULTS = "本年度办理结果"
_WITHHELD = ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项")
_UNAVAILABLE = ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")
_NOT_HANDLED = ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                "要求行政机关确认或重新出具已获取信息")
_OTHER_2021 = ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他")


def _path(*parts: str) -> str:
    return "/".join(fold(p) for p in parts)


OTHER = _path(RESULTS, "其他处理")
RESULT_ROWS_COMMON = ([_path(RESULTS, "予以公开"), _path(RESULTS, "部分公开")]
                      + [_path(RESULTS, "不予公开", x) for x in _WITHHELD]
                      + [_path(RESULTS, "无法提供", x) for x in _UNAVAILABLE]
                      + [_path(RESULTS, "不予处理", x) for x in _NOT_HANDLED])
OTHER_2021 = [_path(RESULTS, "其他处理", x) for x in _OTHER_2021]
SEC3_ROWS = {
    "2019": [NEW, CARRIED, *RESULT_ROWS_COMMON, OTHER, TOTAL, NEXT],
    "2021": [NEW, CARRIED, *RESULT_ROWS_COMMON, *OTHER_2021, TOTAL, NEXT],
}
# fold of an item's own label → its key; '其他' and '总计' are read in context (sec3_row)
SEC3_LABELS: dict[str, str] = {fold(NEW): NEW, fold(CARRIED): CARRIED, fold(NEXT): NEXT,
                               "本年新收政府信息公开申请数": NEW, "上年结转政府信息公开申请数": CARRIED}
for _key in RESULT_ROWS_COMMON + OTHER_2021[:2] + [OTHER]:
    SEC3_LABELS[_key.rsplit("/", 1)[1]] = _key
SEC3_GROUPS = frozenset(fold(x) for x in (RESULTS, "不予公开", "无法提供", "不予处理"))

APPLICANTS = ("自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
              "法人或其他组织/法律服务机构", "法人或其他组织/其他")
SEC3_COLS = (*APPLICANTS, "总计")


def sec3_row(folds: list[str], previous: str | None) -> str | None:
    """The key of a section-三 data row from the folds of its label cells (most specific last), or None.
    '其他' is the 2021 其他处理 item only right after its siblings; '总计' is the （七） row."""
    for f in reversed(folds):
        key = SEC3_LABELS.get(f)
        if key:
            return key
        if f == "总计":
            return TOTAL
        if f == "其他" and previous and previous.startswith(OTHER + "/"):
            return OTHER_2021[2]
    return None


# --- section 四: 行政复议 / 行政诉讼 ---------------------------------------------------------------------

SEC4_ROWS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
SEC4_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


# --- section 二: 主动公开 (第二十条 items) ---------------------------------------------------------------

SEC2_ROWS: dict[str, tuple[str, str]] = {     # fold of the row label → (key, item of 第二十条)
    "规章": ("规章", "一"), "规范性文件": ("规范性文件", "一"), "行政规范性文件": ("规范性文件", "一"),
    "行政许可": ("行政许可", "五"), "其他对外管理服务事项": ("其他对外管理服务事项", "五"),
    "行政处罚": ("行政处罚", "六"), "行政强制": ("行政强制", "六"),
    "行政事业性收费": ("行政事业性收费", "八"), "政府集中采购": ("政府集中采购", "九"),
}
SEC2_COLS: dict[str, str] = {
    **_keys("本年新制作数量", "本年新公开数量", "对外公开总数量", "本年废止件数", "现行有效件数",
            "上一年项目数量", "处理决定数量", "本年收费金额", "采购项目数量", "采购总金额"),
    "本年制发件数": "本年新制作数量", "本年处理决定数量": "处理决定数量", "本年增减": "本年增减",
    "增减": "本年增减", "本年增加减少": "本年增减",
}
# the columns each template prints, when a report's own header row is missing or garbled
SEC2_DEFAULT = {
    "2019": {"一": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
             "五": ("上一年项目数量", "本年增减", "处理决定数量"),
             "六": ("上一年项目数量", "本年增减", "处理决定数量"),
             "八": ("上一年项目数量", "本年增减"), "九": ("采购项目数量", "采购总金额")},
    "2021": {"一": ("本年新制作数量", "本年废止件数", "现行有效件数"), "五": ("处理决定数量",),
             "六": ("处理决定数量",), "八": ("本年收费金额",)},
}
SEC2_UNITS = {"本年新制作数量": "件", "本年新公开数量": "件", "对外公开总数量": "件", "本年废止件数": "件",
              "现行有效件数": "件", "上一年项目数量": "项", "本年增减": "项", "处理决定数量": "件",
              "本年收费金额": "万元", "采购项目数量": "项"}
SIGNED = frozenset(("本年增减",))     # may be negative by design: outside the non-negative check

# --- templates (domain.md §4.7) -------------------------------------------------------------------------

MARKERS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
                "逾期不补正", "逾期未按收费通知")
MARKERS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量",
                "采购总金额")
ITEM9_RE = re.compile(r"第二十条第[(（]九[)）]项")
