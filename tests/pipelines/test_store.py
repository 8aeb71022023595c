"""The store keeps the latest row per URL and every distinct text as a version, the runs, and the
capture index that revisits and conditional GETs are built from."""
from __future__ import annotations

import hashlib
import json

from pipelines.store import schema
from pipelines.store import CaptureIndex, Store


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
    names = ["create_tables", "archival_runs", "reports_fts", "fts_batched", "attachments"]
    assert [m.name for m in schema.migrations.applied(store.db)] == names
    assert store.db["_sqlite_migrations"].count == len(names)
    assert store.db.journal_mode == "wal"
    store.close()


def test_a_304_marks_the_version_seen_and_leaves_the_row_alone(tmp_path):
    store = Store(tmp_path / "reports.db")
    url = "http://127.0.0.2/art/1.html"
    store.save_report(row(url, "一、总体情况", "2021-01-01T00:00:00Z"))
    before = store.db["reports"].get(url)
    # the stages read the archived payload again; even if today's cleaner reads it differently,
    # the server vouched for the bytes and the row stays as it was
    again = dict(row(url, "一、总体情况 (cleaned differently)", "2021-02-01T00:00:00Z"), http_status=304,
                 run_id="r2")
    assert store.save_report(again) == "not_modified"
    assert store.db["reports"].get(url) == before
    (version,) = store.db["versions"].rows
    assert (version["last_seen"], version["run_id"], version["first_seen"]) == \
        ("2021-02-01T00:00:00Z", "r2", "2021-01-01T00:00:00Z")
    store.close()


def test_a_run_that_died_is_marked_killed_by_the_next(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.start_run("r1", {})
    CaptureIndex(store.db).add({"url": "http://h/", "date": "2021-01-01T00:00:05.5Z", "type": "response",
                                "status": 200, "run_id": "r1"})
    store.record_error("r1", "http://h/x", "fetch", "http_404", "HTTP 404")
    store.start_run("r2", {})          # r1 never reached finish_run: kill -9
    store.finish_run("r2", "finished", {"response_received_count": 3, "xxgk/store/new": 1,
                                        "downloader/response_status_count/304": 2, "xxgk/mode": "window"})
    r1, r2 = store.db["runs"].get("r1"), store.db["runs"].get("r2")
    assert (r1["finish_reason"], r1["finished_at"], r1["pages_fetched"]) == ("killed", "2021-01-01T00:00:05.5Z", 1)
    assert json.loads(r1["errors_by_kind"]) == {"fetch:http_404": 1}
    assert (r2["finish_reason"], r2["new_reports"], r2["not_modified"], r2["mode"]) == ("finished", 1, 2, "window")
    store.close()


def test_capture_index_finds_payloads_by_digest_and_validators_by_url(tmp_path):
    store = Store(tmp_path / "reports.db")
    index = CaptureIndex(store.db)
    base = {"type": "response", "status": 200, "digest": "sha1:AAA", "date": "2021-01-01T00:00:00Z"}
    index.add(dict(base, url="http://h/a", record_id="<a>", warc_file="f1", warc_offset=10,
                   payload_file="f1", payload_offset=10, etag='"e1"'))
    index.add(dict(base, url="http://h/b", record_id="<b>", warc_file="f1", warc_offset=90,
                   payload_file="f1", payload_offset=90))
    index.add(dict(base, url="http://h/a", type="revisit", status=304, record_id="<c>", refers_to="<a>",
                   warc_file="f2", warc_offset=5, payload_file="f1", payload_offset=10, etag='"e1"',
                   date="2021-02-01T00:00:00Z"))
    assert index.original("sha1:AAA", "http://h/b")["record_id"] == "<b>"     # the same URL's first
    assert index.original("sha1:AAA", "http://h/z")["record_id"] == "<a>"     # else the first of all
    assert index.original("sha1:BBB") is None
    last = index.last_capture("http://h/a")
    assert (last["record_id"], last["payload_file"], last["payload_offset"], last["etag"]) == ("<c>", "f1", 10, '"e1"')
    assert index.last_seen("http://h/a") == "2021-02-01T00:00:00Z" and index.last_seen("http://h/q") is None
    store.close()


def test_full_text_search_uses_trigrams(tmp_path):
    store = Store(tmp_path / "reports.db", fts_batch=1)
    store.save_report(row("http://h/1", "本机关2020年政务公开工作总体情况", "2021-01-01T00:00:00Z"))
    store.save_report(row("http://h/2", "收到和处理政府信息公开申请情况", "2021-01-01T00:00:00Z"))
    assert "tokenize='trigram'" in store.db["reports_fts"].schema
    assert [r["url"] for r in store.db["reports"].search("政务公开")] == ["http://h/1"]
    assert [r["url"] for r in store.db["reports"].search("申请情")] == ["http://h/2"]
    # kept in step when a report changes
    store.save_report(row("http://h/1", "本机关2020年财政预算情况", "2021-02-01T00:00:00Z"))
    assert list(store.db["reports"].search("政务公开")) == []
    assert [r["url"] for r in store.db["reports"].search("财政预算")] == ["http://h/1"]
    store.close()


def search(db, term):
    return sorted(r["url"] for r in db["reports"].search(term))


def test_search_index_is_written_in_batches_and_on_close(tmp_path):
    store = Store(tmp_path / "reports.db", fts_batch=4)  # a changed text counts too
    store.save_report(row("http://h/1", "政务公开第一份", "2021-01-01T00:00:00Z"))
    store.save_report(row("http://h/2", "政务公开第二份", "2021-01-01T00:00:00Z"))
    assert search(store.db, "政务公开") == []  # queued, not yet indexed
    # a queued report that changes is queued once, with its new text
    store.save_report(row("http://h/1", "财政预算第一份", "2021-02-01T00:00:00Z"))
    assert search(store.db, "政务公开") == []
    store.save_report(row("http://h/3", "政务公开第三份", "2021-01-01T00:00:00Z"))
    assert search(store.db, "政务公开") == ["http://h/2", "http://h/3"]
    assert search(store.db, "财政预算") == ["http://h/1"]
    store.save_report(row("http://h/4", "政务公开第四份", "2021-01-01T00:00:00Z"))
    store.close()
    store = Store(tmp_path / "reports.db")
    assert search(store.db, "政务公开") == ["http://h/2", "http://h/3", "http://h/4"]
    # an indexed report deleted by hand leaves the index too (FTS5 external content needs the old text)
    store.db.execute("delete from reports where url = 'http://h/3'")
    assert search(store.db, "政务公开") == ["http://h/2", "http://h/4"]
    store.db.execute("insert into reports_fts(reports_fts) values('integrity-check')")  # raises if they disagree
    store.close()


def test_a_killed_runs_queued_reports_are_indexed_by_the_next_store(tmp_path):
    store = Store(tmp_path / "reports.db", fts_batch=100)
    store.save_report(row("http://h/1", "政务公开第一份", "2021-01-01T00:00:00Z"))
    store.db.close()  # no Store.close(): the process died
    store = Store(tmp_path / "reports.db")
    assert search(store.db, "政务公开") == ["http://h/1"]
    store.close()


def test_refetching_an_unchanged_report_does_not_reindex_it(tmp_path):
    store = Store(tmp_path / "reports.db", fts_batch=1)
    store.save_report(row("http://h/1", "政务公开第一份", "2021-01-01T00:00:00Z"))
    store.save_report(row("http://h/1", "政务公开第一份", "2021-02-01T00:00:00Z"))
    assert store.db.execute("select count(*) from reports_fts_pending").fetchone()[0] == 0
    assert search(store.db, "政务公开") == ["http://h/1"]
    store.close()


def test_an_archive_from_before_the_search_index_is_indexed_on_open(tmp_path):
    from sqlite_utils import Database

    old = Database(tmp_path / "reports.db")
    schema.migrations.apply(old, stop_before="archival_runs")
    old["reports"].insert(row("http://h/1", "本机关2020年政务公开工作总体情况", "2021-01-01T00:00:00Z"))
    old.close()
    store = Store(tmp_path / "reports.db")
    assert [r["url"] for r in store.db["reports"].search("政务公开")] == ["http://h/1"]
    assert "not_modified" in store.db["runs"].columns_dict and store.db["captures"].exists()
    store.close()
