"""``Cell`` and ``Table``: a table as written (cells with spans) and its derived views."""
from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEP = " | "
MAX_COLSPAN = 100    # bigger spans are markup errors (colspan=10000): clamped, or the grid blows up
MAX_ROWSPAN = 1000
# positions the expanded grid may hold: a report's tables have a few hundred; a 160,000-cell row over
# 300,000 rows would be 48 billion. Past this the grid keeps the rows that fit (``grid_truncated``)
MAX_GRID_CELLS = 100_000


@dataclass(slots=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1

    def __post_init__(self) -> None:
        if self.rowspan != 1:
            self.rowspan = min(max(int(self.rowspan or 1), 1), MAX_ROWSPAN)
        if self.colspan != 1:
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
            if any(c.text for c in row):
                lines.append(CELL_SEP.join(c.text for c in row))
        return lines

    def cell_count(self) -> int:
        return sum(len(row) for row in self.rows)

    def grid(self, limit: int = MAX_GRID_CELLS) -> list[list[str]]:
        """Every position of the table filled with the text of the cell that covers it; ragged rows
        padded with ''. At most ``limit`` positions (the leading rows that fit)."""
        return self.expand(limit)[0]

    def expand(self, limit: int = MAX_GRID_CELLS) -> tuple[list[list[str]], bool]:
        """(grid, truncated). Linear in the positions it fills: a span never reaches past the last
        row, a row stops at ``limit`` positions, and the pending spans are scanned once per row."""
        height = len(self.rows)
        grid: list[list[str]] = []
        below: dict[int, list] = {}     # column → [text, rows it still covers]
        filled, truncated = 0, False
        for r, row in enumerate(self.rows):
            if filled >= limit:
                truncated = True
                break
            out: list[str] = []
            append = out.append
            room = limit - filled
            for cell in row:
                if below:
                    while len(out) in below:
                        append(_take(below, len(out)))
                start = len(out)
                if start >= room:
                    truncated = True
                    break
                if cell.colspan == 1:
                    append(cell.text)
                else:
                    out.extend([cell.text] * min(cell.colspan, room - start))
                    truncated = truncated or cell.colspan > room - start
                if cell.rowspan > 1 and r + 1 < height:
                    left = min(cell.rowspan, height - r) - 1
                    for col in range(start, len(out)):
                        below[col] = [cell.text, left]
            if below:       # columns covered from above, past the row's last cell
                last = max(below)      # no span starts from here on: the bound holds for the row
                while len(out) <= last:
                    if len(out) >= room:
                        truncated = True
                        break
                    out.append(_take(below, len(out)) if len(out) in below else "")
            filled += len(out)
            grid.append(out)
        width = max((len(r) for r in grid), default=0)
        if width and width * len(grid) > limit:
            grid = grid[:max(1, limit // width)]
            truncated = True
        for r in grid:
            r.extend([""] * (width - len(r)))
        return grid, truncated

    def to_json(self) -> dict:
        grid, truncated = self.expand()
        rows = [[{"text": c.text} if c.rowspan == 1 and c.colspan == 1 else c.to_json() for c in row]
                for row in self.rows]
        out: dict = {"rows": rows, "grid": grid}
        if truncated:
            out["grid_truncated"] = True
        return out

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls([[Cell(c.get("text", ""), c.get("rowspan", 1), c.get("colspan", 1)) for c in row]
                    for row in data.get("rows", [])])


def _take(below: dict[int, list], col: int) -> str:
    "The text covering ``col`` from a row above, one row of its span used up."
    entry = below[col]
    if entry[1] > 1:
        entry[1] -= 1
    else:
        del below[col]
    return entry[0]
