"""``Extraction``: the stages (``pipelines.stages``) for every page the spider receives, in
XXGK_EXTRACT_WORKERS processes, so extraction uses every core and the event loop (downloads, WARC, the
store) is never blocked by a page being parsed or cleaned. The spider awaits ``process(capture)``
and gets the page back with its links, its metadata, text and verdict as its role needs.

Stats: ``xxgk/<stage>/error``, ``xxgk/decode/<codec>``, ``xxgk/decode/mojibake``,
``xxgk/metadata/warning``, ``xxgk/clean/spam_removed``, ``xxgk/classify/kept|rejected/<reason>``.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals

from pipelines.record import Capture, Page
from pipelines.attachments import Limits
from pipelines.workers import Budget, ExtractPool, default_workers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class Extraction:
    def __init__(self, crawler: Crawler, workers: int, budget: Budget = Budget()):
        self.stats = crawler.stats
        self.pool = ExtractPool(workers, budget)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Extraction:
        settings = crawler.settings
        workers = settings.get("XXGK_EXTRACT_WORKERS")
        limits = Limits(max_bytes=settings.getint("XXGK_ATTACHMENT_MAXSIZE"),
                        max_pages=settings.getint("XXGK_ATTACHMENT_MAXPAGES"),
                        seconds=settings.getfloat("XXGK_ATTACHMENT_TIMEOUT"), ocr=settings.getbool("XXGK_ATTACHMENT_OCR"))
        budget = Budget(seconds=settings.getfloat("XXGK_EXTRACT_TIMEOUT"), memory=settings.getint("XXGK_EXTRACT_MAX_MEMORY"),
                        attachment=limits)
        o = cls(crawler, default_workers() if workers in (None, "", "auto") else int(workers), budget)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    @staticmethod
    def of(crawler: Crawler) -> Extraction:
        ext = crawler.get_extension(Extraction)
        if ext is None:
            raise RuntimeError("the Extraction extension is not enabled (EXTENSIONS)")
        return ext

    def spider_opened(self, spider) -> None:
        self.pool.start()   # the workers import while the first pages download

    def spider_closed(self, spider) -> None:
        self.pool.close()

    async def process(self, capture: Capture) -> Page:
        page = await self.pool.process(capture)
        self.count(page)
        return page

    def count(self, page: Page) -> None:
        for stage, kind, message in page.errors:
            self.stats.inc_value(f"xxgk/{stage}/error")
            if self.pool.workers:  # run inline, run_stage has logged it already
                logger.warning("%s failed for %s: %s: %s", stage, page.capture.url, kind, message)
        if page.decoded is not None:
            self.stats.inc_value(f"xxgk/decode/{page.decoded.encoding}")
            if page.decoded.mojibake:
                self.stats.inc_value("xxgk/decode/mojibake")
        for warning in getattr(page.metadata, "warnings", None) or ():
            self.stats.inc_value("xxgk/metadata/warning")
            logger.warning("%s: %s", page.capture.url, warning)
        if page.cleaned is not None and page.cleaned.spam_found:
            self.stats.inc_value("xxgk/clean/spam_removed")
        if page.verdict is not None:
            keep, reason = page.verdict
            self.stats.inc_value(f"xxgk/classify/{'kept' if keep else 'rejected'}/{reason}")
