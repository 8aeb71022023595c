"""Store: report rows, their versions, runs and per-page errors in ``ARCHIVE_DIR/reports.db``.

sqlite-utils only; one page = one transaction, so a killed run never leaves half a report.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlite_utils import Database

from pipelines import schema
from pipelines.record import utc_now

logger = logging.getLogger(__name__)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = Database(self.path)
        self.db.enable_wal()
        schema.apply(self.db)

    def close(self) -> None:
        self.db.close()

    # reports and versions -------------------------------------------------------------------

    def save_report(self, row: dict) -> str:
        """Upsert the latest capture of a report and keep every distinct text as a version.

        Returns 'new', 'changed' or 'unchanged'.
        """
        url, digest, now = row["url"], row.get("sha256"), row.get("fetched_at") or utc_now()
        with self.db.atomic():
            old = next(self.db.query("select sha256, first_seen, versions from reports where url = ?", [url]), None)
            seen = self.db.execute("select 1 from versions where url = ? and sha256 = ?",
                                   [url, digest or ""]).fetchone()
            if seen:
                self.db.execute("update versions set last_seen = ?, run_id = ? where url = ? and sha256 = ?",
                                [now, row.get("run_id"), url, digest or ""])
            else:
                self.db["versions"].insert({
                    "url": url, "sha256": digest or "", "first_seen": now, "last_seen": now,
                    "run_id": row.get("run_id"), "warc_file": row.get("warc_file"),
                    "warc_offset": row.get("warc_offset"), "title": row.get("title"), "text": row.get("text"),
                })
            versions = self.db.execute("select count(*) from versions where url = ?", [url]).fetchone()[0]
            record = dict(row, first_seen=old["first_seen"] if old else now, versions=versions)
            self.db["reports"].upsert(record, pk="url", alter=True)
        if old is None:
            return "new"
        return "unchanged" if old["sha256"] == digest else "changed"

    # runs and errors --------------------------------------------------------------------------

    def record_error(self, run_id: str | None, url: str, stage: str, kind: str, message: str) -> None:
        with self.db.atomic():
            self.db["errors"].insert({"run_id": run_id, "url": url, "stage": stage, "kind": kind,
                                      "message": message, "at": utc_now()})

    def start_run(self, run_id: str, spider_args: dict) -> None:
        with self.db.atomic():
            self.db["runs"].insert({"run_id": run_id, "started_at": utc_now(),
                                    "spider_args": json.dumps(spider_args, ensure_ascii=False)}, replace=True)

    def finish_run(self, run_id: str, reason: str, stats: dict) -> None:
        def stat(key: str) -> int:
            return int(stats.get(key, 0) or 0)

        errors = self.db.execute("select count(*) from errors where run_id = ?", [run_id]).fetchone()[0]
        with self.db.atomic():
            self.db["runs"].update(run_id, {
                "finished_at": utc_now(), "finish_reason": reason,
                "pages_fetched": stat("response_received_count"),
                "reports_seen": stat("xxgk/store/new") + stat("xxgk/store/changed") + stat("xxgk/store/unchanged"),
                "new_reports": stat("xxgk/store/new"), "new_versions": stat("xxgk/store/changed"),
                "errors": errors,
                "stats": json.dumps(stats, ensure_ascii=False, default=str),
            })
