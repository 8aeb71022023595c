"""The store: report rows, their versions, runs, per-page errors and the capture index in ``ARCHIVE_DIR/reports.db``.

sqlite-utils only; one page = one transaction, so a killed run never leaves half a report.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

from pipelines.record import utc_now
from pipelines.store import agencies, attachments, edits, schema
from pipelines.store.captures import CaptureIndex, capture_row
from pipelines.store.database import open_database
from pipelines.store.stats import replace_stats

__all__ = ["Store", "CaptureIndex", "capture_row", "open_database", "RESERVE", "STORAGE_ERROR"]

# space the crawl command keeps in ARCHIVE_DIR while a run goes, so that a run that fills the disk
# can still record how it ended; and that ending's finish reason
RESERVE = ".reserve"
STORAGE_ERROR = "storage_error"

logger = logging.getLogger(__name__)


# one statement, not sqlite-utils' upsert: that one inspects the table on every call and runs an
# INSERT OR IGNORE plus an UPDATE, which fired the update trigger for every new row
_REPORT_FIELDS = [*schema.REPORT_COLUMNS, "text_source"]   # text_source: added by the attachments migration
_UPSERT_REPORT = "INSERT INTO reports ({cols}) VALUES ({marks}) ON CONFLICT(url) DO UPDATE SET {sets}".format(
    cols=", ".join(f'"{c}"' for c in _REPORT_FIELDS),
    marks=", ".join("?" for _ in _REPORT_FIELDS),
    sets=", ".join(f'"{c}" = excluded."{c}"' for c in _REPORT_FIELDS if c != "url"))


_VERSION_FIELDS = ("url", "sha256", "first_seen", "last_seen", "run_id", "warc_file", "warc_offset", "title", "text",
                   "first_run", "chars_added", "chars_removed")
_INSERT_VERSION = "INSERT INTO versions ({}) VALUES ({})".format(
    ", ".join(f'"{c}"' for c in _VERSION_FIELDS), ", ".join("?" for _ in _VERSION_FIELDS))
_SEEN_VERSION = "UPDATE versions SET last_seen = ?, run_id = ? WHERE url = ? AND sha256 = ?"


class Store:
    """``fts_batch``: reports written between two updates of the full-text index. A search sees a
    report once its batch is indexed, at the latest when the store closes; a killed run's rows are
    indexed by the next store that opens the database."""

    def __init__(self, path: str | Path, *, fts_batch: int = 500):
        self.path = Path(path)
        self.db = open_database(self.path)
        self.fts_batch = max(1, fts_batch)
        self.unindexed = 0
        schema.index_pending(self.db)  # what a killed run left queued

    def close(self) -> None:
        self.index_pending()
        self.db.close()

    def index_pending(self) -> int:
        self.unindexed = 0
        return schema.index_pending(self.db)

    # reports and versions -------------------------------------------------------------------

    def save_report(self, row: dict) -> str:
        """Upsert the latest capture of a report and keep every distinct text as a version.

        Returns 'new', 'changed', 'unchanged' or, for a 304 answer to a conditional GET,
        'not_modified' (the version is marked seen, the reports row is left as it is). A page that is
        only a pointer to its file stores the file's text once the file is in (``text_source``).
        """
        row = attachments.with_attachment_text(self.db, row)
        url, digest, now = row["url"], row.get("sha256"), row.get("fetched_at") or utc_now()
        run_id = row.get("run_id")
        with self.db.atomic():
            old = self.db.execute("select sha256, first_seen from reports where url = ?", [url]).fetchone()
            old_digest, first_seen = old if old else (None, now)
            if row.get("http_status") == 304 and old is not None and (not row.get("pages") or old_digest == digest):
                # the server vouches the bytes are those we hold: the text we stored then stands,
                # even if today's cleaner would read them differently (that is what rebuild is for).
                # A paged report's first page vouches for itself only: its other pages, fetched again,
                # must give the same text too
                self.db.execute(_SEEN_VERSION, [now, run_id, url, old_digest or ""])
                return "not_modified"
            added = not self.db.execute(_SEEN_VERSION, [now, run_id, url, digest or ""]).rowcount
            previous = None
            if added:
                # how much it changed, against the text the report showed until now (issue 19)
                previous = self.db.execute("select text from versions where url = ? and sha256 = ?",
                                           [url, old_digest or ""]).fetchone() if old is not None else None
                plus, minus = edits.changed_chars(previous[0], row.get("text")) if previous else (None, None)
                # the figures report_stats holds until the line below replaces them: the previous version's
                figures_before = edits.stats_digest(self.db, url) if previous else None
                version = dict(row, sha256=digest or "", first_seen=now, last_seen=now, first_run=run_id,
                               chars_added=plus, chars_removed=minus)
                self.db.execute(_INSERT_VERSION, [version.get(c) for c in _VERSION_FIELDS])
            versions = self.db.execute("select count(*) from versions where url = ?", [url]).fetchone()[0]
            record = dict(row, first_seen=first_seen, versions=versions)
            self.db.execute(_UPSERT_REPORT, [record.get(c) for c in _REPORT_FIELDS])
            agencies.assign(self.db, record)
            # report_stats / stats_checks, in the report's transaction
            replace_stats(self.db, row, unchanged=old is not None and old_digest == digest)
            if added:
                figures = edits.stats_digest(self.db, url)
                self.db.execute("update versions set stats_sha256 = ?, stats_changed = ? where url = ? and sha256 = ?",
                                [figures, None if previous is None else int(figures != figures_before), url, digest or ""])
        if old is None or old_digest != digest:
            self.unindexed += 1
            if self.unindexed >= self.fts_batch:
                self.index_pending()
        if old is None:
            return "new"
        return "unchanged" if old_digest == digest else "changed"

    def save_attachment(self, row: dict) -> str:
        """One version of an attachment (``attachments`` columns: ``AttachmentResult.row()`` plus url,
        report_url, warc_file, warc_offset, fetched_at, run_id; ``http_status`` 304 for a conditional
        GET's answer). Returns 'new', 'changed', 'unchanged' or 'not_modified'. A pointer report of
        this file takes its text now (see pipelines/store/attachments.py)."""
        with self.db.atomic():
            outcome = attachments.upsert(self.db, row)
            if row.get("text"):
                self.settle_pointer(row.get("report_url"))
        return outcome

    def settle_pointer(self, report_url: str | None) -> bool:
        """A stored pointer report still showing its own text takes its file's text, if the file is in.
        Also what a merge of workers' archives calls: page and file may have been stored by two workers."""
        report = attachments.pointer_report(self.db, report_url)
        if report is None or attachments.main_attachment(self.db, report["url"], report.get("attachments")) is None:
            return False
        with self.db.atomic():
            # the page's own text, seen once while its file was on the way (in this run, or in one that
            # stopped before the file came), was never the report: the file's text replaces that version
            # instead of following it
            self.db.execute("DELETE FROM versions WHERE url = ? AND sha256 = ? AND first_seen = last_seen",
                            [report["url"], report.get("sha256") or ""])
            self.save_report(dict(report, http_status=None if report.get("http_status") == 304
                                  else report.get("http_status")))
        return True

    def add_capture(self, row: dict) -> None:
        "One row of the capture index (see CaptureIndex)."
        CaptureIndex(self.db).add(row)

    # runs and errors --------------------------------------------------------------------------

    def record_error(self, run_id: str | None, url: str, stage: str, kind: str, message: str) -> None:
        with self.db.atomic():
            self.db["errors"].insert({"run_id": run_id, "url": url, "stage": stage, "kind": kind,
                                      "message": message, "at": utc_now()})

    def start_run(self, run_id: str, spider_args: dict) -> None:
        with self.db.atomic():
            self.mark_killed_runs(run_id)
            self.db["runs"].insert({"run_id": run_id, "started_at": utc_now(),
                                    "spider_args": json.dumps(spider_args, ensure_ascii=False)}, replace=True)

    def mark_killed_runs(self, current: str | None = None) -> list[str]:
        """Close the rows of runs that never finished: the process died without spider_closed
        (kill -9, OOM, power). Only one run holds ARCHIVE_DIR's lock, so any other open row is dead.
        Its Scrapy stats died with it; its counts are what it committed (``committed_counts``)."""
        dead = [r["run_id"] for r in self.db.query(
            "select run_id from runs where finished_at is null and run_id is not ?", [current])]
        for run_id in dead:
            counts = self.committed_counts(run_id)
            last = counts.pop("last_capture")
            self.db["runs"].update(run_id, dict(counts, finished_at=last or self.db["runs"].get(run_id)["started_at"],
                                                finish_reason="killed"))
            logger.warning("run %s never finished (killed?): marked 'killed'", run_id)
        return dead

    def committed_counts(self, run_id: str) -> dict:
        """A run's counts from what it committed, for a run whose stats are lost or not to be trusted
        (killed, or stopped by a full disk): captures from the capture index; reports from the
        versions it wrote or saw. Runs hold ARCHIVE_DIR one at a time, so a version first seen since
        the run started is the run's (timestamps to the second: a page stored in the second the next
        run started would count for both, which a run's start-up makes impossible)."""
        started = self.db["runs"].get(run_id)["started_at"]
        fetched, not_modified, revisits, last = self.db.execute(
            "select count(*), sum(status = 304), sum(type = 'revisit'), max(date) from captures where run_id = ?",
            [run_id]).fetchone()

        def one(sql: str, *params) -> int:
            return self.db.execute(sql, params).fetchone()[0] or 0

        seen = one("select count(distinct url) from versions where run_id = ?", run_id)
        new = one("select count(*) from reports where first_seen >= ? and url in "
                  "(select url from versions where run_id = ?)", started, run_id)
        changed = one("select count(*) from versions v where run_id = ? and first_seen >= ? and exists "
                      "(select 1 from versions o where o.url = v.url and o.first_seen < ?)", run_id, started, started)
        return {"pages_fetched": fetched, "not_modified": not_modified or 0, "revisits": revisits or 0,
                "reports_seen": seen, "new_reports": new, "new_versions": changed,
                "errors": one("select count(*) from errors where run_id = ?", run_id),
                "errors_by_kind": self.errors_by_kind(run_id), "last_capture": last}

    def errors_by_kind(self, run_id: str) -> str | None:
        counts = {f"{r['stage']}:{r['kind']}": r["n"] for r in self.db.query(
            "select stage, kind, count(*) n from errors where run_id = ? group by stage, kind order by n desc",
            [run_id])}
        return json.dumps(counts, ensure_ascii=False) if counts else None

    def finish_run(self, run_id: str, reason: str, stats: dict) -> None:
        """The run's row, closed. A run stopped by a full disk (``storage_error``) is counted from what
        it committed, like a killed one; if the disk is still full, the space ARCHIVE_DIR/.reserve holds
        (``RESERVE``, written by the crawl command before the run) is given back for this last write."""
        def stat(key: str) -> int:
            return int(stats.get(key, 0) or 0)

        def write() -> None:
            with self.db.atomic():
                if reason == STORAGE_ERROR:
                    counts = self.committed_counts(run_id)
                    counts.pop("last_capture")
                else:
                    counts = {
                        "pages_fetched": stat("response_received_count"),
                        "reports_seen": stat("xxgk/store/new") + stat("xxgk/store/changed")
                        + stat("xxgk/store/unchanged") + stat("xxgk/store/not_modified"),
                        "new_reports": stat("xxgk/store/new"), "new_versions": stat("xxgk/store/changed"),
                        "not_modified": stat("downloader/response_status_count/304"),
                        "revisits": stat("xxgk/warc/revisits"),
                        "errors": self.db.execute("select count(*) from errors where run_id = ?",
                                                  [run_id]).fetchone()[0],
                        "errors_by_kind": self.errors_by_kind(run_id)}
                self.db["runs"].update(run_id, dict(
                    counts, finished_at=utc_now(), finish_reason=reason, mode=stats.get("xxgk/mode"),
                    resumed=stat("xxgk/state/resumed"), stats=json.dumps(stats, ensure_ascii=False, default=str)))

        try:
            write()
        except (sqlite3.Error, OSError):
            reserve = self.path.parent / RESERVE
            if not reserve.exists():
                raise
            logger.warning("%s: recording run %s needs the space %s kept for it", self.path, run_id, reserve)
            reserve.unlink()
            write()
