"""Downloader middlewares for hostile portals: redirect loops named as such, Retry-After honoured.

- ``RedirectLoopMiddleware`` (order 610, sees a 3xx before RedirectMiddleware at 600): a redirect back
  to a URL of its own chain raises ``RedirectLoop``, which the spider records as kind
  ``redirect_loop`` (otherwise the loop's second visit is silently dropped by the dupefilter).
- ``RetryAfterMiddleware`` (order 560, between RetryMiddleware at 550 and the downloader): waits what
  a 429/503's Retry-After asks, up to XXGK_RETRY_AFTER_MAX seconds, before the retry is scheduled.
- ``MetaRefreshMiddleware`` (order 580, in place of Scrapy's): Scrapy's, but a page whose bytes hold
  no ``http-equiv`` is not decoded to look for a refresh tag.
"""
from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse

from crawler.discovery import canonicalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class RedirectLoop(IgnoreRequest):
    "A redirect back to a URL of its own chain."


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response):
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            target = canonicalize_url(urljoin(request.url, location.decode("latin-1")))
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if target in {canonicalize_url(u) for u in chain}:
                raise RedirectLoop("redirect loop: " + " -> ".join([*chain, target]))
        return response


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


# Scrapy reads a refresh tag from the first 4096 characters: at most 4 bytes each
_REFRESH_BYTES = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether a page's start can hold ``<meta http-equiv="refresh">``: in an ASCII-compatible
    encoding its bytes are there as such (w3lib reads no entities in the tag either). A NUL byte
    means UTF-16 or UTF-32: not decided here."""
    head = body[:_REFRESH_BYTES].lower()
    return b"\x00" in head or (b"http-equiv" in head and b"refresh" in head)


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    # Scrapy decodes every HTML response (charset detection included) to look for the tag; most
    # pages do not have one, and the spider decodes each page its own way anyway
    def process_response(self, request: Request, response: Response, spider=None):
        if isinstance(response, HtmlResponse) and not may_refresh(response.body):
            return response
        return super().process_response(request, response)
