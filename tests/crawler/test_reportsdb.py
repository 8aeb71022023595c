"""The crawl's database thread: writes land in the order they were asked for, a payload is found
as an original before its index row is committed, and a failing write stops the run."""
from __future__ import annotations

import asyncio
import sqlite3
import threading

import scrapy
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler
from sqlite_utils import Database

from crawler import settings as project
from crawler.downloadermiddlewares.warccapture import WarcCaptureMiddleware
from crawler.extensions.reportsdb import ReportsDatabase
from pipelines.store import Store

BODY = "<html><body><h1>2023年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>".encode()


class Spider(scrapy.Spider):
    name = "test"
    run_id = "run-1"


def crawler_for(archive):
    settings = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    crawler = get_crawler(Spider, settings_dict={**settings, "ARCHIVE_DIR": str(archive)})
    crawler.spider = Spider()
    return crawler


def response(url: str, body: bytes = BODY) -> HtmlResponse:
    return HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                        request=Request(url, meta={"role": "report"}))


def test_a_duplicate_right_behind_its_original_is_a_revisit(tmp_path):
    crawler = crawler_for(tmp_path)
    mw = WarcCaptureMiddleware.from_crawler(crawler)
    ReportsDatabase.of(crawler).spider_opened(crawler.spider)
    mw.spider_opened(crawler.spider)
    first, second = response("http://127.0.0.2/a.html"), response("http://127.0.0.2/copy/a.html")

    busy = threading.Event()

    async def capture():   # as the crawl does, from the event loop
        ReportsDatabase.of(crawler).submit(lambda store: busy.wait(10))   # the thread is busy elsewhere:
        for r in (first, second):                                        # no index row is committed yet
            mw.process_response(r.request, r)
        busy.set()

    asyncio.run(capture())
    assert second.request.meta["warc_offset"] == first.request.meta["warc_offset"]
    mw.spider_closed(crawler.spider)
    ReportsDatabase.of(crawler).spider_closed(crawler.spider)
    ReportsDatabase.of(crawler).close()
    rows = list(Database(tmp_path / "reports.db").query("select url, type, refers_to from captures order by id"))
    assert [(r["url"], r["type"]) for r in rows] == [(first.url, "response"), (second.url, "revisit")]
    assert crawler.stats.get_value("xxgk/warc/revisits") == 1


def test_writes_run_in_order_and_the_awaited_one_is_committed(tmp_path):
    crawler = crawler_for(tmp_path)
    writer = ReportsDatabase.of(crawler)
    assert ReportsDatabase.of(crawler) is writer

    async def last():
        for i in range(50):
            writer.write_later(Store.record_error, "run-1", f"http://127.0.0.2/{i}", "fetch", "http_404", "HTTP 404")
        await writer.write(Store.record_error, "run-1", "http://127.0.0.2/last", "fetch", "timeout", "t")
        # another connection sees it: the transaction has committed
        return [r[0] for r in sqlite3.connect(tmp_path / "reports.db").execute("select url from errors order by id")]

    urls = asyncio.run(last())
    assert urls == [f"http://127.0.0.2/{i}" for i in range(50)] + ["http://127.0.0.2/last"]
    writer.close()


def test_a_failed_write_stops_the_run(tmp_path):
    crawler = crawler_for(tmp_path)
    writer = ReportsDatabase.of(crawler)
    stopped = []

    async def fail():
        writer.crawler.engine = None   # stop_run records the failure; there is no engine to close here

        def broken(store):
            raise sqlite3.OperationalError("disk I/O error")

        writer.write_later(broken)
        writer.submit(lambda store: None).result()    # the failing write has run
        await asyncio.sleep(0.05)                     # its report reaches the event loop
        stopped.append(crawler.stats.get_value("xxgk/storage_error"))

    asyncio.run(fail())
    writer.close()
    assert stopped == ["reports.db: disk I/O error"]
