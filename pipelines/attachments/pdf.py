"""PDF → text in reading order, ruled tables as ``Table``, pages without a text layer through OCR.

pypdfium2 (PDFium, Chrome's PDF engine) reads the text: content order, exact CJK through the
Adobe-GB1/CNS1 CMaps, ~5 ms a page; pdfplumber (pdfminer.six) is asked for tables only on pages
that draw ruling lines, since it costs ~85 ms a page (bench/attachments.py). A page's text is read
in bands between its tables, so a table's cells are written once, as its rows.
"""
from __future__ import annotations

import statistics
from importlib.metadata import version

from pipelines.attachments import ocr
from pipelines.attachments.model import AttachmentError, Deadline, Limits
from pipelines.attachments.pdftables import MIN_PATHS, Piece, TableFinder
from pipelines.attachments.text import PAGE_NUMBER_RE, paragraphs, width

# PDFium's FPDF_GetLastError codes (fpdfview.h)
_PDFIUM_ERRORS = {2: "file not found or could not be opened", 3: "not a PDF or corrupted",
                  4: "password required", 5: "unsupported security scheme", 6: "page not found"}
# a page with less text than this that shows an image is a scan (a scanner may stamp a page number)
SCAN_MAX_CHARS = 20


class PdfReport:
    "What the reader found, page by page: runs of lines and tables, in reading order."

    def __init__(self) -> None:
        self.blocks: list[list[str] | Piece] = []
        self.page_widths: list[int] = []
        self.ocr_pages = 0
        self.scans_skipped = 0

    def lines(self, lines: list[str]) -> None:
        lines = [ln for ln in (x.strip() for x in lines) if ln and not PAGE_NUMBER_RE.match(ln)]
        if not lines:
            return
        self.page_widths.append(max(width(ln) for ln in lines))
        if self.blocks and isinstance(self.blocks[-1], list):
            self.blocks[-1].extend(lines)
        else:
            self.blocks.append(lines)

    def table(self, piece: Piece) -> None:
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, Piece) and last.continues(piece):
            last.extend(piece)
        else:
            self.blocks.append(piece)

    def result(self):
        margin = int(statistics.median(self.page_widths)) if self.page_widths else 0
        out, tables = [], []
        for block in self.blocks:
            if isinstance(block, Piece):
                table = block.table()
                tables.append(table)
                out.extend(table.text_rows())
            else:
                out.extend(paragraphs(block, margin=margin))
        return "\n".join(out), tables


def read_pdf(body: bytes, limits: Limits, deadline: Deadline, result) -> None:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (4, 5):
            raise AttachmentError("encrypted", f"PDF: {_PDFIUM_ERRORS[code]}") from None
        raise AttachmentError("corrupt", f"PDF: {_PDFIUM_ERRORS.get(code, exc)}") from None
    result.extractor = f"pypdfium2 {version('pypdfium2')}"
    finder = TableFinder(body)
    found = PdfReport()
    try:
        result.pages = len(doc)
        for index in range(min(len(doc), limits.max_pages)):
            deadline.check(f"page {index + 1}")
            read_page(doc, index, finder, found, limits, deadline)
        if len(doc) > limits.max_pages:
            raise AttachmentError("too_many_pages", f"{len(doc)} pages, read the first {limits.max_pages}")
        if found.scans_skipped:
            raise AttachmentError("needs_ocr", f"{found.scans_skipped} of {len(doc)} pages are scans "
                                  "without a text layer; pip install -e '.[ocr]'" if not ocr.available()
                                  else f"{found.scans_skipped} scanned pages over the OCR limit")
    finally:       # the text read so far survives a later error (timeout, too many pages)
        result.text, result.tables = found.result()
        result.ocr = found.ocr_pages
        finder.close()
        doc.close()


def read_page(doc, index: int, finder: TableFinder, found: PdfReport, limits: Limits, deadline: Deadline) -> None:
    import pypdfium2.raw as raw

    page = doc[index]
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        kinds = [obj.type for obj in page.get_objects(max_depth=1)]
        if len(text.strip()) < SCAN_MAX_CHARS and raw.FPDF_PAGEOBJ_IMAGE in kinds:
            scan(page, found, limits, deadline)
            return
        pieces = finder.pieces(index) if kinds.count(raw.FPDF_PAGEOBJ_PATH) >= MIN_PATHS else []
        if not pieces:
            found.lines(text.splitlines())
            return
        left, bottom, right, top = page.get_bbox()
        y = top
        for piece_top, piece_bottom, piece in pieces:     # pdfplumber measures from the page's top
            found.lines(textpage.get_text_bounded(left, top - piece_top, right, y).splitlines())
            found.table(piece)
            y = top - piece_bottom
        found.lines(textpage.get_text_bounded(left, bottom, right, y).splitlines())
    finally:
        textpage.close()
        page.close()


def scan(page, found: PdfReport, limits: Limits, deadline: Deadline) -> None:
    if not (limits.ocr and ocr.available()) or found.ocr_pages >= limits.ocr_max_pages:
        found.scans_skipped += 1
        return
    image = page.render(scale=limits.ocr_scale, grayscale=True).to_pil()
    deadline.check("OCR")
    found.lines(ocr.image_lines(image))
    found.ocr_pages += 1
