"""Attachment rows, their versions and search; a pointer page's text from its file."""
from __future__ import annotations

import hashlib
import json
from functools import cache

from pipelines.attachments import extract_attachment
from pipelines.quality import bigram_f1
from pipelines.store import Store
from tests.paths import DATA, ROOT

FILES = DATA / "attachments"
REPORT = "http://127.0.0.2/art/2022/1/25/art_1_att.html"
PDF = "http://127.0.0.2/module/download/downfile.jsp?filename=report.pdf"
POINTER = (ROOT / "crawler" / "demo" / "portal" / "expected" / "trs-att.txt").read_text("utf-8")


def report_row(text: str, at: str = "2022-01-25T00:00:00Z", **extra) -> dict:
    return {"url": REPORT, "site": "127.0.0.2", "title": "鄂温克旗2021年政府信息公开工作年度报告", "text": text,
            "text_hans": text, "sha256": hashlib.sha256(text.encode()).hexdigest(), "fetched_at": at,
            "run_id": "r1", "http_status": 200,
            "attachments": json.dumps([{"url": PDF, "name": "年度报告.pdf", "type": "pdf"}], ensure_ascii=False),
            **extra}


@cache
def extracted(name: str) -> dict:
    return extract_attachment((FILES / name).read_bytes(), name="年度报告.pdf").row()


def attachment_row(name: str = "report.pdf", at: str = "2022-01-25T00:00:01Z", **extra) -> dict:
    return {**extracted(name), "url": PDF, "report_url": REPORT, "fetched_at": at, "run_id": "r1",
            "warc_file": "xxgk-r1-00000.warc.gz", "warc_offset": 1234, **extra}


def test_versions_of_a_file(tmp_path):
    store = Store(tmp_path / "reports.db")
    assert store.save_attachment(attachment_row()) == "new"
    assert store.save_attachment(attachment_row(at="2022-02-01T00:00:00Z")) == "unchanged"
    assert store.save_attachment({"url": PDF, "http_status": 304, "fetched_at": "2022-03-01T00:00:00Z",
                                  "run_id": "r3"}) == "not_modified"
    assert store.save_attachment(attachment_row("restricted.pdf", at="2022-04-01T00:00:00Z")) == "changed"
    rows = list(store.db.query("select sha256, type, pages, extractor, first_seen, last_seen, warc_offset "
                               "from attachments order by first_seen"))
    assert [(r["pages"], r["first_seen"], r["last_seen"]) for r in rows] == [
        (5, "2022-01-25T00:00:01Z", "2022-03-01T00:00:00Z"), (1, "2022-04-01T00:00:00Z", "2022-04-01T00:00:00Z")]
    assert rows[0]["sha256"] == hashlib.sha256((FILES / "report.pdf").read_bytes()).hexdigest()
    assert rows[0]["extractor"].startswith("pypdfium2") and rows[0]["warc_offset"] == 1234
    tables = json.loads(store.db["attachments"].get((PDF, rows[0]["sha256"]))["tables"])
    assert tables == json.loads((FILES / "report.pdf.tables.json").read_text("utf-8"))
    store.close()


def test_a_failed_file_is_a_row_with_its_error(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_attachment(attachment_row("encrypted.pdf"))
    row = next(store.db.query("select type, text, error from attachments"))
    assert row == {"type": "pdf", "text": None, "error": "attachment:encrypted"}
    store.close()


def test_search_finds_a_report_by_words_only_in_its_pdf(tmp_path):
    "The page is a full report of its own; the phrase is only in the PDF (a table label of section 三)."
    store = Store(tmp_path / "reports.db")
    page = (ROOT / "crawler" / "demo" / "portal" / "expected" / "hanweb-004.txt").read_text("utf-8")
    phrase = "要求提供公开出版物"
    assert phrase not in page
    store.save_report(report_row(page))
    store.save_attachment(attachment_row())
    store.close()
    store = Store(tmp_path / "reports.db")
    hits = list(store.db.query("""select a.report_url, a.name from attachments_fts f
        join attachments a on a.rowid = f.rowid where attachments_fts match ?""", [f'"{phrase}"']))
    assert hits == [{"report_url": REPORT, "name": "年度报告.pdf"}]
    report = store.db["reports"].get(REPORT)
    assert report["text"] == page and report["text_source"] == "page"
    store.close()


def test_a_pointer_page_takes_its_files_text_whichever_arrives_first(tmp_path):
    expected = (FILES / "report.pdf.expected.txt").read_text("utf-8")
    for order in ("page first", "file first"):
        store = Store(tmp_path / f"{order}.db")
        if order == "page first":
            assert store.save_report(report_row(POINTER)) == "new"
            assert store.db["reports"].get(REPORT)["text_source"] == "page"     # no file yet
            store.save_attachment(attachment_row())
        else:
            store.save_attachment(attachment_row())
            assert store.save_report(report_row(POINTER)) == "new"
        report = store.db["reports"].get(REPORT)
        assert report["text_source"] == "attachment", order
        assert bigram_f1(report["text"], expected) >= 0.98
        assert report["sha256"] == hashlib.sha256(report["text"].encode()).hexdigest()
        assert json.loads(report["tables"]) == json.loads((FILES / "report.pdf.tables.json").read_text("utf-8"))
        # the next run fetches the same pointer page: the report keeps the file's text, no new version
        assert store.save_report(report_row(POINTER, at="2022-02-01T00:00:00Z")) == "unchanged"
        assert store.db["reports"].get(REPORT)["text_source"] == "attachment"
        store.close()
        # and the search index of reports finds it by words of the PDF
        store = Store(tmp_path / f"{order}.db")
        assert [r["url"] for r in store.db["reports"].search("要求提供公开出版物")] == [REPORT]
        store.close()


def test_a_pointer_pages_own_text_is_no_version_even_when_its_file_comes_in_a_later_run(tmp_path):
    "A run stopped (killed, disk full) between the page and its file: the next run fetches the file."
    store = Store(tmp_path / "reports.db")
    store.save_report(report_row(POINTER))
    store.save_attachment(attachment_row(at="2022-02-01T00:00:00Z", run_id="r2"))
    versions = list(store.db.query("select sha256 from versions"))
    assert versions == [{"sha256": store.db["reports"].get(REPORT)["sha256"]}]
    assert store.db["reports"].get(REPORT)["versions"] == 1
    store.close()


def test_a_file_without_text_leaves_the_pointer_page_as_it_is(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_report(report_row(POINTER))
    store.save_attachment(attachment_row("encrypted.pdf"))
    report = store.db["reports"].get(REPORT)
    assert (report["text"], report["text_source"]) == (POINTER, "page")
    store.close()


def test_a_page_without_attachments_is_never_a_pointer(tmp_path):
    store = Store(tmp_path / "reports.db")
    store.save_attachment(attachment_row())
    store.save_report(report_row("见附件", attachments=None))
    assert store.db["reports"].get(REPORT)["text_source"] == "page"
    store.close()
