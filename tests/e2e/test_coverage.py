"""Coverage on a demo crawl: every report's agency is the one the generator names (manifest ``agency``),
and the page python -m crawler.coverage writes, as headless Chromium renders it, shows each agency's
years found, the gaps the generator left on purpose (``coverage_gaps``), the years past due after its
latest report and the year not due yet, with counts that match reports.db."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from sqlite_utils import Database

from pipelines.store import open_database
from tests.conftest import ROOT
from tests.e2e.test_browse import browser, room  # noqa: F401 (the reading room fixture)

TODAY, DUE = "2026-06-30", "03-31"   # 2025's reports were due 2026-03-31; 2026's are not due yet
PAST_DUE, NOT_DUE = 2025, 2026


def coverage(archive: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.coverage", str(archive), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def rendered(page: Path) -> lxml.html.HtmlElement:
    flags = [browser(), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,2000"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    if os.environ.get("XXGK_SCREENSHOTS"):
        subprocess.run([*flags, f"--screenshot={Path(os.environ['XXGK_SCREENSHOTS']) / 'coverage.png'}",
                        page.as_uri()], capture_output=True, timeout=120)
    return lxml.html.fromstring(dom)


def cells(doc) -> dict[tuple[str, int], str]:
    return {(td.get("data-agency"), int(td.get("data-year"))): td.get("data-state")
            for td in doc.xpath("//td[@data-state]")}


@pytest.fixture(scope="module")
def page(demo_archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("coverage") / "coverage.html"
    done = coverage(demo_archive["archive"], "--html", str(out), "--today", TODAY, "--due", DUE)
    assert done.returncode == 0, done.stderr
    return {"doc": rendered(out), "stdout": done.stdout, **demo_archive}


def test_every_report_belongs_to_the_agency_the_generator_names(demo_archive):
    db = Database(demo_archive["db"])
    got = {r["url"]: r["key"] for r in db.query("select r.url, a.key from reports r join agencies a using (agency_id)")}
    want = {demo_archive["urls"][r["id"]]: r["agency"] for r in demo_archive["manifest"]["reports"]}
    assert got == want
    # the spellings of one agency are its names; its display name is one of them
    housing = db.execute("select name, names from agencies where key = '三明/梅列/人民政府办公室'").fetchone()
    assert housing[0] == "三明市梅列区人民政府办公室" and "梅列区政府办" in housing[1] and "三明市梅列區人民政府辦公室" in housing[1]
    assert db.execute("select count(*) from agencies where site_id_code is null").fetchone()[0] == 0


def test_the_page_shows_found_years_gaps_past_due_and_not_due_as_the_manifest_says(page):
    manifest = page["manifest"]
    shown = cells(page["doc"])
    years: dict[str, set[int]] = {}
    for r in manifest["reports"]:
        years.setdefault(r["agency"], set()).add(r["report_year"])
    want = {}
    for agency, found in years.items():
        for year in range(min(found), NOT_DUE + 1):
            want[(agency, year)] = ("found" if year in found else "not_due" if year == NOT_DUE else "missing")
    assert shown == want
    inner = {(a, y) for (a, y), s in shown.items() if s == "missing" and y < max(years[a])}
    assert inner == {(a, y) for a, gaps in manifest["coverage_gaps"].items() for y in gaps} != set()
    assert {(a, PAST_DUE) for a in years} <= {c for c, s in shown.items() if s == "missing"}


def test_the_counts_on_the_page_match_the_database(page):
    doc, db = page["doc"], Database(page["db"])
    summary = doc.get_element_by_id("summary")
    assert int(summary.get("data-reports")) == db["reports"].count
    assert int(summary.get("data-agencies")) == db["agencies"].count
    assert int(summary.get("data-portals")) == len(page["manifest"]["sites"]) == len(doc.xpath("//section"))
    # found cells are the (agency, year) pairs of reports.db, and the coverage view's found rows
    shown = cells(doc)
    stored = {(k, y) for k, y in db.execute(
        "select a.key, r.report_year from reports r join agencies a using (agency_id)")}
    assert {c for c, s in shown.items() if s == "found"} == stored
    assert {(r["key"], r["report_year"]) for r in db.query("select * from coverage where status = 'found'")} == stored
    # the view agrees on every gap between an agency's first and latest reports (no deadline involved)
    latest = {}
    for key, year in stored:
        latest[key] = max(year, latest.get(key, year))
    inner = {(r["key"], r["report_year"]) for r in db.query(
        "select * from coverage where status = 'missing' and report_year < latest_year")}
    assert inner == {(a, y) for (a, y), s in shown.items() if s == "missing" and y < latest[a]} != set()
    # the per-year counts: all portals, and each portal's own
    for scope in ["all", *(s.get("data-site") for s in doc.xpath("//section"))]:
        agencies = doc.xpath(f'//section[@data-site="{scope}"]//tr[@data-agency]/@data-agency') if scope != "all" else None
        counted = Counter((y, s) for (a, y), s in shown.items() if agencies is None or a in agencies)
        for td in doc.xpath(f'//td[@data-scope="{scope}"]'):
            assert int(td.text) == counted[(int(td.get("data-year")), td.get("data-count"))], (scope, td.attrib)
    assert "unsure" not in page["stdout"]


def test_a_year_whose_reports_are_gone_shows_gone(demo_archive, tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(demo_archive["db"], archive / "reports.db")
    db = open_database(archive / "reports.db")
    if "gone_at" not in db["reports"].columns_dict:   # the column of the gone-reports issue, when it is in
        db["reports"].add_column("gone_at", str)
    url = demo_archive["urls"]["plain-ls2016"]
    db.execute("update reports set gone_at = '2026-05-01T00:00:00Z' where url = ?", [url])
    db.conn.commit()
    db.close()
    out = tmp_path / "coverage.html"
    assert coverage(archive, "--html", str(out), "--today", TODAY).returncode == 0
    shown = cells(lxml.html.fromstring(out.read_text("utf-8")))
    assert shown[("三明/梅列/人民政府办公室", 2016)] == "gone"
    assert shown[("三明/梅列/人民政府办公室", 2015)] == "found"


@pytest.mark.parametrize("args, message", [
    (("--due", "3-31"), "XXGK_COVERAGE_DUE must be a month-day"),
    (("--due", "02-30"), "XXGK_COVERAGE_DUE must be a month-day"),
    (("--today", "yesterday"), "--today must be a date"),
])
def test_a_bad_option_is_one_line_and_exit_2(demo_archive, args, message):
    done = coverage(demo_archive["archive"], *args)
    assert done.returncode == 2 and done.stderr.startswith(f"error: {message}") and done.stderr.count("\n") == 1


def test_a_directory_without_reports_db_is_one_line_and_exit_2(tmp_path):
    done = coverage(tmp_path)
    assert done.returncode == 2 and "holds no reports.db" in done.stderr and done.stderr.count("\n") == 1
    (tmp_path / "reports.db").write_bytes(b"not sqlite at all" * 100)
    done = coverage(tmp_path)
    assert done.returncode == 2 and "not a usable SQLite database" in done.stderr and done.stderr.count("\n") == 1


def test_the_reading_room_answers_which_agency_published_which_year(room):
    url = room["base"] + "/reports/coverage_by_agency.json?_shape=array"
    rows = {r["key"]: r for r in json.loads(urllib.request.urlopen(url, timeout=30).read())}
    years = {r["report_year"] for r in room["manifest"]["reports"] if r["agency"] == "三明/梅列/人民政府办公室"}
    office = rows["三明/梅列/人民政府办公室"]
    assert {int(y) for y in office["found"].split(",")} == years
    gaps = set(room["manifest"]["coverage_gaps"]["三明/梅列/人民政府办公室"])
    assert gaps <= {int(y) for y in office["missing"].split(",")}
    assert len(rows) == len({r["agency"] for r in room["manifest"]["reports"]})
