"""Attachment extraction cost, by hand (not in the tests): ms per page for the chosen PDF path and
the alternative on the same files, and per file for the other formats.

    python -m bench.attachments              # fixtures, and report.pdf repeated to 100 pages
    python -m bench.attachments --repeat 60 --runs 7

PDF, per page, median of --runs:
  chosen       extract_attachment: pypdfium2 text + pdfplumber tables on ruled pages only
  pdfium text  pypdfium2 text alone (the floor of the chosen path)
  pdfplumber   pdfplumber alone: extract_text + find_tables on every page (the alternative)
and the bigram F1 of each one's text against the generator's text (report.pdf).
"""
from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from pipelines.attachments import Limits, extract_attachment, ocr
from pipelines.quality import bigram_f1

FILES = Path(__file__).resolve().parent.parent / "tests" / "data" / "attachments"


def repeated(data: bytes, times: int) -> bytes:
    "report.pdf's pages `times` over, joined by PDFium (no writer needed)."
    import pypdfium2 as pdfium

    source, out = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    for _ in range(times):
        out.import_pages(source)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def pdfium_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    texts = []
    for page in doc:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    doc.close()
    return "\n".join(texts)


def plumber_text(data: bytes) -> str:
    import pdfplumber

    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.find_tables()
            out.append(page.extract_text() or "")
            page.close()
    return "\n".join(out)


def chosen(data: bytes) -> str:
    return extract_attachment(data, limits=Limits(max_pages=10_000, seconds=3600)).text or ""


def timed(fn, data: bytes, runs: int) -> tuple[float, str]:
    times, text = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        text = fn(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times), text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.attachments", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="report.pdf's 5 pages this many times over")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    report = (FILES / "report.pdf").read_bytes()
    expected = (FILES / "report.pdf.expected.txt").read_text("utf-8")
    print(f"{'PDF':<34}{'pages':>6}{'ms/page':>10}{'F1':>8}")
    for label, data, pages in (("report.pdf", report, 5),
                               (f"report.pdf ×{args.repeat}", repeated(report, args.repeat), 5 * args.repeat)):
        for name, fn in (("chosen (pdfium + plumber tables)", chosen), ("pdfium text", pdfium_text),
                         ("pdfplumber", plumber_text)):
            seconds, text = timed(fn, data, args.runs)
            f1 = bigram_f1(text, expected) if pages == 5 else float("nan")
            print(f"  {label + ': ' + name:<32}{pages:>6}{seconds * 1000 / pages:>10.1f}{f1:>8.3f}")
    print(f"\n{'file':<20}{'type':>6}{'pages':>6}{'ms':>10}  extractor")
    for name in ("report.docx", "report.doc", "stats.xlsx", "stats.xls", "bundle.zip", "scanned.pdf"):
        if name == "scanned.pdf" and not ocr.available():
            print(f"{name:<20}  skipped: the [ocr] extra is not installed")
            continue
        data = (FILES / name).read_bytes()
        runs = 1 if name in ("report.doc", "scanned.pdf") else args.runs
        seconds, _ = timed(lambda d: extract_attachment(d), data, runs)
        result = extract_attachment(data)
        print(f"{name:<20}{result.type:>6}{result.pages or 1:>6}{seconds * 1000:>10.0f}  "
              f"{result.extractor}{'  ' + result.error if result.error else ''}")


if __name__ == "__main__":
    main()
