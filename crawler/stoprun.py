"""When ARCHIVE_DIR stops taking writes (disk full, I/O error) a run stops, once and cleanly.

Every component that writes (frontier, WARC, store) calls ``stop_run`` on a write error instead of
raising into Scrapy's loop, where the error would leave the run hanging. The crawl command turns the
recorded reason into one error line and exit code 1.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from pipelines.store import STORAGE_ERROR

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

STORAGE_ERRORS = (OSError, sqlite3.Error)
STAT = "xxgk/storage_error"
REASON = STORAGE_ERROR
# the first failure in this process, for the crawl command's exit code (its crawlers are gone by then)
failure: str | None = None


class NotStored(DropItem):
    """An item dropped because ARCHIVE_DIR stopped taking writes: its frontier row is never acknowledged,
    so the next run fetches the page again instead of counting it as done."""


def run_stopping(crawler: Crawler) -> bool:
    "Whether the run is closing (a stop, a full disk, a lost frontier): downloads may fail for that alone."
    engine = crawler.engine
    slot = getattr(engine, "_slot", None)   # Scrapy keeps the closing state on the engine's slot
    return engine is None or not engine.running or slot is None or slot.closing is not None


def stop_run(crawler: Crawler, where: str, exc: BaseException) -> None:
    "Record the first write failure and close the spider; later failures are the same fault."
    if crawler.stats.get_value(STAT):
        return
    global failure
    failure = f"{where}: {exc}"
    crawler.stats.set_value(STAT, failure)
    logger.error("ARCHIVE_DIR stopped taking writes (%s: %s): stopping the run", where, exc)
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=REASON))
