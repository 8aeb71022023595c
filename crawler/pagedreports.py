"""The continuation pages of a paged report, fetched while its first page is being handled.

They are downloaded inside the first page's callback (``engine.download_async``: the downloader
middlewares apply, so each page is archived in WARC with role ``report_page``, robots.txt is obeyed and
per-host politeness holds), so the report is one unit of work under the first page's frontier lease:
a run killed half-way fetches it again, whole. Bounded by XXGK_MAX_REPORT_PAGES; a page that repeats
an earlier one under another URL (page 2 linking back to page 1) ends the walk; a page that fails to
load makes the report's error ``pages:incomplete``, with the pages it has.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import scrapy
from scrapy.exceptions import IgnoreRequest

from crawler.stoprun import run_stopping
from pipelines.discovery import is_trap
from pipelines.pages import join_pages

if TYPE_CHECKING:
    from pipelines.record import Page


async def fetch_report_pages(spider, response, first: Page) -> Page | None:
    """The report joined from its pages; None when the run began to close before every page came
    (a page missing for that alone: the report is fetched again, whole, by the next run)."""
    portal = spider.portals[response.meta["portal"]]
    pages = [first]
    digests = {hashlib.sha1(first.capture.body).digest()}
    seen = {first.capture.url}
    queue = [u for u in first.paging if u not in seen]
    missing: list[str] = []
    while queue and len(pages) < spider.max_report_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if not spider.in_scope(portal, url) or is_trap(url, max_url_length=spider.max_url_length):
            continue
        meta = {**{k: response.meta.get(k) for k in ("portal", "hops", "column", "link_text")},
                "role": "report_page", "download_maxsize": spider.page_maxsize}
        try:
            answer = await spider.crawler.engine.download_async(scrapy.Request(url, meta=meta, dont_filter=True))
        except IgnoreRequest as exc:   # robots.txt forbids it: the report is what we may have of it
            missing.append(f"{url} ({exc})")
            continue
        except Exception as exc:  # noqa: BLE001 - any download failure: the report keeps what it has
            missing.append(f"{url} ({type(exc).__name__}: {exc})")
            continue
        spider.inc("report_pages", portal.name)
        if not 200 <= answer.status < 300 and answer.status != 304:
            missing.append(f"{url} (HTTP {answer.status})")
            continue
        digest = hashlib.sha1(answer.body).digest()
        if digest in digests:
            continue   # the same page under another URL: a paging loop
        digests.add(digest)
        page = await spider.extraction.process(spider.capture(answer, role="report_page"))
        if page.fault is not None:
            missing.append(f"{url} ({page.fault[0]}: {page.fault[1]})")
            continue
        pages.append(page)
        queue += [u for u in page.paging or () if u not in seen and u not in queue]
    if queue and len(pages) >= spider.max_report_pages:
        missing.append(f"{len(queue)} more past XXGK_MAX_REPORT_PAGES={spider.max_report_pages}")
    if missing and run_stopping(spider.crawler):
        return None
    spider.inc("paged_reports", portal.name)
    report = join_pages(pages)
    if missing:
        report.errors.append(("pages", "incomplete",
                              f"{len(pages)} pages stored; not: " + "; ".join(missing)[:450]))
    return report

