"""DOCX (OOXML WordprocessingML) → paragraphs and tables in body order, merged cells as spans.

Read from word/document.xml with lxml rather than python-docx: its table API repeats a merged cell
at every grid position it covers, and the spans are what we keep. ``w:gridSpan`` is a colspan;
``w:vMerge="restart"`` starts a vertical merge that each following ``w:vMerge`` (no value, or
"continue") in the same grid column extends.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from pipelines.attachments.model import AttachmentError, Limits
from pipelines.attachments.text import cell_text
from pipelines.tables import Cell, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# no entities, no network, no huge text nodes: the XML came from a stranger
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def read_part(body: bytes, name: str, limits: Limits) -> bytes:
    "One member of an OOXML package, bounded by the uncompressed size it declares and by what it gives."
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            total = sum(i.file_size for i in z.infolist())
            if total > limits.zip_max_bytes:
                raise AttachmentError("zip_bomb", f"parts unpack to {total} bytes (limit {limits.zip_max_bytes})")
            with z.open(name) as part:
                data = part.read(limits.zip_max_bytes + 1)
    except AttachmentError:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, KeyError, zlib.error…: a broken package
        raise AttachmentError("corrupt", f"{name}: {type(exc).__name__}: {exc}") from None
    if len(data) > limits.zip_max_bytes:
        raise AttachmentError("zip_bomb", f"{name} unpacks past {limits.zip_max_bytes} bytes")
    return data


def read_docx(body: bytes, limits: Limits, result) -> None:
    try:
        root = etree.fromstring(read_part(body, "word/document.xml", limits), PARSER)
    except etree.XMLSyntaxError as exc:
        raise AttachmentError("corrupt", f"word/document.xml: {exc}") from None
    result.extractor = "ooxml"
    lines: list[str] = []
    body_el = root.find(f"{W}body")
    for el in _blocks(body_el if body_el is not None else root):
        if el.tag == f"{W}p":
            text = paragraph_text(el).strip()
            if text:
                lines.append(text)
        else:
            table = read_table(el)
            result.tables.append(table)
            lines.extend(table.text_rows())
    result.text = "\n".join(lines)


def _blocks(parent):
    "Paragraphs and tables in body order; content controls (w:sdt) and w:customXml unwrapped."
    for el in parent:
        if el.tag in (f"{W}p", f"{W}tbl"):
            yield el
        elif el.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
            inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if inner is not None:
                yield from _blocks(inner)


def paragraph_text(p) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag == f"{W}tab":
            out.append("\t")
        elif el.tag == f"{W}noBreakHyphen":
            out.append("-")
        else:
            out.append("\n")
    return "".join(out)


def _val(el, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{W}val", "")


def read_table(tbl) -> Table:
    rows: list[list[Cell]] = []
    open_cells: dict[int, Cell] = {}        # grid column → the cell a vertical merge continues
    for tr in tbl.iterfind(f"{W}tr"):
        row: list[Cell] = []
        before = _val(tr, f"{W}trPr/{W}gridBefore")
        col = int(before) if before and before.isdigit() else 0
        for tc in tr.iterfind(f"{W}tc"):
            span = _val(tc, f"{W}tcPr/{W}gridSpan")
            colspan = int(span) if span and span.isdigit() else 1
            merge = _val(tc, f"{W}tcPr/{W}vMerge")
            if merge is not None and merge != "restart" and col in open_cells:
                open_cells[col].rowspan += 1
            else:
                cell = Cell(cell_text(_cell_lines(tc)), 1, colspan)
                row.append(cell)
                for k in range(colspan):
                    open_cells.pop(col + k, None)
                if merge == "restart":
                    open_cells[col] = cell
            col += colspan
        rows.append(row)
    return Table(rows)


def _cell_lines(tc) -> str:
    "A cell's paragraphs (a nested table's included) as lines."
    return "\n".join(t for t in (paragraph_text(p).strip() for p in tc.iter(f"{W}p")) if t)
