"""The numbers of the national report tables as data: ``parse_stats(tables, text_hans, report_year)``.

Pure: no I/O, never raises on odd input (a row it cannot read is left out; the checks then say what they
could not run). Reads the report's tables first (cells as written); a section the tables do not give is
read from the text lines a CMS or a Word paste flattened it into (domain.md §4.7). Labels are matched on
their fold (labels.py), so Traditional and full-width reports give the same keys. A pre-2019 free-form
table gives only the rows whose labels are the standard ones; nothing is inferred from position alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pipelines.tables import labels as L
from pipelines.tables.model import Table
from pipelines.tables.rows import Row, is_value, parse_value, table_rows, text_rows

_HEADER_WORDS = frozenset(["自然人", "法人或其他组织", *(c.rsplit("/", 1)[1] for c in L.APPLICANTS[1:-1]),
                           *L.SEC4_COLS[:4], "未经复议直接起诉", "复议后起诉"])
SEC4_WINDOW = 24         # rows between the 行政复议/行政诉讼 header and its data row (one a line: 18)
MAX_ROWS = 20_000        # rows read per source: the standard tables have ~60; a huge table is not one


@dataclass
class StatValue:
    section: str
    row_key: str
    col_key: str
    value: int | float | None   # None: the cell prints no number (blank, '/', '—', text)
    unit: str | None
    raw: str                    # the cell as printed
    source: str                 # 'table' (the page's tables) or 'text' (flattened table lines)


@dataclass
class Check:
    check: str
    expected: int | float | None
    found: int | float | None
    ok: bool | None             # None: could not run (``detail`` says what was missing)
    detail: str | None = None


@dataclass
class Stats:
    template: str               # '2019' | '2021' | 'legacy'
    values: list[StatValue] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def to_json(self) -> dict:
        # vars(), not dataclasses.asdict: that deep-copies every field (2 ms a report)
        return {"template": self.template, "values": [dict(vars(v)) for v in self.values],
                "checks": [dict(vars(c)) for c in self.checks]}

    def get(self, section: str, row_key: str, col_key: str) -> StatValue | None:
        return self._index().get((section, row_key, col_key))

    def _index(self) -> dict:
        return {(v.section, v.row_key, v.col_key): v for v in self.values}


def parse_stats(tables: list[Table], text_hans: str | None, report_year: int | None = None,
                simplify: Callable[[str], str] | None = None) -> Stats:
    """The standard tables' numbers and their consistency checks.

    ``tables``: the report's tables (pipelines.tables.Table, cells in the page's script);
    ``text_hans``: the report's text in Simplified (its table lines included); ``simplify``: turns
    table labels Simplified (default: pinyin annotations stripped, then OpenCC t2s)."""
    from pipelines.tables.checks import run_checks

    text = text_hans or ""
    template = detect_template(text, report_year)
    values: dict[tuple[str, str, str], StatValue] = {}
    if tables:
        rows = table_rows(tables, simplify or _simplify)[:MAX_ROWS]
        Walker(template, "table", values).walk(rows)
    found = {k[0] for k in values}
    if len(found) < 3 and _may_print_tables(text):
        from_text: dict[tuple[str, str, str], StatValue] = {}
        Walker(template, "text", from_text).walk(text_rows(text)[:MAX_ROWS])
        values.update((k, v) for k, v in from_text.items() if k[0] not in found)
    if not values:
        template = "legacy"   # the template's words in the prose, none of its tables: nothing to check
    elif template == "legacy":
        template = "2021" if (report_year or 0) >= 2021 else "2019"
        if not any(k[0] == L.SECTION3 or k[0] == L.SECTION4 for k in values):
            template = "legacy"      # a free-form table with a few standard rows, not the template
    stats = Stats(template, list(values.values()))
    stats.checks = run_checks(stats, text, report_year)
    return stats


def detect_template(text: str, report_year: int | None) -> str:
    "'2021' or '2019' by the labels only one template prints (domain.md §4.7); 'legacy' without any."
    n2021 = sum(1 for m in L.MARKERS_2021 if m in text)
    n2019 = sum(1 for m in L.MARKERS_2019 if m in text) + bool(L.ITEM9_RE.search(text))
    if not n2021 and not n2019:
        return "legacy"
    if n2021 != n2019:
        return "2021" if n2021 > n2019 else "2019"
    return "2021" if (report_year or 0) >= 2021 else "2019"


def _may_print_tables(text: str) -> bool:
    return "第二十条" in text or "本年新收" in text or "行政复议" in text


def _simplify(text: str) -> str:
    from pipelines.script import strip_pinyin, to_simplified

    return to_simplified(strip_pinyin(text)[0])


class Walker:
    "One pass over rows, recording the standard cells it recognises (the first reading of a cell wins)."

    def __init__(self, template: str, source: str, out: dict) -> None:
        self.template, self.source, self.out = template, source, out
        self.header: tuple[str, ...] | None = None     # section 二 columns of the block being read
        self.header_units: tuple[str | None, ...] = ()
        self.previous3: str | None = None
        self.header3 = False     # the 申请人 header (自然人 …) seen: short rows are the form's, ragged
        self.armed4 = 0

    def walk(self, rows: list[Row]) -> None:
        for i, row in enumerate(rows):
            folds = row.folds
            if "行政复议" in folds and (any(f.startswith("行政诉讼") for f in folds) or _next_opens(rows, i)):
                self.armed4 = SEC4_WINDOW
                continue
            if self.armed4:          # the rows under that header are section 四's, its 总计 labels too
                self._section4(rows, i)
                continue
            if folds and folds[0] == "信息内容":
                self._header(row)
                continue
            if folds and folds[0].startswith("第二十条第"):
                self.header = None
                continue
            if folds and folds[-1] in L.SEC2_ROWS:
                self._section2(rows, i)
                continue
            if _HEADER_WORDS.intersection(folds):
                self.header3 = self.header3 or "自然人" in folds
                continue             # a header row of 三 (自然人 | 法人或其他组织 | 总计)
            key = L.sec3_row(folds, self.previous3)
            if key and (row.values or _bare_values(rows, i + 1)):
                self._section3(rows, i, key)

    # --- section 四: one row of 15 numbers under a 行政复议/行政诉讼 header ---------------------------------

    def _section4(self, rows: list[Row], i: int) -> None:
        self.armed4 -= 1
        row = rows[i]
        if row.labels and (row.values or not _bare_values(rows, i + 1)):
            return               # a header row (结果维持 | … | 总计)
        cells = row.values if len(row.values) > 1 else _bare_values(rows, i)
        filled = [v for v in cells if v.strip()]
        if len(filled) < 5:
            return
        self.armed4 = 0
        if len(filled) > 15:
            return               # more numbers than the form has columns: not guessed
        for n, raw in enumerate(cells[:15]):
            self._put(L.SECTION4, L.SEC4_ROWS[n // 5], L.SEC4_COLS[n % 5], raw, "件")

    # --- section 二: 第二十条 items, columns from the block's header row or the template -----------------

    def _header(self, row: Row) -> None:
        keys = tuple(L.SEC2_COLS.get(f) for f in row.folds[1:])
        self.header = keys if keys and all(keys) else None
        self.header_units = tuple(L.unit_note(x) for x in row.labels[1:])

    def _section2(self, rows: list[Row], i: int) -> None:
        row = rows[i]
        key, item = L.SEC2_ROWS[row.folds[-1]]
        if self.header:
            cols, units = self.header, self.header_units
        else:
            cols, units = L.SEC2_DEFAULT.get(self.template, {}).get(item), ()
        if not cols:
            return               # a legacy table, or an item this template does not print
        cells = _values(rows, i, len(cols))
        if sum(1 for v in cells if v.strip()) > len(cols) or sum(1 for v in row.values if v.strip()) > len(cols):
            return
        for n, raw in enumerate(cells):
            unit = units[n] if n < len(units) and units[n] else L.SEC2_UNITS.get(cols[n])
            self._put(L.SECTION2, key, cols[n], raw, unit)

    # --- section 三: 7 applicant columns per row -----------------------------------------------------------

    def _section3(self, rows: list[Row], i: int, key: str) -> None:
        cells = _values(rows, i, len(L.SEC3_COLS))
        if len(cells) < len(L.SEC3_COLS) and not self.header3:
            return               # a short row with no 申请人 header above: a free-form table, not the form
        self.previous3 = key
        if sum(1 for v in rows[i].values if v.strip()) > len(L.SEC3_COLS):
            return               # an extra subtotal column (a 28×8 variant): positions unknown
        for n, raw in enumerate(cells):
            self._put(L.SECTION3, key, L.SEC3_COLS[n], raw, "件")

    def _put(self, section: str, row_key: str, col_key: str, raw: str, unit: str | None) -> None:
        k = (section, row_key, col_key)
        if k in self.out and (self.out[k].raw.strip() or not raw.strip()):
            return               # read before; a blank reading gives way to one that prints something
        parsed = parse_value(raw)
        number, cell_unit = parsed if parsed else (None, None)
        self.out[k] = StatValue(section, row_key, col_key, number, cell_unit or unit, raw, self.source)


def _values(rows: list[Row], i: int, n: int) -> list[str]:
    "The first n value cells of row i; a row without any takes the bare values on the rows after it."
    row = rows[i]
    if row.values:
        return row.values[:n]
    return _bare_values(rows, i + 1)[:n]


def _next_opens(rows: list[Row], i: int) -> bool:
    "The 行政诉讼 header cell on the next row (a table printed one cell a line)."
    return i + 1 < len(rows) and bool(rows[i + 1].folds) and rows[i + 1].folds[0].startswith("行政诉讼")


def _bare_values(rows: list[Row], start: int, limit: int = 15) -> list[str]:
    "Values printed one per line after a label line (a table a CMS turned into paragraphs)."
    out: list[str] = []
    for row in rows[start:start + limit]:
        if row.labels or len(row.values) != 1 or not is_value(row.values[0]):
            break
        out.append(row.values[0])
    return out
