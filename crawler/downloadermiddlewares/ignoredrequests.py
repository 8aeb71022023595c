"""``IgnoredRequestsMiddleware``: remembers, per portal, why a request of it was refused before download
(robots.txt), so that a portal with nothing fetched can say why (``crawler.extensions.portalsummary``).

A refusal by policy is no failure of a page and leaves no ``errors`` row; but when it is every request a
portal made, the run must not look like a portal with nothing on it. Stats:
``xxgk/discovery/ignored/<portal>`` (count) and ``xxgk/discovery/ignored_reason/<portal>`` (the first reason).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class IgnoredRequestsMiddleware:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IgnoredRequestsMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception):
        portal = request.meta.get("portal")
        if portal and isinstance(exception, IgnoreRequest):
            self.stats.inc_value(f"xxgk/discovery/ignored/{portal}")
            key = f"xxgk/discovery/ignored_reason/{portal}"
            if self.stats.get_value(key) is None:
                self.stats.set_value(key, f"{exception or type(exception).__name__} ({request.url})")
        return None
