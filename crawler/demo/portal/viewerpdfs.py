"""The PDFs the demo's viewer reports show (pageshapes.py): each the report's title and body, with a text layer.

    pip install -e '.[fixtures]'                  # reportlab
    python -m crawler.demo.portal.viewerpdfs       # rewrite pdfs/*.pdf and pdfs/sources.json

reportlab writes them with its built-in CID font STSong-Light (Adobe-GB1, no font file embedded or
needed), the tables with their spans, ``invariant=1`` (no dates or random ids in the bytes). The bytes
are committed, so the generator and the tests never need reportlab: ``pdf_bytes`` hands the generator
a committed file and refuses one written from another text than the article's (sources.json holds the
sha256 of the blocks each file was drawn from).
"""
from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from .model import Article, FileLink, Table

PDFS = Path(__file__).resolve().parent / "pdfs"
SOURCES = PDFS / "sources.json"


def source_text(a: Article) -> str:
    "What the PDF is drawn from: the title, then each block (a table as its cells with their spans)."
    parts = [a.title]
    for kind, v in a.blocks:
        if isinstance(v, Table):
            parts.append(json.dumps([[[c.text, c.rowspan, c.colspan] for c in row] for row in v.rows],
                                    ensure_ascii=False))
        else:
            parts.append(f"{kind}\t{v.line() if isinstance(v, FileLink) else v}")
    return "\n".join(parts)


def source_digest(a: Article) -> str:
    return hashlib.sha256(source_text(a).encode("utf-8")).hexdigest()


def pdf_bytes(a: Article, name: str) -> bytes:
    "The committed PDF of viewer report ``a``, checked against the article's text."
    sources = json.loads(SOURCES.read_text("utf-8")) if SOURCES.exists() else {}
    if sources.get(name) != source_digest(a) or not (PDFS / name).exists():
        raise SystemExit(f"crawler/demo/portal/pdfs/{name} is not the PDF of {a.id} as it reads now: run "
                         "python -m crawler.demo.portal.viewerpdfs (needs reportlab: pip install -e '.[fixtures]')")
    return (PDFS / name).read_bytes()


# --- the writer (reportlab) ---------------------------------------------------------------------

def _story(a: Article) -> list:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, Spacer
    from reportlab.platypus import Table as PdfTable
    from reportlab.platypus import TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=17, wordWrap="CJK",
                          firstLineIndent=21)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20, firstLineIndent=0)
    sig = ParagraphStyle("sig", parent=body, alignment=2, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=26, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK", alignment=1)
    story = [Paragraph(a.title, title), Spacer(0, 8)]
    for kind, value in a.blocks:
        if isinstance(value, Table):
            width = len(value.grid()[0])
            grid: list[list] = []
            styles = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            taken: set[tuple[int, int]] = set()
            for r, row in enumerate(value.rows):
                out: list = [""] * width
                c = 0
                for one in row:
                    while (r, c) in taken:
                        c += 1
                    out[c] = Paragraph(one.text, cell)   # a spanning cell is drawn once, where it starts
                    if one.rowspan > 1 or one.colspan > 1:
                        styles.append(("SPAN", (c, r), (c + one.colspan - 1, r + one.rowspan - 1)))
                    taken.update((r + i, c + j) for i in range(one.rowspan) for j in range(one.colspan))
                    c += one.colspan
                grid.append(out)
            story += [PdfTable(grid, colWidths=[460 / width] * width, style=TableStyle(styles)), Spacer(0, 8)]
        else:
            text = value.line() if isinstance(value, FileLink) else value
            story.append(Paragraph(text, head if kind == "h" else sig if kind == "sig" else body))
    return story


def write_pdf(a: Article) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=a.title, author=a.source or "", invariant=1).build(_story(a))
    return out.getvalue()


def main() -> int:
    from .generate import build_sites
    from .pageshapes import shape_of

    PDFS.mkdir(exist_ok=True)
    sources = {}
    for site in build_sites():
        for a in site.articles:
            shape = shape_of(a)
            if shape is not None and shape.kind == "viewer":
                name = shape.pdf.rsplit("/", 1)[1]
                (PDFS / name).write_bytes(write_pdf(a))
                sources[name] = source_digest(a)
    SOURCES.write_text(json.dumps(sources, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"{len(sources)} PDFs -> {PDFS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
