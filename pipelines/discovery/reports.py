"""Is this page, or this title, an annual report? The rules link classification (``classify``) and page
classification (``pipelines.extract``'s classify stage) share.

Decisions come with short stable reason strings (they become stats keys). Data: keywords.py."""
from __future__ import annotations

import datetime
import re
import unicodedata
from urllib.parse import unquote

from pipelines.discovery import keywords as kw

_SPACE_PUNCT_RE = re.compile(r"[\s\u3000\xa0\[\]【】()（）《》<>「」『』\"'“”‘’:：·•_\-—|,，。.!！?？]+")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_YEAR_RE = re.compile("([" + "".join(kw.CHINESE_DIGITS) + r"]{4})\s*年")
_DISCLOSURE_REPORT_RE = re.compile(
    "(?:" + "|".join(kw.DISCLOSURE_WORDS) + ").{0,%d}?(?:" % kw.REPORT_GAP + "|".join(kw.REPORT_WORDS) + ")")
_WEAK_RE = re.compile("(?:年度报告|年报(?![" + kw.NOT_NIANBAO_AFTER + "]))")
# a report title inside a body; a page listing several of them (a year's index page) is a list, not a report
# two years joined as a span (2014—2018, 2014-2018年, 2014年至2018年): several years, not one report
_YEAR_SPAN_RE = re.compile(r"(?:19|20)\d{2}\s*年?\s*[-—–~～至到]+\s*(?:19|20)\d{2}")
_TITLE_IN_BODY_RE = re.compile(r"(?:19|20)\d{2}年[^。\n]{0,40}?(?:信息公开|政务公开)[^。\n]{0,8}?(?:年度报告|年报)")
_SECTION_RES = tuple(re.compile(p) for p in kw.SECTION_HEADINGS)
_LEGACY_RES = tuple(re.compile(p) for p in kw.LEGACY_PHRASES)


def _slug_re(slugs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(sorted(slugs, key=len, reverse=True)) + r")(?![a-z])")


_SECTION_SLUG_RE = _slug_re(kw.SECTION_URL_SLUGS)
_COLUMN_SLUG_RE = _slug_re(kw.COLUMN_URL_SLUGS)
_ARTICLE_URL_RE = re.compile("|".join(kw.ARTICLE_URL_PATTERNS))


def _url_tokens(url: str) -> str:
    "Path and query, lower-case and unquoted; the host is left out (xxgk.example.gov.cn is every page)."
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return unquote(rest[slash:]).lower() if slash >= 0 else ""


# NFKC of a full-width form or the ideographic space is one ASCII character
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULLWIDTH = {c: unicodedata.normalize("NFKC", c) for c in map(chr, [*range(0xFF01, 0xFF5F), 0x3000])}
_TRAD_RE = re.compile("[" + "".join(map(chr, kw.TRAD_TO_SIMP)) + "]")


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, cheaply for Chinese prose: its full-width punctuation
    and digits (the usual reason a text is not NFKC) are replaced by their NFKC forms first, which
    leaves the text's NFKC unchanged, and most texts are then normalized already (a fast check)."""
    for c in set(_FULLWIDTH_RE.findall(text)):
        text = text.replace(c, _FULLWIDTH[c])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def simplify_keywords(text: str) -> str:
    "``text.translate(kw.TRAD_TO_SIMP)``: Traditional→Simplified for the characters our keywords use."
    # translate() looks up every character; a text holds few distinct ones of these, each replaced in C
    for c in set(_TRAD_RE.findall(text)):
        text = text.replace(c, chr(kw.TRAD_TO_SIMP[ord(c)]))
    return text


def fold(text: str | None) -> str:
    "NFKC (full-width digits), Traditional→Simplified for our keywords, whitespace and brackets removed."
    if not text:
        return ""
    return _SPACE_PUNCT_RE.sub("", simplify_keywords(nfkc(text)))


def title_years(title: str) -> list[int]:
    "Years written in a title, Arabic (any width) or Chinese (二〇二〇年)."
    t = unicodedata.normalize("NFKC", title)
    years = [int(y) for y in _YEAR_RE.findall(t)]
    for m in _CN_YEAR_RE.finditer(t):
        digits = "".join(kw.CHINESE_DIGITS[c] for c in m.group(1))
        if digits[:2] in ("19", "20"):
            years.append(int(digits))
    return years


def _max_year() -> int:
    return datetime.date.today().year + 1


def _first_group(text: str, groups) -> str | None:
    for reason, words in groups:
        if any(w in text for w in words):
            return reason
    return None


def is_report_title(title: str) -> tuple[bool, str]:
    """(keep?, reason) for a title or link text. Kept: 'title'. Rejected: 'lookalike:…', 'column', 'no-year',
    'year-range' (a year outside 2008..next year), 'ambiguous' (a year and 年报/年度报告 but no 信息公开 —
    the list context or the body decides, see is_report), 'not-report'."""
    t = fold(title)
    if not t:
        return False, "not-report"
    reason = _first_group(t, kw.LOOKALIKES_FIRST)
    if reason:
        return False, reason
    years = title_years(title)
    in_range = [y for y in years if kw.MIN_REPORT_YEAR <= y <= _max_year()]
    if _DISCLOSURE_REPORT_RE.search(t):
        if in_range:
            return True, "title"
        if years:
            return False, "year-range"
        return False, "column" if t in kw.COLUMN_NAMES else "no-year"
    reason = _first_group(t, kw.LOOKALIKES)
    if reason:
        return False, reason
    if t in kw.COLUMN_NAMES:
        return False, "column"
    if _WEAK_RE.search(t):
        if _YEAR_SPAN_RE.search(nfkc(title)):   # fold() drops the dash
            return False, "column"   # 历年年报（2014—2018年）: an archive of several years' reports
        if in_range:
            return False, "ambiguous"
        return False, "year-range" if years else "no-year"
    return False, "not-report"


def body_markers(body: str | None) -> int:
    "How many of the six section headings and legacy-format phrases the text holds."
    if not body:
        return 0
    t = fold(body[:kw.MAX_BODY_CHARS])
    six = sum(1 for r in _SECTION_RES if r.search(t))
    return six + sum(1 for r in _LEGACY_RES if r.search(t))


def listed_reports(body: str | None) -> int:
    "How many distinct report titles the text names (a list page names many, a report one or two)."
    if not body:
        return 0
    t = simplify_keywords(nfkc(body[:kw.MAX_BODY_CHARS]))
    titles = set()
    for m in _TITLE_IN_BODY_RE.finditer(t):
        # the issuer before the year tells the titles apart ("示例市教育局2020年…")
        start = max(t.rfind("\n", 0, m.start()), t.rfind("。", 0, m.start()), m.start() - 30, -1) + 1
        titles.add(t[start:m.end()].strip())
    return len(titles)


def _column_context(context: str | None, url: str) -> str | None:
    if context:
        c = fold(context)
        if _WEAK_RE.search(c) and _first_group(c, kw.LOOKALIKES_FIRST + kw.LOOKALIKES) is None:
            return "context"
    if url and _COLUMN_SLUG_RE.search(_url_tokens(url)):
        return "url"
    return None


def is_report(title: str, url: str = "", body: str | None = None, context: str | None = None,
              listed_links: int = 0) -> tuple[bool, str]:
    """Final decision for a fetched page: the title first; an ambiguous or missing title is settled by
    the body (section headings 一…六, legacy phrases) or by the list it came from (`context`, or a 年报
    column slug in `url`). Reasons: 'title', 'title+body', 'title+context', 'title+url', 'body', or
    is_report_title's rejection, or 'list-page' (a report-like title over a body listing several reports,
    or over a short text beside `listed_links` links to other reports: a year's 汇总 page)."""
    keep, reason = is_report_title(title or "")
    markers = body_markers(body)
    if keep:
        if markers >= kw.BODY_SUPPORT:
            return True, "title+body"
        if _lists_reports(body, listed_links):
            return False, "list-page"  # "2020年政府信息公开年度报告" as the index of that year's reports
        return True, "title"
    if reason.startswith("lookalike:") or reason == "year-range":
        return False, reason
    if reason == "ambiguous":
        if markers >= kw.BODY_SUPPORT:
            return True, "title+body"
        if _lists_reports(body, listed_links):
            return False, "list-page"
        where = _column_context(context, url)
        if where:
            return True, f"title+{where}"
        return False, reason
    if reason == "no-year" and markers >= kw.BODY_SUPPORT:
        return True, "title+body"
    if markers >= kw.BODY_STRONG:
        return True, "body"
    return False, reason


def _lists_reports(body: str | None, listed_links: int) -> bool:
    "A body naming several report titles, or a short one beside several links to reports: a list."
    return listed_reports(body) >= kw.LIST_MIN_TITLES or (
        listed_links >= kw.LIST_MIN_TITLES and len("".join((body or "").split())) < kw.LIST_MAX_TEXT_CHARS)


def reads_as_report(text: str | None) -> bool:
    """A page's text holds one report (the section headings), not a list of them: a year sub-column link
    that led to the report itself."""
    return body_markers(text) >= kw.BODY_SUPPORT and listed_reports(text) < kw.LIST_MIN_TITLES
