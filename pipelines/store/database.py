"""Opening the archive's SQLite files: WAL, the sync level and the wait for a lock, set in one place."""
from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database, Migrations


def open_sqlite(path: str | Path, migrations: Migrations | None = None) -> Database:
    """A connection in WAL mode with ``migrations`` applied; several connections of one run can share
    the file (one writer, readers that never wait for it)."""
    db = Database(path)
    db.enable_wal()
    # WAL + NORMAL: a commit survives kill -9 (it is in the OS's hands); only a power cut can
    # lose the last few, and the WARC files are written first anyway
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=10000")
    if migrations is not None:
        migrations.apply(db)
    return db


def open_database(path: str | Path) -> Database:
    "reports.db with its schema."
    from pipelines.store import schema

    db = open_sqlite(path)
    schema.apply(db)
    return db
