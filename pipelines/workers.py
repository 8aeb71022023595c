"""Run ``stages.process`` in worker processes, so extraction uses every core and the crawl's event
loop (downloads, WARC, the store) is never blocked by a page being cleaned.

No Scrapy import: the crawl's Extraction extension and the rebuild from WARC share it. ``workers=0``
runs the stages in the calling process. Every page has a budget in the workers (``Budget``): seconds
(a page that takes longer is given up, ``extract:timeout``, and its worker replaced: no page can hold a
run) and memory (the worker's address space is capped; a page that runs into the cap is
``extract:too_complex`` and its worker replaced). A worker that dies (the OOM killer, a crash in a C
extension) takes the pages it held with it; each of those is tried once more in a new pool, and a page
that kills a worker twice is kept with the error ``extract:WorkerDied`` and its raw capture. Workers
watch their parent and exit when it is gone, also after a ``kill -9`` of the crawl.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from pipelines import stages
from pipelines.attachments import DEFAULT_LIMITS, Limits
from pipelines.record import Capture, Page

logger = logging.getLogger(__name__)

ATTEMPTS = 2
PARENT_CHECK_SECONDS = 1.0


@dataclasses.dataclass(frozen=True)
class Budget:
    "What one page may cost a worker (settings XXGK_EXTRACT_TIMEOUT, XXGK_EXTRACT_MAX_MEMORY)."

    seconds: float = 120.0
    memory: int = 2 << 30     # bytes of address space per worker process; 0: no cap
    # an attachment's own bounds (XXGK_ATTACHMENT_*); its file may take longer than a page: a scan's OCR
    attachment: Limits = DEFAULT_LIMITS

    def seconds_for(self, capture: Capture) -> float:
        # the reader checks its own deadline between pages; the worker's is the backstop past it
        return self.attachment.seconds + 30 if capture.role == "attachment" else self.seconds


def default_workers() -> int:
    "One core for the crawl itself, the rest for extraction (one worker on a 2-core machine)."
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


def _start_worker(parent: int, memory: int, limits: Limits = DEFAULT_LIMITS) -> None:
    # the parent logs each page's stage errors from page.errors; without a handler here Python's
    # last-resort handler would print them a second time, unformatted, on stderr
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger().setLevel(logging.CRITICAL)
    global _memory_cap, _limits
    _memory_cap, _limits = memory, limits
    if memory:
        import resource
        # the soft limit only: a converter this worker starts (LibreOffice) may raise its own again
        resource.setrlimit(resource.RLIMIT_AS, (memory, resource.getrlimit(resource.RLIMIT_AS)[1]))
    # a worker outlives a crawl killed with -9 (the OOM killer does that) unless it looks: the
    # parent's death re-parents it, and then it goes too
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="xxgk-parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


_memory_cap = 0   # this worker's, set by _start_worker
_limits = DEFAULT_LIMITS


def _at_memory_cap() -> bool:
    "The worker came within 5% of its address-space cap (VmPeak): whatever failed, memory ran out."
    if not _memory_cap:
        return False
    try:
        with open("/proc/self/status") as fh:
            peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        return False
    return peak >= 0.95 * _memory_cap


def _process(capture: Capture) -> Page:
    page = stages.process(capture, limits=_limits)
    # Python raises MemoryError; libxml2, short of memory, only "unknown error": the peak tells
    if page.errors and (any(kind == "MemoryError" for _, kind, _ in page.errors) or _at_memory_cap()):
        # the worker's memory cap: the page, not a stage, is the problem
        page.errors = [("extract", "too_complex", "the page needed more memory than the worker's budget "
                        "(XXGK_EXTRACT_MAX_MEMORY)")]
    # the caller holds the capture, and needs of the decode only what the row says of it: sending
    # the body and the decoded page back would triple the traffic
    page.capture = None
    if page.decoded is not None:
        page.decoded = dataclasses.replace(page.decoded, text=None)
    return page


class ExtractPool:
    """``await pool.process(capture)`` (asyncio) or ``pool.map(captures)``: each gives the Page.
    The processes start on first use (or ``start()``) and are reused."""

    def __init__(self, workers: int, budget: Budget = Budget()):
        self.workers = max(0, workers)
        self.budget = budget
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> ProcessPoolExecutor | None:
        "Start the processes now (their imports take ~0.5 s), rather than with the first page."
        if self.workers and self._pool is None:
            # spawn, not fork: the crawl's process has an event loop, threads and open databases
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker,
                                             initargs=(os.getpid(), self.budget.memory, self.budget.attachment))
            for _ in range(self.workers):
                self._pool.submit(int)
        return self._pool

    async def process(self, capture: Capture) -> Page:
        if not self.workers:
            return stages.process(capture, limits=self.budget.attachment)
        for _ in range(ATTEMPTS):
            pool = self.start()
            try:
                future = pool.submit(_process, capture)
                page = await asyncio.wait_for(asyncio.wrap_future(future), self.budget.seconds_for(capture))
                return self._received(capture, page, pool)
            except asyncio.TimeoutError:
                self._kill(pool)
                return _timed_out(capture, self.budget)
            except BrokenProcessPool:
                self._discard(pool)
            except Exception as exc:  # noqa: BLE001 - pool plumbing (pickling…): keep the page, raw
                return _failed(capture, type(exc).__name__, str(exc))
        return _died(capture)

    def map(self, captures: Iterable[Capture], window: int = 64) -> Iterator[Page]:
        "The pages of ``captures``, in order, at most ``window`` in flight."
        if not self.workers:
            for capture in captures:
                yield stages.process(capture, limits=self.budget.attachment)
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
                # the budget counts from when the page is waited for: queued behind others, it had
                # not started before
                return self._received(capture, future.result(timeout=self.budget.seconds_for(capture)), pool)
            except FutureTimeout:
                self._kill(pool)
                return _timed_out(capture, self.budget)
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

    def _received(self, capture: Capture, page: Page, pool: ProcessPoolExecutor) -> Page:
        page.capture = capture
        if any(stage == "extract" and kind == "too_complex" for stage, kind, _ in page.errors):
            self._kill(pool)   # its heap is at the cap: a new worker for the next page
        return page

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        "Replace the pool now: a worker is stuck on (or worn out by) a page; the pages it held are retried."
        for proc in list(getattr(pool, "_processes", {}).values()):
            if proc.is_alive():
                proc.kill()
        self._discard(pool, quiet=True)

    def _discard(self, pool: ProcessPoolExecutor | None, quiet: bool = False) -> None:
        if pool is not None and self._pool is pool:
            if not quiet:
                logger.warning("an extraction worker died; its pages are tried again in new workers")
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _failed(capture: Capture, kind: str, message: str, stage: str = "extract") -> Page:
    page = Page(capture)
    page.errors.append((stage, kind, message[:500]))
    return page


def _timed_out(capture: Capture, budget: Budget) -> Page:
    logger.warning("extraction gave up on %s after %.0f s (XXGK_EXTRACT_TIMEOUT)", capture.url, budget.seconds)
    return _failed(capture, "timeout", f"extraction took longer than {budget.seconds:g} s "
                   f"({len(capture.body)} bytes); the raw capture is kept")


def _died(capture: Capture) -> Page:
    return _failed(capture, "WorkerDied",
                   f"the extraction process died twice on this page ({len(capture.body)} bytes)")
