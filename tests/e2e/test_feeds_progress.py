"""Feed exports (-O reports.jsonl / reports.csv), the progress line and the end-of-run summary of every
crawl, and the demo's own errors, through the real commands."""
from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import sys

from sqlite_utils import Database

from pipelines.store.schema import REPORT_COLUMNS
from crawler.demo.portal import PORTAL_DIR
from tests.conftest import ROOT, run_crawl

# the demo portal's reports, as its generator recorded them
N = len(json.loads((PORTAL_DIR / "manifest.json").read_text("utf-8"))["reports"])


def test_a_jsonl_feed_holds_one_line_per_stored_report_with_the_reports_columns(demo_archive):
    assert demo_archive["first"].returncode == 0, demo_archive["first"].stderr[-2000:]
    lines = (demo_archive["tmp"] / "reports.jsonl").read_text("utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    expected = set(demo_archive["urls"].values())
    assert len(items) == len(expected) == N
    assert {item["url"] for item in items} == expected
    stored = {r["url"]: r for r in Database(demo_archive["db"])["reports"].rows}
    for item in items:
        assert set(item) >= set(REPORT_COLUMNS)          # the documented columns, every one
        assert set(item) == set(stored[item["url"]])      # and those of the table, no bytes, no other item
        assert item["title"] == stored[item["url"]]["title"] and item["versions"] == 1


def test_a_csv_feed_has_the_same_rows(demo_archive):
    with open(demo_archive["tmp"] / "reports.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N and set(REPORT_COLUMNS) <= set(rows[0])
    by_id = {r["id"]: r for r in demo_archive["manifest"]["reports"]}
    titles = {row["url"]: row["title"] for row in rows}
    assert {titles[url] for url in demo_archive["urls"].values()} == {by_id[i]["title"] for i in demo_archive["urls"]}


def test_a_feed_that_cannot_be_written_fails_the_run(portal, tmp_path):
    done = run_crawl(portal.start_urls(), tmp_path / "archive", feeds=["/proc/no-such-dir/reports.jsonl"])
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: feed export failed") and "no-such-dir" in last
    assert Database(tmp_path / "archive" / "reports.db")["reports"].count == N   # the archive is kept


def test_progress_lines_come_while_the_crawl_runs(demo_archive):
    lines = [line for line in demo_archive["first"].stderr.splitlines() if "] INFO: progress " in line]
    assert lines, demo_archive["first"].stderr[-2000:]
    pattern = (r"progress \d+:\d\d: (\d+) pages \([\d.]+/s\), reports (\d+) new, \d+ changed, \d+ unchanged, "
               r"\d+ not modified, errors \d+(; pages/reports by portal: 127\.0\.0\.\d:\d+ \d+/\d+|$)")
    for line in lines:
        assert re.search(pattern, line), line
    pages = [int(re.search(pattern, line).group(1)) for line in lines]
    assert pages == sorted(pages)
    # once pages have come, the line names the portals they came from (before, a slow start has none)
    assert any("by portal: 127.0.0." in line for line in lines), lines


def summary_of(stderr: str) -> str:
    return stderr[stderr.rindex("INFO: \nRun "):]


def test_every_crawl_ends_with_its_summary_new_then_known(demo_archive):
    first, second = summary_of(demo_archive["first"].stderr), summary_of(demo_archive["second"].stderr)
    assert f"{N} reports: {N} new, 0 changed, 0 unchanged" in first
    assert f"The {N} new reports:" in first and "sqlite-utils" in first and "where first_seen >= '" in first
    # a second run over the same portal finds nothing new, and says so
    assert f"{N} reports: 0 new, 0 changed, {N} unchanged" in second
    assert "No new reports in this run" in second and f"{N} new" not in second
    for line in second.splitlines():
        if re.match(r"\s+127\.0\.0\.\d:\d+ +\d+ reports,", line):
            assert line.split(",")[1].split()[0] == "0", line
    # the summary is the run's last word, after Scrapy's stats dump
    assert demo_archive["second"].stderr.rindex("Dumping Scrapy stats") < demo_archive["second"].stderr.rindex("\nRun ")


def test_the_summarys_query_lists_the_new_reports(demo_archive):
    first = summary_of(demo_archive["first"].stderr)
    query = re.search(r'sqlite-utils \S+ "(select .*?)" --table', first).group(1)
    rows = list(Database(demo_archive["db"]).query(query))
    assert len(rows) == N


def test_the_demo_says_when_its_port_is_taken(tmp_path):
    with socket.socket() as busy:
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.3", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "crawler.demo", "--port", str(port), "--archive-dir",
                               str(tmp_path / "demo")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert f"port {port}" in done.stderr and "make demo PORT=" in done.stderr and "--port" in done.stderr
    assert not (tmp_path / "demo").exists()


def test_the_demo_archive_is_a_folder_of_its_own():
    from crawler import settings
    from crawler.demo import DEMO_ARCHIVE

    assert DEMO_ARCHIVE == ROOT / "archive" / "demo" != ROOT / settings.ARCHIVE_DIR
