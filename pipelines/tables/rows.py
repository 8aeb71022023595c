"""Rows of cells for the statistics parser, from the tables (each cell once, as written) and from text
lines that print a table flattened (domain.md §4.7), and the number a cell prints.

A row is split into its leading label cells and the cells from its first value on. Two flattenings
occur in text: one row per line with ' | ' between cells (empty cells where the table had spans), and
one cell per line ending in '|', rows closed by a line of pipes (seed 001). A table a CMS turned into
one paragraph per cell comes out as a label line followed by value lines; the walker reads those on.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipelines.tables.labels import fold
from pipelines.tables.model import Table

LABEL_MAX = 80      # a longer cell is prose, never a label of the standard tables
_VALUE_RE = re.compile(r"([+\-−]?)(\d+(?:,\d{3})*(?:\.\d+)?)(?:\(?(万元|元|件|项|个|条|次|人|篇|份)\)?)?")
PLACEHOLDERS = frozenset(("", "/", "\\", "-", "--", "—", "——", "−", "~", "…", "无", "空", "不适用", "n/a", "na"))


@lru_cache(maxsize=8192)       # a report's cells are mostly the same few numbers ('0')
def parse_value(raw: str) -> tuple[int | float | None, str | None] | None:
    """(number, unit) a cell prints: '8400元' → (8400, '元'), '+15' → (15, None), '00' → (0, None);
    (None, None) for a placeholder ('', '/', '—', '无'); None when the cell is no value (a label)."""
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    text = "".join(text.split())
    if text.lower() in PLACEHOLDERS:
        return None, None
    m = _VALUE_RE.fullmatch(text)
    if not m:
        return None
    sign, digits, unit = m.groups()
    number = float(digits.replace(",", ""))
    if number.is_integer():
        number = int(number)
    return (-number if sign in ("-", "−") else number), unit


def is_value(raw: str) -> bool:
    return parse_value(raw) is not None


@dataclass
class Row:
    labels: list[str]      # the leading cells that are no value, as printed (Simplified)
    folds: list[str]       # their folds (labels.fold)
    values: list[str]      # the cells from the first value on, as printed


def split(cells: list[str]) -> Row | None:
    "A row of cells → Row; None for prose (a cell too long to be a label)."
    n = 0
    while n < len(cells) and not is_value(cells[n]):
        if len(cells[n]) > LABEL_MAX:
            return None
        n += 1
    labels = cells[:n]
    return Row(labels, [fold(x) for x in labels], cells[n:])


def table_rows(tables: list[Table], simplify) -> list[Row]:
    """The rows of the report's tables, cells once each. Labels are made Simplified (and rid of pinyin
    annotations) by ``simplify``, called once on all of them: one OpenCC call, not one per cell."""
    raw = [[c.text for c in row] for t in tables for row in t.rows]
    labels = {c for cells in raw for c in cells if c and len(c) <= LABEL_MAX and not is_value(c)}
    ordered = sorted(labels)
    # one label a line: a cell's own line breaks (a PDF or DOCX table) are spaces here
    parts = simplify("\n".join(" ".join(x.split()) for x in ordered)).split("\n") if ordered else []
    converted = dict(zip(ordered, parts)) if len(parts) == len(ordered) else {x: x for x in ordered}
    rows = []
    for cells in raw:
        row = split([converted.get(c, c) for c in cells])
        if row is not None and (row.labels or row.values):
            rows.append(row)
    return rows


def text_rows(text: str) -> list[Row]:
    "The rows a text prints as table lines (both flattenings); prose lines are left out."
    rows: list[Row] = []
    open_row: list[str] | None = None

    def close() -> None:
        nonlocal open_row
        if open_row:
            _add(rows, open_row)
        open_row = None

    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if "|" not in s:
            if open_row is not None and is_value(s):     # a cell-per-line row's last cell lacks its pipe
                open_row.append(s)
                close()
                continue
            close()
            if len(s) <= LABEL_MAX:
                _add(rows, [s])
            continue
        cells = [c.strip() for c in s.split("|")]
        if not any(cells):               # a line of pipes: the row of a cell-per-line table ends
            close()
        elif len(cells) == 2 and not cells[1] and s.endswith("|"):
            if open_row is None:
                open_row = []
            open_row.append(cells[0])
        else:
            close()
            _add(rows, cells)
    close()
    return rows


def _add(rows: list[Row], cells: list[str]) -> None:
    row = split(cells)
    if row is not None:
        rows.append(row)
