"""Issue 22: the rebuild from WARC skips a file in warc/ that is not WARC with one line, and goes on."""
from __future__ import annotations

import gzip
import os
import random
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from pipelines.warc import Exchange, RollingWarcWriter, write_exchange
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
