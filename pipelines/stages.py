"""The stages, over one raw capture: decode → parse → links → metadata → clean → classify.

Each stage is a function of the ``Page`` that fills in its part. They share one parse of the page
(``pipelines.html``): discovery reads it as it is, metadata a copy it prunes, cleaning the original,
last. ``process`` runs the stages a capture's role needs; a stage that fails is recorded on the page
(``Page.errors``: stage, kind, message) at this one boundary, never raised, and the raw capture is
kept: the crawl, the one-page command and the rebuild from WARC all run this.
"""
from __future__ import annotations

import logging

from pipelines.attachments import DEFAULT_LIMITS, Limits, extract_attachment
from pipelines.clean import clean_html
from pipelines.decode import decode
from pipelines.discovery import (article_position, classify_link, extract_links, is_report, page_links,
                                 reads_as_report, report_attachments)
from pipelines.discovery.links import page_text
from pipelines.discovery.scriptedlists import read_scripted_lists
from pipelines.faults import binary_type, detect_block, detect_junk
from pipelines.html import parse_page
from pipelines.metadata import extract_metadata, report_year_from
from pipelines.record import Capture, Page
from pipelines.script import detect_script, strip_pinyin, to_simplified
from pipelines.tables.stats import parse_stats

logger = logging.getLogger(__name__)


# 1. decode: the raw bytes, our way (Scrapy trusts a lying header)
def decode_stage(page: Page) -> None:
    page.decoded = decode(page.capture.body, page.capture.header("Content-Type"))


# 2. faults: a response that is no page at all (anti-bot challenge, WAF block, empty or binary body),
#    whatever its link said
def faults_stage(page: Page) -> None:
    page.fault = page_fault(page)


# 3. parse: once, for every later stage
def parse_stage(page: Page) -> None:
    page.parsed = parse_page(page.decoded.text)


# 4. links: what the page leads to, read from the raw page before anything is cleaned away
def links_stage(page: Page) -> None:
    c, text, enc = page.capture, page.decoded.text, page.decoded.encoding or "utf-8"
    page.links = extract_links(text, c.final_url or c.url, enc, page=page.parsed)
    page.attachments = report_attachments(text, c.url, enc, links=page.links)
    if c.role in (None, "list", "report", "report_page"):   # a list's other pages; a report's continuations
        page.paging = page_links(text, c.final_url or c.url, encoding=enc, page=page.parsed)
    if page.paging and c.role in (None, "report", "report_page"):
        page.position = article_position(text, page=page.parsed, url=c.final_url or c.url)
    if c.role == "list":   # a year link followed as a list may have led to the report itself
        page.reads_as_report = reads_as_report(page_text(text, page=page.parsed))
        read_scripted_lists(page)   # endpoints its script asks, JSON answers, lists only a script builds
    if page.fault == ("junk", "empty") and any(link.source == "embed" for link in page.links):
        page.fault = None   # a page that shows a file (a viewer, <embed>) has its report there


# 5. metadata: read before cleaning, which drops the block from the text
def metadata_stage(page: Page) -> None:
    page.metadata = extract_metadata(page.decoded.text, url=page.capture.url, tree=page.parsed.copy())


# 6. clean: body, tables, chrome and spam out; then the script-level passes on the text
def clean_stage(page: Page) -> None:
    title = page.metadata.title if page.metadata else None
    page.cleaned = clean_html(page.decoded.text, title=title, page=page.parsed)
    page.parsed = None   # the cleaner changed the tree: nothing may read it after this
    page.text, page.pinyin_annotations = strip_pinyin(page.cleaned.text)
    page.script = detect_script(page.text)
    page.text_hans = to_simplified(page.text)
    if page.metadata and page.metadata.report_year is None:
        page.metadata.report_year = report_year_from(page.metadata.title, page.text_hans,
                                                     page.metadata.published)
    if not page.text and not page.attachments:
        # never an empty success: a row without text says why (one that links or shows files gets
        # its text from the file, or the file's errors row says why not)
        where = "; the page shows or links a file, its report may be there" if page.attachments else ""
        page.errors.append(("clean", "empty_text", f"no text in the page's body ({len(page.capture.body)} bytes){where}"))


# 7. classify: is this page a report (heading, URL, list it came from, body)? A fault never is
def classify_stage(page: Page) -> None:
    if page.fault is not None:
        page.verdict = (False, f"{page.fault[0]}:{page.fault[1]}")
        return
    title = (page.metadata.title if page.metadata else None) or page.capture.link_text or ""
    page.verdict = is_report(title, page.capture.url, body=page.text_hans, context=page.capture.context,
                             listed_links=listed_report_links(page))


def listed_report_links(page: Page) -> int:
    "Links to other report pages (not files, not itself): many on a page with little text make it a list."
    files = {a["url"] for a in page.attachments or ()}
    return len({link.url for link in page.links or ()
                if link.url != page.capture.url and link.url not in files
                and classify_link(link, in_column=True) == "report"})


# 8. stats: the numbers of the national tables and their sums (report pages only)
def stats_stage(page: Page) -> None:
    if page.cleaned is None or (page.verdict is not None and not page.verdict[0]):
        return
    page.stats = parse_stats(page.cleaned.tables, page.text_hans,
                             page.metadata.report_year if page.metadata else None)


def page_fault(page: Page) -> tuple[str, str] | None:
    "('blocked', 'js-challenge'|'waf'|…) or ('junk', 'empty'|'binary') for a response that is no page."
    c, text = page.capture, page.decoded.text if page.decoded else None
    block = detect_block(c.status, c.headers, text)
    if block:
        return "blocked", block
    junk = detect_junk(c.body, text)
    return ("junk", junk) if junk else None


def fault_error(page: Page) -> tuple[str, str] | None:
    "The ``errors`` (kind, message) of a page that is a fault (see faults_stage), else None."
    if page.fault is None:
        return None
    group, name = page.fault
    c = page.capture
    what = f"HTTP {c.status}, {len(c.body)} bytes, Content-Type {c.header('Content-Type') or 'none'}"
    if group == "blocked":
        return "blocked", f"{name} page ({what})"
    if name == "binary":
        return "binary", f"not text: {binary_type(c.body) or 'control characters'} ({what})"
    return name, f"nothing to show ({what})"


# an attachment (role 'attachment'): text and tables from the file's bytes, whatever its type
def attachment_stage(page: Page, limits: Limits = DEFAULT_LIMITS) -> None:
    c = page.capture
    result = extract_attachment(c.body, name=c.link_text, limits=limits)
    page.attachment = {**result.row(), "url": c.url, "report_url": c.report_url, "warc_file": c.warc_file,
                       "warc_offset": c.warc_offset, "fetched_at": c.fetched_at, "run_id": c.run_id,
                       "http_status": c.status}
    if result.error:   # 'attachment:corrupt' → its errors row (the text read before it is kept)
        page.errors.append(("attachment", result.error.partition(":")[2] or result.error, result.message or ""))


STAGES = (("decode", decode_stage), ("faults", faults_stage), ("parse", parse_stage), ("links", links_stage),
          ("metadata", metadata_stage), ("clean", clean_stage), ("classify", classify_stage),
          ("stats", stats_stage))
# what a page fetched for each role needs: a list or section page is read for its links only
NAVIGATION = ("decode", "faults", "parse", "links")
# a continuation of a paged report is cleaned like any report page; the first page decided what it is
ROLE_STAGES = {"list": NAVIGATION, "section": NAVIGATION,
               "report_page": ("decode", "faults", "parse", "links", "metadata", "clean")}
REQUIRED = ("decode", "parse")   # nothing later can run without the text and its tree


def run_stage(name: str, stage, page: Page) -> bool:
    "Run one stage; a failure is recorded on the page, never raised (the raw capture is kept)."
    try:
        stage(page)
        return True
    except Exception as exc:  # noqa: BLE001 - the one boundary: bad input must never crash a crawl
        logger.warning("%s failed for %s: %r", name, page.capture.url, exc)
        page.errors.append((name, type(exc).__name__, str(exc)[:500]))
        return False


def process(capture: Capture, *, classify: bool = True, limits: Limits = DEFAULT_LIMITS) -> Page:
    "The stages ``capture.role`` needs (every one for a report page, or with no role), in order."
    page = Page(capture)
    if capture.role == "attachment":
        run_stage("attachment", lambda p: attachment_stage(p, limits), page)
        return page
    wanted = ROLE_STAGES.get(capture.role or "", tuple(name for name, _ in STAGES))
    for name, stage in STAGES:
        if name not in wanted or (name == "classify" and not classify):
            continue
        if not run_stage(name, stage, page) and name in REQUIRED:
            break
    page.parsed = None   # a tree does not travel between processes, nor outlive its page
    return page
