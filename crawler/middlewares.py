"""WarcCaptureMiddleware: every response, each redirect hop and retry included, into WARC.

Settings: XXGK_WARC_ENABLED, XXGK_WARC_MAX_SIZE, ARCHIVE_DIR (files go to ARCHIVE_DIR/warc/).
Sets ``warc_file`` / ``warc_offset`` in the request meta for the item that the page becomes.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.warc import RollingWarcWriter

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def header_pairs(headers) -> list[tuple[str, str]]:
    "Scrapy Headers → (name, value) pairs, repeats kept, bytes through latin-1 (never UTF-8)."
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values]


def crawl_context(meta: dict) -> dict[str, str]:
    """Why the page was fetched, as WARC extension fields, so a rebuild from WARC alone makes the
    same report decisions as the crawl did. Values are percent-encoded: WARC headers are not a
    safe place for raw Chinese text in every reader."""
    fields = {"XXGK-Role": meta.get("role"), "XXGK-Context": meta.get("column"),
              "XXGK-Link-Text": meta.get("link_text")}
    return {k: quote(str(v), safe="") for k, v in fields.items() if v}


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler, directory: Path, max_size: int):
        self.crawler = crawler
        self.directory = directory
        self.max_size = max_size
        self.writer: RollingWarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("XXGK_WARC_ENABLED"):
            raise NotConfigured("XXGK_WARC_ENABLED is off")
        o = cls(crawler, Path(settings.get("ARCHIVE_DIR")) / "warc", settings.getint("XXGK_WARC_MAX_SIZE"))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_opened(self, spider) -> None:
        self.writer = RollingWarcWriter(self.directory, getattr(spider, "run_id", "run"), self.max_size)

    def spider_closed(self, spider) -> None:
        if self.writer is not None:
            self.writer.close()

    def process_response(self, request: Request, response: Response):
        if self.writer is None:
            return response
        ip = str(response.ip_address) if getattr(response, "ip_address", None) else None
        name, offset = self.writer.write(
            url=response.url, status=response.status, headers=header_pairs(response.headers),
            body=response.body, method=request.method, request_headers=header_pairs(request.headers),
            protocol=getattr(response, "protocol", None) or "HTTP/1.1", ip=ip,
            extra_headers=crawl_context(request.meta))
        request.meta["warc_file"], request.meta["warc_offset"] = name, offset
        self.crawler.stats.inc_value("xxgk/warc/records")
        return response
