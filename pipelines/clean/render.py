"""Stage 3 of cleaning: a body subtree to lines (one per block, one per table row) and ``Table`` objects."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .patterns import BLOCK_TAGS, TABLE_SECTIONS
from pipelines.tables import MAX_COLSPAN, MAX_ROWSPAN, Cell, Table

if TYPE_CHECKING:
    from lxml.html import HtmlElement

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
    # str.split() breaks on exactly what WS_RE matches (str.isspace), several times faster
    return " ".join(text.split())


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


def _row(tr: HtmlElement) -> list[Cell]:
    "The cells of a row as written, spans clamped (colspan=0 or 10000 are markup errors)."
    out = []
    for c in row_cells(tr):
        colspan, rowspan = c.get("colspan"), c.get("rowspan")
        out.append(Cell(_cell_text(c), 1 if rowspan is None else _span(rowspan, MAX_ROWSPAN),
                        1 if colspan is None else _span(colspan, MAX_COLSPAN)))
    return out


class Renderer:
    """Walks a subtree once and collects lines and table grids.

    ``keep_table(table)`` decides whether a data table belongs to the body (the metadata block is
    often a table); it returns False to drop it.
    """

    def __init__(self, keep_table: Callable[[Table], bool] | None = None) -> None:
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self._buf: list[str] = []
        self._keep_table = keep_table

    def flush(self) -> None:
        if self._buf:
            text = collapse("".join(self._buf))
            self._buf.clear()       # cleared in place: _walk holds on to the list
            if text:
                self.lines.append(Line(text))

    def render(self, el: HtmlElement) -> Renderer:
        self._children(el, 0)
        self.flush()
        return self

    def _children(self, el: HtmlElement, depth: int) -> None:
        if text := el.text:
            self._buf.append(text)
        for child in el:
            self._walk(child, depth + 1)

    def _walk(self, el: HtmlElement, depth: int) -> None:
        buf = self._buf
        tag = el.tag
        if not isinstance(tag, str):      # comments and PIs: no text, but their tail is text
            if tail := el.tail:
                buf.append(tail)
            return
        tag = tag.lower()
        if depth > MAX_DEPTH:
            buf.append(" ".join(el.itertext()))
        elif tag == "br":
            self.flush()
        elif tag == "table" and self._table(el):
            pass
        else:
            block = tag in BLOCK_TAGS
            if block:
                self.flush()
            elif tag == "a" and _glued_link(el, buf):
                buf.append(" ")
            # the children loop is _children's, inlined: this runs for every element of the body
            if text := el.text:
                buf.append(text)
            for child in el:
                self._walk(child, depth + 1)
            if block:
                self.flush()
        if tail := el.tail:      # each read of .text or .tail decodes it anew
            buf.append(tail)

    def _table(self, table: HtmlElement) -> bool:
        "Render a data table as rows; False when it is page layout (then walked as blocks)."
        if table.find(".//table") is not None:
            return False
        rows = [_row(tr) for tr in table_rows(table)]
        if max((sum(1 for c in r if c.text) for r in rows), default=0) < 2:
            return False        # never two filled cells side by side: layout, not data
        if any(len(c.text) > LAYOUT_CELL_CHARS for r in rows for c in r):
            return False
        self.flush()
        for caption in table.iter("caption"):
            self.render(caption)
        data = Table(rows)
        if self._keep_table is not None and not self._keep_table(data):
            return True
        index = len(self.tables)
        self.tables.append(data)
        # each cell once, where it starts: a copied spanning cell would print numbers the report
        # never printed (contract.md); `tables` keeps the spans and the expanded grid
        self.lines.extend(Line(t, "row", index) for t in data.text_rows())
        return True


def _glued_link(a: HtmlElement, buf: list[str]) -> bool:
    "True when a link follows another with nothing between: a space keeps them apart as tokens (link farms)."
    if not buf or buf[-1][-1:].isspace():
        return False
    prev = a.getprevious()
    return prev is not None and prev.tag == "a" and not (prev.tail or "").strip()


def _cell_text(cell: HtmlElement) -> str:
    "A cell's text on one line (its inner blocks joined by a space)."
    if not len(cell):       # text only, the common data cell
        return collapse(cell.text or "")
    text = cell.text
    buf = [text] if text else []
    _cell_parts(cell, buf, 1)
    return collapse("".join(buf))


def _cell_parts(el: HtmlElement, buf: list[str], depth: int) -> None:
    """Renderer._walk over el's children, for a cell (which holds no table): a space where the page
    renderer would start a new line. Collapsing the cell's text once then gives what joining its lines
    with a space would. A plain function, not a Renderer: cells hold most of a report's elements."""
    for child in el:
        tag = child.tag
        if isinstance(tag, str):
            tag = tag.lower()
            if depth > MAX_DEPTH:
                buf.append(" ".join(child.itertext()))
            elif tag == "br":
                buf.append(" ")
            else:
                block = tag in BLOCK_TAGS
                if block:
                    buf.append(" ")
                elif tag == "a" and _glued_link(child, buf):
                    buf.append(" ")
                if text := child.text:
                    buf.append(text)
                if len(child):
                    _cell_parts(child, buf, depth + 1)
                if block:
                    buf.append(" ")
        if tail := child.tail:
            buf.append(tail)
