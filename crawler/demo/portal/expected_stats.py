"""Expected ``report_stats`` rows and ``stats_checks`` verdicts of a demo report (issue 15).

Read from the generator's own tables (``model.Table.stats``: which printed cell is which figure, under the
README's keys) and added up here, by this module's own arithmetic on the values the generator wrote
(domain.md §4.6), never by the parser under test. Written to expected/<id>.stats.json:

    {"template": "2019" | "2021" | "legacy",
     "cells":  [[section, row_key, col_key, raw, value, unit, source], ...],
     "checks": {name: [verdict ("pass" | "fail" | "cannot"), expected, found], ...},
     "broken": [the checks the case breaks on purpose]}
"""
from __future__ import annotations

import re

from . import tables as T
from .model import Article

_NUMBER_RE = re.compile(r"([+-]?)(\d+(?:\.\d+)?)(?:（?(万元|元)）?)?")
# a statistics period as the seeds and the cases state it ('2014年1月1日在全盟率先开办' is none)
_PERIOD_RE = re.compile(r"(\d{4})年1月1日起?[至到](?:\d{4}年)?12月31日")


def number(raw: str) -> tuple[int | float | None, str | None]:
    "The figure a cell the generator wrote prints: '8400元' → (8400, '元'), '0（元）' → (0, '元'), '' → None."
    text = raw.strip()
    if not text:
        return None, None
    m = _NUMBER_RE.fullmatch(text)
    assert m, f"the generator writes no such cell: {raw!r}"
    sign, digits, unit = m.groups()
    value = float(digits)
    value = int(value) if value.is_integer() else value
    return (-value if sign == "-" else value), unit


def cells(article: Article) -> list[list]:
    out = []
    for kind, table in article.blocks:
        if kind != "table":
            continue
        for r, c, section, row_key, col_key, unit in table.stats:
            raw = table.rows[r][c].text
            value, printed_unit = number(raw)
            out.append([section, row_key, col_key, raw, value, printed_unit or unit,
                        "text" if table.flat else "table"])
    return out


def template(found: list[list]) -> str:
    keys = {(c[1], c[2]) for c in found}
    if any(col in ("本年废止件数", "现行有效件数", "本年收费金额") or row.startswith("本年度办理结果/其他处理/")
           for row, col in keys):
        return "2021"
    return "2019" if found else "legacy"


def _verdict(values: dict, expected: list, found: list) -> list:
    if any(values.get(k) is None for k in expected + found):
        return ["cannot", None, None]
    a, b = sum(values[k] for k in expected), sum(values[k] for k in found)
    a, b = (round(x, 6) if isinstance(x, float) else x for x in (a, b))
    return ["pass" if abs(a - b) < 1e-6 else "fail", a, b]


def checks(article: Article, found: list[list], kind: str) -> dict[str, list]:
    values = {(c[0], c[1], c[2]): c[4] for c in found}
    out: dict[str, list] = {}
    if kind != "legacy":
        spec = T.SEC3_ROWS_2021 if kind == "2021" else T.SEC3_ROWS
        rows = [key for *_, key in spec]
        new, carried, total, nxt = rows[0], rows[1], rows[-2], rows[-1]
        results = rows[2:-2]
        for col in T.SEC3_COL_KEYS:
            out[f"balance:{col}"] = _verdict(values, [(T.S3, new, col), (T.S3, carried, col)],
                                             [(T.S3, total, col), (T.S3, nxt, col)])
        for col in T.SEC3_COL_KEYS:
            out[f"results_sum:{col}"] = _verdict(values, [(T.S3, total, col)], [(T.S3, r, col) for r in results])
        for row in rows:
            out[f"applicants_sum:{row}"] = _verdict(values, [(T.S3, row, "总计")],
                                                    [(T.S3, row, c) for c in T.SEC3_COL_KEYS[:6]])
        for row in T.SEC4_ROW_KEYS:
            out[f"review_sum:{row}"] = _verdict(values, [(T.S4, row, "总计")],
                                                [(T.S4, row, c) for c in T.SEC4_COL_KEYS[:4]])
    counts = [c[4] for c in found if c[4] is not None and c[2] != "本年增减"]
    out["non_negative"] = ["pass" if all(x >= 0 for x in counts) else "fail", 0,
                           sum(1 for x in counts if x < 0)] if counts else ["cannot", None, None]
    prose = "\n".join(v for k, v in article.blocks if k == "p")
    m = _PERIOD_RE.search(prose)
    year = article.expect.get("report_year")
    out["report_year"] = [("pass" if int(m.group(1)) == year else "fail"), year, int(m.group(1))] if m \
        else ["cannot", year, None]
    return out


def expected(article: Article) -> dict:
    found = cells(article)
    kind = template(found)
    return {"template": kind, "cells": found, "checks": checks(article, found, kind), "broken": article.broken}
