"""Dates and report years as Chinese government pages print them. Pure functions, no I/O.

``parse_date`` reads one date out of a metadata value; ``report_year_from`` decides which year a
report covers (title first, then the body's opening, then the publication window). See
docs: domain.md §3.7 (title regex) and §4.1 (deadlines: Jan 31 / Mar 31 of the next year).
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Iterable, Iterator

# years a government page can carry; outside this range a "date" is a serial number or a typo
MIN_YEAR, MAX_YEAR = 1949, 2100
# the 2007 条例 created the annual reports; nothing covers an earlier year
FIRST_REPORT_YEAR = 2007

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"

# y-m-d with any of - / . 年月日 as separators ('2021-01-20', '2021年1月20日', '2021.1.20');
# digits must not run on, so an index number like 2023-0040295 is not a date
_YMD_RE = re.compile(r"(?<!\d)((?:19|20|21)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_COMPACT_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")        # 20210120
_MDY_RE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")       # 01/20/2021 (ASP sites)
_CN_DATE_RE = re.compile(f"({_CN_YEAR})\\s*年\\s*({_CN_SMALL})\\s*月\\s*({_CN_SMALL})\\s*日")


def _cn_small(numeral: str) -> int:
    "'十' -> 10, '二十一' -> 21, '三' -> 3."
    if "十" not in numeral:
        return _CN_DIGITS.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def cn_year(numeral: str) -> int:
    "'二〇二〇' -> 2020 (digit by digit, as years are written)."
    return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))


def find_date(value: str) -> tuple[int, int, int, str] | None:
    """The first date-shaped run in ``value`` as (year, month, day, matched text), valid or not.

    Kept apart from ``parse_date`` so a caller can tell "no date here" from "impossible date".
    """
    if not value:
        return None
    # NFKC turns full-width digits and separators (２０２１／０１／２０) into ASCII
    text = unicodedata.normalize("NFKC", value)
    for regex, order in ((_YMD_RE, (0, 1, 2)), (_MDY_RE, (2, 0, 1)), (_COMPACT_RE, (0, 1, 2))):
        m = regex.search(text)
        if m:
            parts = m.groups()
            return int(parts[order[0]]), int(parts[order[1]]), int(parts[order[2]]), m.group(0)
    m = _CN_DATE_RE.search(text)
    if m:
        return cn_year(m.group(1)), _cn_small(m.group(2)), _cn_small(m.group(3)), m.group(0)
    return None


def parse_date(value: str) -> str | None:
    """'2015-03-24 10:28:10', '2021年1月20日', '2021/01/20', '2021.1.20', '20210120', full-width digits,
    '二〇二一年一月二十日' -> 'YYYY-MM-DD'; impossible dates (2021-02-30) and non-dates -> None."""
    found = find_date(value) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, _ = found
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# report years

_YEAR = r"((?:19|20)\d{2}|" + _CN_YEAR + r")"
# domain.md §3.7, Simplified and Traditional: 2020年(度)…政府信息公开…年(度)报(告); also
# 政务公开工作年度报告 (departments) and the older 政府信息公开工作报告
_REPORT_TITLE_RE = re.compile(
    _YEAR + r"\s*年\s*度?[^。；;\n]{0,40}?(?:信息公[开開]|資訊公[开開]|政[务務]公[开開])"
    r"[^。；;\n]{0,20}?(?:年\s*度?\s*[报報]\s*告?|工作\s*[报報]\s*告|[报報]\s*告)")
# the year after the name: '政府信息公开工作年度报告（2020年度）'
_REPORT_TITLE_AFTER_RE = re.compile(
    r"(?:信息公[开開]|資訊公[开開]|政[务務]公[开開])[^。；;\n]{0,20}?[报報]\s*告?\s*[(（]\s*" + _YEAR + r"\s*年?\s*度?\s*[)）]")
# '本报告所列数据统计期限从2020年1月1日' / '统计期限为2020年1月1日至12月31日'
_PERIOD_RE = re.compile(r"(?:统计|統計)(?:期限|时限|時限|期间|期間)[^。\n]{0,6}?" + _YEAR + r"\s*年\s*1\s*月\s*1\s*日")
# a paragraph opening with the year: '2020年，我区…', '2020年度，', '2020年以来，'
_OPENING_RE = re.compile(r"(?:^|\n)\s*" + _YEAR + r"\s*年\s*(?:度)?\s*(?:[，,]|以来|是|我|全)")
# how far into the body "the first sentences" reach
_BODY_HEAD_CHARS = 800


def _year_value(token: str) -> int:
    token = unicodedata.normalize("NFKC", token)
    return int(token) if token.isdigit() else cn_year(token)


def _plausible(year: int, published_year: int | None) -> bool:
    # a report is published after the year it covers (or, rarely, in its last weeks)
    return FIRST_REPORT_YEAR <= year <= (published_year if published_year else MAX_YEAR)


def report_year_candidates(title: str | None, text: str | None = None,
                           published: str | None = None) -> list[tuple[str, int]]:
    """Every (source, year) the evidence offers, in the fixed order title, body, publication window.

    Unfiltered: ``report_year_from`` picks the first plausible one, and a caller can warn about
    the ones it had to reject.
    """
    return list(iter_report_year_candidates(title, text, published))


def iter_report_year_candidates(title: str | None, text: str | None = None,
                                published: str | None = None) -> Iterator[tuple[str, int]]:
    """``report_year_candidates`` one at a time, for a caller that stops at the first it takes:
    the body (NFKC over its head, three regexes) is read only when the title's year is not taken."""
    if title:
        title = unicodedata.normalize("NFKC", title)
        m = _REPORT_TITLE_RE.search(title) or _REPORT_TITLE_AFTER_RE.search(title)
        if m:
            yield "title", _year_value(m.group(1))
    if text:
        head = unicodedata.normalize("NFKC", text[:_BODY_HEAD_CHARS])
        for source, regex in (("body title", _REPORT_TITLE_RE), ("body period", _PERIOD_RE),
                              ("body opening", _OPENING_RE)):
            m = regex.search(head)
            if m:
                yield source, _year_value(m.group(1))
    pub = parse_date(published) if published else None
    # reports go out by Jan 31 (departments) / Mar 31 (governments); late ones in April
    if pub and int(pub[5:7]) <= 4:
        yield "published", int(pub[:4]) - 1


def report_year_from(title: str | None, text: str | None = None, published: str | None = None) -> int | None:
    """The year a report covers: from the title, else the body's first sentences, else the year
    before ``published`` when that falls in Jan–Apr; sane only if 2007 <= year <= published year."""
    return first_plausible(report_year_candidates(title, text, published), published)


def first_plausible(candidates: Iterable[tuple[str, int]], published: str | None = None) -> int | None:
    "The first of ``report_year_candidates`` that the publication date allows."
    published_year = _published_year(published)
    for _source, year in candidates:
        if _plausible(year, published_year):
            return year
    return None


def plausible_report_year(year: int, published: str | None = None) -> bool:
    "Whether ``first_plausible`` would take this year."
    return _plausible(year, _published_year(published))


def _published_year(published: str | None) -> int | None:
    pub = parse_date(published) if published else None
    return int(pub[:4]) if pub else None
