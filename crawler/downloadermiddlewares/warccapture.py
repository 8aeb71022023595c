"""``WarcCaptureMiddleware`` (order 950, above HttpCompressionMiddleware at 590 and RedirectMiddleware at
600): every response, each redirect hop and retry included, into WARC as it was received; an unchanged
payload becomes a ``revisit`` record (XXGK_WARC_ENABLED, XXGK_WARC_DEDUP, XXGK_WARC_MAX_SIZE). Sets
``warc_file`` / ``warc_offset`` in the request meta: the record that holds the page's payload (the
original one, for a revisit). Index rows go to the capture index through the ``ReportsDatabase``.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.downloadermiddlewares.conditionalget import PREVIOUS
from crawler.extensions.reportsdb import ReportsDatabase
from crawler.responses import exchange
from crawler.stoprun import STORAGE_ERRORS, stop_run
from pipelines.store import Store, capture_row
from pipelines.store.captures import payload_record
from pipelines.warc import IDENTICAL_PAYLOAD, SERVER_NOT_MODIFIED, RollingWarcWriter, payload_digest, write_exchange

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler, archive_dir: Path, max_size: int, dedup: bool):
        self.crawler = crawler
        self.directory = archive_dir / "warc"
        self.max_size = max_size
        self.dedup = dedup
        self.writer: RollingWarcWriter | None = None
        self.db = ReportsDatabase.of(crawler)
        # index rows are written by the crawl's database thread, a moment later: until they are
        # committed, this run's payloads are found here, so a duplicate right behind its original
        # is still a revisit
        self.unindexed: dict[str, dict] = {}   # payload digest → its response's index row

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_WARC_ENABLED"):
            raise NotConfigured("XXGK_WARC_ENABLED is off")
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")), settings.getint("XXGK_WARC_MAX_SIZE"),
                settings.getbool("XXGK_WARC_DEDUP"))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_opened(self, spider) -> None:
        # a worker of a cluster run (crawler.cluster) names its files after the run and itself
        name = getattr(spider, "warc_name", None) or getattr(spider, "run_id", "run")
        self.writer = RollingWarcWriter(self.directory, name, self.max_size)

    def spider_closed(self, spider) -> None:
        if self.writer is not None:
            self.writer.close()

    def original_of(self, response: Response, request: Request) -> tuple[dict | None, str]:
        "The earlier capture this one can refer to instead of repeating the payload, and the profile."
        previous = request.meta.get(PREVIOUS)
        if response.status == 304 and previous:
            return previous, SERVER_NOT_MODIFIED
        if not self.dedup or response.status != 200 or not response.body or self.db.index is None:
            return None, IDENTICAL_PAYLOAD
        original = self.original(payload_digest(response.body), response.url)
        if original and not (self.directory / original["warc_file"]).exists():
            original = None   # its file was moved away: this capture must hold the bytes itself
        return original, IDENTICAL_PAYLOAD

    def original(self, digest: str, url: str) -> dict | None:
        "CaptureIndex.original, this run's rows not yet committed included (the same URL's first)."
        found = self.db.index.original(digest, url)
        if found is None or found["url"] != url:
            mine = self.unindexed.get(digest)
            if mine is not None and (found is None or mine["url"] == url):
                return mine
        return found

    def process_response(self, request: Request, response: Response):
        # a rendered page is the browser's DOM, not an answer: each request it made is captured itself
        if self.writer is None or request.meta.get("playwright"):
            return response
        try:
            self.capture(request, response)
        except STORAGE_ERRORS as exc:
            stop_run(self.crawler, "warc", exc)
        return response

    def capture(self, request: Request, response: Response) -> None:
        ex = exchange(request, response)
        original, profile = self.original_of(response, request)
        ref = payload_record(original) if original else None
        written = write_exchange(self.writer, ex, ref, profile)
        row = capture_row(url=response.url, date=written.date, record_id=written.record_id,
                          rec_type=written.rec_type, status=response.status, headers=ex.headers,
                          warc_file=written.file, warc_offset=written.offset, role=request.meta.get("role"),
                          run_id=getattr(self.crawler.spider, "run_id", None), length=len(response.body),
                          digest=written.digest, original=original, refers_to=ref, profile=profile)
        if ref is not None:
            self.crawler.stats.inc_value("xxgk/warc/revisits")
        done = None
        if ref is None and response.status == 200 and written.digest:
            self.unindexed[written.digest] = row
            done = partial(self.unindexed.pop, written.digest, None)
        self.db.write_later(Store.add_capture, row, done=done)
        # the page's row must point at bytes: for a revisit, the original record's
        request.meta["warc_file"], request.meta["warc_offset"] = row["payload_file"], row["payload_offset"]
        self.crawler.stats.inc_value("xxgk/warc/records")
