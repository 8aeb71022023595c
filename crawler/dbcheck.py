"""Is an existing ``reports.db`` / ``state.db`` readable SQLite? Asked once, before a crawl contacts anyone.

A corrupt file would otherwise be a traceback from whichever component opens it first, after the
run has started. The check reads the schema, touches every table, then runs SQLite's
``quick_check`` for as long as ``QUICK_CHECK_SECONDS`` allows: a file of a few hundred MB is
checked in full (about 0.1 s per 100 MB when cached), a very large one as far as the time goes
(damage further in stops the run at its first failed write, as a full disk does).
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

QUICK_CHECK_SECONDS = 2.0
ADVICE = {
    "reports.db": "move it aside; python -m crawler.reprocess rebuilds it from the WARC files",
    "state.db": "it holds only the crawl frontier: delete it and the next run starts afresh",
}


def check_database(path: Path) -> str | None:
    "One line saying why ``path`` cannot be used, or None (also when it does not exist yet)."
    if not path.exists():
        return None
    try:
        problem = _problem(path)
    except sqlite3.Error as exc:
        problem = str(exc) or type(exc).__name__
    if problem is None:
        return None
    return f"{path} is not a usable SQLite database ({problem}); {ADVICE.get(path.name, 'move it aside')}"


def _problem(path: Path) -> str | None:
    db = sqlite3.connect(path, timeout=10)
    try:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            db.execute(f'SELECT * FROM "{name}" LIMIT 1').fetchall()
        deadline = time.monotonic() + QUICK_CHECK_SECONDS
        db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            result = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                return None   # out of time: the structure read above was sound
            raise
        return None if result == "ok" else " ".join(result.replace("*** in database main ***", "").split())
    finally:
        db.close()
