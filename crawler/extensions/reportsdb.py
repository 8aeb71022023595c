"""``ReportsDatabase``: the run's one writer of ARCHIVE_DIR/reports.db, and its capture-index reader.

SQLite takes one writer at a time, and lets go of the GIL while it writes and indexes (the trigram
full-text index is most of what storing a report costs). So every write of a crawl (report rows,
versions, errors, the run row, the capture index) goes to one thread, in the order it was asked
for, while the event loop goes on downloading. Readers (the capture-index lookups of the
middlewares, ``index``) have a connection of their own and never wait for it: reports.db is in WAL
mode.

Components find it with ``crawler.get_extension(ReportsDatabase)``. ``await db.write(fn, …)``
waits for the commit (an item is done, and its frontier row acknowledged, only once its row is
stored); ``db.write_later(fn, …)`` does not, and a failure there stops the run like any other write
failure (``crawler.stoprun.stop_run``).

Settings: ARCHIVE_DIR, XXGK_FTS_BATCH.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.stoprun import STORAGE_ERRORS, stop_run
from pipelines.store import CaptureIndex, Store, open_database

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ReportsDatabase:
    def __init__(self, crawler: Crawler, path: Path, fts_batch: int = 500):
        self.crawler = crawler
        self.path = path
        self.fts_batch = fts_batch
        self.store: Store | None = None   # made, used and closed in the thread (a connection is per thread)
        self.index: CaptureIndex | None = None   # the event loop's reader, open while the spider is
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xxgk-reports-db")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReportsDatabase:
        settings = crawler.settings
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")) / "reports.db", settings.getint("XXGK_FTS_BATCH", 500))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        # after every component's spider_closed: their last writes are queued by then
        crawler.signals.connect(o.close, signal=signals.engine_stopped)
        return o

    @staticmethod
    def of(crawler: Crawler) -> ReportsDatabase:
        "The crawl's instance; a component that cannot work without it is not configured."
        db = crawler.get_extension(ReportsDatabase)
        if db is None:
            raise NotConfigured("the ReportsDatabase extension is not enabled (EXTENSIONS)")
        return db

    # the reader -------------------------------------------------------------------------------

    def spider_opened(self, spider) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.index = CaptureIndex(open_database(self.path))

    def spider_closed(self, spider) -> None:
        if self.index is not None:
            self.index.db.close()
            self.index = None

    # the writer -------------------------------------------------------------------------------

    def _run(self, fn: Callable[..., Any], args: tuple) -> Any:
        if self.store is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.store = Store(self.path, fts_batch=self.fts_batch)
        return fn(self.store, *args)

    def submit(self, fn: Callable[..., Any], *args) -> Future:
        "``fn(store, *args)`` in the writer thread, after everything submitted before it."
        return self.thread.submit(self._run, fn, args)

    async def write(self, fn: Callable[..., Any], *args) -> Any:
        return await asyncio.wrap_future(self.submit(fn, *args))

    def write_later(self, fn: Callable[..., Any], *args, done: Callable[[], None] | None = None) -> None:
        """As ``write``, not waited for; ``done`` is called (in the writer thread) once it has committed.
        Called from the event loop, where a failure is reported."""
        loop = asyncio.get_running_loop()

        def finished(future: Future) -> None:
            exc = future.exception()
            if isinstance(exc, STORAGE_ERRORS):
                loop.call_soon_threadsafe(stop_run, self.crawler, "reports.db", exc)
            elif exc is not None:
                loop.call_soon_threadsafe(_reraise, exc)
            if done is not None:
                done()

        self.submit(fn, *args).add_done_callback(finished)

    def close(self) -> None:
        "Wait for every queued write, then close the database (its last search-index batch included)."
        try:
            self.thread.submit(self._close).result()
        except STORAGE_ERRORS as exc:   # what was committed stays; the next store indexes the rest
            logger.error("reports.db not closed cleanly: %s", exc)
        self.thread.shutdown(wait=True)

    def _close(self) -> None:
        if self.store is not None:
            store, self.store = self.store, None
            store.close()


def _reraise(exc: BaseException) -> None:
    raise exc   # in the event loop, which logs it: a bug, not a storage failure
