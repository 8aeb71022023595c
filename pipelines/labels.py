"""Metadata-block labels (目录信息) and their synonyms, Simplified and Traditional.

Data, not code: the metadata step maps labels to columns with it, and the cleaner uses it to
recognise the metadata block so it never lands in ``text``. See docs: domain.md §3.5.
"""
from __future__ import annotations

import re

# column -> label variants as printed (Simplified first, then Traditional); order = preference
LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索引號", "索取号", "索取號"),
    "publisher": ("发布机构", "發布機構", "發佈機構", "发文机关", "發文機關", "责任部门", "責任部門", "责任单位", "責任單位",
                  "发布单位", "發布單位",
                  "信息来源", "信息來源", "来源", "來源"),
    "published": ("发布日期", "發布日期", "發佈日期", "发布时间", "發布時間", "發佈時間", "公开日期", "公開日期",
                  "时间", "時間"),
    "written": ("成文日期", "成文時間", "成文时间", "發文日期", "发文日期", "生成日期", "印发日期", "印發日期"),
    "doc_no": ("文号", "文號", "发文字号", "發文字號", "发布文号", "發布文號", "文件编号", "文件編號"),
    "category": ("主题分类", "主題分類", "组配分类", "組配分類", "公开目录", "公開目錄", "体裁分类", "體裁分類",
                 "分类", "分類"),
}

# labels that belong to the block but map to no column (kept raw in ``meta``)
OTHER_LABELS: tuple[str, ...] = (
    "公开方式", "公開方式", "公开时限", "公開時限", "公开范围", "公開範圍", "有效性", "名称", "名稱", "标题", "標題",
    "主题词", "主題詞", "关键词", "關鍵詞", "浏览量", "瀏覽量", "浏览次数", "瀏覽次數", "访问量", "訪問量",
    "责任编辑", "責任編輯", "编辑", "編輯", "作者", "字号", "字號", "字体", "字體", "失效日期", "废止日期", "效力状态",
)

_ALL = sorted({v for vs in LABELS.values() for v in vs} | set(OTHER_LABELS), key=len, reverse=True)


def spaced(label: str) -> str:
    "Regex for a label that tolerates spaces between its characters ('索 引 号', NBSP, U+3000)."
    return r"[\s\u3000\xa0]*".join(re.escape(ch) for ch in label)


# a label followed by a colon (half- or full-width), as it starts a label/value pair
LABEL_RE = re.compile("(" + "|".join(spaced(label) for label in _ALL) + r")[\s\u3000\xa0]*[:：]")


_LABEL_NOISE_RE = re.compile(r"[\s\u3000\xa0:：]+")


def normalize_label(raw: str) -> str:
    "'索 引 号：' -> '索引号'."
    return _LABEL_NOISE_RE.sub("", raw)


def column_for(label: str) -> str | None:
    "The reports column a label feeds, or None for labels kept only in ``meta``."
    label = normalize_label(label)
    for column, variants in LABELS.items():
        if label in variants:
            return column
    return None
