"""Ruled tables of a PDF page → ``Table`` with rowspan/colspan, pieces continued over pages joined.

pdfplumber (on pdfminer.six) finds the tables from the page's ruling lines and gives each cell's
box; a cell's span is how many column (row) boundaries of its table its box crosses. A table that
ends one page and starts the next (same left and right edges, nothing between) is one table: its
pieces are stacked and their boundaries merged, as a reader sees it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from pipelines.attachments.text import cell_text
from pipelines.tables import Cell, Table

SNAP = 1.5          # points: two boundaries closer than this are one (rounding in the writer)
EDGE = 2.0          # points: a continued piece's left and right edges match the first piece's
MIN_PATHS = 4       # a page with fewer path objects has no ruled table worth asking pdfplumber about


@dataclass
class Piece:
    "The cells of one table as boxes stacked over pages: (x0, top, x1, bottom, text)."
    page: int
    left: float
    right: float
    cells: list[tuple[float, float, float, float, str]] = field(default_factory=list)
    last_page: int = -1

    def continues(self, other: Piece) -> bool:
        return (other.page == self.last_page + 1 and abs(other.left - self.left) <= EDGE
                and abs(other.right - self.right) <= EDGE)

    def extend(self, other: Piece) -> None:
        bottom = max((c[3] for c in self.cells), default=0.0)
        top = min((c[1] for c in other.cells), default=0.0)
        self.cells += [(x0, t - top + bottom, x1, b - top + bottom, s) for x0, t, x1, b, s in other.cells]
        self.last_page = other.page

    def table(self) -> Table:
        xs, ys = _boundaries(c[0] for c in self.cells), _boundaries(c[1] for c in self.cells)
        xs_end, ys_end = _boundaries(c[2] for c in self.cells), _boundaries(c[3] for c in self.cells)
        cols, rows = _merge(xs + xs_end), _merge(ys + ys_end)
        grid: dict[int, list[tuple[int, Cell]]] = {}
        for x0, top, x1, bottom, text in self.cells:
            c0, c1, r0, r1 = _index(cols, x0), _index(cols, x1), _index(rows, top), _index(rows, bottom)
            grid.setdefault(r0, []).append((c0, Cell(text, max(r1 - r0, 1), max(c1 - c0, 1))))
        return Table([[cell for _, cell in sorted(grid.get(r, []), key=lambda p: p[0])]
                      for r in range(max(grid, default=-1) + 1)])


def _boundaries(values) -> list[float]:
    return sorted(set(round(v, 1) for v in values))


def _merge(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(points: list[float], v: float) -> int:
    return min(range(len(points)), key=lambda i: abs(points[i] - v))


class TableFinder:
    "Opens the document in pdfplumber once, on the first page that has ruling lines."

    def __init__(self, body: bytes):
        self.body = body
        self.pdf = None

    def pieces(self, index: int) -> list[tuple[float, float, Piece]]:
        """(top, bottom, piece) of each table on page ``index`` (0-based), top to bottom, in points
        from the top of the page."""
        if self.pdf is None:
            import pdfplumber

            self.pdf = pdfplumber.open(io.BytesIO(self.body))
        page = self.pdf.pages[index]
        out = []
        for found in page.find_tables():
            piece = Piece(index, found.bbox[0], found.bbox[2], last_page=index)
            for row, texts in zip(found.rows, found.extract()):
                for box, text in zip(row.cells, texts):
                    if box is not None:
                        piece.cells.append((box[0], box[1], box[2], box[3], cell_text(text)))
            if piece.cells:
                out.append((found.bbox[1], found.bbox[3], piece))
        page.close()
        return sorted(out, key=lambda t: t[0])

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
