"""The store keeps the latest row per URL and every distinct text as a version."""
from __future__ import annotations

import hashlib

from pipelines.store import Store


def row(url: str, text: str, at: str) -> dict:
    return {"url": url, "site": "127.0.0.2", "title": "2020年政府信息公开工作年度报告", "text": text,
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "fetched_at": at, "report_year": 2020,
            "script": "hans", "encoding": "utf-8", "run_id": "r1"}


def test_versions_kept_and_latest_in_reports(tmp_path):
    store = Store(tmp_path / "reports.db")
    url = "http://127.0.0.2/art/1.html"
    assert store.save_report(row(url, "一、总体情况", "2021-01-01T00:00:00Z")) == "new"
    assert store.save_report(row(url, "一、总体情况", "2021-02-01T00:00:00Z")) == "unchanged"
    assert store.save_report(row(url, "一、总体情况（修订）", "2021-03-01T00:00:00Z")) == "changed"
    db = store.db
    assert db["reports"].count == 1
    latest = db["reports"].get(url)
    assert latest["text"] == "一、总体情况（修订）"
    assert latest["first_seen"] == "2021-01-01T00:00:00Z"
    assert latest["versions"] == 2
    versions = list(db.query("select text, first_seen, last_seen from versions order by first_seen"))
    assert versions == [
        {"text": "一、总体情况", "first_seen": "2021-01-01T00:00:00Z", "last_seen": "2021-02-01T00:00:00Z"},
        {"text": "一、总体情况（修订）", "first_seen": "2021-03-01T00:00:00Z", "last_seen": "2021-03-01T00:00:00Z"},
    ]
    store.close()


def test_reopening_applies_no_migration_twice(tmp_path):
    Store(tmp_path / "r.db").close()
    store = Store(tmp_path / "r.db")
    assert store.db["_sqlite_migrations"].count == 1
    assert store.db.journal_mode == "wal"
    store.close()
