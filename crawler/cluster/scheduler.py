"""``RedisFrontierScheduler``: scrapy-redis's scheduler, shared by every worker that names the same Redis
(XXGK_FRONTIER), with the SQLite frontier's lease/ack.

scrapy-redis pops a request and forgets it, so a worker killed with ``kill -9`` loses what it held.
Here a pop is a *lease* (``crawler.cluster.queue``) that the worker renews while it lives; the request is
acknowledged, as in ``crawler.scheduler``, once its report is stored and its links are queued; a
lease that expires (its worker died) puts the request back in the queue. Retries and redirects of a
leased request stay in this worker's memory under the original lease, as in the SQLite scheduler.

The first worker starts the cluster's run (one run id, ``spider.run_id``); the others join it. The
run ends when nothing is queued or leased any more; a worker that starts within
XXGK_CLUSTER_FINISHED_HOURS of that end does nothing.

Settings: XXGK_FRONTIER, XXGK_WORKER_ID, XXGK_LEASE_SECONDS, XXGK_CLUSTER_FINISHED_HOURS.
Stats: ``xxgk/cluster/…``, ``scheduler/…``, ``dupefilter/filtered``.
"""
from __future__ import annotations

import heapq
import itertools
import json
import logging
import pickle
import time
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.utils.asyncio import call_later
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from crawler import cluster
from crawler.cluster.queue import CrawlKeys, LeasedPriorityQueue, RedisDupeFilter
from crawler.cluster.sessions import Session, session_name
from crawler.scheduler import FRONTIER_ID, PARENT_ID, Acknowledging
from pipelines.record import new_run_id, utc_now

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
QUEUE = f"{LeasedPriorityQueue.__module__}.{LeasedPriorityQueue.__name__}"
UNSERIALIZABLE = (ValueError, TypeError, AttributeError, pickle.PicklingError)


class RedisFrontierScheduler(Acknowledging, Scheduler):
    def __init__(self, server, crawler: Crawler, *, worker: str, lease_s: float, keep_s: float):
        super().__init__(server, persist=True, queue_cls=QUEUE)
        self.crawler = crawler
        self.stats = crawler.stats
        self.worker = worker
        self.lease_s = max(1.0, lease_s)
        self.keep_s = keep_s
        self.outputs = {}
        self.memory: list[tuple[int, int, Request]] = []   # retries, redirects, under their original's lease
        self.memory_seen: set[str] = set()
        self.seq = itertools.count()
        self.held: set[str] = set()        # lease ids this worker holds
        self.state = "opening"             # running; late (the run had finished); done; lost
        self.session: str | None = None
        self.queued = 0                    # as of the last poll
        self.polled = (0.0, None)
        self.idle_delay, self.waking = 0.05, False
        self.live: Session | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        s = crawler.settings
        o = cls(cluster.connect(cluster.frontier_url(s)), crawler, worker=cluster.worker_id(s),
                lease_s=s.getfloat("XXGK_LEASE_SECONDS"), keep_s=s.getfloat("XXGK_CLUSTER_FINISHED_HOURS") * 3600)
        o.connect_acks(crawler)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    # the run ------------------------------------------------------------------------------------

    def open(self, spider) -> None:
        self.spider = spider
        args = getattr(spider, "spider_args", None)
        keys = CrawlKeys.of(spider.name, args)
        self.queue_key = keys.queue
        self.df = RedisDupeFilter(self.server, keys.seen, self.crawler.request_fingerprinter)
        try:
            # as scrapy-redis's open(), whose resume notice goes through the deprecated Spider.log
            self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=self.queue_key,
                                                     serializer=self.serializer)
            self.queue.lease_ms = int(self.lease_s * 1000)
            joined = self.queue.join(new_run_id(), json.dumps([spider.name, args], ensure_ascii=False),
                                     utc_now(), self.worker)
        except cluster.UNREACHABLE as exc:
            self.state = "lost"
            call_later(0, cluster.frontier_lost, self.crawler, "open", exc)   # once the spider is open
            return
        spider.run_id = joined["run_id"]
        self.stats.set_value("xxgk/cluster/run_id", spider.run_id)
        if joined["status"] != "running":
            self.state = "late"
            self.stats.set_value("xxgk/cluster/late", 1)
            logger.info("the cluster's crawl %s finished at %s: this worker has nothing to do",
                        spider.run_id, joined["finished_at"])
            return
        self.state = "running"
        self.session = self.queue.session = session_name(self.worker, joined["session"])
        spider.warc_name = f"{spider.run_id}~{self.session}"   # the WARC files name run and worker
        self.stats.set_value("xxgk/cluster/worker", self.session)
        if not joined["created"] and not joined["alive"]:
            self.stats.set_value("xxgk/state/resumed", 1)   # every worker had gone: this one carries on
        logger.info("worker %s %s the cluster's crawl %s (%d other workers alive, %d requests queued)", self.session,
                    "started" if joined["created"] else "joined", spider.run_id, joined["alive"], len(self.queue))
        self.live = Session(self.crawler, self.queue, self.session, self.worker, spider.run_id, self.held, self.lose)
        self.live.start()

    def lose(self, where: str, exc: BaseException) -> None:
        self.state = "lost"
        cluster.frontier_lost(self.crawler, where, exc)

    def close(self, reason: str) -> None:
        self.stats.set_value("xxgk/cluster/redis_roundtrips", cluster.CountingConnection.sent)
        if self.live is not None:
            self.live.stop(reason, reachable=self.state in ("running", "done"))

    def spider_closed(self, spider, reason: str) -> None:
        if self.live is not None:
            self.live.closed(reason)

    # queue --------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.memory) + self.queued

    def enqueue_request(self, request: Request) -> bool:
        row_id = request.meta.get(FRONTIER_ID)
        if row_id is not None:
            return self.enqueue_continuation(request, row_id)
        parent = request.meta.pop(PARENT_ID, None)
        try:
            if self.state != "running":
                # lost: the parent stays leased in Redis and is fetched again; late: nothing to do
                return False
            fp = None if request.dont_filter else self.df.request_fingerprint(request)
            if fp is not None and fp in self.memory_seen:
                self.stats.inc_value("dupefilter/filtered")
                return False
            try:
                data = self.queue._encode_request(request)
            except UNSERIALIZABLE:
                self.stats.inc_value("xxgk/state/unserializable")
                return self.keep_in_memory(request, fp)
            try:
                added = self.queue.push_unseen(request, fp, data)
            except cluster.UNREACHABLE as exc:
                self.lose("push", exc)
                return False
            if not added:
                self.stats.inc_value("dupefilter/filtered")
                self.df.log(request, self.spider)
                return False
            self.stats.inc_value("scheduler/enqueued/redis")
            self.stats.inc_value("scheduler/enqueued")
            return True
        finally:
            if parent is not None:
                self.handled(parent)   # queued (or filtered) before the parent can be acknowledged

    def enqueue_continuation(self, request: Request, row_id: str) -> bool:
        fp = None if request.dont_filter else self.df.request_fingerprint(request)
        if fp is not None and fp not in self.memory_seen and self.state == "running":
            try:
                seen = self.df.seen(fp)
            except cluster.UNREACHABLE as exc:
                self.lose("dupefilter", exc)
                seen = False
            if seen:   # a redirect to a URL the crawl has already: the original request ends here
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
            self.stats.inc_value("scheduler/dequeued/memory")
            self.stats.inc_value("scheduler/dequeued")
            return heapq.heappop(self.memory)[2]
        while self.state == "running":
            try:
                leased = self.queue.lease()
            except cluster.UNREACHABLE as exc:
                self.lose("lease", exc)
                return None
            if leased is None:
                self.wake_later()
                return None
            lease_id, data, back = leased
            if back:
                self.stats.inc_value("xxgk/cluster/leases_expired", back)
            self.held.add(lease_id)
            try:
                request = self.queue.decode(data)
            except Exception as exc:  # noqa: BLE001 - e.g. a callback renamed since the worker that queued it
                logger.error("request %s from the shared frontier cannot be restored, dropped: %r", lease_id, exc)
                self.stats.inc_value("xxgk/state/unrestorable")
                self.ack(lease_id)
                continue
            request.meta[FRONTIER_ID] = lease_id
            self.idle_delay = 0.05
            self.stats.inc_value("scheduler/dequeued/redis")
            self.stats.inc_value("scheduler/dequeued")
            return request
        return None

    def has_pending_requests(self) -> bool:
        """Scrapy asks only when this worker has nothing in progress. Another worker's lease may still
        bring new requests, so a worker ends only with the crawl: nothing queued, nothing leased."""
        if self.memory:
            return True
        if self.state != "running":
            return False
        for lease_id in sorted(self.held):
            # Nothing is in progress here, so every output of it is safe. A request that failed (robots.txt,
            # an off-site redirect) ends in its errback, whose output the ack middleware does not count.
            logger.debug("lease %s still held with nothing in progress: acknowledged", lease_id)
            self.stats.inc_value("xxgk/cluster/acked_idle")
            self.ack(lease_id)
        state = self.poll()
        if state is None:
            return False
        self.queued, leased, status, _ = state
        if status == "running":
            self.wake_later()
            return True
        self.state = "done"
        if status == "":
            self.lose("poll", RuntimeError("the crawl's state is gone from Redis (restarted without persistence?)"))
        return False

    def poll(self) -> tuple[int, int, str, int] | None:
        now = time.monotonic()
        if now - self.polled[0] < 0.05 and self.polled[1] is not None:
            return self.polled[1]
        try:
            state = self.queue.poll(finish=True, now=utc_now(), keep_s=self.keep_s)
        except cluster.UNREACHABLE as exc:
            self.lose("poll", exc)
            return None
        if state[3]:
            self.stats.inc_value("xxgk/cluster/leases_expired", state[3])
        if state[2] == "finished" and self.state == "running":
            logger.info("the cluster's crawl %s has finished", self.spider.run_id)
        self.polled = (now, state)
        return state

    def wake_later(self) -> None:
        """Scrapy looks at an empty scheduler again only every 5 s; another worker's links may arrive
        any moment, so look sooner (50 ms, doubling to 1 s while nothing comes)."""
        if self.waking:
            return
        self.waking = True
        call_later(self.idle_delay, self.wake)
        self.idle_delay = min(1.0, self.idle_delay * 2)

    def wake(self) -> None:
        self.waking = False
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and self.state == "running":
            slot.nextcall.schedule()

    # acknowledgement ----------------------------------------------------------------------------

    def acknowledge(self, row_id: str) -> None:
        self.held.discard(row_id)
        if self.state not in ("running", "done"):
            return   # lost: the lease expires in Redis and the request is fetched again
        try:
            self.queue.ack(row_id)
        except cluster.UNREACHABLE as exc:
            self.lose("ack", exc)
            return
        self.stats.inc_value("xxgk/state/acked")
