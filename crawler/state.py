"""Crawl state in SQLite (``ARCHIVE_DIR/state.db``): the frontier of pending requests and the URLs seen.

Scrapy's JOBDIR only survives a clean stop (scrapy#7978). Here every request is a row, committed
when it is scheduled; the scheduler *leases* a row when it hands the request out and the row is
*acknowledged* only when everything the response led to is safe: its items through the item
pipelines (so the report is in reports.db) and its new requests in the frontier. ``kill -9``
therefore loses only the requests in flight, and they are leased, so the next run fetches them
again. A crawl that ended any other way than 'finished' (SIGINT/SIGTERM → 'shutdown',
CLOSESPIDER_* limits, kill -9) is resumed by the next run.

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
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from sqlite_utils import Database, Migrations
from sqlite_utils.db import DescIndex

from crawler.storage import STORAGE_ERRORS, stop_run
from pipelines.record import utc_now

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable

    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

FRONTIER_ID = "xxgk_frontier_id"    # meta: the frontier row a request (and its retries/redirects) came from
PARENT_ID = "xxgk_parent_id"        # meta: the row of the response that yielded the request
# custom signal: a response's callback has yielded all its output (``request``, ``total``)
output_complete = object()

migrations = Migrations("xxgk-state")


@migrations()
def create_frontier(db: Database) -> None:
    # fingerprint NULL: a dont_filter request, never deduplicated
    db["frontier"].create({"id": int, "fingerprint": str, "url": str, "priority": int, "state": str,
                           "request": bytes, "enqueued_at": str}, pk="id")
    db["frontier"].create_index(["fingerprint"], unique=True)
    db["frontier"].create_index(["state", "priority", "id"])
    db["crawl"].create({"key": str, "value": str}, pk="key")


@migrations()
def lease_by_index(db: Database) -> None:
    """The lease takes the highest priority, oldest first: (state, priority, id) ordered the index
    one way and the query the other, so every lease sorted all pending rows of that priority."""
    db["frontier"].create_index(["state", DescIndex("priority"), "id"], index_name="idx_frontier_lease")
    db.execute("DROP INDEX IF EXISTS idx_frontier_state_priority_id")


_PUSH = "INSERT INTO frontier (fingerprint, url, priority, state, request, enqueued_at) VALUES (?, ?, ?, 'pending', ?, ?)"


class Frontier:
    """The SQLite side of the scheduler: no Scrapy here, requests are opaque blobs.

    Row states: ``pending`` (to fetch), ``leased`` (handed to the downloader, not acknowledged),
    ``done`` (its response fully processed; the row stays as a seen URL until the crawl ends).
    """

    def __init__(self, path: str | Path):
        self.db = Database(path)
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def _get(self, key: str) -> str | None:
        row = self.db.execute("select value from crawl where key = ?", [key]).fetchone()
        return row[0] if row else None

    def _set(self, **values: str) -> None:
        self.db["crawl"].upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")

    def begin(self, *, resume: bool, key: str = "") -> dict[str, Any]:
        """Resume the crawl a previous run left unfinished, or start a fresh one.

        Args:
            resume: continue an unfinished crawl at all (XXGK_RESUME).
            key: what the crawl is (spider and arguments); an unfinished crawl of something else
                is dropped, not resumed into this one.

        Returns ``{"resumed": bool, "pending": n, "done": n, "requeued": n}``."""
        with self.db.atomic():
            unfinished = self._get("status") == "running"
            resumed = unfinished and resume and self._get("key") == key
            if resumed:
                # leased = in flight when the previous run died: fetch them again
                requeued = self.db.execute("update frontier set state = 'pending' where state = 'leased'").rowcount
                self._set(resumed_at=utc_now())
            else:
                if unfinished:
                    logger.warning("an unfinished crawl (%s) is dropped: %s", self._get("key"),
                                   "not resuming (XXGK_RESUME off, or no reports.db)" if not resume
                                   else "this run crawls something else")
                self.db.execute("delete from frontier")
                requeued = 0
                self._set(status="running", key=key, started_at=utc_now())
            counts = dict(self.db.execute("select state, count(*) from frontier group by state").fetchall())
        return {"resumed": resumed, "pending": counts.get("pending", 0),
                "done": counts.get("done", 0), "requeued": requeued}

    def finish(self) -> None:
        "The crawl ran to its end: nothing to resume, the seen set is dropped."
        with self.db.atomic():
            self.db.execute("delete from frontier")
            self._set(status="finished", finished_at=utc_now())

    def seen(self, fingerprint: str) -> bool:
        return self.db.execute("select 1 from frontier where fingerprint = ?", [fingerprint]).fetchone() is not None

    def push(self, fingerprint: str | None, url: str, priority: int, blob: bytes) -> int:
        with self.db.atomic():
            return self.db.execute(_PUSH, [fingerprint, url, priority, blob, utc_now()]).lastrowid

    def lease(self) -> tuple[int, bytes] | None:
        "The next pending request (highest priority, oldest first), now marked leased."
        with self.db.atomic():
            return self.db.execute(
                "update frontier set state = 'leased' where id = (select id from frontier where state = 'pending' "
                "order by priority desc, id limit 1) returning id, request").fetchone()

    def ack(self, row_id: int) -> None:
        with self.db.atomic():
            # the blob is no longer needed, the fingerprint stays as a seen URL
            self.db.execute("update frontier set state = 'done', request = null where id = ?", [row_id])


class FrontierScheduler(BaseScheduler):
    """A Scrapy scheduler whose queue and dupefilter are the SQLite frontier.

    Retries and redirects of a leased request stay in memory, under the original row's lease: if
    the run dies, the original URL is fetched again and the redirect followed again.
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
        o = cls(crawler, Path(crawler.settings.get("ARCHIVE_DIR")) / "state.db",
                crawler.settings.getbool("XXGK_RESUME"))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(o.item_done, signal=signal)
        crawler.signals.connect(o.output_complete, signal=output_complete)
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

    def ack(self, row_id: int) -> None:
        self.outputs.pop(row_id, None)
        if self.frontier is not None:
            try:
                self.frontier.ack(row_id)
            except STORAGE_ERRORS as exc:
                stop_run(self.crawler, "frontier", exc)
                return
            self.stats.inc_value("xxgk/state/acked")

    def handled(self, row_id: int) -> None:
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

    def item_done(self, item: Any, response: Any = None, **kwargs) -> None:
        # ``response`` is the Failure for an errback's items; the scraper gives it the request
        request = getattr(response, "request", None)
        row_id = request.meta.get(FRONTIER_ID) if request is not None else None
        if row_id is not None:
            self.handled(row_id)


class FrontierAckMiddleware:
    """Spider middleware, outermost (closest to the engine): counts what each response's callback
    yields, stamps new requests with their parent's row, and tells the scheduler the total."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        if not issubclass(load_object(crawler.settings["SCHEDULER"]), FrontierScheduler):
            raise NotConfigured("SCHEDULER is not the SQLite frontier")
        return cls(crawler)

    def _tag(self, output: Any, row_id: int | None) -> None:
        if isinstance(output, Request):
            output.meta.pop(FRONTIER_ID, None)   # a child copied its parent's meta: it is a new request
            if row_id is not None:
                output.meta[PARENT_ID] = row_id

    def _complete(self, response: Response, total: int) -> None:
        self.crawler.signals.send_catch_log(output_complete, request=response.request, total=total)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        row_id, total = response.meta.get(FRONTIER_ID), 0
        for output in result:
            self._tag(output, row_id)
            total += output is not None
            yield output
        self._complete(response, total)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        row_id, total = response.meta.get(FRONTIER_ID), 0
        async for output in result:
            self._tag(output, row_id)
            total += output is not None
            yield output
        self._complete(response, total)
