"""The sums a report's own tables must satisfy (domain.md §4.6), checked, never corrected.

Each check gives what the rule expects, what the table prints, and ok; a check whose cells are missing
or blank cannot run: ``ok`` None, ``detail`` names the cells (a blank is not a zero).

    balance:<column>         三: 一 + 二 (expected) = 三（七）总计 + 四 (found), per applicant column
    results_sum:<column>     三: （七）总计 (expected) = the sum of the result rows (found)
    applicants_sum:<row>     三: 总计 column (expected) = the sum of the six applicant columns (found)
    review_sum:<row>         四: 总计 (expected) = 维持 + 纠正 + 其他 + 尚未审结 (found), per group
    non_negative             counts below zero (expected 0; 本年增/减 may be signed)
    report_year              the report's year (expected) = the year of its stated period (found)
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from pipelines.tables import labels as L
from pipelines.tables.stats import Check

if TYPE_CHECKING:
    from pipelines.tables.stats import Stats

_PERIOD_RE = re.compile(r"((?:19|20)\d\d)年1月1日起?(?:至|到|-|—|~|－)(?:((?:19|20)\d\d)年)?12月31日$")
_PERIOD_END_RE = re.compile(r"12\s*月\s*31\s*日|１２\s*月\s*３１\s*日")


class _Missing(Exception):
    pass


def run_checks(stats: Stats, text: str, report_year: int | None) -> list[Check]:
    cells = {(v.section, v.row_key, v.col_key): v.value for v in stats.values}
    sections = {v.section for v in stats.values}
    standard = stats.template in ("2019", "2021")
    out: list[Check] = []
    if standard or L.SECTION3 in sections:
        out += _section3(cells, stats.template)
    if standard or L.SECTION4 in sections:
        out += [_equals(f"review_sum:{row}", cells, (L.SECTION4, row, "总计"),
                        [(L.SECTION4, row, col) for col in L.SEC4_COLS[:4]]) for row in L.SEC4_ROWS]
    out.append(_non_negative(stats))
    out.append(_report_year(text, report_year))
    return out


def _section3(cells: dict, template: str) -> list[Check]:
    present = {k[1] for k in cells if k[0] == L.SECTION3}
    # the 其他处理 row of 2019, or the three items 2021 split it into: whichever the report prints
    other = L.OTHER_2021 if present & set(L.OTHER_2021) or (template == "2021" and L.OTHER not in present) \
        else [L.OTHER]
    results = L.RESULT_ROWS_COMMON + other
    rows = [L.NEW, L.CARRIED, *results, L.TOTAL, L.NEXT]
    s3 = L.SECTION3
    out = [_equals(f"balance:{col}", cells, [(s3, L.NEW, col), (s3, L.CARRIED, col)],
                   [(s3, L.TOTAL, col), (s3, L.NEXT, col)]) for col in L.SEC3_COLS]
    out += [_equals(f"results_sum:{col}", cells, (s3, L.TOTAL, col), [(s3, r, col) for r in results])
            for col in L.SEC3_COLS]
    out += [_equals(f"applicants_sum:{row}", cells, (s3, row, "总计"), [(s3, row, c) for c in L.APPLICANTS])
            for row in rows]
    return out


def _equals(name: str, cells: dict, expected, found) -> Check:
    try:
        a = _sum(cells, expected if isinstance(expected, list) else [expected])
        b = _sum(cells, found)
    except _Missing as gap:
        return Check(name, None, None, None, str(gap))
    return Check(name, a, b, abs(a - b) < 1e-6)


def _sum(cells: dict, keys: list[tuple[str, str, str]]) -> int | float:
    missing = [k for k in keys if cells.get(k) is None]
    if missing:
        shown = ", ".join(f"{r} × {c}" for _, r, c in missing[:3]) + (" …" if len(missing) > 3 else "")
        raise _Missing(f"{len(missing)} cell(s) missing or blank: {shown}")
    total = sum(cells[k] for k in keys)
    return round(total, 6) if isinstance(total, float) else total


def _non_negative(stats: Stats) -> Check:
    counts = [v.value for v in stats.values if v.value is not None and v.col_key not in L.SIGNED]
    if not counts:
        return Check("non_negative", None, None, None, "no numbers read")
    negative = sum(1 for x in counts if x < 0)
    return Check("non_negative", 0, negative, negative == 0)


def _report_year(text: str, report_year: int | None) -> Check:
    stated = _stated_year(text)
    if stated is None or report_year is None:
        what = "no stated period (…年1月1日至12月31日)" if stated is None else "the report's year is unknown"
        return Check("report_year", report_year, stated, None, what)
    return Check("report_year", report_year, stated, stated == report_year)


def _stated_year(text: str) -> int | None:
    """The year of the first '…年1月1日(起)至…12月31日' the text states; None for none, or for a period
    over several years. Only the few characters before each 12月31日 are normalised (width, spaces)."""
    for end in _PERIOD_END_RE.finditer(text or ""):
        window = "".join(unicodedata.normalize("NFKC", text[max(0, end.start() - 40):end.end()]).split())
        m = _PERIOD_RE.search(window)
        if m:
            return None if m.group(2) and m.group(2) != m.group(1) else int(m.group(1))
    return None
