"""The feed exporter's item filter: stored report rows go to a feed, error records do not."""
from __future__ import annotations

from crawler.extensions.feeds import ReportRows
from pipelines.record import FetchError


def test_a_feed_takes_report_rows_and_leaves_error_records():
    feed = ReportRows({})
    assert feed.accepts({"url": "http://h/1", "title": "2020年度报告"})
    assert not feed.accepts(FetchError(url="http://h/2", kind="http_404", message="HTTP 404"))
