"""The agencies table and the coverage view: a report stored is linked to its agency, an archive from
before the table gets its agencies when the migration runs, and coverage lists the gaps."""
from __future__ import annotations

import datetime
import hashlib
import json
import sqlite3

from pipelines.store import Store

SITE = "三明市梅列区人民政府"


def row(n: int, publisher: str | None, year: int, **extra) -> dict:
    text = f"一、总体情况 {n}"
    return {"url": f"http://127.0.0.2/art/{n}.html", "site": "127.0.0.2", "site_name": SITE,
            "title": f"{year}年政府信息公开工作年度报告", "publisher": publisher, "report_year": year,
            "text": text, "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "fetched_at": "2024-05-01T00:00:00Z", "run_id": "r1", **extra}


def agencies(db) -> dict:
    return {r["key"]: r for r in db.query("select * from agencies")}


def test_spellings_of_one_agency_are_one_row_named_as_most_reports_name_it(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(row(1, "梅列区住建局", 2019, site_id_code="3504030001"))
    store.save_report(row(2, "梅列区住房和城乡建设局", 2020, site_id_code="3504030001"))
    store.save_report(row(3, "三明市梅列區住房和城鄉建設局", 2021))
    store.save_report(row(4, "梅列区住房和城乡建设局", 2022))
    store.save_report(row(5, "梅列区教育局", 2022))
    found = agencies(store.db)
    assert set(found) == {"三明/梅列/住房和城乡建设局", "三明/梅列/教育局"}
    housing = found["三明/梅列/住房和城乡建设局"]
    assert housing["name"] == "梅列区住房和城乡建设局"
    assert json.loads(housing["names"]) == {"梅列区住房和城乡建设局": 2, "三明市梅列區住房和城鄉建設局": 1,
                                            "梅列区住建局": 1}
    assert (housing["reports"], housing["site"], housing["site_id_code"]) == (4, "127.0.0.2", "3504030001")
    linked = {r["url"]: r["agency_id"] for r in store.db.query("select url, agency_id from reports")}
    assert len({linked[f"http://127.0.0.2/art/{n}.html"] for n in (1, 2, 3, 4)}) == 1
    store.close()


def test_a_report_whose_publisher_changes_moves_and_an_empty_agency_goes(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(row(1, "梅列区卫生局", 2019))
    store.save_report(dict(row(1, "梅列区卫生健康局", 2019), text="改", sha256="x"))
    assert set(agencies(store.db)) == {"三明/梅列/卫生健康局"}
    store.save_report(dict(row(1, None, 2019), text="再改", sha256="y"))
    assert agencies(store.db) == {}
    assert store.db.execute("select agency_id from reports").fetchone()[0] is None
    store.close()


def test_an_archive_from_before_the_table_gets_its_agencies(tmp_path):
    path = tmp_path / "reports.db"
    store = Store(path)
    for n, (name, year) in enumerate([("梅列区人社局", 2018), ("梅列区人力资源和社会保障局", 2020), ("教育局", 2020)]):
        store.save_report(row(n, name, year))
    store.close()
    # the archive as it was before the migration: no table, no view, no agency_id values
    db = sqlite3.connect(path)
    db.executescript("DROP VIEW coverage; DROP TABLE agencies; DROP INDEX idx_reports_agency_id;"
                     "ALTER TABLE reports DROP COLUMN agency_id;"
                     "DELETE FROM _sqlite_migrations WHERE name = 'agencies_and_coverage';")
    db.close()
    store = Store(path)
    assert {k: r["reports"] for k, r in agencies(store.db).items()} == {
        "三明/梅列/人力资源和社会保障局": 2, "三明/梅列/教育局": 1}
    assert store.db.execute("select count(*) from reports where agency_id is null").fetchone()[0] == 0
    store.close()


def test_coverage_lists_gaps_years_past_due_and_the_year_not_due(tmp_path):
    store = Store(tmp_path / "reports.db")
    for n, year in enumerate([2014, 2015, 2017, 2020]):
        store.save_report(row(n, "梅列区人民政府办公室", year))
    got = {r["report_year"]: (r["status"], r["reports"]) for r in store.db.query(
        "select * from coverage where key = '三明/梅列/人民政府办公室'")}
    today = datetime.date.today()
    expected = {2014: ("found", 1), 2015: ("found", 1), 2016: ("missing", 0), 2017: ("found", 1),
                2018: ("missing", 0), 2019: ("missing", 0), 2020: ("found", 1)}
    for year in range(2021, today.year + 1):   # after the latest: missing once 31 January has passed
        expected[year] = ("missing" if today > datetime.date(year + 1, 1, 31) else "not_due", 0)
    assert got == expected
    store.close()


def test_a_report_stored_before_its_site_showed_a_name_joins_its_agency_later(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(dict(row(1, "教育局", 2019), site_name=None))   # the page had no SiteName meta
    store.save_report(row(2, "梅列区教育局", 2020))
    assert {k: r["reports"] for k, r in agencies(store.db).items()} == {"三明/梅列/教育局": 2}
    store.close()


def test_a_gap_before_the_latest_report_is_missing_even_before_its_deadline(tmp_path):
    # a report dated next year (published early, or a year misread) makes this year a gap, not 'not due'
    store = Store(tmp_path / "reports.db")
    year = datetime.date.today().year
    for n, y in enumerate([year - 1, year + 1]):
        store.save_report(row(n, "梅列区统计局", y))
    got = {r["report_year"]: r["status"] for r in store.db.query("select * from coverage")}
    assert got == {year - 1: "found", year: "missing", year + 1: "found"}
    store.close()
