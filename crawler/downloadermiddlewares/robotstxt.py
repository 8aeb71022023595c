"""``RobotsTxtMiddleware`` (in place of Scrapy's): every request that waits for a host's robots.txt is
checked against it (Scrapy 2.19 lets all but the first through), and an unreachable robots.txt is one
log line."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class _OneLine(logging.Filter):
    "A robots.txt that cannot be fetched (portal down) is one log line, not a traceback."

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, fixed for requests that wait for robots.txt together.

    Under the asyncio reactor, Scrapy 2.19 has each waiting request ``await`` the same Deferred
    through ``asFuture``, whose callback returns None: the first waiter gets the parser, every
    later one gets None, which means "no robots.txt", and is fetched unchecked. A normal crawl
    rarely has two requests waiting (a host's homepage comes alone), but a resumed crawl starts
    with many requests per host at once. Here a waiter only waits, then reads the parser."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        scrapy_logger = logging.getLogger(ScrapyRobotsTxtMiddleware.__module__)
        if not any(isinstance(f, _OneLine) for f in scrapy_logger.filters):
            scrapy_logger.addFilter(_OneLine())

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        while isinstance(pending := self._parsers.get(netloc), Deferred):
            done: Deferred = Deferred()

            def wake(result, done=done):
                done.callback(None)
                return result   # hand the result on, untouched, to whoever else listens

            pending.addBoth(wake)
            await maybe_deferred_to_future(done)
        return await super().robot_parser(request)
