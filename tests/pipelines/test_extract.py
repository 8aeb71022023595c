"""The staged path over one capture: a failing stage is recorded, the page is still stored."""
from __future__ import annotations

import pipelines.extract as extract
import pipelines.stages as stages
from pipelines.record import Capture
from pipelines.store import Store
from crawler.demo.portal import PORTAL_DIR

PORTAL = PORTAL_DIR / "sites"
REPORT = next((PORTAL / "trs-ewenki").rglob("t20190111_4123451.html"))


def capture() -> Capture:
    return Capture(url="http://127.0.0.3/xxgk/zfxxgknb/201901/t20190111_4123451.html", body=REPORT.read_bytes(),
                   headers=[("Content-Type", "text/html; charset=gb2312")])


def test_a_failing_cleaner_still_stores_the_page_with_its_reason(tmp_path, monkeypatch):
    def broken(html, *, title=None, options=None, page=None):
        raise RuntimeError("cleaner bug")

    # fault injection: a bug in a stage, caught at the one boundary (pipelines.stages.run_stage)
    monkeypatch.setattr(stages, "clean_html", broken)
    page = extract.process(capture())
    row = extract.to_row(page)
    assert row["error"] == "clean:RuntimeError"
    assert row["text"] is None and row["title"] == "腾冲市政务服务管理局2018年政府信息公开年度报告"
    assert row["encoding"] == "gb18030"
    store = Store(tmp_path / "reports.db")
    store.save_report(row)
    for stage, kind, message in page.errors:
        store.record_error("run1", row["url"], stage, kind, message)
    assert store.db["reports"].get(row["url"])["error"] == "clean:RuntimeError"
    assert [e["message"] for e in store.db["errors"].rows] == ["cleaner bug"]

