"""decode → metadata → clean → classify over one raw capture; and the one-page command.

    python -m pipelines.extract PAGE.html [--url URL] [--content-type 'text/html; charset=…']

prints the ``reports`` row (the columns that need no crawl) as one JSON object. The crawl's item
pipelines and the rebuild from WARC run these same stage functions.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.clean import clean_html
from pipelines.decode import decode
from pipelines.discovery import is_report
from pipelines.faults import binary_type, detect_block, detect_junk
from pipelines.metadata import extract_metadata, report_year_from
from pipelines.record import Capture, Page
from pipelines.script import detect_script, strip_pinyin, to_simplified

logger = logging.getLogger(__name__)


# 1. decode: the raw bytes, our way (Scrapy trusts a lying header)
def decode_stage(page: Page) -> None:
    capture = page.capture
    page.decoded = capture.decoded or decode(capture.body, capture.header("Content-Type"))


# 2. metadata: read before cleaning, which drops the block from the text
def metadata_stage(page: Page) -> None:
    page.metadata = extract_metadata(page.decoded.text, url=page.capture.url)


# 3. clean: body, tables, chrome and spam out; then the script-level passes on the text
def clean_stage(page: Page) -> None:
    title = page.metadata.title if page.metadata else None
    page.cleaned = clean_html(page.decoded.text, title=title)
    page.text, page.pinyin_annotations = strip_pinyin(page.cleaned.text)
    page.script = detect_script(page.text)
    page.text_hans = to_simplified(page.text)
    if page.metadata and page.metadata.report_year is None:
        page.metadata.report_year = report_year_from(page.metadata.title, page.text_hans,
                                                     page.metadata.published)


# 4. classify: is this page a report (heading, URL, list it came from, body)? A response that is no
#    page at all (anti-bot challenge, WAF block, empty or binary body) is a fault, whatever its link said
def classify_stage(page: Page) -> None:
    fault = page_fault(page)
    if fault is not None:
        page.verdict = (False, f"{fault[0]}:{fault[1]}")
        return
    title = (page.metadata.title if page.metadata else None) or page.capture.link_text or ""
    page.verdict = is_report(title, page.capture.url, body=page.text_hans, context=page.capture.context)


def page_fault(page: Page) -> tuple[str, str] | None:
    "('blocked', 'js-challenge'|'waf'|…) or ('junk', 'empty'|'binary') for a response that is no page."
    c, text = page.capture, page.decoded.text if page.decoded else None
    block = detect_block(c.status, c.headers, text)
    if block:
        return "blocked", block
    junk = detect_junk(c.body, text)
    return ("junk", junk) if junk else None


def fault_error(page: Page) -> tuple[str, str] | None:
    "The ``errors`` (kind, message) of a page whose verdict is a fault (see classify_stage), else None."
    group, _, name = (page.verdict[1] if page.verdict else "").partition(":")
    if group not in ("blocked", "junk") or not name:
        return None
    c = page.capture
    what = f"HTTP {c.status}, {len(c.body)} bytes, Content-Type {c.header('Content-Type') or 'none'}"
    if group == "blocked":
        return "blocked", f"{name} page ({what})"
    if name == "binary":
        return "binary", f"not text: {binary_type(c.body) or 'control characters'} ({what})"
    return name, f"nothing to show ({what})"


STAGES = (("decode", decode_stage), ("metadata", metadata_stage), ("clean", clean_stage),
          ("classify", classify_stage))


def run_stage(name: str, stage, page: Page) -> bool:
    "Run one stage; a failure is recorded on the page, never raised (the raw capture is kept)."
    try:
        stage(page)
        return True
    except Exception as exc:  # noqa: BLE001 - bad input must never crash a crawl
        logger.warning("%s failed for %s: %r", name, page.capture.url, exc)
        page.errors.append((name, type(exc).__name__, str(exc)[:500]))
        return False


def process(capture: Capture, *, classify: bool = True) -> Page:
    page = Page(capture)
    for name, stage in STAGES:
        if name == "classify" and not classify:
            continue
        if not run_stage(name, stage, page) and name == "decode":
            break  # nothing later can run without text
    return page


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None


def _none_if_blank(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value


def to_row(page: Page) -> dict:
    "The ``reports`` row for a page (contract.md); NULL where unknown, never ''."
    c, d, m, cl, s = page.capture, page.decoded, page.metadata, page.cleaned, page.script
    text = page.text or None
    row = {
        "url": c.url,
        "site": c.site or urlsplit(c.url).netloc or None,
        "title": m.title if m else None,
        "index_no": m.index_no if m else None,
        "publisher": m.publisher if m else None,
        "published": m.published if m else None,
        "written": m.written if m else None,
        "doc_no": m.doc_no if m else None,
        "category": m.category if m else None,
        "report_year": m.report_year if m else None,
        "site_name": m.site_name if m else None,
        "site_id_code": m.site_id_code if m else None,
        "encoding": d.encoding if d else None,
        "encoding_declared": d.encoding_declared if d else None,
        "encoding_source": d.encoding_source if d else None,
        "decode_errors": d.decode_errors if d else None,
        "mojibake": int(d.mojibake) if d else None,
        "script": s.script if s else None,
        "text": text,
        "text_hans": page.text_hans or None,
        "tables": _json(cl.tables) if cl else None,
        "attachments": _json(c.attachments),
        "pinyin_annotations": page.pinyin_annotations if cl else None,
        "spam_found": int(cl.spam_found) if cl else None,
        "removed": _json(cl.removed) if cl else None,
        "meta": _json(m.meta) if m else None,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None,
        "fetched_at": c.fetched_at,
        "run_id": c.run_id,
        "final_url": c.final_url or c.url,
        "http_status": c.status,
        "warc_file": c.warc_file,
        "warc_offset": c.warc_offset,
        "error": "; ".join(f"{stage}:{kind}" for stage, kind, _ in page.errors) or None,
    }
    return {k: _none_if_blank(v) for k, v in row.items()}


def extract_page(body: bytes, *, url: str = "file:///page.html", content_type: str | None = None) -> dict:
    "One saved page → its ``reports`` row (no network)."
    headers = [("Content-Type", content_type)] if content_type else []
    page = process(Capture(url=url, body=body, headers=headers), classify=False)
    row = to_row(page)
    for key in ("fetched_at", "run_id", "final_url", "http_status", "warc_file", "warc_offset", "site"):
        row.pop(key, None)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.extract", description=__doc__.split("\n")[0])
    parser.add_argument("page", type=Path, help="saved page (raw bytes as served)")
    parser.add_argument("--url", default=None, help="the page's address (for relative links and the row's url)")
    parser.add_argument("--content-type", default=None, help="the HTTP Content-Type header it was served with")
    args = parser.parse_args(argv)
    try:
        body = args.page.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.page}: {exc.strerror}", file=sys.stderr)
        return 2
    url = args.url or args.page.resolve().as_uri()
    from pipelines.attachments import attachment_json, sniff   # a PDF/DOCX/XLS… by its bytes, not its name
    if sniff(body) is not None:
        row = attachment_json(body, name=args.page.name)
    else:
        row = extract_page(body, url=url, content_type=args.content_type)
    json.dump(row, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
