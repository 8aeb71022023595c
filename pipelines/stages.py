"""Thin Scrapy item pipelines around the stage functions of ``pipelines.extract`` and the store.

Settings: ARCHIVE_DIR (where ``reports.db`` lives). Stats: ``xxgk/<stage>/…``, ``xxgk/store/…``.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DropItem

from crawler.storage import STORAGE_ERRORS, stop_run
from pipelines import extract
from pipelines.record import Capture, FetchError, Page
from pipelines.store import Store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StagePipeline:
    """Runs one stage; a failed stage is recorded on the page and counted, never raised."""

    stage = ""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler)

    def process_item(self, item):
        if not isinstance(item, (Page, Capture)):
            return item
        page = item if isinstance(item, Page) else Page(item)
        if page.decoded is None and self.stage != "decode":
            return page  # decoding failed earlier: nothing to work on, the raw capture is kept
        if not extract.run_stage(self.stage, dict(extract.STAGES)[self.stage], page):
            self.stats.inc_value(f"xxgk/{self.stage}/error")
        self.count(page)
        return page

    def count(self, page: Page) -> None:
        "Per-stage stats hook."


class DecodePipeline(StagePipeline):
    stage = "decode"

    def count(self, page: Page) -> None:
        if page.decoded is not None:
            self.stats.inc_value(f"xxgk/decode/{page.decoded.encoding}")
            if page.decoded.mojibake:
                self.stats.inc_value("xxgk/decode/mojibake")


class MetadataPipeline(StagePipeline):
    stage = "metadata"

    def count(self, page: Page) -> None:
        for warning in getattr(page.metadata, "warnings", None) or ():
            self.stats.inc_value("xxgk/metadata/warning")
            logger.warning("%s: %s", page.capture.url, warning)


class CleanPipeline(StagePipeline):
    stage = "clean"

    def count(self, page: Page) -> None:
        if page.cleaned is not None and page.cleaned.spam_found:
            self.stats.inc_value("xxgk/clean/spam_removed")


class ClassifyPipeline(StagePipeline):
    """Drops pages that turn out not to be reports (the reason goes to the stats and the log)."""

    stage = "classify"

    def process_item(self, item):
        page = super().process_item(item)
        if not isinstance(page, Page) or page.verdict is None:
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
    """Writes each page's row (and its errors) to ARCHIVE_DIR/reports.db; records the run."""

    def __init__(self, crawler: Crawler, archive_dir: Path, fts_batch: int = 500):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = archive_dir / "reports.db"
        self.fts_batch = fts_batch
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")), settings.getint("XXGK_FTS_BATCH", 500))
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    @property
    def run_id(self) -> str | None:
        return getattr(self.crawler.spider, "run_id", None)

    def open_spider(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.path, fts_batch=self.fts_batch)
        self.store.start_run(self.run_id, dict(getattr(self.crawler.spider, "spider_args", {}) or {}))

    def process_item(self, item):
        try:
            return self.store_item(item)
        except STORAGE_ERRORS as exc:
            # a full disk: stop the run; the raw capture is in WARC if that write got through
            stop_run(self.crawler, "reports.db", exc)
            raise DropItem(f"not stored, ARCHIVE_DIR stopped taking writes: {exc}") from None

    def store_item(self, item):
        if isinstance(item, FetchError):
            self.stats.inc_value(f"xxgk/errors/{item.stage}/{item.kind}")
            self.store.record_error(self.run_id, item.url, item.stage, item.kind, item.message)
            return item
        page = item if isinstance(item, Page) else Page(item) if isinstance(item, Capture) else None
        if page is None:
            return item
        row = extract.to_row(page)
        outcome = self.store.save_report(row)
        self.stats.inc_value(f"xxgk/store/{outcome}")
        for stage, kind, message in page.errors:
            self.store.record_error(self.run_id, row["url"], stage, kind, message)
        return page

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None:
            return
        try:
            self.store.finish_run(self.run_id, reason, self.stats.get_stats())
            self.store.close()
        except STORAGE_ERRORS as exc:  # the next run marks this one 'killed' from what was committed
            logger.error("run %s not recorded as finished: %s", self.run_id, exc)
        self.store = None
