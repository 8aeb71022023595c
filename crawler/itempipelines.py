"""Thin Scrapy item pipelines around the stage functions of ``pipelines.extract`` and the store.

Settings: ARCHIVE_DIR (where ``reports.db`` lives), XXGK_EXTRACT_WORKERS, XXGK_FTS_BATCH (crawler.extensions.reportsdb).
Stats: ``xxgk/<stage>/…``, ``xxgk/store/…``.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.stoprun import STORAGE_ERRORS, stop_run
from crawler.extensions.reportsdb import ReportsDatabase
from pipelines import extract
from pipelines.record import Capture, FetchError, Page
from pipelines.store import Store
from pipelines.workers import ExtractPool, default_workers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """decode → metadata → clean → classify (``pipelines.extract``) for each capture, in
    XXGK_EXTRACT_WORKERS processes; counts each stage's outcome and drops what is not a report.

    The four stages of a page run in one worker call: shipping a page between processes costs more
    than a stage, and a page's stages depend on each other anyway.
    """

    def __init__(self, crawler: Crawler, workers: int):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = ExtractPool(workers)

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        workers = crawler.settings.get("XXGK_EXTRACT_WORKERS")
        return cls(crawler, default_workers() if workers in (None, "", "auto") else int(workers))

    def open_spider(self) -> None:
        self.pool.start()  # the workers import while the first pages download

    def close_spider(self) -> None:
        self.pool.close()

    async def process_item(self, item):
        if not isinstance(item, Capture):
            return item
        page = await self.pool.process(item)
        self.count(page)
        return self.verdict(page)

    def count(self, page: Page) -> None:
        for stage, kind, message in page.errors:
            self.stats.inc_value(f"xxgk/{stage}/error")
            if self.pool.workers:  # run inline, run_stage has logged it already
                logger.warning("%s failed for %s: %s: %s", stage, page.capture.url, kind, message)
        if page.decoded is not None:
            self.stats.inc_value(f"xxgk/decode/{page.decoded.encoding}")
            if page.decoded.mojibake:
                self.stats.inc_value("xxgk/decode/mojibake")
        for warning in getattr(page.metadata, "warnings", None) or ():
            self.stats.inc_value("xxgk/metadata/warning")
            logger.warning("%s: %s", page.capture.url, warning)
        if page.cleaned is not None and page.cleaned.spam_found:
            self.stats.inc_value("xxgk/clean/spam_removed")

    def verdict(self, page: Page):
        if page.verdict is None:
            return page  # undecidable (a stage failed): keep it, with its error reason
        keep, reason = page.verdict
        self.stats.inc_value(f"xxgk/classify/{'kept' if keep else 'rejected'}/{reason}")
        fault = extract.fault_error(page)
        if fault is not None:  # a block page, an empty or binary body: an error, never a report
            logger.info("not a page (%s): %s", reason, page.capture.url)
            return FetchError(url=page.capture.url, kind=fault[0], message=fault[1], stage="classify")
        logger.debug("%s %s: %s", "kept" if keep else "rejected", page.capture.url, reason)
        if not keep:
            raise DropItem(f"not a report ({reason}): {page.capture.url}")
        return page


class StorePipeline:
    """Writes each page's row (and its errors) to ARCHIVE_DIR/reports.db; records the run. A page goes on
    as the ``reports`` row stored for it (a dict of the table's columns), an error as it came.

    The writes go to the crawl's database thread (``crawler.extensions.reportsdb``); an item is done, and its
    frontier row acknowledged, once its transaction has committed.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.writer = ReportsDatabase.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        o = cls(crawler)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    @property
    def run_id(self) -> str | None:
        return getattr(self.crawler.spider, "run_id", None)

    def open_spider(self) -> None:
        args = dict(getattr(self.crawler.spider, "spider_args", {}) or {})
        self.writer.submit(Store.start_run, self.run_id, args).result()

    async def process_item(self, item):
        if isinstance(item, FetchError):
            write, stat = self._write_error, f"xxgk/errors/{item.stage}/{item.kind}"
        elif isinstance(item, (Page, Capture)):
            item, write, stat = item if isinstance(item, Page) else Page(item), self._write_page, None
        else:
            return item
        try:
            outcome, stored = await self.writer.write(write, item)
        except STORAGE_ERRORS as exc:
            # a full disk: stop the run; the raw capture is in WARC if that write got through
            stop_run(self.crawler, "reports.db", exc)
            raise DropItem(f"not stored, ARCHIVE_DIR stopped taking writes: {exc}") from None
        self.stats.inc_value(stat or f"xxgk/store/{outcome}")   # stats are the event loop's
        # a report goes on as its reports row, no bytes: what feed exports (-O reports.jsonl) write
        return item if stored is None else stored

    def _write_error(self, store: Store, item: FetchError) -> tuple[None, None]:
        store.record_error(self.run_id, item.url, item.stage, item.kind, item.message)
        return None, None

    def _write_page(self, store: Store, page: Page) -> tuple[str, dict]:
        row = extract.to_row(page)
        outcome = store.save_report(row)
        for stage, kind, message in page.errors:
            store.record_error(self.run_id, row["url"], stage, kind, message)
        return outcome, store.db["reports"].get(row["url"])

    def spider_closed(self, spider, reason: str) -> None:
        try:
            self.writer.submit(Store.finish_run, self.run_id, reason, self.stats.get_stats()).result()
        except STORAGE_ERRORS as exc:  # the next run marks this one 'killed' from what was committed
            logger.error("run %s not recorded as finished: %s", self.run_id, exc)
