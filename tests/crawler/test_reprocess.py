"""Issue 22: the rebuild from WARC skips a file in warc/ that is not WARC with one line, and goes on."""
from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from pipelines.warc import Exchange, Original, RollingWarcWriter, write_exchange
from tests.hostile.server import demo_report
from tests.paths import ROOT

URL = "http://127.0.0.4:8000/detail.jsp?id=101"
JUNK = {   # file name → bytes: what ends up in warc/ by accident
    "a-notes.warc.gz": b"just some notes, not a WARC\n",
    "b-text.warc.gz": gzip.compress(b"hello, a gzip file but no WARC record\n"),
    "c-empty.warc.gz": b"",
    "d-random.warc.gz": random.Random(22).randbytes(5000),
    "e-broken-gzip.warc.gz": b"\x1f\x8b\x08\x00" + random.Random(23).randbytes(300),
}


def archive_with_junk(tmp_path: Path) -> tuple[Path, str]:
    "An archive holding one report capture, written by the crawl's WARC writer, and the junk files."
    body, content_type, title = demo_report()
    writer = RollingWarcWriter(tmp_path / "warc", "20260101T000000Z-abcd")
    write_exchange(writer, Exchange(url=URL, status=200, headers=[("Content-Type", content_type)], body=body,
                                    fields={"XXGK-Role": "report"}))
    writer.close()
    for name, data in JUNK.items():
        (tmp_path / "warc" / name).write_bytes(data)
    return tmp_path, title


def test_rebuild_skips_a_file_that_is_not_warc_and_goes_on(tmp_path):
    archive, title = archive_with_junk(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "crawler.reprocess", str(archive), "--workers", "0"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    for name in JUNK:   # one line each, naming the file
        assert len([line for line in lines if name in line and "not a WARC file" in line]) == 1, (name, lines)
    assert len(lines) == len(JUNK), lines
    assert f"{len(JUNK)} files skipped, not WARC" in done.stdout
    db = Database(archive / "reports.rebuilt.db")
    assert [r["title"] for r in db.query("select title from reports where url = ?", [URL])] == [title]


def test_a_warc_file_with_garbage_after_its_records_keeps_its_records(tmp_path):
    from crawler.reprocess import rebuild

    archive, title = archive_with_junk(tmp_path)
    for name in JUNK:
        (archive / "warc" / name).unlink()
    (warc,) = (archive / "warc").iterdir()
    with open(warc, "ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00garbage after the last record")
    counts = rebuild(archive, tmp_path / "out.db")
    assert (counts["reports"], counts.get("skipped_files", 0)) == (1, 0)


def demo_archive(tmp_path: Path) -> Path:
    """Every file the demo portal serves with 200, each captured as the crawl would (a report page with
    role 'report', the others without a role), twice for one report (an identical-payload revisit) and
    once more as a 304 (a server-not-modified revisit): pages of both scripts and every CMS, stats tables,
    paged reports whose other pages are missing, attachments' pointer pages."""
    import json

    from crawler.demo.portal import PORTAL_DIR
    from pipelines.warc import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED

    manifest = json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))
    reports = {(r["site"], r["path"]) for r in manifest["reports"]}
    writer = RollingWarcWriter(tmp_path / "warc", "20260101T000000Z-abcd")
    first = None
    for site in manifest["sites"]:
        for f in site["files"]:
            if f["status"] != 200:
                continue
            path = f["path"] + (f"?{f['query']}" if f["query"] else "")
            url = f"http://{site['host']}:8000{path}"
            role = {"XXGK-Role": "report"} if (site["name"], path) in reports else {}
            ex = Exchange(url=url, status=200, headers=[("Content-Type", f["content_type"]), ("ETag", '"e1"')],
                          body=(PORTAL_DIR / site["root"] / f["file"]).read_bytes(), fields=role)
            written = write_exchange(writer, ex)
            if role and first is None:
                first = (ex, written)
    ex, written = first
    original = Original(written.record_id, ex.url, written.date)
    write_exchange(writer, ex, original, IDENTICAL_PAYLOAD)
    write_exchange(writer, Exchange(url=ex.url, status=304, headers=[("ETag", '"e1"')], body=b"",
                                    fields=ex.fields), original, SERVER_NOT_MODIFIED)
    writer.close()
    return tmp_path


def rows(db_path: Path) -> dict[str, list]:
    "Every row of every table the rebuild writes, in the order written (an error's time of day left out)."
    db = Database(db_path)
    out = {}
    for table in ("reports", "versions", "captures", "errors", "report_stats", "stats_checks", "attachments"):
        columns = [f"[{c}]" for c in db[table].columns_dict if c != "at"]
        # the figures' tables have no rowid: their keys order them
        order = "rowid" if table not in ("report_stats", "stats_checks") else ", ".join(columns)
        out[table] = db.execute(f"select {', '.join(columns)} from [{table}] order by {order}").fetchall()
    return out


def test_the_rebuild_on_every_core_writes_what_one_process_writes(tmp_path):
    from crawler.reprocess import rebuild

    archive = demo_archive(tmp_path / "archive")
    # 0: the stages in the rebuild's own process, the single-process rebuild the others must equal
    counts = {n: rebuild(archive, tmp_path / f"w{n}.db", workers=n) for n in (0, 1, 2)}
    assert counts[0] == counts[1] == counts[2]
    assert counts[0]["reports"] >= 40 and counts[0]["revisits"] == 2
    one = rows(tmp_path / "w0.db")
    assert one["reports"] and one["report_stats"] and one["captures"] and one["errors"]
    for n in (1, 2):
        found = rows(tmp_path / f"w{n}.db")
        for table in one:
            assert found[table] == one[table], (n, table)


def test_a_negative_worker_count_is_one_line_and_exit_2(tmp_path, capsys):
    from crawler.reprocess import main

    archive, _ = archive_with_junk(tmp_path)
    assert main([str(archive), "--workers", "-1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--workers -1" in err
    assert not (archive / "reports.rebuilt.db").exists()
