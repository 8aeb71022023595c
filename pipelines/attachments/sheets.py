"""Spreadsheets → one ``Table`` per sheet, merged ranges as spans: XLSX by openpyxl, XLS by xlrd.

A sheet's text is its table's rows (each cell once, ' | ' between), preceded by the sheet's name
when the workbook has more than one sheet. Numbers are written as the sheet shows them when whole
(12, not 12.0); dates as YYYY-MM-DD.
"""
from __future__ import annotations

import datetime as dt
import io

from pipelines.attachments.docx import read_part
from pipelines.attachments.model import AttachmentError, Deadline, Limits
from pipelines.tables import Cell, Table

MAX_CELLS = 200_000     # per sheet: a used range of a million empty cells is formatting, not data


def value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def grid_table(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]) -> Table | None:
    """Cells at (row, col) and merged ranges (first row, first col, last row, last col; 0-based,
    inclusive) → a Table over the rows and columns that hold text, or None for an empty sheet."""
    filled = [k for k, v in values.items() if v]
    if not filled:
        return None
    top, bottom = min(r for r, _ in filled), max(r for r, _ in filled)
    left, right = min(c for _, c in filled), max(c for _, c in filled)
    starts, covered = {}, set()
    for r0, c0, r1, c1 in merges:
        if r0 > bottom or c0 > right:
            continue
        r1, c1 = min(r1, bottom), min(c1, right)
        starts[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
    rows = []
    for r in range(top, bottom + 1):
        row = []
        for c in range(left, right + 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = starts.get((r, c), (1, 1))
            row.append(Cell(values.get((r, c), ""), rowspan, colspan))
        rows.append(row)
    return Table(rows)


def _finish(result, sheets: list[tuple[str, Table | None]]) -> None:
    lines = []
    for name, table in sheets:
        if table is None:
            continue
        if len(sheets) > 1:
            lines.append(name)
        lines.extend(table.text_rows())
        result.tables.append(table)
    result.text = "\n".join(lines)
    result.pages = len(sheets)


def read_xlsx(body: bytes, limits: Limits, deadline: Deadline, result) -> None:
    import openpyxl

    read_part(body, "xl/workbook.xml", limits)      # bounds every part's unpacked size first
    try:
        book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises whatever its XML and ZIP layers raise
        raise AttachmentError("corrupt", f"XLSX: {type(exc).__name__}: {exc}") from None
    result.extractor = f"openpyxl {openpyxl.__version__}"
    sheets = []
    for sheet in book.worksheets[: limits.max_pages]:
        deadline.check(f"sheet {sheet.title}")
        if (sheet.max_row or 0) * (sheet.max_column or 0) > MAX_CELLS:
            raise AttachmentError("too_many_pages", f"sheet {sheet.title}: {sheet.max_row}×{sheet.max_column} cells")
        values = {(c.row - 1, c.column - 1): value_text(c.value)
                  for row in sheet.iter_rows() for c in row if c.value is not None}
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        sheets.append((sheet.title, grid_table(values, merges)))
    book.close()
    _finish(result, sheets)


def read_xls(body: bytes, limits: Limits, deadline: Deadline, result) -> None:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=body, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        kind = "encrypted" if "encrypt" in str(exc).lower() else "corrupt"
        raise AttachmentError(kind, f"XLS: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a broken BIFF stream raises struct/index/assertion errors
        raise AttachmentError("corrupt", f"XLS: {type(exc).__name__}: {exc}") from None
    result.extractor = f"xlrd {xlrd.__version__}"
    sheets = []
    try:
        for index in range(min(book.nsheets, limits.max_pages)):
            deadline.check(f"sheet {index + 1}")
            sheet = book.sheet_by_index(index)
            if sheet.nrows * sheet.ncols > MAX_CELLS:
                raise AttachmentError("too_many_pages", f"sheet {sheet.name}: {sheet.nrows}×{sheet.ncols} cells")
            values = {}
            for r in range(sheet.nrows):
                for c, cell in enumerate(sheet.row(r)):
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        try:
                            value = xlrd.xldate_as_datetime(value, book.datemode)
                        except (ValueError, OverflowError):
                            pass
                    elif cell.ctype == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "")
                    elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    values[(r, c)] = value_text(value)
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            sheets.append((sheet.name, grid_table(values, merges)))
            book.unload_sheet(index)
    except AttachmentError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise AttachmentError("corrupt", f"XLS: {type(exc).__name__}: {exc}") from None
    finally:
        book.release_resources()
    _finish(result, sheets)
