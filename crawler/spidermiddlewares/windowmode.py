"""``WindowModeMiddleware``: XXGK_MODE=window, for runs every few hours in the publication window: list
pages and new reports only (XXGK_WINDOW_RECHECK_HOURS). Reads the capture index (``ReportsDatabase``)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.extensions.reportsdb import ReportsDatabase

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

MODES = ("normal", "window")


class WindowModeMiddleware(BaseSpiderMiddleware):
    """XXGK_MODE=window: a run that re-checks the report lists and fetches new reports, leaving
    known report pages alone when they were captured less than XXGK_WINDOW_RECHECK_HOURS ago.

    Meant for runs every few hours from January to April, when the year's reports appear; the
    nightly normal run still re-validates every report (cheaply, with conditional GETs)."""

    def __init__(self, crawler: Crawler, recheck: timedelta):
        super().__init__(crawler)
        self.db = ReportsDatabase.of(crawler)
        self.recheck = recheck

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        mode = settings.get("XXGK_MODE")
        if mode not in MODES:
            raise ValueError(f"XXGK_MODE must be one of {', '.join(MODES)}, not {mode!r}")
        crawler.stats.set_value("xxgk/mode", mode)
        if mode != "window":
            raise NotConfigured   # the default: no "Disabled …" warning in every normal run
        return cls(crawler, timedelta(hours=settings.getfloat("XXGK_WINDOW_RECHECK_HOURS")))

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        index = self.db.index
        if request.meta.get("role") != "report" or index is None:
            return request
        last = index.last_seen(request.url)
        if last is None:
            return request
        age = datetime.now(timezone.utc) - datetime.fromisoformat(last.replace("Z", "+00:00"))
        if age < self.recheck:
            self.crawler.stats.inc_value("xxgk/mode/window/recent_report_skipped")
            return None
        return request


