"""Tables as data: the shape every table takes, whichever document it came from (HTML, PDF, DOCX, XLS…).

``Table`` keeps the rows of cells as the document wrote them (each cell once, with its rowspan and
colspan), and derives from them the two views users need: ``text_rows`` (one line per row, each cell
written where it starts, never copied into the positions it covers: the contract's ``text``) and ``grid``
(every position filled by the cell that covers it, for positional lookup). ``to_json`` is one entry of
the ``tables`` column:

    {"rows": [[{"text": "收到申请数", "rowspan": 2}, {"text": "自然人"}, …], …],
     "grid": [["收到申请数", "自然人", …], ["收到申请数", …], …]}

``rowspan``/``colspan`` are omitted when 1. The grid holds at most ``MAX_GRID_CELLS`` positions (the
leading rows that fit); a table cut there carries ``"grid_truncated": true``.
"""
from __future__ import annotations

from pipelines.tables.model import CELL_SEP, MAX_COLSPAN, MAX_GRID_CELLS, MAX_ROWSPAN, Cell, Table

__all__ = ["CELL_SEP", "MAX_COLSPAN", "MAX_GRID_CELLS", "MAX_ROWSPAN", "Cell", "Table"]
