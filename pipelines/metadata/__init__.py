"""The metadata of one report page: title, the 目录信息 block, national meta tags, report year.

Pure (lxml only, no Scrapy). ``extract_metadata`` parses the page once, drops what a reader cannot
see (scripts, ``display:none`` subtrees, the ``hide`` utility class), then reads every label/value
pair **by label text** from the part of the page before and around the body: label/value tables
(2 or 4 columns, or pairs in one row), ``<p><strong>索引号</strong>：…``, UCAP ``<dl><dd
class="IndexNo"><label>索 引 号：</label><div>…</div>``, ``<li>label: value</li>`` and inline runs
``索引號: X 發布機構: Y`` in one line. Each column then takes the first source that has it, in the
fixed order of its ``extract_<field>`` function: visible labels (labels.py order of preference),
then the national ``<meta name=…>`` tags (domain.md §3.1, §3.5). Visible values win over meta tags:
on real pages PubDate is often a later re-publication date.

Modules: ``metadata_html`` (parse, visibility, meta tags), ``metadata_title`` (the heading),
``metadata_block`` (label/value pairs), ``dates`` (dates and report years); this one holds the
fields and their order of fallbacks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from pipelines.metadata.dates import (FIRST_REPORT_YEAR, find_date, iter_report_year_candidates, parse_date, plausible_report_year,
                             report_year_from)
from pipelines.labels import LABELS
from pipelines.labels import column_for
from pipelines.metadata.block import Pair, read_pairs, read_segments
from pipelines.metadata.html import parse_html, read_gov_meta, squash
from pipelines.metadata.title import clean_title, extract_title, find_title, prune_for_title, title_from_title_element

__all__ = ["Metadata", "extract_metadata", "extract_title", "parse_date", "report_year_from"]


@dataclass
class Metadata:
    title: str | None = None
    index_no: str | None = None
    publisher: str | None = None     # 发布机构, else 发文机关, else ContentSource meta
    published: str | None = None     # 'YYYY-MM-DD': 发布日期, else 成文日期, else PubDate meta
    written: str | None = None       # 成文日期
    doc_no: str | None = None        # 文号; '无', '-', '/' -> None
    category: str | None = None      # 主题分类/组配分类/公开目录
    site_name: str | None = None
    site_id_code: str | None = None  # 网站标识码 from meta SiteIDCode or footer text
    report_year: int | None = None   # year the report covers
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# a 文号 that says "there is none"
_NO_DOC_NO = frozenset({"无", "無", "-", "--", "—", "——", "/", "暂无", "暫無", "空", "null", "none", "n/a"})


# ---------------------------------------------------------------------------------------------
# the fields, each with its fallbacks in a fixed order

def _labelled(meta: dict[str, str], column: str) -> Iterable[tuple[str, str]]:
    "Non-empty values of a column's labels, in labels.py order of preference."
    for label in LABELS[column]:
        value = meta.get(label)
        if value:
            yield label, value


def _date_of(label: str, value: str, warnings: list[str]) -> str | None:
    date = parse_date(value)
    if date is None:
        found = find_date(value)
        warnings.append(f"impossible date {found[3]} for {label}" if found else f"no date in {value!r} for {label}")
    return date


def extract_block_title(meta: dict[str, str]) -> str | None:
    "The block's 标题/名称 row: visible, so better than the browser <title>."
    for label in ("标题", "標題", "名称", "名稱"):
        if meta.get(label):
            return clean_title(meta[label])
    return None


def extract_index_no(meta: dict[str, str]) -> str | None:
    for _label, value in _labelled(meta, "index_no"):
        return squash(value) if len(squash(value)) <= 40 else value
    return None


def extract_publisher(meta: dict[str, str], gov: dict[str, str]) -> str | None:
    # 1. the block (发布机构 > 发文机关 > … > 来源)  2. ContentSource, which may name the platform
    for _label, value in _labelled(meta, "publisher"):
        return value
    return gov.get("ContentSource")


def extract_written(meta: dict[str, str], warnings: list[str]) -> str | None:
    for label, value in _labelled(meta, "written"):
        date = _date_of(label, value, warnings)
        if date:
            return date
    return None


def extract_published(meta: dict[str, str], written: str | None, gov: dict[str, str],
                      warnings: list[str]) -> str | None:
    # 1. 发布日期/时间 as shown  2. 成文日期  3. PubDate meta (often a later re-publication)
    for label, value in _labelled(meta, "published"):
        date = _date_of(label, value, warnings)
        if date:
            return date
    if written:
        return written
    if gov.get("PubDate"):
        return _date_of("meta:PubDate", gov["PubDate"], warnings)
    return None


def extract_doc_no(meta: dict[str, str]) -> str | None:
    for _label, value in _labelled(meta, "doc_no"):
        # NFKC: '－' and '／' are the same placeholders in full width
        return None if unicodedata.normalize("NFKC", value).strip().lower() in _NO_DOC_NO else value
    return None


def extract_category(meta: dict[str, str]) -> str | None:
    for _label, value in _labelled(meta, "category"):
        return value
    return None


def extract_site_name(gov: dict[str, str]) -> str | None:
    return gov.get("SiteName")


_SITE_ID_TEXT_RE = re.compile(r"(?:网站标识码|網站標識碼)\s*(?:[:：]|&nbsp;|\s|<[^<>]{0,200}>){0,6}\s*((?:bm|BM)?\d{8,10})(?!\d)")
_SITE_ID_ATTR_RE = re.compile(r"""sitecode\s*=\s*["']?((?:bm|BM)?\d{8,10})""", re.I)


def extract_site_id_code(gov: dict[str, str], html: str) -> str | None:
    # 1. SiteIDCode meta  2. the footer line 网站标识码：…  3. the 纠错 script's sitecode attribute.
    # str.find first: a regex scan of a 400 KB page for a rare word costs more than the rest together
    if gov.get("SiteIDCode"):
        return gov["SiteIDCode"]
    for needle, regex in (("网站标识码", _SITE_ID_TEXT_RE), ("網站標識碼", _SITE_ID_TEXT_RE), ("sitecode", _SITE_ID_ATTR_RE),
                          ("siteCode", _SITE_ID_ATTR_RE), ("SiteCode", _SITE_ID_ATTR_RE)):
        start = html.find(needle)
        while start != -1:
            m = regex.match(html, start)
            if m:
                return m.group(1)
            start = html.find(needle, start + 1)
    return None


def extract_report_year(title: str | None, text: str | None, published: str | None,
                        warnings: list[str]) -> int | None:
    # the first plausible candidate, with a warning for each one rejected before it; taken one at
    # a time, so that a title's year spares reading the body
    for source, candidate in iter_report_year_candidates(title, text, published):
        if plausible_report_year(candidate, published):
            return candidate
        warnings.append(f"implausible report year {candidate} from {source}"
                        f" (allowed {FIRST_REPORT_YEAR}..{(published or '')[:4] or 'any'})")
    return None


# ---------------------------------------------------------------------------------------------

_MAX_WARNINGS = 10


def collect_meta(pairs: list[Pair], warnings: list[str]) -> dict[str, str]:
    "label -> first value shown; an empty value gives way to a later filled one."
    meta: dict[str, str] = {}
    for p in pairs:
        old = meta.get(p.label)
        if old is None or (old == "" and p.value):
            meta[p.label] = p.value
        elif p.value and old != p.value and column_for(p.label) and len(warnings) < _MAX_WARNINGS:
            warnings.append(f"conflicting {p.label}: {old!r} kept, {p.value!r} ignored")
    return meta


def extract_metadata(html: str, *, url: str | None = None, text: str | None = None, tree=None) -> Metadata:
    """Everything the page says about itself. ``tree``: the page as the other stages parsed it
    (``pipelines.html.ParsedPage.copy()``: this stage prunes what is hidden from it); parsed here when
    None. ``text`` is the cleaned body, when the caller has it (used only for the report year).
    ``url`` is accepted for symmetry with the other stages; nothing here depends on it yet. A failure
    raises: the stage runner records it as the page's error."""
    warnings: list[str] = []
    if tree is None:
        tree = parse_html(html) if isinstance(html, str) else None
    if tree is None:
        return Metadata(report_year=extract_report_year(None, text, None, warnings), warnings=warnings)
    gov = read_gov_meta(tree)
    watched = prune_for_title(tree)
    title, title_el = find_title(tree, gov, pruned=True, last_resort=False, watched=watched)

    before, after, prose = read_segments(tree, title_el, title)
    # zones in order of trust: above the body, the top of the body, below the body (some
    # templates print the block there); the first zone with a known label is the block
    pairs = []
    for zone in ([s for s in before if not s.in_body], [s for s in before if s.in_body], after):
        pairs = read_pairs(zone)
        if pairs:
            break
    meta = collect_meta(pairs, warnings)
    title = title or extract_block_title(meta) or title_from_title_element(tree, gov)

    written = extract_written(meta, warnings)
    published = extract_published(meta, written, gov, warnings)
    body = text if text else "\n".join(prose)
    md = Metadata(
        title=title,
        index_no=extract_index_no(meta),
        publisher=extract_publisher(meta, gov),
        published=published,
        written=written,
        doc_no=extract_doc_no(meta),
        category=extract_category(meta),
        site_name=extract_site_name(gov),
        site_id_code=extract_site_id_code(gov, html),
        report_year=extract_report_year(title, body, published, warnings),
        meta={**meta, **{f"meta:{name}": value for name, value in gov.items()}},
        warnings=warnings,
    )
    return md
