"""The crawl frontier in SQLite (``ARCHIVE_DIR/state.db``): the frontier of pending requests and the URLs seen.

Scrapy's JOBDIR only survives a clean stop (scrapy#7978). Here every request is a row, committed
when it is scheduled; the scheduler *leases* a row when it hands the request out and the row is
*acknowledged* only when everything the response led to is safe: its items through the item
pipelines (so the report is in reports.db) and its new requests in the frontier. ``kill -9``
therefore loses only the requests in flight, and they are leased, so the next run fetches them
again. A crawl that ended any other way than 'finished' (SIGINT/SIGTERM → 'shutdown',
CLOSESPIDER_* limits, kill -9) is resumed by the next run.

No Scrapy here: the scheduler (``crawler.scheduler``) keeps requests in it as opaque blobs.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations
from sqlite_utils.db import DescIndex

from pipelines.record import utc_now
from pipelines.store.database import open_sqlite

logger = logging.getLogger(__name__)

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
        self.db = open_sqlite(path, migrations)

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


