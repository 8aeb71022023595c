"""Run ``stages.process`` in worker processes, so extraction uses every core and the crawl's event
loop (downloads, WARC, the store) is never blocked by a page being cleaned.

No Scrapy import: the crawl's ExtractPipeline and the rebuild from WARC share it. ``workers=0``
runs the stages in the calling process. A worker that dies (the OOM killer, a crash in a C
extension) takes the pages it held with it; each of those is tried once more in a new pool, and a
page that kills a worker twice is kept with the error ``extract:WorkerDied`` and its raw capture.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from pipelines import stages
from pipelines.record import Capture, Page

logger = logging.getLogger(__name__)

ATTEMPTS = 2


def default_workers() -> int:
    "One core for the crawl itself, the rest for extraction (one worker on a 2-core machine)."
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


def _quiet_worker() -> None:
    # the parent logs each page's stage errors from page.errors; without a handler here Python's
    # last-resort handler would print them a second time, unformatted, on stderr
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger().setLevel(logging.CRITICAL)


def _process(capture: Capture) -> Page:
    page = stages.process(capture)
    # the caller holds the capture, and needs of the decode only what the row says of it: sending
    # the body and the decoded page back would triple the traffic
    page.capture = None
    if page.decoded is not None:
        page.decoded = dataclasses.replace(page.decoded, text=None)
    return page


class ExtractPool:
    """``await pool.process(capture)`` (asyncio) or ``pool.map(captures)``: each gives the Page.
    The processes start on first use (or ``start()``) and are reused."""

    def __init__(self, workers: int):
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> ProcessPoolExecutor | None:
        "Start the processes now (their imports take ~0.5 s), rather than with the first page."
        if self.workers and self._pool is None:
            # spawn, not fork: the crawl's process has an event loop, threads and open databases
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_quiet_worker)
            for _ in range(self.workers):
                self._pool.submit(int)
        return self._pool

    async def process(self, capture: Capture) -> Page:
        if not self.workers:
            return stages.process(capture)
        for _ in range(ATTEMPTS):
            pool = self.start()
            try:
                return self._received(capture, await asyncio.wrap_future(pool.submit(_process, capture)))
            except BrokenProcessPool:
                self._discard(pool)
            except Exception as exc:  # noqa: BLE001 - pool plumbing (pickling…): keep the page, raw
                return _failed(capture, type(exc).__name__, str(exc))
        return _died(capture)

    def map(self, captures: Iterable[Capture], window: int = 64) -> Iterator[Page]:
        "The pages of ``captures``, in order, at most ``window`` in flight."
        if not self.workers:
            yield from map(stages.process, captures)
            return
        pending: deque[tuple[Capture, ProcessPoolExecutor, Future]] = deque()
        for capture in captures:
            pending.append((capture, *self._submit(capture)))
            if len(pending) >= window:
                yield self._wait(*pending.popleft())
        while pending:
            yield self._wait(*pending.popleft())

    def _wait(self, capture: Capture, pool: ProcessPoolExecutor, future: Future) -> Page:
        for attempt in range(ATTEMPTS):
            try:
                return self._received(capture, future.result())
            except BrokenProcessPool:
                self._discard(pool)
                if attempt + 1 < ATTEMPTS:
                    pool, future = self._submit(capture)
            except Exception as exc:  # noqa: BLE001
                return _failed(capture, type(exc).__name__, str(exc))
        return _died(capture)

    def _submit(self, capture: Capture) -> tuple[ProcessPoolExecutor, Future]:
        pool = self.start()
        try:
            return pool, pool.submit(_process, capture)
        except BrokenProcessPool:  # it broke since the last page: one new pool, once
            self._discard(pool)
            pool = self.start()
            return pool, pool.submit(_process, capture)

    @staticmethod
    def _received(capture: Capture, page: Page) -> Page:
        page.capture = capture
        return page

    def _discard(self, pool: ProcessPoolExecutor | None) -> None:
        if pool is not None and self._pool is pool:
            logger.warning("an extraction worker died; its pages are tried again in new workers")
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _failed(capture: Capture, kind: str, message: str) -> Page:
    page = Page(capture)
    page.errors.append(("extract", kind, message[:500]))
    return page


def _died(capture: Capture) -> Page:
    return _failed(capture, "WorkerDied",
                   f"the extraction process died twice on this page ({len(capture.body)} bytes)")
