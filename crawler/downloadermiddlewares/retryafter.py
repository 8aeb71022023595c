"""``RetryAfterMiddleware`` (order 560, between RetryMiddleware at 550 and the downloader): waits what a
429/503's Retry-After asks, up to XXGK_RETRY_AFTER_MAX seconds, before the retry is scheduled.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    "Retry-After as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); None if unreadable."
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, max_wait: float, retry_codes: set[int]):
        self.max_wait = max_wait
        self.retry_codes = retry_codes

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        max_wait = settings.getfloat("XXGK_RETRY_AFTER_MAX")
        if max_wait <= 0:
            raise NotConfigured("XXGK_RETRY_AFTER_MAX is 0")
        return cls(max_wait, {429, 503} & {int(c) for c in settings.getlist("RETRY_HTTP_CODES")})

    async def process_response(self, request: Request, response: Response):
        if response.status in self.retry_codes:
            raw = response.headers.get("Retry-After")
            wait = retry_after_seconds(raw.decode("latin-1") if raw else None)
            # a server asking for more than we will wait gets the usual retry; never an unbounded sleep
            if wait is not None and 0 < wait <= self.max_wait:
                await asyncio.sleep(wait)
        return response
