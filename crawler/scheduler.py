"""``FrontierScheduler``: a Scrapy scheduler whose queue and dupefilter are the SQLite frontier
(``crawler.frontier``) in ``ARCHIVE_DIR/state.db``; a request is acknowledged once everything its
response led to is safe (``crawler.spidermiddlewares.frontierack`` counts the outputs).

Settings: ARCHIVE_DIR, XXGK_RESUME. Stats: ``xxgk/state/…``, ``scheduler/…``, ``dupefilter/filtered``.
"""
from __future__ import annotations

import heapq
import itertools
import json
import logging
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.utils.request import request_from_dict

from crawler.frontier import Frontier
from crawler.stoprun import STORAGE_ERRORS, NotStored, stop_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

FRONTIER_ID = "xxgk_frontier_id"    # meta: the frontier row a request (and its retries/redirects) came from
PARENT_ID = "xxgk_parent_id"        # meta: the row of the response that yielded the request
UNFINISHED = "xxgk_unfinished"      # meta: the run stopped before this response's work was done: no ack
# custom signal: a response's callback has yielded all its output (``request``, ``total``)
output_complete = object()


class Acknowledging:
    """Lease/ack bookkeeping shared by the SQLite frontier and the Redis one (``crawler.cluster``):
    a leased request is acknowledged (``acknowledge``) once every output of its response is safe."""

    outputs: dict[Any, list]   # lease → [outputs handled, total or None]

    def connect_acks(self, crawler: Crawler) -> None:
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)
        crawler.signals.connect(self.output_complete, signal=output_complete)

    def acknowledge(self, row_id: Any) -> None:
        raise NotImplementedError

    def ack(self, row_id: Any) -> None:
        self.outputs.pop(row_id, None)
        self.acknowledge(row_id)

    def handled(self, row_id: Any) -> None:
        "One output of that row's response is safe (an item stored or dropped, a request committed)."
        progress = self.outputs.setdefault(row_id, [0, None])
        progress[0] += 1
        if progress[1] is not None and progress[0] >= progress[1]:
            self.ack(row_id)

    def output_complete(self, request: Request, total: int) -> None:
        row_id = request.meta.get(FRONTIER_ID)
        if row_id is None:
            return
        progress = self.outputs.setdefault(row_id, [0, None])
        progress[1] = total
        if progress[0] >= total:
            self.ack(row_id)

    def item_done(self, item: Any, response: Any = None, exception: Any = None, **kwargs) -> None:
        if isinstance(exception, NotStored):
            return   # leased, never acknowledged: the next run fetches it again
        # ``response`` is the Failure for an errback's items; the scraper gives it the request
        request = getattr(response, "request", None)
        row_id = request.meta.get(FRONTIER_ID) if request is not None else None
        if row_id is not None:
            self.handled(row_id)


class FrontierScheduler(Acknowledging, BaseScheduler):
    """A Scrapy scheduler whose queue and dupefilter are the SQLite frontier.

    Retries and redirects of a leased request stay in memory, under the original row's lease: if
    the run dies, the original URL is fetched again and the redirect followed again.

    With XXGK_FRONTIER set (``redis://HOST:PORT/DB``) the frontier is shared by every crawl process
    naming that Redis: ``from_crawler`` builds ``crawler.cluster.scheduler.RedisFrontierScheduler``.
    """

    def __init__(self, crawler: Crawler, path: Path, resume: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = path
        self.resume = resume
        self.frontier: Frontier | None = None
        self.spider = None
        self.pending = 0
        self.memory: list[tuple[int, int, Request]] = []   # (-priority, seq, request): retries, redirects
        self.memory_seen: set[str] = set()                  # their URLs, seen in this run only
        self.seq = itertools.count()
        self.outputs: dict[int, list] = {}                 # row id → [outputs handled, total or None]

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        if crawler.settings.get("XXGK_FRONTIER"):
            from crawler.cluster.scheduler import RedisFrontierScheduler

            return RedisFrontierScheduler.from_crawler(crawler)
        o = cls(crawler, Path(crawler.settings.get("ARCHIVE_DIR")) / "state.db",
                crawler.settings.getbool("XXGK_RESUME"))
        o.connect_acks(crawler)
        return o

    def open(self, spider) -> None:
        self.spider = spider
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.frontier = Frontier(self.path)
        # the same spider with the same arguments: a frontier of other portals would send their
        # pages to callbacks that do not know them
        key = json.dumps([spider.name, getattr(spider, "spider_args", None)], sort_keys=True, ensure_ascii=False)
        # the done rows stand for reports in reports.db: without it (deleted, moved) they would
        # be skipped and never stored again
        has_reports = (self.path.parent / "reports.db").exists()
        info = self.frontier.begin(resume=self.resume and has_reports, key=key)
        self.pending = info["pending"]
        if info["resumed"]:
            self.stats.set_value("xxgk/state/resumed", 1)
            self.stats.set_value("xxgk/state/resumed_pending", info["pending"])
            logger.info("resuming the unfinished crawl in %s: %d requests pending (%d were in flight), %d done",
                        self.path, info["pending"], info["requeued"], info["done"])

    def close(self, reason: str) -> None:
        if self.frontier is None:
            return
        try:
            if reason == "finished":
                self.frontier.finish()
            else:
                logger.info("crawl not finished (%s): %d requests left in %s for the next run",
                            reason, self.pending, self.path)
            self.frontier.close()
        except STORAGE_ERRORS as exc:  # what was committed stays; the next run resumes from it
            logger.error("frontier not closed cleanly: %s", exc)
        self.frontier = None

    def __len__(self) -> int:
        return self.pending + len(self.memory)

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    # queue ------------------------------------------------------------------------------------

    def fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def is_seen(self, fp: str) -> bool:
        return fp in self.memory_seen or self.frontier.seen(fp)

    def enqueue_request(self, request: Request) -> bool:
        row_id = request.meta.get(FRONTIER_ID)
        if row_id is not None:
            return self.enqueue_continuation(request, row_id)
        parent = request.meta.pop(PARENT_ID, None)
        try:
            fp = None if request.dont_filter else self.fingerprint(request)
            if fp is not None and self.is_seen(fp):
                self.stats.inc_value("dupefilter/filtered")
                return False
            try:
                blob = pickle.dumps(request.to_dict(spider=self.spider), protocol=4)
            except (ValueError, TypeError, AttributeError, pickle.PicklingError):
                # a callback that is no spider method, an object in meta: it cannot outlive the
                # process, so it lives in memory (as with Scrapy's JOBDIR) and is not acknowledged
                self.stats.inc_value("xxgk/state/unserializable")
                return self.keep_in_memory(request, fp)
            try:
                self.frontier.push(fp, request.url, request.priority, blob)
            except STORAGE_ERRORS as exc:
                stop_run(self.crawler, "frontier", exc)
                return False
            self.pending += 1
            self.stats.inc_value("scheduler/enqueued/disk")
            self.stats.inc_value("scheduler/enqueued")
            return True
        finally:
            if parent is not None:
                self.handled(parent)   # committed (or filtered) before the parent can be acknowledged

    def enqueue_continuation(self, request: Request, row_id: int) -> bool:
        fp = None if request.dont_filter else self.fingerprint(request)
        if fp is not None and self.is_seen(fp):
            # a redirect to a URL this crawl already has: the original request ends here
            self.stats.inc_value("dupefilter/filtered")
            self.ack(row_id)
            return False
        return self.keep_in_memory(request, fp)

    def keep_in_memory(self, request: Request, fp: str | None) -> bool:
        if fp is not None:
            self.memory_seen.add(fp)
        heapq.heappush(self.memory, (-request.priority, next(self.seq), request))
        self.stats.inc_value("scheduler/enqueued/memory")
        self.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        if self.memory:
            request = heapq.heappop(self.memory)[2]
            self.stats.inc_value("scheduler/dequeued/memory")
        else:
            request = self.next_from_disk()
            if request is None:
                return None
        self.stats.inc_value("scheduler/dequeued")
        return request

    def next_from_disk(self) -> Request | None:
        while (leased := self._lease()) is not None:
            row_id, blob = leased
            self.pending -= 1
            try:
                request = request_from_dict(pickle.loads(blob), spider=self.spider)
            except Exception as exc:  # noqa: BLE001 - e.g. a callback renamed since the run that saved it
                logger.error("frontier row %d cannot be restored, dropped: %r", row_id, exc)
                self.stats.inc_value("xxgk/state/unrestorable")
                self.ack(row_id)
                continue
            request.meta[FRONTIER_ID] = row_id
            self.stats.inc_value("scheduler/dequeued/disk")
            return request
        return None

    def _lease(self) -> tuple[int, bytes] | None:
        try:
            return self.frontier.lease()
        except STORAGE_ERRORS as exc:
            stop_run(self.crawler, "frontier", exc)
            return None

    # acknowledgement ------------------------------------------------------------------------------

    def acknowledge(self, row_id: int) -> None:
        if self.frontier is not None:
            try:
                self.frontier.ack(row_id)
            except STORAGE_ERRORS as exc:
                stop_run(self.crawler, "frontier", exc)
                return
            self.stats.inc_value("xxgk/state/acked")
