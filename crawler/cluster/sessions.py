"""A worker process's part in a cluster run (its *session*): its progress in Redis, for ``python -m
crawler.cluster status``, and its row in its archive's ``run_workers`` table, the per-worker stats
``python -m crawler.merge`` folds into the run's one ``runs`` row.

A session is named after its worker (``XXGK_WORKER_ID``), with ``.N`` from its second process in the
same run on (a worker restarted after a crash), so that no two processes ever write the same WARC file.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import TYPE_CHECKING, Any, Callable

from scrapy.utils.asyncio import create_looping_call

from crawler import cluster
from crawler.extensions.reportsdb import ReportsDatabase
from pipelines.record import utc_now

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.cluster.queue import LeasedPriorityQueue
    from pipelines.store import Store

logger = logging.getLogger(__name__)


def session_name(worker: str, number: int) -> str:
    return worker if number <= 1 else f"{worker}.{number}"


def stored(stats: dict) -> int:
    return sum(int(stats.get(f"xxgk/store/{k}", 0) or 0) for k in ("new", "changed", "unchanged", "not_modified"))


def session_row(run_id: str, session: str, started_at: str, stats: dict, *,
                finished_at: str | None = None, reason: str | None = None) -> dict[str, Any]:
    """The ``run_workers`` row of a session so far (``finished_at`` None: still running, or killed
    since ``updated_at``)."""
    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    return {"run_id": run_id, "worker": session, "host": socket.gethostname(), "pid": os.getpid(),
            "started_at": started_at, "updated_at": utc_now(), "finished_at": finished_at,
            "finish_reason": reason, "pages_fetched": stat("response_received_count"), "reports_seen": stored(stats),
            "not_modified": stat("downloader/response_status_count/304"), "revisits": stat("xxgk/warc/revisits"),
            "errors": sum(int(v or 0) for k, v in stats.items() if k.startswith("xxgk/errors/")),
            "stats": json.dumps(stats, ensure_ascii=False, default=str)}


def save_session(store: Store, row: dict) -> None:
    "In the archive's database thread: one row per session (the table comes with the schema)."
    with store.db.atomic():
        store.db["run_workers"].upsert(row, pk=("run_id", "worker"))


class Progress:
    """What ``status`` shows of a worker: pages and reports so far and the rate since its last report."""

    def __init__(self, session: str, worker: str, started_at: str):
        self.base = {"session": session, "worker": worker, "host": socket.gethostname(), "pid": os.getpid(),
                     "started_at": started_at}
        self.last = (time.monotonic(), 0)

    def report(self, stats: dict, leases: int, state: str = "running") -> dict:
        now, pages = time.monotonic(), int(stats.get("response_received_count", 0) or 0)
        then, before = self.last
        self.last = (now, pages)
        rate = (pages - before) / (now - then) if now > then else 0.0
        return {**self.base, "state": state, "pages": pages, "reports": stored(stats), "leases": leases,
                "pages_per_s": round(rate, 2), "updated_at": utc_now()}


class Session:
    """This worker process in the cluster's run. Every lease/4 s (10 s at most) it renews the leases
    it holds (``held``, the scheduler's set), publishes its progress and checkpoints its
    ``run_workers`` row, so a killed worker leaves its stats as of a few seconds before."""

    def __init__(self, crawler: Crawler, queue: LeasedPriorityQueue, name: str, worker: str, run_id: str,
                 held: set[str], lose: Callable[[str, BaseException], None]):
        self.crawler, self.stats, self.queue = crawler, crawler.stats, queue
        self.name, self.run_id, self.held, self.lose = name, run_id, held, lose
        self.started_at = utc_now()
        self.progress = Progress(name, worker, self.started_at)
        self.db = ReportsDatabase.of(crawler)
        self.tick = create_looping_call(self.renew)

    def start(self) -> None:
        self.db.submit(save_session, self.row())
        self.tick.start(min(10.0, self.queue.lease_ms / 4000), now=False)

    def row(self, reason: str | None = None) -> dict:
        return session_row(self.run_id, self.name, self.started_at, self.stats.get_stats(),
                           finished_at=utc_now() if reason else None, reason=reason)

    def renew(self) -> None:
        if cluster.lost(self.crawler):
            return
        try:
            renewed = self.queue.renew(sorted(self.held), self.progress.report(self.stats.get_stats(), len(self.held)))
        except cluster.UNREACHABLE as exc:
            self.lose("renew", exc)
            return
        if renewed < len(self.held):
            # the event loop stalled past a lease: another worker may fetch those again (harmless)
            self.stats.inc_value("xxgk/cluster/leases_expired_held", len(self.held) - renewed)
        self.db.write_later(save_session, self.row())

    def stop(self, reason: str, *, reachable: bool) -> None:
        "The scheduler closes: a clean stop gives back at once what it still holds (redirects not followed)."
        if self.tick.running:
            self.tick.stop()
        if not reachable:
            return
        try:
            if self.held:
                self.stats.inc_value("xxgk/cluster/released", self.queue.release(sorted(self.held)))
            self.queue.renew([], self.progress.report(self.stats.get_stats(), 0, state=reason))
        except cluster.UNREACHABLE as exc:
            logger.warning("could not tell the shared frontier this worker stopped: %s", exc)

    def closed(self, reason: str) -> None:
        self.db.submit(save_session, self.row(reason))
