"""``Cell`` and ``Table``: a table as written (cells with spans) and its derived views."""
from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEP = " | "
MAX_COLSPAN = 100    # bigger spans are markup errors (colspan=10000): clamped, or the grid blows up
MAX_ROWSPAN = 1000


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1

    def __post_init__(self) -> None:
        self.rowspan = min(max(int(self.rowspan or 1), 1), MAX_ROWSPAN)
        self.colspan = min(max(int(self.colspan or 1), 1), MAX_COLSPAN)

    def to_json(self) -> dict:
        out: dict = {"text": self.text}
        if self.rowspan > 1:
            out["rowspan"] = self.rowspan
        if self.colspan > 1:
            out["colspan"] = self.colspan
        return out


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)

    def text_rows(self) -> list[str]:
        "One line per row with text: the cells that start in it, joined by ' | ' (each cell once)."
        lines = []
        for row in self.rows:
            line = CELL_SEP.join(c.text for c in row)
            if any(c.text for c in row):
                lines.append(line)
        return lines

    def grid(self) -> list[list[str]]:
        """Every position of the table filled with the text of the cell that covers it; ragged rows
        padded with ''. Linear in the positions it fills: a span never reaches past the last row."""
        height = len(self.rows)
        grid: list[list[str]] = []
        below: dict[int, tuple[str, int]] = {}     # column → (text, rows it still covers)
        for r, row in enumerate(self.rows):
            out: list[str] = []
            cells = iter(row)
            cell = next(cells, None)
            while cell is not None or below:
                col = len(out)
                if col in below:
                    text, left = below.pop(col)
                    out.append(text)
                    if left > 1:
                        below[col] = (text, left - 1)
                    continue
                if cell is None:
                    if not below or max(below) < col:
                        break
                    out.append("")     # a gap before a column still covered from above
                    continue
                rowspan = min(cell.rowspan, height - r)
                for k in range(cell.colspan):
                    out.append(cell.text)
                    if rowspan > 1:
                        below[col + k] = (cell.text, rowspan - 1)
                cell = next(cells, None)
            grid.append(out)
        width = max((len(r) for r in grid), default=0)
        for r in grid:
            r.extend([""] * (width - len(r)))
        return grid

    def to_json(self) -> dict:
        return {"rows": [[c.to_json() for c in row] for row in self.rows], "grid": self.grid()}

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls([[Cell(c.get("text", ""), c.get("rowspan", 1), c.get("colspan", 1)) for c in row]
                    for row in data.get("rows", [])])
