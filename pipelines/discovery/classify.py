"""Is this link the disclosure section, the 年报 column, a sub-column of it or a report?

Decisions come with short stable reason strings (they become stats keys). Data: keywords.py; the report
rules both this and the page classifier use: reports.py."""
from __future__ import annotations

import re

from pipelines.discovery import keywords as kw
from pipelines.discovery.files import attachment_type
from pipelines.discovery.links import Link
from pipelines.discovery.reports import (_ARTICLE_URL_RE, _COLUMN_SLUG_RE, _SECTION_SLUG_RE, _WEAK_RE,
                                         _column_context, _first_group, _max_year, _url_tokens, fold,
                                         is_report_title, title_years)

# a year as a sub-column names it, with what may follow it ("2020年报", "二〇二二年度"); folded text
_SUBCOLUMN_YEAR_RE = re.compile(
    r"(?:(?<!\d)(?:19|20)\d{2}(?!\d)|[" + "".join(kw.CHINESE_DIGITS) + r"]{4}(?=年))"
    r"(?:" + "|".join(s.replace("年报", "年报(?![" + kw.NOT_NIANBAO_AFTER + "])")
                      for s in kw.SUBCOLUMN_YEAR_SUFFIXES) + ")?")
_SUBCOLUMN_REPORT_RE = re.compile("|".join(sorted(kw.SUBCOLUMN_REPORT_WORDS, key=len, reverse=True)))
_SUBCOLUMN_UNITS_RE = re.compile(
    "(?:" + "|".join(sorted(kw.SUBCOLUMN_GROUPS + kw.SUBCOLUMN_MODIFIERS, key=len, reverse=True)) + ")+")
_SUBCOLUMN_GROUP_RE = re.compile("|".join(sorted(kw.SUBCOLUMN_GROUPS, key=len, reverse=True)))


# --- links -----------------------------------------------------------------------------------------

def _best(text: str, table: tuple[tuple[str, float], ...]) -> float:
    best = 0.0
    for word, weight in table:
        if weight > best and word in text:
            if word == "年报" and not _WEAK_RE.search(text):
                continue
            best = weight
    return best


def _scores(link: Link) -> tuple[float, float, float, float]:
    text = fold(link.text)
    tokens = _url_tokens(link.url)
    return (_best(text, kw.COLUMN_TEXT), _best(text, kw.SECTION_TEXT),
            kw.COLUMN_URL_WEIGHT if _COLUMN_SLUG_RE.search(tokens) else 0.0,
            kw.SECTION_URL_WEIGHT if _SECTION_SLUG_RE.search(tokens) else 0.0)


def _truncated_report(text: str) -> bool:
    "'…2024年政府信息公开工作…': a list cut the title before 年度报告 (and gave no title attribute)."
    t = text.rstrip()
    if not t.endswith(kw.ELLIPSES):
        return False
    folded = fold(t)
    return (any(w in folded for w in kw.DISCLOSURE_WORDS)
            and any(kw.MIN_REPORT_YEAR <= y <= _max_year() for y in title_years(t))
            and _first_group(folded, kw.LOOKALIKES_FIRST + kw.LOOKALIKES) is None)


def subcolumn_title(text: str) -> tuple[bool, str]:
    """(sub-column?, reason) for a link text on a page already inside the 年报 column. Kept:
    'subcolumn:year' ('2023年', '2022年度', '2021', '2020年报', '2022年度报告') or 'subcolumn:group'
    ('县政府部门', '乡镇（街道）', '2023年部门年报', '乡镇2022年度'). Rejected: 'lookalike:…', 'year-range'
    (a year outside 2008..next year), 'not-subcolumn'."""
    t = fold(text)
    if not t or len(t) > kw.SUBCOLUMN_MAX_CHARS:
        return False, "not-subcolumn"
    reason = _first_group(t, kw.LOOKALIKES_FIRST + kw.LOOKALIKES)
    if reason:
        return False, reason
    years = title_years(text)
    rest = _SUBCOLUMN_REPORT_RE.sub("", _SUBCOLUMN_YEAR_RE.sub("", t))
    if not rest:
        kind = "subcolumn:year" if years else None   # a bare '年报' is the column itself
    elif _SUBCOLUMN_UNITS_RE.fullmatch(rest) and _SUBCOLUMN_GROUP_RE.search(rest):
        kind = "subcolumn:group"
    else:
        kind = None
    if kind is None:
        return False, "not-subcolumn"
    if not all(kw.MIN_REPORT_YEAR <= y <= _max_year() for y in years):
        return False, "year-range"
    return True, kind


def subcolumn_context(column: str | None, text: str) -> str | None:
    """The list name a sub-column's reports carry (Capture.context): the 年报 column's own name when it
    reads as one, else the sub-column's when that does ('2023年部门年报' under a column linked as '更多>>');
    a bare '2023年' would not settle an ambiguous title, the column's name does."""
    for name in (column, text):
        if name and _column_context(name, "") == "context":
            return name
    return column


def classify_link(link: Link, in_column: bool = False) -> str | None:
    """'report', 'column' (the 年报 column), 'section' (the disclosure entry), 'subcolumn' or None. A
    year-less '政府信息公开年报' is the column; '2020年政府信息公开工作年度报告' (or an ambiguous '2020年度报告')
    a report. On a page inside the column (`in_column`), a year or group name is a 'subcolumn' (see
    subcolumn_title): there '2022年度报告' is more often that year's list than a report, and a list fetched
    as a report loses every report it lists. A full title stays a report ('2022年政府信息公开工作年度报告' is
    the county's own) unless only a group issues it ('2021年度各部门政府信息公开年报')."""
    keep, reason = is_report_title(link.text)
    # a file is never a list ('2022年度报告' → …/P020230120.pdf)
    sub = subcolumn_title(link.text)[1] if in_column and not attachment_type(link.url) else None
    if sub == "subcolumn:group" or (sub == "subcolumn:year" and not keep):
        return "subcolumn"
    if keep or reason == "ambiguous" or _truncated_report(link.text):
        return "report"
    if reason.startswith("lookalike:") or reason == "year-range":
        return None
    col_text, sec_text, col_url, sec_url = _scores(link)
    # text beats URL: a text weight (≥ 2) outranks a URL weight on the other side of the comparison
    column = col_text * 2 + col_url
    section = sec_text * 2 + sec_url
    if column == section == 0:
        return None
    if column >= section:
        return "column"
    # a dated headline ("召开2021年政务公开工作推进会") or an article's URL mentions the section; it is not
    # the way in
    if title_years(link.text) or _ARTICLE_URL_RE.search(_url_tokens(link.url).partition("#")[0]):
        return None
    return "section"


def section_score(link: Link) -> float:
    "Ranking for bounded navigation: higher = more likely to lead to the 年报 column; 0 = irrelevant."
    keep, reason = is_report_title(link.text)
    if reason.startswith("lookalike:") or reason == "year-range":
        return 0.0
    col_text, sec_text, col_url, sec_url = _scores(link)
    return max(col_text, sec_text) + col_url + sec_url
