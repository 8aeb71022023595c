"""The Scrapy item pipeline: the reports the spider yields (through the stages already, see
``crawler.extensions.extraction``) and the errors, into the store.

Settings: ARCHIVE_DIR (where ``reports.db`` lives), XXGK_FTS_BATCH (crawler.extensions.reportsdb).
Stats: ``xxgk/store/…``, ``xxgk/errors/<stage>/<kind>``.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from crawler.stoprun import STORAGE_ERRORS, NotStored, stop_run
from crawler.extensions.reportsdb import ReportsDatabase
from pipelines.record import Capture, FetchError, Page
from pipelines.row import to_row
from pipelines.store import Store, gone

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


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
        elif isinstance(item, Page) and item.capture.role == "attachment":
            write, stat = self._write_attachment, None
        elif isinstance(item, (Page, Capture)):
            item, write, stat = item if isinstance(item, Page) else Page(item), self._write_page, None
        else:
            return item
        try:
            outcome, stored = await self.writer.write(write, item)
        except STORAGE_ERRORS as exc:
            # a full disk: stop the run; the raw capture is in WARC if that write got through
            stop_run(self.crawler, "reports.db", exc)
            raise NotStored(f"not stored, ARCHIVE_DIR stopped taking writes: {exc}") from None
        self.stats.inc_value(stat or f"xxgk/store/{outcome}")   # stats are the event loop's
        if isinstance(item, Page):   # each of its errors rows is counted as a fetch failure's is
            for stage, kind, _ in item.errors:
                self.stats.inc_value(f"xxgk/errors/{stage}/{kind}")
        # a report goes on as its reports row, no bytes: what feed exports (-O reports.jsonl) write
        return item if stored is None else stored

    def _write_error(self, store: Store, item: FetchError) -> tuple[None, None]:
        store.record_error(self.run_id, item.url, item.stage, item.kind, item.message)
        return None, None

    def _write_attachment(self, store: Store, page: Page) -> tuple[str, None]:
        # a reader that failed outright left no row: its errors row says why
        outcome = store.save_attachment(page.attachment) if page.attachment is not None else "failed"
        for stage, kind, message in page.errors:
            store.record_error(self.run_id, page.capture.url, stage, kind, message)
        return f"attachment/{outcome}", None

    def _write_page(self, store: Store, page: Page) -> tuple[str, dict]:
        row = to_row(page)
        outcome = store.save_report(row)
        for stage, kind, message in page.errors:
            store.record_error(self.run_id, row["url"], stage, kind, message)
        return outcome, store.db["reports"].get(row["url"])

    def spider_closed(self, spider, reason: str) -> None:
        walk = run_walk(spider, self.run_id, reason, self.stats.get_stats(),
                        cluster=bool(self.crawler.settings.get("XXGK_FRONTIER")))
        if walk is not None:   # before the run's row: its summary reads the verdicts
            try:
                self.writer.submit(lambda store: gone.decide(store.db, walk)).result()
            except Exception as exc:  # noqa: BLE001 - the verdict is rolled back; the run's row is still written
                logger.error("run %s: gone/returned reports not decided: %r", self.run_id, exc)
        try:
            self.writer.submit(Store.finish_run, self.run_id, reason, self.stats.get_stats()).result()
        except STORAGE_ERRORS as exc:  # the next run marks this one 'killed' from what was committed
            logger.error("run %s not recorded as finished: %s", self.run_id, exc)


def run_walk(spider, run_id: str | None, reason: str, stats: dict, cluster: bool = False) -> gone.RunWalk | None:
    "What the spider's walk showed, for the end-of-run verdict on gone and returned reports (issue 19)."
    listed, gaps = getattr(spider, "listed", None), getattr(spider, "walk_gaps", None)
    if run_id is None or listed is None or gaps is None:
        return None
    portals = [gone.PortalWalk(p.name, sorted(p.hosts), listed.get(p.name, {}),
                               [f"{k} x{n}" if n > 1 else k for k, n in sorted(gaps.get(p.name, {}).items())])
               for p in spider.portal_list]
    return gone.RunWalk(run_id, portals, finish_reason=reason, mode=stats.get("xxgk/mode"),
                        resumed=bool(stats.get("xxgk/state/resumed")), cluster=cluster)
