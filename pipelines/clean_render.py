"""Stage 3 of cleaning: a body subtree to lines (one per block, one per table row) and table grids."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .clean_patterns import BLOCK_TAGS, MAX_COLSPAN, MAX_ROWSPAN, TABLE_SECTIONS, WS_RE

if TYPE_CHECKING:
    from lxml.html import HtmlElement

Grid = list[list[str]]
CELL_SEP = " | "
LAYOUT_CELL_CHARS = 300   # a cell holding this much text is page layout, not a data table
MAX_DEPTH = 300           # deeper nesting is read flat rather than risking the recursion limit


@dataclass
class Line:
    "One output line: a block of text ('p') or a table row ('row', with its table's index)."
    text: str
    kind: str = "p"
    table: int | None = None


def collapse(text: str) -> str:
    "Whitespace runs (NBSP and U+3000 included) to one space, trimmed."
    return WS_RE.sub(" ", text).strip()


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), limit)


def table_rows(table: HtmlElement) -> list[HtmlElement]:
    "The table's own rows in document order (thead/tbody/tfoot included, nested tables not)."
    rows = []
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in TABLE_SECTIONS:
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def row_cells(tr: HtmlElement) -> list[HtmlElement]:
    return [c for c in tr if c.tag in ("td", "th")]


def expand_grid(rows: list[list[tuple[str, int, int]]]) -> Grid:
    """Lay (text, colspan, rowspan) cells on a grid, COPYING a spanning cell into every covered
    position (project-wide convention); ragged rows are padded with ''."""
    grid: Grid = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for r, cells in enumerate(rows):
        out: list[str] = []
        it = iter(cells)
        cell = next(it, None)
        col = 0
        while cell is not None or any(c >= col for c in pending):
            if col in pending:
                text, left = pending[col]
                out.append(text)
                if left > 1:
                    pending[col] = (text, left - 1)
                else:
                    del pending[col]
                col += 1
                continue
            if cell is None:      # a gap before a column still covered from above
                out.append("")
                col += 1
                continue
            text, colspan, rowspan = cell
            rowspan = min(rowspan, len(rows) - r)
            for k in range(colspan):
                out.append(text)
                if rowspan > 1:
                    pending[col + k] = (text, rowspan - 1)
            col += colspan
            cell = next(it, None)
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    return [r + [""] * (width - len(r)) for r in grid]


class Renderer:
    """Walks a subtree once and collects lines and table grids.

    ``keep_table(grid, row_texts)`` decides whether a data table belongs to the body (the
    metadata block is often a table); it returns False to drop it.
    """

    def __init__(self, keep_table: Callable[[Grid, list[str]], bool] | None = None) -> None:
        self.lines: list[Line] = []
        self.tables: list[Grid] = []
        self._buf: list[str] = []
        self._keep_table = keep_table

    def flush(self) -> None:
        if self._buf:
            text = collapse("".join(self._buf))
            self._buf = []
            if text:
                self.lines.append(Line(text))

    def render(self, el: HtmlElement) -> Renderer:
        self._children(el, 0)
        self.flush()
        return self

    def _children(self, el: HtmlElement, depth: int) -> None:
        if el.text:
            self._buf.append(el.text)
        for child in el:
            self._walk(child, depth + 1)

    def _walk(self, el: HtmlElement, depth: int) -> None:
        tag = el.tag
        if not isinstance(tag, str):      # comments and PIs: no text, but their tail is text
            if el.tail:
                self._buf.append(el.tail)
            return
        tag = tag.lower()
        if depth > MAX_DEPTH:
            self._buf.append(" ".join(el.itertext()))
        elif tag == "br":
            self.flush()
        elif tag == "table" and self._table(el):
            pass
        elif tag in BLOCK_TAGS:
            self.flush()
            self._children(el, depth)
            self.flush()
        else:
            if tag == "a" and self._buf and not self._buf[-1][-1:].isspace():
                prev = el.getprevious()
                # adjacent links with nothing between: keep them apart as tokens (link farms)
                if prev is not None and prev.tag == "a" and not (prev.tail or "").strip():
                    self._buf.append(" ")
            self._children(el, depth)
        if el.tail:
            self._buf.append(el.tail)

    def _table(self, table: HtmlElement) -> bool:
        "Render a data table as rows; False when it is page layout (then walked as blocks)."
        if table.find(".//table") is not None:
            return False
        rows = table_rows(table)
        cells = [[(_cell_text(c), _span(c.get("colspan"), MAX_COLSPAN),
                   _span(c.get("rowspan"), MAX_ROWSPAN)) for c in row_cells(tr)] for tr in rows]
        if max((sum(1 for t, _, _ in r if t) for r in cells), default=0) < 2:
            return False        # never two filled cells side by side: layout, not data
        if any(len(t) > LAYOUT_CELL_CHARS for r in cells for t, _, _ in r):
            return False
        self.flush()
        for caption in table.iter("caption"):
            self.render(caption)
        grid = expand_grid(cells)
        # a text row is its grid row: spanning cells repeated, so each line carries its labels
        # and `text` agrees with `tables` (the project-wide copy convention)
        texts = [CELL_SEP.join(row) if any(row) else "" for row in grid]
        if self._keep_table is not None and not self._keep_table(grid, texts):
            return True
        index = len(self.tables)
        self.tables.append(grid)
        self.lines.extend(Line(t, "row", index) for t in texts if t)
        return True


def _cell_text(cell: HtmlElement) -> str:
    "A cell's text on one line (its inner blocks joined by a space)."
    return " ".join(line.text for line in Renderer().render(cell).lines)
