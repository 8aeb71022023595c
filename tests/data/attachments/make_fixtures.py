"""Builds the attachment fixtures from the demo portal's seed reports with real document writers.

    pip install -e '.[fixtures]'        # reportlab, python-docx, xlwt, Pillow
    apt-get install libreoffice-writer-nogui fonts-wqy-microhei   # the DOC, the scanned page's glyphs
    python -m tests.data.attachments.make_fixtures

The bytes are committed, so the tests never need these writers. Beside each file, what its writer
was given: ``NAME.expected.txt`` (the text: title, paragraphs, table rows with each cell once, cells
joined by ' | ', as pipelines.tables writes them) and, for files with tables, ``NAME.tables.json``
(each table as pipelines.tables.Table.to_json()). The extractor's output is never copied back here.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import textwrap
import zipfile
from pathlib import Path

from crawler.demo.portal import tables as demo_tables
from crawler.demo.portal.reports import seed_lines, seed_reports
from pipelines.tables import Cell, Table

HERE = Path(__file__).resolve().parent
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"   # a raster font for the scanned page


def to_table(demo) -> Table:
    return Table([[Cell(c.text, c.rowspan, c.colspan) for c in row] for row in demo.rows])


def blocks_text(title: str, blocks: list[tuple]) -> tuple[str, list[Table]]:
    lines, tables = [title], []
    for kind, value in blocks:
        if kind == "table":
            table = to_table(value)
            tables.append(table)
            lines.extend(table.text_rows())
        else:
            lines.append(value)
    return "\n".join(lines) + "\n", tables


def write_expected(name: str, text: str, tables: list[Table]) -> None:
    (HERE / f"{name}.expected.txt").write_text(text, encoding="utf-8")
    if tables:
        (HERE / f"{name}.tables.json").write_text(
            json.dumps([t.to_json() for t in tables], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# --- PDF (reportlab, the built-in CID font STSong-Light: no font file embedded or needed) --------

def pdf_story(title: str, blocks: list[tuple]):
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, Spacer, Table as RLTable, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK",
                          firstLineIndent=21)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20, firstLineIndent=0)
    big = ParagraphStyle("title", parent=body, fontSize=16, leading=26, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7.5, leading=9.5, wordWrap="CJK",
                          alignment=1)
    story = [Paragraph(title, big), Spacer(0, 8)]
    for kind, value in blocks:
        if kind == "table":
            table = to_table(value)
            grid, styles = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            width = len(table.grid()[0])
            taken: set[tuple[int, int]] = set()
            for r, row in enumerate(table.rows):
                out, c = [""] * width, 0
                for one in row:
                    while (r, c) in taken:
                        c += 1
                    out[c] = Paragraph(one.text, cell)
                    if one.rowspan > 1 or one.colspan > 1:
                        styles.append(("SPAN", (c, r), (c + one.colspan - 1, r + one.rowspan - 1)))
                    taken.update((r + i, c + j) for i in range(one.rowspan) for j in range(one.colspan))
                    c += one.colspan
                grid.append(out)
            story += [RLTable(grid, colWidths=[450 / width] * width, style=TableStyle(styles)), Spacer(0, 8)]
        else:
            story.append(Paragraph(value, head if kind == "h" else body))
    return story


def make_pdf(story, **kwargs) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="", author="", invariant=1, **kwargs).build(story)
    return out.getvalue()


def report_pdf() -> None:
    "三明市梅列区 2020 (seed 001): prose and the three 2019-template tables, with their spans."
    a = seed_reports()["plain-001"]
    text, tables = blocks_text(a.title, a.blocks)
    data = make_pdf(pdf_story(a.title, a.blocks))
    (HERE / "report.pdf").write_bytes(data)
    write_expected("report.pdf", text, tables)
    # the same file cut short, as a download that stopped at 60 %
    (HERE / "truncated.pdf").write_bytes(data[: len(data) * 6 // 10])


def encrypted_pdfs() -> None:
    """A user password (nobody can open it without) and an owner password only (opens for anyone,
    copying "forbidden": the common case on government sites, and its text must come out)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    a = seed_reports()["plain-001"]
    blocks = a.blocks[:6]
    text, _ = blocks_text(a.title, blocks)
    locked = StandardEncryption("user-secret", "owner-secret", canPrint=0, canCopy=0)
    (HERE / "encrypted.pdf").write_bytes(make_pdf(pdf_story(a.title, blocks), encrypt=locked))
    restricted = StandardEncryption("", "owner-secret", canPrint=1, canCopy=0, canModify=0)
    (HERE / "restricted.pdf").write_bytes(make_pdf(pdf_story(a.title, blocks), encrypt=restricted))
    write_expected("restricted.pdf", text, [])


# --- scanned page: the text drawn into a raster, the raster into a PDF (no text layer) ---------

def scanned_lines() -> list[str]:
    a = seed_reports()["plain-001"]
    paras = [a.title] + [v for k, v in a.blocks[:4] if k != "table"]
    return [line for p in paras for line in textwrap.wrap(p, 30)]


def render(lines: list[str], *, px: int = 30, margin: int = 80):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(CJK_FONT, px)
    step = px * 3 // 2
    img = Image.new("L", (margin * 2 + px * 31, margin * 2 + step * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((margin, margin + step * i), line, font=font, fill=0)
    return img


def scanned() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    lines = scanned_lines()
    img = render(lines)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    width = A4[0] - 60
    page.drawImage(ImageReader(img), 30, A4[1] - 30 - width * img.height / img.width, width=width,
                   height=width * img.height / img.width)
    page.showPage()
    page.save()
    (HERE / "scanned.pdf").write_bytes(out.getvalue())
    write_expected("scanned.pdf", "\n".join(lines) + "\n", [])
    # a photographed notice as an image attachment: three lines are enough to show the path
    png = io.BytesIO()
    render(lines[:3]).save(png, "PNG", optimize=True)
    (HERE / "scanned.png").write_bytes(png.getvalue())
    write_expected("scanned.png", "\n".join(lines[:3]) + "\n", [])


# --- DOCX (python-docx) and DOC (LibreOffice's MS Word 97 export of a DOCX) --------------------

def docx_bytes(title: str, blocks: list[tuple]) -> bytes:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    document.add_heading(title, level=1)
    for kind, value in blocks:
        if kind != "table":
            document.add_paragraph(value, style="Heading 2" if kind == "h" else None)
            continue
        table = to_table(value)
        grid = table.grid()
        out = document.add_table(rows=len(grid), cols=len(grid[0]))
        out.style = "Table Grid"
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(table.rows):
            c = 0
            for one in row:
                while (r, c) in taken:
                    c += 1
                first = out.cell(r, c)
                if one.rowspan > 1 or one.colspan > 1:
                    first = first.merge(out.cell(r + one.rowspan - 1, c + one.colspan - 1))
                first.text = one.text
                taken.update((r + i, c + j) for i in range(one.rowspan) for j in range(one.colspan))
                c += one.colspan
    out = io.BytesIO()
    document.core_properties.author = ""
    document.save(out)
    return out.getvalue()


def report_docx() -> None:
    "鄂温克旗政务服务局 2020 (seed 000): prose, the 2019 tables and the legacy 统计表, merged cells."
    a = seed_reports()["trs-000"]
    text, tables = blocks_text(a.title, a.blocks)
    (HERE / "report.docx").write_bytes(docx_bytes(a.title, a.blocks))
    write_expected("report.docx", text, tables)


def report_doc() -> None:
    "腾冲市政务服务管理局 2018 (seed 003), legacy narrative, saved as Word 97 by LibreOffice."
    a = seed_reports()["trs-003"]
    text, tables = blocks_text(a.title, a.blocks)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx_bytes(a.title, a.blocks))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=120)
        shutil.copy(Path(tmp) / "report.doc", HERE / "report.doc")
    write_expected("report.doc", text, tables)


# --- XLSX (openpyxl) and XLS (xlwt): seed 000's attached 政府信息公开统计表 ----------------------

def stats_table() -> tuple[str, Table]:
    lines = seed_lines("000")
    start = next(i for i, x in enumerate(lines) if x.startswith("附件2"))
    end = next(i for i, x in enumerate(lines) if x.startswith("主办单位"))
    return "政府信息公开情况统计表", to_table(demo_tables.legacy_stats(lines[start:end]))


def positions(table: Table):
    "(row, column, cell) for each cell where it starts."
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for one in row:
            while (r, c) in taken:
                c += 1
            yield r, c, one
            taken.update((r + i, c + j) for i in range(one.rowspan) for j in range(one.colspan))
            c += one.colspan


def stats_xlsx() -> None:
    import openpyxl

    sheet_name, table = stats_table()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    for r, c, one in positions(table):
        sheet.cell(r + 1, c + 1, int(one.text) if one.text.isdigit() else one.text)
        if one.rowspan > 1 or one.colspan > 1:
            sheet.merge_cells(start_row=r + 1, start_column=c + 1,
                              end_row=r + one.rowspan, end_column=c + one.colspan)
    book.properties.creator = ""
    out = io.BytesIO()
    book.save(out)
    (HERE / "stats.xlsx").write_bytes(out.getvalue())
    write_expected("stats.xlsx", "\n".join(table.text_rows()) + "\n", [table])


def stats_xls() -> None:
    import xlwt

    sheet_name, table = stats_table()
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheet_name)
    for r, c, one in positions(table):
        value = int(one.text) if one.text.isdigit() else one.text
        if one.rowspan > 1 or one.colspan > 1:
            sheet.write_merge(r, r + one.rowspan - 1, c, c + one.colspan - 1, value)
        else:
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    (HERE / "stats.xls").write_bytes(out.getvalue())
    write_expected("stats.xls", "\n".join(table.text_rows()) + "\n", [table])


# --- a ZIP bundle of two of the above, as counties upload a report with its tables ------------

def bundle() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, member in (("report.pdf", "2020年政府信息公开工作年度报告.pdf"),
                             ("stats.xls", "附件2 政府信息公开情况统计表.xls")):
            info = zipfile.ZipInfo(member, date_time=(2021, 2, 5, 16, 2, 11))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, (HERE / name).read_bytes())
    (HERE / "bundle.zip").write_bytes(out.getvalue())


def main() -> None:
    for make in (report_pdf, encrypted_pdfs, scanned, report_docx, report_doc, stats_xlsx, stats_xls, bundle):
        make()
        print("made", make.__name__)


if __name__ == "__main__":
    main()
