"""The merge of workers' archives (crawler.merge) on what a crawl writes beside the reports: a report's
figures and the files of pointer pages, which two workers may have stored apart."""
from __future__ import annotations

import json

from sqlite_utils import Database

from crawler.merge import merge
from pipelines.store import Store
from tests.pipelines.test_store_attachments import FILES, POINTER, REPORT, attachment_row, report_row


def shard(path, *, report=None, attachment=None):
    (path / "warc").mkdir(parents=True)
    store = Store(path / "reports.db")
    if report is not None:
        store.save_report(report)
    if attachment is not None:
        store.save_attachment(attachment)
    store.close()
    return path


def test_a_pointer_page_and_its_file_stored_by_two_workers_merge_into_the_report(tmp_path):
    page = shard(tmp_path / "w1", report=report_row(POINTER))
    file = shard(tmp_path / "w2", attachment=attachment_row())
    alone = shard(tmp_path / "alone", report=report_row(POINTER), attachment=attachment_row())
    merge(tmp_path / "merged", [page, file])
    merged, single = Database(tmp_path / "merged" / "reports.db"), Database(alone / "reports.db")
    got, want = merged["reports"].get(REPORT), single["reports"].get(REPORT)
    assert (got["text_source"], got["sha256"], got["versions"]) == ("attachment", want["sha256"], 1)
    assert [r["sha256"] for r in merged["versions"].rows] == [want["sha256"]]
    assert merged["attachments"].count == 1
    # the report's figures are those its file prints, as when one process stored both
    stats = "select section, row_key, col_key, value from report_stats order by 1, 2, 3"
    assert list(merged.query(stats)) == list(single.query(stats)) != []
    assert json.loads(got["tables"]) == json.loads((FILES / "report.pdf.tables.json").read_text("utf-8"))
    # merging the same archives again adds nothing: the page's own text stays out
    assert merge(tmp_path / "merged", [page, file])["versions"] == 0
    assert merged["reports"].get(REPORT)["versions"] == 1 and merged["versions"].count == 1


def figures(value: int) -> dict:
    "A report's stats stage output (Stats.to_json) holding one number."
    return {"template": "2021", "values": [{"section": "三", "row_key": "本年新收政府信息公开申请数量",
                                            "col_key": "总计", "value": value, "raw": str(value)}], "checks": []}


def test_figures_come_with_the_later_capture_of_a_report(tmp_path):
    old = report_row("2021年度报告", at="2022-01-25T00:00:00Z", attachments=None, stats=figures(12))
    new = report_row("2021年度报告（更正）", at="2022-02-01T00:00:00Z", attachments=None, stats=figures(13), run_id="r2")
    first, second = shard(tmp_path / "w1", report=old), shard(tmp_path / "w2", report=new)
    merge(tmp_path / "merged", [second, first])   # the later one first: the earlier must not win
    merged = Database(tmp_path / "merged" / "reports.db")
    assert [r["value"] for r in merged.query("select value from report_stats")] == [13]
    assert merged["reports"].get(REPORT)["text"] == "2021年度报告（更正）"


def test_reports_of_two_workers_keep_their_own_agencies(tmp_path):
    from tests.pipelines.test_store_agencies import row

    # each shard numbers its agencies from 1: the merged archive must not take those numbers
    first = shard(tmp_path / "w1", report=row(1, "梅列区住建局", 2020))
    second = shard(tmp_path / "w2", report=row(2, "梅列区教育局", 2021))
    merge(tmp_path / "merged", [first, second])
    merged = Database(tmp_path / "merged" / "reports.db")
    got = {r["url"]: r["key"] for r in merged.query(
        "select r.url, a.key from reports r join agencies a using (agency_id)")}
    assert got == {"http://127.0.0.2/art/1.html": "三明/梅列/住房和城乡建设局",
                   "http://127.0.0.2/art/2.html": "三明/梅列/教育局"}
    assert merged["agencies"].count == 2
