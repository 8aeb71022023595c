"""report_stats / stats_checks in reports.db: written with their report, in its transaction (issue 15)."""
from __future__ import annotations

import sqlite3

import pytest

from pipelines.extract import extract_page
from pipelines.store import Store
from tests.pipelines.test_tables_stats import paragraphs_page, seed_text

URL = "http://127.0.0.3/xxgk/nb/t20210128_1.html"


def report_row(num: str, fetched_at: str = "2021-02-01T00:00:00Z", **extra) -> dict:
    row = extract_page(paragraphs_page(seed_text(num), "2020年政府信息公开工作年度报告"), url=URL)
    return dict(row, url=URL, site="127.0.0.3", fetched_at=fetched_at, run_id="r1", http_status=200, **extra)


def test_a_report_is_stored_with_its_numbers_and_checks(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(report_row("000"))
    db = store.db
    assert db["report_stats"].count == 198
    (cell,) = db.query("select * from report_stats where row_key = '政府集中采购' and col_key = '采购总金额'")
    assert cell == {"url": URL, "report_year": 2020, "template": "2019", "section": "主动公开",
                    "row_key": "政府集中采购", "col_key": "采购总金额", "value": 8400, "unit": "元",
                    "raw": "8400元", "source": "text"}
    failed = list(db.query('select "check", expected, found from stats_checks where ok = 0 order by "check"'))
    assert failed == [
        {"check": "applicants_sum:本年度办理结果/无法提供/没有现成信息需要另行制作", "expected": 0, "found": 2},
        {"check": "results_sum:自然人", "expected": 0, "found": 2}]
    assert db.execute("select typeof(value) from report_stats limit 1").fetchone() == ("integer",)
    store.close()


def test_a_new_capture_replaces_the_numbers_and_a_304_leaves_them(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(report_row("000"))
    assert store.save_report(report_row("002", "2021-03-01T00:00:00Z")) == "changed"
    db = store.db
    assert {r["raw"] for r in db.query("select raw from report_stats where row_key = '行政许可' "
                                       "and col_key = '本年增减'")} == {"-1"}
    cannot = [r["check"] for r in db.query('select "check" from stats_checks where ok is null order by 1')]
    assert cannot == ["applicants_sum:本年度办理结果/总计", "balance:总计", "report_year", "results_sum:总计"]
    before = list(db.query("select * from report_stats order by section, row_key, col_key"))
    assert store.save_report(dict(report_row("000", "2021-04-01T00:00:00Z"), http_status=304)) == "not_modified"
    assert list(db.query("select * from report_stats order by section, row_key, col_key")) == before
    store.close()


def test_numbers_that_cannot_be_written_leave_no_half_report(tmp_path):
    "One transaction: a stats row the schema refuses takes the report row down with it."
    store = Store(tmp_path / "reports.db")
    row = report_row("001")
    row["stats"]["values"].append({"section": None, "row_key": "x", "col_key": "y", "value": 1})
    with pytest.raises(sqlite3.IntegrityError):
        store.save_report(row)
    assert store.db["reports"].count == 0 and store.db["versions"].count == 0
    assert store.db["report_stats"].count == 0
    store.close()


def test_a_page_without_standard_tables_has_checks_but_no_numbers(tmp_path):
    store = Store(tmp_path / "reports.db")
    body = ("<html><head><meta charset='utf-8'></head><body><h1>2014年度政府信息公开年度报告</h1><div id='zoom'>"
            "<p>本报告统计期限为2014年1月1日至2014年12月31日。全年主动公开政府信息120条。</p></div></body></html>")
    row = dict(extract_page(body.encode("utf-8"), url=URL), url=URL, fetched_at="2015-01-01T00:00:00Z")
    store.save_report(row)
    assert store.db["report_stats"].count == 0
    checks = {r["check"]: r for r in store.db.query('select * from stats_checks')}
    assert set(checks) == {"non_negative", "report_year"}
    assert (checks["report_year"]["expected"], checks["report_year"]["found"], checks["report_year"]["ok"]) == \
        (2014, 2014, 1)
    assert checks["non_negative"]["ok"] is None
    store.close()


def test_an_unchanged_text_keeps_its_figures_and_follows_the_reports_year(tmp_path):
    "A nightly re-fetch of the same text rewrites nothing (a rebuild is what brings a new parser's figures)."
    store = Store(tmp_path / "reports.db")
    store.save_report(report_row("000"))
    again = report_row("000", "2021-03-01T00:00:00Z", report_year=2021)
    again["stats"] = dict(again["stats"], values=again["stats"]["values"][:1])
    assert store.save_report(again) == "unchanged"
    assert store.db["report_stats"].count == 198
    assert {r["report_year"] for r in store.db.query("select report_year from report_stats")} == {2021}
    store.close()
